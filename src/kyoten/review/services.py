"""Every write of the review: one service per state change, keyword-only, in one transaction.

Errors are `kyoten.core.errors` exceptions naming the field and, where a rule failed, its id
(R-10 for a person on both committees). Nothing is saved half: each service is atomic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.core.dates import format_moment
from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.models import User
from kyoten.core.rules import is_officer
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify
from kyoten.review import selectors
from kyoten.review.assignment import (
    STATUS_OPTIMAL,
    AssignmentProblem,
    AssignmentResult,
    ProposalIn,
    ReviewerIn,
    jaccard,
    quiet_stdout,
    solve,
)
from kyoten.review.criteria import criteria_for_call
from kyoten.review.enums import (
    CommitteeKind,
    ConflictKind,
    ConflictSource,
    MemberRole,
    PhaseKind,
    Recommendation,
    ReviewStatus,
)
from kyoten.review.facts import facts_of_proposal, facts_of_reviewers
from kyoten.review.models import (
    Assignment,
    AssignmentRun,
    Committee,
    CommitteeDecision,
    ConflictOfInterest,
    DecisionItem,
    DiscussionPost,
    ForbiddenPair,
    Membership,
    ReviewPhase,
    Score,
)

OTHER_KIND = {
    CommitteeKind.REVIEW: CommitteeKind.PROMOTION,
    CommitteeKind.PROMOTION: CommitteeKind.REVIEW,
}


def _require_officer(by) -> None:
    if not is_officer(by):
        raise Forbidden(_("only a program officer may do this"))


# --- committees (R-10) ----------------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    kind: str,
    name: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    call=None,
    by: User,
) -> Committee:
    _require_officer(by)
    if kind not in CommitteeKind.values:
        raise DomainError(_("unknown committee kind %(kind)r") % {"kind": kind}, field="kind")
    if term_end is not None and term_end < term_start:
        raise DomainError(_("the term cannot end before it starts"), field="term_end")
    if kind == CommitteeKind.PROMOTION and call is not None:
        raise DomainError(_("a promotion committee is not tied to a call"), field="call")
    return Committee.objects.create(
        kind=kind, name=name, term_start=term_start, term_end=term_end, call=call
    )


@transaction.atomic
def committee_member_add(
    *,
    committee: Committee,
    user: User,
    role: str = MemberRole.MEMBER,
    keywords: Iterable[str] = (),
    max_load: int | None = None,
    by: User,
) -> Membership:
    """Add a member. R-10: nobody sits on both the review and the promotion committee.

    The user's row is locked first, so two concurrent additions of the same person to the two
    committees cannot both pass the check.
    """
    _require_officer(by)
    User.objects.select_for_update().filter(pk=user.pk).first()
    other = OTHER_KIND[CommitteeKind(committee.kind)]
    clash = Membership.objects.filter(user=user, kind=other).select_related("committee").first()
    if clash is not None:
        raise DomainError(
            _(
                "%(user)s already sits on %(committee)s; nobody may sit on both the review "
                "committee and the promotion committee"
            )
            % {"user": user, "committee": clash.committee},
            field="user",
            rule="R-10",
        )
    twin = _same_person_on(user, kind=other)
    if twin is not None:
        other_user, why = twin
        raise DomainError(
            _(
                "%(user)s appears to be the same person as %(other)s (%(why)s), who sits on "
                "%(committee)s; nobody may sit on both the review committee and the promotion "
                "committee"
            )
            % {
                "user": user,
                "other": other_user,
                "why": why,
                "committee": other_user.committee_memberships.filter(kind=other).first().committee,
            },
            field="user",
            rule="R-10",
        )
    if role not in MemberRole.values:
        raise DomainError(_("unknown role %(role)r") % {"role": role}, field="role")
    if role == MemberRole.CHAIR and committee.memberships.filter(role=MemberRole.CHAIR).exists():
        raise DomainError(_("this committee already has a chair"), field="role")
    if committee.memberships.filter(user=user).exists():
        raise DomainError(_("%(user)s is already a member") % {"user": user}, field="user")
    if max_load is not None and max_load < 0:
        raise DomainError(_("must be 0 or more"), field="max_load")
    return Membership.objects.create(
        committee=committee,
        user=user,
        kind=committee.kind,
        role=role,
        keywords=sorted({k.strip() for k in keywords if k.strip()}),
        max_load=max_load,
    )


def _same_person_on(user: User, *, kind: str) -> tuple[User, str] | None:
    """Another account of the same person on a committee of `kind`: the same e-mail address,
    the same person record, or the same name at the same organisation."""
    others = User.objects.filter(committee_memberships__kind=kind).exclude(pk=user.pk).distinct()
    email = (user.email or "").strip().lower()
    name = "".join((user.display_name or "").split())
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    for other in others.select_related("organisation"):
        if email and (other.email or "").strip().lower() == email:
            return other, _("same e-mail address")
        if (
            name
            and other.organisation_id
            and other.organisation_id == user.organisation_id
            and "".join((other.display_name or "").split()) == name
        ):
            return other, _("same name at the same organisation")
        other_person = getattr(other, "person", None) if hasattr(other, "person") else None
        if person is not None and other_person is not None and person.pk == other_person.pk:
            return other, _("same person")
    return None


@transaction.atomic
def committee_member_remove(*, membership: Membership, by: User) -> None:
    _require_officer(by)
    if (
        Assignment.objects.filter(
            reviewer=membership.user, proposal__call=membership.committee.call
        ).exists()
        and membership.committee.call is not None
    ):
        raise DomainError(
            _("%(user)s still has review assignments; remove them first")
            % {"user": membership.user},
            field="membership",
        )
    Committee.objects.filter(pk=membership.committee_id, deputy_chair_id=membership.user_id).update(
        deputy_chair=None
    )
    membership.delete()


@transaction.atomic
def committee_member_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Make a member the chair (the former chair becomes a member), or a chair a member.

    The committee's row is locked first, so two officers naming two chairs at once cannot
    leave the committee with two (the database's one-chair constraint backs this up).
    """
    _require_officer(by)
    if role not in MemberRole.values:
        raise DomainError(_("unknown role %(role)r") % {"role": role}, field="role")
    Committee.objects.select_for_update().filter(pk=membership.committee_id).first()
    membership = Membership.objects.get(pk=membership.pk)
    if role == MemberRole.CHAIR:
        for former in Membership.objects.filter(
            committee_id=membership.committee_id, role=MemberRole.CHAIR
        ).exclude(pk=membership.pk):
            former.role = MemberRole.MEMBER
            former.save(update_fields=["role"])
    membership.role = role
    membership.save(update_fields=["role"])
    if role == MemberRole.CHAIR:
        # The chair cannot be their own deputy.
        Committee.objects.filter(
            pk=membership.committee_id, deputy_chair_id=membership.user_id
        ).update(deputy_chair=None)
    return membership


