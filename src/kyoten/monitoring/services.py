"""Writes of the monitoring app: targets, annual reports, advice and its responses, site visits.

Every service checks who may do it and every input before it writes, inside one transaction,
so bad input leaves nothing half saved. Errors name the field (`actuals.patents_filed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.fiscal import fiscal_year as fiscal_year_of
from kyoten.core.models import User
from kyoten.core.money import is_yen
from kyoten.hubs.models import Hub
from kyoten.monitoring import kpis
from kyoten.monitoring.enums import (
    ActualSource,
    Addressee,
    AdviceStatus,
    PdcaStep,
    ReportStatus,
    TargetSource,
)
from kyoten.monitoring.models import (
    Advice,
    AdviceResponse,
    AnnualReport,
    KpiActual,
    KpiTarget,
    SiteVisit,
)
from kyoten.monitoring.rules import (
    can_close_advice,
    can_decide_report,
    can_edit_targets,
    can_record_visit,
    can_respond_advice,
    can_view_monitoring,
    can_write_advice,
    can_write_report,
)

MIN_FY, MAX_FY = 1990, 2200
TEXT_LIMIT = 20_000


# ---------------------------------------------------------------- what the hub brings along


def proposal_document(hub: Hub) -> dict[str, Any]:
    """The adopted proposal's content (SPEC §4 proposal file) when the hub links to it."""
    proposal = getattr(hub, "proposal", None)
    content = getattr(proposal, "content", None)
    return content if isinstance(content, dict) else {}


def hub_goals(hub: Hub) -> list[dict[str, Any]]:
    """The goals the hub kept from its proposal (hub.goals), else the proposal's own."""
    goals = hub.goals if isinstance(hub.goals, list) and hub.goals else None
    if goals is None:
        goals = proposal_document(hub).get("goals") or []
    return [g for g in goals if isinstance(g, dict)]


def operation_start(hub: Hub) -> int | None:
    if hub.operation_start_fy:
        return hub.operation_start_fy
    fy = proposal_document(hub).get("operation_start_fy")
    return fy if isinstance(fy, int) and not isinstance(fy, bool) else None


def funding_plan(hub: Hub) -> dict[int, dict[str, Any]]:
    """{fiscal year: plan row} of the proposal's funding plan (empty when not linked)."""
    rows = getattr(hub, "funding_plan", None)
    if not isinstance(rows, list) or not rows:
        rows = proposal_document(hub).get("funding_plan") or []
    out = {}
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("fiscal_year"), int):
            out[row["fiscal_year"]] = row
    return out


def platform_figures(hub: Hub, fiscal_year: int) -> dict[str, Decimal]:
    """The KPIs the platform computes itself from the hub's equipment records."""
    from kyoten.equipment.selectors import hub_usage_stats

    s = hub_usage_stats(hub, fiscal_year)
    return {
        "equipment_utilisation_pct": Decimal(str(s["utilisation_pct"])),
        "companies_using": Decimal(s["companies_using"]),
        "sme_users": Decimal(s["sme_users"]),
        "sme_share_pct": Decimal(str(s["sme_share_pct"])),
        "trainees": Decimal(s["trainees"]),
        "engineers_trained": Decimal(s["engineers_trained"]),
        "usage_revenue_yen": Decimal(s["usage_revenue_yen"]),
    }


# ---------------------------------------------------------------- checks


def _require(predicate, user: User, obj, message: str) -> None:
    if not predicate(user, obj):
        raise Forbidden(message)


def _require_visible(user: User, hub: Hub) -> None:
    if not can_view_monitoring(user, hub):
        raise NotFound(_("no such hub"), field="hub")


def _kpi(key: Any, field: str) -> kpis.Kpi:
    try:
        return kpis.get_kpi(key, field)
    except kpis.KpiError as err:
        raise DomainError(err.message, field=err.field) from None


def _value(kpi: kpis.Kpi, value: Any, field: str) -> Decimal:
    try:
        return kpis.clean_value(kpi, value, field)
    except kpis.KpiError as err:
        raise DomainError(err.message, field=err.field) from None


def _fiscal_year(value: Any, field: str = "fiscal_year") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        else:
            raise DomainError(_("must be a fiscal year such as 2012"), field=field)
    if not MIN_FY <= value <= MAX_FY:
        raise DomainError(_("must be a fiscal year such as 2012"), field=field)
    return value


