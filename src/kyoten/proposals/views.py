"""Pages: the applicant's proposal workspace and the officer's views of a call.

Thin: every read starts from `selectors`, every write is a `services` call.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.calls.models import Call
from kyoten.calls.program import (
    DEFAULT_KPIS,
    FORM_LABELS,
    SECTION_LABELS_EN,
    SECTION_LABELS_JA,
    SECTION_NUMBERS,
)
from kyoten.calls.selectors import calls_visible_to, get_call_for, open_calls
from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.locking import EditConflict
from kyoten.core.models import Prefecture
from kyoten.core.paging import page_of
from kyoten.core.reference import prefectures
from kyoten.core.rules import is_applicant, is_observer, is_officer
from kyoten.proposals import exports, selectors, services
from kyoten.proposals.eligibility import checklist, required_consultations
from kyoten.proposals.forms import (
    COST_ITEMS,
    OPTION_KINDS,
    OPTION_LABELS,
    PART_PARSERS,
    REVENUE_SOURCES,
    SOURCE_LABELS,
    funding_totals,
    part_keys,
    part_of,
)
from kyoten.proposals.models import HOLDING_STATUSES, Attachment, Proposal, ProposalStatus
from kyoten.proposals.rules import can_edit_proposal


def _lang(request) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "ja") or "ja").startswith("en") else "ja"


def _refused(exc: DomainError) -> None:
    """A refusal is an answer of its own, never a message on the next page: Forbidden is 403,
    NotFound 404 (what one may not know of answers as a missing object)."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from None
    if isinstance(exc, NotFound):
        raise Http404 from None


def _fetch(request, pk, *, write=False) -> Proposal:
    try:
        return selectors.get_proposal_for(request.user, pk, write=write)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


def _officer_or_observer(user) -> None:
    if not (is_officer(user) or is_observer(user)):
        raise PermissionDenied(_("Only program officers and observers see this page."))


def _checklist_context(request, proposal: Proposal) -> dict:
    findings = selectors.proposal_findings(proposal)
    lang = _lang(request)
    rows = checklist(findings)
    for row in rows:
        row["title"] = row["title_en"] if lang == "en" else row["title_ja"]
        row["items"] = [
            {"finding": f, "message": f.message(lang), "part": part_of(f.field)}
            for f in row["findings"]
        ]
    return {"proposal": proposal, "checklist": rows,
            "errors": sum(1 for f in findings if f.is_error), "findings": findings}  # fmt: skip


@login_required
def workspace(request):
    """Applicants: their prefecture's proposals and the open calls. Officers: the calls."""
    # The list shows no document: its content (the JSON of each proposal) stays unread.
    proposals = (
        selectors.proposals_visible_to(request.user)
        .select_related("call")
        .defer("content")
        .order_by("-updated_at")
    )
    return render(request, "proposals/workspace.html", {
        "proposals": page_of(request, proposals),
        "open_calls": open_calls(request.user),
        "calls": calls_visible_to(request.user),
        "is_officer": is_officer(request.user) or is_observer(request.user),
        "can_create": is_applicant(request.user),
        "waiting_partnerships": selectors.partnerships_for(request.user).filter(
            accepted__isnull=True
        ).count(),
    })  # fmt: skip


@login_required
def partnerships(request):
    """An applicant's consortium invitations: accept (the prefecture takes part) or decline."""
    if not is_applicant(request.user):
        raise PermissionDenied(_("Only applicants answer consortium invitations."))
    return render(
        request, "proposals/partnerships.html", {"rows": selectors.partnerships_for(request.user)}
    )


@login_required
@require_POST
def partnership_answer(request, pk: int):
    partnership = selectors.partnerships_for(request.user).filter(pk=pk).first()
    if partnership is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.partnership_answer(partnership=partnership, by=request.user, accept=accept)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("proposals:partnerships")
    if accept:
        messages.success(request, _("Your prefecture now takes part in this proposal."))
        return redirect("proposals:edit", pk=partnership.proposal_id)
    messages.success(request, _("You have declined the invitation."))
    return redirect("proposals:partnerships")


