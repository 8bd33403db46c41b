"""API of the follow-up: KPIs and targets per hub, annual reports, advice, site visits.

Paths (under /api/v1/): /kpis, /hubs/{id}/kpis, /hubs/{id}/targets, /reports, /advice,
/hubs/{id}/site-visits, /monitoring/dashboard, /monitoring/alerts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.monitoring import kpis, selectors, services
from kyoten.monitoring.models import Advice, AdviceResponse, AnnualReport, SiteVisit

router = Router(tags=["monitoring"])

Number = int | float


class KpiOut(Schema):
    key: str
    label_ja: str
    label_en: str
    unit: str
    definition: str
    higher_is_better: bool
    source: str
    key_indicator: bool


class KpiStatusOut(Schema):
    kpi: str
    label: str
    unit: str
    fiscal_year: int
    target: Number | None
    target_source: str | None
    actual: Number | None
    actual_source: str | None
    achievement_pct: float | None
    status: str


class TargetOut(Schema):
    kpi: str
    fiscal_year: int
    target: Number
    source: str
    note: str


class TargetIn(Schema):
    kpi: Any = None
    fiscal_year: Any = None
    target: Any = None
    note: Any = None


class TargetsIn(Schema):
    targets: list[TargetIn]


class TakeOverOut(Schema):
    written: int
    targets: list[TargetOut]


class ActualOut(Schema):
    kpi: str
    label: str
    unit: str
    value: Number
    source: str
    platform_value: Number | None
    target: Number | None
    status: str


class FinancialLineOut(Schema):
    part: str
    line: str
    plan_yen: int | None
    actual_yen: int | None
    difference_yen: int | None


class ReportOut(Schema):
    id: int
    hub: int
    hub_name: str
    fiscal_year: int
    status: str
    actuals: list[ActualOut]
    financials: dict[str, Any]
    financial_comparison: list[FinancialLineOut]
    pdca: dict[str, str]
    summary: str
    return_reason: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class ReportIn(Schema):
    hub: int
    fiscal_year: Any
    actuals: dict[str, Any] | None = None
    financials: dict[str, Any] | None = None
    pdca: dict[str, Any] | None = None
    summary: str = ""


class ReportPatch(Schema):
    actuals: dict[str, Any] | None = None
    financials: dict[str, Any] | None = None
    pdca: dict[str, Any] | None = None
    summary: str | None = None


class ReasonIn(Schema):
    reason: str = ""


class ResponseOut(Schema):
    id: int
    body: str
    action_taken: str
    responded_by: str
    responded_at: dt.datetime


class AdviceOut(Schema):
    id: int
    hub: int | None
    hub_name: str | None
    addressee: str
    title: str
    body: str
    fiscal_year: int | None
    due_date: dt.date
    status: str
    overdue: bool
    author: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    closing_note: str
    responses: list[ResponseOut]


class AdviceIn(Schema):
    addressee: str
    hub: int | None = None
    title: str = ""
    body: str = ""
    due_date: Any = None
    fiscal_year: Any = None


class ResponseIn(Schema):
    body: str = ""
    action_taken: str = ""


class CloseIn(Schema):
    note: str = ""


class VisitOut(Schema):
    id: int
    hub: int
    visited_on: dt.date
    visitors: str
    notes: str
    recorded_by: str


class VisitIn(Schema):
    visited_on: Any = None
    visitors: str = ""
    notes: str = ""


class AlertOut(Schema):
    kind: str
    message: str
    hub: int | None
    fiscal_year: int | None
    url: str


class DashboardCellOut(Schema):
    kpi: str
    target: Number | None
    actual: Number | None
    achievement_pct: float | None
    status: str


class DashboardRowOut(Schema):
    hub: int
    hub_name: str
    prefecture: str
    block: str
    overall: str
    report_status: str | None
    cells: list[DashboardCellOut]


class DashboardOut(Schema):
    fiscal_year: int
    kpis: list[str]
    rows: list[DashboardRowOut]
    by_block: list[dict[str, Any]]


# ---------------------------------------------------------------- helpers


def _target_dict(t) -> dict[str, Any]:
    kpi = kpis.CATALOGUE[t.kpi]
    return {
        "kpi": t.kpi,
        "fiscal_year": t.fiscal_year,
        "target": kpis.plain(t.target, kpi),
        "source": t.source,
        "note": t.note,
    }


def report_dict(report: AnnualReport, stored: list | None = None) -> dict[str, Any]:
    targets = selectors.effective_targets(report.hub, stored, fiscal_year=report.fiscal_year)
    actuals = []
    for a in sorted(report.actuals.all(), key=lambda a: list(kpis.CATALOGUE).index(a.kpi)):
        kpi = kpis.CATALOGUE[a.kpi]
        t = targets.get((a.kpi, report.fiscal_year))
        actuals.append(
            {
                "kpi": a.kpi,
                "label": kpi.label_ja,
                "unit": kpi.unit,
                "value": kpis.plain(a.value, kpi),
                "source": a.source,
                "platform_value": kpis.plain(a.platform_value, kpi),
                "target": kpis.plain(t.target, kpi) if t else None,
                "status": kpis.status(kpi, a.value, t.target if t else None),
            }
        )
    return {
        "id": report.pk,
        "hub": report.hub_id,
        "hub_name": report.hub.name,
        "fiscal_year": report.fiscal_year,
        "status": report.status,
        "actuals": actuals,
        "financials": report.financials or {},
        "financial_comparison": selectors.financial_comparison(report),
        "pdca": report.pdca or {},
        "summary": report.summary,
        "return_reason": report.return_reason,
        "submitted_at": report.submitted_at,
        "decided_at": report.decided_at,
    }


def _report_out(user, pk: int) -> dict[str, Any]:
    return report_dict(selectors.get_report_for(user, pk))


def advice_dict(advice: Advice, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "id": advice.pk,
        "hub": advice.hub_id,
        "hub_name": advice.hub.name if advice.hub else None,
        "addressee": advice.addressee,
        "title": advice.title,
        "body": advice.body,
        "fiscal_year": advice.fiscal_year,
        "due_date": advice.due_date,
        "status": advice.status,
        "overdue": advice.status == "open" and advice.due_date < today,
        "author": str(advice.author),
        "created_at": advice.created_at,
        "closed_at": advice.closed_at,
        "closing_note": advice.closing_note,
        "responses": [_response_dict(r) for r in advice.responses.all()],
    }


def _response_dict(r: AdviceResponse) -> dict[str, Any]:
    return {
        "id": r.pk,
        "body": r.body,
        "action_taken": r.action_taken,
        "responded_by": str(r.responded_by),
        "responded_at": r.responded_at,
    }


def _visit_dict(v: SiteVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "hub": v.hub_id,
        "visited_on": v.visited_on,
        "visitors": v.visitors,
        "notes": v.notes,
        "recorded_by": str(v.recorded_by),
    }


# ---------------------------------------------------------------- KPIs and targets


@router.get("/kpis", response=Page[KpiOut], auth=public)
def kpi_catalogue(request, page: int = 1, page_size: int = 50):
    """The program's KPI catalogue: unit, definition, direction, where the figure comes from."""
    return paginate([k.as_dict() for k in kpis.CATALOGUE.values()], page, page_size)


