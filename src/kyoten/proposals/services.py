"""Writes of the proposals app. Every change of a proposal goes through one of these."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.calls.models import Call, CallAmendment, CallStatus
from kyoten.calls.services import check_forms, check_money
from kyoten.core.errors import Conflict, DomainError, Forbidden
from kyoten.core.models import Prefecture
from kyoten.core.rules import is_applicant, is_officer
from kyoten.proposals.document import SIGNATORY_ROLES, parse_document
from kyoten.proposals.eligibility import ERROR, Finding, check_document, check_documents
from kyoten.proposals.models import (
    HOLDING_STATUSES,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Signature,
    content_hash,
)
from kyoten.proposals.rules import can_edit_proposal, is_participant
from kyoten.proposals.selectors import holding_documents, latest_versions

EDITABLE = {ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}
DEFAULT_CORRECTION_DAYS = 14


class SubmissionRefused(DomainError):
    """A submission that breaks a rule: the first error names rule and field; all findings kept."""

    def __init__(self, findings: list[Finding]):
        first = next(f for f in findings if f.severity == ERROR)
        super().__init__(first.message_en, field=first.field, rule=first.rule)
        self.findings = findings


def _checked_content(call: Call, raw: Any) -> dict:
    doc, problems = parse_document(raw)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DomainError(f"{first.message}{more}", field=first.field)
    # The rules count designated cities as of the call's date, whatever the document says.
    doc["call_date"] = call.designated_city_reference_date.isoformat()
    return doc


def _sync(proposal: Proposal, doc: dict, *, fallback_lead: str | None) -> list[str]:
    """Copy the queryable fields out of the document; return the participating codes."""
    proposal.content = doc
    proposal.title = (doc.get("title") or "").strip()[:300]
    proposal.requested_yen = doc.get("requested_yen")
    proposal.form = doc.get("form") if isinstance(doc.get("form"), str) else ""
    proposal.form = proposal.form[:16]
    proposal.operation_start_fy = doc.get("operation_start_fy")
    lead = doc.get("lead_prefecture") or fallback_lead
    if lead is None:
        raise DomainError(_("a lead prefecture is required"), field="lead_prefecture", rule="R-2")
    proposal.lead_prefecture_id = lead
    return list(dict.fromkeys([*(doc.get("prefectures") or []), lead]))


@transaction.atomic
def proposal_create(*, call: Call, by, content: dict | None = None) -> Proposal:
    """A draft. An applicant's own prefecture is the lead unless the document names another
    prefecture among its participants; an applicant must take part in what it creates."""
    if not (is_applicant(by) or is_officer(by)):
        raise Forbidden(_("only a prefecture's applicant may create a proposal"))
    raw = dict(content or {})
    own = by.prefecture_id if is_applicant(by) else None
    if own and not raw.get("lead_prefecture") and not raw.get("prefectures"):
        raw["lead_prefecture"], raw["prefectures"] = own, [own]
    doc = _checked_content(call, raw)
    proposal = Proposal(call=call, created_by=by, status=ProposalStatus.DRAFT)
    codes = _sync(proposal, doc, fallback_lead=own)
    if own and own not in codes:
        raise Forbidden(
            _("your prefecture must take part in a proposal you create"), field="prefectures"
        )
    proposal.save()
    proposal.prefectures.set(Prefecture.objects.filter(code__in=codes))
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )


def _void_signatures(proposal: Proposal, *, new_hash: str, now: dt.datetime) -> list[Signature]:
    voided = []
    for sig in proposal.signatures.filter(voided_at__isnull=True, signed_at__isnull=False):
        if sig.content_hash != new_hash:
            sig.voided_at = now
            sig.void_reason = "content changed after signing"
            sig.save(update_fields=["voided_at", "void_reason"])
            Signature.objects.create(
                proposal=proposal, role=sig.role, user=sig.user, requested_at=now
            )
            voided.append(sig)
    return voided


def _may_still_change(proposal: Proposal, now: dt.datetime) -> bool:
    """Drafts can always be saved; a submitted proposal only while it can be re-submitted."""
    if proposal.status == ProposalStatus.DRAFT:
        return True
    return submission_window_open(proposal, now)


def submission_window_open(proposal: Proposal, now: dt.datetime) -> bool:
    if proposal.call.accepts_submissions(now):
        return True
    return bool(
        proposal.status == ProposalStatus.RETURNED
        and proposal.correction_deadline
        and now <= proposal.correction_deadline
    )


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    by,
    content: dict,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[Proposal, list[Signature]]:
    """Save the working document; voids the signatures of an earlier content.

    `expected_revision` (autosave) makes the save compare-and-set: a save based on an older
    revision is refused with 409 instead of overwriting someone else's change.
    Returns the proposal and the signatures voided by the change.
    """
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    if not can_edit_proposal(by, proposal):
        raise Forbidden(_("you may not change this proposal"))
    if not _may_still_change(proposal, now):
        raise DomainError(
            _("the deadline has passed: this submitted proposal can no longer change"),
            field="deadline",
        )
    if expected_revision is not None and expected_revision != proposal.revision:
        raise Conflict(_("someone else saved this proposal meanwhile; reload it"), field="revision")
    doc = _checked_content(proposal.call, content)
    old_hash = content_hash(proposal.content)
    codes = _sync(proposal, doc, fallback_lead=proposal.lead_prefecture_id)
    if by.prefecture_id not in codes:
        raise Forbidden(_("your prefecture must stay among the participants"), field="prefectures")
    new_hash = content_hash(doc)
    voided = []
    if new_hash != old_hash:
        proposal.revision += 1
        proposal.updated_at = now
        voided = _void_signatures(proposal, new_hash=new_hash, now=now)
    proposal.save()
    proposal.prefectures.set(Prefecture.objects.filter(code__in=codes))
    return proposal, voided


@transaction.atomic
def signature_request(*, proposal: Proposal, by, role: str, user) -> Signature:
    """Ask `user` (a signatory login) to confirm the proposal as `role`."""
    if not can_edit_proposal(by, proposal):
        raise Forbidden(_("you may not change this proposal"))
    if role not in SIGNATORY_ROLES:
        raise DomainError(
            _("must be one of %(roles)s") % {"roles": ", ".join(SIGNATORY_ROLES)},
            field="role",
            rule="R-3",
        )
    if getattr(user, "role", None) not in {"signatory", "applicant"}:
        raise DomainError(_("only a signatory login can sign"), field="user", rule="R-3")
    now = timezone.now()
    Signature.objects.filter(proposal=proposal, role=role, voided_at__isnull=True).update(
        voided_at=now, void_reason="replaced by a new request"
    )
    return Signature.objects.create(proposal=proposal, role=role, user=user, requested_at=now)


@transaction.atomic
def proposal_sign(*, proposal: Proposal, by, role: str) -> Signature:
    """The signatory confirms the current content with their own login."""
    try:
        sig = Signature.objects.select_for_update().get(
            proposal=proposal, role=role, user=by, voided_at__isnull=True
        )
    except Signature.DoesNotExist:
        raise Forbidden(_("you have not been asked to sign this proposal"), field="role") from None
    proposal.refresh_from_db(fields=["content"])
    sig.content_hash = content_hash(proposal.content)
    sig.signed_at = timezone.now()
    sig.save(update_fields=["content_hash", "signed_at"])
    return sig


def _signature_findings(proposal: Proposal) -> list[Finding]:
    current = content_hash(proposal.content)
    signed = {
        s.role
        for s in proposal.signatures.filter(voided_at__isnull=True, signed_at__isnull=False)
        if s.content_hash == current
    }
    return [
        Finding(
            "R-3",
            f"signatures.{role}",
            "署名者が現在の内容を自身のログインで確認（署名）していません。",
            f"the {role.replace('_', ' ')} has not confirmed the current content with their login",
        )
        for role in SIGNATORY_ROLES
        if role not in signed
    ]


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by, now: dt.datetime | None = None) -> ProposalVersion:
    """Run every rule; if none fails, freeze the content as the next numbered version.

    The call row is locked so that two submissions of one call are checked one after the
    other (R-1 cannot be raced). Warnings do not stop a submission.
    """
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    if not can_edit_proposal(by, proposal):
        raise Forbidden(_("you may not submit this proposal"))
    if not submission_window_open(proposal, now):
        raise DomainError(
            _("the call does not accept submissions now (deadline %(deadline)s)")
            % {"deadline": call.deadline.isoformat()},
            field="deadline",
        )
    doc = _checked_content(call, proposal.content)
    findings = check_document(
        doc, call.settings(), others=holding_documents(call, exclude=proposal)
    )
    if call.program.require_electronic_signatures:
        findings += _signature_findings(proposal)
    if any(f.severity == ERROR for f in findings):
        raise SubmissionRefused(findings)
    number = (
        proposal.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        revision_round=call.revision_round,
        title=proposal.title,
        content=doc,
        content_hash=content_hash(doc),
        requested_yen=doc["requested_yen"],
        findings=[f.as_dict() for f in findings],
        submitted_at=now,
        submitted_by=by,
    )
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = now
    proposal.recheck_findings = []
    proposal.correction_deadline = None
    proposal.save(
        update_fields=["status", "submitted_at", "recheck_findings", "correction_deadline"]
    )
    return version


@transaction.atomic
def proposal_return(
    *, proposal: Proposal, by, message: str, correction_deadline: dt.datetime | None = None
) -> Proposal:
    """The officer sends a submitted proposal back for correction, with a message."""
    if not is_officer(by):
        raise Forbidden(_("only a program officer may return a proposal"))
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise DomainError(_("only a submitted proposal can be returned"), field="status")
    if not message.strip():
        raise DomainError(_("tell the applicant what to correct"), field="message")
    proposal.status = ProposalStatus.RETURNED
    proposal.return_message = message.strip()
    proposal.correction_deadline = correction_deadline or max(
        proposal.call.deadline, timezone.now() + dt.timedelta(days=DEFAULT_CORRECTION_DAYS)
    )
    proposal.save(update_fields=["status", "return_message", "correction_deadline"])
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    if not (is_participant(by, proposal) and is_applicant(by)):
        raise Forbidden(_("only the proposal's prefectures may withdraw it"))
    proposal = _locked(proposal)
    if proposal.status not in EDITABLE:
        raise DomainError(_("this proposal can no longer be withdrawn"), field="status")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    return proposal


@transaction.atomic
def proposal_acknowledge_warnings(*, proposal: Proposal, by) -> Proposal:
    """R-2: the officer acknowledges the warning about a non-neighbouring consortium."""
    if not is_officer(by):
        raise Forbidden(_("only a program officer may acknowledge a warning"))
    proposal.warnings_acknowledged_by = by
    proposal.save(update_fields=["warnings_acknowledged_by"])
    return proposal


@transaction.atomic
def proposal_set_outcome(*, proposal: Proposal, by, adopted: bool, category: str = "") -> Proposal:
    """Record the selection result (used by the allocation app)."""
    if not is_officer(by):
        raise Forbidden(_("only a program officer may record a selection"))
    proposal = _locked(proposal)
    if proposal.status not in {
        ProposalStatus.SUBMITTED,
        ProposalStatus.ADOPTED,
        ProposalStatus.NOT_ADOPTED,
    }:
        raise DomainError(_("only a submitted proposal can be selected"), field="status")
    proposal.status = ProposalStatus.ADOPTED if adopted else ProposalStatus.NOT_ADOPTED
    proposal.category = category
    proposal.save(update_fields=["status", "category"])
    return proposal


PDF_MAGIC = b"%PDF-"


@transaction.atomic
def attachment_add(
    *, proposal: Proposal, by, name: str, data: bytes, description: str = ""
) -> Attachment:
    """A PDF attachment, size-limited, stored under MEDIA_ROOT (outside the web root)."""
    if not can_edit_proposal(by, proposal):
        raise Forbidden(_("you may not change this proposal"))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("the file is larger than %(mb)d MB") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="file",
        )
    if not data.startswith(PDF_MAGIC) or not name.lower().endswith(".pdf"):
        raise DomainError(_("only PDF files may be attached"), field="file")
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        proposal=proposal,
        original_name=name.replace("/", "_").replace("\\", "_")[:200],
        size=len(data),
        sha256=digest,
        description=description[:200],
        uploaded_by=by,
    )
    attachment.file.save(f"{digest[:16]}.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    if not can_edit_proposal(by, attachment.proposal):
        raise Forbidden(_("you may not change this proposal"))
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def call_amend(
    *,
    call: Call,
    by,
    deadline: dt.datetime,
    message: str = "",
    budget_yen: int | None = None,
    cap_yen: int | None = None,
    allowed_forms: list[str] | None = None,
    categories: list[dict] | None = None,
    now: dt.datetime | None = None,
) -> CallAmendment:
    """Amend a call after proposals are in and open a revision round (SPEC §3, 2009).

    Every proposal that holds a place is re-checked at once against the amended rules;
    those that no longer fit are returned with the findings, all may re-submit until the
    round's deadline, and every earlier version stays as it was.
    """
    now = now or timezone.now()
    if not is_officer(by):
        raise Forbidden(_("only a program officer may amend a call"))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if deadline <= now:
        raise DomainError(
            _("the revision round's deadline must be in the future"), field="deadline"
        )
    changes: dict[str, list] = {}
    new = {
        "budget_yen": call.budget_yen if budget_yen is None else budget_yen,
        "cap_yen": call.cap_yen if cap_yen is None else cap_yen,
    }
    check_money(**new)
    new["allowed_forms"] = check_forms(
        call.allowed_forms if allowed_forms is None else allowed_forms
    )
    new["categories"] = call.categories if categories is None else categories
    for name, value in new.items():
        if getattr(call, name) != value:
            changes[name] = [getattr(call, name), value]
            setattr(call, name, value)
    changes["deadline"] = [call.deadline.isoformat(), deadline.isoformat()]
    call.deadline = deadline
    call.revision_round += 1
    call.status = CallStatus.REVISION
    call.save()
    amendment = CallAmendment.objects.create(
        call=call, round=call.revision_round, changes=changes, message=message, deadline=deadline,
        created_by=by, created_at=now,
    )  # fmt: skip
    holders = list(Proposal.objects.filter(call=call, status__in=HOLDING_STATUSES))
    versions = latest_versions(holders)
    docs = [(f"#{p.pk} {p.title}", versions[p.pk].content if p.pk in versions else p.content)
            for p in holders]  # fmt: skip
    for proposal, findings in zip(holders, check_documents(docs, call.settings()), strict=True):
        proposal.recheck_findings = [f.as_dict() for f in findings]
        fields = ["recheck_findings"]
        if (
            any(f.severity == ERROR for f in findings)
            and proposal.status == ProposalStatus.SUBMITTED
        ):
            proposal.status = ProposalStatus.RETURNED
            proposal.return_message = message or _(
                "The call was amended; the proposal no longer fits."
            )
            fields += ["status", "return_message"]
        proposal.save(update_fields=fields)
    return amendment