@login_required
@require_POST
def partners_may_edit(request, pk: int):
    proposal = _fetch(request, pk)
    try:
        services.proposal_partners_may_edit(
            proposal=proposal, by=request.user, allowed=request.POST.get("allowed") == "1"
        )
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_new(request, call_id: int):
    try:
        call = get_call_for(request.user, call_id)
        proposal = services.proposal_create(call=call, by=request.user)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
        return redirect("proposals:workspace")
    code = proposal.lead_prefecture_id
    others = list(selectors.other_proposals_of_prefecture(
        call=call, prefecture_code=code, exclude_pk=proposal.pk))  # fmt: skip
    if others:
        messages.warning(request, _(
            "R-1: %(prefecture)s already takes part in %(proposals)s of this call. A prefecture "
            "may take part in one proposal only: only one of them can be submitted."
        ) % {"prefecture": prefectures()[code].name_ja if _lang(request) == "ja"
             else prefectures()[code].name_en,
             "proposals": "、".join(f"「{p.title or _('(untitled)')}」" for p in others)})  # fmt: skip
    return redirect("proposals:edit", pk=proposal.pk)


def _funding_rows(proposal: Proposal, content: dict) -> list[dict]:
    """The funding table's rows: the horizon's years from the start of operation, and any
    other year that has a row (so that no figure disappears when the start year moves)."""
    start = content.get("operation_start_fy") or proposal.call.opens_at.year + 1
    plan = {row.get("fiscal_year"): row for row in content.get("funding_plan") or []}
    years = sorted(set(range(start, start + proposal.call.program.horizon_years)) | set(plan))
    return [
        {"fiscal_year": fy, "row": plan.get(fy, {}),
         "revenue": [(s, (plan.get(fy, {}).get("revenue_yen") or {}).get(s, "")) for s in REVENUE_SOURCES],
         "cost": [(c, (plan.get(fy, {}).get("cost_yen") or {}).get(c, "")) for c in COST_ITEMS],
         "jst": plan.get(fy, {}).get("jst_operating_yen", "")}
        for fy in years
    ]  # fmt: skip


