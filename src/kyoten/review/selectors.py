"""Reads of the review. Every page, the API and exports start here.

Visibility has ONE definition, `proposals_known_to(user, call)`: the officer knows every
proposal under review; a member of the call's review committee (chair and deputy chair
included) knows all of them but those they are kept from (`proposals_kept_from`: a conflict of
interest in force); nobody else knows any. A conflicted person learns nothing of the proposal:
not the proposal, its scores, its discussion, its line in a ranking, board, progress count or
matrix; checked fetches answer NotFound (404) exactly as for a proposal that does not exist.

What a person handles as chair (ranking, progress, board, recommendation) is the narrower
`proposals_chaired_by(user, call)`: the officer all, the chair all they know of, the deputy
chair exactly those the chair is kept from (and they are not).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.enums import Role
from kyoten.core.errors import NotFound
from kyoten.core.models import User
from kyoten.core.rules import is_officer
from kyoten.proposals.selectors import proposals_kept_from
from kyoten.review.criteria import Criterion, criteria_for_call, weighted_score
from kyoten.review.enums import CommitteeKind, MemberRole, PhaseKind, ReviewStatus
from kyoten.review.models import (
    Assignment,
    AssignmentRun,
    Committee,
    CommitteeDecision,
    ConflictOfInterest,
    DiscussionPost,
    Membership,
    ReviewPhase,
    Score,
)

# Proposal statuses that are not (or no longer) under review.
NOT_UNDER_REVIEW = ("draft", "withdrawn")


def _proposal_model():
    from kyoten.proposals.models import Proposal

    return Proposal


def _call_of(proposal):
    return proposal.call


# --- committees and phases ---------------------------------------------------------------


def review_committee_for(call) -> Committee | None:
    """The review committee of the call (the latest created, when there are several)."""
    return Committee.objects.filter(kind=CommitteeKind.REVIEW, call=call).order_by("-id").first()


def membership_in_review(user, call) -> Membership | None:
    if not (user and user.is_authenticated):
        return None
    return (
        Membership.objects.filter(
            user=user, committee__kind=CommitteeKind.REVIEW, committee__call=call
        )
        .select_related("committee")
        .first()
    )


def is_review_chair_of(user, call) -> bool:
    member = membership_in_review(user, call)
    return bool(member and member.role == MemberRole.CHAIR)


def review_members(call) -> list[Membership]:
    committee = review_committee_for(call)
    if committee is None:
        return []
    return list(
        committee.memberships.select_related("user", "user__organisation").order_by(
            "user__username"
        )
    )


def _with_members(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user", "user__organisation").order_by(
                "-role", "user__username"
            ),
        )
    )


def committees_of_call(call, *, today=None) -> tuple[Committee | None, list[Committee]]:
    """The committees page of a call: its review committee (members prefetched) and the
    promotion committees in force (a promotion committee follows the program, not one call)."""
    today = today or timezone.localdate()
    review = (
        _with_members(Committee.objects.filter(kind=CommitteeKind.REVIEW, call=call))
        .order_by("-id")
        .first()
    )
    promotion = _with_members(
        Committee.objects.filter(kind=CommitteeKind.PROMOTION).exclude(term_end__lt=today)
    ).order_by("-term_start", "-id")
    return review, list(promotion)


# Whom an officer may put on a committee: people whose role is to review or follow up.
COMMITTEE_CANDIDATE_ROLES = (Role.REVIEWER, Role.CHAIR, Role.COMMITTEE)


def committee_candidates(committee: Committee) -> QuerySet[User]:
    """Users an officer may add to `committee`: reviewers, review chairs and promotion committee
    members who are not yet on it. R-10 is checked by the service, with a message, not here."""
    return (
        User.objects.filter(role__in=COMMITTEE_CANDIDATE_ROLES, is_active=True)
        .exclude(committee_memberships__committee=committee)
        .select_related("organisation")
        .order_by("username")
    )


def phases_for(call) -> list[ReviewPhase]:
    return list(ReviewPhase.objects.filter(call=call).order_by("starts_at"))


def phase_open(call, kind: str, now=None) -> bool:
    now = now or timezone.now()
    return ReviewPhase.objects.filter(
        call=call, kind=kind, starts_at__lte=now, ends_at__gt=now
    ).exists()


def scoring_deadline(call):
    phase = ReviewPhase.objects.filter(call=call, kind=PhaseKind.SCORING).first()
    return phase.ends_at if phase else None


def scoring_deadlines(call_ids) -> dict[int, object]:
    """`scoring_deadline` of several calls in one query: {call id: end of scoring}."""
    deadlines: dict[int, object] = {}
    for call_id, ends_at in (
        ReviewPhase.objects.filter(call_id__in=call_ids, kind=PhaseKind.SCORING)
        .order_by("call_id", "-starts_at", "-pk")  # the last written is the earliest phase
        .values_list("call_id", "ends_at")
    ):
        deadlines[call_id] = ends_at
    return deadlines


# --- conflicts and visibility ---------------------------------------------------------------


def conflicted_proposal_ids(user) -> set[int]:
    """Ids of the proposals the user is kept from (see `proposals_kept_from`)."""
    return set(proposals_kept_from(user).values_list("pk", flat=True))


def proposals_under_review(call) -> QuerySet:
    Proposal = _proposal_model()
    qs = Proposal.objects.filter(call=call).prefetch_related("prefectures")
    if any(f.name == "status" for f in Proposal._meta.get_fields()):
        qs = qs.exclude(status__in=NOT_UNDER_REVIEW)
    return qs.order_by("pk")


def proposals_known_to(user, call) -> QuerySet:
    """The call's proposals under review that this person may know of, in every list, ranking,
    board, chart, export and count of the review and the allocation.

    Officer: all. Member of the call's review committee (chair, deputy chair): all but those
    they are kept from (a conflict of interest in force). Anyone else: none.
    """
    qs = proposals_under_review(call)
    if is_officer(user):
        return qs
    if membership_in_review(user, call) is None:
        return qs.none()
    return qs.exclude(pk__in=proposals_kept_from(user).values("pk"))


def chair_of(call) -> User | None:
    committee = review_committee_for(call)
    if committee is None:
        return None
    chair = committee.memberships.filter(role=MemberRole.CHAIR).select_related("user").first()
    return chair.user if chair else None


def is_deputy_chair_of(user, call) -> bool:
    committee = review_committee_for(call)
    return bool(
        committee is not None
        and user
        and user.is_authenticated
        and committee.deputy_chair_id == user.pk
    )


def proposals_chaired_by(user, call) -> QuerySet:
    """The proposals this person handles as chair (ranking, progress, board, recommendation).

    Officer: all. Chair: all they know of. Deputy chair: those the chair is kept from, less
    the deputy's own conflicts. Anyone else: none.
    """
    known = proposals_known_to(user, call)
    if is_officer(user):
        return known
    member = membership_in_review(user, call)
    if member is None:
        return known.none()
    if member.role == MemberRole.CHAIR:
        return known
    if is_deputy_chair_of(user, call):
        chair = chair_of(call)
        if chair is None:
            return known.none()
        return known.filter(pk__in=proposals_kept_from(chair).values("pk"))
    return known.none()


def may_chair(user, call) -> bool:
    """Officer, the chair and the deputy chair see the chair's pages of a call."""
    return bool(
        is_officer(user) or is_review_chair_of(user, call) or is_deputy_chair_of(user, call)
    )


