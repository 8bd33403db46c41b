"""Reading and checking the input of `kyoten allocate` (SPEC §4).

Pure Python (no Django): the command, the pages and the tests all turn a JSON document into
a :class:`kyoten.allocation.solver.Problem` through :func:`parse_problem`, which either returns
the problem or raises :class:`InputErrors` holding one ``"field: message"`` line per problem.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from kyoten.core import reference
from kyoten.core.money import is_yen

from .solver import DEFAULT_CAP_YEN, Option, Problem, Proposal


class InputErrors(ValueError):
    """Bad input: one line per problem, each naming the field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json_text(text: str, *, source: str) -> object:
    """Parse JSON text; raise InputErrors naming the source when it is not JSON."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputErrors(
            [f"{source}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputErrors([f"{source}: not valid JSON ({exc})"]) from None


def load_file(path: str) -> object:
    """Read a JSON file (``-`` reads standard input)."""
    import sys

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputErrors([f"{path}: cannot read the file ({reason})"]) from None
    return load_json_text(text, source=path)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _positive_yen(value: object) -> bool:
    return is_yen(value) and value > 0


YEN_MESSAGE = "must be a positive integer number of yen"


def parse_problem(data: object) -> Problem:
    """Check an allocation document and build the problem; raise InputErrors on bad input."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InputErrors(["(document): must be a JSON object with budget_yen and proposals"])

    budget = data.get("budget_yen")
    if "budget_yen" not in data:
        errors.append("budget_yen: required (an integer number of yen)")
    elif not is_yen(budget):
        errors.append("budget_yen: must be a non-negative integer number of yen")

    cap = data.get("cap_yen")
    if cap is None:  # absent or null: the program's default cap
        cap = DEFAULT_CAP_YEN
    cap_ok = True
    if not _positive_yen(cap):
        errors.append(f"cap_yen: {YEN_MESSAGE}")
        cap_ok = False

    min_score = data.get("min_score")
    if min_score is not None and not _is_number(min_score):
        errors.append("min_score: must be a number")

    limits: dict[str, dict[str, int]] = {}
    for key in ("min_per_block", "max_per_block"):
        raw = data.get(key)
        limits[key] = {}
        if raw is None:
            continue
        if not isinstance(raw, dict):
            errors.append(f"{key}: must be an object mapping a block key to a number of awards")
            continue
        for block, count in raw.items():
            if block not in reference.BLOCKS:
                known = ", ".join(reference.BLOCKS)
                errors.append(f"{key}.{block}: unknown regional block (one of {known})")
            elif not _is_count(count):
                errors.append(f"{key}.{block}: must be a non-negative integer number of awards")
            else:
                limits[key][block] = count

    for key in ("min_per_category", "max_per_category", "min_yen_per_category"):
        raw = data.get(key)
        limits[key] = {}
        if raw is None:
            continue
        if not isinstance(raw, dict):
            errors.append(f"{key}: must be an object mapping a category to a number")
            continue
        for cat, amount in raw.items():
            if key == "min_yen_per_category" and not is_yen(amount):
                errors.append(f"{key}.{cat}: must be a non-negative integer number of yen")
            elif key != "min_yen_per_category" and not _is_count(amount):
                errors.append(f"{key}.{cat}: must be a non-negative integer number of awards")
            else:
                limits[key][cat] = amount

    raw_proposals = data.get("proposals")
    proposals: list[Proposal] = []
    if "proposals" not in data:
        errors.append("proposals: required (a list of proposals)")
    elif not isinstance(raw_proposals, list):
        errors.append("proposals: must be a list of proposals")
    else:
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_proposals):
            proposal = _parse_proposal(
                raw, index=index, cap=cap if cap_ok else None, seen=seen, errors=errors
            )
            if proposal is not None:
                proposals.append(proposal)

    if errors:
        raise InputErrors(errors)
    return Problem(
        budget_yen=budget,
        cap_yen=cap,
        min_score=float(min_score) if min_score is not None else None,
        proposals=tuple(proposals),
        min_per_block=limits["min_per_block"],
        max_per_block=limits["max_per_block"],
        min_per_category=limits["min_per_category"],
        max_per_category=limits["max_per_category"],
        min_yen_per_category=limits["min_yen_per_category"],
    )


