"""Reading and checking the input of `kyoten assign` (pure Python, no Django).

Every problem found becomes one line naming the field, e.g.
`reviewers[2].prefecture: unknown prefecture code "99"`; all problems are reported at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kyoten.core.reference import is_prefecture
from kyoten.review.assignment import AssignmentProblem, ProposalIn, ReviewerIn, conflict_reason


class InputError(Exception):
    """The input is unusable; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_problem(path: str) -> AssignmentProblem:
    """Read FILE.json (or standard input for "-") and check it. Raises InputError with every problem found."""
    try:
        if path == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{path}: is a directory, not a JSON file"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: not UTF-8 text"]) from None
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{path}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"]
        ) from None
    return parse_problem(data)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string_list(value: object, where: str, errors: list[str]) -> frozenset[str]:
    """A list of strings (optional fields default to the empty list)."""
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        errors.append(f"{where}: must be a list of strings, not {_describe(value)}")
        return frozenset()
    items = []
    for n, item in enumerate(value):
        if not isinstance(item, str):
            errors.append(f"{where}[{n}]: must be a string, not {_describe(item)}")
        else:
            items.append(item)
    return frozenset(items)


def _prefecture_code(value: object, where: str, errors: list[str]) -> str | None:
    if not isinstance(value, str):
        errors.append(
            f'{where}: must be a prefecture code as a string (e.g. "13"), not {_describe(value)}'
        )
        return None
    if not is_prefecture(value):
        errors.append(f'{where}: unknown prefecture code "{value}"')
        return None
    return value


def _id(item: dict, where: str, errors: list[str]) -> str | None:
    if "id" not in item:
        errors.append(f"{where}.id: missing")
        return None
    value = item["id"]
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}.id: must be a non-empty string, not {_describe(value)}")
        return None
    return value


