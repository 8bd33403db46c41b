"""Reads of the monitoring app: visibility, effective targets, status, dashboard and alerts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.dates import format_day
from kyoten.core.errors import NotFound
from kyoten.core.fiscal import fiscal_year as fiscal_year_of
from kyoten.core.fiscal import fy_label
from kyoten.core.reference import BLOCKS
from kyoten.core.rules import can_read_program, is_applicant, is_officer
from kyoten.hubs.enums import Stage
from kyoten.hubs.models import Hub
from kyoten.hubs.selectors import hubs_visible_to
from kyoten.monitoring import kpis
from kyoten.monitoring.enums import AdviceStatus, ReportStatus
from kyoten.monitoring.models import Advice, AnnualReport, KpiActual, KpiTarget, SiteVisit
from kyoten.monitoring.services import hub_goals, operation_start

# Reports count towards status once submitted; a report is due by the end of June after its
# fiscal year (the first quarter of the next fiscal year).
COUNTING = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
REPORT_DUE_MONTH_DAY = (6, 30)


def is_operating(hub: Hub) -> bool:
    """Follow-up starts with operation (R-13): hubs still being built are not monitored."""
    return hub.stage == Stage.OPERATING


def report_due_date(fiscal_year: int) -> dt.date:
    month, day = REPORT_DUE_MONTH_DAY
    return dt.date(fiscal_year + 1, month, day)


# ---------------------------------------------------------------- visibility


def monitored_hubs(user) -> QuerySet[Hub]:
    """Hubs whose follow-up the user may see: officers, the promotion committee and ministries
    all; operators their hubs; prefecture staff the hubs of their prefecture."""
    if user is None or not user.is_authenticated:
        return Hub.objects.none()
    qs = hubs_visible_to(user)
    if can_read_program(user):
        return qs
    cond = Q(operators=user)
    if is_applicant(user) and user.prefecture_id:
        cond |= Q(lead_prefecture_id=user.prefecture_id) | Q(prefectures=user.prefecture_id)
    return qs.filter(pk__in=Hub.objects.filter(cond).values("pk"))


def get_monitored_hub(user, pk) -> Hub:
    try:
        return monitored_hubs(user).get(pk=int(pk))
    except (Hub.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such hub"), field="hub") from None


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    """Reports of monitored hubs; drafts and returned reports only to the hub and officers."""
    qs = AnnualReport.objects.select_related("hub", "hub__lead_prefecture").filter(
        hub__in=monitored_hubs(user)
    )
    if user is None or not user.is_authenticated or is_officer(user):
        return qs.order_by("hub_id", "fiscal_year")
    own = Q(hub__operators=user)
    return qs.filter(own | Q(status__in=COUNTING)).distinct().order_by("hub_id", "fiscal_year")


def with_report_details(qs: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """What a report's page or JSON shows, in a fixed number of queries."""
    qs = qs.prefetch_related("actuals")
    if any(f.name == "proposal" for f in Hub._meta.get_fields()):
        qs = qs.select_related("hub__proposal")
    return qs


def stored_targets(hub_ids) -> dict[int, list[KpiTarget]]:
    out: dict[int, list[KpiTarget]] = defaultdict(list)
    for t in KpiTarget.objects.filter(hub_id__in=list(hub_ids)):
        out[t.hub_id].append(t)
    return out


def get_report_for(user, pk) -> AnnualReport:
    try:
        return with_report_details(reports_visible_to(user)).get(pk=int(pk))
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such report"), field="id") from None


def advice_visible_to(user) -> QuerySet[Advice]:
    """Program readers see all advice; the hub side sees advice about its hubs."""
    qs = Advice.objects.select_related("hub", "author").prefetch_related("responses__responded_by")
    if user is None or not user.is_authenticated:
        return qs.none()
    if can_read_program(user):
        return qs
    return qs.filter(hub__in=monitored_hubs(user))


