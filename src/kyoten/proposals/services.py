"""Writes of the proposals app. Every change of a proposal goes through one of these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.calls.models import Call, CallAmendment, CallStatus
from kyoten.calls.services import check_forms, check_money
from kyoten.core.dates import format_moment
from kyoten.core.enums import Role
from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.history import Change
from kyoten.core.locking import conflict
from kyoten.core.models import Prefecture
from kyoten.core.rules import is_applicant, is_officer, is_signatory
from kyoten.core.selectors import users_with_role
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify
from kyoten.proposals.document import SIGNATORY_ROLES, parse_document
from kyoten.proposals.eligibility import (
    ERROR,
    Finding,
    check_document,
    check_documents,
    field_label,
)
from kyoten.proposals.models import (
    HOLDING_STATUSES,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    CategoryChange,
    Partnership,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    SignatoryRole,
    Signature,
    content_hash,
)
from kyoten.proposals.rules import can_edit_proposal, is_participant
from kyoten.proposals.selectors import (
    holding_documents,
    latest_versions,
    partner_findings,
)

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
    if own and proposal.lead_prefecture_id != own:
        raise Forbidden(
            _("a new proposal is led by your own prefecture; partners join by invitation"),
            field="lead_prefecture",
            rule="R-2",
        )
    proposal.save()
    _set_participants(proposal, codes, by=by, agreed={proposal.lead_prefecture_id})
    return proposal


def _set_participants(proposal: Proposal, codes: list[str], *, by, agreed: set[str]) -> None:
    """R-2 by consent: the lead and the prefectures that accepted take part; every other
    prefecture the document names is invited (its applicants are told) and waits."""
    wanted = set(codes)
    answered = {
        p.prefecture_id: p.accepted for p in proposal.partnerships.filter(prefecture__in=wanted)
    }
    accepted = {code for code, yes in answered.items() if yes}
    participants = (agreed | accepted) & wanted
    participants.add(proposal.lead_prefecture_id)
    proposal.prefectures.set(Prefecture.objects.filter(code__in=participants))
    proposal.partnerships.exclude(prefecture__in=wanted).filter(accepted__isnull=True).delete()
    for code in sorted(wanted - participants):
        if answered.get(code) is None and code in answered:
            continue  # already invited, waiting
        Partnership.objects.update_or_create(
            proposal=proposal, prefecture_id=code,
            defaults={"invited_by": by, "invited_at": timezone.now(), "accepted": None,
                      "answered_by": None, "answered_at": None},
        )  # fmt: skip
        notify(
            recipients=users_with_role(Role.APPLICANT, prefectures=[code]),
            kind=NoticeKind.PARTNER_INVITED,
            message=gettext_lazy(
                "%(lead)s invites your prefecture to join the consortium proposal “%(title)s”."
            ),
            params={"lead": proposal.lead_prefecture.name_ja, "title": str(proposal)},
            url=reverse("proposals:partnerships"),
        )


@transaction.atomic
def partnership_answer(*, partnership: Partnership, by, accept: bool) -> Partnership:
    """The invited prefecture's applicant accepts (it becomes a participant) or declines."""
    if not (is_applicant(by) and by.prefecture_id == partnership.prefecture_id):
        raise NotFound(_("no such invitation"))
    proposal = _locked(partnership.proposal)
    row = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if row.accepted is not None:
        raise DomainError(_("this invitation has been answered"), field="accept")
    if proposal.status not in EDITABLE:
        raise DomainError(_("this proposal can no longer change"), field="status")
    if accept:
        elsewhere = (
            Proposal.objects.filter(call=proposal.call, prefectures=row.prefecture_id)
            .exclude(pk=proposal.pk)
            .exclude(status=ProposalStatus.WITHDRAWN)
            .first()
        )
        if elsewhere is not None:
            raise DomainError(
                _("your prefecture already takes part in “%(title)s” of this call")
                % {"title": str(elsewhere)},
                field="accept",
                rule="R-1",
            )
        proposal.prefectures.add(row.prefecture_id)
    row.accepted = accept
    row.answered_by = by
    row.answered_at = timezone.now()
    row.save(update_fields=["accepted", "answered_by", "answered_at"])
    notify(
        recipients=users_with_role(Role.APPLICANT, prefectures=[proposal.lead_prefecture_id]),
        kind=NoticeKind.PARTNER_ACCEPTED if accept else NoticeKind.PARTNER_DECLINED,
        message=gettext_lazy("%(pref)s has agreed to join the consortium proposal “%(title)s”.")
        if accept
        else gettext_lazy("%(pref)s has declined to join the consortium proposal “%(title)s”."),
        params={"pref": row.prefecture.name_ja, "title": str(proposal)},
        url=reverse("proposals:edit", args=[proposal.pk]),
    )
    return row