def get_proposal_for_reviewer(user, pk, *, call=None):
    """Checked fetch: the proposal, or NotFound both when it does not exist and when the user
    may not know it exists (a conflicted reviewer)."""
    Proposal = _proposal_model()
    try:
        proposal = Proposal.objects.select_related("call").get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("not found")) from None
    if call is not None and proposal.call_id != call.pk:
        raise NotFound(_("not found"))
    if not proposals_known_to(user, proposal.call).filter(pk=proposal.pk).exists():
        raise NotFound(_("not found"))
    return proposal


def conflicts_for_call(user, call) -> QuerySet[ConflictOfInterest]:
    """The conflicts recorded on the proposals this person handles as chair (the board)."""
    return ConflictOfInterest.objects.filter(
        proposal__in=proposals_chaired_by(user, call).values("pk")
    ).select_related("reviewer", "proposal")


def conflicts_of_reviewer(user) -> QuerySet[ConflictOfInterest]:
    """The reviewer's own conflicts (they know these proposals exist: they declared them or were
    told). Only the id and the reason are shown, never the proposal's content."""
    return ConflictOfInterest.objects.filter(reviewer=user).order_by("proposal_id", "kind")


# --- reviews (assignments with scores) --------------------------------------------------------


def reviews_of(user) -> QuerySet[Assignment]:
    """The user's own assignments, without those a conflict now hides."""
    if not (user and user.is_authenticated):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(reviewer=user)
        .exclude(proposal_id__in=list(conflicted_proposal_ids(user)))
        .select_related("proposal", "proposal__call")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("id")))
        .order_by("proposal__call_id", "proposal_id")
    )