def get_advice_for(user, pk) -> Advice:
    try:
        return advice_visible_to(user).get(pk=int(pk))
    except (Advice.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such advice"), field="id") from None


def site_visits_of(hub: Hub) -> QuerySet[SiteVisit]:
    return SiteVisit.objects.filter(hub=hub).select_related("recorded_by")


# ---------------------------------------------------------------- targets and actuals


@dataclass
class TargetRow:
    kpi: str
    fiscal_year: int
    target: Decimal
    source: str  # proposal | interpolated | edited
    note: str = ""


def effective_targets(
    hub: Hub, stored: list[KpiTarget] | None = None, *, fiscal_year: int | None = None
) -> dict[tuple[str, int], TargetRow]:
    """{(kpi, fy): target}: the proposal's goals interpolated (kpis.target_schedule), with the
    stored targets (taken over or edited by an officer) on top. `fiscal_year`: that year only."""
    out: dict[tuple[str, int], TargetRow] = {}
    start = operation_start(hub)
    if fiscal_year is None:
        until = fiscal_year_of(timezone.localdate())
        for p in kpis.target_schedule(hub_goals(hub), operation_start_fy=start, until_fy=until):
            out[(p.kpi, p.fiscal_year)] = TargetRow(p.kpi, p.fiscal_year, p.target, p.source)
    else:
        for key, points in kpis.goal_points(hub_goals(hub)).items():
            found = kpis.interpolate(
                points, fiscal_year, kpi=kpis.CATALOGUE[key], operation_start_fy=start
            )
            if found is not None:
                out[(key, fiscal_year)] = TargetRow(key, fiscal_year, found[0], found[1])
    rows = stored if stored is not None else KpiTarget.objects.filter(hub=hub)
    for t in rows:
        if fiscal_year is None or t.fiscal_year == fiscal_year:
            out[(t.kpi, t.fiscal_year)] = TargetRow(
                t.kpi, t.fiscal_year, t.target, t.source, t.note
            )
    return out


def target_list(hub: Hub) -> list[TargetRow]:
    return sorted(
        effective_targets(hub).values(),
        key=lambda r: (list(kpis.CATALOGUE).index(r.kpi), r.fiscal_year),
    )


class Actual(NamedTuple):
    value: Decimal
    source: str
    platform_value: Decimal | None


def counting_actuals(
    hubs: list[Hub], *, fiscal_year: int | None = None
) -> dict[tuple[int, str, int], Actual]:
    """{(hub id, kpi, fy): actual} from submitted and accepted reports (one query)."""
    rows = KpiActual.objects.filter(
        report__hub__in=[h.pk for h in hubs], report__status__in=COUNTING
    )
    if fiscal_year is not None:
        rows = rows.filter(report__fiscal_year=fiscal_year)
    return {
        (hub_id, kpi, fy): Actual(value, source, platform)
        for hub_id, kpi, fy, value, source, platform in rows.values_list(
            "report__hub_id", "kpi", "report__fiscal_year", "value", "source", "platform_value"
        )
    }


@dataclass
class KpiStatus:
    kpi: kpis.Kpi
    fiscal_year: int
    target: Decimal | None
    target_source: str | None
    actual: Decimal | None
    actual_source: str | None
    achievement_pct: float | None
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi.key,
            "label": self.kpi.label_ja,
            "unit": self.kpi.unit,
            "fiscal_year": self.fiscal_year,
            "target": kpis.plain(self.target, self.kpi),
            "target_source": self.target_source,
            "actual": kpis.plain(self.actual, self.kpi),
            "actual_source": self.actual_source,
            "achievement_pct": self.achievement_pct,
            "status": self.status,
        }


def _status_row(kpi, fy, target: TargetRow | None, actual: Actual | None) -> KpiStatus:
    t = target.target if target else None
    a = actual.value if actual else None
    return KpiStatus(
        kpi=kpi,
        fiscal_year=fy,
        target=t,
        target_source=target.source if target else None,
        actual=a,
        actual_source=actual.source if actual else None,
        achievement_pct=kpis.achievement_pct(kpi, a, t),
        status=kpis.status(kpi, a, t),
    )


