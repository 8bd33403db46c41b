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
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.core.enums import Role
from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.fiscal import fiscal_year as fiscal_year_of
from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start, fy_label
from kyoten.core.models import Prefecture, User
from kyoten.core.money import is_yen
from kyoten.core.selectors import users_with_role
from kyoten.hubs.models import Hub, Tenant
from kyoten.monitoring import kpis
from kyoten.monitoring.enums import (
    ActualSource,
    Addressee,
    AdviceStatus,
    ContractType,
    FundingSourceKind,
    PartnerKind,
    PdcaStep,
    ReportStatus,
    SizeClass,
    TargetSource,
)
from kyoten.monitoring.models import (
    Advice,
    AdviceResponse,
    AnnualReport,
    Consultation,
    HubCoordinator,
    JointResearchFunding,
    JointResearchPartner,
    JointResearchProject,
    KpiActual,
    KpiTarget,
    PatentApplication,
    PatentLicence,
    SiteVisit,
)
from kyoten.monitoring.rules import (
    can_close_advice,
    can_decide_report,
    can_edit_targets,
    can_record_visit,
    can_respond_advice,
    can_view_monitoring,
    can_view_records,
    can_write_advice,
    can_write_records,
    can_write_report,
)
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify

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
    """The KPIs the platform computes itself from the hub's records: equipment bookings,
    charges and certificates, and the registers of its own work (`record_figures`)."""
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
        **record_figures(hub, fiscal_year),
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
            _("%(fy)s is before the hub's operation start (%(start)s)")
            % {"fy": fy_label(fy), "start": fy_label(start)},
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
    """{kpi: value or None (None: drop the hub's own figure, keep the platform's)}; a value may
    also be given as {"value": v, "note": "why"} (see `actual_notes`)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object of KPI values"), field=field)
    out: dict[str, Decimal | None] = {}
    for key, raw in value.items():
        kpi = _kpi(key, f"{field}.{key}")
        if isinstance(raw, Mapping):
            raw = raw.get("value")
        out[kpi.key] = None if raw is None else _value(kpi, raw, f"{field}.{key}")
    return out


def actual_notes(actuals: Any, notes: Any = None) -> dict[str, str]:
    """The reasons for the hub's own figures: `notes` {kpi: text} and the "note" of any value
    given as {"value", "note"} in `actuals`."""
    out = _clean_notes(notes)
    if isinstance(actuals, Mapping):
        for key, raw in actuals.items():
            if isinstance(raw, Mapping) and "note" in raw:
                kpi = _kpi(key, f"actuals.{key}")
                out[kpi.key] = _text(raw.get("note"), f"actuals.{key}.note", limit=300)
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
    notes: Mapping[str, str] | None = None,
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
        note = row.note or ""
        if source != ActualSource.REPORTED:
            note = ""
        elif notes and key in notes:
            note = notes[key]
        state = (value, source, platform_value, note)
        if (row.value, row.source, row.platform_value, row.note) != state:
            row.value, row.source, row.platform_value, row.note = state
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
    notes: Any = None,
) -> AnnualReport:
    """Open the hub's report on a fiscal year (a draft), with the platform's figures filled in."""
    _require_visible(by, hub)
    _require(can_write_report, by, hub, _("only the hub's operators may write its reports"))
    fy = _fiscal_year(fiscal_year)
    _operating_year(hub, fy)
    current = fiscal_year_of(today or timezone.localdate())
    if fy > current:
        raise DomainError(
            _("%(fy)s has not started yet") % {"fy": fy_label(fy)}, field="fiscal_year"
        )
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
            _("the hub already has a report for %(fy)s") % {"fy": fy_label(fy)}, field="fiscal_year"
        ) from None
    _apply_actuals(report, reported=reported, platform=platform, notes=actual_notes(actuals, notes))
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
    notes: Any = None,
) -> AnnualReport:
    """Change a draft (or returned) report. `actuals` {kpi: value} sets the hub's own figures;
    a value of null goes back to the platform's figure. `notes` {kpi: text}: why the hub typed
    its own figure instead of the one its records give."""
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
    _apply_actuals(report, reported=reported, platform=None, notes=actual_notes(actuals, notes))
    return report


def _clean_notes(value: Any, field: str = "notes") -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(_("must be an object of reasons by KPI"), field=field)
    out = {}
    for key, text in value.items():
        kpi = _kpi(key, f"{field}.{key}")
        out[kpi.key] = _text(text, f"{field}.{key}", limit=300)
    return out


@transaction.atomic
def report_refresh_platform(*, report: AnnualReport, by: User) -> AnnualReport:
    """Recompute the platform's figures of a draft from today's equipment records."""
    report = _locked(report)
    _require(can_write_report, by, report.hub, _("only the hub's operators may write its reports"))
    if not report.is_editable:
        raise Conflict(_("only a draft can be refreshed"), field="status")
    _apply_actuals(report, reported={}, platform=platform_figures(report.hub, report.fiscal_year))
    return report


def report_missing(report: AnnualReport) -> list[tuple[str, str]]:
    """What a report lacks before it can be submitted: [(field, message)], empty when none:
    the PDCA check and act steps, and the reason for each figure the hub typed where its
    records give another (`notes.<kpi>`)."""
    missing = [
        (f"pdca.{step}", _("is required before submitting"))
        for step in (PdcaStep.CHECK, PdcaStep.ACT)
        if not (report.pdca or {}).get(step, "").strip()
    ]
    for row in report.actuals.all():
        if (
            row.source == ActualSource.REPORTED
            and row.kpi in kpis.PLATFORM_KPIS
            and row.platform_value is not None
            and row.value != row.platform_value
            and not row.note.strip()
        ):
            missing.append(
                (f"notes.{row.kpi}", _("say why you typed a figure other than the records'"))
            )
    return missing


def report_save_and_submit(*, report: AnnualReport, by: User, **changes: Any) -> AnnualReport:
    """「JSTに提出する」 on the form: save what was typed (`report_update`, its own transaction),
    then submit. Input the save refuses leaves the report as it was; a submission refused
    afterwards (e.g. the PDCA check step is empty) keeps everything that was saved."""
    report = report_update(report=report, by=by, **changes)
    return report_submit(report=report, by=by)


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
    missing = report_missing(report)
    if missing:
        field, message = missing[0]
        raise DomainError(message, field=field, rule="R-5")
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
    notify(
        recipients=report.hub.operators.all(),
        kind=NoticeKind.REPORT_RETURNED,
        message=gettext_lazy("The annual report of %(hub)s is returned for correction: %(reason)s"),
        params={"hub": report.hub.name, "reason": text[:200]},
        url=reverse("monitoring:report", args=[report.pk]),
    )
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
    notify(
        recipients=report.hub.operators.all(),
        kind=NoticeKind.REPORT_ACCEPTED,
        message=gettext_lazy("The annual report of %(hub)s is accepted."),
        params={"hub": report.hub.name},
        url=reverse("monitoring:report", args=[report.pk]),
    )
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
    advice = Advice.objects.create(
        hub=hub,
        addressee=addressee,
        title=_text(title, "title", required=True, limit=200),
        body=_text(body, "body", required=True),
        due_date=_date(due_date, "due_date"),
        fiscal_year=fy,
        author=by,
    )
    notify(
        recipients=advice_addressees(advice),
        kind=NoticeKind.ADVICE_ADDRESSED,
        message=gettext_lazy("The promotion committee addresses advice to you: “%(title)s”."),
        params={"title": advice.title},
        url=reverse("monitoring:advice", args=[advice.pk]),
    )
    return advice


def advice_addressees(advice: Advice) -> list[User]:
    """Who answers advice: the hub's operators for its region, program officers for JST and
    the state (they relay it to the ministries)."""
    if advice.addressee == Addressee.REGION and advice.hub_id:
        return list(advice.hub.operators.all())
    return list(users_with_role(Role.OFFICER))


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


# ---------------------------------------------------------------- the hub's own work (issue 19)


def own_prefecture_ids(hub: Hub) -> set[int]:
    """The hub's own prefectures (lead and participating): their money is not external."""
    return {hub.lead_prefecture_id, *hub.prefectures.values_list("pk", flat=True)}