@router.get("/hubs/{hub_id}/kpis", response=Page[KpiStatusOut])
def hub_kpis(
    request,
    hub_id: int,
    fiscal_year: int | None = None,
    kpi: str | None = None,
    page: int = 1,
    page_size: int = 100,
):
    """Target against actual per KPI and fiscal year, with the status of each."""
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    if kpi is not None and kpi not in kpis.CATALOGUE:
        raise ApiError(400, _("unknown KPI %(key)r") % {"key": kpi}, field="kpi")
    rows = []
    for series in selectors.hub_series(hub):
        if kpi is not None and series.kpi.key != kpi:
            continue
        for i, fy in enumerate(series.years):
            if fiscal_year is not None and fy != fiscal_year:
                continue
            t, a = series.targets[i], series.actuals[i]
            if t is None and a is None:
                continue
            rows.append(
                {
                    "kpi": series.kpi.key,
                    "label": series.kpi.label_ja,
                    "unit": series.kpi.unit,
                    "fiscal_year": fy,
                    "target": kpis.plain(t, series.kpi),
                    "target_source": None,
                    "actual": kpis.plain(a, series.kpi),
                    "actual_source": None,
                    "achievement_pct": kpis.achievement_pct(series.kpi, a, t),
                    "status": series.statuses[i],
                }
            )
    targets = selectors.effective_targets(hub)
    actuals = selectors.counting_actuals([hub])
    for row in rows:
        t = targets.get((row["kpi"], row["fiscal_year"]))
        a = actuals.get((hub.pk, row["kpi"], row["fiscal_year"]))
        row["target_source"] = t.source if t else None
        row["actual_source"] = a.source if a else None
    return paginate(rows, page, page_size)