def _operating_year(hub: Hub, fy: int, field: str = "fiscal_year") -> None:
    start = operation_start(hub)
    if start is None:
        raise DomainError(_("the hub has no operation start year yet"), field=field)
    if fy < start:
        raise DomainError(
            _("FY%(fy)d is before the hub's operation start (FY%(start)d)")
            % {"fy": fy, "start": start},
            field=field,
            rule="R-6",
        )


def _text(value: Any, field: str, *, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(_("must be text"), field=field)
    value = value.strip()
    if required and not value:
        raise DomainError(_("is required"), field=field)
    if len(value) > limit:
        raise DomainError(_("at most %(n)d characters") % {"n": limit}, field=field)
    return value


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError(_("must be a date (YYYY-MM-DD)"), field=field)


def _yen_lines(value: Any, field: str) -> dict[str, int]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object of yen amounts by line"), field=field)
    out = {}
    for key, amount in value.items():
        if not isinstance(key, str) or not key.strip():
            raise DomainError(_("line names must be text"), field=field)
        if not is_yen(amount):
            raise DomainError(_("must be a whole number of yen, 0 or more"), field=f"{field}.{key}")
        out[key.strip()] = amount
    return out


def clean_financials(value: Any, field: str = "financials") -> dict[str, Any]:
    """{"revenue_yen": {line: yen}, "cost_yen": {line: yen}, "jst_operating_yen": yen}."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object"), field=field)
    unknown = sorted(set(value) - {"revenue_yen", "cost_yen", "jst_operating_yen"})
    if unknown:
        raise DomainError(_("unknown entry"), field=f"{field}.{unknown[0]}")
    out: dict[str, Any] = {
        "revenue_yen": _yen_lines(value.get("revenue_yen"), f"{field}.revenue_yen"),
        "cost_yen": _yen_lines(value.get("cost_yen"), f"{field}.cost_yen"),
    }
    jst = value.get("jst_operating_yen", 0)
    if not is_yen(jst):
        raise DomainError(
            _("must be a whole number of yen, 0 or more"), field=f"{field}.jst_operating_yen"
        )
    out["jst_operating_yen"] = jst
    return out


def clean_pdca(value: Any, field: str = "pdca") -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object with plan, do, check and act"), field=field)
    unknown = sorted(set(value) - set(PdcaStep.values))
    if unknown:
        raise DomainError(_("unknown PDCA step"), field=f"{field}.{unknown[0]}")
    return {k: _text(value.get(k), f"{field}.{k}") for k in PdcaStep.values if k in value}


def clean_actuals(value: Any, field: str = "actuals") -> dict[str, Decimal | None]:
    """{kpi: value or None (None: drop the hub's own figure, keep the platform's)}."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object of KPI values"), field=field)
    out: dict[str, Decimal | None] = {}
    for key, raw in value.items():
        kpi = _kpi(key, f"{field}.{key}")
        out[kpi.key] = None if raw is None else _value(kpi, raw, f"{field}.{key}")
    return out


# ---------------------------------------------------------------- targets


@transaction.atomic
def targets_take_over(*, hub: Hub, by: User) -> int:
    """Store the proposal's goals as targets for every year of operation (interpolated between
    goal years). Targets an officer edited are kept. Returns the number of rows written."""
    _require(can_edit_targets, by, hub, _("only program officers may set targets"))
    schedule = kpis.target_schedule(hub_goals(hub), operation_start_fy=operation_start(hub))
    existing = {(t.kpi, t.fiscal_year): t for t in KpiTarget.objects.filter(hub=hub)}
    written = 0
    for point in schedule:
        row = existing.get((point.kpi, point.fiscal_year))
        if row is not None and (row.source == TargetSource.EDITED or row.target == point.target):
            continue
        if row is None:
            row = KpiTarget(hub=hub, kpi=point.kpi, fiscal_year=point.fiscal_year)
        row.target = point.target
        row.source = point.source
        row.updated_by = by
        row.note = ""
        row.save()
        written += 1
    return written