def _editor_context(request, proposal: Proposal) -> dict:
    content = proposal.content or {}
    lang = _lang(request)
    sections = content.get("sections") or {}
    section_rows = [
        {"key": k, "number": SECTION_NUMBERS[k], "value": sections.get(k) or "",
         "label": SECTION_LABELS_EN[k] if lang == "en" else SECTION_LABELS_JA[k]}
        for k in proposal.call.program.required_sections
    ]  # fmt: skip
    funding_rows = _funding_rows(proposal, content)
    consultations = {
        c.get("city"): c.get("date") for c in content.get("designated_city_consultations") or []
    }
    cities = list(
        dict.fromkeys(
            required_consultations(content, proposal.call.settings()) + list(consultations)
        )
    )
    kpis = proposal.call.program.kpi_catalogue or {k: list(v) for k, v in DEFAULT_KPIS.items()}
    categories = [
        (c["key"], c.get("label_en" if lang == "en" else "label_ja") or c["key"])
        for c in proposal.call.categories or []
        if isinstance(c, dict) and c.get("key")
    ]
    category_names = dict(categories)
    changes = list(proposal.category_changes.select_related("changed_by"))
    for change in changes:
        change.before_label = category_names.get(change.before, change.before or "—")
        change.after_label = category_names.get(change.after, change.after)
    goals = list(content.get("goals") or []) + [{}] * 3
    pdca = list(content.get("pdca") or []) + [{}] * 2
    equipment = list(content.get("equipment_plan") or []) + [{}] * 3
    checked = _checklist_context(request, proposal)
    return {
        **checked,
        "content": content,
        "editable": can_edit_proposal(request.user, proposal),
        "all_prefectures": Prefecture.objects.all(),
        "participants": set(content.get("prefectures") or []),
        "forms": [(k, str(v)) for k, v in FORM_LABELS.items() if k in proposal.call.allowed_forms],
        "section_rows": section_rows,
        "funding_rows": funding_rows,
        "totals": funding_totals(content.get("funding_plan")),
        "revenue_labels": [SOURCE_LABELS[s][1 if lang == "en" else 0] for s in REVENUE_SOURCES],
        "cost_labels": [SOURCE_LABELS[c][1 if lang == "en" else 0] for c in COST_ITEMS],
        "cities": [(c, consultations.get(c) or "") for c in cities] + [("", "")],
        "kpis": [(k, v[1] if lang == "en" else v[0]) for k, v in kpis.items()],
        "goals": goals,
        "pdca": pdca,
        "equipment": equipment,
        "categories": categories,
        "category_label": category_names.get(proposal.category, proposal.category),
        "category_changes": changes,
        "options": list(content.get("allocation_options") or []) + [{}] * 2,
        "seen": {part: services.part_digests(content, keys) for part, keys in part_keys().items()},
        "option_kinds": [(k, str(OPTION_LABELS[k])) for k in OPTION_KINDS],
        "officer_options": proposal.officer_options,
        "signatories": content.get("signatories") or {},
        "signatures": proposal.signatures.select_related("user").order_by("role", "-pk"),
        "attachments": proposal.attachments.all(),
        "versions": proposal.versions.select_related("submitted_by").order_by("-number"),
        "can_submit": can_edit_proposal(request.user, proposal)
        and services.submission_window_open(proposal, timezone.now()),
        "can_withdraw": can_edit_proposal(request.user, proposal),
        "is_officer": is_officer(request.user),
        "has_warnings": any(not f.is_error for f in checked["findings"]),
        "my_signatures": proposal.signatures.filter(user=request.user, voided_at__isnull=True),
        "partnerships": proposal.partnerships.select_related("prefecture").order_by("prefecture"),
        "partner_governors": [
            (
                code,
                prefectures()[code].name_ja,
                ((content.get("partner_governors") or {}).get(code) or {}).get("name", ""),
            )
            for code in content.get("prefectures") or []
            if code != proposal.lead_prefecture_id and code in prefectures()
        ],  # fmt: skip
        "is_lead": getattr(request.user, "prefecture_id", None) == proposal.lead_prefecture_id,
        "full_digest": proposal.content_hash,
        "digest": proposal.content_hash[:12],
        "now": timezone.now(),
        "accepting": proposal.call.accepts_submissions(),
        "recheck": [
            {
                "rule": f["rule"],
                "field": f["field"],
                "message": f["message_en"] if lang == "en" else f["message_ja"],
            }
            for f in proposal.recheck_findings
        ],  # fmt: skip
    }


@login_required
def proposal_edit(request, pk: int):
    proposal = _fetch(request, pk)
    return render(request, "proposals/editor.html", _editor_context(request, proposal))


@login_required
@require_POST
def proposal_save(request, pk: int, part: str):
    """Autosave of one part (htmx): answers the refreshed checklist and the part's status."""
    proposal = _fetch(request, pk, write=True)
    parser = PART_PARSERS.get(part)
    if parser is None:
        raise Http404
    changes, errors = parser(request.POST)
    status = ""
    try:
        proposal, voided = services.proposal_update(
            proposal=proposal, by=request.user, content={**proposal.content, **changes},
            seen=request.POST.get("seen"),
        )  # fmt: skip
        status = _("Saved at %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")}
        if voided:
            status += " " + _("(signatures voided: the signatories are asked to sign again)")
    except EditConflict as exc:  # their change shown; the next save of this part replaces it
        theirs = " ".join(
            f"【{label}】{after}" for c in exc.changes for label, _b, after in c.fields
        )
        errors = {exc.field or "": f"{exc.message} {theirs}", **errors}
    except DomainError as exc:
        _refused(exc)
        # The rule first, then the message; the field is shown in words (never its key).
        errors = {exc.field or "": exc.text, **errors}
    seen = services.part_digests(proposal.content, part_keys()[part])
    context = {**_checklist_context(request, proposal), "part": part, "status": status,
               "part_errors": errors, "seen": seen,
               "totals": funding_totals(proposal.content.get("funding_plan"))}  # fmt: skip
    if part == "basics":  # the start year decides the funding table's years: redraw it
        lang = _lang(request)
        context.update({
            "funding_rows": _funding_rows(proposal, proposal.content or {}),
            "editable": can_edit_proposal(request.user, proposal),
            "revenue_labels": [SOURCE_LABELS[s][1 if lang == "en" else 0] for s in REVENUE_SOURCES],
            "cost_labels": [SOURCE_LABELS[c][1 if lang == "en" else 0] for c in COST_ITEMS],
        })  # fmt: skip
    return render(request, "proposals/_saved.html", context)


