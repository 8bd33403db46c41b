"""The allocation solver against hand-checked cases and a brute-force oracle."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoten.allocation.inputs import parse_problem
from kyoten.allocation.solver import allocate

from .oracle import brute_force

OKU = 100_000_000  # 1億円


def run(doc: dict) -> dict:
    return allocate(parse_problem(doc))


def awards(answer: dict) -> list[tuple[str, str, int]]:
    return [(a["id"], a["option"], a["amount_yen"]) for a in answer["awards"]]


def prop(pid, pref, score, *options, requested=None):
    p = {"id": pid, "prefectures": [pref], "score": score}
    if requested is not None:
        p["requested_yen"] = requested
    if options:
        p["options"] = [
            {"label": lab, "amount_yen": amt, "value": val} for lab, amt, val in options
        ]
    return p


def test_spec_example_funds_both_full_requests():
    answer = run(
        {
            "budget_yen": 69_500_000_000,
            "cap_yen": 3_000_000_000,
            "min_score": 60,
            "proposals": [
                prop("P13", "13", 82.5, ("full", 28 * OKU, 82.5), ("reduced", 19 * OKU, 70.0)),
                prop("P01", "01", 75.0, requested=15 * OKU),
            ],
            "max_per_block": {"kanto": 4},
        }
    )
    assert answer["status"] == "optimal"
    assert answer["objective"] == 157.5
    assert answer["total_yen"] == 43 * OKU
    assert answer["budget_yen"] == 69_500_000_000
    assert answer["awards"] == [
        {"id": "P13", "option": "full", "amount_yen": 28 * OKU},
        {"id": "P01", "option": "full", "amount_yen": 15 * OKU},
    ]
    assert answer["unfunded"] == []
    assert answer["baseline"] == {
        "method": "greedy-by-score",
        "objective": 157.5,
        "total_yen": 43 * OKU,
    }
    assert answer["solver"]["name"] == "HiGHS"
    assert answer["solver"]["gap"] == 0.0
    assert answer["money_left_yen"] == 69_500_000_000 - 43 * OKU


def test_reduced_options_beat_the_greedy_walk():
    # 50億: greedy funds A in full (30) and then only C (20) ... optimum takes reduced plans.
    answer = run(
        {
            "budget_yen": 50 * OKU,
            "proposals": [
                prop("A", "13", 90, ("full", 30 * OKU, 90), ("reduced", 20 * OKU, 80)),
                prop("B", "27", 85, ("full", 25 * OKU, 85), ("reduced", 15 * OKU, 70)),
                prop("C", "01", 60, ("full", 20 * OKU, 60), ("reduced", 10 * OKU, 50)),
            ],
        }
    )
    # candidates: A red + B red + C red = 45億 → 200; A full + C full = 50 → 150;
    # A red + B full = 45 → 165; A full + B red = 45 → 160; A red + B red + C red is best.
    assert awards(answer) == [
        ("A", "reduced", 20 * OKU),
        ("B", "reduced", 15 * OKU),
        ("C", "reduced", 10 * OKU),
    ]
    assert answer["objective"] == 200.0
    assert answer["total_yen"] == 45 * OKU
    assert answer["baseline"] == {
        "method": "greedy-by-score",
        "objective": 150.0,
        "total_yen": 50 * OKU,
    }


def test_greedy_passes_over_what_does_not_fit_and_goes_on():
    answer = run(
        {
            "budget_yen": 40 * OKU,
            "proposals": [
                prop("P1", "13", 90, requested=30 * OKU),
                prop("P2", "14", 80, requested=20 * OKU),
                prop("P3", "15", 70, requested=10 * OKU),
            ],
        }
    )
    assert answer["baseline"] == {
        "method": "greedy-by-score",
        "objective": 160.0,
        "total_yen": 40 * OKU,
    }
    assert awards(answer) == [("P1", "full", 30 * OKU), ("P3", "full", 10 * OKU)]
    assert answer["unfunded"] == [
        {
            "id": "P2",
            "reason_code": "displaced",
            "params": {"smallest_yen": 20 * OKU, "short_yen": 20 * OKU, "left_yen": 0},
            "reason": "displaced by a better use of the money: lower-scored proposals give"
            " more value for the budget; its smallest option (¥2,000,000,000) would need"
            " ¥2,000,000,000 more than the ¥0 left",
        }
    ]


def test_equal_value_prefers_the_smaller_total():
    answer = run(
        {
            "budget_yen": 100 * OKU,
            "proposals": [
                prop("A", "13", 80, ("full", 25 * OKU, 80), ("lean", 20 * OKU, 80)),
                prop("B", "27", 70, ("full", 10 * OKU, 70)),
            ],
        }
    )
    assert awards(answer) == [("A", "lean", 20 * OKU), ("B", "full", 10 * OKU)]
    assert answer["total_yen"] == 30 * OKU


def test_ties_fund_the_first_id():
    # Two identical proposals and money for one: the first id in order is funded.
    answer = run(
        {
            "budget_yen": 20 * OKU,
            "proposals": [
                prop("P09", "09", 70, requested=15 * OKU),
                prop("P02", "02", 70, requested=15 * OKU),
            ],
        }
    )
    assert awards(answer) == [("P02", "full", 15 * OKU)]
    assert answer["unfunded"][0]["id"] == "P09"
    assert answer["unfunded"][0]["reason"].startswith("would need ¥1,000,000,000 more")


def test_ties_over_a_longer_exchange_fund_the_first_id():
    # {B} and {A, C} are both worth 10 for 10億; the first differing id, A, decides.
    answer = run(
        {
            "budget_yen": 10 * OKU,
            "proposals": [
                prop("B", "13", 10, requested=10 * OKU),
                prop("A", "13", 4, requested=4 * OKU),
                prop("C", "13", 6, requested=6 * OKU),
            ],
        }
    )
    assert sorted(a["id"] for a in answer["awards"]) == ["A", "C"]


def test_min_score_excludes_and_explains():
    answer = run(
        {
            "budget_yen": 100 * OKU,
            "min_score": 60,
            "proposals": [
                prop("P1", "13", 59.5, requested=5 * OKU),
                prop("P2", "14", 60, requested=5 * OKU),
            ],
        }
    )
    assert awards(answer) == [("P2", "full", 5 * OKU)]
    assert answer["unfunded"] == [
        {
            "id": "P1",
            "reason_code": "below_min_score",
            "params": {"score": 59.5, "min_score": 60.0},
            "reason": "below min_score: score 59.5 is less than 60.0",
        }
    ]


def test_max_per_block_moves_money_to_another_block():
    answer = run(
        {
            "budget_yen": 60 * OKU,
            "max_per_block": {"kanto": 1},
            "proposals": [
                prop("K1", "13", 90, requested=20 * OKU),
                prop("K2", "11", 85, requested=20 * OKU),
                prop("H1", "01", 50, requested=20 * OKU),
            ],
        }
    )
    assert awards(answer) == [("K1", "full", 20 * OKU), ("H1", "full", 20 * OKU)]
    assert answer["unfunded"] == [
        {
            "id": "K2",
            "reason_code": "block_limit",
            "params": {"block": "kanto", "awards": 1, "max": 1},
            "reason": "block limit: kanto already has 1 award(s), max_per_block.kanto = 1",
        }
    ]
    assert answer["blocks"] == {
        "hokkaido": {"awards": 1, "amount_yen": 20 * OKU},
        "kanto": {"awards": 1, "amount_yen": 20 * OKU},
    }
    assert answer["baseline"]["objective"] == 140.0


def test_block_is_that_of_the_first_prefecture():
    doc = {
        "budget_yen": 60 * OKU,
        "max_per_block": {"tohoku": 0},
        "proposals": [
            {"id": "C", "prefectures": ["08", "07"], "score": 80, "requested_yen": 10 * OKU},
            {"id": "D", "prefectures": ["07", "08"], "score": 80, "requested_yen": 10 * OKU},
        ],
    }
    assert [a["id"] for a in run(doc)["awards"]] == ["C"]


def test_min_per_block_forces_a_weaker_proposal_in():
    answer = run(
        {
            "budget_yen": 40 * OKU,
            "min_per_block": {"shikoku": 1},
            "proposals": [
                prop("A", "13", 90, requested=20 * OKU),
                prop("B", "27", 80, requested=20 * OKU),
                prop("S", "37", 40, ("full", 25 * OKU, 40), ("small", 5 * OKU, 10)),
            ],
        }
    )
    assert awards(answer) == [("A", "full", 20 * OKU), ("S", "small", 5 * OKU)]
    assert answer["objective"] == 100.0


def test_min_per_block_that_cannot_be_met_is_infeasible():
    answer = run(
        {
            "budget_yen": 40 * OKU,
            "min_score": 50,
            "min_per_block": {"shikoku": 2},
            "proposals": [
                prop("A", "13", 90, requested=20 * OKU),
                prop("S1", "37", 60, requested=5 * OKU),
                prop("S2", "38", 40, requested=5 * OKU),
            ],
        }
    )
    assert answer["status"] == "infeasible"
    assert answer["awards"] == []
    assert answer["objective"] == 0.0
    assert answer["total_yen"] == 0
    assert answer["reason"] == (
        "min_per_block.shikoku = 2 but only 1 fundable proposal(s) (score at least min_score,"
        " an option within the cap and the budget) have their lead prefecture in shikoku"
    )
    assert [u["id"] for u in answer["unfunded"]] == ["A", "S1", "S2"]
    assert answer["unfunded"][2]["reason"] == "below min_score: score 40.0 is less than 50.0"
    assert answer["unfunded"][0]["reason"].startswith("not funded: the limits contradict")


def test_min_above_max_is_infeasible():
    answer = run(
        {
            "budget_yen": 40 * OKU,
            "min_per_block": {"kanto": 2},
            "max_per_block": {"kanto": 1},
            "proposals": [prop("A", "13", 90, requested=5 * OKU)],
        }
    )
    assert answer["status"] == "infeasible"
    assert answer["reason"] == "min_per_block.kanto = 2 is more than max_per_block.kanto = 1"


def test_min_per_block_beyond_the_budget_is_infeasible():
    answer = run(
        {
            "budget_yen": 9 * OKU,
            "min_per_block": {"kanto": 1, "kinki": 1},
            "proposals": [
                prop("A", "13", 90, ("full", 8 * OKU, 90), ("small", 5 * OKU, 40)),
                prop("B", "27", 80, requested=5 * OKU),
            ],
        }
    )
    assert answer["status"] == "infeasible"
    assert answer["reason"] == (
        "min_per_block needs at least 1000000000 yen (the cheapest options of the required"
        " awards) but budget_yen is 900000000"
    )


def test_zero_budget_and_no_proposals():
    assert awards(run({"budget_yen": 0, "proposals": [prop("A", "13", 90, requested=OKU)]})) == []
    empty = run({"budget_yen": 10 * OKU, "proposals": []})
    assert (empty["status"], empty["awards"], empty["unfunded"], empty["total_yen"]) == (
        "optimal",
        [],
        [],
        0,
    )


def test_displaced_reason_names_the_better_use():
    answer = run(
        {
            "budget_yen": 30 * OKU,
            "proposals": [
                prop("TOP", "13", 90, requested=30 * OKU),
                prop("M1", "14", 70, requested=15 * OKU),
                prop("M2", "15", 70, requested=15 * OKU),
            ],
        }
    )
    assert [a["id"] for a in answer["awards"]] == ["M1", "M2"]
    assert answer["unfunded"] == [
        {
            "id": "TOP",
            "reason_code": "displaced",
            "params": {"smallest_yen": 30 * OKU, "short_yen": 30 * OKU, "left_yen": 0},
            "reason": "displaced by a better use of the money: lower-scored proposals give"
            " more value for the budget; its smallest option (¥3,000,000,000) would need"
            " ¥3,000,000,000 more than the ¥0 left",
        }
    ]
    assert answer["baseline"] == {
        "method": "greedy-by-score",
        "objective": 90.0,
        "total_yen": 30 * OKU,
    }


def test_decimal_values_tie_as_written():
    # 0.1 + 0.2 is 0.3 for the committee, so both allocations are worth the same and the
    # smaller total wins.
    answer = run(
        {
            "budget_yen": 10 * OKU,
            "proposals": [
                prop("A", "13", 0.1, requested=2 * OKU),
                prop("B", "13", 0.2, requested=2 * OKU),
                prop("C", "13", 0.3, requested=3 * OKU),
            ],
        }
    )
    assert answer["objective"] == 0.6
    assert answer["total_yen"] == 7 * OKU


def test_yen_without_a_common_unit_stay_exact():
    # Amounts with gcd 1 near 10**9; the budget is met exactly to the yen.
    a, b, c = 1_234_567_891, 987_654_323, 2_222_222_214
    answer = run(
        {
            "budget_yen": a + b,
            "proposals": [
                prop("A", "13", 50, requested=a),
                prop("B", "14", 50, requested=b),
                prop("C", "15", 99, requested=c),
            ],
        }
    )
    assert answer["total_yen"] == a + b
    assert answer["objective"] == 100.0
    tight = run(
        {
            "budget_yen": a + b - 1,
            "proposals": [prop("A", "13", 50, requested=a), prop("B", "14", 51, requested=b)],
        }
    )
    assert awards(tight) == [("B", "full", b)]


def test_two_thousand_proposals_solve_exactly_and_quickly():
    rng = random.Random(7)
    proposals = []
    for i in range(2000):
        full = rng.choice([5, 8, 12, 15, 21, 28, 30]) * OKU
        score = round(rng.uniform(40, 95), 1)
        proposals.append(
            prop(
                f"P{i:04d}",
                f"{rng.randint(1, 47):02d}",
                score,
                ("full", full, score),
                ("reduced", full * 7 // 10, round(score * 0.85, 1)),
                ("equipment_only", full * 4 // 10, round(score * 0.6, 1)),
                ("minimal", full * 2 // 10, round(score * 0.35, 1)),
            )
        )
    doc = {"budget_yen": 2000 * 4 * OKU, "min_score": 50, "proposals": proposals}
    doc["max_per_block"] = {"kanto": 150}
    answer = run(doc)
    assert answer["status"] == "optimal"
    assert answer["solver"]["gap"] == 0.0
    assert answer["solver"]["seconds"] < 30
    assert answer["total_yen"] <= doc["budget_yen"]
    assert answer["objective"] > answer["baseline"]["objective"]
    assert len(answer["awards"]) + len(answer["unfunded"]) == 2000


# --- against the brute-force oracle -----------------------------------------------------------

PREFS = ["01", "02", "13", "14", "27", "37"]  # hokkaido, tohoku, kanto ×2, kinki, shikoku
BLOCKS = ["hokkaido", "tohoku", "kanto", "kinki", "shikoku"]


@st.composite
def instances(draw):
    unit = draw(st.sampled_from([1, 10_000_000, 123_457]))
    amounts = st.integers(min_value=1, max_value=30).map(lambda k: k * unit)
    if unit == 1:
        amounts = st.integers(min_value=1, max_value=3_000_000_000)
    values = st.sampled_from([0, 0.5, 1, 2, 2.5, 3, 10, 10.1, 33.3, -1])
    n = draw(st.integers(min_value=0, max_value=6))
    proposals = []
    for i in range(n):
        score = draw(st.sampled_from([40, 55, 60, 70, 70, 82.5]))
        p = {
            "id": f"P{draw(st.integers(0, 99)):02d}x{i}",
            "prefectures": [draw(st.sampled_from(PREFS))],
            "score": score,
        }
        if draw(st.booleans()):
            p["requested_yen"] = draw(amounts)
        else:
            k = draw(st.integers(min_value=1, max_value=3))
            p["options"] = [
                {"label": f"o{j}", "amount_yen": draw(amounts), "value": draw(values)}
                for j in range(k)
            ]
        proposals.append(p)
    total = sum(
        max([o["amount_yen"] for o in p.get("options", [])] + [p.get("requested_yen", 0)])
        for p in proposals
    )
    doc = {
        "budget_yen": draw(st.integers(min_value=0, max_value=max(total, 1))),
        "cap_yen": 3_000_000_000,
        "proposals": proposals,
    }
    if draw(st.booleans()):
        doc["min_score"] = draw(st.sampled_from([50, 60, 70]))
    if draw(st.booleans()):
        doc["min_per_block"] = {draw(st.sampled_from(BLOCKS)): draw(st.integers(0, 2))}
    if draw(st.booleans()):
        doc["max_per_block"] = {draw(st.sampled_from(BLOCKS)): draw(st.integers(0, 2))}
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_matches_the_brute_force_oracle(doc):
    answer = run(doc)
    expected = brute_force(doc)
    if expected is None:
        assert answer["status"] == "infeasible"
        assert answer["awards"] == []
        assert answer["reason"]
        return
    assert answer["status"] == "optimal"
    got_value = sum(
        (
            Decimal(repr(float(o["value"] if "value" in o else p["score"])))
            for a in answer["awards"]
            for p in doc["proposals"]
            if p["id"] == a["id"]
            for o in (p.get("options") or [{"label": "full", "value": p["score"]}])
            if o["label"] == a["option"]
        ),
        Decimal(0),
    )
    assert got_value == expected["value"]
    assert answer["objective"] == float(expected["value"])
    assert answer["total_yen"] == expected["total"]
    assert sorted(a["id"] for a in answer["awards"]) == expected["funded"]
    assert answer["total_yen"] == sum(a["amount_yen"] for a in answer["awards"])
    assert len(answer["awards"]) + len(answer["unfunded"]) == len(doc["proposals"])


def _dp_optimum(doc: dict, unit: int) -> tuple[int, int]:
    """Dynamic programme over money in `unit`s: (best value × 10, least total in yen)."""
    import numpy as np

    budget = doc["budget_yen"] // unit
    neg = -(10**15)
    best = np.full(budget + 1, neg, dtype=np.int64)
    best[0] = 0
    for p in doc["proposals"]:
        if p["score"] < doc["min_score"]:
            continue
        nxt = best.copy()
        for o in p["options"]:
            a = o["amount_yen"] // unit
            if a <= budget:
                np.maximum(nxt[a:], best[: budget + 1 - a] + round(o["value"] * 10), out=nxt[a:])
        best = nxt
    top = int(best.max())
    return top, int(np.argmax(best == top)) * unit


def test_large_instances_through_the_reduced_model_match_a_dynamic_programme():
    # 400 × 3-4 options is past the size where reduced-cost fixing and the core solve start.
    rng = random.Random(11)
    proposals = []
    for i in range(400):
        full = rng.choice([5, 6, 8, 9, 12, 15, 18, 21, 24, 28, 30])
        score = round(rng.uniform(40, 95), 1)
        options = [{"label": "full", "amount_yen": full * OKU // 10 * 10, "value": score}]
        for k in range(rng.randint(2, 3)):
            share = rng.uniform(0.45, 0.9) ** (k + 1)
            options.append(
                {
                    "label": f"r{k}",
                    "amount_yen": max(int(full * share), 1) * OKU // 10,
                    "value": round(score * share**0.5, 1),
                }
            )
        proposals.append(
            {"id": f"P{i:04d}", "prefectures": ["13"], "score": score, "options": options}
        )
    doc = {"budget_yen": 2300 * OKU // 10, "min_score": 50, "proposals": proposals}
    answer = run(doc)
    value10, least = _dp_optimum(doc, OKU // 10)
    assert round(answer["objective"] * 10) == value10
    assert answer["total_yen"] == least
    assert answer["solver"]["gap"] == 0.0
    assert answer["solver"]["fixed_columns"] > 0  # the reduced model was used


@st.composite
def instances_with_categories(draw):
    doc = draw(instances())
    for p in doc["proposals"]:
        category = draw(st.sampled_from(["構想", "基盤", None]))
        if category:
            p["category"] = category
    if draw(st.booleans()):
        doc["min_per_category"] = {draw(st.sampled_from(["構想", "基盤"])): draw(st.integers(0, 2))}
    if draw(st.booleans()):
        doc["max_per_category"] = {draw(st.sampled_from(["構想", "基盤"])): draw(st.integers(0, 2))}
    if draw(st.booleans()):
        doc["min_yen_per_category"] = {
            draw(st.sampled_from(["構想", "基盤"])): draw(st.integers(0, 4_000_000_000))
        }
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances_with_categories())
def test_categories_match_the_brute_force_oracle(doc):
    test_matches_the_brute_force_oracle.hypothesis.inner_test(doc)


def test_category_reservations():
    doc = {
        "budget_yen": 50 * OKU,
        "min_per_category": {"基盤": 1},
        "min_yen_per_category": {"構想": 25 * OKU},
        "proposals": [
            dict(prop("A", "13", 90, requested=30 * OKU), category="構想"),
            dict(prop("B", "27", 85, requested=20 * OKU), category="構想"),
            dict(prop("C", "01", 40, requested=20 * OKU), category="基盤"),
            dict(prop("D", "02", 30, requested=5 * OKU), category="基盤"),
        ],
    }
    answer = run(doc)
    # 構想 needs 25億 (A alone, or A+B); 基盤 one award: A + B would leave nothing for it.
    assert awards(answer) == [("A", "full", 30 * OKU), ("C", "full", 20 * OKU)]
    assert answer["categories"] == {
        "基盤": {"awards": 1, "amount_yen": 20 * OKU},
        "構想": {"awards": 1, "amount_yen": 30 * OKU},
    }
    doc["min_per_category"] = {"基盤": 3}
    answer = run(doc)
    assert answer["status"] == "infeasible"
    assert (
        answer["reason"]
        == "min_per_category.基盤 = 3 but only 2 fundable proposal(s) are in category 基盤"
    )
    doc["min_per_category"] = {"基盤": 2}
    doc["min_yen_per_category"] = {"構想": 46 * OKU}
    answer = run(doc)
    assert answer["status"] == "infeasible"
    assert answer["reason"] == (
        "no allocation meets the block and category limits together within the budget"
    )