@transaction.atomic
def proposal_partners_may_edit(*, proposal: Proposal, by, allowed: bool) -> Proposal:
    if not (is_applicant(by) and by.prefecture_id == proposal.lead_prefecture_id):
        raise Forbidden(_("only the lead prefecture decides who edits"))
    proposal.partners_may_edit = allowed
    proposal.save(update_fields=["partners_may_edit"])
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
            notify(
                recipients=[sig.user],
                kind=NoticeKind.SIGNATURE_VOIDED,
                message=gettext_lazy(
                    "The proposal “%(title)s” changed after you signed it: please read it and "
                    "sign again."
                ),
                params={"title": str(proposal)},
                url=reverse("proposals:edit", args=[proposal.pk]),
            )
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
    seen: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Proposal, list[Signature]]:
    """Save the working document; voids the signatures of an earlier content.

    `expected_revision` (autosave) makes the save compare-and-set: a save based on an older
    revision is refused with 409 instead of overwriting someone else's change.
    `seen` (an editor part's `part_digests` as drawn): refuse to overwrite a part of the
    document someone else changed since, naming who and when (`EditConflict`).
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
    _check_parts_seen(proposal, content, seen)
    doc = _checked_content(proposal.call, content)
    old_hash = content_hash(proposal.content)
    before = set(proposal.prefectures.values_list("code", flat=True)) | {
        proposal.lead_prefecture_id
    }
    codes = _sync(proposal, doc, fallback_lead=proposal.lead_prefecture_id)
    if by.prefecture_id not in codes:
        raise Forbidden(_("your prefecture must stay among the participants"), field="prefectures")
    if proposal.lead_prefecture_id not in before:
        # Changing the lead never adds a prefecture silently: the new lead must have agreed.
        raise DomainError(
            _("the lead must be a prefecture that already takes part"),
            field="lead_prefecture",
            rule="R-2",
        )
    new_hash = content_hash(doc)
    voided = []
    if new_hash != old_hash:
        proposal.revision += 1
        proposal.updated_at = now
        voided = _void_signatures(proposal, new_hash=new_hash, now=now)
    proposal.save()
    _set_participants(proposal, codes, by=by, agreed=before)
    return proposal, voided


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def part_digests(content: dict, keys) -> str:
    """What an editor part carries as `seen`: a short digest of each of its keys' values."""
    return ";".join(f"{key}={_digest(content.get(key))}" for key in keys)


def _check_parts_seen(proposal: Proposal, content: dict, seen: str | None) -> None:
    """Optimistic locking (issue 17 item 9): a key this save changes that someone else changed
    since the part was drawn is a conflict; keys nobody else touched save as usual."""
    drawn = dict(pair.split("=", 1) for pair in (seen or "").split(";") if "=" in pair)
    current = proposal.content or {}
    clashing = [
        key
        for key, digest in drawn.items()
        if _digest(current.get(key)) != digest and content.get(key) != current.get(key)
    ]
    if not clashing:
        return
    last = proposal.history.order_by("-history_id").first()
    who = str(last.history_user) if last and last.history_user else _("someone")
    changes = [
        Change(
            when=proposal.updated_at, who=who, kind="~",
            fields=[(field_label(key), "", _shown(current.get(key)))],
            names=[(key, None, current.get(key))],
        )
        for key in clashing
    ]  # fmt: skip
    raise conflict(
        who=who,
        when=proposal.updated_at,
        labels=[str(field_label(key)) for key in clashing],
        changes=changes,
        seen=part_digests(current, drawn),
        field=clashing[0],
    )