def record_figures(hub: Hub, fiscal_year: int) -> dict[str, Decimal]:
    """The KPIs computed from the hub's registers (docs/monitoring.md, "The hub's own work"):

    * `joint_research_projects`: projects whose contract period overlaps the fiscal year, each
      counted once;
    * `external_funding_yen`: money received in the fiscal year (by the date received) from
      companies, from public programmes other than JST and from prefectures other than the
      hub's own;
    * `ventures_incubated`: ventures in the hub's incubation rooms at any time of the year
      (entered by its end, not graduated before its start), each venture once;
    * `ventures_graduated`: ventures that graduated in the year;
    * `consultations`: technical consultations received in the year (by the date received);
    * `consultations_converted`: of them, those that led to a booking, a training, a joint
      research project or a referral to another hub;
    * `patents_filed`: patent applications filed in the year (by the filing date);
    * `patents_licensed`: patents licensed or transferred in the year, each patent once.
    """
    first, last = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    projects = JointResearchProject.objects.filter(
        hub=hub, contract_start__lte=last, contract_end__gte=first
    ).count()
    external = (
        JointResearchFunding.objects.filter(
            project__hub=hub, received_on__gte=first, received_on__lte=last
        )
        .filter(
            Q(source__in=EXTERNAL_SOURCES)
            | (
                Q(source=FundingSourceKind.PREFECTURE)
                & ~Q(prefecture_id__in=own_prefecture_ids(hub))
            )
        )
        .aggregate(total=Sum("amount_yen"))["total"]
        or 0
    )
    tenants = Tenant.objects.filter(room__hub=hub)
    incubated = (
        tenants.filter(entered_on__lte=last)
        .filter(Q(graduated_on__isnull=True) | Q(graduated_on__gte=first))
        .values("venture")
        .distinct()
        .count()
    )
    graduated = (
        tenants.filter(graduated_on__gte=first, graduated_on__lte=last)
        .values("venture")
        .distinct()
        .count()
    )
    consultations = Consultation.objects.filter(
        hub=hub, received_on__gte=first, received_on__lte=last
    )
    converted = consultations.filter(CONVERTED).count()
    patents_filed = PatentApplication.objects.filter(
        hub=hub, filed_on__gte=first, filed_on__lte=last
    ).count()
    patents_licensed = (
        PatentLicence.objects.filter(patent__hub=hub, licensed_on__gte=first, licensed_on__lte=last)
        .values("patent")
        .distinct()
        .count()
    )
    return {
        "joint_research_projects": Decimal(projects),
        "external_funding_yen": Decimal(external),
        "ventures_incubated": Decimal(incubated),
        "ventures_graduated": Decimal(graduated),
        "consultations": Decimal(consultations.count()),
        "consultations_converted": Decimal(converted),
        "patents_filed": Decimal(patents_filed),
        "patents_licensed": Decimal(patents_licensed),
    }