def _parse_proposal(
    raw: object, *, index: int, cap: int | None, seen: dict[str, int], errors: list[str]
) -> Proposal | None:
    where = f"proposals[{index}]"
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be an object")
        return None
    before = len(errors)

    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.strip():
        errors.append(f"{where}.id: must be a non-empty string")
    elif pid in seen:
        errors.append(f"{where}.id: duplicate id {pid!r} (also proposals[{seen[pid]}].id)")
    else:
        seen[pid] = index

    prefectures = raw.get("prefectures")
    if not isinstance(prefectures, list) or not prefectures:
        errors.append(f"{where}.prefectures: must be a non-empty list of prefecture codes")
    else:
        for k, code in enumerate(prefectures):
            if not reference.is_prefecture(code):
                errors.append(
                    f"{where}.prefectures[{k}]: unknown prefecture code {code!r}"
                    " (a two-digit JIS X 0401 code, 01 to 47)"
                )

    category = raw.get("category")
    if category is not None and not isinstance(category, str):
        errors.append(f"{where}.category: must be a string (a selection category)")

    score = raw.get("score")
    if not _is_number(score):
        errors.append(f"{where}.score: must be a number")

    options: list[Option] = []
    requested = raw.get("requested_yen")
    if "requested_yen" in raw:
        if not _positive_yen(requested):
            errors.append(f"{where}.requested_yen: {YEN_MESSAGE}")
        elif cap is not None and requested > cap:
            errors.append(f"{where}.requested_yen: {requested} is above the cap (cap_yen {cap})")

    raw_options = raw.get("options")
    if raw_options is not None:
        if not isinstance(raw_options, list) or not raw_options:
            errors.append(f"{where}.options: must be a non-empty list of options")
        else:
            labels: dict[str, int] = {}
            for k, opt in enumerate(raw_options):
                option = _parse_option(
                    opt, where=f"{where}.options[{k}]", cap=cap, score=score, errors=errors
                )
                if option is None:
                    continue
                if option.label in labels:
                    errors.append(
                        f"{where}.options[{k}].label: duplicate label {option.label!r}"
                        f" (also options[{labels[option.label]}])"
                    )
                    continue
                labels[option.label] = k
                options.append(option)
    elif "requested_yen" not in raw:
        errors.append(f"{where}: needs options or requested_yen")
    elif _positive_yen(requested) and _is_number(score):
        options.append(Option(label="full", amount_yen=requested, value=float(score)))

    if len(errors) > before:
        return None
    first = prefectures[0]
    return Proposal(
        id=pid,
        prefectures=tuple(prefectures),
        block=reference.block_of(first),
        score=float(score),
        options=tuple(options),
        index=index,
        category=category or "",
    )


def _parse_option(
    raw: object, *, where: str, cap: int | None, score: object, errors: list[str]
) -> Option | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be an object with label, amount_yen and value")
        return None
    before = len(errors)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        errors.append(f"{where}.label: must be a non-empty string")
    amount = raw.get("amount_yen")
    if "amount_yen" not in raw:
        errors.append(f"{where}.amount_yen: required ({YEN_MESSAGE})")
    elif not _positive_yen(amount):
        errors.append(f"{where}.amount_yen: {YEN_MESSAGE}")
    elif cap is not None and amount > cap:
        errors.append(f"{where}.amount_yen: {amount} is above the cap (cap_yen {cap})")
    # An option without a value is worth the proposal's score.
    value = raw.get("value", score)
    if ("value" in raw or _is_number(score)) and not _is_number(value):
        errors.append(f"{where}.value: must be a number")
    if len(errors) > before or not _is_number(value):
        return None
    return Option(label=label, amount_yen=amount, value=float(value))
