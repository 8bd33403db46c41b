"""API: /api/v1/proposals (SPEC §4).

`POST /api/v1/proposals/{id}/submit` runs every rule; when one fails it answers 400 with the
first failing rule's `rule` and `field` and the list of all `findings`. Applicants see and
change only the proposals their prefecture takes part in; nobody changes a submitted version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, StrictInt

from kyoten.api.common import ApiError, Page, paginate
from kyoten.calls.selectors import get_call_for, open_calls
from kyoten.proposals import selectors, services
from kyoten.proposals.eligibility import Finding
from kyoten.proposals.models import Proposal, ProposalStatus

router = Router(tags=["proposals"])


class FindingOut(Schema):
    rule: str
    field: str
    message: str
    message_ja: str
    message_en: str
    severity: str


def finding_out(f: Finding | dict) -> dict:
    d = f.as_dict() if isinstance(f, Finding) else dict(f)
    return {**d, "message": d["message_en"]}


class ProposalOut(Schema):
    id: int
    call: int
    title: str
    lead_prefecture: str
    prefectures: list[str]
    status: str
    requested_yen: int | None
    form: str
    operation_start_fy: int | None
    category: str
    version: int | None
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    return_message: str


class VersionOut(Schema):
    number: int
    revision_round: int
    title: str
    requested_yen: int
    submitted_at: dt.datetime
    submitted_by: str


class VersionDetail(VersionOut):
    content: dict[str, Any]


class SignatureOut(Schema):
    role: str
    user: str
    signed: bool
    voided: bool
    signed_at: dt.datetime | None


class ProposalDetail(ProposalOut):
    content: dict[str, Any]
    findings: list[FindingOut]
    recheck_findings: list[FindingOut]
    versions: list[VersionOut]
    signatures: list[SignatureOut]


class SubmitOut(ProposalOut):
    findings: list[FindingOut]


def proposal_out(p: Proposal, *, version: int | None = None, viewer=None) -> dict:
    """A proposal for the API; an outcome not yet published is `submitted` to whoever may not
    know it yet (the viewer; without one, to everyone)."""
    codes = sorted({x.code for x in p.prefectures.all()} | {p.lead_prefecture_id})
    if version is None:
        version = p.versions.order_by("-number").values_list("number", flat=True).first()
    return {
        "id": p.pk, "call": p.call_id, "title": p.title, "lead_prefecture": p.lead_prefecture_id,
        "prefectures": codes, "status": selectors.status_value(viewer, p) if viewer else p.status if p.outcome_public else "submitted", "requested_yen": p.requested_yen,
        "form": p.form, "operation_start_fy": p.operation_start_fy, "category": p.category,
        "version": version, "revision": p.revision, "created_at": p.created_at,
        "updated_at": p.updated_at, "submitted_at": p.submitted_at,
        "return_message": p.return_message,
    }  # fmt: skip


def version_out(v) -> dict:
    return {
        "number": v.number, "revision_round": v.revision_round, "title": v.title,
        "requested_yen": v.requested_yen, "submitted_at": v.submitted_at,
        "submitted_by": v.submitted_by.username, "content": v.content,
    }  # fmt: skip


def proposal_detail(p: Proposal, viewer=None) -> dict:
    versions = list(p.versions.select_related("submitted_by").order_by("number"))
    return {
        **proposal_out(p, version=versions[-1].number if versions else None, viewer=viewer),
        "content": p.content,
        "findings": [finding_out(f) for f in selectors.proposal_findings(p)],
        "recheck_findings": [finding_out(f) for f in p.recheck_findings],
        "versions": [version_out(v) for v in versions],
        "signatures": [
            {
                "role": s.role,
                "user": s.user.username,
                "signed": s.signed_at is not None,
                "voided": s.voided_at is not None,
                "signed_at": s.signed_at,
            }
            for s in p.signatures.select_related("user").order_by("role", "pk")
        ],  # fmt: skip
    }


class ProposalIn(Schema):
    """`{"call": id, "content": {proposal file}}`; the file's keys may also come at the top level.

    Without `call`, the newest call that accepts submissions now."""

    model_config = ConfigDict(extra="allow")
    call: StrictInt | None = None
    content: dict[str, Any] | None = None


class ProposalUpdate(Schema):
    """`{"content": {proposal file}, "revision": n}` (revision optional: compare-and-set)."""

    model_config = ConfigDict(extra="allow")
    content: dict[str, Any] | None = None
    revision: StrictInt | None = None


class ReturnIn(Schema):
    message: str
    correction_deadline: dt.datetime | None = None


class SignIn(Schema):
    role: str


class AmendIn(Schema):
    deadline: dt.datetime
    message: str = ""
    budget_yen: StrictInt | None = None
    cap_yen: StrictInt | None = None
    allowed_forms: list[str] | None = None
    categories: list[dict] | None = None


def _document(request, payload: Schema, *, skip: set[str]) -> dict:
    """The proposal document of a request: `content`, or else the body's other keys."""
    if payload.content is not None:
        return payload.content
    raw = json.loads(request.body or b"{}")
    return {k: v for k, v in raw.items() if k not in skip}