# A consultation counts as converted when it led to any of these.
CONVERTED = (
    Q(booking__isnull=False)
    | Q(training_session__isnull=False)
    | Q(project__isnull=False)
    | Q(referral_hub__isnull=False)
)


EXTERNAL_SOURCES = (FundingSourceKind.COMPANY, FundingSourceKind.PUBLIC)
RECORD_KPIS = (
    "joint_research_projects",
    "external_funding_yen",
    "ventures_incubated",
    "ventures_graduated",
    "consultations",
    "consultations_converted",
    "patents_filed",
    "patents_licensed",
)


def _choice(value: Any, choices, field: str, *, blank: bool = False) -> str:
    if blank and value in (None, ""):
        return ""
    if value not in choices.values:
        raise DomainError(
            _("must be one of %(values)s") % {"values": ", ".join(choices.values)}, field=field
        )
    return value


def _prefecture(value: Any, field: str) -> Prefecture:
    code = str(value).strip().zfill(2) if value not in (None, "") else ""
    found = Prefecture.objects.filter(code=code).first() if code else None
    if found is None:
        raise DomainError(_("must be a prefecture code such as 13"), field=field)
    return found


def _count(value: Any, field: str) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(_("must be a whole number, 0 or more"), field=field)
    return value


def _clean_partners(value: Any, field: str = "partners") -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or not value:
        raise DomainError(_("name at least one partner"), field=field)
    out = []
    for i, item in enumerate(value):
        path = f"{field}[{i}]"
        if not isinstance(item, Mapping):
            raise DomainError(_("must be an object"), field=path)
        kind = _choice(item.get("kind"), PartnerKind, f"{path}.kind")
        size = _choice(item.get("size_class"), SizeClass, f"{path}.size_class", blank=True)
        if kind == PartnerKind.COMPANY and not size:
            raise DomainError(_("a company needs its size class"), field=f"{path}.size_class")
        if kind != PartnerKind.COMPANY and size:
            raise DomainError(_("only companies have a size class"), field=f"{path}.size_class")
        out.append(
            {
                "name": _text(item.get("name"), f"{path}.name", required=True, limit=200),
                "kind": kind,
                "size_class": size,
                "prefecture": _prefecture(item.get("prefecture"), f"{path}.prefecture"),
            }
        )
    return out


