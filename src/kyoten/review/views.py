"""Review pages: my assignments, the score form, declaring a conflict; for chair and officer the
assignment matrix, progress and ranking. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.models import User
from kyoten.core.paging import page_of
from kyoten.core.rules import is_officer, is_reviewer
from kyoten.proposals.selectors import proposals_kept_from
from kyoten.review import selectors, services
from kyoten.review.criteria import criteria_for_call, weighted_score
from kyoten.review.dossier import proposal_dossier
from kyoten.review.enums import CommitteeKind, ConflictKind, MemberRole, PhaseKind, Recommendation
from kyoten.review.forms import CommitteeForm, MemberForm, PhaseForm
from kyoten.review.models import Assignment, Committee, ConflictOfInterest, Membership

RANKING_PAGE_SIZE = 100


def _domain_errors(view):
    """Services' Forbidden/NotFound become 403/404 answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except NotFound:
            raise Http404 from None

    return wrapper


def _call_or_404(call_id):
    from kyoten.calls.models import Call

    try:
        return Call.objects.get(pk=call_id)
    except Call.DoesNotExist:
        raise Http404 from None


def _calls_of(user):
    """Calls whose review the user takes part in (member) or runs (officer)."""
    from kyoten.calls.models import Call

    if is_officer(user):
        return list(Call.objects.filter(committees__kind="review").distinct())
    return list(
        Call.objects.filter(
            committees__kind="review", committees__memberships__user=user
        ).distinct()
    )


def _require_review_role(user) -> None:
    if not (is_reviewer(user) or is_officer(user)):
        raise PermissionDenied(_("only reviewers and officers take part in the review"))


@login_required
def my_reviews(request):
    """Reviewer home: my assignments with deadlines, my conflicts; calls I chair or run."""
    _require_review_role(request.user)
    page = page_of(request, selectors.reviews_of(request.user))
    deadlines = selectors.scoring_deadlines({a.proposal.call_id for a in page})
    rows = []
    for a in page:
        criteria = criteria_for_call(a.proposal.call)
        rows.append(
            {
                "a": a,
                "total": weighted_score(criteria, selectors.scores_of(a)),
                "deadline": deadlines.get(a.proposal.call_id),
            }
        )
    calls = [
        {"call": c, "chair": selectors.is_review_chair_of(request.user, c)}
        for c in _calls_of(request.user)
    ]
    return render(
        request,
        "review/my_reviews.html",
        {
            "rows": rows,
            "page": page,
            "conflicts": selectors.conflicts_of_reviewer(request.user).select_related("proposal")
            if not is_officer(request.user)
            else [],
            "calls": calls,
            "is_officer": is_officer(request.user),
        },
    )