@router.get("/hubs/{hub_id}/targets", response=Page[TargetOut])
def hub_targets(request, hub_id: int, page: int = 1, page_size: int = 200):
    """The hub's targets per KPI and fiscal year (proposal, interpolated or edited)."""
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    return paginate([_target_dict(t) for t in selectors.target_list(hub)], page, page_size)


@router.post("/hubs/{hub_id}/targets", response=list[TargetOut])
def hub_targets_set(request, hub_id: int, payload: TargetsIn):
    """Officers edit targets (each with a note saying why); the history is kept."""
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    rows = services.targets_set(
        hub=hub, targets=[t.dict() for t in payload.targets], by=request.auth
    )
    return [_target_dict(t) for t in rows]


@router.post("/hubs/{hub_id}/targets/take-over", response=TakeOverOut)
def hub_targets_take_over(request, hub_id: int):
    """Store the proposal's goals as targets (edited targets are kept)."""
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    written = services.targets_take_over(hub=hub, by=request.auth)
    return {"written": written, "targets": [_target_dict(t) for t in selectors.target_list(hub)]}


# ---------------------------------------------------------------- reports


@router.get("/reports", response=Page[ReportOut])
def report_list(
    request,
    hub: int | None = None,
    fiscal_year: int | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 20,
):
    qs = selectors.with_report_details(selectors.reports_visible_to(request.auth))
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        if status not in ("draft", "submitted", "returned", "accepted"):
            raise ApiError(400, _("unknown status %(value)r") % {"value": status}, field="status")
        qs = qs.filter(status=status)
    result = paginate(qs, page, page_size)
    stored = selectors.stored_targets({r.hub_id for r in result["items"]})
    result["items"] = [report_dict(r, stored.get(r.hub_id, [])) for r in result["items"]]
    return result


@router.post("/reports", response={201: ReportOut})
def report_create(request, payload: ReportIn):
    hub = selectors.get_monitored_hub(request.auth, payload.hub)
    report = services.report_create(
        hub=hub,
        fiscal_year=payload.fiscal_year,
        by=request.auth,
        actuals=payload.actuals,
        financials=payload.financials,
        pdca=payload.pdca,
        summary=payload.summary,
    )
    return Status(201, _report_out(request.auth, report.pk))


@router.get("/reports/{report_id}", response=ReportOut)
def report_detail(request, report_id: int):
    return _report_out(request.auth, report_id)


@router.patch("/reports/{report_id}", response=ReportOut)
def report_update(request, report_id: int, payload: ReportPatch):
    report = selectors.get_report_for(request.auth, report_id)
    services.report_update(
        report=report,
        by=request.auth,
        actuals=payload.actuals,
        financials=payload.financials,
        pdca=payload.pdca,
        summary=payload.summary,
    )
    return _report_out(request.auth, report_id)


@router.post("/reports/{report_id}/refresh", response=ReportOut)
def report_refresh(request, report_id: int):
    report = selectors.get_report_for(request.auth, report_id)
    services.report_refresh_platform(report=report, by=request.auth)
    return _report_out(request.auth, report_id)


@router.post("/reports/{report_id}/submit", response=ReportOut)
def report_submit(request, report_id: int):
    report = selectors.get_report_for(request.auth, report_id)
    services.report_submit(report=report, by=request.auth)
    return _report_out(request.auth, report_id)


@router.post("/reports/{report_id}/return", response=ReportOut)
def report_return(request, report_id: int, payload: ReasonIn):
    report = selectors.get_report_for(request.auth, report_id)
    services.report_return(report=report, by=request.auth, reason=payload.reason)
    return _report_out(request.auth, report_id)


@router.post("/reports/{report_id}/accept", response=ReportOut)
def report_accept(request, report_id: int):
    report = selectors.get_report_for(request.auth, report_id)
    services.report_accept(report=report, by=request.auth)
    return _report_out(request.auth, report_id)


@router.get("/reports/{report_id}/pdf")
def report_pdf(request, report_id: int):
    """The report as a PDF (Japanese, fonts embedded)."""
    from kyoten.monitoring import pdf  # matplotlib and reportlab load on first use only

    report = selectors.get_report_for(request.auth, report_id)
    response = HttpResponse(
        pdf.hub_report_pdf(report.hub, report.fiscal_year, report=report),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="hub-{report.hub_id}-FY{report.fiscal_year}.pdf"'
    )
    return response


# ---------------------------------------------------------------- advice


