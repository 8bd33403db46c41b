"""Pages of the monitoring app: thin views over selectors and services."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
            if err.status in (403, 404):  # refused: answered as such, not as a redirect
                raise
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


def _report_changes(request) -> dict:
    """What the report form typed, in the shape of `report_update`."""
    return {
        "actuals": _post_actuals(request),
        "financials": {
            "revenue_yen": _post_lines(request, "revenue"),
            "cost_yen": _post_lines(request, "cost"),
            "jst_operating_yen": _number(request.POST.get("jst_operating_yen")),
        },
        "pdca": {s: request.POST.get(f"pdca_{s}", "") for s in PdcaStep.values},
        "summary": request.POST.get("summary", ""),
        "notes": {
            k: request.POST.get(f"note_{k}", "")
            for k in kpis.CATALOGUE
            if f"note_{k}" in request.POST
        },
    }


def _typed(request) -> dict:
    """The form as typed, to show again beside the errors when it is not (all) saved."""

    def lines(part):
        return list(
            zip(request.POST.getlist(f"{part}_line"), request.POST.getlist(f"{part}_amount"),
                strict=False)
        )  # fmt: skip

    return {
        "actuals": {k: request.POST.get(f"actual_{k}") for k in kpis.CATALOGUE},
        "notes": {k: request.POST.get(f"note_{k}") for k in kpis.CATALOGUE},
        "revenue_lines": [(n, a) for n, a in lines("revenue") if n.strip()],
        "cost_lines": [(n, a) for n, a in lines("cost") if n.strip()],
        "jst_operating_yen": request.POST.get("jst_operating_yen", ""),
        "pdca": {s: request.POST.get(f"pdca_{s}", "") for s in PdcaStep.values},
        "summary": request.POST.get("summary", ""),
    }


RECORD_LINKS = {"joint_research_projects": "monitoring:research_list",
                "external_funding_yen": "monitoring:research_list",
                "consultations": "monitoring:desk", "consultations_converted": "monitoring:desk",
                "patents_filed": "monitoring:patent_list",
                "patents_licensed": "monitoring:patent_list",
                "ventures_incubated": "hubs:detail", "ventures_graduated": "hubs:detail"}  # fmt: skip


def _report_page(request, report, *, typed=None, errors=None, status=200):
    from django.urls import reverse

    targets = selectors.effective_targets(report.hub)
    actuals = {a.kpi: a for a in report.actuals.all()}
    errors = errors or {}
    rows = []
    for key, kpi in kpis.CATALOGUE.items():
        t = targets.get((key, report.fiscal_year))
        a = actuals.get(key)
        link = RECORD_LINKS.get(key)
        rows.append(
            {
                "kpi": kpi,
                "target": kpis.plain(t.target, kpi) if t else None,
                "actual": a,
                "value": kpis.plain(a.value, kpi) if a else None,
                "platform": kpis.plain(a.platform_value, kpi) if a else None,
                "status": kpis.status(kpi, a.value if a else None, t.target if t else None),
                "typed": (typed or {}).get("actuals", {}).get(key),
                "error": errors.get(f"actuals.{key}"),
                "note": (typed or {}).get("notes", {}).get(key) if typed else (a.note if a else ""),
                "note_error": errors.get(f"notes.{key}"),
                "records_url": (
                    reverse(link, args=[report.hub_id])
                    + (f"?fy={report.fiscal_year}" if link.startswith("monitoring:") else "")
                    if link
                    else None
                ),
            }
        )
    editable = report.is_editable and can_write_report(request.user, report.hub)
    pdca = typed["pdca"] if typed else (report.pdca or {})
    financials = report.financials or {}
    context = {
        "report": report,
        "rows": rows,
        "financial": selectors.financial_comparison(report),
        "revenue_lines": typed["revenue_lines"] if typed else list(
            financials.get("revenue_yen", {}).items()),
        "cost_lines": typed["cost_lines"] if typed else list(financials.get("cost_yen", {}).items()),
        "jst_operating_yen": typed["jst_operating_yen"] if typed else financials.get(
            "jst_operating_yen", 0),
        "summary": typed["summary"] if typed else report.summary,
        "pdca_steps": [
            (s, label, pdca.get(s, ""), errors.get(f"pdca.{s}")) for s, label in PdcaStep.choices
        ],
        "errors": errors,
        "other_errors": [
            m for f, m in errors.items() if not f.startswith(("pdca.", "actuals.", "notes."))
        ],
        "editable": editable,
        "can_decide": can_decide_report(request.user, report.hub) and report.status == "submitted",
        "status_labels": kpis.STATUS_LABELS,
        "zero": Decimal(0),
    }  # fmt: skip
    return render(request, "monitoring/report.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    report = selectors.get_report_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                services.report_update(report=report, by=request.user, **_report_changes(request))
                messages.success(request, _("report saved"))
            elif action == "refresh":
                services.report_refresh_platform(report=report, by=request.user)
                messages.success(request, _("figures recomputed from the hub's records"))
            elif action == "submit":
                return _report_submit(request, report)
            elif action == "return":
                services.report_return(
                    report=report, by=request.user, reason=request.POST.get("reason")
                )
                messages.success(request, _("report returned for correction"))
            elif action == "accept":
                services.report_accept(report=report, by=request.user)
                messages.success(request, _("report accepted"))
        except DomainError as err:
            if err.status in (403, 404):
                raise
            _fail(request, err)
        return redirect("monitoring:report", report.pk)
    return _report_page(request, report)


def _report_submit(request, report):
    """Save what was typed, then submit; either refusal shows the page again with every input
    kept and the errors beside their fields (400)."""
    if "pdca_check" not in request.POST:  # a bare submit button (no form fields): submit only
        try:
            services.report_submit(report=report, by=request.user)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            _fail(request, err)
            return redirect("monitoring:report", report.pk)
        messages.success(request, _("report submitted"))
        return redirect("monitoring:report", report.pk)
    try:
        services.report_save_and_submit(report=report, by=request.user, **_report_changes(request))
    except DomainError as err:
        if err.status in (403, 404):
            raise
        report = selectors.get_report_for(request.user, report.pk)
        if (err.field or "").startswith(("pdca.", "notes.")):  # saved; submission refused
            errors = dict(services.report_missing(report))
            messages.error(request, _("Saved, but not submitted: fill in the fields marked below."))
        else:
            errors = {err.field or "": err.message}
            messages.error(
                request, _("Not saved and not submitted: correct the field marked below.")
            )
        return _report_page(request, report, typed=_typed(request), errors=errors, status=400)
    messages.success(request, _("report saved and submitted"))
    return redirect("monitoring:report", report.pk)


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
            if err.status in (403, 404):
                raise
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
            if err.status in (403, 404):
                raise
            _fail(request, err)
        return redirect("monitoring:advice", advice.pk)
    context = {
        "advice": advice,
        "can_respond": can_respond_advice(request.user, advice) and advice.is_open,
        "can_close": can_close_advice(request.user, advice),
    }
    return render(request, "monitoring/advice.html", context)


# ---------------------------------------------------------------- the hub's own work (issue 19)

RESEARCH_PAGE_SIZE = 20
PARTNER_ROWS, FUNDING_ROWS = 2, 2  # empty rows offered below the filled ones


def _rows(request, prefix: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    """Repeated inputs (`partner_name`, `partner_kind`, …) as a list of rows; empty rows drop."""
    columns = [request.POST.getlist(f"{prefix}_{n}") for n in names]
    out = []
    for values in zip(*columns, strict=False):
        row = {n: (v or "").strip() for n, v in zip(names, values, strict=True)}
        if any(row.values()):
            out.append(row)
    return out


PARTNER_FIELDS = ("name", "kind", "size_class", "prefecture")
FUNDING_FIELDS = ("source", "funder", "prefecture", "amount_yen", "received_on")


def _research_post(request, *, typed: bool = False) -> dict:
    """The project form as the service's input (numbers of yen with separators accepted);
    `typed`: as typed, to show the form again."""
    funding = []
    for row in _rows(request, "funding", FUNDING_FIELDS):
        row = dict(row)
        if not typed:
            row["amount_yen"] = _number(row["amount_yen"]) if row["amount_yen"] else None
        funding.append(row)
    return {
        "title": request.POST.get("title", ""),
        "contract_type": request.POST.get("contract_type", ""),
        "contract_start": request.POST.get("contract_start", ""),
        "contract_end": request.POST.get("contract_end", ""),
        "public_summary": request.POST.get("public_summary", ""),
        "partners_agree_to_publish": request.POST.get("partners_agree_to_publish") == "on",
        "equipment": request.POST.getlist("equipment"),
        "papers": request.POST.get("papers", "").strip(),
        "patents": request.POST.get("patents", "").strip(),
        "products": request.POST.get("products", "").strip(),
        "results_note": request.POST.get("results_note", ""),
        "partners": _rows(request, "partner", PARTNER_FIELDS),
        "funding": funding,
    }


def _research_values(project) -> dict:
    """A stored project in the shape of the form."""
    if project is None:
        return {"partners": [], "funding": [], "equipment": []}
    return {
        "title": project.title,
        "contract_type": project.contract_type,
        "contract_start": project.contract_start.isoformat(),
        "contract_end": project.contract_end.isoformat(),
        "public_summary": project.public_summary,
        "partners_agree_to_publish": project.partners_agree_to_publish,
        "equipment": [str(e.pk) for e in project.equipment.all()],
        "papers": project.papers,
        "patents": project.patents,
        "products": project.products,
        "results_note": project.results_note,
        "partners": [
            {"name": p.name, "kind": p.kind, "size_class": p.size_class,
             "prefecture": p.prefecture.code}
            for p in project.partners.all()
        ],
        "funding": [
            {"source": f.source, "funder": f.funder,
             "prefecture": f.prefecture.code if f.prefecture_id else "",
             "amount_yen": f.amount_yen, "received_on": f.received_on.isoformat()}
            for f in project.funding.all()
        ],
    }  # fmt: skip


def _field_label(field: str) -> str:
    """`partners[1].size_class` → 「共同研究先 2行目：企業規模」, for the message beside the form."""
    import re

    from kyoten.monitoring.models import (
        JointResearchFunding,
        JointResearchPartner,
        JointResearchProject,
    )

    groups = {
        "partners": _("Partners"),
        "funding": _("Funding"),
        "equipment": _("Machines used"),
    }
    if field in groups:
        return str(groups[field])
    m = re.fullmatch(r"(partners|funding|equipment)\[(\d+)\](?:\.(\w+))?", field or "")
    if m is None:
        try:
            return str(JointResearchProject._meta.get_field(field).verbose_name)
        except Exception:  # noqa: BLE001 - an unknown field has no label
            return ""
    part, n, name = m.group(1), int(m.group(2)) + 1, m.group(3)
    model = {"partners": JointResearchPartner, "funding": JointResearchFunding}.get(part)
    label = _("%(group)s, row %(n)d") % {"group": groups[part], "n": n}
    if model is not None and name:
        label += "：" + str(model._meta.get_field(name).verbose_name)
    return label


def _research_form(request, hub, project, values, error=None, status=200):
    from kyoten.core.models import Prefecture
    from kyoten.equipment.models import Equipment
    from kyoten.monitoring.enums import ContractType, FundingSourceKind, PartnerKind, SizeClass

    values = dict(values)
    values["equipment"] = [str(x) for x in values.get("equipment") or []]
    partners = list(values.get("partners") or []) + [{}] * PARTNER_ROWS
    funding = list(values.get("funding") or []) + [{}] * FUNDING_ROWS
    context = {
        "hub": hub,
        "project": project,
        "values": values,
        "partners": partners,
        "funding": funding,
        "error": error,
        "error_field": getattr(error, "field", None) or "",
        "error_label": _field_label(getattr(error, "field", None) or "") if error else "",
        "machines": Equipment.objects.filter(hub=hub).order_by("name"),
        "prefectures": Prefecture.objects.order_by("code"),
        "contract_types": ContractType.choices,
        "partner_kinds": PartnerKind.choices,
        "size_classes": SizeClass.choices,
        "funding_sources": FundingSourceKind.choices,
    }
    return render(request, "monitoring/research_form.html", context, status=status)


def _records_hub(request, pk: int):
    from kyoten.hubs.selectors import get_hub_for

    hub = get_hub_for(request.user, pk)
    hub._operator_ids = set(hub.operators.values_list("pk", flat=True))  # one query for rules
    selectors.joint_research_of(request.user, hub)  # 404 for those who may not see the register
    return hub


@login_required
def research_list(request, pk: int):
    """The hub's joint research register, a page at a time; `?fy=` those counted in a year."""
    from django.core.paginator import Paginator

    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    raw = request.GET.get("fy") or ""
    fy = int(raw) if raw.isdigit() and services.MIN_FY <= int(raw) <= services.MAX_FY else None
    qs = selectors.joint_research_of(request.user, hub, fiscal_year=fy)
    page = Paginator(qs, RESEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "hub": hub,
        "page": page,
        "fy": fy,
        "figures": services.record_figures(hub, fy) if fy else None,
        "can_write": can_write_records(request.user, hub),
    }
    return render(request, "monitoring/research_list.html", context)