@transaction.atomic
def targets_set(*, hub: Hub, targets: list[Mapping[str, Any]], by: User) -> list[KpiTarget]:
    """Edit targets: `[{"kpi", "fiscal_year", "target", "note"}]`; all are checked first."""
    _require(can_edit_targets, by, hub, _("only program officers may set targets"))
    if not isinstance(targets, list) or not targets:
        raise DomainError(_("give at least one target"), field="targets")
    cleaned = []
    for i, item in enumerate(targets):
        path = f"targets[{i}]"
        if not isinstance(item, Mapping):
            raise DomainError(_("must be an object"), field=path)
        kpi = _kpi(item.get("kpi"), f"{path}.kpi")
        fy = _fiscal_year(item.get("fiscal_year"), f"{path}.fiscal_year")
        _operating_year(hub, fy, f"{path}.fiscal_year")
        value = _value(kpi, item.get("target"), f"{path}.target")
        note = _text(item.get("note"), f"{path}.note", required=True, limit=300)
        cleaned.append((kpi.key, fy, value, note))
    out = []
    for key, fy, value, note in cleaned:
        row, _created = KpiTarget.objects.select_for_update().get_or_create(
            hub=hub,
            kpi=key,
            fiscal_year=fy,
            defaults={"target": value, "source": TargetSource.EDITED, "updated_by": by},
        )
        row.target = value
        row.source = TargetSource.EDITED
        row.note = note
        row.updated_by = by
        row.save()
        out.append(row)
    return out


def target_set(
    *, hub: Hub, kpi: str, fiscal_year: int, target: Any, note: str, by: User
) -> KpiTarget:
    return targets_set(
        hub=hub,
        targets=[{"kpi": kpi, "fiscal_year": fiscal_year, "target": target, "note": note}],
        by=by,
    )[0]


# ---------------------------------------------------------------- annual reports


def _apply_actuals(
    report: AnnualReport,
    *,
    reported: Mapping[str, Decimal | None],
    platform: Mapping[str, Decimal] | None,
) -> None:
    """Write the report's KPI rows: the hub's own figures win; platform and financial figures
    fill the rest and are marked as such (a platform figure is kept beside a reported one).

    `reported` {kpi: value} sets the hub's own figure, {kpi: None} drops it; `platform` None
    keeps the platform figures already stored."""
    rows = {a.kpi: a for a in report.actuals.all()}
    derived = kpis.financial_kpis(report.financials or {})
    for key in kpis.CATALOGUE:
        row = rows.get(key)
        platform_value = (platform or {}).get(key)
        if platform is None and row is not None and row.platform_value is not None:
            platform_value = row.platform_value
        if key in reported:
            own = reported[key]
        elif row is not None and row.source == ActualSource.REPORTED:
            own = row.value
        else:
            own = None
        if own is not None:
            value, source = own, ActualSource.REPORTED
        elif platform_value is not None:
            value, source = platform_value, ActualSource.PLATFORM
        elif key in derived:
            value, source = derived[key], ActualSource.FINANCIAL
        else:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = KpiActual(report=report, kpi=key)
        if (row.value, row.source, row.platform_value) != (value, source, platform_value):
            row.value, row.source, row.platform_value = value, source, platform_value
            row.save()


def _default_financials(hub: Hub, fy: int, platform: Mapping[str, Decimal]) -> dict[str, Any]:
    """A new report's financials: the plan's lines at zero, equipment usage fees filled in."""
    plan = funding_plan(hub).get(fy) or {}
    revenue = {k: 0 for k in (plan.get("revenue_yen") or {})}
    cost = {k: 0 for k in (plan.get("cost_yen") or {})}
    revenue["usage_fees"] = int(platform.get("usage_revenue_yen", 0))
    return {"revenue_yen": revenue, "cost_yen": cost, "jst_operating_yen": 0}


