"""Optimal reviewer assignment with conflicts of interest (pure Python, no Django).

The problem (SPEC §4, `kyoten assign`): every proposal gets exactly k distinct reviewers, no
reviewer more than `max_load` proposals, no conflicted pair, and the total affinity (Jaccard
overlap of keywords, summed over the chosen pairs) is as large as possible.

Method. The problem is a transportation problem: proposals supply k units each, reviewers
absorb at most `max_load` units, each eligible pair carries 0 or 1 unit. Its constraint matrix
is the incidence matrix of a bipartite graph, hence totally unimodular, so every vertex of the
LP relaxation is integral. We

1. solve the LP with the HiGHS simplex (built from arrays, one column per eligible pair),
2. check that the vertex is integral (and fall back to a HiGHS MIP if, against theory, it is
   not),
3. certify optimality *exactly*: the Jaccard values are rationals, scaled to integers by the
   least common multiple of their denominators (int64, or Python integers when that is huge); a Bellman-Ford pass over the residual graph
   looks for a negative cycle (an exchange of reviewers that would raise the affinity) and
   cancels any it finds, until none is left. No negative cycle in the residual graph is the
   classic optimality condition of a min-cost flow, so the answer is optimal, not merely
   within a solver tolerance,
4. check every constraint again in integers.

Infeasibility is explained by a max-flow / min-cut argument: the set of proposals on the
source side of a minimum cut needs more reviews than their conflict-free reviewers can give.
The simple cases get plain sentences first: a proposal with fewer than k eligible reviewers,
or too little capacity in total (proposals × k > reviewers × max_load).

Extension used by the officer's "assign reviewers" button: `pinned` pairs are fixed in the
answer, `forbidden` pairs are never used.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: start-up and pages stay light
    import numpy as np

STATUS_OPTIMAL = "optimal"
STATUS_INFEASIBLE = "infeasible"

# Integer scaling of the Jaccard values for the exact optimality check: while the least
# common multiple of the denominators stays below this, every sum is exact in int64.
_MAX_EXACT_SCALE = 2**40
_INTEGRALITY_TOL = 1e-6


class SolverError(RuntimeError):
    """The solver failed in a way the theory says it cannot (a bug, never bad input)."""


@dataclass(frozen=True)
class ProposalIn:
    id: str
    prefectures: frozenset[str] = frozenset()
    organizations: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReviewerIn:
    id: str
    prefecture: str | None = None
    organizations: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    # Extension (web button): a reviewer's own limit, lower than the committee's max_load.
    max_load: int | None = None


@dataclass(frozen=True)
class AssignmentProblem:
    reviewers_per_proposal: int
    max_load: int
    proposals: tuple[ProposalIn, ...]
    reviewers: tuple[ReviewerIn, ...]
    pinned: frozenset[tuple[str, str]] = frozenset()
    forbidden: frozenset[tuple[str, str]] = frozenset()

    def capacity_of(self, reviewer: ReviewerIn) -> int:
        if reviewer.max_load is None:
            return self.max_load
        return min(self.max_load, reviewer.max_load)


@dataclass
class AssignmentResult:
    status: str
    assignments: list[tuple[str, list[str]]] = field(default_factory=list)
    affinity: float = 0.0
    reason: str = ""
    # Not part of the JSON answer: how the answer was found (for the benchmark and the log).
    method: str = ""
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "assignments": [
                {"proposal": pid, "reviewers": list(rids)} for pid, rids in self.assignments
            ],
            "affinity": self.affinity,
            "reason": self.reason,
        }


# --- conflicts and affinity ----------------------------------------------------------------


def conflict_reason(proposal: ProposalIn, reviewer: ReviewerIn) -> str | None:
    """Why this reviewer may not review this proposal, or None when they may."""
    if proposal.id in reviewer.conflicts:
        return f"{reviewer.id} declared a conflict with {proposal.id}"
    shared = sorted(proposal.organizations & reviewer.organizations)
    if shared:
        return f"{reviewer.id} shares an organization with {proposal.id}: {', '.join(shared)}"
    if reviewer.prefecture is not None and reviewer.prefecture in proposal.prefectures:
        return f"{reviewer.id}'s prefecture {reviewer.prefecture} takes part in {proposal.id}"
    return None


def jaccard(a: frozenset[str], b: frozenset[str]) -> Fraction:
    """|a ∩ b| / |a ∪ b|, exactly; 0 when both sets are empty."""
    union = len(a | b)
    if union == 0:
        return Fraction(0)
    return Fraction(len(a & b), union)


# --- solver chatter ------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Send whatever C code prints on file descriptor 1 to /dev/null meanwhile.

    HiGHS prints a banner on construction whatever its options say; a command whose stdout
    is JSON must not let it through. C stdio buffers are flushed before fd 1 is restored,
    so nothing leaks out later either.
    """
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError):
        pass
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 at all: nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _flush_c_stdio() -> None:
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):  # not a POSIX libc: nothing buffered to flush
        pass