def latest_reported_year(hub: Hub) -> int | None:
    return (
        AnnualReport.objects.filter(hub=hub, status__in=COUNTING)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def hub_status(hub: Hub, fiscal_year: int | None = None) -> list[KpiStatus]:
    """Status of every KPI with a target in the year (default: the latest reported year)."""
    fy = fiscal_year if fiscal_year is not None else latest_reported_year(hub)
    if fy is None:
        return []
    targets = effective_targets(hub)
    actuals = counting_actuals([hub], fiscal_year=fy)
    keys = {k for (k, y) in targets if y == fy}
    out = []
    for key, kpi in kpis.CATALOGUE.items():
        if key not in keys:
            continue
        out.append(_status_row(kpi, fy, targets.get((key, fy)), actuals.get((hub.pk, key, fy))))
    return out


def overall(rows: list[KpiStatus]) -> str:
    return kpis.worst(r.status for r in rows if r.status != kpis.NO_TARGET)


@dataclass
class Series:
    """One KPI of one hub over the years: for trend charts and the Excel export."""

    kpi: kpis.Kpi
    years: list[int]
    targets: list[Decimal | None]
    actuals: list[Decimal | None]
    statuses: list[str]


def hub_series(hub: Hub) -> list[Series]:
    """Every KPI that has a target or an actual, target against actual year by year."""
    targets = effective_targets(hub)
    actuals = counting_actuals([hub])
    keys = {k for (k, _y) in targets} | {k for (_h, k, _y) in actuals}
    years_all = {y for (_k, y) in targets} | {y for (_h, _k, y) in actuals}
    if not years_all:
        return []
    years = list(range(min(years_all), max(years_all) + 1))
    out = []
    for key, kpi in kpis.CATALOGUE.items():
        if key not in keys:
            continue
        rows = [
            _status_row(kpi, y, targets.get((key, y)), actuals.get((hub.pk, key, y))) for y in years
        ]
        out.append(
            Series(
                kpi,
                years,
                [r.target for r in rows],
                [r.actual for r in rows],
                [r.status for r in rows],
            )
        )
    return out


# ---------------------------------------------------------------- program-wide


@dataclass
class DashboardRow:
    hub: Hub
    block: str
    cells: dict[str, KpiStatus]
    overall: str
    report_status: str | None


@dataclass
class Dashboard:
    fiscal_year: int
    kpis: list[kpis.Kpi]
    rows: list[DashboardRow]
    by_block: list[dict[str, Any]] = field(default_factory=list)


def dashboard(user, fiscal_year: int, *, keys: tuple[str, ...] = kpis.KEY_KPIS) -> Dashboard:
    """All monitored hubs × the key KPIs in one fiscal year, with a summary per regional block.
    A fixed number of queries whatever the number of hubs."""
    hubs = list(
        monitored_hubs(user).prefetch_related(
            Prefetch(
                "kpi_targets",
                queryset=KpiTarget.objects.filter(fiscal_year=fiscal_year),
                to_attr="_targets",
            )
        )
    )
    actuals = counting_actuals(hubs, fiscal_year=fiscal_year)
    reports = dict(
        AnnualReport.objects.filter(
            hub__in=[h.pk for h in hubs], fiscal_year=fiscal_year
        ).values_list("hub_id", "status")
    )
    chosen = [kpis.CATALOGUE[k] for k in keys]
    rows = []
    for hub in hubs:
        targets = effective_targets(hub, stored=hub._targets, fiscal_year=fiscal_year)
        cells = {
            k.key: _status_row(k, fiscal_year, targets.get((k.key, fiscal_year)),
                               actuals.get((hub.pk, k.key, fiscal_year)))
            for k in chosen
        }  # fmt: skip
        start = operation_start(hub)
        operating = is_operating(hub) and start is not None and start <= fiscal_year
        rows.append(
            DashboardRow(
                hub=hub,
                block=hub.lead_prefecture.block,
                cells=cells,
                overall=overall(list(cells.values())) if operating else kpis.NO_TARGET,
                report_status=reports.get(hub.pk),
            )
        )
    by_block = []
    for block, (ja, en) in BLOCKS.items():
        members = [r for r in rows if r.block == block]
        counts = {s: sum(1 for r in members if r.overall == s) for s in kpis.STATUS_ORDER}
        by_block.append(
            {"block": block, "name_ja": ja, "name_en": en, "hubs": len(members), **counts}
        )
    return Dashboard(fiscal_year, chosen, rows, by_block)


@dataclass
class Alert:
    kind: str  # off_track | report_missing | report_returned | advice_overdue
    message: str
    hub: Hub | None
    url: str
    fiscal_year: int | None = None
    message_ja: str = ""  # the same in Japanese, for the printed reports

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "hub": self.hub.pk if self.hub else None,
            "fiscal_year": self.fiscal_year,
            "url": self.url,
        }