def get_review_for(user, pk) -> Assignment:
    """Checked fetch of one's own review (assignment); NotFound otherwise."""
    try:
        return reviews_of(user).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("not found")) from None


def scores_of(assignment: Assignment) -> dict[str, int]:
    return {s.criterion: s.value for s in assignment.scores.all()}


def may_see_others_scores(user, proposal) -> bool:
    """Officer always; the chair (or the deputy chair) for the proposals they handle; a reviewer
    once their own is submitted. Never someone kept from the proposal."""
    if is_officer(user):
        return True
    if proposal.pk in conflicted_proposal_ids(user):
        return False
    if proposals_chaired_by(user, proposal.call).filter(pk=proposal.pk).exists():
        return True
    return Assignment.objects.filter(
        proposal=proposal, reviewer=user, status=ReviewStatus.SUBMITTED
    ).exists()


def reviews_of_proposal(user, proposal) -> list[Assignment]:
    """Reviews of a proposal the user may see (checked: NotFound for a conflicted reviewer)."""
    get_proposal_for_reviewer(user, proposal.pk)
    qs = (
        Assignment.objects.filter(proposal=proposal)
        .select_related("reviewer", "proposal__call")
        .prefetch_related("scores")
        .order_by("reviewer__username")
    )
    if may_see_others_scores(user, proposal):
        return list(qs)
    return list(qs.filter(reviewer=user))


def discussion_of(user, proposal) -> list[DiscussionPost]:
    """The discussion of a proposal: for whoever may see others' scores (same rule)."""
    get_proposal_for_reviewer(user, proposal.pk)
    if not may_see_others_scores(user, proposal):
        return []
    return list(DiscussionPost.objects.filter(proposal=proposal).select_related("author"))


# --- chair and officer views -------------------------------------------------------------------


@dataclass
class ProgressRow:
    reviewer_id: int
    reviewer: str
    assigned: int
    submitted: int


def progress(user, call) -> list[ProgressRow]:
    """Assigned and submitted reviews per member, counted over the proposals `user` handles as
    chair only (a count must not reveal a proposal the user is kept from)."""
    rows = {}
    for m in review_members(call):
        rows[m.user_id] = ProgressRow(m.user_id, str(m.user), 0, 0)
    chaired = proposals_chaired_by(user, call).values("pk")
    for a in Assignment.objects.filter(proposal__in=chaired).select_related("reviewer"):
        row = rows.setdefault(a.reviewer_id, ProgressRow(a.reviewer_id, str(a.reviewer), 0, 0))
        row.assigned += 1
        row.submitted += a.status == ReviewStatus.SUBMITTED
    return sorted(rows.values(), key=lambda r: r.reviewer)


@dataclass
class MatrixCell:
    assigned: bool = False
    pinned: bool = False
    conflict: str = ""
    forbidden: bool = False
    status: str = ""


