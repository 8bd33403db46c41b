"""Two versions of a proposal compared part by part, for people (no JSON).

`version_diff(old, new)` returns a list of changed parts in the order of the editor; each is
`{"part", "kind", ...}`: `text` (a section: segments of unchanged, removed and added text,
compared character by character so that Japanese words show), `value` (before / after of one
field), `rows` (a table such as the funding plan or the equipment plan: rows before / after).
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from django.utils.translation import gettext as _

from kyoten.calls.program import SECTIONS, form_label, kpi_label
from kyoten.core.dates import format_day
from kyoten.core.fiscal import fy_label
from kyoten.core.money import format_yen
from kyoten.core.reference import prefectures
from kyoten.proposals.forms import option_label


def segments(old: str, new: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind `same`, `del` or `add`."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(("del", old[i1:i2]))
        if j2 > j1:
            out.append(("add", new[j1:j2]))
    return out


def _yen(value: Any) -> str:
    return format_yen(value) if isinstance(value, int) and not isinstance(value, bool) else "—"


def _prefs(codes: Any) -> str:
    names = prefectures()
    return "、".join(names[c].name_ja if c in names else str(c) for c in codes or []) or "—"


def _day(value: Any) -> str:
    try:
        return format_day(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "—")


def _place(value: Any) -> str:
    if not isinstance(value, dict):
        return "—"
    return " ".join(str(v) for k, v in value.items() if v not in (None, "") and k != "provided_by")


def _funding(plan: Any) -> dict:
    rows = {}
    for year in plan or []:
        revenue = sum((year.get("revenue_yen") or {}).values())
        cost = sum((year.get("cost_yen") or {}).values())
        rows[year.get("fiscal_year")] = (
            f"{_yen(revenue)} / {_yen(cost)} / {_yen(year.get('jst_operating_yen') or 0)}"
        )
    return rows


def version_diff(old: dict, new: dict, *, categories: dict[str, str] | None = None) -> list[dict]:
    old, new = old or {}, new or {}
    categories = categories or {}
    parts: list[dict] = []

    def value(key: str, label: str, show) -> None:
        a, b = old.get(key), new.get(key)
        if a != b:
            parts.append({"part": label, "kind": "value", "before": show(a), "after": show(b)})

    value("title", _("Proposal title"), lambda v: v or "—")
    value("prefectures", _("Participating prefectures"), _prefs)
    value("form", _("Form of the hub"), lambda v: form_label(v) if v else "—")
    value("requested_yen", _("Requested amount"), _yen)
    value("operation_start_fy", _("Operation starts in"), lambda v: fy_label(v) if v else "—")
    value("category", _("Selection category"), lambda v: categories.get(v, v) if v else "—")
    value("land", _("Land (site)"), _place)
    value("existing_building", _("Existing building (site)"), _place)
    old_sections, new_sections = old.get("sections") or {}, new.get("sections") or {}
    for key in SECTIONS:
        a, b = old_sections.get(key) or "", new_sections.get(key) or ""
        if a != b:
            parts.append({"part": key, "kind": "text", "segments": segments(a, b)})

    def rows(key: str, label: str, columns: list[str], row_of) -> None:
        a = [row_of(r) for r in old.get(key) or []]
        b = [row_of(r) for r in new.get(key) or []]
        if a != b:
            parts.append({"part": label, "kind": "rows", "columns": columns, "before": a,
                          "after": b, "removed": [r for r in a if r not in b],
                          "added": [r for r in b if r not in a]})  # fmt: skip

    rows("goals", _("Goals"), [_("Indicator"), _("Fiscal year"), _("Target value")],
         lambda g: [kpi_label(g.get("kpi") or ""), fy_label(g["fiscal_year"]) if g.get("fiscal_year") else "—",
                    f"{g.get('target'):,}" if isinstance(g.get("target"), int) else "—"])  # fmt: skip
    a_plan, b_plan = _funding(old.get("funding_plan")), _funding(new.get("funding_plan"))
    if a_plan != b_plan:
        years = sorted({*a_plan, *b_plan}, key=lambda y: (y is None, y))
        parts.append({"part": _("Operating funding plan (revenue / cost / JST operating)"), "kind": "money",
                      "rows": [(fy_label(y) if y else "—", a_plan.get(y, "—"), b_plan.get(y, "—"))
                               for y in years if a_plan.get(y) != b_plan.get(y)]})  # fmt: skip
    rows(
        "equipment_plan",
        _("Equipment plan"),
        [_("Equipment"), _("Category"), _("Amount")],
        lambda e: [e.get("name") or "", e.get("category") or "", _yen(e.get("cost_yen"))],
    )
    rows(
        "allocation_options",
        _("Alternative plans"),
        [_("Kind of plan"), _("Amount"), _("What it drops")],
        lambda o: [
            option_label(o.get("label") or ""),
            _yen(o.get("amount_yen")),
            o.get("drops") or "",
        ],
    )
    rows("pdca", _("PDCA cycle"), [_("Fiscal year"), _("Plan (PDCA)"), _("Check (PDCA)"), _("Act (PDCA)")],
         lambda p: [fy_label(p["fiscal_year"]) if p.get("fiscal_year") else "—", p.get("plan") or "",
                    p.get("check") or "", p.get("act") or ""])  # fmt: skip
    rows(
        "designated_city_consultations",
        _("Prior consultation with designated cities"),
        [_("City"), _("Date")],
        lambda c: [c.get("city") or "", _day(c.get("date"))],
    )
    return parts