@transaction.atomic
def committee_deputy_set(*, committee: Committee, user: User | None, by: User) -> Committee:
    """The officer names the deputy chair of a review committee (or none, with `user=None`):
    a member, not the chair, who handles the proposals the chair has a conflict of interest
    with (their ranking lines, board and recommendation). The committee's row is locked."""
    _require_officer(by)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.kind != CommitteeKind.REVIEW:
        raise DomainError(_("only a review committee has a deputy chair"), field="committee")
    if user is not None:
        member = committee.memberships.filter(user=user).first()
        if member is None:
            raise DomainError(
                _("%(user)s is not a member of this committee") % {"user": user}, field="user"
            )
        if member.role == MemberRole.CHAIR:
            raise DomainError(_("the chair cannot be their own deputy"), field="user")
    committee.deputy_chair = user
    committee.save(update_fields=["deputy_chair"])
    return committee


# --- phases -------------------------------------------------------------------------------------


@transaction.atomic
def phase_set(*, call, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, by: User):
    _require_officer(by)
    if kind not in PhaseKind.values:
        raise DomainError(_("unknown phase %(kind)r") % {"kind": kind}, field="kind")
    if ends_at <= starts_at:
        raise DomainError(_("a phase must close after it opens"), field="ends_at")
    phase, _created = ReviewPhase.objects.update_or_create(
        call=call, kind=kind, defaults={"starts_at": starts_at, "ends_at": ends_at}
    )
    return phase