def _clean_funding(value: Any, field: str = "funding") -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        raise DomainError(_("must be a list"), field=field)
    out = []
    for i, item in enumerate(value):
        path = f"{field}[{i}]"
        if not isinstance(item, Mapping):
            raise DomainError(_("must be an object"), field=path)
        source = _choice(item.get("source"), FundingSourceKind, f"{path}.source")
        amount = item.get("amount_yen")
        if not is_yen(amount):
            raise DomainError(
                _("must be a whole number of yen, 0 or more"), field=f"{path}.amount_yen"
            )
        prefecture = None
        if source == FundingSourceKind.PREFECTURE:
            prefecture = _prefecture(item.get("prefecture"), f"{path}.prefecture")
        funder = _text(item.get("funder"), f"{path}.funder", limit=200)
        if not funder:
            if prefecture is not None:
                funder = prefecture.name
            elif source == FundingSourceKind.JST:
                funder = "JST"
            else:
                raise DomainError(_("is required"), field=f"{path}.funder")
        out.append(
            {
                "source": source,
                "funder": funder,
                "prefecture": prefecture,
                "amount_yen": amount,
                "received_on": _date(item.get("received_on"), f"{path}.received_on"),
            }
        )
    return out


def _clean_project(hub: Hub, data: Mapping[str, Any]) -> dict[str, Any]:
    start = _date(data.get("contract_start"), "contract_start")
    end = _date(data.get("contract_end"), "contract_end")
    if end < start:
        raise DomainError(_("must not be before the contract start"), field="contract_end")
    summary = _text(data.get("public_summary"), "public_summary")
    agree = bool(data.get("partners_agree_to_publish"))
    if agree and not summary:
        raise DomainError(
            _("write the summary the partners agreed to publish"), field="public_summary"
        )
    machines = []
    raw = data.get("equipment") or []
    if not isinstance(raw, list | tuple):
        raise DomainError(_("must be a list of machines"), field="equipment")
    if raw:
        ids = []
        for i, item in enumerate(raw):
            pk = getattr(item, "pk", item)
            if isinstance(pk, str) and pk.strip().isdigit():
                pk = int(pk)
            if isinstance(pk, bool) or not isinstance(pk, int):
                raise DomainError(_("unknown machine"), field=f"equipment[{i}]")
            ids.append(pk)
        from kyoten.equipment.models import Equipment

        found = {e.pk: e for e in Equipment.objects.filter(hub=hub, pk__in=ids)}
        for i, pk in enumerate(ids):
            if pk not in found:
                raise DomainError(_("not a machine of this hub"), field=f"equipment[{i}]")
        machines = list(found.values())
    return {
        "fields": {
            "title": _text(data.get("title"), "title", required=True, limit=200),
            "contract_type": _choice(data.get("contract_type"), ContractType, "contract_type"),
            "contract_start": start,
            "contract_end": end,
            "public_summary": summary,
            "partners_agree_to_publish": agree,
            "papers": _count(data.get("papers"), "papers"),
            "patents": _count(data.get("patents"), "patents"),
            "products": _count(data.get("products"), "products"),
            "results_note": _text(data.get("results_note"), "results_note"),
        },
        "partners": _clean_partners(data.get("partners")),
        "funding": _clean_funding(data.get("funding")),
        "equipment": machines,
    }