@transaction.atomic
def report_create(
    *,
    hub: Hub,
    fiscal_year: Any,
    by: User,
    actuals: Any = None,
    financials: Any = None,
    pdca: Any = None,
    summary: Any = "",
    today: dt.date | None = None,
) -> AnnualReport:
    """Open the hub's report on a fiscal year (a draft), with the platform's figures filled in."""
    _require_visible(by, hub)
    _require(can_write_report, by, hub, _("only the hub's operators may write its reports"))
    fy = _fiscal_year(fiscal_year)
    _operating_year(hub, fy)
    current = fiscal_year_of(today or timezone.localdate())
    if fy > current:
        raise DomainError(_("FY%(fy)d has not started yet") % {"fy": fy}, field="fiscal_year")
    reported = clean_actuals(actuals)
    money = clean_financials(financials)
    steps = clean_pdca(pdca)
    text = _text(summary, "summary")
    platform = platform_figures(hub, fy)
    report = AnnualReport(
        hub=hub,
        fiscal_year=fy,
        financials=money or _default_financials(hub, fy, platform),
        pdca=steps,
        summary=text,
        created_by=by,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(
            _("the hub already has a report for FY%(fy)d") % {"fy": fy}, field="fiscal_year"
        ) from None
    _apply_actuals(report, reported=reported, platform=platform)
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",)).select_related("hub").get(pk=report.pk)
    )


@transaction.atomic
def report_update(
    *,
    report: AnnualReport,
    by: User,
    actuals: Any = None,
    financials: Any = None,
    pdca: Any = None,
    summary: Any = None,
) -> AnnualReport:
    """Change a draft (or returned) report. `actuals` {kpi: value} sets the hub's own figures;
    a value of null goes back to the platform's figure."""
    report = _locked(report)
    _require_visible(by, report.hub)
    _require(can_write_report, by, report.hub, _("only the hub's operators may write its reports"))
    if not report.is_editable:
        raise Conflict(
            _("a %(status)s report cannot be changed") % {"status": report.get_status_display()},
            field="status",
        )
    reported = clean_actuals(actuals)
    fields = ["updated_at"]
    if financials is not None:
        report.financials = clean_financials(financials)
        fields.append("financials")
    if pdca is not None:
        merged = dict(report.pdca or {})
        merged.update(clean_pdca(pdca))
        report.pdca = merged
        fields.append("pdca")
    if summary is not None:
        report.summary = _text(summary, "summary")
        fields.append("summary")
    report.save(update_fields=fields)
    _apply_actuals(report, reported=reported, platform=None)
    return report


@transaction.atomic
def report_refresh_platform(*, report: AnnualReport, by: User) -> AnnualReport:
    """Recompute the platform's figures of a draft from today's equipment records."""
    report = _locked(report)
    _require(can_write_report, by, report.hub, _("only the hub's operators may write its reports"))
    if not report.is_editable:
        raise Conflict(_("only a draft can be refreshed"), field="status")
    _apply_actuals(report, reported={}, platform=platform_figures(report.hub, report.fiscal_year))
    return report


@transaction.atomic
def report_submit(*, report: AnnualReport, by: User) -> AnnualReport:
    """Hand the report to JST. The PDCA check and act steps are required (what was checked,
    what will change); the platform's figures are brought up to date first."""
    report = _locked(report)
    _require_visible(by, report.hub)
    _require(can_write_report, by, report.hub, _("only the hub's operators may submit its reports"))
    if not report.is_editable:
        raise Conflict(
            _("a %(status)s report cannot be submitted") % {"status": report.get_status_display()},
            field="status",
        )
    for step in (PdcaStep.CHECK, PdcaStep.ACT):
        if not (report.pdca or {}).get(step, "").strip():
            raise DomainError(_("is required before submitting"), field=f"pdca.{step}", rule="R-5")
    _apply_actuals(report, reported={}, platform=platform_figures(report.hub, report.fiscal_year))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.return_reason = ""
    report.save(
        update_fields=["status", "submitted_at", "submitted_by", "return_reason", "updated_at"]
    )
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, by: User, reason: Any) -> AnnualReport:
    """JST sends a submitted report back for correction, saying why."""
    report = _locked(report)
    _require(can_decide_report, by, report.hub, _("only program officers may return reports"))
    text = _text(reason, "reason", required=True)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(_("only a submitted report can be returned"), field="status")
    report.status = ReportStatus.RETURNED
    report.return_reason = text
    report.decided_at = timezone.now()
    report.decided_by = by
    report.save(update_fields=["status", "return_reason", "decided_at", "decided_by", "updated_at"])
    return report


@transaction.atomic
def report_accept(*, report: AnnualReport, by: User) -> AnnualReport:
    report = _locked(report)
    _require(can_decide_report, by, report.hub, _("only program officers may accept reports"))
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(_("only a submitted report can be accepted"), field="status")
    report.status = ReportStatus.ACCEPTED
    report.decided_at = timezone.now()
    report.decided_by = by
    report.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    return report


