"""Benchmark of `kyoten assign`'s solver against the greedy baseline, in the same run.

    PYTHONPATH=src .venv/bin/python bench/bench_assign.py            # default sizes
    PYTHONPATH=src .venv/bin/python bench/bench_assign.py --sizes 300x100 --k 3 --load 10

Random but realistic instances (seeded): proposals from 1–3 prefectures with 2–4
organizations and 3–5 keywords from a vocabulary of 40 research fields; reviewers with a
prefecture, 1–2 organizations, 3–6 keywords and a few declared conflicts. For each size the
exact solver and the greedy baseline (best pairs first while both sides have room) run on the
same instance; the table shows time, affinity, and the gap of greedy to the optimum.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from kyoten.review.assign_inputs import parse_problem
from kyoten.review.assignment import check_assignment, greedy, quiet_stdout, solve

FIELDS = [
    "材料", "医療", "半導体", "ロボット", "食品", "農業", "水産", "環境", "エネルギー", "情報",
    "AI", "バイオ", "創薬", "光学", "計測", "航空宇宙", "自動車", "繊維", "化学", "金属",
    "セラミックス", "ナノテク", "医療機器", "介護", "防災", "海洋", "森林", "観光", "デザイン",
    "ソフトウェア", "通信", "電池", "水素", "量子", "画像", "脳科学", "ゲノム", "健康", "建築",
    "物流",
]  # fmt: skip


def instance(n_p: int, n_r: int, k: int, load: int, seed: int) -> dict:
    rng = random.Random(seed)
    codes = [f"{c:02d}" for c in range(1, 48)]
    orgs = [f"大学{i}" for i in range(60)] + [f"企業{i}" for i in range(120)]
    proposals = [
        {
            "id": f"P{i:03d}",
            "prefectures": rng.sample(codes, rng.choice([1, 1, 1, 2, 3])),
            "organizations": rng.sample(orgs, rng.randint(2, 4)),
            "keywords": rng.sample(FIELDS, rng.randint(3, 5)),
        }
        for i in range(n_p)
    ]
    reviewers = [
        {
            "id": f"R{j:03d}",
            "prefecture": rng.choice(codes),
            "organizations": rng.sample(orgs, rng.randint(1, 2)),
            "keywords": rng.sample(FIELDS, rng.randint(3, 6)),
            "conflicts": [f"P{rng.randrange(n_p):03d}" for _ in range(rng.randint(0, 2))],
        }
        for j in range(n_r)
    ]
    return {
        "reviewers_per_proposal": k,
        "max_load": load,
        "proposals": proposals,
        "reviewers": reviewers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50x20,100x40,300x100,600x200")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--load", type=int, default=0, help="0: ceil(1.1 × P × k / R)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(
        "| proposals × reviewers | k | max_load | eligible pairs | exact (s, median) "
        "| exact affinity | greedy (s) | greedy affinity | greedy gap | greedy complete |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n_p, n_r = (int(v) for v in size.split("x"))
        load = args.load or -(-int(1.1 * n_p * args.k) // n_r)
        problem = parse_problem(instance(n_p, n_r, args.k, load, seed=n_p * 1000 + n_r))
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            with quiet_stdout():
                result = solve(problem)
            times.append(time.perf_counter() - t0)
        assert result.status == "optimal", result.reason
        assert check_assignment(problem, result.assignments) == []
        t0 = time.perf_counter()
        base = greedy(problem)
        t_greedy = time.perf_counter() - t0
        from kyoten.review.assignment import _build

        pairs = len(_build(problem).weight)
        gap = (result.affinity - base.affinity) / result.affinity * 100
        print(
            f"| {n_p} × {n_r} | {args.k} | {load} | {pairs} | {statistics.median(times):.3f} "
            f"| {result.affinity:.4f} | {t_greedy:.3f} | {base.affinity:.4f} "
            f"| {gap:.2f} % | {'yes' if base.status == 'optimal' else 'no'} |"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
