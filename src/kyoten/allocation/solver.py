"""Optimal allocation of a budget among scored proposals (SPEC §4, `kyoten allocate`).

Pure Python plus HiGHS (through ``highspy``); no Django. The problem is a multiple-choice
knapsack with optional per-block counts:

* at most one option per proposal, every award within the cap, the sum within the budget;
* proposals scoring below ``min_score`` are not funded;
* ``min_per_block`` / ``max_per_block`` bound the number of awards per regional block (the
  block of the lead, i.e. first, prefecture).

Order of preference between feasible allocations (each step only among the ties of the step
before):

1. the largest sum of values;
2. the smallest total of yen;
3. "ids in order": funding the proposal whose id comes first. Proposals are compared by id as
   plain strings (``"P10" < "P9"``); of two allocations the one funding the first id, in that
   order, at which they differ is preferred (the 0/1 "funded" vector over the sorted ids is
   lexicographically largest);
4. within one proposal, an option listed earlier over an identical later one.

The model is solved exactly with integer data where possible: yen are divided by the greatest
common divisor of all option amounts (the budget is floored to that unit, which is exact because
every sum of amounts is a multiple of it) and values that are decimals with at most nine places
are multiplied to integers. Steps 2 and 3 are further solves with the previous optimum fixed.
The final answer is checked in Python integers (budget, cap, at most one option, block limits).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

DEFAULT_CAP_YEN = 3_000_000_000
BASELINE_METHOD = "greedy-by-score"
TIE_BLOCK = 30  # ids decided per tie-breaking solve (weights 2**29 … 1 stay exact in a double)
TIE_EXACT_LIMIT = 200  # up to this many fundable proposals the id tie-break is exact


@dataclass(frozen=True)
class Option:
    label: str
    amount_yen: int
    value: float


@dataclass(frozen=True)
class Proposal:
    id: str
    prefectures: tuple[str, ...]
    block: str
    score: float
    options: tuple[Option, ...]
    index: int = 0
    category: str = ""


@dataclass(frozen=True)
class Problem:
    budget_yen: int
    cap_yen: int = DEFAULT_CAP_YEN
    min_score: float | None = None
    proposals: tuple[Proposal, ...] = ()
    min_per_block: dict[str, int] = field(default_factory=dict)
    max_per_block: dict[str, int] = field(default_factory=dict)
    # selection categories (e.g. 構想支援地域 / 基盤形成支援地域): awards and money reserved
    min_per_category: dict[str, int] = field(default_factory=dict)
    max_per_category: dict[str, int] = field(default_factory=dict)
    min_yen_per_category: dict[str, int] = field(default_factory=dict)

    @property
    def has_categories(self) -> bool:
        return bool(self.min_per_category or self.max_per_category or self.min_yen_per_category)


class SolverError(RuntimeError):
    """The solver failed in a way that is not the input's fault."""


# ---------------------------------------------------------------------------------------------
# helpers


def _dec(value: float) -> Decimal:
    """A float as the decimal the user wrote (shortest repr), so 0.1 + 0.2 == 0.3."""
    return Decimal(repr(float(value)))


def exact_value(values: list[float]) -> Decimal:
    return sum((_dec(v) for v in values), Decimal(0))


def _integer_values(values: list[float]) -> list[int] | None:
    """Values times 10**k as integers for the smallest k <= 9 that makes them all whole."""
    decs = [_dec(v) for v in values]
    for k in range(10):
        scale = Decimal(10) ** k
        scaled = [d * scale for d in decs]
        if all(s == s.to_integral_value() for s in scaled):
            ints = [int(s) for s in scaled]
            if max((abs(i) for i in ints), default=0) * max(len(ints), 1) > 2**50:
                return None
            return ints
    return None


def is_eligible(problem: Problem, proposal: Proposal) -> bool:
    return problem.min_score is None or proposal.score >= problem.min_score


def full_option(proposal: Proposal) -> Option:
    """The full request: the option labelled "full", else the largest (first of equals)."""
    for option in proposal.options:
        if option.label == "full":
            return option
    best = proposal.options[0]
    for option in proposal.options[1:]:
        if option.amount_yen > best.amount_yen:
            best = option
    return best