def _require_phase(call, kinds: Iterable[str], what: str, *, now=None) -> None:
    now = now or timezone.now()
    kinds = list(kinds)
    if any(selectors.phase_open(call, k, now) for k in kinds):
        return
    phases = {p.kind: p for p in selectors.phases_for(call) if p.kind in kinds}
    if phases and all(p.ends_at <= now for p in phases.values()):
        deadline = max(p.ends_at for p in phases.values())
        raise DomainError(
            _("%(what)s closed on %(deadline)s")
            % {"what": what, "deadline": format_moment(deadline)}
        )
    raise DomainError(_("%(what)s is not open now") % {"what": what})


# --- conflicts of interest ------------------------------------------------------------------------


def detect_conflicts_between(proposal_facts, reviewer_facts) -> list[tuple[str, str]]:
    """(kind, reason) of every conflict the data shows (pure)."""
    found = []
    shared = sorted(proposal_facts.organisations & reviewer_facts.organisations)
    if shared:
        found.append(
            (
                ConflictKind.ORGANISATION,
                _("same organisation as a signatory or partner: %(orgs)s")
                % {"orgs": "、".join(shared)},
            )
        )
    if reviewer_facts.prefecture and reviewer_facts.prefecture in proposal_facts.prefectures:
        found.append(
            (
                ConflictKind.PREFECTURE,
                _("the reviewer's prefecture (%(code)s) takes part in the proposal")
                % {"code": reviewer_facts.prefecture},
            )
        )
    joint = sorted(proposal_facts.organisations & reviewer_facts.joint_work)
    if joint:
        found.append(
            (
                ConflictKind.JOINT_WORK,
                _("earlier joint work with %(orgs)s") % {"orgs": "、".join(joint)},
            )
        )
    return found


@transaction.atomic
def conflicts_detect(*, call, by: User | None = None) -> int:
    """Record every conflict the data shows between the call's review committee and its
    proposals. Detected records no longer supported by the data are set out of force, except
    those an officer pinned. Returns the number of conflicts in force that were detected."""
    if by is not None:
        _require_officer(by)
    members = selectors.review_members(call)
    reviewers = facts_of_reviewers(members)
    proposals = list(selectors.proposals_under_review(call))
    existing = {
        (c.reviewer_id, c.proposal_id, c.kind): c
        for c in ConflictOfInterest.objects.filter(
            proposal__call=call, source=ConflictSource.DETECTED
        )
    }
    taken = set(
        ConflictOfInterest.objects.filter(proposal__call=call).values_list(
            "reviewer_id", "proposal_id", "kind"
        )
    )
    seen = set()
    count = 0
    for proposal in proposals:
        pf = facts_of_proposal(proposal)
        for rf in reviewers:
            for kind, reason in detect_conflicts_between(pf, rf):
                key = (rf.user_id, proposal.pk, kind)
                seen.add(key)
                record = existing.get(key)
                if record is None:
                    if key in taken:
                        continue  # declared or set by the officer with the same kind
                    ConflictOfInterest.objects.create(
                        reviewer_id=rf.user_id,
                        proposal=proposal,
                        kind=kind,
                        source=ConflictSource.DETECTED,
                        reason=reason,
                    )
                    count += 1
                elif not record.pinned:
                    record.reason = reason
                    record.active = True
                    record.save(update_fields=["reason", "active"])
                    count += 1
    for key, record in existing.items():
        if key not in seen and not record.pinned and record.active:
            record.active = False
            record.save(update_fields=["active"])
    _drop_conflicted_assignments(call=call)
    return count