def _write_project(project: JointResearchProject, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned["fields"].items():
        setattr(project, name, value)
    project.save()
    project.partners.all().delete()
    JointResearchPartner.objects.bulk_create(
        JointResearchPartner(project=project, **p) for p in cleaned["partners"]
    )
    project.funding.all().delete()
    JointResearchFunding.objects.bulk_create(
        JointResearchFunding(project=project, **f) for f in cleaned["funding"]
    )
    project.equipment.set(cleaned["equipment"])


def _require_records(by: User, hub: Hub) -> None:
    if not can_view_records(by, hub):
        raise NotFound(_("no such hub"), field="hub")
    _require(can_write_records, by, hub, _("only the hub's operators keep its records"))


@transaction.atomic
def joint_research_create(*, hub: Hub, by: User, **data: Any) -> JointResearchProject:
    """Record a joint research project with its partners `[{"name", "kind", "size_class",
    "prefecture"}]`, funding `[{"source", "funder", "prefecture", "amount_yen",
    "received_on"}]`, the machines used (the hub's equipment) and its results."""
    _require_records(by, hub)
    cleaned = _clean_project(hub, data)
    project = JointResearchProject(hub=hub, created_by=by)
    _write_project(project, cleaned)
    return project


@transaction.atomic
def joint_research_update(
    *, project: JointResearchProject, by: User, **data: Any
) -> JointResearchProject:
    """Change a project; partners, funding and machines are replaced by the lists given."""
    project = (
        JointResearchProject.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=project.pk)
    )
    _require_records(by, project.hub)
    cleaned = _clean_project(project.hub, data)
    _write_project(project, cleaned)
    return project


@transaction.atomic
def joint_research_delete(*, project: JointResearchProject, by: User) -> None:
    _require_records(by, project.hub)
    project.delete()


# ---------------------------------------------------------------- coordinator desk (issue 19 §2)


@transaction.atomic
def coordinator_appoint(*, hub: Hub, user: User, by: User) -> HubCoordinator:
    """Give one of the hub's operators (a login with the operator role) the coordinator duty."""
    from kyoten.hubs.rules import is_hub_operator
    from kyoten.monitoring.rules import can_appoint_coordinators

    _require_records(by, hub)
    _require(can_appoint_coordinators, by, hub, _("only the hub's operators appoint coordinators"))
    if user.role != Role.OPERATOR or not is_hub_operator(user, hub):
        raise DomainError(
            _("a coordinator must be one of the hub's operators"), field="coordinator"
        )
    found, _created = HubCoordinator.objects.get_or_create(
        hub=hub, user=user, defaults={"appointed_by": by}
    )
    return found


@transaction.atomic
def coordinator_release(*, hub: Hub, user: User, by: User) -> None:
    """Take the coordinator duty away; the consultations they took keep their name."""
    from kyoten.monitoring.rules import can_appoint_coordinators

    _require_records(by, hub)
    _require(can_appoint_coordinators, by, hub, _("only the hub's operators appoint coordinators"))
    HubCoordinator.objects.filter(hub=hub, user=user).delete()