# --- the model -----------------------------------------------------------------------------


@dataclass
class _Model:
    """Index form of a problem: pinned pairs are already taken out."""

    problem: AssignmentProblem
    demand: np.ndarray  # per proposal: k minus its pins
    capacity: np.ndarray  # per reviewer: its limit minus its pins
    edge_p: np.ndarray  # eligible (free) pairs: proposal index
    edge_r: np.ndarray  # eligible (free) pairs: reviewer index
    weight: list[Fraction]  # exact Jaccard per edge
    eligible_count: list[int]  # per proposal: pinned + free eligible reviewers
    pinned_by_p: dict[int, list[int]]


def _build(problem: AssignmentProblem) -> _Model:
    import numpy as np

    p_index = {p.id: i for i, p in enumerate(problem.proposals)}
    r_index = {r.id: j for j, r in enumerate(problem.reviewers)}
    k = problem.reviewers_per_proposal
    pinned_by_p: dict[int, list[int]] = {}
    pins_of_r = [0] * len(problem.reviewers)
    for pid, rid in sorted(problem.pinned):
        i, j = p_index[pid], r_index[rid]
        pinned_by_p.setdefault(i, []).append(j)
        pins_of_r[j] += 1
    # Clamped so that absurd limits (10**30) fit in int64 without changing the answer: nobody
    # reviews more than every proposal, no proposal can use more than every reviewer.
    k_eff = min(k, len(problem.reviewers) + 1)
    demand = np.array(
        [k_eff - len(pinned_by_p.get(i, [])) for i in range(len(problem.proposals))],
        dtype=np.int64,
    )
    capacity = np.array(
        [
            min(problem.capacity_of(r), len(problem.proposals)) - pins_of_r[j]
            for j, r in enumerate(problem.reviewers)
        ],
        dtype=np.int64,
    )
    edge_p: list[int] = []
    edge_r: list[int] = []
    weight: list[Fraction] = []
    eligible_count = []
    for i, p in enumerate(problem.proposals):
        count = len(pinned_by_p.get(i, []))
        pinned_here = set(pinned_by_p.get(i, []))
        for j, r in enumerate(problem.reviewers):
            if j in pinned_here or (p.id, r.id) in problem.forbidden:
                continue
            if conflict_reason(p, r) is not None:
                continue
            edge_p.append(i)
            edge_r.append(j)
            weight.append(jaccard(p.keywords, r.keywords))
            count += 1
        eligible_count.append(count)
    return _Model(
        problem=problem,
        demand=demand,
        capacity=capacity,
        edge_p=np.array(edge_p, dtype=np.int64),
        edge_r=np.array(edge_r, dtype=np.int64),
        weight=weight,
        eligible_count=eligible_count,
        pinned_by_p=pinned_by_p,
    )


def _highs_lp(
    model: _Model, cost: np.ndarray, *, integral: bool = False
) -> tuple[str, np.ndarray | None]:
    """Minimise cost·x s.t. proposal rows = demand, reviewer rows <= capacity, 0 <= x <= 1."""
    return _solve_transport(model, cost, proposal_lower=model.demand, integral=integral)


def _solve_transport(
    model: _Model, cost: np.ndarray, *, proposal_lower: np.ndarray, integral: bool = False
) -> tuple[str, np.ndarray | None]:
    import highspy
    import numpy as np

    n = len(model.edge_p)
    num_p = len(model.demand)
    num_r = len(model.capacity)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = num_p + num_r
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.concatenate([np.asarray(proposal_lower, dtype=np.float64), np.zeros(num_r)])
    lp.row_upper_ = np.concatenate(
        [model.demand.astype(np.float64), model.capacity.astype(np.float64)]
    )
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * n + 1, 2, dtype=np.int32)
    index = np.empty(2 * n, dtype=np.int32)
    index[0::2] = model.edge_p
    index[1::2] = num_p + model.edge_r
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(2 * n)
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("log_to_console", False)
        if not integral:
            h.setOptionValue("solver", "simplex")
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        x = np.array(h.getSolution().col_value, dtype=np.float64) if n else np.zeros(0)
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", x
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible", None
    raise SolverError(f"HiGHS stopped with status {h.modelStatusToString(status)}")