def _pairs(
    value: object,
    where: str,
    errors: list[str],
    proposal_ids: set[str],
    reviewer_ids: set[str],
) -> list[tuple[int, tuple[str, str]]]:
    """`[["P01", "R03"], ...]` → [(position, (proposal, reviewer)), ...]."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{where}: must be a list of [proposal, reviewer] pairs")
        return []
    pairs = []
    for n, pair in enumerate(value):
        at = f"{where}[{n}]"
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, str) for v in pair)
        ):
            errors.append(f'{at}: must be a pair of ids ["proposal", "reviewer"]')
            continue
        pid, rid = pair
        ok = True
        if pid not in proposal_ids:
            errors.append(f'{at}[0]: unknown proposal "{pid}"')
            ok = False
        if rid not in reviewer_ids:
            errors.append(f'{at}[1]: unknown reviewer "{rid}"')
            ok = False
        if ok:
            pairs.append((n, (pid, rid)))
    return pairs


def parse_problem(data: object) -> AssignmentProblem:
    """Check the decoded JSON; raises InputError listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InputError([f"(top level): must be a JSON object, not {_describe(data)}"])

    k = data.get("reviewers_per_proposal")
    if "reviewers_per_proposal" not in data:
        errors.append("reviewers_per_proposal: missing")
    elif not _is_int(k):
        errors.append(f"reviewers_per_proposal: must be an integer, not {_describe(k)}")
    elif k < 1:
        errors.append(f"reviewers_per_proposal: must be at least 1, not {k}")

    max_load = data.get("max_load")
    if "max_load" not in data:
        errors.append("max_load: missing")
    elif not _is_int(max_load):
        errors.append(f"max_load: must be an integer, not {_describe(max_load)}")
    elif max_load < 0:
        errors.append(f"max_load: must be 0 or more, not {max_load}")

    proposals: list[ProposalIn] = []
    first_seen: dict[str, int] = {}
    raw_proposals = data.get("proposals")
    if "proposals" not in data:
        errors.append("proposals: missing")
    elif not isinstance(raw_proposals, list):
        errors.append(f"proposals: must be a list, not {_describe(raw_proposals)}")
    else:
        for n, item in enumerate(raw_proposals):
            where = f"proposals[{n}]"
            if not isinstance(item, dict):
                errors.append(f"{where}: must be an object, not {_describe(item)}")
                continue
            pid = _id(item, where, errors)
            if pid is not None:
                if pid in first_seen:
                    errors.append(
                        f'{where}.id: duplicate id "{pid}" (also proposals[{first_seen[pid]}])'
                    )
                else:
                    first_seen[pid] = n
            prefectures_raw = item.get("prefectures")
            prefs: set[str] = set()
            if prefectures_raw is not None and not isinstance(prefectures_raw, list):
                errors.append(
                    f"{where}.prefectures: must be a list of prefecture codes, "
                    f"not {_describe(prefectures_raw)}"
                )
            else:
                for m, code in enumerate(prefectures_raw or []):
                    ok = _prefecture_code(code, f"{where}.prefectures[{m}]", errors)
                    if ok:
                        prefs.add(ok)
            organizations = _string_list(
                item.get("organizations"), f"{where}.organizations", errors
            )
            keywords = _string_list(item.get("keywords"), f"{where}.keywords", errors)
            if pid is not None:
                proposals.append(
                    ProposalIn(
                        id=pid,
                        prefectures=frozenset(prefs),
                        organizations=organizations,
                        keywords=keywords,
                    )
                )

    reviewers: list[ReviewerIn] = []
    first_seen_r: dict[str, int] = {}
    raw_reviewers = data.get("reviewers")
    if "reviewers" not in data:
        errors.append("reviewers: missing")
    elif not isinstance(raw_reviewers, list):
        errors.append(f"reviewers: must be a list, not {_describe(raw_reviewers)}")
    else:
        for n, item in enumerate(raw_reviewers):
            where = f"reviewers[{n}]"
            if not isinstance(item, dict):
                errors.append(f"{where}: must be an object, not {_describe(item)}")
                continue
            rid = _id(item, where, errors)
            if rid is not None:
                if rid in first_seen_r:
                    errors.append(
                        f'{where}.id: duplicate id "{rid}" (also reviewers[{first_seen_r[rid]}])'
                    )
                else:
                    first_seen_r[rid] = n
            prefecture = None
            if item.get("prefecture") is not None:
                prefecture = _prefecture_code(item["prefecture"], f"{where}.prefecture", errors)
            organizations = _string_list(
                item.get("organizations"), f"{where}.organizations", errors
            )
            keywords = _string_list(item.get("keywords"), f"{where}.keywords", errors)
            conflicts = _string_list(item.get("conflicts"), f"{where}.conflicts", errors)
            own_load = item.get("max_load")
            if own_load is not None and (not _is_int(own_load) or own_load < 0):
                errors.append(f"{where}.max_load: must be an integer of 0 or more")
                own_load = None
            if rid is not None:
                reviewers.append(
                    ReviewerIn(
                        id=rid,
                        prefecture=prefecture,
                        organizations=organizations,
                        keywords=keywords,
                        conflicts=conflicts,
                        max_load=own_load,
                    )
                )

    proposal_ids = {p.id for p in proposals}
    reviewer_ids = {r.id for r in reviewers}
    pinned = _pairs(data.get("pinned"), "pinned", errors, proposal_ids, reviewer_ids)
    forbidden = _pairs(data.get("forbidden"), "forbidden", errors, proposal_ids, reviewer_ids)

    if errors:
        raise InputError(errors)

    by_p = {p.id: p for p in proposals}
    by_r = {r.id: r for r in reviewers}
    forbidden_set = {pair for _, pair in forbidden}
    pins_per_p: dict[str, int] = {}
    pins_per_r: dict[str, int] = {}
    seen_pins: set[tuple[str, str]] = set()
    for n, (pid, rid) in pinned:
        where = f"pinned[{n}]"
        if (pid, rid) in seen_pins:
            continue
        seen_pins.add((pid, rid))
        reason = conflict_reason(by_p[pid], by_r[rid])
        if reason:
            errors.append(f"{where}: cannot pin a conflicted pair ({reason})")
        if (pid, rid) in forbidden_set:
            errors.append(f"{where}: {pid}–{rid} is both pinned and forbidden")
        pins_per_p[pid] = pins_per_p.get(pid, 0) + 1
        pins_per_r[rid] = pins_per_r.get(rid, 0) + 1
    for pid, count in pins_per_p.items():
        if count > k:
            errors.append(
                f"pinned: {pid} has {count} pinned reviewers, more than "
                f"reviewers_per_proposal ({k})"
            )
    for rid, count in pins_per_r.items():
        limit = max_load if by_r[rid].max_load is None else min(max_load, by_r[rid].max_load)
        if count > limit:
            errors.append(
                f"pinned: {rid} is pinned to {count} proposals, more than max_load ({limit})"
            )
    if errors:
        raise InputError(errors)

    return AssignmentProblem(
        reviewers_per_proposal=k,
        max_load=max_load,
        proposals=tuple(proposals),
        reviewers=tuple(reviewers),
        pinned=frozenset(seen_pins),
        forbidden=frozenset(forbidden_set),
    )