def _pk(value: Any, field: str) -> int | None:
    """An optional id (a model instance, an int or digits); None when empty."""
    value = getattr(value, "pk", value)
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DomainError(_("must be the number of a record"), field=field)
    return value


def _optional_date(value: Any, field: str) -> dt.date | None:
    return None if value in (None, "") else _date(value, field)


def _clean_consultation(hub: Hub, by: User, data: Mapping[str, Any]) -> dict[str, Any]:
    from kyoten.equipment.models import Booking, TrainingSession

    received = _date(data.get("received_on"), "received_on")
    answered = _optional_date(data.get("answered_on"), "answered_on")
    if answered is not None and answered < received:
        raise DomainError(_("must not be before the date received"), field="answered_on")
    answer = _text(data.get("answer"), "answer")
    if answered is not None and not answer:
        raise DomainError(_("write the answer given"), field="answer")
    coordinator_id = _pk(data.get("coordinator"), "coordinator") or by.pk
    coordinator = User.objects.filter(
        pk=coordinator_id, coordinator_duties__hub=hub, role=Role.OPERATOR
    ).first()
    if coordinator is None or not hub.operators.filter(pk=coordinator_id).exists():
        raise DomainError(_("must be one of the hub's coordinators"), field="coordinator")
    prefecture = None
    if data.get("prefecture") not in (None, ""):
        prefecture = _prefecture(data.get("prefecture"), "prefecture")
    booking = None
    if (pk := _pk(data.get("booking"), "booking")) is not None:
        booking = Booking.objects.filter(pk=pk, equipment__hub=hub).first()
        if booking is None:
            raise DomainError(_("not a booking of this hub's machines"), field="booking")
    session = None
    if (pk := _pk(data.get("training_session"), "training_session")) is not None:
        session = TrainingSession.objects.filter(pk=pk, course__hub=hub).first()
        if session is None:
            raise DomainError(_("not a training session of this hub"), field="training_session")
    project = None
    if (pk := _pk(data.get("project"), "project")) is not None:
        project = JointResearchProject.objects.filter(pk=pk, hub=hub).first()
        if project is None:
            raise DomainError(_("not a joint research project of this hub"), field="project")
    referral = None
    if (pk := _pk(data.get("referral_hub"), "referral_hub")) is not None:
        if pk == hub.pk:
            raise DomainError(_("refer the company to another hub"), field="referral_hub")
        referral = Hub.objects.filter(pk=pk).first()
        if referral is None:
            raise DomainError(_("no such hub"), field="referral_hub")
    need_id = _pk(data.get("network_need"), "network_need")
    if need_id is not None:
        from kyoten.network.selectors import get_entry_for

        try:
            get_entry_for(by, "need", need_id)  # read only: the need must be one `by` can see
        except NotFound:
            raise DomainError(
                _("no such company need on the network"), field="network_need"
            ) from None
    size = _choice(data.get("size_class"), SizeClass, "size_class", blank=True)
    return {
        "received_on": received,
        "company_name": _text(data.get("company_name"), "company_name", required=True, limit=200),
        "size_class": size,
        "prefecture": prefecture,
        "subject": _text(data.get("subject"), "subject", required=True, limit=200),
        "question": _text(data.get("question"), "question"),
        "coordinator": coordinator,
        "answer": answer,
        "answered_on": answered,
        "booking": booking,
        "training_session": session,
        "project": project,
        "referral_hub": referral,
        "network_need_id": need_id,
    }


def _require_desk(by: User, hub: Hub) -> None:
    from kyoten.monitoring.rules import can_write_consultations

    if not can_view_records(by, hub):
        raise NotFound(_("no such hub"), field="hub")
    _require(can_write_consultations, by, hub, _("only the hub's coordinators log consultations"))