def _drop_conflicted_assignments(*, call) -> int:
    """Conflicts win over assignments: an assignment with a conflict in force goes away."""
    conflicted = ConflictOfInterest.objects.filter(proposal__call=call, active=True).values_list(
        "reviewer_id", "proposal_id"
    )
    n = 0
    for reviewer_id, proposal_id in conflicted:
        for a in Assignment.objects.filter(reviewer_id=reviewer_id, proposal_id=proposal_id):
            a.delete()
            n += 1
    return n


@transaction.atomic
def conflict_declare(*, reviewer: User, proposal, kind: str, reason: str) -> ConflictOfInterest:
    """A reviewer declares a conflict with a proposal they can see (until scoring closes)."""
    selectors.get_proposal_for_reviewer(reviewer, proposal.pk)
    if selectors.membership_in_review(reviewer, proposal.call) is None:
        raise NotFound(_("not found"))
    if kind not in ConflictKind.values:
        raise DomainError(_("unknown kind %(kind)r") % {"kind": kind}, field="kind")
    if not reason or not reason.strip():
        raise DomainError(_("give a reason"), field="reason")
    record, created = ConflictOfInterest.objects.get_or_create(
        reviewer=reviewer,
        proposal=proposal,
        kind=kind,
        defaults={
            "source": ConflictSource.DECLARED,
            "reason": reason.strip()[:500],
            "active": True,
        },
    )
    if not created:
        record.active = True
        record.reason = reason.strip()[:500]
        record.save(update_fields=["active", "reason"])
    Assignment.objects.filter(reviewer=reviewer, proposal=proposal).delete()
    return record


@transaction.atomic
def conflict_set(
    *, reviewer: User, proposal, kind: str = ConflictKind.OTHER, reason: str, by: User
) -> ConflictOfInterest:
    """The officer records a conflict (confirmed and pinned)."""
    _require_officer(by)
    if kind not in ConflictKind.values:
        raise DomainError(_("unknown kind %(kind)r") % {"kind": kind}, field="kind")
    if not reason or not reason.strip():
        raise DomainError(_("give a reason"), field="reason")
    record, _created = ConflictOfInterest.objects.update_or_create(
        reviewer=reviewer,
        proposal=proposal,
        kind=kind,
        defaults={
            "source": ConflictSource.OFFICER,
            "reason": reason.strip()[:500],
            "active": True,
            "confirmed": True,
            "pinned": True,
            "decided_by": by,
        },
    )
    Assignment.objects.filter(reviewer=reviewer, proposal=proposal).delete()
    return record


@transaction.atomic
def conflict_decide(
    *, conflict: ConflictOfInterest, in_force: bool, by: User
) -> ConflictOfInterest:
    """The officer confirms (in force) or dismisses a conflict; the decision is pinned."""
    _require_officer(by)
    conflict.active = in_force
    conflict.confirmed = True
    conflict.pinned = True
    conflict.decided_by = by
    conflict.save(update_fields=["active", "confirmed", "pinned", "decided_by"])
    if in_force:
        Assignment.objects.filter(
            reviewer_id=conflict.reviewer_id, proposal_id=conflict.proposal_id
        ).delete()
    return conflict


# --- assignment ---------------------------------------------------------------------------------------


