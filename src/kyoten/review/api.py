"""API: /api/v1/reviews — a reviewer's own assignments and scores, and what the pages need.

A conflicted reviewer gets 404 for the proposal everywhere here (its reviews, scores,
discussion), exactly as for a proposal that does not exist.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from kyoten.api.common import ApiError, Page, paginate
from kyoten.core.errors import NotFound
from kyoten.core.models import User
from kyoten.core.rules import is_officer, is_reviewer
from kyoten.review import selectors, services
from kyoten.review.criteria import criteria_for_call, weighted_score
from kyoten.review.models import Assignment, Committee, Membership

router = Router(tags=["reviews"])


class ScoreOut(Schema):
    criterion: str
    value: int
    comment: str


class Ref(Schema):
    id: int
    title: str


class ReviewOut(Schema):
    id: int
    proposal: Ref
    call: Ref
    reviewer: str
    status: str
    pinned: bool
    affinity: float
    scores: list[ScoreOut]
    comment: str
    total: float | None
    submitted_at: dt.datetime | None
    deadline: dt.datetime | None


class ReviewIn(Schema):
    scores: dict[str, StrictInt | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
    comment: str | None = None


class CriterionOut(Schema):
    key: str
    label: str
    weight: float
    scale_min: int
    scale_max: int


class PostOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime


class PostIn(Schema):
    text: str


class ProposalReviewOut(Schema):
    proposal: Ref
    prefectures: list[str]
    content: dict
    criteria: list[CriterionOut]
    reviews: list[ReviewOut]
    others_visible: bool
    discussion: list[PostOut]


class ConflictIn(Schema):
    proposal: StrictInt
    kind: str = "other"
    reason: str


class ConflictOut(Schema):
    id: int
    proposal: int
    kind: str
    source: str
    reason: str
    active: bool
    confirmed: bool


class AssignIn(Schema):
    reviewers_per_proposal: StrictInt
    max_load: StrictInt


class AssignOut(Schema):
    run: int
    status: str
    affinity: float
    reason: str
    assignments: list[dict]


class RankingLine(Schema):
    rank: int
    proposal: Ref
    score: float | None
    raw_score: float | None
    reviews: int
    spread: float | None
    stdev: float | None
    outliers: list[str]
    per_criterion: dict[str, float]
    recommendation: str
    reason: str


class ProgressOut(Schema):
    reviewer: str
    assigned: int
    submitted: int


def _review_out(a: Assignment, deadlines: dict | None = None) -> dict:
    call = a.proposal.call
    criteria = criteria_for_call(call)
    if deadlines is None:
        deadlines = {}
    if call.pk not in deadlines:
        deadlines[call.pk] = selectors.scoring_deadline(call)
    values = {s.criterion: s.value for s in a.scores.all()}
    return {
        "id": a.pk,
        "proposal": {"id": a.proposal_id, "title": a.proposal.title},
        "call": {"id": call.pk, "title": call.title},
        "reviewer": str(a.reviewer),
        "status": a.status,
        "pinned": a.pinned,
        "affinity": a.affinity,
        "scores": [
            {"criterion": s.criterion, "value": s.value, "comment": s.comment}
            for s in a.scores.all()
        ],
        "comment": a.comment,
        "total": weighted_score(criteria, values),
        "submitted_at": a.submitted_at,
        "deadline": deadlines[call.pk],
    }


def _require_reviewer(user) -> None:
    if not (is_reviewer(user) or is_officer(user)):
        raise ApiError(403, "only reviewers have reviews")


def _call(call_id: int):
    from kyoten.calls.models import Call

    try:
        return Call.objects.get(pk=call_id)
    except Call.DoesNotExist:
        raise NotFound("not found") from None


@router.get("/reviews", response=Page[ReviewOut], summary="My assignments and scores")
def list_reviews(request, page: int = 1, page_size: int = 20):
    _require_reviewer(request.auth)
    qs = selectors.reviews_of(request.auth).select_related("reviewer")
    result = paginate(qs, page, page_size)
    deadlines: dict = {}
    result["items"] = [_review_out(a, deadlines) for a in result["items"]]
    return result


@router.get("/reviews/conflicts", response=Page[ConflictOut], summary="My conflicts of interest")
def list_conflicts(request, page: int = 1, page_size: int = 50):
    _require_reviewer(request.auth)
    result = paginate(selectors.conflicts_of_reviewer(request.auth), page, page_size)
    result["items"] = [
        {
            "id": c.pk,
            "proposal": c.proposal_id,
            "kind": c.kind,
            "source": c.source,
            "reason": c.reason,
            "active": c.active,
            "confirmed": c.confirmed,
        }
        for c in result["items"]
    ]
    return result


@router.post("/reviews/conflicts", response={201: ConflictOut}, summary="Declare a conflict")
def declare_conflict(request, payload: ConflictIn):
    _require_reviewer(request.auth)
    proposal = selectors.get_proposal_for_reviewer(request.auth, payload.proposal)
    c = services.conflict_declare(
        reviewer=request.auth, proposal=proposal, kind=payload.kind, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": c.pk,
            "proposal": c.proposal_id,
            "kind": c.kind,
            "source": c.source,
            "reason": c.reason,
            "active": c.active,
            "confirmed": c.confirmed,
        },
    )


@router.get(
    "/reviews/proposals/{proposal_id}",
    response=ProposalReviewOut,
    summary="A proposal's reviews and discussion (404 for a conflicted reviewer)",
)
def proposal_reviews(request, proposal_id: int):
    user = request.auth
    proposal = selectors.get_proposal_for_reviewer(user, proposal_id)
    reviews = selectors.reviews_of_proposal(user, proposal)
    version = proposal.latest_version
    return {
        "proposal": {"id": proposal.pk, "title": proposal.title},
        "prefectures": sorted(p.code for p in proposal.prefectures.all()),
        "content": (version.content if version else proposal.content) or {},
        "criteria": [
            {
                "key": c.key,
                "label": c.label,
                "weight": c.weight,
                "scale_min": c.scale_min,
                "scale_max": c.scale_max,
            }
            for c in criteria_for_call(proposal.call)
        ],
        "reviews": [_review_out(a, {}) for a in reviews],
        "others_visible": selectors.may_see_others_scores(user, proposal),
        "discussion": [
            {"id": p.pk, "author": str(p.author), "text": p.text, "created_at": p.created_at}
            for p in selectors.discussion_of(user, proposal)
        ],
    }


@router.post(
    "/reviews/proposals/{proposal_id}/discussion",
    response={201: PostOut},
    summary="Post to a proposal's discussion",
)
def post_discussion(request, proposal_id: int, payload: PostIn):
    proposal = selectors.get_proposal_for_reviewer(request.auth, proposal_id)
    post = services.discussion_post(proposal=proposal, by=request.auth, text=payload.text)
    return Status(
        201,
        {
            "id": post.pk,
            "author": str(post.author),
            "text": post.text,
            "created_at": post.created_at,
        },
    )


@router.get("/reviews/calls/{call_id}/ranking", response=list[RankingLine], summary="Ranking")
def ranking(request, call_id: int, normalised: bool = False):
    call = _call(call_id)
    if not request.auth.has_perm("review.view_ranking", call):
        raise ApiError(403, "only the chair and the officer see the ranking")
    return _ranking_out(request.auth, call, normalised)


def _ranking_out(user, call, normalised: bool) -> list[dict]:
    return [
        {
            "rank": r.rank,
            "proposal": {"id": r.proposal.pk, "title": r.proposal.title},
            "score": r.score,
            "raw_score": r.raw_score,
            "reviews": r.reviews,
            "spread": r.spread,
            "stdev": r.stdev,
            "outliers": r.outliers,
            "per_criterion": r.per_criterion,
            "recommendation": r.recommendation,
            "reason": r.reason,
        }
        for r in selectors.ranking_for(user, call, normalised=normalised)
    ]


class RecommendationIn(Schema):
    proposal: StrictInt
    recommendation: str
    reason: str = ""


class DecisionIn(Schema):
    recommendations: list[RecommendationIn]
    normalised: bool = False
    notes: str = ""


@router.post(
    "/reviews/calls/{call_id}/decision",
    response={201: list[RankingLine]},
    summary="Record the committee's recommendation (chair; deputy chair for the chair's "
    "conflicts; officer). A proposal the recorder may not know of is 404.",
)
def record_decision(request, call_id: int, payload: DecisionIn):
    call = _call(call_id)
    if not request.auth.has_perm("review.view_ranking", call):
        raise ApiError(403, "only the chair and the officer record the recommendation")
    services.decision_record(
        call=call,
        by=request.auth,
        recommendations={r.proposal: (r.recommendation, r.reason) for r in payload.recommendations},
        normalised=payload.normalised,
        notes=payload.notes,
    )
    return Status(201, _ranking_out(request.auth, call, payload.normalised))


@router.get("/reviews/calls/{call_id}/progress", response=list[ProgressOut], summary="Progress")
def progress(request, call_id: int):
    call = _call(call_id)
    if not request.auth.has_perm("review.view_progress", call):
        raise ApiError(403, "only the chair and the officer see the progress")
    return [
        {"reviewer": r.reviewer, "assigned": r.assigned, "submitted": r.submitted}
        for r in selectors.progress(request.auth, call)
    ]


@router.post(
    "/reviews/calls/{call_id}/assign",
    response=AssignOut,
    summary="Assign reviewers (exact optimum; same solver as `kyoten assign`)",
)
def assign(request, call_id: int, payload: AssignIn):
    call = _call(call_id)
    if not is_officer(request.auth):
        raise ApiError(403, "only a program officer assigns reviewers")
    run, result = services.assignment_solve(
        call=call,
        reviewers_per_proposal=payload.reviewers_per_proposal,
        max_load=payload.max_load,
        by=request.auth,
    )
    return {
        "run": run.pk,
        "status": run.status,
        "affinity": run.affinity,
        "reason": run.reason,
        "assignments": [
            {"proposal": a.proposal_id, "reviewer": a.reviewer.username}
            for a in Assignment.objects.filter(proposal__call=call)
            .select_related("reviewer")
            .order_by("proposal_id", "reviewer__username")
        ],
    }


class ReviewMemberOut(Schema):
    id: int
    user: str
    role: str
    keywords: list[str]
    max_load: int | None


class ReviewCommitteeOut(Schema):
    id: int
    kind: str
    name: str
    call: int | None
    term_start: dt.date
    term_end: dt.date | None
    deputy_chair: str | None = Field(
        None, description="username of the deputy chair (handles the chair's conflicts)"
    )
    members: list[ReviewMemberOut]


class CommitteeIn(Schema):
    kind: str
    name: str
    term_start: dt.date
    term_end: dt.date | None = None
    call: StrictInt | None = None


class ReviewMemberIn(Schema):
    user: str = Field(description="username")
    role: str = "member"
    keywords: list[str] = Field(default_factory=list)
    max_load: StrictInt | None = None


class PhaseIn(Schema):
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class PhaseOut(Schema):
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    open: bool


def _committee_out(c: Committee) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "name": c.name,
        "call": c.call_id,
        "term_start": c.term_start,
        "term_end": c.term_end,
        "deputy_chair": c.deputy_chair.username if c.deputy_chair_id else None,
        "members": [
            {
                "id": m.pk,
                "user": m.user.username,
                "role": m.role,
                "keywords": m.keywords,
                "max_load": m.max_load,
            }
            for m in c.memberships.all()
        ],
    }


def _require_officer(user) -> None:
    if not is_officer(user):
        raise ApiError(403, "only a program officer manages committees")


@router.get(
    "/reviews/committees", response=Page[ReviewCommitteeOut], summary="Committees (officer)"
)
def list_committees(request, page: int = 1, page_size: int = 20):
    _require_officer(request.auth)
    qs = (
        Committee.objects.select_related("deputy_chair")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
        .order_by("pk")
    )
    result = paginate(qs, page, page_size)
    result["items"] = [_committee_out(c) for c in result["items"]]
    return result


@router.post(
    "/reviews/committees", response={201: ReviewCommitteeOut}, summary="Create a committee"
)
def create_committee(request, payload: CommitteeIn):
    _require_officer(request.auth)
    call = _call(payload.call) if payload.call is not None else None
    c = services.committee_create(
        kind=payload.kind,
        name=payload.name,
        term_start=payload.term_start,
        term_end=payload.term_end,
        call=call,
        by=request.auth,
    )
    return Status(201, _committee_out(c))


@router.post(
    "/reviews/committees/{committee_id}/members",
    response={201: ReviewCommitteeOut},
    summary="Add a member (R-10: nobody on both the review and the promotion committee)",
)
def add_member(request, committee_id: int, payload: ReviewMemberIn):
    _require_officer(request.auth)
    try:
        committee = Committee.objects.get(pk=committee_id)
    except Committee.DoesNotExist:
        raise NotFound("not found") from None
    try:
        user = User.objects.get(username=payload.user)
    except User.DoesNotExist:
        raise ApiError(400, f"no user {payload.user!r}", field="user") from None
    services.committee_member_add(
        committee=committee,
        user=user,
        role=payload.role,
        keywords=payload.keywords,
        max_load=payload.max_load,
        by=request.auth,
    )
    return Status(201, _committee_out(committee))


@router.get("/reviews/calls/{call_id}/phases", response=list[PhaseOut], summary="Review phases")
def list_phases(request, call_id: int):
    call = _call(call_id)
    if not (is_officer(request.auth) or selectors.membership_in_review(request.auth, call)):
        raise NotFound("not found")
    return [
        {"kind": p.kind, "starts_at": p.starts_at, "ends_at": p.ends_at, "open": p.is_open()}
        for p in selectors.phases_for(call)
    ]


@router.put("/reviews/calls/{call_id}/phases", response=list[PhaseOut], summary="Set a phase")
def set_phase(request, call_id: int, payload: PhaseIn):
    call = _call(call_id)
    _require_officer(request.auth)
    services.phase_set(
        call=call,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        by=request.auth,
    )
    return list_phases(request, call_id)


@router.get("/reviews/{review_id}", response=ReviewOut, summary="One of my reviews")
def get_review(request, review_id: int):
    return _review_out(selectors.get_review_for(request.auth, review_id))


@router.put("/reviews/{review_id}", response=ReviewOut, summary="Save my scores (draft)")
def save_review(request, review_id: int, payload: ReviewIn):
    a = selectors.get_review_for(request.auth, review_id)
    services.review_save(
        assignment=a,
        by=request.auth,
        scores=payload.scores,
        comments=payload.comments,
        comment=payload.comment,
    )
    return _review_out(selectors.get_review_for(request.auth, review_id))


@router.post("/reviews/{review_id}/submit", response=ReviewOut, summary="Submit my review")
def submit_review(request, review_id: int):
    a = selectors.get_review_for(request.auth, review_id)
    services.review_submit(assignment=a, by=request.auth)
    return _review_out(selectors.get_review_for(request.auth, review_id))
