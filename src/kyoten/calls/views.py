"""Pages: programs and calls (officers set them up; everyone reads published calls)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.calls import selectors, services
from kyoten.calls.forms import CallForm, ProgramForm
from kyoten.calls.models import Call, CallStatus, Program
from kyoten.calls.program import FORM_LABELS, SECTION_LABELS_EN, SECTION_LABELS_JA, SECTION_NUMBERS
from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.forms import show_domain_error
from kyoten.core.locking import EditConflict, seen_of
from kyoten.core.paging import page_of
from kyoten.core.rules import is_applicant, is_observer, is_officer

# The label of each status button: (from, to) → what the officer does.
STATUS_BUTTONS = {
    (CallStatus.DRAFT, CallStatus.OPEN): gettext_lazy("Publish the call"),
    (CallStatus.OPEN, CallStatus.CLOSED): gettext_lazy("Close submissions"),
    (CallStatus.REVISION, CallStatus.CLOSED): gettext_lazy("Close the revision round"),
    (CallStatus.CLOSED, CallStatus.OPEN): gettext_lazy("Reopen submissions"),
    (CallStatus.CLOSED, CallStatus.REVIEW): gettext_lazy("Start the review"),
    (CallStatus.REVIEW, CallStatus.CLOSED): gettext_lazy("Back to closed (stop the review)"),
    (CallStatus.REVIEW, CallStatus.DECIDED): gettext_lazy("Mark the call as decided"),
    (CallStatus.DECIDED, CallStatus.REVIEW): gettext_lazy("Reopen the review"),
}


def _require_manager(user) -> None:
    if not user.has_perm("calls.manage_call"):
        raise PermissionDenied(_("only a program officer may change programs and calls"))


def _call_for(user, pk) -> Call:
    try:
        return selectors.get_call_for(user, pk)
    except NotFound:
        raise Http404 from None


def _apply(form, exc: DomainError) -> None:
    """A service's refusal as the error of the form field it names (else of the whole form)."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message)
    form.add_domain_error(exc)


def call_list(request):
    return render(request, "calls/list.html", {
        "calls": page_of(request, selectors.calls_visible_to(request.user), per_page=20),
        "programs": selectors.programs() if is_officer(request.user) else [],
    })  # fmt: skip


def call_detail(request, pk: int):
    """A call's settings, its status buttons (officer) and links to the next steps."""
    call = _call_for(request.user, pk)
    manager = request.user.has_perm("calls.manage_call")
    ja = (get_language() or "ja").startswith("ja")
    program = call.program
    sections = [
        (
            SECTION_NUMBERS.get(key, ""),
            (SECTION_LABELS_JA if ja else SECTION_LABELS_EN).get(key, key),
        )
        for key in program.required_sections
    ]
    criteria = [
        {"label": c.get("label_ja" if ja else "label_en") or c["key"], "key": c["key"],
         "weight": c["weight"], "scale": c.get("scale")}
        for c in call.review_criteria
    ]  # fmt: skip
    return render(request, "calls/detail.html", {
        "call": call,
        "program": program,
        "manager": manager,
        "forms": [FORM_LABELS.get(f, f) for f in call.allowed_forms],
        "categories": [c.get("label_ja" if ja else "label_en") or c["key"] for c in call.categories],
        "criteria": criteria,
        "criteria_total": sum(c["weight"] for c in criteria),
        "sections": sections,
        "buttons": [(s, STATUS_BUTTONS.get((call.status, s), CallStatus(s).label))
                    for s in services.call_next_statuses(call)] if manager else [],
        "reader": manager or is_observer(request.user),
        "may_apply": is_applicant(request.user) and call.accepts_submissions(),
        "amendable": call.status in (CallStatus.OPEN, CallStatus.REVISION, CallStatus.CLOSED),
        "timeline": selectors.call_timeline(call, request.user),
        "amendments": call.amendments.order_by("round"),
    })  # fmt: skip


@login_required
def call_new(request):
    """Officer: a new call of a program, created as a draft (published with a button)."""
    _require_manager(request.user)
    programs = selectors.programs()
    program = programs.filter(pk=request.GET.get("program") or 0).first() or programs.first()
    form = CallForm(request.POST or None, programs=programs, initial={"program": program})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                by=request.user, status=CallStatus.DRAFT, **form.cleaned_data
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The call is saved as a draft; publish it when ready."))
            return redirect("calls:detail", pk=call.pk)
    return render(request, "calls/call_form.html", {"form": form, "call": None})


@login_required
def call_edit(request, pk: int):
    """Officer: every setting of a draft call; only the titles once it is published."""
    _require_manager(request.user)
    call = _call_for(request.user, pk)
    initial = {name: getattr(call, name) for name in services.CALL_DRAFT_FIELDS}
    form = CallForm(request.POST or None, call=call, initial=initial)
    seen, conflict = request.POST.get("seen") or seen_of(call), None
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=request.user, seen=seen, **form.cleaned_data)
        except EditConflict as exc:  # keep the input, show their change; the next save goes
            form.add_error(None, exc.message)
            seen, conflict = exc.seen, exc.changes
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("calls:detail", pk=call.pk)
    context = {"form": form, "call": call, "seen": seen, "conflict": conflict}
    return render(request, "calls/call_form.html", context)


@login_required
@require_POST
def call_status(request, pk: int):
    """Officer: one status button (publish, close, reopen, start the review, decide)."""
    _require_manager(request.user)
    call = _call_for(request.user, pk)
    try:
        services.call_set_status(call=call, by=request.user, status=request.POST.get("status", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The call is now “%(status)s”.") % {"status": call.get_status_display()}
        )
    return redirect("calls:detail", pk=call.pk)


@login_required
def program_edit(request, pk: int | None = None):
    """Edit a program, or (with ?template=<id>) create a new one from a program as template."""
    _require_manager(request.user)
    program = get_object_or_404(Program, pk=pk) if pk else None
    template = program or get_object_or_404(
        Program, pk=request.GET.get("template") or Program.objects.order_by("pk").first().pk
    )
    initial = {name: getattr(template, name) for name in services.PROGRAM_FIELDS}
    if program is None:
        initial["name"] = _("%(name)s (copy)") % {"name": template.name}
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if program is None:
                program = services.program_create(
                    by=request.user, template=template, **form.cleaned_data
                )
            else:
                services.program_update(program=program, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("Program saved."))
            return redirect("calls:list")
    return render(
        request, "calls/program_form.html", {"form": form, "program": program, "template": template}
    )