def build_problem(
    *, call, reviewers_per_proposal: int, max_load: int
) -> tuple[AssignmentProblem, dict, dict]:
    """The call's assignment as `kyoten assign` input, plus id maps (label → proposal/user).

    Conflicts are those recorded in force plus what the data shows now; kept assignments
    (pinned, or with scores entered) are pins; the officer's forbidden pairs are forbidden.
    """
    members = [m for m in selectors.review_members(call) if m.role == MemberRole.MEMBER]
    reviewers = facts_of_reviewers(members)
    proposals = list(selectors.proposals_under_review(call))
    pfacts = [facts_of_proposal(p) for p in proposals]
    recorded: dict[int, set[int]] = {}
    for reviewer_id, proposal_id in ConflictOfInterest.objects.filter(
        proposal__call=call, active=True
    ).values_list("reviewer_id", "proposal_id"):
        recorded.setdefault(reviewer_id, set()).add(proposal_id)
    # Dismissed detections are not conflicts: the officer decided.
    dismissed = set(
        ConflictOfInterest.objects.filter(
            proposal__call=call, active=False, pinned=True
        ).values_list("reviewer_id", "proposal_id")
    )
    conflicts: dict[int, set[str]] = {}
    for rf in reviewers:
        labels = {f"P{pid}" for pid in recorded.get(rf.user_id, set())}
        for pf in pfacts:
            if (rf.user_id, pf.id) in dismissed:
                continue
            if detect_conflicts_between(pf, rf):
                labels.add(pf.label)
        conflicts[rf.user_id] = labels
    reviewer_ids = {rf.user_id for rf in reviewers}
    proposal_ids = {p.pk for p in proposals}
    pinned = set()
    for a in Assignment.objects.filter(proposal__call=call).prefetch_related("scores"):
        if a.reviewer_id in reviewer_ids and a.proposal_id in proposal_ids:
            if a.pinned or a.status == ReviewStatus.SUBMITTED or a.scores.all():
                pinned.add((f"P{a.proposal_id}", f"R{a.reviewer_id}"))
    forbidden = {
        (f"P{f.proposal_id}", f"R{f.reviewer_id}")
        for f in ForbiddenPair.objects.filter(proposal__call=call)
        if f.reviewer_id in reviewer_ids and f.proposal_id in proposal_ids
    }
    problem = AssignmentProblem(
        reviewers_per_proposal=reviewers_per_proposal,
        max_load=max_load,
        # Organisations and prefectures already entered the conflict lists above (with the
        # officer's dismissals applied), so the solver sees conflicts only through them.
        proposals=tuple(ProposalIn(id=pf.label, keywords=pf.keywords) for pf in pfacts),
        reviewers=tuple(
            ReviewerIn(
                id=rf.label,
                keywords=rf.keywords,
                conflicts=frozenset(conflicts[rf.user_id]),
                max_load=rf.max_load,
            )
            for rf in reviewers
        ),
        pinned=frozenset(pinned),
        forbidden=frozenset(forbidden),
    )
    by_label_p = {f"P{p.pk}": p for p in proposals}
    by_label_r = {f"R{m.user_id}": m.user for m in members}
    return problem, by_label_p, by_label_r


def problem_as_json(problem: AssignmentProblem) -> dict:
    return {
        "reviewers_per_proposal": problem.reviewers_per_proposal,
        "max_load": problem.max_load,
        "proposals": [{"id": p.id, "keywords": sorted(p.keywords)} for p in problem.proposals],
        "reviewers": [
            {
                "id": r.id,
                "keywords": sorted(r.keywords),
                "conflicts": sorted(r.conflicts),
                **({"max_load": r.max_load} if r.max_load is not None else {}),
            }
            for r in problem.reviewers
        ],
        "pinned": sorted([list(p) for p in problem.pinned]),
        "forbidden": sorted([list(p) for p in problem.forbidden]),
    }