def _score_form_class(criteria):
    fields = {}
    for c in criteria:
        fields[f"score_{c.key}"] = forms.TypedChoiceField(
            label=c.label,
            choices=[("", "—")] + [(v, str(v)) for v in c.scale],
            coerce=int,
            required=False,
            empty_value=None,
        )
        fields[f"comment_{c.key}"] = forms.CharField(
            label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
    fields["comment"] = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    return type("ScoreForm", (forms.Form,), fields)


@login_required
@_domain_errors
def review_detail(request, pk: int):
    """The score form, with the proposal beside it; others' scores once mine is submitted."""
    a = selectors.get_review_for(request.user, pk)
    call = a.proposal.call
    criteria = criteria_for_call(call)
    FormClass = _score_form_class(criteria)
    values = {s.criterion: s for s in a.scores.all()}
    initial = {"comment": a.comment}
    for c in criteria:
        if c.key in values:
            initial[f"score_{c.key}"] = values[c.key].value
            initial[f"comment_{c.key}"] = values[c.key].comment
    form = FormClass(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_save(
                assignment=a,
                by=request.user,
                scores={c.key: data[f"score_{c.key}"] for c in criteria},
                comments={c.key: data[f"comment_{c.key}"] for c in criteria},
                comment=data["comment"],
            )
            if "submit" in request.POST:
                services.review_submit(assignment=a, by=request.user)
                messages.success(request, _("Your review is submitted."))
            else:
                messages.success(request, _("Saved."))
            return redirect("review:review", pk=a.pk)
        except DomainError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            form.add_error(None, str(exc))
    version = getattr(a.proposal, "latest_version", None)
    content = (version.content if version else None) or a.proposal.content or {}
    others = selectors.reviews_of_proposal(request.user, a.proposal)
    labels = {c.key: c.label for c in criteria}
    return render(
        request,
        "review/review_detail.html",
        {
            "a": a,
            "form": form,
            "criteria_fields": [
                (c, form[f"score_{c.key}"], form[f"comment_{c.key}"]) for c in criteria
            ],
            "content": content,
            "dossier": proposal_dossier(a.proposal),
            "deadline": selectors.scoring_deadline(call),
            "others": [
                (o, [(labels.get(s.criterion, s.criterion), s.value) for s in o.scores.all()])
                for o in others
                if o.pk != a.pk
            ],
            "others_visible": selectors.may_see_others_scores(request.user, a.proposal),
            "discussion": selectors.discussion_of(request.user, a.proposal),
            "criteria": criteria,
        },
    )


@login_required
@require_POST
@_domain_errors
def discussion_post(request, proposal_id: int):
    proposal = selectors.get_proposal_for_reviewer(request.user, proposal_id)
    try:
        services.discussion_post(
            proposal=proposal, by=request.user, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        messages.error(request, str(exc))
    nxt = request.POST.get("next") or ""
    if nxt.startswith("/review/"):
        return redirect(nxt)
    return redirect("review:proposal", proposal_id=proposal.pk)


@login_required
@_domain_errors
def proposal_reviews(request, proposal_id: int):
    """A proposal's reviews and discussion (chair, officer, reviewers after submitting)."""
    proposal = selectors.get_proposal_for_reviewer(request.user, proposal_id)
    criteria = criteria_for_call(proposal.call)
    reviews = selectors.reviews_of_proposal(request.user, proposal)
    return render(
        request,
        "review/proposal_reviews.html",
        {
            "proposal": proposal,
            "criteria": criteria,
            "reviews": [
                {
                    "a": r,
                    "values": selectors.scores_of(r),
                    "total": weighted_score(criteria, selectors.scores_of(r)),
                }
                for r in reviews
            ],
            "others_visible": selectors.may_see_others_scores(request.user, proposal),
            "discussion": selectors.discussion_of(request.user, proposal),
        },
    )


class ConflictForm(forms.Form):
    proposal = forms.TypedChoiceField(label=gettext_lazy("Proposal"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ConflictKind.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@_domain_errors
def conflict_declare(request):
    _require_review_role(request.user)
    proposals = []
    for call in _calls_of(request.user):
        proposals.extend(selectors.proposals_known_to(request.user, call))
    form = ConflictForm(request.POST or None)
    form.fields["proposal"].choices = [(p.pk, f"{p.title} (#{p.pk})") for p in proposals]
    if request.method == "POST" and form.is_valid():
        proposal = selectors.get_proposal_for_reviewer(request.user, form.cleaned_data["proposal"])
        try:
            services.conflict_declare(
                reviewer=request.user,
                proposal=proposal,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Conflict declared: you will no longer see this proposal in the review."),
            )
            return redirect("review:mine")
        except DomainError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            form.add_error(None, str(exc))
    return render(request, "review/conflict_form.html", {"form": form})


def _require_chair_or_officer(user, call) -> None:
    if not user.has_perm("review.view_ranking", call):
        raise PermissionDenied(_("only the chair and the officer see this page"))


@login_required
@_domain_errors
def call_board(request, call_id: int):
    """Chair, deputy chair, officer: progress, the assignment matrix and the conflicts of the
    proposals they handle as chair; the officer also the assign button and its runs (whose
    explanations name any proposal)."""
    call = _call_or_404(call_id)
    _require_chair_or_officer(request.user, call)
    runs = list(call.assignment_runs.all()[:5]) if is_officer(request.user) else []
    return render(
        request,
        "review/call_board.html",
        {
            "call": call,
            "progress": selectors.progress(request.user, call),
            "matrix": selectors.assignment_matrix(request.user, call),
            "runs": runs,
            "committee": selectors.review_committee_for(call),
            "members": selectors.review_members(call),
            "conflicts": selectors.conflicts_for_call(request.user, call).order_by(
                "proposal_id", "reviewer_id"
            ),
            "phases": selectors.phases_for(call),
            "is_officer": is_officer(request.user),
        },
    )


@login_required
@require_POST
@_domain_errors
def assign(request, call_id: int):
    call = _call_or_404(call_id)
    if not request.user.has_perm("review.manage_assignment"):
        raise PermissionDenied(_("only a program officer assigns reviewers"))
    try:
        k = int(request.POST.get("reviewers_per_proposal", ""))
        load = int(request.POST.get("max_load", ""))
    except ValueError:
        messages.error(request, _("Give whole numbers for reviewers per proposal and load limit."))
        return redirect("review:call", call_id=call.pk)
    try:
        run, result = services.assignment_solve(
            call=call, reviewers_per_proposal=k, max_load=load, by=request.user
        )
    except DomainError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        messages.error(request, str(exc))
        return redirect("review:call", call_id=call.pk)
    if run.status == "optimal":
        messages.success(
            request, _("Reviewers assigned (total affinity %(a).3f).") % {"a": run.affinity}
        )
    else:
        messages.error(request, _("No assignment is possible: %(reason)s") % {"reason": run.reason})
    return redirect("review:call", call_id=call.pk)


@login_required
@require_POST
@_domain_errors
def pair_edit(request, call_id: int):
    """Officer: pin, remove or forbid one pair."""
    call = _call_or_404(call_id)
    if not request.user.has_perm("review.manage_assignment"):
        raise PermissionDenied(_("only a program officer assigns reviewers"))
    proposal = selectors.get_proposal_for_reviewer(
        request.user, request.POST.get("proposal"), call=call
    )
    try:
        reviewer = User.objects.get(pk=request.POST.get("reviewer"))
    except (User.DoesNotExist, ValueError):
        raise Http404 from None
    action = request.POST.get("action")
    try:
        if action == "pin":
            services.assignment_add(proposal=proposal, reviewer=reviewer, by=request.user)
        elif action in {"remove", "forbid"}:
            a = Assignment.objects.filter(proposal=proposal, reviewer=reviewer).first()
            if a:
                services.assignment_remove(assignment=a, by=request.user, forbid=action == "forbid")
            elif action == "forbid":
                services.pair_forbid(proposal=proposal, reviewer=reviewer, by=request.user)
        else:
            raise DomainError(_("unknown action"), field="action")
    except DomainError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        messages.error(request, str(exc))
    return redirect("review:call", call_id=call.pk)


@login_required
@require_POST
@_domain_errors
def conflict_decide(request, call_id: int, conflict_id: int):
    call = _call_or_404(call_id)
    try:
        conflict = ConflictOfInterest.objects.get(pk=conflict_id, proposal__call=call)
    except ConflictOfInterest.DoesNotExist:
        raise Http404 from None
    services.conflict_decide(
        conflict=conflict, in_force=request.POST.get("in_force") == "1", by=request.user
    )
    return redirect("review:call", call_id=call.pk)


@login_required
@require_POST
@_domain_errors
def detect(request, call_id: int):
    call = _call_or_404(call_id)
    n = services.conflicts_detect(call=call, by=request.user)
    messages.success(request, _("%(n)d conflicts found in the data.") % {"n": n})
    return redirect("review:call", call_id=call.pk)


@login_required
@_domain_errors
def ranking(request, call_id: int):
    call = _call_or_404(call_id)
    _require_chair_or_officer(request.user, call)
    normalised = request.GET.get("normalised") == "1"
    lines = selectors.ranking_for(request.user, call, normalised=normalised)
    if request.method == "POST":
        recs = {}
        for line in lines:
            key = line.proposal.pk
            if f"rec_{key}" not in request.POST and line.recommendation:
                # a line on another page of the ranking keeps what was recorded for it
                recs[key] = (line.recommendation, line.reason)
                continue
            rec = request.POST.get(f"rec_{key}") or ""  # never assumed: empty is undecided
            recs[key] = (rec, request.POST.get(f"reason_{key}", ""))
        # A recommendation posted for any other proposal goes to the service, which answers
        # NotFound (404) for what this person may not know of.
        for key, rec in request.POST.items():
            pid = _int(key[4:]) if key.startswith("rec_") else None
            if pid is not None and pid not in recs:
                recs[pid] = (rec, request.POST.get(f"reason_{pid}", ""))
        try:
            services.decision_record(
                call=call,
                by=request.user,
                recommendations=recs,
                normalised=normalised,
                notes=request.POST.get("notes", ""),
            )
            messages.success(request, _("The committee's recommendation is recorded."))
            return redirect(request.get_full_path())
        except DomainError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            messages.error(request, str(exc))
    page = page_of(request, lines, per_page=RANKING_PAGE_SIZE)
    return render(
        request,
        "review/ranking.html",
        {
            "call": call,
            "lines": page.object_list,
            "page": page,
            "normalised": normalised,
            "criteria": criteria_for_call(call),
            "recommendations": Recommendation.choices,
            "decision": selectors.latest_decision(call),
            "committees": Committee.objects.filter(call=call),
            "required": selectors.reviews_required(call),
            "short": sum(1 for line in lines if line.short_of_reviews),
            "outlier_points": int(selectors.OUTLIER_POINTS),
            "outlier_min": selectors.OUTLIER_MIN_REVIEWS,
            **_deputy_context(request.user, call),
        },
    )


def _deputy_context(user, call) -> dict:
    """For the chair: how many proposals the deputy chair recommends in their place; for the
    deputy chair: that they act for the chair."""
    if selectors.is_review_chair_of(user, call):
        committee = selectors.review_committee_for(call)
        kept = selectors.proposals_under_review(call).filter(
            pk__in=proposals_kept_from(user).values("pk")
        )
        return {"deputy_handles": kept.count(), "deputy": committee.deputy_chair}
    return {"as_deputy": selectors.is_deputy_chair_of(user, call) and not is_officer(user)}


# --- committees and phases (officer) --------------------------------------------------------


def _rule_message(exc: DomainError) -> str:
    if exc.rule:
        return _("Rule %(rule)s: %(message)s") % {"rule": exc.rule, "message": exc.message}
    return exc.message


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _CommitteesPage:
    """The forms of the committees page; only the one the officer submitted is bound."""

    def __init__(self, request, call):
        self.call = call
        self.review, self.promotion = selectors.committees_of_call(call)
        self.shown = ([self.review] if self.review else []) + self.promotion
        self.phases = {p.kind: p for p in selectors.phases_for(call)}
        self.post = request.POST if request.method == "POST" else None
        self.action = self.post.get("action", "") if self.post is not None else ""
        today = timezone.localdate()
        self.new_forms = {
            CommitteeKind.REVIEW: self._form(
                CommitteeForm,
                "new-review",
                initial={
                    "name": _("%(call)s review committee") % {"call": call.title},
                    "term_start": today,
                },
            ),
            CommitteeKind.PROMOTION: self._form(
                CommitteeForm,
                "new-promotion",
                initial={
                    "name": _("Promotion committee of the innovation hubs"),
                    "term_start": today,
                },
            ),
        }
        self.member_forms = {
            c.pk: self._form(
                MemberForm, f"add-{c.pk}", candidates=selectors.committee_candidates(c)
            )
            for c in self.shown
        }
        self.phase_forms = {}
        for kind in PhaseKind.values:
            phase = self.phases.get(kind)
            initial = {"starts_at": phase.starts_at, "ends_at": phase.ends_at} if phase else None
            self.phase_forms[kind] = self._form(PhaseForm, f"phase-{kind}", initial=initial)

    def _form(self, cls, prefix: str, **kwargs):
        data = self.post if self.action == prefix else None
        return cls(data, prefix=prefix, **kwargs)

    def submit(self, by) -> str | None:
        """Run the submitted action; its success message, or None when a form shows errors.
        Refusals of buttons without a form (chair, remove) raise DomainError."""
        action, call = self.action, self.call
        if action in ("new-review", "new-promotion"):
            kind = CommitteeKind.REVIEW if action == "new-review" else CommitteeKind.PROMOTION
            form = self.new_forms[kind]
            if not form.is_valid():
                return None
            try:
                committee = services.committee_create(
                    kind=kind,
                    call=call if kind == CommitteeKind.REVIEW else None,
                    by=by,
                    **form.cleaned_data,
                )
            except DomainError as exc:
                return self._refused(form, exc)
            return _("Committee created: %(name)s") % {"name": committee}
        if action.startswith("add-"):
            committee = next((c for c in self.shown if c.pk == _int(action[4:])), None)
            if committee is None:
                raise Http404
            form = self.member_forms[committee.pk]
            if not form.is_valid():
                return None
            try:
                services.committee_member_add(committee=committee, by=by, **form.cleaned_data)
            except DomainError as exc:
                return self._refused(form, exc)
            return _("%(user)s added to %(committee)s") % {
                "user": form.cleaned_data["user"],
                "committee": committee,
            }
        if action.startswith("phase-") and action[6:] in self.phase_forms:
            kind = action[6:]
            form = self.phase_forms[kind]
            if not form.is_valid():
                return None
            try:
                services.phase_set(call=call, kind=kind, by=by, **form.cleaned_data)
            except DomainError as exc:
                return self._refused(form, exc)
            return _("Phase saved: %(phase)s") % {"phase": PhaseKind(kind).label}
        if action in ("chair", "member", "remove"):
            membership = (
                Membership.objects.filter(pk=_int(self.post.get("membership")))
                .filter(committee__in=self.shown)
                .select_related("user", "committee")
                .first()
            )
            if membership is None:
                raise Http404
            names = {"user": membership.user, "committee": membership.committee}
            if action == "remove":
                services.committee_member_remove(membership=membership, by=by)
                return _("%(user)s removed from %(committee)s") % names
            role = MemberRole.CHAIR if action == "chair" else MemberRole.MEMBER
            services.committee_member_set_role(membership=membership, role=role, by=by)
            if role == MemberRole.CHAIR:
                return _("%(user)s is now the chair of %(committee)s") % names
            return _("%(user)s is now a member of %(committee)s") % names
        raise Http404

    @staticmethod
    def _refused(form, exc: DomainError) -> None:
        if isinstance(exc, Forbidden | NotFound):
            raise exc
        form.add_error(exc.field if exc.field in form.fields else None, _rule_message(exc))
        return None

    def context(self) -> dict:
        def block(c: Committee) -> dict:
            return {
                "committee": c,
                "members": list(c.memberships.all()),
                "form": self.member_forms[c.pk],
            }

        return {
            "call": self.call,
            "review": block(self.review) if self.review else None,
            "promotion": [block(c) for c in self.promotion],
            "new_review": self.new_forms[CommitteeKind.REVIEW],
            "new_promotion": self.new_forms[CommitteeKind.PROMOTION],
            "phases": [
                (kind, PhaseKind(kind).label, self.phases.get(kind), self.phase_forms[kind])
                for kind in PhaseKind.values
            ],
            "now": timezone.now(),
        }


@login_required
@_domain_errors
def committees(request, call_id: int):
    """Officer: the call's review committee, the promotion committee (R-10 between the two),
    their members and chairs, and the review phases by date."""
    call = _call_or_404(call_id)
    if not request.user.has_perm("review.manage_committees"):
        raise PermissionDenied(_("only a program officer manages committees"))
    page = _CommitteesPage(request, call)
    if page.post is not None:
        try:
            done = page.submit(request.user)
        except DomainError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            messages.error(request, _rule_message(exc))
            return redirect("review:committees", call_id=call.pk)
        if done:
            messages.success(request, done)
            return redirect("review:committees", call_id=call.pk)
    return render(request, "review/committees.html", page.context())


@login_required
@require_POST
@_domain_errors
def committee_deputy(request, committee_id: int):
    """Officer: name the deputy chair of a review committee (`user` empty: none)."""
    if not request.user.has_perm("review.manage_committees"):
        raise PermissionDenied(_("only a program officer manages committees"))
    committee = Committee.objects.filter(pk=committee_id, kind=CommitteeKind.REVIEW).first()
    if committee is None or committee.call_id is None:
        raise Http404
    user = None
    if request.POST.get("user"):
        user = User.objects.filter(pk=_int(request.POST["user"])).first()
        if user is None:
            raise Http404
    try:
        services.committee_deputy_set(committee=committee, user=user, by=request.user)
    except DomainError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        messages.error(request, _rule_message(exc))
    else:
        if user is None:
            messages.success(
                request, _("%(committee)s has no deputy chair now") % {"committee": committee}
            )
        else:
            messages.success(
                request,
                _("%(user)s is now the deputy chair of %(committee)s")
                % {"user": user, "committee": committee},
            )
    return redirect("review:committees", call_id=committee.call_id)
