"""The KPI catalogue, target interpolation and the status rule (pure Python, no database).

Everything here is documented in docs/monitoring.md; the numbers are the program's defaults.

* The catalogue contains every key a proposal may use in `goals[].kpi` (the calls app's
  `DEFAULT_KPIS`, SPEC §4) plus the indicators of issue 9 (ventures graduated, patents
  licensed, self-funding ratio, …). Each KPI has a unit, a definition, a direction and a source:
  `platform` (computed from the platform's own records: equipment, joint research), `financial` (derived from the
  year's financial actuals) or `reported` (entered by the hub in its annual report).
* Targets between two goal years are linear; before the first goal year they ramp up
  proportionally from zero in the year before operation start (flat for lower-is-better KPIs);
  after the last goal year they stay flat.
* Status: the achievement ratio (actual ÷ target; target ÷ actual when lower is better) is
  on track at 90 % or more, at risk at 70 % or more, otherwise off track.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kyoten.calls.program import DEFAULT_KPIS

COUNT, PERCENT, YEN = "count", "percent", "yen"
PLATFORM, FINANCIAL, REPORTED = "platform", "financial", "reported"

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
NO_TARGET, NO_DATA = "no_target", "no_data"
STATUS_LABELS = {
    ON_TRACK: _("on track"),
    AT_RISK: _("at risk"),
    OFF_TRACK: _("off track"),
    NO_TARGET: _("no target"),
    NO_DATA: _("no data"),
}
STATUS_ORDER = (OFF_TRACK, AT_RISK, ON_TRACK, NO_DATA, NO_TARGET)

# The status rule (percent of the target reached).
ON_TRACK_PCT = 90
AT_RISK_PCT = 70


@dataclass(frozen=True)
class Kpi:
    key: str
    label_ja: str
    label_en: str
    unit: str
    definition: str
    higher_is_better: bool = True
    source: str = REPORTED
    key_indicator: bool = False  # a column of the program-wide heat table
    max_value: int | None = None  # 100 for shares that cannot exceed the whole

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "ja").startswith("en") else self.label_ja

    @property
    def unit_label(self) -> str:
        return {COUNT: "件・人", PERCENT: "%", YEN: "円"}[self.unit]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label_ja": self.label_ja,
            "label_en": self.label_en,
            "unit": self.unit,
            "definition": self.definition,
            "higher_is_better": self.higher_is_better,
            "source": self.source,
            "key_indicator": self.key_indicator,
        }


def _k(key, unit, definition, **kw) -> Kpi:
    ja, en = DEFAULT_KPIS.get(key, (None, None))
    return Kpi(
        key=key,
        label_ja=kw.pop("label_ja", None) or ja,
        label_en=kw.pop("label_en", None) or en,
        unit=unit,
        definition=definition,
        **kw,
    )


CATALOGUE: dict[str, Kpi] = {
    k.key: k
    for k in [
        _k("joint_research_projects", COUNT,
           "契約期間がその年度にかかる産学官共同研究の件数（継続分を含め1件は1回）。"
           "共同研究の記録から算出。",
           source=PLATFORM, key_indicator=True),
        _k("companies_using", COUNT,
           "その年度に拠点の設備を予約・利用した企業の数（重複なし）。予約記録から算出。",
           source=PLATFORM, key_indicator=True),
        _k("sme_users", COUNT,
           "その年度に設備を利用した中堅・中小企業の利用者数（重複なし）。予約記録から算出。",
           source=PLATFORM, key_indicator=True),
        _k("sme_share_pct", PERCENT,
           "その年度の設備利用時間のうち中堅・中小企業による利用の割合（%）。予約記録から算出。",
           label_ja="中小企業利用比率（%）", label_en="SME share of equipment hours (%)",
           source=PLATFORM, max_value=100),
        _k("equipment_utilisation_pct", PERCENT,
           "供用中の設備の予約時間 ÷ 開館時間（%）。予約記録から算出。",
           source=PLATFORM, key_indicator=True, max_value=100),
        _k("trainees", COUNT,
           "その年度に設備利用講習を修了し認定を受けた人数（重複なし）。認定記録から算出。",
           label_ja="講習修了者数", label_en="trainees certified", source=PLATFORM),
        _k("engineers_trained", COUNT,
           "その年度に認定を受けた修了者のうち企業に所属する技術者の数。認定記録から算出。",
           source=PLATFORM, key_indicator=True),
        _k("usage_revenue_yen", YEN,
           "その年度の設備利用料収入（円）。利用料の請求記録から算出。",
           label_ja="設備利用料収入（円）", label_en="equipment usage revenue (yen)",
           source=PLATFORM),
        _k("ventures_incubated", COUNT,
           "その年度にインキュベーション施設に入居していたベンチャーの数。入居者の記録から算出。",
           source=PLATFORM),
        _k("ventures_graduated", COUNT,
           "その年度にインキュベーション施設を卒業したベンチャーの数。入居者の記録から算出。",
           label_ja="卒業ベンチャー数", label_en="ventures graduated", source=PLATFORM),
        _k("patents_filed", COUNT,
           "拠点での研究成果によるその年度の特許出願件数（出願日ベース）。知財の記録から算出。",
           source=PLATFORM, key_indicator=True),
        _k("patents_licensed", COUNT,
           "その年度に実施許諾・譲渡した特許の件数（同じ特許は1回）。知財の記録から算出。",
           label_ja="特許実施許諾件数", label_en="patents licensed", source=PLATFORM),
        _k("consultations", COUNT,
           "その年度に受け付けた企業からの技術相談の件数（受付日ベース）。技術相談の記録から算出。",
           label_ja="技術相談件数", label_en="technical consultations", source=PLATFORM),
        _k("consultations_converted", COUNT,
           "その年度に受け付けた技術相談のうち、設備利用・研修・共同研究・他拠点への紹介に"
           "つながった件数。技術相談の記録から算出。",
           label_ja="成果につながった技術相談件数", label_en="consultations converted",
           source=PLATFORM),
        _k("external_funding_yen", YEN,
           "その年度に受け取った（受領日ベース）企業・公的制度（JSTを除く）・他の都道府県からの"
           "外部資金（円）。拠点の地元の都道府県の資金は含まない。共同研究の記録から算出。",
           source=PLATFORM),
        _k("revenue_yen", YEN,
           "その年度の拠点の収入合計（円）。年度報告の財務実績の収入の合計。",
           source=FINANCIAL, key_indicator=True),
        _k("self_funding_ratio_pct", PERCENT,
           "自己収入（収入のうち都道府県・市町村・国の負担分を除く額）÷ 運営費の合計（%）。"
           "年度報告の財務実績から算出。",
           label_ja="自己収入比率（%）", label_en="self-funding ratio (%)",
           source=FINANCIAL, key_indicator=True),
        _k("coordinators", COUNT, "その年度末に配置しているコーディネータの人数。"),
        _k("training_courses", COUNT, "その年度に開講した研修講座の数。"),
        _k("collaborating_universities", COUNT, "その年度に連携している大学・高専等の数。"),
        _k("equipment_downtime_pct", PERCENT,
           "故障・保守で設備が利用できなかった時間 ÷ 開館時間（%）。低いほど良い。",
           label_ja="設備停止率（%）", label_en="equipment downtime (%)",
           higher_is_better=False, max_value=100),
    ]
}  # fmt: skip

PLATFORM_KPIS = tuple(k for k, v in CATALOGUE.items() if v.source == PLATFORM)
FINANCIAL_KPIS = tuple(k for k, v in CATALOGUE.items() if v.source == FINANCIAL)
KEY_KPIS = tuple(k for k, v in CATALOGUE.items() if v.key_indicator)

# Revenue lines of a funding plan that are public money, not the hub's own income.
PUBLIC_REVENUE_LINES = frozenset(
    {"prefecture", "municipality", "city", "national", "state", "government", "subsidy",
     "subsidies", "jst"}
)  # fmt: skip


class KpiError(ValueError):
    """Bad KPI input; `field` names the input."""

    def __init__(self, message: str, field: str):
        super().__init__(f"{field}: {message}")
        self.message = message
        self.field = field


def get_kpi(key: Any, field: str = "kpi") -> Kpi:
    if not isinstance(key, str) or key not in CATALOGUE:
        raise KpiError(
            gettext("unknown KPI %(key)s (one of %(keys)s)")
            % {"key": repr(key), "keys": ", ".join(CATALOGUE)},
            field,
        )
    return CATALOGUE[key]


def clean_value(kpi: Kpi, value: Any, field: str) -> Decimal:
    """A KPI value as a Decimal: yen are whole and ≥ 0, counts ≥ 0, shares within 0–max."""
    if isinstance(value, bool) or value is None or value == "":
        raise KpiError(gettext("must be a number"), field)
    if kpi.unit == YEN and isinstance(value, float):
        raise KpiError(gettext("must be a whole number of yen"), field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise KpiError(gettext("must be a number"), field) from None
    if not number.is_finite():
        raise KpiError(gettext("must be a number"), field)
    if number < 0:
        raise KpiError(gettext("must be 0 or more"), field)
    if kpi.unit == YEN and number != number.to_integral_value():
        raise KpiError(gettext("must be a whole number of yen"), field)
    if kpi.max_value is not None and number > kpi.max_value:
        raise KpiError(gettext("must be at most %(n)s") % {"n": kpi.max_value}, field)
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise KpiError(gettext("at most two decimal places"), field)
    return number.quantize(Decimal("0.01")) if kpi.unit != YEN else number.to_integral_value()


def _round(kpi: Kpi, value: Fraction) -> Decimal:
    """Interpolated targets: whole yen, whole counts, percentages to one decimal (half up)."""
    places = Decimal("0.1") if kpi.unit == PERCENT else Decimal("1")
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def plain(value: Decimal | None, kpi: Kpi | None = None) -> int | float | None:
    """A Decimal as JSON wants it: int when whole (always for yen), else float."""
    if value is None:
        return None
    if (kpi is not None and kpi.unit == YEN) or value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass(frozen=True)
class TargetPoint:
    kpi: str
    fiscal_year: int
    target: Decimal
    source: str  # "proposal" (a goal year) or "interpolated"


def interpolate(
    points: Mapping[int, Decimal | int | float],
    fiscal_year: int,
    *,
    kpi: Kpi,
    operation_start_fy: int | None,
) -> tuple[Decimal, str] | None:
    """The target of one KPI in `fiscal_year` from its goals {fiscal year: target}.

    * a goal year: its target exactly ("proposal");
    * between two goal years: linear between them;
    * after the last goal year: the last target (flat);
    * before the first goal year: for higher-is-better KPIs a proportional ramp from 0 in the
      year before operation start (year n of k gets n/k of the first target); flat when lower is
      better or when the operation start is not known; none before operation start.
    Rounded per `_round`; None when there are no goals.
    """
    if not points:
        return None
    years = sorted(points)
    exact = {fy: Fraction(str(points[fy])) for fy in years}
    if fiscal_year in exact:
        value = Decimal(str(points[fiscal_year]))
        return (value if kpi.unit != YEN else value.to_integral_value()), "proposal"
    if operation_start_fy is not None and fiscal_year < operation_start_fy:
        return None
    first, last = years[0], years[-1]
    if fiscal_year > last:
        return _round(kpi, exact[last]), "interpolated"
    if fiscal_year < first:
        if not kpi.higher_is_better or operation_start_fy is None:
            return _round(kpi, exact[first]), "interpolated"
        n = fiscal_year - operation_start_fy + 1
        k = first - operation_start_fy + 1
        return _round(kpi, exact[first] * n / k), "interpolated"
    lo = max(fy for fy in years if fy < fiscal_year)
    hi = min(fy for fy in years if fy > fiscal_year)
    share = Fraction(fiscal_year - lo, hi - lo)
    return _round(kpi, exact[lo] + (exact[hi] - exact[lo]) * share), "interpolated"


def goal_points(goals: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, Decimal]]:
    """{kpi: {fiscal year: target}} from a proposal's goals; unknown KPIs and junk are skipped
    (the proposal was checked by R-5; the hub keeps what it was given)."""
    out: dict[str, dict[int, Decimal]] = {}
    for goal in goals or []:
        if not isinstance(goal, Mapping):
            continue
        key, fy, target = goal.get("kpi"), goal.get("fiscal_year"), goal.get("target")
        if key not in CATALOGUE or not isinstance(fy, int) or isinstance(target, bool):
            continue
        if not isinstance(target, int | float | Decimal):
            continue
        out.setdefault(key, {})[fy] = Decimal(str(target))
    return out


def target_schedule(
    goals: Iterable[Mapping[str, Any]],
    *,
    operation_start_fy: int | None,
    horizon_years: int = 10,
    until_fy: int | None = None,
) -> list[TargetPoint]:
    """Every KPI of the goals × every year of operation (1 … horizon, every goal year, and
    on to `until_fy` when given: after the last goal year the target stays flat)."""
    out: list[TargetPoint] = []
    for key, points in goal_points(goals).items():
        kpi = CATALOGUE[key]
        start = operation_start_fy if operation_start_fy is not None else min(points)
        end = start + horizon_years
        if until_fy is not None:
            end = max(end, until_fy + 1)
        years = set(range(start, end)) | set(points)
        for fy in sorted(years):
            found = interpolate(points, fy, kpi=kpi, operation_start_fy=operation_start_fy)
            if found is not None:
                out.append(TargetPoint(key, fy, found[0], found[1]))
    return out


def achievement_pct(kpi: Kpi, actual: Decimal | None, target: Decimal | None) -> float | None:
    """Percent of the target reached (for lower-is-better KPIs: target ÷ actual)."""
    if actual is None or target is None:
        return None
    if kpi.higher_is_better:
        if target <= 0:
            return 100.0
        return round(float(Fraction(str(actual)) / Fraction(str(target)) * 100), 1)
    if actual <= 0:
        return 100.0
    return round(float(Fraction(str(target)) / Fraction(str(actual)) * 100), 1)


def status(kpi: Kpi, actual: Decimal | None, target: Decimal | None) -> str:
    """on_track (≥ 90 % of the target), at_risk (≥ 70 %), off_track; no_target / no_data."""
    if target is None:
        return NO_TARGET
    if actual is None:
        return NO_DATA
    actual_f, target_f = Fraction(str(actual)), Fraction(str(target))
    if kpi.higher_is_better:
        if actual_f * 100 >= target_f * ON_TRACK_PCT:
            return ON_TRACK
        if actual_f * 100 >= target_f * AT_RISK_PCT:
            return AT_RISK
        return OFF_TRACK
    # Lower is better: the same thresholds on target ÷ actual.
    if target_f * 100 >= actual_f * ON_TRACK_PCT:
        return ON_TRACK
    if target_f * 100 >= actual_f * AT_RISK_PCT:
        return AT_RISK
    return OFF_TRACK


def worst(statuses: Iterable[str]) -> str:
    """The overall status of a hub: the worst of its KPIs (no_data before no_target)."""
    found = set(statuses)
    for s in STATUS_ORDER:
        if s in found:
            return s
    return NO_TARGET


def financial_kpis(financials: Mapping[str, Any]) -> dict[str, Decimal]:
    """revenue_yen and self_funding_ratio_pct from a year's financial actuals.

    revenue_yen = the sum of the revenue lines; self_funding_ratio_pct = the revenue lines that
    are not public money (PUBLIC_REVENUE_LINES) ÷ the sum of the cost lines, in percent to one
    decimal (absent when there are no costs).
    """
    revenue = financials.get("revenue_yen") or {}
    cost = financials.get("cost_yen") or {}
    total_revenue = sum(int(v) for v in revenue.values())
    own = sum(int(v) for k, v in revenue.items() if k not in PUBLIC_REVENUE_LINES)
    total_cost = sum(int(v) for v in cost.values())
    out: dict[str, Decimal] = {}
    if revenue:
        out["revenue_yen"] = Decimal(total_revenue)
    if total_cost > 0:
        ratio = Decimal(own * 100) / Decimal(total_cost)
        out["self_funding_ratio_pct"] = ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return out