@transaction.atomic
def assignment_solve(
    *, call, reviewers_per_proposal: int, max_load: int, by: User
) -> tuple[AssignmentRun, AssignmentResult]:
    """The officer's "assign reviewers" button: the same exact solver as `kyoten assign`.

    Kept assignments (pinned, or with scores) stay; the others are replaced by the optimum.
    When infeasible, nothing changes and the run records the reason.
    """
    _require_officer(by)
    if (
        isinstance(reviewers_per_proposal, bool)
        or not isinstance(reviewers_per_proposal, int)
        or reviewers_per_proposal < 1
    ):
        raise DomainError(_("must be an integer of at least 1"), field="reviewers_per_proposal")
    if isinstance(max_load, bool) or not isinstance(max_load, int) or max_load < 0:
        raise DomainError(_("must be an integer of 0 or more"), field="max_load")
    if phase_closed(call, PhaseKind.SCORING):
        raise DomainError(_("scoring has closed; assignments can no longer change"))
    conflicts_detect(call=call)
    problem, proposals, reviewers = build_problem(
        call=call, reviewers_per_proposal=reviewers_per_proposal, max_load=max_load
    )
    try:
        with quiet_stdout():
            result = solve(problem)
    except Exception as exc:  # a solver failure must not leave half a change
        raise DomainError(_("the solver failed: %(err)s") % {"err": exc}) from exc
    run = AssignmentRun.objects.create(
        call=call,
        by=by,
        reviewers_per_proposal=reviewers_per_proposal,
        max_load=max_load,
        status=result.status,
        affinity=result.affinity,
        reason=_relabel(result.reason, proposals, reviewers),
        problem=problem_as_json(problem),
        seconds=result.seconds,
    )
    if result.status != STATUS_OPTIMAL:
        return run, result
    keep = set(problem.pinned)
    Assignment.objects.filter(proposal__call=call).exclude(
        pk__in=[
            a.pk
            for a in Assignment.objects.filter(proposal__call=call)
            if (f"P{a.proposal_id}", f"R{a.reviewer_id}") in keep
        ]
    ).delete()
    pfacts = {label: facts_of_proposal(p) for label, p in proposals.items()}
    rkeys = {r.id: r.keywords for r in problem.reviewers}
    new = []
    for plabel, rlabels in result.assignments:
        for rlabel in rlabels:
            if (plabel, rlabel) in keep:
                continue
            new.append(
                Assignment(
                    proposal=proposals[plabel],
                    reviewer=reviewers[rlabel],
                    run=run,
                    affinity=float(jaccard(pfacts[plabel].keywords, rkeys[rlabel])),
                )
            )
    Assignment.objects.bulk_create(new)
    _tell_assigned(call, [a.reviewer for a in new])
    return run, result


def _tell_assigned(call, reviewers: Iterable[User]) -> None:
    """Each newly assigned reviewer hears it once per assignment run (not per proposal)."""
    counts: dict[int, int] = {}
    people: dict[int, User] = {}
    for reviewer in reviewers:
        counts[reviewer.pk] = counts.get(reviewer.pk, 0) + 1
        people[reviewer.pk] = reviewer
    for pk, n in counts.items():
        notify(
            recipients=[people[pk]],
            kind=NoticeKind.REVIEWER_ASSIGNED,
            message=gettext_lazy(
                "You are assigned %(n)s more proposals of the call “%(call)s” to review."
            ),
            params={"n": n, "call": call.title},
            url=reverse("review:mine"),
        )


def _relabel(text: str, proposals: Mapping, reviewers: Mapping) -> str:
    """Turn solver labels (P12, R7) into titles and names for people."""
    import re

    def sub(match):
        label = match.group(0)
        if label in proposals:
            p = proposals[label]
            return f"{getattr(p, 'title', '') or label} ({label})"
        if label in reviewers:
            return f"{reviewers[label]} ({label})"
        return label

    return re.sub(r"\b[PR]\d+\b", sub, text)


def phase_closed(call, kind: str, now=None) -> bool:
    now = now or timezone.now()
    phase = ReviewPhase.objects.filter(call=call, kind=kind).first()
    return bool(phase and phase.ends_at <= now)


