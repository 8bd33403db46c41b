"""The settings of a program, as plain data the rules engine reads (no database).

The defaults are the FY2009 program of the seed policy (基本方針): a budget of 69.5 billion
yen, at most 3 billion yen per hub, four forms of development, the ten required contents
(5(2)①–⑩) and a ten-year horizon. A `calls.models.Program` row turns into one of these with
`Program.settings()`; `kyoten validate` uses `DEFAULT_PROGRAM`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

# the four forms of development (整備の形態) of seed 4(3).
FORM_NEW = "new"
FORM_EXTENSION = "extension"
FORM_JOINT = "joint"
FORM_EQUIPMENT_ONLY = "equipment_only"
FORMS: tuple[str, ...] = (FORM_NEW, FORM_EXTENSION, FORM_JOINT, FORM_EQUIPMENT_ONLY)
BUILDING_FORMS: frozenset[str] = frozenset({FORM_NEW, FORM_EXTENSION, FORM_JOINT})
FORM_LABELS = {
    FORM_NEW: _("New build (新築)"),
    FORM_EXTENSION: _("Extension (増築)"),
    FORM_JOINT: _("Joint building (合築)"),
    FORM_EQUIPMENT_ONLY: _("Equipment only (設備のみ)"),
}

# the ten required contents of seed 5(2), in order ①–⑩.
SECTIONS: tuple[str, ...] = (
    "purpose",
    "goals",
    "activity_plan",
    "positioning",
    "expected_outcomes",
    "operating_body",
    "facility_management",
    "land",
    "funding_plan",
    "facility_plan",
)
SECTION_NUMBERS = dict(zip(SECTIONS, "①②③④⑤⑥⑦⑧⑨⑩", strict=True))
SECTION_LABELS_JA = {
    "purpose": "目的",
    "goals": "数年後及び10年後の目標",
    "activity_plan": "活動計画（ビジネスモデル・PDCAサイクル）",
    "positioning": "既存の関連活動・関連施設との位置づけ",
    "expected_outcomes": "地域のイノベーション創出への成果・効果",
    "operating_body": "事業運営主体（事業運営委員会等）",
    "facility_management": "施設の管理体制",
    "land": "土地の提供",
    "funding_plan": "運営資金計画",
    "facility_plan": "施設・設備の整備計画",
}
SECTION_LABELS_EN = {
    "purpose": "purpose",
    "goals": "goals for a few years and 10 years after operation start",
    "activity_plan": "activity plan (business model with a PDCA cycle)",
    "positioning": "position among existing activities and facilities",
    "expected_outcomes": "expected outcomes for regional innovation",
    "operating_body": "operating body (operating committee etc.)",
    "facility_management": "facility management",
    "land": "land",
    "funding_plan": "funding plan",
    "facility_plan": "facility and equipment plan",
}

# goals name a KPI of the program's catalogue (key → Japanese, English label).
DEFAULT_KPIS: dict[str, tuple[str, str]] = {
    "joint_research_projects": ("共同研究件数", "joint research projects"),
    "companies_using": ("利用企業数", "companies using the hub"),
    "sme_users": ("中堅・中小企業の利用者数", "SME users"),
    "equipment_utilisation_pct": ("設備稼働率（%）", "equipment utilisation (%)"),
    "engineers_trained": ("高度技術者の養成数", "engineers trained"),
    "ventures_incubated": ("インキュベーション支援ベンチャー数", "ventures incubated"),
    "patents_filed": ("特許出願件数", "patents filed"),
    "external_funding_yen": ("外部資金獲得額（円）", "external funding (yen)"),
    "revenue_yen": ("拠点収入（円）", "hub revenue (yen)"),
    "coordinators": ("コーディネータ数", "coordinators"),
    "training_courses": ("研修講座数", "training courses"),
    "collaborating_universities": ("連携大学等数", "collaborating universities"),
}


def _in_japanese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ja").startswith("ja")


def form_label(key: str | None) -> str:
    """The label of a form key (`equipment_only` → 設備のみ), in the active language."""
    return str(FORM_LABELS[key]) if key in FORM_LABELS else (key or "")


def section_label(key: str) -> str:
    """`activity_plan` → ③ 活動計画（…） in Japanese, ③ activity plan (…) in English."""
    labels = SECTION_LABELS_JA if _in_japanese() else SECTION_LABELS_EN
    number = SECTION_NUMBERS.get(key)
    label = labels.get(key, key)
    return f"{number} {label}" if number else label


def kpi_label(key: str) -> str:
    """`joint_research_projects` → 共同研究件数 (joint research projects in English)."""
    names = DEFAULT_KPIS.get(key)
    if names is None:
        return key
    return names[0] if _in_japanese() else names[1]


def category_label(key: str, categories) -> str:
    """A selection category of a call (`call.categories`: key, label_ja, label_en) by its name in
    the reader's language (its key when the call lacks it)."""
    for c in categories or ():
        if isinstance(c, dict) and c.get("key") == key:
            label = c.get("label_ja") if _in_japanese() else c.get("label_en")
            return str(label or c.get("label_ja") or key)
    return key


# the default review criteria of seed 5(3), equal weights (total 100).
DEFAULT_REVIEW_CRITERIA = [
    {"key": "purpose_goals", "label_ja": "目的・目標の明確さ",
     "label_en": "clarity of purpose and goals", "weight": 20},
    {"key": "activity_plan", "label_ja": "活動計画（研究活動、人材の交流・育成）",
     "label_en": "activity plan (research, exchange and development of people)", "weight": 20},
    {"key": "sustainability", "label_ja": "運営・資金の持続性",
     "label_en": "sustainability of operation and funding", "weight": 20},
    {"key": "regional_innovation", "label_ja": "地域のイノベーション創出への貢献",
     "label_en": "contribution to regional innovation", "weight": 20},
    {"key": "regional_growth", "label_ja": "地域の産学官連携と経済活動の発展",
     "label_en": "growth of regional collaboration and economy beyond today", "weight": 20},
]  # fmt: skip


@dataclass(frozen=True)
class ProgramSettings:
    """Every number and list a rule reads. Money in integer yen."""

    budget_yen: int = 69_500_000_000
    cap_yen: int = 3_000_000_000
    allowed_forms: tuple[str, ...] = FORMS
    required_sections: tuple[str, ...] = SECTIONS
    kpi_catalogue: tuple[str, ...] = tuple(DEFAULT_KPIS)
    # the funding plan covers years 1..horizon_years of operation; goals exist for
    # some year in near_goal_years and for year horizon_years.
    horizon_years: int = 10
    near_goal_years: tuple[int, int] = (3, 5)
    # the date designated cities are counted on when a proposal does not give its
    # call date (the FY2009 call opened on 31 July 2009).
    designated_city_reference_date: dt.date = dt.date(2009, 7, 31)
    # Selection categories of a call, (key, Japanese, English): a proposal names one.
    categories: tuple[tuple[str, str, str], ...] = ()

    def with_changes(self, **changes) -> ProgramSettings:
        return replace(self, **changes)


DEFAULT_PROGRAM = ProgramSettings()
