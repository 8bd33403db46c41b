"""Allocation pages for the officer and the committees. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.allocation import charts, exports, letters, selectors, services
from kyoten.allocation.forms import RunForm
from kyoten.allocation.models import AllocationDecision
from kyoten.allocation.rules import can_adopt, can_allocate, can_view_allocations
from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.paging import page_of
from kyoten.review.enums import Recommendation
from kyoten.review.selectors import latest_decision as review_latest_decision


def _call_or_404(call_id: int):
    from kyoten.calls.models import Call

    try:
        return Call.objects.get(pk=call_id)
    except Call.DoesNotExist:
        raise Http404 from None


def _require_allocator(user) -> None:
    if not can_allocate(user):
        raise PermissionDenied(
            _("Only the program officer and the committees work on allocations.")
        )


def _allocation_call_or_404(user, call_id: int):
    """The call, if the user may work on its allocation (404 when it is sealed from them)."""
    call = _call_or_404(call_id)
    if not selectors.may_allocate(user, call):
        raise Http404
    return call


def _run_or_404(user, pk):
    try:
        return selectors.get_run_for(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def index(request):
    from kyoten.calls.models import Call

    if not can_view_allocations(request.user):
        _require_allocator(request.user)
    may_run = can_allocate(request.user)
    calls = Call.objects.exclude(pk__in=selectors.calls_sealed_from(request.user)).order_by(
        "-opens_at", "pk"
    )
    if not may_run:  # ministries: the calls with a published decision
        calls = calls.filter(allocation_decision__published=True)
    page = page_of(request, calls, per_page=20)
    shown = [c.pk for c in page]
    decisions = {
        d.call_id: d for d in selectors.AllocationDecision.objects.filter(call_id__in=shown)
    }
    counts = dict(
        selectors.runs_visible_to(request.user)
        .filter(call_id__in=shown)
        .values_list("call_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    rows = [(c, counts.get(c.pk, 0), decisions.get(c.pk)) for c in page]
    return render(
        request, "allocation/index.html", {"rows": rows, "may_run": may_run, "page": page}
    )


@login_required
def call_runs(request, call_id: int):
    _require_allocator(request.user)
    call = _allocation_call_or_404(request.user, call_id)
    base = None
    if request.GET.get("from"):
        base = _run_or_404(request.user, request.GET["from"])
    if request.method == "POST":
        form = RunForm(request.POST, categories=call.categories or ())
        if form.is_valid():
            try:
                run = services.allocation_run(
                    call=call,
                    params=form.params(),
                    by=request.user,
                    label=form.cleaned_data["label"],
                )
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from None
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("allocation:run", pk=run.pk)
    else:
        form = RunForm(
            initial=RunForm.initial_from(run=base, call=call), categories=call.categories or ()
        )
    scores = services.ranked_scores(call)
    doc, mapping = services.build_inputs(call=call, params={}, scores=scores)
    recommended = services.committee_recommendations(call)
    labels = dict(Recommendation.choices)
    rows = []
    for entry in doc["proposals"]:
        rec, reason = recommended.get(mapping[entry["id"]], ("", ""))
        rows.append({**entry, "recommendation": labels.get(rec, ""), "rec": rec,
                     "rec_reason": reason})  # fmt: skip
    excluded = [
        {**e, "why": services.EXCLUDED_REASONS.get(e.get("reason_code"), e.get("reason", ""))}
        for e in doc.get("excluded", [])
    ]
    return render(
        request,
        "allocation/call.html",
        {
            "call": call,
            "form": form,
            "proposals": rows,
            "excluded": excluded,
            "review_decision": review_latest_decision(call),
            "runs": selectors.runs_visible_to(request.user, call)[:50],
            "decision": selectors.decision_for(call),
            "may_adopt": can_adopt(request.user),
        },
    )


@login_required
def run_detail(request, pk: int):
    run = _run_or_404(request.user, pk)
    decision = selectors.decision_for(run.call)
    others = selectors.runs_visible_to(request.user, run.call).exclude(pk=run.pk)[:20]
    return render(
        request,
        "allocation/run.html",
        {
            "run": run,
            "data": selectors.explain(run),
            "decision": decision,
            "adopted": decision is not None and decision.run_id == run.pk,
            "may_adopt": can_adopt(request.user) and run.status == "optimal",
            "may_run": can_allocate(request.user),
            "others": others,
        },
    )


@login_required
def run_chart(request, pk: int, kind: str):
    run = _run_or_404(request.user, pk)
    if kind == "compare":
        png = charts.chart_compare(run)
    elif kind == "blocks":
        png = charts.chart_blocks(run)
    else:
        raise Http404
    return HttpResponse(png, content_type="image/png")


@login_required
def run_export(request, pk: int, fmt: str):
    run = _run_or_404(request.user, pk)
    if fmt == "xlsx":
        body = exports.run_xlsx(run)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        body = exports.run_pdf(run)
        kind = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="allocation-{run.pk}.{fmt}"'
    return response


@login_required
@require_POST
def run_adopt(request, pk: int):
    run = _run_or_404(request.user, pk)
    try:
        services.allocation_adopt(run=run, by=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The run is adopted as the committee's decision."))
    return redirect("allocation:run", pk=run.pk)


@login_required
@require_POST
def decision_publish(request, call_id: int):
    if not can_adopt(request.user):
        raise PermissionDenied(_("Only the program officer publishes a decision."))
    call = _call_or_404(call_id)
    decision = selectors.decision_for(call)
    if decision is None:
        raise Http404
    try:
        services.allocation_publish(decision=decision, by=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("The decision is published."))
    return redirect("allocation:run", pk=decision.run_id)


@login_required
def compare(request):
    a = _run_or_404(request.user, request.GET.get("a"))
    b = _run_or_404(request.user, request.GET.get("b"))
    return render(
        request,
        "allocation/compare.html",
        {
            "a": a,
            "b": b,
            "rows": selectors.compare(a, b),
            "da": selectors.explain(a),
            "db": selectors.explain(b),
        },
    )


@login_required
def decision_letter(request, proposal_id: int):
    """The decision letter of a proposal: for its applicants once the decision is published,
    for officers at any time (404 for everyone else, as for a missing one)."""
    from kyoten.proposals.selectors import get_proposal_for, may_know_outcome

    try:
        proposal = get_proposal_for(request.user, proposal_id)
    except DomainError:
        raise Http404 from None
    decision = AllocationDecision.objects.filter(call_id=proposal.call_id).first()
    if decision is None or not may_know_outcome(request.user, proposal):
        raise Http404
    outcome = letters.outcome_of(decision, proposal)
    if outcome is None:
        raise Http404
    response = HttpResponse(letters.letter_pdf(outcome), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{proposal.pk}.pdf"'
    return response
