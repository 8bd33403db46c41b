"""The proposal document of SPEC §4 ("proposal file"): structural checks only.

A document that is not of the right shape (not JSON, wrong types, a float/string/negative
number of yen, a boolean where a number belongs, an unknown prefecture code, a bad date) is
*bad input*: `parse_document` lists one `Problem` per wrong field and the document is not
checked against the rules. A document of the right shape may still break rules (an empty
section, a missing signatory, an amount over the cap): those are findings of
`kyoten.proposals.eligibility`, not problems here.

Missing keys and `null` are of the right shape (a draft may leave anything out); the rules
decide whether they are allowed. `parse_document` returns the document with every top-level
key present (absent ones as `None`), which is the form the rules engine reads and the
`Proposal.content` field stores.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, NamedTuple

from kyoten.core.money import is_yen
from kyoten.core.reference import is_prefecture

TOP_LEVEL_KEYS: tuple[str, ...] = (
    "title",
    "lead_prefecture",
    "prefectures",
    "call_date",
    "representative",
    "representative_reason",
    "signatories",
    "partner_governors",
    "designated_city_consultations",
    "form",
    "requested_yen",
    "land",
    "existing_building",
    "operation_start_fy",
    "sections",
    "goals",
    "funding_plan",
    "pdca",
    "equipment_plan",
)
SIGNATORY_ROLES: tuple[str, ...] = ("governor", "university_head", "industry")
MIN_FY, MAX_FY = 1900, 2200


class Problem(NamedTuple):
    """One structural problem: the field (JSON path) and what is wrong with it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def empty_document() -> dict[str, Any]:
    return {key: None for key in TOP_LEVEL_KEYS}


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # Scalars: each returns the value when it is acceptable (None allowed), else None.
    def string(self, value: Any, path: str) -> str | None:
        if value is None or isinstance(value, str):
            return value
        self.bad(path, "must be a string")
        return None

    def yen(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None and not required:
            return None
        if is_yen(value):
            return value
        self.bad(path, "must be a non-negative integer number of yen")
        return None

    def integer(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None and not required:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.bad(path, "must be an integer" if value is not None else "is required")
        return None

    def fiscal_year(self, value: Any, path: str, *, required: bool = False) -> int | None:
        if value is None and not required:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and MIN_FY <= value <= MAX_FY:
            return value
        if value is None:
            self.bad(path, "is required")
        else:
            self.bad(path, f"must be a fiscal year (an integer from {MIN_FY} to {MAX_FY})")
        return None

    def number(self, value: Any, path: str, *, required: bool = False) -> float | int | None:
        if value is None and not required:
            return None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        ):
            return value
        self.bad(path, "must be a non-negative number" if value is not None else "is required")
        return None

    def date(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if len(value) == 10:
                    return value
        self.bad(path, "must be a date written YYYY-MM-DD")
        return None

    def prefecture(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(path, 'must be a prefecture code as a string (JIS X 0401, e.g. "13")')
            return None
        if not is_prefecture(value):
            self.bad(path, f"unknown prefecture code {value!r} (JIS X 0401, 01 to 47)")
            return None
        return value

    def object(self, value: Any, path: str) -> dict | None:
        if value is None or isinstance(value, dict):
            return value
        self.bad(path or "(document)", "must be an object")
        return None

    def array(self, value: Any, path: str) -> list | None:
        if value is None or isinstance(value, list):
            return value
        self.bad(path, "must be an array")
        return None

    def strings_of(self, value: Any, path: str, keys: tuple[str, ...]) -> dict | None:
        obj = self.object(value, path)
        if obj is None:
            return None
        out = dict(obj)
        for key in keys:
            if key in obj:
                out[key] = self.string(obj[key], _join(path, key))
        return out

    def yen_map(self, value: Any, path: str) -> dict[str, int] | None:
        obj = self.object(value, path)
        if obj is None:
            return None
        return {
            key: self.yen(amount, _join(path, key), required=True) for key, amount in obj.items()
        }


def parse_document(raw: Any) -> tuple[dict[str, Any], list[Problem]]:
    """Check the shape of a proposal document; (document with every key, problems)."""
    c = _Checker()
    if not isinstance(raw, dict):
        c.bad("(document)", "must be a JSON object")
        return empty_document(), c.problems
    doc = empty_document()
    doc.update(raw)

    doc["title"] = c.string(raw.get("title"), "title")
    doc["lead_prefecture"] = c.prefecture(raw.get("lead_prefecture"), "lead_prefecture")
    prefs = c.array(raw.get("prefectures"), "prefectures")
    if prefs is not None:
        prefs = [c.prefecture(code, _join("prefectures", i)) for i, code in enumerate(prefs)]
        for i, code in enumerate(prefs):
            if code is None and raw["prefectures"][i] is None:
                c.bad(_join("prefectures", i), "must be a prefecture code, not null")
    doc["prefectures"] = prefs
    doc["call_date"] = c.date(raw.get("call_date"), "call_date")
    doc["representative"] = c.string(raw.get("representative"), "representative")
    doc["representative_reason"] = c.string(
        raw.get("representative_reason"), "representative_reason"
    )

    signatories = c.object(raw.get("signatories"), "signatories")
    if signatories is not None:
        signatories = {
            role: c.strings_of(person, _join("signatories", role), ("name", "organization"))
            for role, person in signatories.items()
        }
    doc["signatories"] = signatories

    # R-3 in a consortium: the governor of each partner prefecture signs too.
    partners = c.object(raw.get("partner_governors"), "partner_governors")
    if partners is not None:
        partners = {
            code: c.strings_of(person, _join("partner_governors", code), ("name",))
            for code, person in partners.items()
        }
    doc["partner_governors"] = partners

    consultations = c.array(
        raw.get("designated_city_consultations"), "designated_city_consultations"
    )
    if consultations is not None:
        checked = []
        for i, item in enumerate(consultations):
            path = _join("designated_city_consultations", i)
            item = c.object(item, path)
            if item is None:
                if consultations[i] is None:
                    c.bad(path, "must be an object")
                continue
            item = dict(item)
            item["city"] = c.string(item.get("city"), _join(path, "city"))
            item["date"] = c.date(item.get("date"), _join(path, "date"))
            checked.append(item)
        consultations = checked
    doc["designated_city_consultations"] = consultations

    doc["form"] = c.string(raw.get("form"), "form")
    doc["requested_yen"] = c.yen(raw.get("requested_yen"), "requested_yen")

    land = c.strings_of(raw.get("land"), "land", ("address", "provided_by"))
    if land is not None and "area_m2" in land:
        land["area_m2"] = c.number(land["area_m2"], "land.area_m2")
    doc["land"] = land
    doc["existing_building"] = c.strings_of(
        raw.get("existing_building"), "existing_building", ("name", "address")
    )
    doc["operation_start_fy"] = c.fiscal_year(raw.get("operation_start_fy"), "operation_start_fy")

    sections = c.object(raw.get("sections"), "sections")
    if sections is not None:
        sections = {key: c.string(text, _join("sections", key)) for key, text in sections.items()}
    doc["sections"] = sections

    doc["goals"] = _items(c, raw.get("goals"), "goals", _goal)
    doc["funding_plan"] = _items(c, raw.get("funding_plan"), "funding_plan", _funding_year)
    doc["pdca"] = _items(c, raw.get("pdca"), "pdca", _pdca)
    doc["equipment_plan"] = _items(c, raw.get("equipment_plan"), "equipment_plan", _equipment)
    # Selection category of the call (構想支援地域 / 基盤形成支援地域) and alternative plans
    # beside the full request (SPEC §4 `options`): optional, kept only when given.
    if "category" in raw:
        doc["category"] = c.string(raw.get("category"), "category")
    if "allocation_options" in raw:
        doc["allocation_options"] = _items(
            c, raw.get("allocation_options"), "allocation_options", _option
        )
    return doc, c.problems


def _option(c: _Checker, item: Any, path: str) -> dict:
    item = dict(item)
    item["label"] = c.string(item.get("label"), _join(path, "label"))
    item["amount_yen"] = c.yen(item.get("amount_yen"), _join(path, "amount_yen"), required=True)
    item["drops"] = c.string(item.get("drops"), _join(path, "drops"))
    return item


def _items(c: _Checker, value: Any, path: str, check) -> list | None:
    items = c.array(value, path)
    if items is None:
        return None
    out = []
    for i, item in enumerate(items):
        item_path = _join(path, i)
        if not isinstance(item, dict):
            c.bad(item_path, "must be an object")
            continue
        out.append(check(c, dict(item), item_path))
    return out


def _goal(c: _Checker, item: dict, path: str) -> dict:
    item["kpi"] = c.string(item.get("kpi"), _join(path, "kpi"))
    item["fiscal_year"] = c.fiscal_year(
        item.get("fiscal_year"), _join(path, "fiscal_year"), required=True
    )
    kpi = item["kpi"] or ""
    # A missing target is for the rules to report; a wrong one is bad input.
    if kpi.endswith("_yen"):
        item["target"] = c.yen(item.get("target"), _join(path, "target"))
    else:
        item["target"] = c.number(item.get("target"), _join(path, "target"))
    return item


def _funding_year(c: _Checker, item: dict, path: str) -> dict:
    item["fiscal_year"] = c.fiscal_year(
        item.get("fiscal_year"), _join(path, "fiscal_year"), required=True
    )
    item["revenue_yen"] = c.yen_map(item.get("revenue_yen"), _join(path, "revenue_yen")) or {}
    item["cost_yen"] = c.yen_map(item.get("cost_yen"), _join(path, "cost_yen")) or {}
    item["jst_operating_yen"] = (
        c.yen(item.get("jst_operating_yen"), _join(path, "jst_operating_yen")) or 0
    )
    return item


def _pdca(c: _Checker, item: dict, path: str) -> dict:
    item["fiscal_year"] = c.fiscal_year(item.get("fiscal_year"), _join(path, "fiscal_year"))
    for key in ("plan", "do", "check", "act"):
        if key in item:
            item[key] = c.string(item[key], _join(path, key))
    return item


def _equipment(c: _Checker, item: dict, path: str) -> dict:
    item["name"] = c.string(item.get("name"), _join(path, "name"))
    item["category"] = c.string(item.get("category"), _join(path, "category"))
    item["cost_yen"] = c.yen(item.get("cost_yen"), _join(path, "cost_yen"))
    return item


def load_document(text: str | bytes) -> tuple[dict[str, Any], list[Problem]]:
    """Parse JSON text into a checked document; a JSON syntax error is one problem."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        raw = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        return empty_document(), [Problem("(document)", "is not UTF-8 text")]
    except ValueError as exc:
        return empty_document(), [Problem("(document)", f"is not valid JSON ({exc})")]
    return parse_document(raw)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")