def alerts(user, *, today: dt.date | None = None) -> list[Alert]:
    """What the officer and the committee should act on: hubs off track in their latest
    counted year, reports missing after their due date, advice past due without response."""
    from django.urls import reverse

    today = today or timezone.localdate()
    current = fiscal_year_of(today)
    hubs = list(monitored_hubs(user))
    out: list[Alert] = []
    reports = defaultdict(dict)
    for hub_id, fy, status in AnnualReport.objects.filter(hub__in=[h.pk for h in hubs]).values_list(
        "hub_id", "fiscal_year", "status"
    ):
        reports[hub_id][fy] = status
    actuals = counting_actuals(hubs)
    stored = defaultdict(list)
    for t in KpiTarget.objects.filter(hub__in=[h.pk for h in hubs]):
        stored[t.hub_id].append(t)
    targets_by_hub = {h.pk: effective_targets(h, stored=stored[h.pk]) for h in hubs}
    for hub in hubs:
        url = reverse("monitoring:hub", args=[hub.pk])
        start = operation_start(hub)
        if start is None or not is_operating(hub):
            continue
        # Reports due: every finished fiscal year since operation start whose due date passed.
        for fy in range(start, current):
            if report_due_date(fy) >= today:
                continue
            status = reports[hub.pk].get(fy)
            if status == ReportStatus.RETURNED:
                out.append(
                    Alert(
                        "report_returned",
                        _("%(hub)s: the %(fy)s report was returned and is not yet resubmitted")
                        % {"hub": hub.name, "fy": fy_label(fy)},
                        hub,
                        url,
                        fy,
                        f"{hub.name}：{fy_label(fy, language='ja')}の年度報告が差戻し後、未再提出",
                    )
                )
            elif status not in COUNTING:
                out.append(
                    Alert(
                        "report_missing",
                        _("%(hub)s: the %(fy)s report was due on %(due)s")
                        % {
                            "hub": hub.name,
                            "fy": fy_label(fy),
                            "due": format_day(report_due_date(fy)),
                        },
                        hub,
                        url,
                        fy,
                        f"{hub.name}：{fy_label(fy, language='ja')}の年度報告が未提出"
                        f"（期限 {format_day(report_due_date(fy), language='ja')}）",
                    )
                )
        counted = [fy for fy, s in reports[hub.pk].items() if s in COUNTING]
        if counted:
            fy = max(counted)
            targets = targets_by_hub[hub.pk]
            off = [
                kpis.CATALOGUE[k].label_ja
                for k in kpis.CATALOGUE
                if (k, fy) in targets
                and kpis.status(
                    kpis.CATALOGUE[k],
                    getattr(actuals.get((hub.pk, k, fy)), "value", None),
                    targets[(k, fy)].target,
                )
                == kpis.OFF_TRACK
            ]
            if off:
                out.append(
                    Alert(
                        "off_track",
                        _("%(hub)s is off track in %(fy)s: %(kpis)s")
                        % {"hub": hub.name, "fy": fy_label(fy), "kpis": "、".join(off)},
                        hub,
                        url,
                        fy,
                        f"{hub.name}：{fy_label(fy, language='ja')}に遅れている指標（{'、'.join(off)}）",
                    )
                )
    overdue = advice_visible_to(user).filter(status=AdviceStatus.OPEN, due_date__lt=today)
    for advice in overdue:
        out.append(
            Alert(
                "advice_overdue",
                _("advice “%(title)s” to %(who)s has no response since %(due)s")
                % {
                    "title": advice.title,
                    "who": advice.get_addressee_display(),
                    "due": format_day(advice.due_date),
                },
                advice.hub,
                reverse("monitoring:advice", args=[advice.pk]),
                advice.fiscal_year,
                f"助言「{advice.title}」の回答期限（{format_day(advice.due_date, language='ja')}）"
                "を過ぎても回答がない",
            )
        )
    return out


def open_advice_for(user) -> list[Advice]:
    """Advice the user has to answer (not yet answered)."""
    from kyoten.monitoring.rules import can_respond_advice

    qs = advice_visible_to(user).filter(status=AdviceStatus.OPEN)
    return [a for a in qs if can_respond_advice(user, a)]