@dataclass
class Matrix:
    proposals: list
    reviewers: list
    cells: dict[tuple[int, int], MatrixCell] = field(default_factory=dict)

    def rows(self):
        for p in self.proposals:
            yield p, [self.cells.get((p.pk, r.pk), MatrixCell()) for r in self.reviewers]


def assignment_matrix(user, call) -> Matrix:
    """Proposals (those `user` handles as chair) × members: assigned, pinned, conflicts."""
    from kyoten.review.models import ForbiddenPair

    chaired = proposals_chaired_by(user, call)
    proposals = list(chaired)
    reviewers = [m.user for m in review_members(call)]
    matrix = Matrix(proposals=proposals, reviewers=reviewers)
    ids = chaired.values("pk")
    for a in Assignment.objects.filter(proposal__in=ids):
        cell = matrix.cells.setdefault((a.proposal_id, a.reviewer_id), MatrixCell())
        cell.assigned, cell.pinned, cell.status = True, a.pinned, a.status
    for c in ConflictOfInterest.objects.filter(proposal__in=ids, active=True):
        cell = matrix.cells.setdefault((c.proposal_id, c.reviewer_id), MatrixCell())
        cell.conflict = c.get_kind_display()
    for f in ForbiddenPair.objects.filter(proposal__in=ids):
        matrix.cells.setdefault((f.proposal_id, f.reviewer_id), MatrixCell()).forbidden = True
    return matrix


@dataclass
class RankedProposal:
    """One line of the ranking; `score` is the weighted mean on 0–100 (raw or normalised)."""

    proposal: object
    rank: int
    score: float | None
    raw_score: float | None
    reviews: int
    spread: float | None  # max − min of the reviewers' totals
    stdev: float | None
    outliers: list[str]  # reviewers whose total is far from the median (`OUTLIER_*`)
    per_criterion: dict[str, float]
    recommendation: str = ""
    reason: str = ""
    required: int = 0  # reviews the proposal should have (`reviews_required`)

    @property
    def short_of_reviews(self) -> bool:
        """Fewer submitted reviews than required: the ranking warns on this line."""
        return self.reviews < self.required


# The outlier mark, made for the 3–5 reviews a proposal gets: with at least three submitted
# reviews, a reviewer whose weighted total (0–100) lies 20 points or more from the median of
# the proposal's totals is marked. The median is not pulled by the outlier itself (a mean of
# three is), so one far score among three or five is found and the two close ones are not.
OUTLIER_MIN_REVIEWS = 3
OUTLIER_POINTS = 20.0
DEFAULT_REVIEWS_REQUIRED = 3


def outliers_among(totals: list[float]) -> list[int]:
    """Indexes of the totals 20 points or more from their median (none below three)."""
    if len(totals) < OUTLIER_MIN_REVIEWS:
        return []
    median = statistics.median(totals)
    return [n for n, t in enumerate(totals) if abs(t - median) >= OUTLIER_POINTS]


def reviews_required(call) -> int:
    """Reviews each proposal of the call should get: the number the officer asked of the
    latest assignment run, else the program's default of three."""
    run = AssignmentRun.objects.filter(call=call).order_by("-created_at", "-id").first()
    return run.reviewers_per_proposal if run else DEFAULT_REVIEWS_REQUIRED


def _zscores(
    totals_by_reviewer: dict[int, list[tuple[int, float]]],
) -> dict[tuple[int, int], float]:
    """Per reviewer: z = (x − their mean) / their standard deviation, mapped back onto the
    scale of all scores (overall mean + z × overall standard deviation). Reviewers with a single
    review or no spread keep their raw score shifted by the difference of means."""
    all_values = [v for items in totals_by_reviewer.values() for _, v in items]
    if not all_values:
        return {}
    mu = statistics.fmean(all_values)
    sigma = statistics.pstdev(all_values) if len(all_values) > 1 else 0.0
    out = {}
    for rid, items in totals_by_reviewer.items():
        values = [v for _, v in items]
        m = statistics.fmean(values)
        s = statistics.pstdev(values) if len(values) > 1 else 0.0
        for pid, v in items:
            if s > 0 and sigma > 0:
                out[(rid, pid)] = mu + (v - m) / s * sigma
            else:
                out[(rid, pid)] = mu + (v - m)
    return out