@router.get("/proposals", response=Page[ProposalOut])
def proposal_list(
    request, call: int | None = None, status: str | None = None, page: int = 1, page_size: int = 20
):
    """Proposals the user may see (applicants: their prefecture's)."""
    qs = selectors.proposals_visible_to(request.auth).prefetch_related("prefectures")
    if call is not None:
        qs = qs.filter(call_id=call)
    if status is not None:
        if status not in ProposalStatus.values:
            raise ApiError(
                400,
                _("must be one of %(values)s") % {"values": ", ".join(ProposalStatus.values)},
                field="status",
            )
        qs = qs.filter(status=status)
    result = paginate(qs.order_by("pk"), page, page_size)
    versions = selectors.latest_versions(result["items"])
    result["items"] = [
        proposal_out(
            p, version=versions[p.pk].number if p.pk in versions else 0, viewer=request.auth
        )
        for p in result["items"]
    ]
    for item in result["items"]:
        item["version"] = item["version"] or None
    return result


@router.post("/proposals", response={201: ProposalDetail})
def proposal_create(request, payload: ProposalIn):
    """Create a draft from a proposal document (SPEC §4 file format)."""
    if payload.call is None:
        # Without a call: the newest call that accepts submissions now.
        call = next((c for c in open_calls(request.auth) if c.accepts_submissions()), None)
        if call is None:
            raise ApiError(400, _("no call accepts proposals now; name the call"), field="call")
    else:
        call = get_call_for(request.auth, payload.call)
    proposal = services.proposal_create(
        call=call, by=request.auth, content=_document(request, payload, skip={"call"})
    )
    return Status(201, proposal_detail(proposal))


@router.get("/proposals/{proposal_id}", response=ProposalDetail)
def proposal_get(request, proposal_id: int):
    return proposal_detail(
        selectors.get_proposal_for(request.auth, proposal_id), viewer=request.auth
    )


def _update(request, proposal_id: int, payload: ProposalUpdate):
    proposal = selectors.get_proposal_for(request.auth, proposal_id, write=True)
    proposal, _ = services.proposal_update(
        proposal=proposal,
        by=request.auth,
        content=_document(request, payload, skip={"revision"}),
        expected_revision=payload.revision,
    )
    return proposal_detail(proposal)


@router.put("/proposals/{proposal_id}", response=ProposalDetail)
def proposal_put(request, proposal_id: int, payload: ProposalUpdate):
    """Replace the working document (not a submitted version: those never change)."""
    return _update(request, proposal_id, payload)


@router.patch("/proposals/{proposal_id}", response=ProposalDetail)
def proposal_patch(request, proposal_id: int, payload: ProposalUpdate):
    """Change some top-level keys of the working document."""
    proposal = selectors.get_proposal_for(request.auth, proposal_id, write=True)
    merged = {**proposal.content, **_document(request, payload, skip={"revision"})}
    proposal, _ = services.proposal_update(
        proposal=proposal, by=request.auth, content=merged, expected_revision=payload.revision
    )
    return proposal_detail(proposal)


@router.post("/proposals/{proposal_id}/submit", response={200: SubmitOut, 400: dict})
def proposal_submit(request, proposal_id: int):
    """Run every rule; freeze a new numbered version, or 400 with the first failing rule."""
    proposal = selectors.get_proposal_for(request.auth, proposal_id, write=True)
    try:
        version = services.proposal_submit(proposal=proposal, by=request.auth, now=timezone.now())
    except services.SubmissionRefused as refused:
        return Status(
            400,
            {
                "detail": refused.text,
                "rule": refused.rule,
                "field": refused.field,
                "findings": [finding_out(f) for f in refused.findings],
            },
        )
    proposal.refresh_from_db()
    return {
        **proposal_out(proposal, version=version.number),
        "findings": [finding_out(f) for f in version.findings],
    }


@router.get("/proposals/{proposal_id}/findings", response=list[FindingOut])
def proposal_findings(request, proposal_id: int):
    """The live checklist: every finding of the working document."""
    proposal = selectors.get_proposal_for(request.auth, proposal_id)
    return [finding_out(f) for f in selectors.proposal_findings(proposal)]


@router.get("/proposals/{proposal_id}/versions", response=list[VersionDetail])
def proposal_versions(request, proposal_id: int):
    proposal = selectors.get_proposal_for(request.auth, proposal_id)
    return [version_out(v) for v in proposal.versions.select_related("submitted_by")]


@router.post("/proposals/{proposal_id}/return", response=ProposalOut)
def proposal_return(request, proposal_id: int, payload: ReturnIn):
    """Officer: send back for correction with a message."""
    proposal = selectors.get_proposal_for(request.auth, proposal_id)
    services.proposal_return(
        proposal=proposal,
        by=request.auth,
        message=payload.message,
        correction_deadline=payload.correction_deadline,
    )
    proposal.refresh_from_db()
    return proposal_out(proposal)


@router.post("/proposals/{proposal_id}/sign", response=SignatureOut)
def proposal_sign(request, proposal_id: int, payload: SignIn):
    """A signatory confirms the current content with their own login."""
    proposal = selectors.get_proposal_for(request.auth, proposal_id)
    sig = services.proposal_sign(proposal=proposal, by=request.auth, role=payload.role)
    return {"role": sig.role, "user": sig.user.username, "signed": True, "voided": False,
            "signed_at": sig.signed_at}  # fmt: skip


@router.post("/calls/{call_id}/amend", response={201: dict}, tags=["calls"])
def call_amend(request, call_id: int, payload: AmendIn):
    """Officer: amend a call, re-check every proposal, open a revision round."""
    call = get_call_for(request.auth, call_id)
    amendment = services.call_amend(call=call, by=request.auth, **payload.dict())
    returned = Proposal.objects.filter(call=call, status=ProposalStatus.RETURNED).count()
    return Status(
        201,
        {"round": amendment.round, "deadline": amendment.deadline.isoformat(),
         "changes": amendment.changes, "returned_proposals": returned},
    )  # fmt: skip
