"""What a reviewer needs to judge a proposal against R-11, read from the handed-in version.

The sections with their Japanese headings in the program's order, the goals and KPIs by name,
the ten-year funding plan (per year and over the decade), the equipment plan, the prefectures,
and a link to the PDF of the version. Reviewers always judge what was handed in (the latest
version), never the working copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from kyoten.calls.program import SECTION_NUMBERS, category_label, kpi_label, section_label
from kyoten.core.reference import prefectures
from kyoten.proposals.forms import funding_totals


@dataclass
class Dossier:
    version_number: int | None
    requested_yen: int | None
    form: str
    category: str
    prefectures: list[str]
    sections: list[tuple[str, str]]
    goals: list[dict[str, Any]]
    funding: dict[str, Any]
    funding_rows: list[dict[str, Any]]
    equipment: list[dict[str, Any]]
    equipment_total_yen: int
    options: list[dict[str, Any]] = field(default_factory=list)


def _prefecture_names(proposal, content: dict) -> list[str]:
    names = prefectures()
    ja = (get_language() or "ja").startswith("ja")
    codes = list(content.get("prefectures") or [])
    lead = content.get("lead_prefecture") or proposal.lead_prefecture_id
    if lead and lead not in codes:
        codes.insert(0, lead)
    out = []
    for code in codes:
        fact = names.get(code)
        label = (fact.name_ja if ja else fact.name_en) if fact else str(code)
        out.append(label)
    return out


def proposal_dossier(proposal) -> Dossier:
    """The dossier of the proposal's latest version (or its working copy before any)."""
    version = getattr(proposal, "latest_version", None)
    content = (version.content if version else None) or proposal.content or {}
    texts = content.get("sections") or {}
    ordered = sorted(texts, key=lambda k: (k not in SECTION_NUMBERS, SECTION_NUMBERS.get(k, k)))
    sections = [(section_label(k), texts[k] or "") for k in ordered]
    goals = [
        {
            "kpi": kpi_label(g.get("kpi") or ""),
            "money": str(g.get("kpi") or "").endswith("_yen"),
            "fiscal_year": g.get("fiscal_year"),
            "target": g.get("target"),
        }
        for g in content.get("goals") or []
        if isinstance(g, dict)
    ]
    plan = [y for y in content.get("funding_plan") or [] if isinstance(y, dict)]
    rows = []
    for year in sorted(plan, key=lambda y: y.get("fiscal_year") or 0):
        revenue = year.get("revenue_yen") or {}
        cost = year.get("cost_yen") or {}
        rows.append(
            {
                "fiscal_year": year.get("fiscal_year"),
                "revenue": sorted(revenue.items()),
                "cost": sorted(cost.items()),
                "jst_operating_yen": year.get("jst_operating_yen") or 0,
            }
        )
    equipment = [e for e in content.get("equipment_plan") or [] if isinstance(e, dict)]
    return Dossier(
        version_number=version.number if version else None,
        requested_yen=(version.requested_yen if version else None)
        or content.get("requested_yen")
        or proposal.requested_yen,
        form=content.get("form") or "",
        category=category_label(
            proposal.category or content.get("category") or "", proposal.call.categories
        ),
        prefectures=_prefecture_names(proposal, content),
        sections=sections,
        goals=goals,
        funding=funding_totals(plan),
        funding_rows=rows,
        equipment=equipment,
        equipment_total_yen=sum(
            e["cost_yen"] for e in equipment if isinstance(e.get("cost_yen"), int)
        ),
        options=[o for o in content.get("allocation_options") or [] if isinstance(o, dict)],
    )