@login_required
def research_new(request, pk: int):
    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    if not can_write_records(request.user, hub):  # the form is for those who may write
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if request.method == "POST":
        values = _research_post(request)
        try:
            project = services.joint_research_create(hub=hub, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            typed = _research_post(request, typed=True)
            return _research_form(request, hub, None, typed, err, status=400)
        messages.success(request, _("joint research project recorded"))
        return redirect("monitoring:research", hub.pk, project.pk)
    return _research_form(request, hub, None, _research_values(None))


@login_required
def research_detail(request, pk: int, project_id: int):
    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    project = selectors.get_joint_research_for(request.user, hub, project_id)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.joint_research_delete(project=project, by=request.user)
            messages.success(request, _("joint research project deleted"))
            return redirect("monitoring:research_list", hub.pk)
        values = _research_post(request)
        try:
            services.joint_research_update(project=project, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            typed = _research_post(request, typed=True)
            return _research_form(request, hub, project, typed, err, status=400)
        messages.success(request, _("joint research project saved"))
        return redirect("monitoring:research", hub.pk, project.pk)
    if request.GET.get("edit") and can_write_records(request.user, hub):
        return _research_form(request, hub, project, _research_values(project))
    context = {"hub": hub, "project": project, "can_write": can_write_records(request.user, hub)}
    return render(request, "monitoring/research_detail.html", context)


def research_public(request, pk: int):
    """The summaries the partners agreed to publish (anyone, also without login)."""
    from kyoten.hubs.selectors import get_hub_for

    hub = get_hub_for(request.user, pk)
    context = {"hub": hub, "projects": selectors.public_joint_research(hub)}
    return render(request, "monitoring/research_public.html", context)


# ---------------------------------------------------------------- coordinator desk, IP office

CONSULTATION_FIELDS = (
    "received_on", "company_name", "size_class", "prefecture", "subject", "question",
    "coordinator", "answer", "answered_on", "booking", "training_session", "project",
    "referral_hub", "network_need",
)  # fmt: skip


def _year_param(request) -> int | None:
    raw = request.GET.get("fy") or ""
    return int(raw) if raw.isdigit() and services.MIN_FY <= int(raw) <= services.MAX_FY else None


def _desk_form(request, hub, consultation, values, error=None, status=200):
    from kyoten.core.models import Prefecture
    from kyoten.equipment.models import Booking, TrainingSession
    from kyoten.hubs.models import Hub
    from kyoten.monitoring.enums import SizeClass
    from kyoten.monitoring.models import Consultation, JointResearchProject

    label = ""
    if error is not None and error.field:
        try:
            label = str(Consultation._meta.get_field(error.field).verbose_name)
        except Exception:  # noqa: BLE001 - `network_need` and unknown fields have no model field
            label = str(_("Company need on the network")) if error.field == "network_need" else ""
    context = {
        "hub": hub,
        "consultation": consultation,
        "values": {k: "" if v is None else str(v) for k, v in values.items()},
        "error": error,
        "error_field": getattr(error, "field", None) or "",
        "error_label": label,
        "coordinators": selectors.coordinators_of(hub),
        "prefectures": Prefecture.objects.order_by("code"),
        "size_classes": SizeClass.choices,
        "bookings": Booking.objects.filter(equipment__hub=hub)
        .select_related("equipment", "organisation", "user")
        .order_by("-start")[:200],
        "sessions": TrainingSession.objects.filter(course__hub=hub)
        .select_related("course")
        .order_by("-start")[:200],
        "projects": JointResearchProject.objects.filter(hub=hub).order_by("-contract_start"),
        "hubs": Hub.objects.exclude(pk=hub.pk).order_by("name"),
    }
    return render(request, "monitoring/desk_form.html", context, status=status)


def _consultation_values(c) -> dict:
    if c is None:
        return {}
    return {
        "received_on": c.received_on.isoformat(),
        "company_name": c.company_name,
        "size_class": c.size_class,
        "prefecture": c.prefecture.code if c.prefecture_id else "",
        "subject": c.subject,
        "question": c.question,
        "coordinator": c.coordinator_id,
        "answer": c.answer,
        "answered_on": c.answered_on.isoformat() if c.answered_on else "",
        "booking": c.booking_id,
        "training_session": c.training_session_id,
        "project": c.project_id,
        "referral_hub": c.referral_hub_id,
        "network_need": c.network_need_id,
    }


def _consultation_post(request) -> dict:
    return {k: request.POST.get(k, "") for k in CONSULTATION_FIELDS}


@login_required
def desk(request, pk: int):
    """The coordinator desk: the hub's technical consultations (`?fy=` those received in a
    year, with the year's two figures) and its coordinators."""
    from django.core.paginator import Paginator

    from kyoten.monitoring.rules import can_appoint_coordinators, can_write_consultations

    hub = _records_hub(request, pk)
    fy = _year_param(request)
    qs = selectors.consultations_of(request.user, hub, fiscal_year=fy)
    context = {
        "hub": hub,
        "page": Paginator(qs, RESEARCH_PAGE_SIZE).get_page(request.GET.get("page")),
        "fy": fy,
        "figures": services.record_figures(hub, fy) if fy else None,
        "can_write": can_write_consultations(request.user, hub),
        "can_appoint": can_appoint_coordinators(request.user, hub),
        "coordinators": selectors.coordinators_of(hub),
        "candidates": hub.operators.filter(role="operator").exclude(coordinator_duties__hub=hub),
    }
    return render(request, "monitoring/desk.html", context)


@login_required
@require_POST
def desk_coordinators(request, pk: int):
    """Appoint (`appoint`) or release (`release`) a coordinator among the hub's operators."""
    from kyoten.core.models import User

    hub = _records_hub(request, pk)
    raw = request.POST.get("user", "")
    user = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    try:
        if user is None:
            raise DomainError(_("choose one of the hub's operators"), field="coordinator")
        if request.POST.get("action") == "release":
            services.coordinator_release(hub=hub, user=user, by=request.user)
            messages.success(request, _("coordinator duty ended"))
        else:
            services.coordinator_appoint(hub=hub, user=user, by=request.user)
            messages.success(request, _("coordinator appointed"))
    except DomainError as err:
        if err.status in (403, 404):
            raise
        _fail(request, err)
    return redirect("monitoring:desk", hub.pk)


@login_required
def desk_new(request, pk: int):
    """Log a consultation; `?need=ID` takes up a company need posted on the network."""
    from kyoten.monitoring.rules import can_write_consultations

    hub = _records_hub(request, pk)
    if not can_write_consultations(request.user, hub):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if request.method == "POST":
        values = _consultation_post(request)
        try:
            c = services.consultation_create(hub=hub, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            return _desk_form(request, hub, None, values, err, status=400)
        messages.success(request, _("consultation logged"))
        return redirect("monitoring:consultation", hub.pk, c.pk)
    values = {"received_on": timezone.localdate().isoformat(), "coordinator": request.user.pk}
    need = request.GET.get("need") or ""
    if need.isdigit():
        from kyoten.network.selectors import get_entry_for

        entry = get_entry_for(request.user, "need", int(need))  # read only
        values.update(
            network_need=entry.pk,
            company_name=entry.company_name,
            subject=entry.title,
            question=entry.description,
            size_class="sme" if entry.is_sme else "",
        )
    return _desk_form(request, hub, None, values)


@login_required
def consultation_detail(request, pk: int, consultation_id: int):
    from kyoten.monitoring.rules import can_write_consultations

    hub = _records_hub(request, pk)
    c = selectors.get_consultation_for(request.user, hub, consultation_id)
    if request.method == "POST":
        values = _consultation_post(request)
        try:
            services.consultation_update(consultation=c, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            return _desk_form(request, hub, c, values, err, status=400)
        messages.success(request, _("consultation saved"))
        return redirect("monitoring:consultation", hub.pk, c.pk)
    can_write = can_write_consultations(request.user, hub)
    if request.GET.get("edit") and can_write:
        return _desk_form(request, hub, c, _consultation_values(c))
    return render(
        request, "monitoring/consultation.html", {"hub": hub, "c": c, "can_write": can_write}
    )


LICENCE_FIELDS = ("kind", "licensee", "licensed_on")
LICENCE_ROWS = 2


def _patent_post(request) -> dict:
    return {
        "application_number": request.POST.get("application_number", ""),
        "title": request.POST.get("title", ""),
        "filed_on": request.POST.get("filed_on", ""),
        "holders": request.POST.get("holders", ""),
        "project": request.POST.get("project", ""),
        "licences": _rows(request, "licence", LICENCE_FIELDS),
    }


def _patent_values(p) -> dict:
    if p is None:
        return {"licences": []}
    return {
        "application_number": p.application_number,
        "title": p.title,
        "filed_on": p.filed_on.isoformat(),
        "holders": p.holders,
        "project": str(p.project_id or ""),
        "licences": [
            {"kind": x.kind, "licensee": x.licensee, "licensed_on": x.licensed_on.isoformat()}
            for x in p.licences.all()
        ],
    }


def _patent_form(request, hub, patent, values, error=None, status=200):
    from kyoten.monitoring.enums import PatentEventKind
    from kyoten.monitoring.models import JointResearchProject, PatentApplication, PatentLicence

    label = ""
    field = getattr(error, "field", None) or ""
    if field:
        import re

        m = re.fullmatch(r"licences\[(\d+)\]\.(\w+)", field)
        try:
            if m:
                label = _("Licences, row %(n)d") % {"n": int(m.group(1)) + 1}
                label += "：" + str(PatentLicence._meta.get_field(m.group(2)).verbose_name)
            else:
                label = str(PatentApplication._meta.get_field(field).verbose_name)
        except Exception:  # noqa: BLE001 - an unknown field has no label
            label = ""
    context = {
        "hub": hub,
        "patent": patent,
        "values": values,
        "licences": list(values.get("licences") or []) + [{}] * LICENCE_ROWS,
        "error": error,
        "error_field": field,
        "error_label": label,
        "kinds": PatentEventKind.choices,
        "projects": JointResearchProject.objects.filter(hub=hub).order_by("-contract_start"),
    }
    return render(request, "monitoring/patent_form.html", context, status=status)


@login_required
def patent_list(request, pk: int):
    """The IP office's register: patent applications and their licences."""
    from django.core.paginator import Paginator

    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    fy = _year_param(request)
    qs = selectors.patents_of(request.user, hub, fiscal_year=fy)
    context = {
        "hub": hub,
        "page": Paginator(qs, RESEARCH_PAGE_SIZE).get_page(request.GET.get("page")),
        "fy": fy,
        "figures": services.record_figures(hub, fy) if fy else None,
        "can_write": can_write_records(request.user, hub),
    }
    return render(request, "monitoring/patent_list.html", context)


@login_required
def patent_new(request, pk: int):
    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    if not can_write_records(request.user, hub):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if request.method == "POST":
        values = _patent_post(request)
        try:
            patent = services.patent_create(hub=hub, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            return _patent_form(request, hub, None, values, err, status=400)
        messages.success(request, _("patent application recorded"))
        return redirect("monitoring:patent", hub.pk, patent.pk)
    return _patent_form(request, hub, None, _patent_values(None))


@login_required
def patent_detail(request, pk: int, patent_id: int):
    from kyoten.monitoring.rules import can_write_records

    hub = _records_hub(request, pk)
    patent = selectors.get_patent_for(request.user, hub, patent_id)
    if request.method == "POST":
        values = _patent_post(request)
        try:
            services.patent_update(patent=patent, by=request.user, **values)
        except DomainError as err:
            if err.status in (403, 404):
                raise
            return _patent_form(request, hub, patent, values, err, status=400)
        messages.success(request, _("patent application saved"))
        return redirect("monitoring:patent", hub.pk, patent.pk)
    can_write = can_write_records(request.user, hub)
    if request.GET.get("edit") and can_write:
        return _patent_form(request, hub, patent, _patent_values(patent))
    return render(
        request, "monitoring/patent.html", {"hub": hub, "p": patent, "can_write": can_write}
    )
