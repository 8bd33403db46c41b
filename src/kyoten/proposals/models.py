"""Proposals (提案): the working document, its frozen versions, signatures and attachments.

`Proposal.content` holds the document in the SPEC §4 proposal-file format, the very dict the
rules engine (`eligibility.check_document`) checks. `requested_yen`, `form`,
`operation_start_fy`, `lead_prefecture` and `prefectures` are copies of it kept for queries.
A submission freezes the content into an immutable, numbered `ProposalVersion`; reviewers and
the allocation read the latest version (`Proposal.latest_version`), never the working copy.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.calls.program import FORM_LABELS

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def content_hash(content: dict) -> str:
    """SHA-256 of the document in a canonical JSON form (what a signature is for)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


# Statuses in which a proposal holds its prefectures' one place in the call (R-1).
HOLDING_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.RETURNED,
    ProposalStatus.ADOPTED,
    ProposalStatus.NOT_ADOPTED,
)


class FormChoice(models.TextChoices):
    NEW = "new", FORM_LABELS["new"]
    EXTENSION = "extension", FORM_LABELS["extension"]
    JOINT = "joint", FORM_LABELS["joint"]
    EQUIPMENT_ONLY = "equipment_only", FORM_LABELS["equipment_only"]


class Proposal(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=300, blank=True)
    lead_prefecture = models.ForeignKey(
        "core.Prefecture", on_delete=models.PROTECT, related_name="led_proposals",
        verbose_name=_("lead prefecture"),
    )  # fmt: skip
    prefectures = models.ManyToManyField(
        "core.Prefecture", related_name="proposals", verbose_name=_("participating prefectures")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    content = models.JSONField(_("content"), default=dict)
    requested_yen = models.BigIntegerField(_("requested amount (yen)"), null=True, blank=True)
    form = models.CharField(_("form"), max_length=16, blank=True)
    operation_start_fy = models.PositiveIntegerField(
        _("operation starts (FY)"), null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    return_message = models.TextField(_("message from the officer"), blank=True)
    correction_deadline = models.DateTimeField(
        _("corrections accepted until"), null=True, blank=True,
        help_text=_("Set when an officer returns a proposal for correction after the deadline."),
    )  # fmt: skip
    # Findings of the last re-check after a call amendment (list of Finding dicts).
    recheck_findings = models.JSONField(default=list, blank=True)
    warnings_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Compare-and-set guard for autosave: a save names the revision it started from.
    revision = models.PositiveIntegerField(default=0)
    # The selection result (adopted / not adopted) is known to the applicants only once the
    # decision is published; until then they see 審査中.
    decision_published_at = models.DateTimeField(_("decision published at"), null=True, blank=True)
    # partners read the proposal; they edit it only when the lead allows.
    partners_may_edit = models.BooleanField(_("partner prefectures may edit"), default=False)
    # Plans the officer adds at the review's request, beside the applicant's own (SPEC §4
    # `options`): [{"label", "amount_yen", "drops", "reason", "by", "at"}].
    officer_options = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["call", "lead_prefecture", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["call", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_yen__isnull=True) | models.Q(requested_yen__gte=0),
                name="proposal_requested_yen_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def outcome_public(self) -> bool:
        decided = self.status in (ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED)
        return not decided or self.decision_published_at is not None

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)

    @property
    def latest_version(self) -> ProposalVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def form_label(self) -> str:
        return str(FORM_LABELS.get(self.form, self.form))


class CategoryChange(models.Model):
    """The officer moves a proposal to another selection category of its call, with a reason."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="category_changes"
    )
    before = models.CharField(_("category before"), max_length=40, blank=True)
    after = models.CharField(_("category after"), max_length=40)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "changed_at", "pk"]
        verbose_name = _("category change")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.before or '—'} → {self.after}"


class ProposalVersion(models.Model):
    """A submitted, frozen copy of the proposal. Never changed after it is written."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    revision_round = models.PositiveSmallIntegerField(_("revision round"), default=0)
    title = models.CharField(_("title"), max_length=300)
    content = models.JSONField(_("content"))
    content_hash = models.CharField(max_length=64)
    requested_yen = models.BigIntegerField(_("requested amount (yen)"))
    findings = models.JSONField(_("findings at submission"), default=list)  # warnings only
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposal version")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a submitted proposal version is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a submitted proposal version is immutable")


class SignatoryRole(models.TextChoices):
    GOVERNOR = "governor", _("Governor")
    UNIVERSITY_HEAD = "university_head", _("Head of university or college")
    INDUSTRY = "industry", _("Industry representative")


class Signature(models.Model):
    """A signatory's confirmation, with their own login, of one exact content (its hash).

    Created as a request (`signed_at` empty); signing records the content hash. When the
    content changes afterwards the signature is voided (`voided_at`) and a new request for
    the same person is opened, which the signatory sees on their home page.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("role"), max_length=16, choices=SignatoryRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "role", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "role"],
                condition=models.Q(voided_at__isnull=True),
                name="signature_one_live_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.user}"

    @property
    def is_valid_for(self) -> str:
        return self.content_hash if self.signed_at and not self.voided_at else ""


def attachment_path(instance: Attachment, filename: str) -> str:
    # Under MEDIA_ROOT (var/private/), never served as static: only the checked view reads it.
    return f"proposals/{instance.proposal_id}/{instance.sha256[:16]}.pdf"


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def safe_name(self) -> str:
        return PurePosixPath(self.original_name).name


class Partnership(models.Model):
    """A prefecture asked to join a consortium proposal (R-2). Until its applicant accepts, it
    is not a participant: it does not count for R-1 and does not see the proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partnerships")
    prefecture = models.ForeignKey(
        "core.Prefecture", on_delete=models.PROTECT, related_name="partnerships",
        verbose_name=_("prefecture"),
    )  # fmt: skip
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    accepted = models.BooleanField(_("accepted"), null=True)  # None: waiting for an answer
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "prefecture"]
        verbose_name = _("consortium invitation")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "prefecture"], name="partnership_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.prefecture_id}"

    @property
    def state_label(self) -> str:
        if self.accepted is None:
            return str(_("waiting for an answer"))
        return str(_("accepted") if self.accepted else _("declined"))