# ---------------------------------------------------------------- advice


@transaction.atomic
def advice_create(
    *,
    by: User,
    addressee: Any,
    title: Any,
    body: Any,
    due_date: Any,
    hub: Hub | None = None,
    fiscal_year: Any = None,
) -> Advice:
    """A promotion committee member's advice (助言・提言) to a hub's region, JST or the state."""
    if not can_write_advice(by):
        raise Forbidden(_("only promotion committee members write advice"), rule="R-13")
    if addressee not in Addressee.values:
        raise DomainError(
            _("must be one of %(values)s") % {"values": ", ".join(Addressee.values)},
            field="addressee",
            rule="R-13",
        )
    if addressee == Addressee.REGION and hub is None:
        raise DomainError(_("advice to a region names its hub"), field="hub", rule="R-13")
    fy = None if fiscal_year in (None, "") else _fiscal_year(fiscal_year)
    return Advice.objects.create(
        hub=hub,
        addressee=addressee,
        title=_text(title, "title", required=True, limit=200),
        body=_text(body, "body", required=True),
        due_date=_date(due_date, "due_date"),
        fiscal_year=fy,
        author=by,
    )


def _locked_advice(advice: Advice) -> Advice:
    return Advice.objects.select_for_update(of=("self",)).select_related("hub").get(pk=advice.pk)


@transaction.atomic
def advice_respond(
    *, advice: Advice, by: User, body: Any, action_taken: Any = ""
) -> AdviceResponse:
    """The addressee records its response and the action taken (R-13)."""
    advice = _locked_advice(advice)
    if not can_respond_advice(by, advice):
        raise Forbidden(
            _("only the addressee (%(who)s) responds to this advice")
            % {"who": advice.get_addressee_display()},
            rule="R-13",
        )
    if advice.status == AdviceStatus.CLOSED:
        raise Conflict(_("the advice is closed"), field="status")
    response = AdviceResponse.objects.create(
        advice=advice,
        body=_text(body, "body", required=True),
        action_taken=_text(action_taken, "action_taken"),
        responded_by=by,
    )
    if advice.status != AdviceStatus.ANSWERED:
        advice.status = AdviceStatus.ANSWERED
        advice.save(update_fields=["status"])
    return response


@transaction.atomic
def advice_close(*, advice: Advice, by: User, note: Any = "") -> Advice:
    """The committee (or JST) closes answered advice; open advice stays tracked until then."""
    advice = _locked_advice(advice)
    if not can_close_advice(by, advice):
        raise Forbidden(_("only the promotion committee or JST closes advice"), rule="R-13")
    if advice.status == AdviceStatus.CLOSED:
        raise Conflict(_("the advice is already closed"), field="status")
    if advice.status != AdviceStatus.ANSWERED:
        raise Conflict(_("the addressee has not responded yet"), field="status", rule="R-13")
    advice.status = AdviceStatus.CLOSED
    advice.closed_at = timezone.now()
    advice.closed_by = by
    advice.closing_note = _text(note, "note")
    advice.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    return advice


@transaction.atomic
def advice_reopen(*, advice: Advice, by: User, reason: Any) -> Advice:
    """Back to open when the response does not settle it (the reason is kept in history)."""
    advice = _locked_advice(advice)
    if not can_close_advice(by, advice):
        raise Forbidden(_("only the promotion committee or JST reopens advice"), rule="R-13")
    text = _text(reason, "reason", required=True)
    advice.status = AdviceStatus.OPEN
    advice.closed_at = None
    advice.closed_by = None
    advice.closing_note = text
    advice.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    return advice


@transaction.atomic
def site_visit_record(
    *, hub: Hub, by: User, visited_on: Any, visitors: Any, notes: Any
) -> SiteVisit:
    if not can_record_visit(by, hub):
        raise Forbidden(_("only the promotion committee or JST records site visits"))
    return SiteVisit.objects.create(
        hub=hub,
        visited_on=_date(visited_on, "visited_on"),
        visitors=_text(visitors, "visitors", required=True, limit=300),
        notes=_text(notes, "notes", required=True),
        recorded_by=by,
    )
