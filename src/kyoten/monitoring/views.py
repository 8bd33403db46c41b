"""Pages of the monitoring app: thin views over selectors and services."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.errors import DomainError
from kyoten.core.fiscal import fiscal_year
from kyoten.monitoring import kpis, selectors, services
from kyoten.monitoring.enums import Addressee, PdcaStep
from kyoten.monitoring.rules import (
    can_close_advice,
    can_decide_report,
    can_edit_targets,
    can_record_visit,
    can_respond_advice,
    can_write_advice,
    can_write_report,
)


def _fy(request, default: int | None = None) -> int:
    raw = request.GET.get("fy")
    if raw and raw.isdigit():
        return int(raw)
    return default if default is not None else fiscal_year(timezone.localdate()) - 1


def _fail(request, err: DomainError) -> None:
    messages.error(request, str(err))


@login_required
def dashboard(request):
    fy = _fy(request)
    board = selectors.dashboard(request.user, fy)
    context = {
        "board": board,
        "fy": fy,
        "years": list(range(fy - 5, fy + 2)),
        "alerts": selectors.alerts(request.user),
        "status_labels": kpis.STATUS_LABELS,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def hub_detail(request, pk: int):
    hub = selectors.get_monitored_hub(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "take_over":
                n = services.targets_take_over(hub=hub, by=request.user)
                messages.success(request, _("%(n)d targets taken over") % {"n": n})
            elif action == "target":
                services.target_set(
                    hub=hub,
                    kpi=request.POST.get("kpi"),
                    fiscal_year=request.POST.get("fiscal_year"),
                    target=request.POST.get("target"),
                    note=request.POST.get("note"),
                    by=request.user,
                )
                messages.success(request, _("target saved"))
            elif action == "report":
                report = services.report_create(
                    hub=hub, fiscal_year=request.POST.get("fiscal_year"), by=request.user
                )
                return redirect("monitoring:report", report.pk)
            elif action == "visit":
                services.site_visit_record(
                    hub=hub,
                    by=request.user,
                    visited_on=request.POST.get("visited_on"),
                    visitors=request.POST.get("visitors"),
                    notes=request.POST.get("notes"),
                )
                messages.success(request, _("site visit recorded"))
        except DomainError as err:
            _fail(request, err)
        return redirect("monitoring:hub", hub.pk)
    fy = _fy(request, selectors.latest_reported_year(hub))
    rows = selectors.hub_status(hub, fy) if fy else []
    series = selectors.hub_series(hub)
    context = {
        "hub": hub,
        "fy": fy,
        "rows": rows,
        "overall": selectors.overall(rows) if rows else None,
        "series": [s for s in series if any(t is not None for t in s.targets)],
        "targets": selectors.target_list(hub),
        "reports": selectors.reports_visible_to(request.user).filter(hub=hub),
        "advice": selectors.advice_visible_to(request.user).filter(hub=hub),
        "visits": selectors.site_visits_of(hub),
        "catalogue": list(kpis.CATALOGUE.values()),
        "can_edit_targets": can_edit_targets(request.user, hub),
        "can_write_report": can_write_report(request.user, hub),
        "can_record_visit": can_record_visit(request.user, hub),
        "operation_start": services.operation_start(hub),
        "status_labels": kpis.STATUS_LABELS,
    }
    return render(request, "monitoring/hub.html", context)


@login_required
def chart(request, pk: int, kpi: str):
    hub = selectors.get_monitored_hub(request.user, pk)
    found = next((s for s in selectors.hub_series(hub) if s.kpi.key == kpi), None)
    if found is None:
        raise Http404
    from kyoten.monitoring import charts  # matplotlib loads on first use only

    response = HttpResponse(charts.trend_png(found), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def block_chart(request, fy: int):
    """Hubs per regional block by overall status (the dashboard's chart by region)."""
    from kyoten.monitoring import charts

    board = selectors.dashboard(request.user, fy)
    response = HttpResponse(charts.block_status_png(board.by_block), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def hub_report_pdf(request, pk: int, fy: int):
    hub = selectors.get_monitored_hub(request.user, pk)
    report = selectors.reports_visible_to(request.user).filter(hub=hub, fiscal_year=fy).first()
    from kyoten.monitoring import pdf

    data = pdf.hub_report_pdf(hub, fy, report=report)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hub-{hub.pk}-FY{fy}.pdf"'
    return response


@login_required
def program_pdf(request, fy: int):
    from kyoten.monitoring import pdf

    data = pdf.program_report_pdf(request.user, fy)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kyoten-FY{fy}.pdf"'
    return response


@login_required
def export_xlsx(request):
    from kyoten.monitoring import export

    response = HttpResponse(
        export.workbook(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="kyoten-kpis.xlsx"'
    return response


def _post_actuals(request) -> dict:
    out = {}
    for key in kpis.CATALOGUE:
        raw = request.POST.get(f"actual_{key}")
        if raw is None:
            continue
        raw = raw.strip().replace(",", "")
        out[key] = None if raw == "" else raw
    return out


def _number(raw: str | None):
    """Form text to an int where it is one; anything else goes to the service to refuse."""
    raw = (raw or "0").strip().replace(",", "") or "0"
    return int(raw) if raw.isdigit() else raw


def _post_lines(request, part: str) -> dict:
    names = request.POST.getlist(f"{part}_line")
    amounts = request.POST.getlist(f"{part}_amount")
    out = {}
    for name, amount in zip(names, amounts, strict=False):
        name = name.strip()
        if not name:
            continue
        out[name] = _number(amount)
    return out


@login_required
def report_detail(request, pk: int):
    report = selectors.get_report_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                services.report_update(
                    report=report,
                    by=request.user,
                    actuals=_post_actuals(request),
                    financials={
                        "revenue_yen": _post_lines(request, "revenue"),
                        "cost_yen": _post_lines(request, "cost"),
                        "jst_operating_yen": _number(request.POST.get("jst_operating_yen")),
                    },
                    pdca={s: request.POST.get(f"pdca_{s}", "") for s in PdcaStep.values},
                    summary=request.POST.get("summary", ""),
                )
                messages.success(request, _("report saved"))
            elif action == "refresh":
                services.report_refresh_platform(report=report, by=request.user)
                messages.success(request, _("figures recomputed from the equipment records"))
            elif action == "submit":
                services.report_submit(report=report, by=request.user)
                messages.success(request, _("report submitted"))
            elif action == "return":
                services.report_return(
                    report=report, by=request.user, reason=request.POST.get("reason")
                )
                messages.success(request, _("report returned for correction"))
            elif action == "accept":
                services.report_accept(report=report, by=request.user)
                messages.success(request, _("report accepted"))
        except DomainError as err:
            _fail(request, err)
        return redirect("monitoring:report", report.pk)
    targets = selectors.effective_targets(report.hub)
    actuals = {a.kpi: a for a in report.actuals.all()}
    rows = []
    for key, kpi in kpis.CATALOGUE.items():
        t = targets.get((key, report.fiscal_year))
        a = actuals.get(key)
        rows.append(
            {
                "kpi": kpi,
                "target": kpis.plain(t.target, kpi) if t else None,
                "actual": a,
                "value": kpis.plain(a.value, kpi) if a else None,
                "platform": kpis.plain(a.platform_value, kpi) if a else None,
                "status": kpis.status(kpi, a.value if a else None, t.target if t else None),
            }
        )
    editable = report.is_editable and can_write_report(request.user, report.hub)
    context = {
        "report": report,
        "rows": rows,
        "financial": selectors.financial_comparison(report),
        "revenue_lines": list((report.financials or {}).get("revenue_yen", {}).items()),
        "cost_lines": list((report.financials or {}).get("cost_yen", {}).items()),
        "pdca_steps": [(s, label, (report.pdca or {}).get(s, "")) for s, label in PdcaStep.choices],
        "editable": editable,
        "can_decide": can_decide_report(request.user, report.hub) and report.status == "submitted",
        "status_labels": kpis.STATUS_LABELS,
        "zero": Decimal(0),
    }
    return render(request, "monitoring/report.html", context)


@login_required
def advice_list(request):
    if request.method == "POST":
        hub = None
        if request.POST.get("hub"):
            try:
                hub = selectors.get_monitored_hub(request.user, request.POST["hub"])
            except DomainError as err:
                _fail(request, err)
                return redirect("monitoring:advice_list")
        try:
            advice = services.advice_create(
                by=request.user,
                addressee=request.POST.get("addressee"),
                hub=hub,
                title=request.POST.get("title"),
                body=request.POST.get("body"),
                due_date=request.POST.get("due_date"),
                fiscal_year=request.POST.get("fiscal_year") or None,
            )
        except DomainError as err:
            _fail(request, err)
            return redirect("monitoring:advice_list")
        return redirect("monitoring:advice", advice.pk)
    qs = selectors.advice_visible_to(request.user)
    status = request.GET.get("status")
    if status in ("open", "answered", "closed"):
        qs = qs.filter(status=status)
    context = {
        "advice": qs,
        "status": status,
        "can_write": can_write_advice(request.user),
        "hubs": selectors.monitored_hubs(request.user),
        "addressees": Addressee.choices,
        "today": timezone.localdate(),
    }
    return render(request, "monitoring/advice_list.html", context)


@login_required
def advice_detail(request, pk: int):
    advice = selectors.get_advice_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "respond":
                services.advice_respond(
                    advice=advice,
                    by=request.user,
                    body=request.POST.get("body"),
                    action_taken=request.POST.get("action_taken", ""),
                )
                messages.success(request, _("response recorded"))
            elif action == "close":
                services.advice_close(advice=advice, by=request.user, note=request.POST.get("note"))
                messages.success(request, _("advice closed"))
            elif action == "reopen":
                services.advice_reopen(
                    advice=advice, by=request.user, reason=request.POST.get("reason")
                )
                messages.success(request, _("advice reopened"))
        except DomainError as err:
            _fail(request, err)
        return redirect("monitoring:advice", advice.pk)
    context = {
        "advice": advice,
        "can_respond": can_respond_advice(request.user, advice) and advice.is_open,
        "can_close": can_close_advice(request.user, advice),
    }
    return render(request, "monitoring/advice.html", context)