def _round_integral(x: np.ndarray) -> np.ndarray | None:
    import numpy as np

    rounded = np.rint(x)
    if len(x) and float(np.max(np.abs(x - rounded))) > _INTEGRALITY_TOL:
        return None
    return rounded.astype(np.int64)


# --- exact optimality certificate ----------------------------------------------------------


def _integer_weights(weight: Sequence[Fraction]) -> np.ndarray:
    """The weights times the lcm of their denominators: exact integers.

    int64 while the scale keeps every path sum far from overflow; Python integers (numpy
    object arrays, slower but exact) beyond that.
    """
    import numpy as np

    scale = 1
    for w in weight:
        scale = math.lcm(scale, w.denominator)
    values = [w.numerator * (scale // w.denominator) for w in weight]
    if scale <= _MAX_EXACT_SCALE:
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)


def _negative_cycle(
    num_nodes: int, src: np.ndarray, dst: np.ndarray, cost: np.ndarray
) -> list[int] | None:
    """Edge indices of a negative cycle, or None when there is none (Bellman-Ford)."""
    import numpy as np

    if len(src) == 0:
        return None
    dist = np.zeros(num_nodes, dtype=cost.dtype)
    pred = np.full(num_nodes, -1, dtype=np.int64)
    last_changed = None
    for _ in range(num_nodes + 1):
        cand = dist[src] + cost
        best = dist.copy()
        np.minimum.at(best, dst, cand)
        changed = np.asarray(best < dist, dtype=bool)
        if not changed.any():
            return None
        improving = np.nonzero(changed[dst] & (cand == best[dst]))[0]
        pred[dst[improving]] = improving
        dist = np.where(changed, best, dist)
        last_changed = int(np.nonzero(changed)[0][0])
    # Still improving after |V| rounds: walk back |V| steps to land on the cycle.
    v = last_changed
    for _ in range(num_nodes):
        v = int(src[pred[v]])
    cycle = []
    u = v
    while True:
        e = int(pred[u])
        cycle.append(e)
        u = int(src[e])
        if u == v:
            break
        if len(cycle) > num_nodes:  # not a cycle after all: give up safely
            return None
    cycle.reverse()
    return cycle


def _cancel_negative_cycles(model: _Model, x: np.ndarray) -> tuple[np.ndarray, int]:
    """Improve x until the residual graph has no negative cycle; returns (x, cycles cancelled).

    Nodes: proposals 0..P-1, reviewers P..P+R-1, sink P+R. Since every proposal's demand is
    met exactly, no cycle passes through the source.
    """
    import numpy as np

    num_p, num_r = len(model.demand), len(model.capacity)
    sink = num_p + num_r
    w = _integer_weights(model.weight)
    x = x.copy()
    cancelled = 0
    n = len(x)
    r_nodes = num_p + np.arange(num_r, dtype=np.int64)
    while True:
        load = np.bincount(model.edge_r[x == 1], minlength=num_r) if n else np.zeros(num_r)
        # Residual edges: free pair p->r (cost -w), used pair r->p (cost +w),
        # spare capacity r->sink, used capacity sink->r (cost 0).
        on = x == 1
        src = np.concatenate(
            [
                np.where(on, num_p + model.edge_r, model.edge_p),
                r_nodes[load < model.capacity],
                np.full(int((load > 0).sum()), sink, dtype=np.int64),
            ]
        )
        dst = np.concatenate(
            [
                np.where(on, model.edge_p, num_p + model.edge_r),
                np.full(int((load < model.capacity).sum()), sink, dtype=np.int64),
                r_nodes[load > 0],
            ]
        )
        cost = np.concatenate([np.where(on, w, -w), np.zeros(len(src) - n, dtype=w.dtype)])
        cycle = _negative_cycle(num_p + num_r + 1, src, dst, cost)
        if cycle is None:
            return x, cancelled
        if cost[cycle].sum() >= 0:
            raise SolverError("Bellman-Ford returned a cycle that is not negative")
        for e in cycle:
            if e < n:
                x[e] = 1 - x[e]
        cancelled += 1


# --- infeasibility explained ---------------------------------------------------------------


def _explain_infeasible(model: _Model) -> str:
    problem = model.problem
    k = problem.reviewers_per_proposal
    reasons = []
    short = [
        (p.id, model.eligible_count[i])
        for i, p in enumerate(problem.proposals)
        if model.eligible_count[i] < k
    ]
    restricted = bool(problem.forbidden)
    for pid, count in short:
        what = "eligible (conflict-free, not forbidden)" if restricted else "conflict-free"
        reasons.append(f"{pid} has only {_n(count, what + ' reviewer')} but needs {k}")
    total_need = len(problem.proposals) * k
    total_give = sum(problem.capacity_of(r) for r in problem.reviewers)
    if total_need > total_give:
        reasons.append(
            f"not enough capacity in total: {_n(len(problem.proposals), 'proposal')} × "
            f"{_n(k, 'reviewer')} = {_n(total_need, 'review')} needed, but "
            f"{_n(len(problem.reviewers), 'reviewer')} × max_load {problem.max_load} "
            f"give at most {total_give}"
        )
    if reasons:
        return "; ".join(reasons)
    return _explain_by_min_cut(model)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _explain_by_min_cut(model: _Model) -> str:
    """Name the proposals on the source side of a minimum cut (they cannot all be covered)."""
    import numpy as np

    problem = model.problem
    num_p, num_r = len(model.demand), len(model.capacity)
    status, x = _solve_transport(model, -np.ones(len(model.edge_p)), proposal_lower=np.zeros(num_p))
    if status != "optimal" or x is None:
        raise SolverError("the max-flow LP has no optimum")
    flow = _round_integral(x)
    if flow is None:
        raise SolverError("the max-flow LP vertex is not integral")
    used_p = np.bincount(model.edge_p[flow == 1], minlength=num_p)
    used_r = np.bincount(model.edge_r[flow == 1], minlength=num_r)
    # Reachability from the source in the residual graph.
    adj_p: list[list[int]] = [[] for _ in range(num_p)]  # p -> r over free pairs
    adj_r: list[list[int]] = [[] for _ in range(num_r)]  # r -> p over used pairs
    for e in range(len(flow)):
        i, j = int(model.edge_p[e]), int(model.edge_r[e])
        if flow[e] == 1:
            adj_r[j].append(i)
        else:
            adj_p[i].append(j)
    seen_p = [bool(used_p[i] < model.demand[i]) for i in range(num_p)]
    seen_r = [False] * num_r
    stack = [("p", i) for i in range(num_p) if seen_p[i]]
    while stack:
        kind, v = stack.pop()
        if kind == "p":
            for j in adj_p[v]:
                if not seen_r[j]:
                    seen_r[j] = True
                    stack.append(("r", j))
        else:
            for i in adj_r[v]:
                if not seen_p[i]:
                    seen_p[i] = True
                    stack.append(("p", i))
    group = [i for i in range(num_p) if seen_p[i]]
    if any(seen_r[j] and used_r[j] < model.capacity[j] for j in range(num_r)):
        raise SolverError("max flow is not maximal (augmenting path left)")
    need = int(sum(model.demand[i] for i in group))
    give = int(sum(used_p[i] for i in group))
    ids = ", ".join(problem.proposals[i].id for i in group)
    pinned = sum(len(model.pinned_by_p.get(i, [])) for i in group)
    extra = f" beyond their {pinned} pinned reviewers" if pinned else ""
    return (
        f"proposals {ids} cannot all be covered: together they need {need} reviews{extra} "
        f"but their eligible reviewers can give at most {give} within max_load "
        f"{problem.max_load}"
    )


# --- entry points --------------------------------------------------------------------------


def _answer(model: _Model, x: np.ndarray, method: str) -> AssignmentResult:
    import numpy as np

    problem = model.problem
    chosen: dict[int, list[str]] = {
        i: [problem.reviewers[j].id for j in js] for i, js in model.pinned_by_p.items()
    }
    affinity_terms: list[Fraction] = []
    for i, js in model.pinned_by_p.items():
        for j in js:
            affinity_terms.append(
                jaccard(problem.proposals[i].keywords, problem.reviewers[j].keywords)
            )
    for e in np.nonzero(x == 1)[0]:
        i, j = int(model.edge_p[e]), int(model.edge_r[e])
        chosen.setdefault(i, []).append(problem.reviewers[j].id)
        affinity_terms.append(model.weight[e])
    assignments = [(p.id, sorted(chosen.get(i, []))) for i, p in enumerate(problem.proposals)]
    result = AssignmentResult(
        status=STATUS_OPTIMAL,
        assignments=assignments,
        affinity=_as_float(sum(affinity_terms, Fraction(0))),
        method=method,
    )
    problems = check_assignment(problem, assignments)
    if problems:
        raise SolverError("; ".join(problems))
    return result


def _as_float(value: Fraction) -> float:
    """The double nearest to the exact total (the sum is kept exact until here)."""
    return float(value)


def check_assignment(
    problem: AssignmentProblem, assignments: Sequence[tuple[str, Sequence[str]]]
) -> list[str]:
    """Every constraint the answer must keep; an empty list when all hold."""
    errors = []
    proposals = {p.id: p for p in problem.proposals}
    reviewers = {r.id: r for r in problem.reviewers}
    load: dict[str, int] = {}
    covered = set()
    k = problem.reviewers_per_proposal
    for pid, rids in assignments:
        covered.add(pid)
        if len(rids) != k or len(set(rids)) != len(rids):
            errors.append(f"{pid}: has {len(set(rids))} distinct reviewers, needs {k}")
        for rid in rids:
            load[rid] = load.get(rid, 0) + 1
            if (pid, rid) in problem.forbidden:
                errors.append(f"{pid}: {rid} is forbidden")
            reason = conflict_reason(proposals[pid], reviewers[rid])
            if reason and (pid, rid) not in problem.pinned:
                errors.append(f"{pid}: {reason}")
        for pinned_pid, rid in problem.pinned:
            if pinned_pid == pid and rid not in rids:
                errors.append(f"{pid}: pinned reviewer {rid} missing")
    for rid, n in load.items():
        if n > problem.capacity_of(reviewers[rid]):
            errors.append(f"{rid}: load {n} above {problem.capacity_of(reviewers[rid])}")
    missing = set(proposals) - covered
    if missing:
        errors.append(f"proposals without assignment: {', '.join(sorted(missing))}")
    return errors


def solve(problem: AssignmentProblem) -> AssignmentResult:
    """The optimal assignment, or status "infeasible" with the reason."""
    import time

    import numpy as np

    started = time.perf_counter()
    model = _build(problem)
    total_demand = int(model.demand.sum())
    need_explain = any(
        model.eligible_count[i] < problem.reviewers_per_proposal
        for i in range(len(problem.proposals))
    ) or len(problem.proposals) * problem.reviewers_per_proposal > sum(
        problem.capacity_of(r) for r in problem.reviewers
    )
    if need_explain:
        return _timed(
            AssignmentResult(status=STATUS_INFEASIBLE, reason=_explain_infeasible(model)),
            started,
        )
    if total_demand == 0:
        return _timed(_answer(model, np.zeros(len(model.edge_p), dtype=np.int64), "pins"), started)
    cost = -np.array([float(w) for w in model.weight], dtype=np.float64)
    status, x = _highs_lp(model, cost)
    if status == "infeasible":
        return _timed(
            AssignmentResult(status=STATUS_INFEASIBLE, reason=_explain_by_min_cut(model)),
            started,
        )
    method = "highs-simplex"
    assert x is not None
    xi = _round_integral(x)
    if xi is None:  # not expected (total unimodularity); solve the integer programme instead
        status, x = _highs_lp(model, cost, integral=True)
        xi = _round_integral(x) if x is not None else None
        if status != "optimal" or xi is None:
            raise SolverError("HiGHS returned no integral solution")
        method = "highs-mip"
    xi, cancelled = _cancel_negative_cycles(model, xi)
    if cancelled:
        method += f"+{cancelled}-cycles"
    return _timed(_answer(model, xi, method), started)


def _timed(result: AssignmentResult, started: float) -> AssignmentResult:
    import time

    result.seconds = time.perf_counter() - started
    return result


def greedy(problem: AssignmentProblem) -> AssignmentResult:
    """Baseline: take the pairs by affinity, highest first, while both sides have room.

    What a committee secretary does by hand; it may leave proposals short even when a full
    assignment exists, and is rarely optimal.
    """
    import time

    import numpy as np

    started = time.perf_counter()
    model = _build(problem)
    order = sorted(
        range(len(model.weight)),
        key=lambda e: (-model.weight[e], int(model.edge_p[e]), int(model.edge_r[e])),
    )
    need = model.demand.copy()
    room = model.capacity.copy()
    x = np.zeros(len(model.weight), dtype=np.int64)
    for e in order:
        i, j = model.edge_p[e], model.edge_r[e]
        if need[i] > 0 and room[j] > 0:
            x[e] = 1
            need[i] -= 1
            room[j] -= 1
    if need.sum() > 0:
        short = [problem.proposals[i].id for i in range(len(need)) if need[i] > 0]
        return _timed(
            AssignmentResult(
                status=STATUS_INFEASIBLE,
                reason=f"greedy left {len(short)} proposals short: {', '.join(short[:10])}",
                affinity=_as_float(sum((model.weight[e] for e in np.nonzero(x)[0]), Fraction(0))),
                method="greedy",
            ),
            started,
        )
    result = _answer(model, x, "greedy")
    return _timed(result, started)