@login_required
def proposal_checklist(request, pk: int):
    proposal = _fetch(request, pk)
    return render(request, "proposals/_checklist.html", _checklist_context(request, proposal))


@login_required
@require_POST
def proposal_submit(request, pk: int):
    proposal = _fetch(request, pk, write=True)
    try:
        version = services.proposal_submit(proposal=proposal, by=request.user)
    except services.SubmissionRefused as refused:
        messages.error(request, _("Not submitted: %(n)d rule(s) fail. See the checklist.")
                       % {"n": sum(1 for f in refused.findings if f.is_error)})  # fmt: skip
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted as version %(n)d.") % {"n": version.number})
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_return(request, pk: int):
    proposal = _fetch(request, pk)
    try:
        services.proposal_return(
            proposal=proposal, by=request.user, message=request.POST.get("message", "")
        )
        messages.success(request, _("Returned for correction."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_acknowledge(request, pk: int):
    """Officer: acknowledge the explicit warning of R-2 (a consortium that is not neighbouring)."""
    proposal = _fetch(request, pk)
    try:
        services.proposal_acknowledge_warnings(proposal=proposal, by=request.user)
        messages.success(request, _("Warning acknowledged."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = _fetch(request, pk, write=True)
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
        messages.success(request, _("Withdrawn."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def signature_request(request, pk: int):
    from kyoten.core.models import User

    proposal = _fetch(request, pk, write=True)
    user = User.objects.filter(username=request.POST.get("username", "").strip()).first()
    try:
        if user is None:
            raise DomainError(_("No such login."), field="username")
        services.signature_request(proposal=proposal, by=request.user,
                                   role=request.POST.get("role", ""), user=user)  # fmt: skip
        messages.success(request, _("Signature requested."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_sign(request, pk: int):
    proposal = _fetch(request, pk)
    try:
        services.proposal_sign(
            proposal=proposal,
            by=request.user,
            role=request.POST.get("role", ""),
            digest=request.POST.get("digest") or None,
        )
        messages.success(request, _("Signed: your signature confirms the current content."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_category(request, pk: int):
    """Officer: put the proposal in another selection category, with a reason (recorded)."""
    proposal = _fetch(request, pk)
    if not is_officer(request.user):
        raise PermissionDenied(_("Only a program officer changes a proposal's category."))
    try:
        services.proposal_category_change(
            proposal=proposal, by=request.user, category=request.POST.get("category", ""),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
        messages.success(request, _("Category changed; the reason is recorded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
@require_POST
def proposal_option_add(request, pk: int):
    """Officer: add a reduced plan at the review's request."""
    from kyoten.proposals.forms import _int

    proposal = _fetch(request, pk)
    if not is_officer(request.user):
        raise PermissionDenied(_("Only a program officer adds a plan at the review's request."))
    errors: dict[str, str] = {}
    amount = _int(request.POST.get("amount_yen"), "amount_yen", errors)
    try:
        if amount is None:
            raise DomainError(
                errors.get("amount_yen") or _("Enter the amount in yen."), field="amount_yen"
            )
        services.proposal_option_add(
            proposal=proposal, by=request.user, amount_yen=amount,
            drops=request.POST.get("drops", ""), reason=request.POST.get("reason", ""),
        )  # fmt: skip
        messages.success(request, _("Reduced plan added; the allocation may choose it."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
def proposal_versions(request, pk: int):
    """All versions; the differences between two (default: the last two), part by part."""
    from kyoten.proposals.diff import version_diff

    proposal = _fetch(request, pk)
    versions = list(proposal.versions.select_related("submitted_by").order_by("number"))
    by_number = {v.number: v for v in versions}
    diff = []
    a = b = None
    if len(versions) >= 1:
        try:
            b = by_number.get(int(request.GET.get("b", versions[-1].number)))
            a = by_number.get(
                int(request.GET.get("a", versions[-2].number if len(versions) > 1 else 0))
            )
        except ValueError:
            a = b = None
        categories = {c.get("key"): c.get("label_ja") or c.get("key")
                      for c in proposal.call.categories or [] if isinstance(c, dict)}  # fmt: skip
        diff = version_diff(a.content if a else {}, b.content if b else proposal.content,
                            categories=categories)  # fmt: skip
    return render(request, "proposals/versions.html",
                  {"proposal": proposal, "versions": versions, "diff": diff, "a": a, "b": b})  # fmt: skip


@login_required
def proposal_version(request, pk: int, number: int):
    proposal = _fetch(request, pk)
    version = proposal.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return render(request, "proposals/version.html", {
        "proposal": proposal, "version": version, "content": version.content,
        "sections": [(SECTION_NUMBERS[k], SECTION_LABELS_JA[k], (version.content.get("sections") or {}).get(k))
                     for k in SECTION_NUMBERS],
        "totals": funding_totals(version.content.get("funding_plan")),
    })  # fmt: skip


@login_required
def proposal_pdf(request, pk: int):
    proposal = _fetch(request, pk)
    version = proposal.latest_version
    content, label = (
        (version.content, f"第{version.number}版") if version else (proposal.content, "作業中")
    )
    pdf = exports.proposal_pdf(proposal, content, version_label=label)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposal-{proposal.pk}.pdf"'
    return response


@login_required
@require_POST
def attachment_upload(request, pk: int):
    proposal = _fetch(request, pk, write=True)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Choose a PDF file."), field="file")
        if upload.size > services.MAX_ATTACHMENT_BYTES:
            raise DomainError(_("The file is too large."), field="file")
        services.attachment_add(proposal=proposal, by=request.user, name=upload.name,
                                data=upload.read(), description=request.POST.get("description", ""))  # fmt: skip
        messages.success(request, _("Attached."))
    except DomainError as exc:
        _refused(exc)
        messages.error(request, exc.message)
    return redirect("proposals:edit", pk=pk)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    """Served only to those who may see the proposal; always as a download, never inline."""
    proposal = _fetch(request, pk)
    attachment = Attachment.objects.filter(proposal=proposal, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=attachment.safe_name)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Officer pages ------------------------------------------------------------------------------


def _call_rows(request, call: Call):
    proposals = list(
        selectors.proposals_visible_to(request.user, call).order_by("lead_prefecture", "pk")
    )
    versions = selectors.latest_versions(proposals)
    findings = selectors.call_findings(call, proposals, versions)
    return proposals, versions, findings


@login_required
def call_proposals(request, call_id: int):
    _officer_or_observer(request.user)
    call = get_call_for(request.user, call_id)
    proposals, versions, findings = _call_rows(request, call)
    by_pref: dict[str, list] = {}
    for p in proposals:
        for code in p.content.get("prefectures") or [p.lead_prefecture_id]:
            by_pref.setdefault(code, []).append(p)
    pref_rows = [{"code": code, "name": fact.name_ja if _lang(request) == "ja" else fact.name_en,
                  "block": fact.block, "proposals": by_pref.get(code, [])}
                 for code, fact in prefectures().items()]  # fmt: skip
    counts: dict[str, int] = {}
    for p in proposals:
        counts[p.status] = counts.get(p.status, 0) + 1
    rows = [{"p": p, "version": versions.get(p.pk),
             "errors": sum(1 for f in findings.get(p.pk, []) if f.is_error),
             "warnings": sum(1 for f in findings.get(p.pk, []) if not f.is_error)} for p in proposals]  # fmt: skip
    return render(request, "proposals/call_proposals.html", {
        "call": call, "rows": rows, "pref_rows": pref_rows,
        "counts": [(ProposalStatus(s).label, n) for s, n in counts.items()],
        "proposing": sum(1 for r in pref_rows if r["proposals"]),
        # What was asked in the handed-in proposals, decided ones included (2009: 47 requests).
        "requested_total": sum(p.requested_yen or 0 for p in proposals
                               if p.status in HOLDING_STATUSES),
    })  # fmt: skip


@login_required
def call_eligibility(request, call_id: int):
    _officer_or_observer(request.user)
    call = get_call_for(request.user, call_id)
    proposals, versions, findings = _call_rows(request, call)
    lang = _lang(request)
    report = [{"p": p, "version": versions.get(p.pk),
               "findings": [(f, f.message(lang)) for f in findings.get(p.pk, [])]} for p in proposals]  # fmt: skip
    return render(request, "proposals/eligibility.html", {"call": call, "report": report})


@login_required
def call_export(request, call_id: int, fmt: str):
    _officer_or_observer(request.user)
    call = get_call_for(request.user, call_id)
    proposals, versions, findings = _call_rows(request, call)
    data = exports.rows(proposals, versions, findings)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="proposals-{call.code}-{stamp}.csv"'
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(data, title=call.title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="proposals-{call.code}-{stamp}.xlsx"'
        )
    else:
        raise Http404
    return response


# The amendment form's fields by the labels the page shows them with.
AMEND_FIELD_LABELS = {
    "deadline": lambda: _("Deadline of the revision round (Japan time)"),
    "budget_yen": lambda: _("Budget (yen)"),
    "cap_yen": lambda: _("Cap per hub (yen)"),
    "allowed_forms": lambda: _("Allowed forms"),
    "categories": lambda: _("Categories (one per line)"),
}


def _amend_values(request, call: Call) -> dict:
    """The amendment's values from the page (ValueError when a number or date is unreadable)."""
    from kyoten.proposals.forms import _int

    errors: dict[str, str] = {}
    deadline = dt.datetime.fromisoformat(request.POST.get("deadline", ""))
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    budget = _int(request.POST.get("budget_yen"), "budget_yen", errors)
    cap = _int(request.POST.get("cap_yen"), "cap_yen", errors)
    if errors:
        raise ValueError(next(iter(errors.values())))
    lines = [line.strip() for line in request.POST.get("categories", "").splitlines()]
    kept = {c.get("label_ja"): c for c in call.categories or [] if isinstance(c, dict)}
    categories = []
    for i, line in enumerate(line for line in lines if line):
        ja, _sep, en = (part.strip() for part in line.partition("/"))
        old = kept.get(ja)
        categories.append({"key": old["key"] if old else f"c{i + 1}", "label_ja": ja,
                           "label_en": en or (old or {}).get("label_en") or ja})  # fmt: skip
    return {"deadline": deadline, "message": request.POST.get("message", ""),
            "budget_yen": call.budget_yen if budget is None else budget,
            "cap_yen": call.cap_yen if cap is None else cap,
            "allowed_forms": request.POST.getlist("allowed_forms"),
            "categories": categories or None}  # fmt: skip


@login_required
def call_amend(request, call_id: int):
    """Officer: amend the call and open a revision round (budget, cap, forms, categories,
    deadline). "Preview" shows which proposals would no longer fit, before anything changes."""
    if not is_officer(request.user):
        raise PermissionDenied
    call = get_call_for(request.user, call_id)
    error = None
    preview = None
    values = {}
    if request.method == "POST":
        try:
            values = _amend_values(request, call)
            if "preview" in request.POST:
                preview = selectors.call_amend_preview(
                    call, budget_yen=values["budget_yen"], cap_yen=values["cap_yen"],
                    allowed_forms=values["allowed_forms"], categories=values["categories"],
                )  # fmt: skip
            else:
                amendment = services.call_amend(call=call, by=request.user, **values)
        except ValueError:
            error = _("Enter the deadline as a date and time, and amounts as whole numbers of yen.")
        except DomainError as exc:
            _refused(exc)
            # The field by its label on this page (never its key), the rule id first.
            label = AMEND_FIELD_LABELS.get(exc.field or "")
            error = " ".join(
                part for part in (exc.rule, f"{label()}:" if label else "", exc.message) if part
            )
        else:
            if preview is None:
                messages.success(request, _("Revision round %(n)d opened; every proposal was re-checked.")
                                 % {"n": amendment.round})  # fmt: skip
                return redirect("proposals:call", call_id=call.pk)
    return render(request, "proposals/call_amend.html", {
        "call": call, "error": error, "forms": [(k, str(v)) for k, v in FORM_LABELS.items()],
        "amendments": call.amendments.all(), "preview": preview, "post": request.POST,
        "chosen_forms": request.POST.getlist("allowed_forms") if request.method == "POST"
        else call.allowed_forms,
        "holding": selectors.holding_count(call),
    })  # fmt: skip