def _shown(value: Any) -> str:
    """Another person's text of a part, as words (no JSON): strings, then strings within."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " / ".join(text for item in value.values() if (text := _shown(item)))
    if isinstance(value, list):
        return " / ".join(text for item in value if (text := _shown(item)))
    return "" if value is None else str(value)


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
    if not (is_signatory(user) or is_applicant(user)):
        raise DomainError(_("only a signatory login can sign"), field="user", rule="R-3")
    now = timezone.now()
    Signature.objects.filter(proposal=proposal, role=role, voided_at__isnull=True).update(
        voided_at=now, void_reason="replaced by a new request"
    )
    signature = Signature.objects.create(proposal=proposal, role=role, user=user, requested_at=now)
    notify(
        recipients=[user],
        kind=NoticeKind.SIGNATURE_REQUESTED,
        message=gettext_lazy("%(by)s asks you to sign the proposal “%(title)s” as %(role)s."),
        params={"by": str(by), "title": str(proposal), "role": SignatoryRole(role).label},
        url=reverse("proposals:edit", args=[proposal.pk]),
    )
    return signature


@transaction.atomic
def proposal_sign(*, proposal: Proposal, by, role: str, digest: str | None = None) -> Signature:
    """The signatory confirms the current content with their own login.

    With `digest` (the page shows what is signed), a content that changed meanwhile is refused
    instead of signed unseen.
    """
    try:
        sig = Signature.objects.select_for_update().get(
            proposal=proposal, role=role, user=by, voided_at__isnull=True
        )
    except Signature.DoesNotExist:
        raise Forbidden(_("you have not been asked to sign this proposal"), field="role") from None
    proposal.refresh_from_db(fields=["content"])
    current = content_hash(proposal.content)
    if digest is not None and digest != current:
        raise Conflict(
            _("the proposal changed while you read it: read the current content, then sign"),
            field="digest",
            rule="R-3",
        )
    sig.content_hash = current
    sig.signed_at = timezone.now()
    sig.save(update_fields=["content_hash", "signed_at"])
    notify(
        recipients=applicants_of(proposal),
        kind=NoticeKind.SIGNATURE_GIVEN,
        message=gettext_lazy("%(who)s has signed the proposal “%(title)s” as %(role)s."),
        params={"who": str(by), "title": str(proposal), "role": SignatoryRole(role).label},
        url=reverse("proposals:edit", args=[proposal.pk]),
    )
    return sig


def applicants_of(proposal: Proposal):
    """The applicant staff of every prefecture that takes part in the proposal."""
    codes = set(proposal.prefectures.values_list("code", flat=True))
    codes.add(proposal.lead_prefecture_id)
    return users_with_role(Role.APPLICANT, prefectures=codes)


def applicants_of_call(call: Call):
    """The applicant staff of every prefecture that leads or takes part in a proposal of the
    call (withdrawn ones aside)."""
    proposals = Proposal.objects.filter(call=call).exclude(status=ProposalStatus.WITHDRAWN)
    codes = set(proposals.values_list("lead_prefecture_id", flat=True))
    codes |= set(proposals.values_list("prefectures__code", flat=True))
    codes.discard(None)
    return users_with_role(Role.APPLICANT, prefectures=codes)


def _tell_returned(proposal: Proposal, message: str) -> None:
    notify(
        recipients=applicants_of(proposal),
        kind=NoticeKind.PROPOSAL_RETURNED,
        message=gettext_lazy(
            "The proposal “%(title)s” is returned for revision (until %(deadline)s): %(message)s"
        ),
        params={
            "title": str(proposal),
            "deadline": date_format(
                timezone.localtime(proposal.correction_deadline or proposal.call.deadline),
                "DATETIME_FORMAT",
            ),
            "message": message[:200],
        },
        url=reverse("proposals:edit", args=[proposal.pk]),
    )


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
            % {"deadline": format_moment(call.deadline)},
            field="deadline",
        )
    doc = _checked_content(call, proposal.content)
    findings = check_document(
        doc, call.settings(), others=holding_documents(call, exclude=proposal)
    )
    if call.program.require_electronic_signatures:
        findings += _signature_findings(proposal)
    findings += partner_findings(proposal)
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
    _tell_returned(proposal, proposal.return_message)
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
    proposal.decision_published_at = None  # a new decision is private until published
    proposal.save(update_fields=["status", "category", "decision_published_at"])
    return proposal


@transaction.atomic
def proposals_publish_outcome(*, proposals: list[Proposal], by, at: dt.datetime) -> int:
    """The decision is published: the applicants may now know their outcome."""
    if not is_officer(by):
        raise Forbidden(_("only a program officer may publish a decision"))
    return Proposal.objects.filter(
        pk__in=[p.pk for p in proposals],
        status__in=[ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED],
    ).update(decision_published_at=at)


def proposal_category_change(*, proposal: Proposal, by, category: str, reason: str) -> Proposal:
    """The officer puts a proposal in another selection category of its call, with a reason.

    The applicant's choice stays in their document; `Proposal.category` overrides it for the
    review and the allocation, and every change is recorded (`CategoryChange`).
    """
    if not is_officer(by):
        raise Forbidden(_("only a program officer may change a proposal's category"))
    proposal = _locked(proposal)
    keys = [c.get("key") for c in proposal.call.categories or [] if isinstance(c, dict)]
    if category not in keys:
        raise DomainError(
            _("choose one of the call's selection categories"), field="category", rule="R-8"
        )
    if not (reason or "").strip():
        raise DomainError(_("give the reason for the change"), field="reason")
    before = proposal.category or (proposal_document(proposal).get("category") or "")
    if before == category:
        raise DomainError(_("the proposal is already in this category"), field="category")
    CategoryChange.objects.create(
        proposal=proposal, before=before, after=category, reason=reason.strip(), changed_by=by
    )
    proposal.category = category
    proposal.save(update_fields=["category"])
    return proposal


def proposal_document(proposal: Proposal) -> dict:
    """What review and allocation read: the latest submitted version, else the working copy."""
    version = proposal.latest_version
    return (version.content if version else proposal.content) or {}


OFFICER_OPTION_LABEL = "review"


@transaction.atomic
def proposal_option_add(
    *, proposal: Proposal, by, amount_yen: int, drops: str, reason: str
) -> dict:
    """The officer adds a reduced plan at the review's request (SPEC §4 `options`).

    It costs less than the full request, says what it drops and why; the allocation may then
    choose it like the applicant's own plans.
    """
    if not is_officer(by):
        raise Forbidden(_("only a program officer may add a plan"))
    proposal = _locked(proposal)
    requested = proposal_document(proposal).get("requested_yen") or proposal.requested_yen or 0
    if not isinstance(amount_yen, int) or isinstance(amount_yen, bool) or amount_yen <= 0:
        raise DomainError(_("enter a positive whole number of yen"), field="amount_yen")
    if amount_yen >= requested:
        raise DomainError(
            _("a reduced plan costs less than the full request"), field="amount_yen", rule="R-8"
        )
    if not (drops or "").strip():
        raise DomainError(_("say what the reduced plan drops"), field="drops")
    if not (reason or "").strip():
        raise DomainError(_("give the review's request as the reason"), field="reason")
    taken = {o.get("label") for o in proposal.officer_options}
    label = OFFICER_OPTION_LABEL
    n = 1
    while label in taken:
        n += 1
        label = f"{OFFICER_OPTION_LABEL}{n}"
    option = {
        "label": label,
        "amount_yen": amount_yen,
        "drops": drops.strip(),
        "reason": reason.strip(),
        "by": by.username,
        "at": timezone.now().isoformat(),
    }
    proposal.officer_options = [*proposal.officer_options, option]
    proposal.save(update_fields=["officer_options"])
    return option


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
    returned = []
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
            returned.append(proposal)
        proposal.save(update_fields=fields)
    notify(
        recipients=applicants_of_call(call),
        kind=NoticeKind.CALL_AMENDED,
        message=gettext_lazy(
            "The call “%(title)s” is amended; proposals may be revised until %(deadline)s."
        ),
        params={
            "title": call.title,
            "deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT"),
        },
        url=reverse("calls:detail", args=[call.pk]),
    )
    for proposal in returned:
        _tell_returned(proposal, proposal.return_message)
    return amendment
