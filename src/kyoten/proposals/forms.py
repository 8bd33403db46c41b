"""The workspace's parts: turn a part's POST data into keys of the proposal document.

Each part of the editor (basics, signatories, …, funding plan) is its own small form that is
saved as you go. `PART_PARSERS[part](post)` returns `(changes, errors)`: the document keys the
part owns, and `{field: message}` for what could not be read (the rest is still saved).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.calls.program import SECTIONS

REVENUE_SOURCES = ("usage_fees", "joint_research", "prefecture", "other")
COST_ITEMS = ("staff", "maintenance", "utilities", "other")
SOURCE_LABELS = {
    "usage_fees": ("利用料収入", "usage fees"),
    "joint_research": ("共同研究収入", "joint research"),
    "prefecture": ("県負担金", "prefecture"),
    "other": ("その他", "other"),
    "staff": ("人件費", "staff"),
    "maintenance": ("保守・維持費", "maintenance"),
    "utilities": ("光熱水費", "utilities"),
}


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _int(value: str | None, field: str, errors: dict[str, str]) -> int | None:
    value = unicodedata.normalize("NFKC", value or "").replace(",", "").replace("¥", "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = _("Enter a whole number (yen are integers).")
        return None
    if number < 0:
        errors[field] = _("Enter a number of 0 or more.")
        return None
    return number


def _rows(post, *names: str) -> list[dict[str, str]]:
    columns = [post.getlist(name) for name in names]
    length = max((len(c) for c in columns), default=0)
    return [
        {name: (col[i] if i < len(col) else "") for name, col in zip(names, columns, strict=True)}
        for i in range(length)
    ]


def parse_basics(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    prefs = [c for c in post.getlist("prefectures") if c]
    lead = _text(post.get("lead_prefecture"))
    changes = {
        "title": _text(post.get("title")),
        "lead_prefecture": lead,
        "prefectures": list(dict.fromkeys(([lead] if lead else []) + prefs)),
        "form": _text(post.get("form")),
        "requested_yen": _int(post.get("requested_yen"), "requested_yen", errors),
        "operation_start_fy": _int(post.get("operation_start_fy"), "operation_start_fy", errors),
        "representative": _text(post.get("representative")) or "governor",
        "representative_reason": _text(post.get("representative_reason")),
    }
    return {k: v for k, v in changes.items() if k not in errors}, errors


def parse_signatories(post) -> tuple[dict[str, Any], dict[str, str]]:
    people = {}
    for role in ("governor", "university_head", "industry"):
        person = {"name": _text(post.get(f"{role}_name"))}
        if role != "governor":
            person["organization"] = _text(post.get(f"{role}_organization"))
        people[role] = person
    partners = {
        key.removeprefix("partner_governor_"): {"name": _text(value)}
        for key, value in post.items()
        if key.startswith("partner_governor_")
    }
    return {"signatories": people, "partner_governors": partners}, {}


def parse_consultations(post) -> tuple[dict[str, Any], dict[str, str]]:
    items = [
        {"city": row["city"].strip(), "date": row["date"].strip() or None}
        for row in _rows(post, "city", "date")
        if row["city"].strip()
    ]
    return {"designated_city_consultations": items}, {}


def parse_site(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    land = None
    if any(_text(post.get(k)) for k in ("land_address", "land_area_m2")):
        land = {
            "address": _text(post.get("land_address")),
            "area_m2": _int(post.get("land_area_m2"), "land.area_m2", errors),
            "provided_by": _text(post.get("land_provided_by")) or "prefecture",
        }
    building = None
    if any(_text(post.get(k)) for k in ("building_name", "building_address")):
        building = {
            "name": _text(post.get("building_name")),
            "address": _text(post.get("building_address")),
        }
    return {"land": land, "existing_building": building}, errors


def parse_sections(post) -> tuple[dict[str, Any], dict[str, str]]:
    return {"sections": {key: post.get(f"section_{key}", "").strip() for key in SECTIONS}}, {}


def parse_goals(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    goals = []
    for i, row in enumerate(_rows(post, "kpi", "fiscal_year", "target")):
        if not row["kpi"].strip():
            continue
        fy = _int(row["fiscal_year"], f"goals[{i}].fiscal_year", errors)
        target = _int(row["target"], f"goals[{i}].target", errors)
        if fy is None:
            errors.setdefault(f"goals[{i}].fiscal_year", _("Enter the fiscal year."))
            continue
        goals.append({"kpi": row["kpi"].strip(), "fiscal_year": fy, "target": target or 0})
    return {"goals": goals}, errors


def parse_funding(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    names = (
        ["fiscal_year", "jst_operating_yen"]
        + [f"revenue_{s}" for s in REVENUE_SOURCES]
        + [f"cost_{c}" for c in COST_ITEMS]
    )
    plan = []
    for i, row in enumerate(_rows(post, *names)):
        fy = _int(row["fiscal_year"], f"funding_plan[{i}].fiscal_year", errors)
        if fy is None:
            continue
        year = {"fiscal_year": fy, "revenue_yen": {}, "cost_yen": {}}
        for s in REVENUE_SOURCES:
            year["revenue_yen"][s] = (
                _int(row[f"revenue_{s}"], f"funding_plan[{i}].revenue_yen.{s}", errors) or 0
            )
        for c in COST_ITEMS:
            year["cost_yen"][c] = (
                _int(row[f"cost_{c}"], f"funding_plan[{i}].cost_yen.{c}", errors) or 0
            )
        year["jst_operating_yen"] = (
            _int(row["jst_operating_yen"], f"funding_plan[{i}].jst_operating_yen", errors) or 0
        )
        plan.append(year)
    return {"funding_plan": plan}, errors


def parse_pdca(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    items = []
    for i, row in enumerate(_rows(post, "fiscal_year", "plan", "check", "act")):
        if not any(row[k].strip() for k in ("plan", "check", "act")):
            continue
        items.append({
            "fiscal_year": _int(row["fiscal_year"], f"pdca[{i}].fiscal_year", errors),
            "plan": row["plan"].strip(), "check": row["check"].strip(), "act": row["act"].strip(),
        })  # fmt: skip
    return {"pdca": items}, errors


def parse_equipment(post) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    items = []
    for i, row in enumerate(_rows(post, "name", "category", "cost_yen")):
        if not row["name"].strip():
            continue
        items.append({
            "name": row["name"].strip(), "category": row["category"].strip(),
            "cost_yen": _int(row["cost_yen"], f"equipment_plan[{i}].cost_yen", errors) or 0,
        })  # fmt: skip
    return {"equipment_plan": items}, errors


# Kinds of alternative plan an applicant may offer beside the full request (SPEC §4 options).
OPTION_KINDS = ("reduced", "equipment_only", "reduced2")
# Every plan's name as people read it, the full request and the officer's addition included.
OPTION_LABELS = {
    "full": gettext_lazy("Full request"),
    "reduced": gettext_lazy("Reduced plan"),
    "equipment_only": gettext_lazy("Equipment only"),
    "reduced2": gettext_lazy("Second reduced plan"),
    "review": gettext_lazy("Reduced at the review's request"),
}


def option_label(key: str) -> str:
    """A plan's name as people read it (`reduced` → 縮小案); the officer's second and later
    plans (`review2`, …) carry their number; a label of no known kind is shown as written."""
    key = str(key or "")
    if key in OPTION_LABELS:
        return str(OPTION_LABELS[key])
    base = key.rstrip("0123456789")
    if base == "review" and key != base:
        return f"{OPTION_LABELS['review']} {key[len(base) :]}"
    return key


def parse_selection(post) -> tuple[dict[str, Any], dict[str, str]]:
    """The selection category of the call and the alternative plans beside the full request."""
    errors: dict[str, str] = {}
    options = []
    for i, row in enumerate(_rows(post, "option_label", "option_amount_yen", "option_drops")):
        amount = _int(row["option_amount_yen"], f"allocation_options[{i}].amount_yen", errors)
        if not row["option_label"].strip() or amount is None:
            continue
        options.append({"label": row["option_label"].strip(), "amount_yen": amount,
                        "drops": row["option_drops"].strip()})  # fmt: skip
    return {"category": _text(post.get("category")), "allocation_options": options}, errors


PART_PARSERS = {
    "selection": parse_selection,
    "basics": parse_basics,
    "signatories": parse_signatories,
    "consultations": parse_consultations,
    "site": parse_site,
    "sections": parse_sections,
    "goals": parse_goals,
    "funding": parse_funding,
    "pdca": parse_pdca,
    "equipment": parse_equipment,
}

# Which part of the editor holds a finding's field (for the checklist's links).
FIELD_PARTS = [
    ("signatories", "signatories"), ("representative", "basics"), ("designated_city", "consultations"),
    ("land", "site"), ("existing_building", "site"), ("sections.", "sections"), ("goals", "goals"),
    ("funding_plan", "funding"), ("pdca", "pdca"), ("equipment_plan", "equipment"),
    ("category", "selection"), ("allocation_options", "selection"),
]  # fmt: skip


@functools.cache
def part_keys() -> dict[str, tuple[str, ...]]:
    """The document keys each editor part writes (what its parser gives for an empty form)."""
    return {part: tuple(sorted(parse(QueryDict())[0])) for part, parse in PART_PARSERS.items()}


def part_of(field: str) -> str:
    for prefix, part in FIELD_PARTS:
        if field.startswith(prefix):
            return part
    return "basics"


def funding_totals(plan: list[dict] | None) -> dict[str, Any]:
    """Per year and over the decade: revenue, cost, balance (surplus > 0, deficit < 0)."""
    rows = []
    for year in plan or []:
        revenue = sum((year.get("revenue_yen") or {}).values())
        cost = sum((year.get("cost_yen") or {}).values())
        rows.append({"fiscal_year": year.get("fiscal_year"), "revenue": revenue, "cost": cost,
                     "balance": revenue - cost})  # fmt: skip
    total_revenue = sum(r["revenue"] for r in rows)
    total_cost = sum(r["cost"] for r in rows)
    return {"rows": rows, "revenue": total_revenue, "cost": total_cost,
            "balance": total_revenue - total_cost}  # fmt: skip