@router.get("/advice", response=Page[AdviceOut])
def advice_list(
    request,
    status: str | None = None,
    addressee: str | None = None,
    hub: int | None = None,
    page: int = 1,
    page_size: int = 20,
):
    qs = selectors.advice_visible_to(request.auth)
    if status:
        if status not in ("open", "answered", "closed"):
            raise ApiError(400, _("unknown status %(value)r") % {"value": status}, field="status")
        qs = qs.filter(status=status)
    if addressee:
        if addressee not in ("region", "jst", "state"):
            raise ApiError(
                400, _("unknown addressee %(value)r") % {"value": addressee}, field="addressee"
            )
        qs = qs.filter(addressee=addressee)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    result = paginate(qs, page, page_size)
    result["items"] = [advice_dict(a) for a in result["items"]]
    return result


@router.post("/advice", response={201: AdviceOut})
def advice_create(request, payload: AdviceIn):
    hub = None
    if payload.hub is not None:
        hub = selectors.get_monitored_hub(request.auth, payload.hub)
    advice = services.advice_create(
        by=request.auth,
        addressee=payload.addressee,
        hub=hub,
        title=payload.title,
        body=payload.body,
        due_date=payload.due_date,
        fiscal_year=payload.fiscal_year,
    )
    return Status(201, advice_dict(selectors.get_advice_for(request.auth, advice.pk)))


@router.get("/advice/{advice_id}", response=AdviceOut)
def advice_detail(request, advice_id: int):
    return advice_dict(selectors.get_advice_for(request.auth, advice_id))


@router.post("/advice/{advice_id}/responses", response={201: AdviceOut})
def advice_respond(request, advice_id: int, payload: ResponseIn):
    advice = selectors.get_advice_for(request.auth, advice_id)
    services.advice_respond(
        advice=advice, by=request.auth, body=payload.body, action_taken=payload.action_taken
    )
    return Status(201, advice_dict(selectors.get_advice_for(request.auth, advice_id)))


@router.post("/advice/{advice_id}/close", response=AdviceOut)
def advice_close(request, advice_id: int, payload: CloseIn):
    advice = selectors.get_advice_for(request.auth, advice_id)
    services.advice_close(advice=advice, by=request.auth, note=payload.note)
    return advice_dict(selectors.get_advice_for(request.auth, advice_id))


@router.post("/advice/{advice_id}/reopen", response=AdviceOut)
def advice_reopen(request, advice_id: int, payload: ReasonIn):
    advice = selectors.get_advice_for(request.auth, advice_id)
    services.advice_reopen(advice=advice, by=request.auth, reason=payload.reason)
    return advice_dict(selectors.get_advice_for(request.auth, advice_id))


# ---------------------------------------------------------------- site visits, dashboard


@router.get("/hubs/{hub_id}/site-visits", response=Page[VisitOut])
def visit_list(request, hub_id: int, page: int = 1, page_size: int = 20):
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    result = paginate(selectors.site_visits_of(hub), page, page_size)
    result["items"] = [_visit_dict(v) for v in result["items"]]
    return result


@router.post("/hubs/{hub_id}/site-visits", response={201: VisitOut})
def visit_create(request, hub_id: int, payload: VisitIn):
    hub = selectors.get_monitored_hub(request.auth, hub_id)
    visit = services.site_visit_record(
        hub=hub,
        by=request.auth,
        visited_on=payload.visited_on,
        visitors=payload.visitors,
        notes=payload.notes,
    )
    return Status(201, _visit_dict(visit))


@router.get("/monitoring/dashboard", response=DashboardOut)
def dashboard(request, fiscal_year: int):
    """All hubs the user may follow × the key KPIs in one fiscal year, by regional block."""
    board = selectors.dashboard(request.auth, fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "kpis": [k.key for k in board.kpis],
        "rows": [
            {
                "hub": r.hub.pk,
                "hub_name": r.hub.name,
                "prefecture": r.hub.lead_prefecture_id,
                "block": r.block,
                "overall": r.overall,
                "report_status": r.report_status,
                "cells": [
                    {
                        "kpi": k.key,
                        "target": kpis.plain(r.cells[k.key].target, k),
                        "actual": kpis.plain(r.cells[k.key].actual, k),
                        "achievement_pct": r.cells[k.key].achievement_pct,
                        "status": r.cells[k.key].status,
                    }
                    for k in board.kpis
                ],
            }
            for r in board.rows
        ],
        "by_block": board.by_block,
    }


@router.get("/monitoring/alerts", response=Page[AlertOut])
def alert_list(request, page: int = 1, page_size: int = 50):
    """Hubs off track, reports missing after their due date, advice past due."""
    return paginate([a.as_dict() for a in selectors.alerts(request.auth)], page, page_size)