@transaction.atomic
def assignment_add(*, proposal, reviewer: User, by: User, pinned: bool = True) -> Assignment:
    """The officer edits the result: assign (and pin) one pair."""
    _require_officer(by)
    if selectors.membership_in_review(reviewer, proposal.call) is None:
        raise DomainError(
            _("%(user)s is not on the review committee of this call") % {"user": reviewer},
            field="reviewer",
        )
    if ConflictOfInterest.objects.filter(
        reviewer=reviewer, proposal=proposal, active=True
    ).exists():
        raise DomainError(
            _("%(user)s has a conflict of interest with this proposal") % {"user": reviewer},
            field="reviewer",
        )
    ForbiddenPair.objects.filter(reviewer=reviewer, proposal=proposal).delete()
    try:
        with transaction.atomic():
            made = Assignment.objects.create(proposal=proposal, reviewer=reviewer, pinned=pinned)
        _tell_assigned(proposal.call, [reviewer])
        return made
    except IntegrityError:
        a = Assignment.objects.get(proposal=proposal, reviewer=reviewer)
        if pinned and not a.pinned:
            a.pinned = True
            a.save(update_fields=["pinned"])
        return a


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User, forbid: bool = False) -> None:
    """The officer removes a pair (optionally forbidding it for the next run)."""
    _require_officer(by)
    if assignment.status == ReviewStatus.SUBMITTED:
        raise DomainError(_("this review is already submitted"), field="assignment")
    if forbid:
        ForbiddenPair.objects.get_or_create(
            proposal_id=assignment.proposal_id,
            reviewer_id=assignment.reviewer_id,
            defaults={"by": by},
        )
    assignment.delete()


@transaction.atomic
def pair_forbid(*, proposal, reviewer: User, by: User) -> ForbiddenPair:
    _require_officer(by)
    Assignment.objects.filter(
        proposal=proposal, reviewer=reviewer, status=ReviewStatus.DRAFT
    ).delete()
    pair, _created = ForbiddenPair.objects.get_or_create(
        proposal=proposal, reviewer=reviewer, defaults={"by": by}
    )
    return pair


# --- scores --------------------------------------------------------------------------------------------


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    by: User,
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Save a reviewer's scores (a draft). Every value is checked before anything is written."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.reviewer_id != by.pk:
        raise NotFound(_("not found"))
    if assignment.proposal_id in selectors.conflicted_proposal_ids(by):
        raise NotFound(_("not found"))
    if assignment.status == ReviewStatus.SUBMITTED:
        raise DomainError(_("this review is already submitted"), field="status")
    call = assignment.proposal.call
    _require_phase(call, [PhaseKind.SCORING], _("Scoring"), now=now)
    criteria = {c.key: c for c in criteria_for_call(call)}
    comments = dict(comments or {})
    clean: dict[str, int] = {}
    for key, value in scores.items():
        if key not in criteria:
            raise DomainError(_("unknown criterion"), field=f"scores.{key}")
        c = criteria[key]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(
                _("must be a whole number from %(lo)d to %(hi)d")
                % {"lo": c.scale_min, "hi": c.scale_max},
                field=f"scores.{key}",
            )
        if not c.scale_min <= value <= c.scale_max:
            raise DomainError(
                _("%(value)d is outside the scale %(lo)d–%(hi)d")
                % {"value": value, "lo": c.scale_min, "hi": c.scale_max},
                field=f"scores.{key}",
            )
        clean[key] = value
    for key in comments:
        if key not in criteria:
            raise DomainError(_("unknown criterion"), field=f"comments.{key}")
    for key, value in clean.items():
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=key,
            defaults={"value": value, "comment": (comments.get(key) or "").strip()},
        )
    for key, text in comments.items():
        if key not in clean:
            Score.objects.filter(assignment=assignment, criterion=key).update(
                comment=(text or "").strip()
            )
    if comment is not None:
        assignment.comment = comment.strip()
        assignment.save(update_fields=["comment"])
    return assignment