def ranking_for(user, call, *, normalised: bool = False) -> list[RankedProposal]:
    """The ranking a person sees: the proposals they handle as chair, ranked among themselves
    (z-scores from those proposals' reviews only, so no hidden review moves a line)."""
    return _ranking(call, proposals_chaired_by(user, call), normalised=normalised)


def ranking_for_call(call, *, normalised: bool = False) -> list[RankedProposal]:
    """The complete ranking of the call, for what the program does with it (the stored
    committee decision, the allocation's scores behind its seal). Never shown as such to a
    committee member: pages and the API use `ranking_for(user, call)`."""
    return _ranking(call, proposals_under_review(call), normalised=normalised)


def _ranking(call, proposals_qs: QuerySet, *, normalised: bool) -> list[RankedProposal]:
    """Proposals with the weighted mean of submitted reviews, best first.

    The allocation app reads `score` (0–100) as the proposal's score. Raw scores are always
    kept (`raw_score`); with `normalised=True`, `score` uses per-reviewer z-scores. Proposals
    without a submitted review come last with score None. Ties: by proposal id.
    """
    criteria: tuple[Criterion, ...] = criteria_for_call(call)
    proposals = list(proposals_qs)
    submitted = (
        Assignment.objects.filter(
            proposal__in=[p.pk for p in proposals], status=ReviewStatus.SUBMITTED
        )
        .select_related("reviewer")
        .prefetch_related("scores")
    )
    by_proposal: dict[int, list[tuple[Assignment, float, dict[str, int]]]] = {}
    by_reviewer: dict[int, list[tuple[int, float]]] = {}
    for a in submitted:
        values = {s.criterion: s.value for s in a.scores.all()}
        total = weighted_score(criteria, values)
        if total is None:
            continue
        by_proposal.setdefault(a.proposal_id, []).append((a, total, values))
        by_reviewer.setdefault(a.reviewer_id, []).append((a.proposal_id, total))
    z = _zscores(by_reviewer) if normalised else {}
    required = reviews_required(call)
    decided = {}
    decision = CommitteeDecision.objects.filter(call=call).prefetch_related("items").first()
    if decision:
        decided = {item.proposal_id: item for item in decision.items.all()}
    lines = []
    for p in proposals:
        items = by_proposal.get(p.pk, [])
        totals = [t for _, t, _ in items]
        raw = round(statistics.fmean(totals), 4) if totals else None
        if normalised and items:
            score = round(statistics.fmean(z[(a.reviewer_id, p.pk)] for a, _, _ in items), 4)
        else:
            score = raw
        stdev = statistics.pstdev(totals) if len(totals) > 1 else (0.0 if totals else None)
        outliers = [str(items[n][0].reviewer) for n in outliers_among(totals)]
        per_criterion = {
            c.key: round(statistics.fmean(v[c.key] for _, _, v in items), 3)
            for c in criteria
            if items
        }
        item = decided.get(p.pk)
        lines.append(
            RankedProposal(
                proposal=p,
                rank=0,
                score=score,
                raw_score=raw,
                reviews=len(items),
                spread=round(max(totals) - min(totals), 4) if totals else None,
                stdev=round(stdev, 4) if stdev is not None else None,
                outliers=outliers,
                per_criterion=per_criterion,
                recommendation=item.recommendation if item else "",
                reason=item.reason if item else "",
                required=required,
            )
        )
    lines.sort(key=lambda r: (r.score is None, -(r.score or 0.0), r.proposal.pk))
    for n, line in enumerate(lines, start=1):
        line.rank = n
    return lines


def latest_decision(call) -> CommitteeDecision | None:
    return CommitteeDecision.objects.filter(call=call).prefetch_related("items").first()