def financial_comparison(report: AnnualReport) -> list[dict[str, Any]]:
    """The year's financial actuals line by line against the proposal's funding plan."""
    from kyoten.monitoring.services import funding_plan

    plan = funding_plan(report.hub).get(report.fiscal_year) or {}
    actual = report.financials or {}
    out = []
    for part in ("revenue_yen", "cost_yen"):
        planned = plan.get(part) or {}
        done = actual.get(part) or {}
        # Sorted: PostgreSQL's jsonb keeps no key order, and a report must read the same anywhere.
        for line in sorted({*planned, *done}):
            p, a = planned.get(line), done.get(line)
            out.append(
                {
                    "part": part,
                    "line": line,
                    "plan_yen": p,
                    "actual_yen": a,
                    "difference_yen": (a or 0) - (p or 0)
                    if p is not None or a is not None
                    else None,
                }
            )
    p, a = plan.get("jst_operating_yen"), actual.get("jst_operating_yen")
    if p is not None or a is not None:
        out.append(
            {
                "part": "jst_operating_yen",
                "line": "jst_operating_yen",
                "plan_yen": p,
                "actual_yen": a,
                "difference_yen": (a or 0) - (p or 0),
            }
        )
    return out


# ---------------------------------------------------------------- the hub's own work (issue 19)


def _records_hub(user, hub: Hub) -> None:
    from kyoten.monitoring.rules import can_view_records

    if not can_view_records(user, hub):
        raise NotFound(_("no such hub"), field="hub")


def joint_research_of(user, hub: Hub, *, fiscal_year: int | None = None):
    """The hub's joint research register (newest contracts first), with partners, funding and
    machines in a fixed number of queries; 404 for those who may not see it. `fiscal_year`:
    the projects whose contract period overlaps that year (those counted in its KPI)."""
    from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
    from kyoten.monitoring.models import JointResearchProject

    _records_hub(user, hub)
    qs = JointResearchProject.objects.filter(hub=hub).prefetch_related(
        "partners__prefecture", "funding__prefecture", "equipment"
    )
    if fiscal_year is not None:
        qs = qs.filter(
            contract_start__lte=fiscal_year_end(fiscal_year),
            contract_end__gte=fiscal_year_start(fiscal_year),
        )
    return qs


def get_joint_research_for(user, hub: Hub, pk) -> Any:
    from kyoten.monitoring.models import JointResearchProject

    try:
        return joint_research_of(user, hub).get(pk=int(pk))
    except (JointResearchProject.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such project"), field="id") from None


def public_joint_research(hub: Hub):
    """Projects whose partners agreed to publish the summary (the hub's public page)."""
    from kyoten.monitoring.models import JointResearchProject

    return JointResearchProject.objects.filter(hub=hub, partners_agree_to_publish=True).exclude(
        public_summary=""
    )


def consultations_of(user, hub: Hub, *, fiscal_year: int | None = None):
    """The hub's technical consultations (newest first) with what they led to; 404 for those who
    may not see the hub's records. `fiscal_year`: those received in that year."""
    from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
    from kyoten.monitoring.models import Consultation

    _records_hub(user, hub)
    qs = Consultation.objects.filter(hub=hub).select_related(
        "coordinator", "prefecture", "project", "referral_hub", "booking__equipment",
        "training_session__course",
    )  # fmt: skip
    if fiscal_year is not None:
        qs = qs.filter(
            received_on__gte=fiscal_year_start(fiscal_year),
            received_on__lte=fiscal_year_end(fiscal_year),
        )
    return qs


def get_consultation_for(user, hub: Hub, pk) -> Any:
    from kyoten.monitoring.models import Consultation

    try:
        return consultations_of(user, hub).get(pk=int(pk))
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such consultation"), field="id") from None


def coordinators_of(hub: Hub):
    """The hub's coordinators (operators holding the duty)."""
    from kyoten.core.models import User

    return User.objects.filter(coordinator_duties__hub=hub).order_by("display_name", "pk")


def patents_of(user, hub: Hub, *, fiscal_year: int | None = None):
    """The IP office's register: the hub's patent applications (newest first) with licences;
    `fiscal_year`: those filed in that year."""
    from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
    from kyoten.monitoring.models import PatentApplication

    _records_hub(user, hub)
    qs = PatentApplication.objects.filter(hub=hub).select_related("project")
    qs = qs.prefetch_related("licences")
    if fiscal_year is not None:
        qs = qs.filter(
            filed_on__gte=fiscal_year_start(fiscal_year),
            filed_on__lte=fiscal_year_end(fiscal_year),
        )
    return qs


def get_patent_for(user, hub: Hub, pk) -> Any:
    from kyoten.monitoring.models import PatentApplication

    try:
        return patents_of(user, hub).get(pk=int(pk))
    except (PatentApplication.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such patent application"), field="id") from None