@transaction.atomic
def consultation_create(*, hub: Hub, by: User, **data: Any) -> Consultation:
    """Log a technical consultation (技術相談): `received_on`, `company_name`, `size_class`,
    `prefecture`, `subject`, `question`, `coordinator` (default: `by`), `answer`,
    `answered_on`, and what it led to: `booking`, `training_session`, `project`,
    `referral_hub` (ids); `network_need` the id of a company need on the network taken up."""
    _require_desk(by, hub)
    consultation = Consultation(hub=hub, created_by=by, **_clean_consultation(hub, by, data))
    consultation.save()
    coordinator = consultation.coordinator
    if coordinator.pk != by.pk:
        notify(
            recipients=[coordinator],
            kind=NoticeKind.CONSULTATION_ASSIGNED,
            message=gettext_lazy(
                "You are the coordinator of the consultation “%(subject)s” from %(company)s."
            ),
            params={"subject": consultation.subject, "company": consultation.company_name},
            url=reverse("monitoring:consultation", args=[hub.pk, consultation.pk]),
        )
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, by: User, **data: Any) -> Consultation:
    """Change a consultation (the answer, what it led to); every field is given again."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=consultation.pk)
    )
    _require_desk(by, consultation.hub)
    for name, value in _clean_consultation(consultation.hub, by, data).items():
        setattr(consultation, name, value)
    consultation.save()
    return consultation


# ---------------------------------------------------------------- IP office (issue 19 §3)


def _clean_patent(hub: Hub, data: Mapping[str, Any]) -> dict[str, Any]:
    project = None
    if (pk := _pk(data.get("project"), "project")) is not None:
        project = JointResearchProject.objects.filter(pk=pk, hub=hub).first()
        if project is None:
            raise DomainError(_("not a joint research project of this hub"), field="project")
    return {
        "application_number": _text(
            data.get("application_number"), "application_number", required=True, limit=40
        ),
        "title": _text(data.get("title"), "title", required=True, limit=200),
        "filed_on": _date(data.get("filed_on"), "filed_on"),
        "holders": _text(data.get("holders"), "holders", required=True, limit=300),
        "project": project,
    }


def _clean_licences(value: Any, field: str = "licences") -> list[dict[str, Any]]:
    from kyoten.monitoring.enums import PatentEventKind

    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        raise DomainError(_("must be a list"), field=field)
    out = []
    for i, item in enumerate(value):
        path = f"{field}[{i}]"
        if not isinstance(item, Mapping):
            raise DomainError(_("must be an object"), field=path)
        out.append(
            {
                "kind": _choice(item.get("kind"), PatentEventKind, f"{path}.kind"),
                "licensee": _text(
                    item.get("licensee"), f"{path}.licensee", required=True, limit=200
                ),
                "licensed_on": _date(item.get("licensed_on"), f"{path}.licensed_on"),
            }
        )
    return out


def _write_patent(patent: PatentApplication, fields: dict, licences: list[dict]) -> None:
    for name, value in fields.items():
        setattr(patent, name, value)
    try:
        with transaction.atomic():
            patent.save()
    except IntegrityError:
        raise Conflict(
            _("the hub already has a patent application with this number"),
            field="application_number",
        ) from None
    patent.licences.all().delete()
    PatentLicence.objects.bulk_create(PatentLicence(patent=patent, **x) for x in licences)


@transaction.atomic
def patent_create(*, hub: Hub, by: User, **data: Any) -> PatentApplication:
    """Record a patent application of the hub (`application_number`, `title`, `filed_on`,
    `holders`, `project`) with its licences `[{"kind", "licensee", "licensed_on"}]`."""
    _require_records(by, hub)
    fields, licences = _clean_patent(hub, data), _clean_licences(data.get("licences"))
    patent = PatentApplication(hub=hub, created_by=by)
    _write_patent(patent, fields, licences)
    return patent


@transaction.atomic
def patent_update(*, patent: PatentApplication, by: User, **data: Any) -> PatentApplication:
    """Change a patent application; its licences are replaced by the list given."""
    patent = (
        PatentApplication.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=patent.pk)
    )
    _require_records(by, patent.hub)
    fields, licences = _clean_patent(patent.hub, data), _clean_licences(data.get("licences"))
    _write_patent(patent, fields, licences)
    return patent
