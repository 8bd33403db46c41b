"""Review: committees (R-10), conflicts of interest, assignments, phases, scores, decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.review.enums import (
    CommitteeKind,
    ConflictKind,
    ConflictSource,
    MemberRole,
    PhaseKind,
    Recommendation,
    ReviewStatus,
)


class Committee(models.Model):
    """The review committee (審査委員会) or the promotion committee (推進委員会), with a term."""

    kind = models.CharField(_("kind"), max_length=12, choices=CommitteeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        help_text=_("For a review committee: the call it reviews."),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    # The member who handles the proposals the chair has a conflict of interest with (named by
    # the officer; a member of this committee, never its chair).
    deputy_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy chair"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "term_start", "id"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="committee_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_memberships"
    )
    # Denormalised from the committee so that the database can per user.
    kind = models.CharField(_("committee kind"), max_length=12, choices=CommitteeKind.choices)
    role = models.CharField(
        _("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    keywords = models.JSONField(_("fields of expertise"), default=list, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("own load limit"), null=True, blank=True, help_text=_("Empty: the call's limit.")
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "-role", "id"]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="membership_once"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=models.Q(role=MemberRole.CHAIR),
                name="membership_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.committee}"


class ReviewerTie(models.Model):
    """A recorded tie of a reviewer: another (or former) organisation, or earlier joint work."""

    class Kind(models.TextChoices):
        AFFILIATION = "affiliation", _("Affiliation (current or within 3 years)")
        JOINT_WORK = "joint_work", _("Earlier joint work")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_ties"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="reviewer_ties"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reviewer tie")
        verbose_name_plural = _("reviewer ties")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.kind})"


class ConflictOfInterest(models.Model):
    """A conflict of a reviewer with a proposal: a record, with who said so and why.

    Detection suggests, people decide: a detected conflict counts until an officer dismisses it
    (`active=False`); `pinned` keeps the officer's decision when detection runs again.
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts_of_interest"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="conflicts_of_interest"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=ConflictSource.choices)
    reason = models.CharField(_("reason"), max_length=500)
    active = models.BooleanField(_("in force"), default=True)
    confirmed = models.BooleanField(_("confirmed by an officer"), default=False)
    pinned = models.BooleanField(_("pinned (detection leaves it alone)"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "reviewer", "kind"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "proposal", "kind"], name="conflict_once_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "active"], name="conflict_reviewer_active")]

    def __str__(self) -> str:
        return f"{self.reviewer} × {self.proposal}: {self.reason}"


class ReviewPhase(models.Model):
    """A phase of a call's review, open from `starts_at` until `ends_at` (the deadline)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="review_phases")
    kind = models.CharField(_("phase"), max_length=12, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "starts_at"]
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="phase_once_per_call"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_kind_display()}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class AssignmentRun(models.Model):
    """One press of "assign reviewers": its inputs, result and explanation."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="assignment_runs")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewers_per_proposal = models.PositiveSmallIntegerField()
    max_load = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12)
    affinity = models.FloatField(default=0.0)
    reason = models.TextField(blank=True)
    problem = models.JSONField(default=dict, help_text=_("The input, as `kyoten assign` reads it."))
    seconds = models.FloatField(default=0.0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.call} {self.created_at:%Y-%m-%d %H:%M} {self.status}"


class Assignment(models.Model):
    """A reviewer assigned to a proposal; the review (scores) hangs off it."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    run = models.ForeignKey(
        AssignmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    pinned = models.BooleanField(_("pinned by the officer"), default=False)
    affinity = models.FloatField(_("affinity"), default=0.0)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "reviewer"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.proposal}"


class ForbiddenPair(models.Model):
    """The officer's "never assign this reviewer to this proposal" (solver input)."""

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="forbidden_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ✕ {self.proposal}"


class Score(models.Model):
    """One criterion's score within a review; the raw value is never changed by normalisation."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=40)
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment", "id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.criterion}={self.value}"


class DiscussionPost(models.Model):
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="review_posts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal}"


class CommitteeDecision(models.Model):
    """The review committee's recorded recommendation for a call (its ranked list)."""

    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, related_name="review_decisions"
    )
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    normalised = models.BooleanField(_("z-score normalised ranking"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")

    def __str__(self) -> str:
        return f"{self.committee} {self.decided_at:%Y-%m-%d}"


class DecisionItem(models.Model):
    decision = models.ForeignKey(CommitteeDecision, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices
    )
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "rank"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["decision", "proposal"], name="decision_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.proposal}: {self.recommendation}"
