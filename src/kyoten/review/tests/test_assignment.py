"""The assignment solver: hand cases, infeasible cases with reasons, and a brute-force oracle."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoten.review.assign_inputs import InputError, parse_problem
from kyoten.review.assignment import (
    AssignmentProblem,
    ProposalIn,
    ReviewerIn,
    conflict_reason,
    greedy,
    jaccard,
    solve,
)


def problem(k, load, proposals, reviewers, **extra):
    return parse_problem(
        {
            "reviewers_per_proposal": k,
            "max_load": load,
            "proposals": proposals,
            "reviewers": reviewers,
            **extra,
        }
    )


def test_jaccard_is_exact_and_zero_for_two_empty_sets():
    assert jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == Fraction(1, 3)
    assert jaccard(frozenset(), frozenset()) == 0
    assert jaccard(frozenset({"a"}), frozenset()) == 0


def test_the_three_kinds_of_conflict():
    p = ProposalIn(id="P01", prefectures=frozenset({"01", "02"}), organizations=frozenset({"北大"}))
    assert conflict_reason(p, ReviewerIn(id="R1", conflicts=frozenset({"P01"}))) == (
        "R1 declared a conflict with P01"
    )
    assert conflict_reason(p, ReviewerIn(id="R2", organizations=frozenset({"北大", "x"}))) == (
        "R2 shares an organization with P01: 北大"
    )
    assert conflict_reason(p, ReviewerIn(id="R3", prefecture="02")) == (
        "R3's prefecture 02 takes part in P01"
    )
    assert conflict_reason(p, ReviewerIn(id="R4", prefecture="13")) is None


def test_spec_example_shape_and_optimum():
    result = solve(
        problem(
            2,
            2,
            [
                {
                    "id": "P01",
                    "prefectures": ["01"],
                    "organizations": ["北海道大学"],
                    "keywords": ["材料", "医療"],
                },
                {
                    "id": "P02",
                    "prefectures": ["04"],
                    "organizations": ["東北大学"],
                    "keywords": ["材料"],
                },
            ],
            [
                {
                    "id": "R01",
                    "prefecture": "04",
                    "organizations": ["東北大学"],
                    "keywords": ["材料"],
                    "conflicts": ["P05"],
                },
                {"id": "R02", "prefecture": "13", "keywords": ["医療"]},
                {"id": "R03", "prefecture": "13", "keywords": []},
            ],
        )
    )
    assert result.as_json() == {
        "status": "optimal",
        "assignments": [
            {"proposal": "P01", "reviewers": ["R01", "R02"]},
            {"proposal": "P02", "reviewers": ["R02", "R03"]},
        ],
        "affinity": 1.0,
        "reason": "",
    }


def test_optimum_beats_greedy_when_greedy_is_myopic():
    # Greedy takes the best pair P1-R1 (1.0) and leaves P2 with R2 only (0.0): 1.0 in total.
    # The optimum gives R1 to P2 (0.5) and R2 to P1 (2/3): 7/6.
    data = dict(
        k=1,
        load=1,
        proposals=[
            {"id": "P1", "keywords": ["a", "b"]},
            {"id": "P2", "keywords": ["a", "c"]},
        ],
        reviewers=[
            {"id": "R1", "keywords": ["a", "b"]},
            {"id": "R2", "keywords": ["b"]},
        ],
    )
    p = problem(data["k"], data["load"], data["proposals"], data["reviewers"])
    assert greedy(p).affinity == 1.0
    # P1: R1 → 1, R2 → 1/2; P2: R1 → 1/3, R2 → 0. Best: P1-R1 + P2-R2 = 1 vs P1-R2 + P2-R1 = 5/6.
    assert solve(p).as_json() == {
        "status": "optimal",
        "assignments": [
            {"proposal": "P1", "reviewers": ["R1"]},
            {"proposal": "P2", "reviewers": ["R2"]},
        ],
        "affinity": 1.0,
        "reason": "",
    }


def test_greedy_gets_stuck_where_the_solver_finds_a_full_assignment():
    p = problem(
        1,
        1,
        [{"id": "P1", "keywords": ["a"]}, {"id": "P2", "keywords": ["b"], "organizations": ["X"]}],
        [{"id": "R1", "keywords": ["a", "b"]}, {"id": "R2", "organizations": ["X"]}],
    )
    # Greedy gives R1 to P1 (1/2 ≥ 1/2, lower index first); P2 is left with R2, a conflict.
    assert greedy(p).status == "infeasible"
    assert solve(p).as_json() == {
        "status": "optimal",
        "assignments": [
            {"proposal": "P1", "reviewers": ["R2"]},
            {"proposal": "P2", "reviewers": ["R1"]},
        ],
        "affinity": 0.5,
        "reason": "",
    }


def test_no_proposals_is_trivially_optimal():
    assert solve(problem(3, 0, [], [])).as_json() == {
        "status": "optimal",
        "assignments": [],
        "affinity": 0.0,
        "reason": "",
    }


def test_infeasible_names_the_proposal_with_too_few_conflict_free_reviewers():
    result = solve(
        problem(
            2,
            5,
            [{"id": "P1"}, {"id": "P2", "prefectures": ["13"], "organizations": ["東大"]}],
            [
                {"id": "R1", "prefecture": "13"},
                {"id": "R2", "organizations": ["東大"]},
                {"id": "R3"},
            ],
        )
    )
    assert result.as_json() == {
        "status": "infeasible",
        "assignments": [],
        "affinity": 0.0,
        "reason": "P2 has only 1 conflict-free reviewer but needs 2",
    }


def test_infeasible_when_total_capacity_is_short_says_so_with_numbers():
    result = solve(
        problem(2, 1, [{"id": "P1"}, {"id": "P2"}], [{"id": "R1"}, {"id": "R2"}, {"id": "R3"}])
    )
    assert result.status == "infeasible"
    assert result.reason == (
        "not enough capacity in total: 2 proposals × 2 reviewers = 4 reviews needed, "
        "but 3 reviewers × max_load 1 give at most 3"
    )


def test_max_load_zero_is_infeasible_but_not_bad_input():
    result = solve(problem(1, 0, [{"id": "P1"}], [{"id": "R1"}]))
    assert (result.status, result.reason) == (
        "infeasible",
        "not enough capacity in total: 1 proposal × 1 reviewer = 1 review needed, "
        "but 1 reviewer × max_load 0 give at most 0",
    )


def test_infeasible_in_general_names_the_min_cut_group():
    # Each proposal alone is fine and the total capacity suffices, but P1 and P2 share the
    # same three conflict-free reviewers, who can give only 3 of the 4 reviews they need.
    result = solve(
        problem(
            2,
            1,
            [
                {"id": "P1", "organizations": ["A"]},
                {"id": "P2", "organizations": ["A"]},
                {"id": "P3"},
            ],
            [
                {"id": "R1"},
                {"id": "R2"},
                {"id": "R3"},
                {"id": "R4", "organizations": ["A"]},
                {"id": "R5", "organizations": ["A"]},
                {"id": "R6", "organizations": ["A"]},
            ],
        )
    )
    assert result.as_json() == {
        "status": "infeasible",
        "assignments": [],
        "affinity": 0.0,
        "reason": "proposals P1, P2 cannot all be covered: together they need 4 reviews but "
        "their eligible reviewers can give at most 3 within max_load 1",
    }


def test_pins_are_kept_and_forbidden_pairs_avoided():
    p = problem(
        1,
        2,
        [{"id": "P1", "keywords": ["a"]}, {"id": "P2", "keywords": ["b"]}],
        [{"id": "R1", "keywords": ["a", "b"]}, {"id": "R2", "keywords": ["b"]}, {"id": "R3"}],
        pinned=[["P1", "R3"]],
        forbidden=[["P2", "R2"]],
    )
    assert solve(p).as_json() == {
        "status": "optimal",
        "assignments": [
            {"proposal": "P1", "reviewers": ["R3"]},
            {"proposal": "P2", "reviewers": ["R1"]},
        ],
        "affinity": 0.5,
        "reason": "",
    }


def test_forbidden_pairs_can_make_it_infeasible_and_the_reason_says_eligible():
    p = problem(1, 1, [{"id": "P1"}], [{"id": "R1"}], forbidden=[["P1", "R1"]])
    assert solve(p).reason == (
        "P1 has only 0 eligible (conflict-free, not forbidden) reviewers but needs 1"
    )


def test_a_reviewer_with_a_lower_own_limit():
    p = problem(
        1,
        2,
        [{"id": "P1", "keywords": ["a", "b"]}, {"id": "P2", "keywords": ["a"]}],
        [{"id": "R1", "keywords": ["a"], "max_load": 1}, {"id": "R2"}],
    )
    # Without its own limit R1 would review both (1/2 + 1).
    assert solve(p).as_json()["assignments"] == [
        {"proposal": "P1", "reviewers": ["R2"]},
        {"proposal": "P2", "reviewers": ["R1"]},
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"pinned": [["P1", "R1"]]},
            "pinned[0]: cannot pin a conflicted pair (R1 shares an organization with P1: X)",
        ),
        (
            {"pinned": [["P1", "R2"]], "forbidden": [["P1", "R2"]]},
            "pinned[0]: P1–R2 is both pinned and forbidden",
        ),
        (
            {"pinned": [["P1", "R2"], ["P1", "R3"]]},
            "pinned: P1 has 2 pinned reviewers, more than reviewers_per_proposal (1)",
        ),
        (
            {"pinned": [["P1", "R2"], ["P2", "R2"]]},
            "pinned: R2 is pinned to 2 proposals, more than max_load (1)",
        ),
        ({"forbidden": [["P1"]]}, 'forbidden[0]: must be a pair of ids ["proposal", "reviewer"]'),
    ],
)
def test_bad_pins(extra, message):
    with pytest.raises(InputError) as exc:
        problem(
            1,
            1,
            [{"id": "P1", "organizations": ["X"]}, {"id": "P2"}],
            [{"id": "R1", "organizations": ["X"]}, {"id": "R2"}, {"id": "R3"}],
            **extra,
        )
    assert exc.value.problems == [message]


def test_a_larger_instance_is_optimal_and_integral():
    # 40 × 15, k 3, load 8: compared with the greedy baseline and checked constraint by constraint.
    import random

    rng = random.Random(7)
    words = [f"w{i}" for i in range(12)]
    proposals = [
        {
            "id": f"P{i:02d}",
            "prefectures": [f"{rng.randint(1, 47):02d}"],
            "organizations": [f"U{rng.randint(0, 9)}"],
            "keywords": rng.sample(words, 3),
        }
        for i in range(40)
    ]
    reviewers = [
        {
            "id": f"R{j:02d}",
            "prefecture": f"{rng.randint(1, 47):02d}",
            "organizations": [f"U{rng.randint(0, 9)}"],
            "keywords": rng.sample(words, 4),
        }
        for j in range(15)
    ]
    p = problem(3, 8, proposals, reviewers)
    result = solve(p)
    assert result.status == "optimal"
    assert_valid(p, result.as_json())
    baseline = greedy(p)
    assert result.affinity >= baseline.affinity


# --- brute force oracle ----------------------------------------------------------------------


def oracle(p: AssignmentProblem) -> Fraction | None:
    """Best total affinity by trying every assignment, or None when none exists."""
    k = p.reviewers_per_proposal
    reviewers = {r.id: r for r in p.reviewers}
    options = []
    for prop in p.proposals:
        pinned = {rid for pid, rid in p.pinned if pid == prop.id}
        free = [
            r.id
            for r in p.reviewers
            if r.id not in pinned
            and (prop.id, r.id) not in p.forbidden
            and conflict_reason(prop, r) is None
        ]
        options.append(
            [
                tuple(sorted(pinned)) + combo
                for combo in itertools.combinations(free, k - len(pinned))
            ]
            if k >= len(pinned)
            else []
        )
    best = None
    for choice in itertools.product(*options):
        load: dict[str, int] = {}
        for rids in choice:
            for rid in rids:
                load[rid] = load.get(rid, 0) + 1
        if any(n > p.capacity_of(reviewers[rid]) for rid, n in load.items()):
            continue
        value = sum(
            (
                jaccard(prop.keywords, reviewers[rid].keywords)
                for prop, rids in zip(p.proposals, choice, strict=True)
                for rid in rids
            ),
            Fraction(0),
        )
        if best is None or value > best:
            best = value
    return best


def assert_valid(p: AssignmentProblem, answer: dict) -> None:
    """Check the JSON answer against the rules, independently of the solver's own checks."""
    k = p.reviewers_per_proposal
    props = {q.id: q for q in p.proposals}
    revs = {r.id: r for r in p.reviewers}
    assert [a["proposal"] for a in answer["assignments"]] == [q.id for q in p.proposals]
    load: dict[str, int] = {}
    total = Fraction(0)
    for a in answer["assignments"]:
        rids = a["reviewers"]
        assert rids == sorted(set(rids)) and len(rids) == k
        for rid in rids:
            prop, rev = props[a["proposal"]], revs[rid]
            assert prop.id not in rev.conflicts
            assert not prop.organizations & rev.organizations
            assert rev.prefecture not in prop.prefectures
            assert (prop.id, rid) not in p.forbidden
            load[rid] = load.get(rid, 0) + 1
            total += jaccard(prop.keywords, rev.keywords)
        for pid, rid in p.pinned:
            if pid == a["proposal"]:
                assert rid in rids
    assert all(n <= p.capacity_of(revs[rid]) for rid, n in load.items())
    assert answer["affinity"] == pytest.approx(float(total), abs=1e-9)


words = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=3)
orgs = st.lists(st.sampled_from(["X", "Y", "Z"]), max_size=1)
prefs = st.sampled_from(["01", "02", "03"])


@st.composite
def instances(draw):
    n_p = draw(st.integers(1, 4))
    n_r = draw(st.integers(1, 5))
    pids = [f"P{i}" for i in range(n_p)]
    rids = [f"R{j}" for j in range(n_r)]
    proposals = [
        {
            "id": pid,
            "prefectures": draw(st.lists(prefs, max_size=2, unique=True)),
            "organizations": draw(orgs),
            "keywords": draw(words),
        }
        for pid in pids
    ]
    reviewers = [
        {
            "id": rid,
            "prefecture": draw(st.one_of(st.none(), prefs)),
            "organizations": draw(orgs),
            "keywords": draw(words),
            "conflicts": draw(st.lists(st.sampled_from(pids), max_size=1)),
        }
        for rid in rids
    ]
    pairs = st.tuples(st.sampled_from(pids), st.sampled_from(rids)).map(list)
    data = {
        "reviewers_per_proposal": draw(st.integers(1, 3)),
        "max_load": draw(st.integers(0, 4)),
        "proposals": proposals,
        "reviewers": reviewers,
        "pinned": draw(st.lists(pairs, max_size=2)),
        "forbidden": draw(st.lists(pairs, max_size=2)),
    }
    try:
        return parse_problem(data)
    except InputError:  # e.g. a pin on a conflicted pair: drop the pins, keep the instance
        data["pinned"] = []
        return parse_problem(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_matches_brute_force_oracle(p):
    best = oracle(p)
    result = solve(p)
    answer = result.as_json()
    if best is None:
        assert answer["status"] == "infeasible"
        assert answer["assignments"] == []
        assert answer["reason"]
    else:
        assert answer["status"] == "optimal", answer["reason"]
        assert answer["reason"] == ""
        assert_valid(p, answer)
        assert answer["affinity"] == pytest.approx(float(best), abs=1e-9)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_cycle_cancelling_alone_turns_any_feasible_start_into_an_optimum(p):
    """The exact certificate is also an optimiser: start it from the greedy answer."""
    from kyoten.review.assignment import _build, _cancel_negative_cycles

    start = greedy(p)
    if start.status != "optimal":
        return
    model = _build(p)
    chosen = {(pid, rid) for pid, rids in start.assignments for rid in rids}
    x = np.array(
        [
            int((p.proposals[i].id, p.reviewers[j].id) in chosen)
            for i, j in zip(model.edge_p, model.edge_r, strict=True)
        ],
        dtype=np.int64,
    )
    improved, _ = _cancel_negative_cycles(model, x)
    value = sum((model.weight[e] for e in np.nonzero(improved)[0]), Fraction(0)) + sum(
        (
            jaccard(p.proposals[i].keywords, p.reviewers[j].keywords)
            for i, js in model.pinned_by_p.items()
            for j in js
        ),
        Fraction(0),
    )
    assert value == oracle(p)


def test_exact_certificate_with_a_huge_common_denominator():
    """Union sizes 1..37 make the lcm of the denominators ~2.5e15: Python integers are used."""
    from kyoten.review.assignment import _build, _integer_weights

    words = [f"k{i}" for i in range(40)]
    p = problem(
        3,
        2,
        [{"id": "P1", "keywords": ["k0"]}, {"id": "P2", "keywords": ["k0", "k1"]}],
        [{"id": f"R{n:02d}", "keywords": words[:n]} for n in range(1, 38)],
    )
    assert _integer_weights(_build(p).weight).dtype == object
    result = solve(p)
    assert result.status == "optimal"
    assert_valid(p, result.as_json())
    assert result.affinity == pytest.approx(float(oracle_small(p)), abs=1e-12)


def oracle_small(p: AssignmentProblem) -> Fraction:
    """Best for this instance by reasoning: P2 values R02 (1), R03 (2/3), R04 (1/2); P1 values
    R01 (1), R02 (1/2), R03 (1/3); max_load 2 lets both take their best three."""
    return (
        Fraction(1)
        + Fraction(1, 2)
        + Fraction(1, 3)
        + Fraction(1)
        + Fraction(2, 3)
        + Fraction(1, 2)
    )


def test_absurdly_large_limits_are_answers_not_crashes():
    big = 10**30
    assert solve(problem(1, big, [{"id": "P1"}], [{"id": "R1"}])).as_json() == {
        "status": "optimal",
        "assignments": [{"proposal": "P1", "reviewers": ["R1"]}],
        "affinity": 0.0,
        "reason": "",
    }
    result = solve(problem(big, 1, [{"id": "P1"}], [{"id": "R1"}]))
    assert result.reason.startswith(f"P1 has only 1 conflict-free reviewer but needs {big}")
