"""Benchmark of `kyoten allocate`: solver time, value and money used against the greedy baseline.

    PYTHONPATH=src .venv/bin/python bench/bench_allocate.py [--sizes 47,500,5000] [--repeat 3]

Instances are random but seeded: each proposal has a lead prefecture, a score of 40-95 (one
decimal), a full request in the program's tiers (several hundred million, 1.x and 2.x billion
yen, at most the 3 billion cap) and 2-3 smaller options (reduced, equipment only, minimal) worth
less. The budget is what was left of the 2009 program after the freeze, 26.3 billion yen, for 47
proposals, and scales with the number of proposals beyond (n × 0.56 billion yen), min_score 50:
about 40 % of what the eligible proposals ask for in full. A second variant adds block
limits (at least 2 awards in Shikoku, at most n/10 in Kanto), a third uses amounts without a
common unit (any yen), which the model cannot scale down.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kyoten.allocation.inputs import parse_problem  # noqa: E402
from kyoten.allocation.solver import allocate  # noqa: E402

TIERS = [5, 6, 7, 8, 9, 12, 15, 18, 21, 24, 28, 30]  # × 100 million yen


def instance(n: int, seed: int, *, blocks: bool = False, any_yen: bool = False) -> dict:
    rng = random.Random(seed)
    proposals = []
    for i in range(n):
        score = round(rng.uniform(40, 95), 1)
        full = rng.choice(TIERS) * 100_000_000
        if any_yen:
            full = rng.randint(300_000_000, 3_000_000_000)
        options = [{"label": "full", "amount_yen": full, "value": score}]
        labels = ["reduced", "equipment_only", "minimal"][: rng.randint(2, 3)]
        for k, label in enumerate(labels):
            share = rng.uniform(0.45, 0.9) ** (k + 1)
            amount = int(full * share)
            if not any_yen:
                amount = amount // 10_000_000 * 10_000_000
            options.append(
                {
                    "label": label,
                    "amount_yen": max(amount, 1),
                    "value": round(score * share**0.5, 1),
                }
            )
        proposals.append(
            {
                "id": f"P{i:05d}",
                "prefectures": [f"{rng.randint(1, 47):02d}"],
                "score": score,
                "options": options,
            }
        )
    doc = {
        "budget_yen": 26_300_000_000 * max(n, 47) // 47,
        "cap_yen": 3_000_000_000,
        "min_score": 50,
        "proposals": proposals,
    }
    if blocks:
        doc["min_per_block"] = {"shikoku": 2}
        doc["max_per_block"] = {"kanto": max(n // 10, 1)}
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="47,500,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        "| proposals | variant | options | solve s (median) | value optimal | value greedy | gain "
        "| money used optimal | money used greedy | funded opt/greedy | gap | tie-break |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        for variant in ("tiers", "blocks", "any yen"):
            doc = instance(n, seed=n, blocks=variant == "blocks", any_yen=variant == "any yen")
            problem = parse_problem(doc)
            times = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                answer = allocate(problem)
                times.append(time.perf_counter() - began)
            base = answer["baseline"]
            budget = doc["budget_yen"]
            nopt = sum(len(p["options"]) for p in doc["proposals"])
            gain = (answer["objective"] / base["objective"] - 1) * 100 if base["objective"] else 0
            print(
                f"| {n:,} | {variant} | {nopt:,} | {statistics.median(times):.2f} "
                f"| {answer['objective']:,.1f} | {base['objective']:,.1f} | +{gain:.1f}% "
                f"| {answer['total_yen'] / budget:.2%} | {base['total_yen'] / budget:.2%} "
                f"| {len(answer['awards'])}/{len(answer['baseline_awards'])} "
                f"| {answer['solver']['gap']} | {answer['solver']['tie_break']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