def _useful_options(problem: Problem, proposal: Proposal) -> list[int]:
    """Indexes of options worth modelling: within cap and budget, not dominated.

    An option is dropped when another option of the same proposal costs no more and is worth
    no less (and differs, or is identical and listed earlier): the other option is never worse
    in any step of the order of preference. Not in a category with money reserved, where
    spending more can be what meets the reservation.
    """
    candidates = [
        k
        for k, o in enumerate(proposal.options)
        if 0 < o.amount_yen <= problem.cap_yen and o.amount_yen <= problem.budget_yen
    ]
    if proposal.category and problem.min_yen_per_category.get(proposal.category, 0) > 0:
        return candidates  # spending more may be needed to meet the money reserved
    keep = []
    for k in candidates:
        o = proposal.options[k]
        dominated = False
        for j in candidates:
            if j == k:
                continue
            q = proposal.options[j]
            if q.amount_yen <= o.amount_yen and _dec(q.value) >= _dec(o.value):
                same = q.amount_yen == o.amount_yen and _dec(q.value) == _dec(o.value)
                if not same or j < k:
                    dominated = True
                    break
        if not dominated:
            keep.append(k)
    return keep


_STDOUT_LOCK = threading.RLock()


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Send whatever native code prints on file descriptor 1 to /dev/null meanwhile.

    HiGHS prints a banner when it is created, whatever its options say; a command whose
    stdout is JSON must not let it through.
    """
    with _STDOUT_LOCK:
        try:
            sys.stdout.flush()
        except (AttributeError, ValueError):
            pass
        try:
            saved = os.dup(1)
        except OSError:
            yield
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)


def solver_version() -> str:
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return "unavailable"
    try:
        from importlib.metadata import version

        return version("highspy")
    except Exception:  # noqa: BLE001 - only a label
        return getattr(highspy, "__version__", "unknown")


# ---------------------------------------------------------------------------------------------
# baseline


def greedy_baseline(problem: Problem) -> dict:
    """What a committee does by hand.

    Walk the proposals by score, highest first (equal scores by id), skipping those below
    ``min_score``; fund each one's full request (the option labelled "full", else its largest
    option) when it is within the cap, fits in the money left and its block has not reached
    ``max_per_block``; otherwise pass it over and go on down the list. ``min_per_block`` is not
    attempted.
    """
    left = problem.budget_yen
    counts: dict[str, int] = {}
    awards: list[tuple[Proposal, Option]] = []
    order = sorted(
        (p for p in problem.proposals if is_eligible(problem, p) and p.options),
        key=lambda p: (-p.score, p.id),
    )
    for proposal in order:
        option = full_option(proposal)
        if option.amount_yen > problem.cap_yen or option.amount_yen > left:
            continue
        limit = problem.max_per_block.get(proposal.block)
        if limit is not None and counts.get(proposal.block, 0) >= limit:
            continue
        most = problem.max_per_category.get(proposal.category) if proposal.category else None
        if most is not None and counts.get("category:" + proposal.category, 0) >= most:
            continue
        left -= option.amount_yen
        counts[proposal.block] = counts.get(proposal.block, 0) + 1
        if proposal.category:
            key = "category:" + proposal.category
            counts[key] = counts.get(key, 0) + 1
        awards.append((proposal, option))
    return {
        "method": BASELINE_METHOD,
        "objective": float(exact_value([o.value for _, o in awards])),
        "total_yen": sum(o.amount_yen for _, o in awards),
        "awards": [
            {"id": p.id, "option": o.label, "amount_yen": o.amount_yen}
            for p, o in sorted(awards, key=lambda a: a[0].index)
        ],
    }


# ---------------------------------------------------------------------------------------------
# feasibility


def infeasibility_reason(problem: Problem) -> str | None:
    """Why the limits contradict each other, or None when some allocation satisfies them.

    Exact: only the minimum counts can make the problem infeasible (funding nothing meets every
    maximum and the budget), and the cheapest way to meet them is, per block, the cheapest
    options of the cheapest eligible proposals.
    """
    reasons = []
    needed = 0
    for block in sorted(problem.min_per_block):
        want = problem.min_per_block[block]
        if want <= 0:
            continue
        most = problem.max_per_block.get(block)
        if most is not None and want > most:
            reasons.append(
                f"min_per_block.{block} = {want} is more than max_per_block.{block} = {most}"
            )
            continue
        cheapest = sorted(
            min(p.options[k].amount_yen for k in useful)
            for p in problem.proposals
            if p.block == block
            and is_eligible(problem, p)
            and (useful := _useful_options(problem, p))
        )
        if len(cheapest) < want:
            reasons.append(
                f"min_per_block.{block} = {want} but only {len(cheapest)} fundable proposal(s)"
                f" (score at least min_score, an option within the cap and the budget)"
                f" have their lead prefecture in {block}"
            )
            continue
        needed += sum(cheapest[:want])
    if not reasons and needed > problem.budget_yen:
        reasons.append(
            f"min_per_block needs at least {needed} yen (the cheapest options of the required"
            f" awards) but budget_yen is {problem.budget_yen}"
        )
    reasons += _category_contradictions(problem)
    return "; ".join(reasons) if reasons else None


def _category_contradictions(problem: Problem) -> list[str]:
    """What makes category limits impossible on their own (necessary conditions only: together
    with block limits and the budget the solver decides)."""
    reasons = []
    keys = sorted(set(problem.min_per_category) | set(problem.min_yen_per_category))
    for cat in keys:
        fundable = [
            p
            for p in problem.proposals
            if p.category == cat and is_eligible(problem, p) and _useful_options(problem, p)
        ]
        want = problem.min_per_category.get(cat, 0)
        most = problem.max_per_category.get(cat)
        if most is not None and want > most:
            reasons.append(
                f"min_per_category.{cat} = {want} is more than max_per_category.{cat} = {most}"
            )
        elif len(fundable) < want:
            reasons.append(
                f"min_per_category.{cat} = {want} but only {len(fundable)} fundable proposal(s)"
                f" are in category {cat}"
            )
        money = problem.min_yen_per_category.get(cat, 0)
        if money > problem.budget_yen:
            reasons.append(
                f"min_yen_per_category.{cat} = {money} is more than budget_yen {problem.budget_yen}"
            )
        elif money > 0:
            tops = sorted(
                (
                    max(p.options[k].amount_yen for k in _useful_options(problem, p))
                    for p in fundable
                ),
                reverse=True,
            )
            if most is not None:
                tops = tops[:most]
            if sum(tops) < money:
                reasons.append(
                    f"min_yen_per_category.{cat} = {money} but the proposals of category {cat}"
                    f" can take at most {sum(tops)} yen"
                )
    return reasons


# ---------------------------------------------------------------------------------------------
# the integer programme


@dataclass
class _Model:
    cols_prop: list[int]  # column -> position of its proposal in `props`
    cols_opt: list[int]  # column -> option index within the proposal
    amounts: list[int]  # column -> amount in units
    values_int: list[int] | None
    values: list[float]
    unit: int
    budget_units: int
    props: list[Proposal]
    block_rows: dict[str, int]
    category_rows: dict[str, int] = field(default_factory=dict)
    category_yen_rows: dict[str, int] = field(default_factory=dict)


class _Highs:
    """A HiGHS instance holding the model, run with its output kept off stdout."""

    BUDGET_ROW = 0
    VALUE_ROW = 1
    FIRST_GUB_ROW = 2

    def __init__(self, model: _Model, problem: Problem, *, relax: bool = False) -> None:
        import highspy
        import numpy as np

        self.hs = highspy
        self.model = model
        with quiet_stdout():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("log_to_console", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-9 if model.values_int is None else 0.5)
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("random_seed", 0)
        self.h = h
        self.seconds = 0.0
        self.gap = 0.0

        n = len(model.amounts)
        nprop = len(model.props)
        coef = (
            [float(v) for v in model.values_int]
            if model.values_int is not None
            else self._float_coefs(model.values)
        )
        self.value_coef = coef
        nrows = (
            self.FIRST_GUB_ROW
            + nprop
            + len(model.block_rows)
            + len(model.category_rows)
            + len(model.category_yen_rows)
        )
        inf = highspy.kHighsInf
        row_lower = np.full(nrows, -inf)
        row_upper = np.full(nrows, inf)
        row_upper[self.BUDGET_ROW] = float(model.budget_units)
        row_lower[self.FIRST_GUB_ROW : self.FIRST_GUB_ROW + nprop] = 0.0
        row_upper[self.FIRST_GUB_ROW : self.FIRST_GUB_ROW + nprop] = 1.0
        for block, row in model.block_rows.items():
            row_lower[row] = float(problem.min_per_block.get(block, 0))
            most = problem.max_per_block.get(block)
            row_upper[row] = float(most) if most is not None else inf
        for cat, row in model.category_rows.items():
            row_lower[row] = float(problem.min_per_category.get(cat, 0))
            most = problem.max_per_category.get(cat)
            row_upper[row] = float(most) if most is not None else inf
        for cat, row in model.category_yen_rows.items():
            # sum of amounts >= Y yen  <=>  sum in units >= ceil(Y / unit), exactly
            row_lower[row] = float(-(-problem.min_yen_per_category[cat] // model.unit))

        starts, index, value = [], [], []
        for c in range(n):
            starts.append(len(index))
            prop = model.props[model.cols_prop[c]]
            index += [self.BUDGET_ROW, self.VALUE_ROW, self.FIRST_GUB_ROW + model.cols_prop[c]]
            value += [float(model.amounts[c]), coef[c], 1.0]
            if prop.block in model.block_rows:
                index.append(model.block_rows[prop.block])
                value.append(1.0)
            if prop.category and prop.category in model.category_rows:
                index.append(model.category_rows[prop.category])
                value.append(1.0)
            if prop.category and prop.category in model.category_yen_rows:
                index.append(model.category_yen_rows[prop.category])
                value.append(float(model.amounts[c]))
        starts.append(len(index))

        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = nrows
        lp.col_cost_ = np.array(coef, dtype=float)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.ones(n)
        lp.row_lower_ = row_lower
        lp.row_upper_ = row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=float)
        if not relax:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        lp.sense_ = highspy.ObjSense.kMaximize
        with quiet_stdout():
            self.h.passModel(lp)

    @staticmethod
    def _float_coefs(values: list[float]) -> list[float]:
        top = max((abs(v) for v in values), default=1.0) or 1.0
        return [v / top for v in values]

    def set_objective(self, costs: list[float], *, maximize: bool) -> None:
        import numpy as np

        n = len(costs)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(costs, dtype=float))
        self.h.changeObjectiveSense(
            self.hs.ObjSense.kMaximize if maximize else self.hs.ObjSense.kMinimize
        )

    def set_bounds(self, lower: list[float], upper: list[float]) -> None:
        import numpy as np

        n = len(lower)
        self.h.changeColsBounds(
            n,
            np.arange(n, dtype=np.int32),
            np.array(lower, dtype=float),
            np.array(upper, dtype=float),
        )

    def set_row(self, row: int, lower: float, upper: float) -> None:
        self.h.changeRowBounds(row, lower, upper)

    def solve(self, start: list[int] | None) -> list[int]:
        """Run; return the 0/1 column values (rounded), or raise SolverError."""
        if start is not None:
            sol = self.hs.HighsSolution()
            sol.col_value = [float(x) for x in start]
            sol.value_valid = True
            with quiet_stdout():
                self.h.setSolution(sol)
        began = time.perf_counter()
        with quiet_stdout():
            self.h.run()
            status = self.h.getModelStatus()
            if status == self.hs.HighsModelStatus.kNotset:
                # Seen once under heavy load: the run returned without a status. Start the
                # solve afresh once before giving up.
                self.h.clearSolver()
                self.h.run()
                status = self.h.getModelStatus()
        self.seconds += time.perf_counter() - began
        if status == self.hs.HighsModelStatus.kInfeasible:
            raise _Infeasible
        if status != self.hs.HighsModelStatus.kOptimal:
            raise SolverError(f"HiGHS stopped: {self.h.modelStatusToString(status)}")
        info = self.h.getInfo()
        gap = float(getattr(info, "mip_gap", 0.0) or 0.0)
        if not math.isfinite(gap) or gap < 1e-9:
            gap = 0.0
        self.gap = max(self.gap, gap)
        values = self.h.getSolution().col_value
        return [1 if x > 0.5 else 0 for x in values]


class _Infeasible(Exception):
    pass


CORE_EXTRA = 1000  # non-basic columns added to the basic ones in the core problem


def _reduce(hs: _Highs, problem: Problem, model: _Model, stats: dict) -> list[int] | None:
    """Fix columns that no optimal answer can use or leave out (reduced-cost fixing).

    The LP relaxation gives a bound U and, for each non-basic column, the least loss p of
    moving it off its bound (the size of its reduced cost): no answer with that column moved is
    worth more than U - p. A good answer worth L comes from the "core" problem, where only the
    basic columns and the non-basic ones cheapest to move are free (the rest stay at their LP
    bound). Every non-basic column with U - p < L is then fixed at its bound: that removes no
    answer worth L or more, hence no optimum, nor any tie of steps 2 and 3. Returns the good
    answer (a start for step 1), or None when there is nothing to gain.
    """
    n = len(model.amounts)
    if n <= CORE_EXTRA:
        return None
    lp = _Highs(model, problem, relax=True)
    began = time.perf_counter()
    with quiet_stdout():
        lp.h.run()
    hs.seconds += time.perf_counter() - began
    if lp.h.getModelStatus() != lp.hs.HighsModelStatus.kOptimal:
        return None
    sol = lp.h.getSolution()
    basis = lp.h.getBasis()
    if not sol.dual_valid or not basis.valid:
        return None
    kbasic = lp.hs.HighsBasisStatus.kBasic
    values = list(sol.col_value)
    duals = list(sol.col_dual)
    status = list(basis.col_status)
    bound = lp.h.getInfo().objective_function_value
    movable = [
        c for c in range(n) if status[c] != kbasic and abs(values[c] - round(values[c])) < 1e-9
    ]
    loss = {c: abs(duals[c]) for c in movable}
    core = set(range(n)) - set(movable)
    core |= set(sorted(movable, key=lambda c: loss[c])[:CORE_EXTRA])
    lower = [0.0] * n
    upper = [1.0] * n
    for c in movable:
        if c not in core:
            lower[c] = upper[c] = float(round(values[c]))
    hs.set_bounds(lower, upper)
    try:
        good = _solve_checked(hs, problem, model, None)
    except (_Infeasible, SolverError):
        hs.set_bounds([0.0] * n, [1.0] * n)
        return None
    level = math.fsum(c for c, on in zip(hs.value_coef, good, strict=True) if on)
    margin = 1e-6 * max(1.0, abs(bound))

    def fix(threshold: float) -> int:
        lower = [0.0] * n
        upper = [1.0] * n
        fixed = 0
        for c in movable:
            if bound - loss[c] < threshold - margin:
                lower[c] = upper[c] = float(round(values[c]))
                fixed += 1
        hs.set_bounds(lower, upper)
        return fixed

    stats["fixed_columns"] = fix(level)
    stats["columns"] = n
    return good


def _check(problem: Problem, model: _Model, x: list[int]) -> list[str]:
    """Every constraint, in Python integers: what the solution breaks (nothing when valid)."""
    problems = []
    taken: dict[int, int] = {}
    counts: dict[str, int] = {}
    total = 0
    for c, on in enumerate(x):
        if not on:
            continue
        p = model.cols_prop[c]
        taken[p] = taken.get(p, 0) + 1
        option = model.props[p].options[model.cols_opt[c]]
        if option.amount_yen > problem.cap_yen:
            problems.append("cap")
        total += option.amount_yen
        block = model.props[p].block
        counts[block] = counts.get(block, 0) + 1
        cat = model.props[p].category
        if cat:
            counts["category:" + cat] = counts.get("category:" + cat, 0) + 1
            counts["yen:" + cat] = counts.get("yen:" + cat, 0) + option.amount_yen
    if any(n > 1 for n in taken.values()):
        problems.append("one option per proposal")
    if total > problem.budget_yen:
        problems.append("budget")
    for block, most in problem.max_per_block.items():
        if counts.get(block, 0) > most:
            problems.append(f"max_per_block.{block}")
    for block, least in problem.min_per_block.items():
        if counts.get(block, 0) < least:
            problems.append(f"min_per_block.{block}")
    for cat, least in problem.min_per_category.items():
        if counts.get("category:" + cat, 0) < least:
            problems.append(f"min_per_category.{cat}")
    for cat, most in problem.max_per_category.items():
        if counts.get("category:" + cat, 0) > most:
            problems.append(f"max_per_category.{cat}")
    for cat, least in problem.min_yen_per_category.items():
        if counts.get("yen:" + cat, 0) < least:
            problems.append(f"min_yen_per_category.{cat}")
    return problems


def _units_total(model: _Model, x: list[int]) -> int:
    return sum(a for a, on in zip(model.amounts, x, strict=True) if on)


def _value_key(model: _Model, x: list[int]) -> Decimal | int:
    if model.values_int is not None:
        return sum(v for v, on in zip(model.values_int, x, strict=True) if on)
    return exact_value([v for v, on in zip(model.values, x, strict=True) if on])


def _tie_break_exact(
    hs: _Highs,
    problem: Problem,
    model: _Model,
    x: list[int],
    best: Decimal | int,
    least: int,
    stats: dict,
) -> list[int]:
    """Among the optima, fund the first id where they differ (ids sorted as strings).

    Walks the proposals in id order, TIE_BLOCK at a time: one solve with weights 2**(K-1) … 1
    over the block finds the lexicographically largest "funded" vector of the block among the
    optima that agree with the blocks already decided; the block is then fixed.
    """
    n = len(model.amounts)
    nprops = len(model.props)
    cols_of: list[list[int]] = [[] for _ in model.props]
    for c, p in enumerate(model.cols_prop):
        cols_of[p].append(c)

    def funded_of(sol: list[int]) -> list[int]:
        funded = [0] * nprops
        for c, on in enumerate(sol):
            if on:
                funded[model.cols_prop[c]] = 1
        return funded

    funded = funded_of(x)
    for start in range(0, nprops, TIE_BLOCK):
        block = list(range(start, min(start + TIE_BLOCK, nprops)))
        if not all(funded[p] for p in block):
            costs = [0.0] * n
            for pos, p in enumerate(block):
                for c in cols_of[p]:
                    costs[c] = float(2 ** (len(block) - 1 - pos))
            hs.set_objective(costs, maximize=True)
            try:
                y = _solve_checked(hs, problem, model, x)
            except (_Infeasible, SolverError):
                stats["tie_break"] = "incomplete"
                return x
            stats["stages"] += 1
            if not (
                _same_value(model, _value_key(model, y), best) and _units_total(model, y) == least
            ):  # pragma: no cover - numerical trouble: keep the proven answer
                stats["tie_break"] = "incomplete"
                return x
            x = y
            funded = funded_of(x)
        for p in block:
            bound = 1.0 if funded[p] else 0.0
            hs.set_row(_Highs.FIRST_GUB_ROW + p, bound, bound)
    return x


def _same_value(model: _Model, a: Decimal | int, b: Decimal | int) -> bool:
    if model.values_int is not None:
        return a == b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def _build_model(problem: Problem) -> _Model:
    props = sorted((p for p in problem.proposals if is_eligible(problem, p)), key=lambda p: p.id)
    cols_prop, cols_opt, amounts_yen, values = [], [], [], []
    kept_props = []
    for proposal in props:
        useful = _useful_options(problem, proposal)
        if not useful:
            continue
        kept_props.append(proposal)
        for k in useful:
            cols_prop.append(len(kept_props) - 1)
            cols_opt.append(k)
            amounts_yen.append(proposal.options[k].amount_yen)
            values.append(proposal.options[k].value)
    unit = 0
    for a in amounts_yen:
        unit = math.gcd(unit, a)
    unit = unit or 1
    blocks = sorted(set(problem.min_per_block) | set(problem.max_per_block))
    first = _Highs.FIRST_GUB_ROW + len(kept_props)
    cats = sorted(set(problem.min_per_category) | set(problem.max_per_category))
    after_blocks = first + len(blocks)
    yen_cats = sorted(c for c, y in problem.min_yen_per_category.items() if y > 0)
    after_cats = after_blocks + len(cats)
    return _Model(
        cols_prop=cols_prop,
        cols_opt=cols_opt,
        amounts=[a // unit for a in amounts_yen],
        values_int=_integer_values(values),
        values=values,
        unit=unit,
        budget_units=problem.budget_yen // unit,
        props=kept_props,
        block_rows={b: first + i for i, b in enumerate(blocks)},
        category_rows={c: after_blocks + i for i, c in enumerate(cats)},
        category_yen_rows={c: after_cats + i for i, c in enumerate(yen_cats)},
    )


def _solve_checked(hs: _Highs, problem: Problem, model: _Model, start: list[int] | None):
    """Solve; if rounding the answer breaks the budget by a hair, tighten and solve again."""
    budget_upper = float(model.budget_units)
    for _ in range(5):
        x = hs.solve(start)
        broken = _check(problem, model, x)
        if not broken:
            return x
        if broken != ["budget"]:
            raise SolverError("the solver's answer breaks " + ", ".join(broken))
        over = _units_total(model, x) - model.budget_units
        budget_upper -= max(over, 1)
        hs.set_row(_Highs.BUDGET_ROW, -hs.hs.kHighsInf, budget_upper)
        start = None
    raise SolverError("the solver's answer keeps breaking the budget")


def _optimise(problem: Problem, model: _Model) -> tuple[list[int], dict]:
    hs = _Highs(model, problem)
    stats: dict = {"stages": 0, "tie_break": "complete"}
    coef = hs.value_coef

    # 1. the largest sum of values
    start = _reduce(hs, problem, model, stats)
    x = _solve_checked(hs, problem, model, start)
    stats.pop("refix", None)
    stats["stages"] += 1
    best = _value_key(model, x)
    if model.values_int is not None:
        value_floor = float(best) - 0.5
    else:
        level = math.fsum(c for c, on in zip(coef, x, strict=True) if on)
        value_floor = level - 1e-9 * max(1.0, abs(level))
    hs.set_row(_Highs.VALUE_ROW, value_floor, hs.hs.kHighsInf)

    # 2. the smallest total at that value
    hs.set_objective([float(a) for a in model.amounts], maximize=False)
    x = _solve_checked(hs, problem, model, x)
    stats["stages"] += 1
    least = _units_total(model, x)
    hs.set_row(_Highs.BUDGET_ROW, -hs.hs.kHighsInf, float(least))
    proven_gap = hs.gap

    # 3. ids in order
    began = time.perf_counter()
    if len(model.props) <= TIE_EXACT_LIMIT:
        x = _tie_break_exact(hs, problem, model, x, best, least, stats)
    else:
        # One solve preferring earlier ids with weights N, N-1, ..., 1: among the optima it
        # settles every swap of one proposal for another, but not every longer exchange.
        stats["tie_break"] = "approximate"
        nprops = len(model.props)
        hs.set_objective([float(nprops - p) for p in model.cols_prop], maximize=True)
        try:
            y = _solve_checked(hs, problem, model, x)
        except (_Infeasible, SolverError):
            y = None
        stats["stages"] += 1
        if (
            y is not None
            and _same_value(model, _value_key(model, y), best)
            and _units_total(model, y) == least
        ):
            x = y
    stats["tie_break_seconds"] = round(time.perf_counter() - began, 4)
    stats["seconds"] = hs.seconds
    stats["gap"] = proven_gap
    return x, stats


# ---------------------------------------------------------------------------------------------
# the answer


def _fmt(yen: int) -> str:
    return f"¥{yen:,}"


def _score_text(score: float) -> str:
    return repr(score) if not float(score).is_integer() else f"{score:.1f}"


def allocate(problem: Problem) -> dict:
    """Solve the problem; return the JSON-ready answer of `kyoten allocate`."""
    began = time.perf_counter()
    baseline = greedy_baseline(problem)
    solver = {
        "name": "HiGHS",
        "version": solver_version(),
        "seconds": 0.0,
        "gap": 0.0,
    }
    reason = infeasibility_reason(problem)
    chosen: dict[str, Option] = {}
    stats: dict = {}
    if reason is None:
        model = _build_model(problem)
        if model.amounts:
            try:
                x, stats = _optimise(problem, model)
            except _Infeasible:
                reason = (
                    "no allocation meets the block and category limits together within the budget"
                )
            else:
                for c, on in enumerate(x):
                    if on:
                        p = model.props[model.cols_prop[c]]
                        chosen[p.id] = p.options[model.cols_opt[c]]
                solver["gap"] = stats["gap"]
                solver["stages"] = stats["stages"]
                solver["tie_break"] = stats["tie_break"]
                solver["columns"] = len(model.amounts)
                solver["fixed_columns"] = stats.get("fixed_columns", 0)
    solver["seconds"] = round(time.perf_counter() - began, 4)

    awards = [
        {"id": p.id, "option": chosen[p.id].label, "amount_yen": chosen[p.id].amount_yen}
        for p in problem.proposals
        if p.id in chosen
    ]
    total = sum(a["amount_yen"] for a in awards)
    objective = float(
        exact_value([chosen[p.id].value for p in problem.proposals if p.id in chosen])
    )
    counts: dict[str, int] = {}
    block_yen: dict[str, int] = {}
    for p in problem.proposals:
        if p.id in chosen:
            counts[p.block] = counts.get(p.block, 0) + 1
            if p.category:
                counts["category:" + p.category] = counts.get("category:" + p.category, 0) + 1
            block_yen[p.block] = block_yen.get(p.block, 0) + chosen[p.id].amount_yen

    left = problem.budget_yen - total
    funded_scores = [p.score for p in problem.proposals if p.id in chosen]
    unfunded = []
    for p in problem.proposals:
        if p.id in chosen:
            continue
        unfunded.append(
            {"id": p.id, **_unfunded_reason(problem, p, reason, counts, left, funded_scores)}
        )

    answer = {
        "status": "infeasible" if reason is not None else "optimal",
        "objective": objective,
        "total_yen": total,
        "budget_yen": problem.budget_yen,
        "awards": awards,
        "unfunded": unfunded,
        "baseline": {k: baseline[k] for k in ("method", "objective", "total_yen")},
        "solver": solver,
        "money_left_yen": left,
        "cap_yen": problem.cap_yen,
        "min_score": problem.min_score,
        "blocks": {b: {"awards": counts[b], "amount_yen": block_yen[b]} for b in sorted(block_yen)},
        "baseline_awards": baseline["awards"],
    }
    if problem.has_categories or any(p.category for p in problem.proposals):
        categories: dict[str, dict[str, int]] = {}
        for p in problem.proposals:
            if p.id in chosen and p.category:
                row = categories.setdefault(p.category, {"awards": 0, "amount_yen": 0})
                row["awards"] += 1
                row["amount_yen"] += chosen[p.id].amount_yen
        answer["categories"] = dict(sorted(categories.items()))
    if reason is not None:
        answer["reason"] = reason
    return answer


def _why(code: str, reason: str, **params) -> dict:
    return {"reason_code": code, "params": params, "reason": reason}


def _unfunded_reason(
    problem: Problem,
    p: Proposal,
    infeasible: str | None,
    counts: dict[str, int],
    left: int,
    funded_scores: list[float],
) -> dict:
    """Why a proposal is not funded: `reason_code` (SPEC §4's fixed list) with the numbers in
    `params`, so each page, PDF and sheet can say it in its reader's language; `reason` is the
    same in an English sentence."""
    if not is_eligible(problem, p):
        return _why(
            "below_min_score",
            f"below min_score: score {_score_text(p.score)} is less than"
            f" {_score_text(problem.min_score)}",
            score=p.score,
            min_score=problem.min_score,
        )
    if infeasible is not None:
        return _why(
            "limits_infeasible",
            f"not funded: the limits contradict each other ({infeasible})",
            detail=infeasible,
        )
    most = problem.max_per_block.get(p.block)
    if most is not None and counts.get(p.block, 0) >= most:
        return _why(
            "block_limit",
            f"block limit: {p.block} already has {counts.get(p.block, 0)} award(s),"
            f" max_per_block.{p.block} = {most}",
            block=p.block,
            awards=counts.get(p.block, 0),
            max=most,
        )
    most = problem.max_per_category.get(p.category) if p.category else None
    if most is not None and counts.get("category:" + p.category, 0) >= most:
        awarded = counts.get("category:" + p.category, 0)
        return _why(
            "category_limit",
            f"category limit: {p.category} already has {awarded}"
            f" award(s), max_per_category.{p.category} = {most}",
            category=p.category,
            awards=awarded,
            max=most,
        )
    fitting = [o for o in p.options if o.amount_yen <= problem.budget_yen]
    if not fitting:
        short = min(o.amount_yen for o in p.options) - left
        return _why(
            "over_budget",
            f"would need {_fmt(short)} more: every option is above the budget",
            short_yen=short,
            budget_yen=problem.budget_yen,
        )
    if all(o.value <= 0 for o in fitting):
        return _why("no_value", "no option adds value (every value is zero or less)")
    cheapest = min(o.amount_yen for o in fitting)
    need = max(cheapest - left, 0)
    numbers = {"smallest_yen": cheapest, "short_yen": need, "left_yen": left}
    if any(s < p.score for s in funded_scores):
        return _why(
            "displaced",
            "displaced by a better use of the money: lower-scored proposals give more value"
            f" for the budget; its smallest option ({_fmt(cheapest)}) would need"
            f" {_fmt(need)} more than the {_fmt(left)} left",
            **numbers,
        )
    return _why(
        "short_of_money",
        f"would need {_fmt(need)} more: its smallest option is {_fmt(cheapest)} and"
        f" {_fmt(left)} is left",
        **numbers,
    )