@transaction.atomic
def review_submit(
    *, assignment: Assignment, by: User, now: dt.datetime | None = None
) -> Assignment:
    """Submit: every criterion scored, before the deadline. After this, others' scores show."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if (
        assignment.reviewer_id != by.pk
        or assignment.proposal_id in selectors.conflicted_proposal_ids(by)
    ):
        raise NotFound(_("not found"))
    if assignment.status == ReviewStatus.SUBMITTED:
        raise DomainError(_("this review is already submitted"), field="status")
    call = assignment.proposal.call
    _require_phase(call, [PhaseKind.SCORING], _("Scoring"), now=now)
    have = set(assignment.scores.values_list("criterion", flat=True))
    missing = [c.key for c in criteria_for_call(call) if c.key not in have]
    if missing:
        raise DomainError(
            _("score every criterion before submitting (missing: %(keys)s)")
            % {"keys": ", ".join(missing)},
            field=f"scores.{missing[0]}",
        )
    assignment.status = ReviewStatus.SUBMITTED
    assignment.submitted_at = now or timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    return assignment


# --- discussion and decision ---------------------------------------------------------------------------


@transaction.atomic
def discussion_post(
    *, proposal, by: User, text: str, now: dt.datetime | None = None
) -> DiscussionPost:
    selectors.get_proposal_for_reviewer(by, proposal.pk)
    if not selectors.may_see_others_scores(by, proposal):
        raise Forbidden(_("submit your own review before joining the discussion"))
    if not is_officer(by):
        _require_phase(
            proposal.call, [PhaseKind.SCORING, PhaseKind.DISCUSSION], _("Discussion"), now=now
        )
    if not text or not text.strip():
        raise DomainError(_("write something"), field="text")
    return DiscussionPost.objects.create(proposal=proposal, author=by, text=text.strip())


@transaction.atomic
def decision_record(
    *,
    call,
    by: User,
    recommendations: Mapping[int, tuple[str, str]],
    normalised: bool = False,
    notes: str = "",
    now: dt.datetime | None = None,
) -> CommitteeDecision:
    """Record the committee's ranked recommendation (the chair, the deputy chair for the
    proposals the chair is kept from, or the officer).

    `recommendations`: proposal id → (recommendation, reason), for proposals the recorder
    handles as chair (`selectors.proposals_chaired_by`); any other id is NotFound (404), as
    for a proposal that does not exist. A recommendation is never assumed: an empty one (or a
    proposal without an entry) stays undecided, or keeps what an earlier record said of it;
    nothing is 採択 or 不採択 unless somebody chose it. The other proposals keep what the previous decision said of them, so the chair's
    and the deputy's records make one decision. The ranking (scores, order) of the whole call
    is taken from `ranking_for_call` at this moment and stored with it.
    """
    committee = selectors.review_committee_for(call)
    if committee is None:
        raise DomainError(_("this call has no review committee"), field="call")
    if not selectors.may_chair(by, call):
        raise Forbidden(_("only the chair of the review committee records its decision"))
    if not is_officer(by):
        _require_phase(call, [PhaseKind.DECISION], _("Ranking and recommendation"), now=now)
    mine = set(selectors.proposals_chaired_by(by, call).values_list("pk", flat=True))
    for pid, (rec, _reason) in recommendations.items():
        if pid not in mine:
            raise NotFound(_("not found"))
        if rec and rec not in Recommendation.values:
            raise DomainError(
                _("unknown recommendation %(rec)r") % {"rec": rec},
                field=f"recommendations.{pid}",
            )
    previous = selectors.latest_decision(call)
    kept = {item.proposal_id: item for item in previous.items.all()} if previous else {}
    ranking = selectors.ranking_for_call(call, normalised=normalised)
    decision = CommitteeDecision.objects.create(
        call=call, committee=committee, decided_by=by, normalised=normalised, notes=notes.strip()
    )
    items = []
    for line in ranking:
        pid = line.proposal.pk
        rec, reason = recommendations.get(pid, ("", "")) if pid in mine else ("", "")
        if not rec and pid in kept:
            rec, reason = kept[pid].recommendation, kept[pid].reason
        if not rec:
            continue  # not yet decided by whoever handles it
        items.append(
            DecisionItem(
                decision=decision,
                proposal=line.proposal,
                rank=line.rank,
                score=line.score if line.score is not None else 0.0,
                recommendation=rec,
                reason=(reason or "").strip(),
            )
        )
    DecisionItem.objects.bulk_create(items)
    return decision
