"""Programs (the settings of a funding program) and their calls (公募)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyoten.calls.program import (
    DEFAULT_KPIS,
    DEFAULT_REVIEW_CRITERIA,
    FORMS,
    SECTIONS,
    ProgramSettings,
)

DEFAULT_CATEGORIES: list[dict] = []


def default_forms() -> list[str]:
    return list(FORMS)


def default_sections() -> list[str]:
    return list(SECTIONS)


def default_kpis() -> dict[str, list[str]]:
    return {key: list(labels) for key, labels in DEFAULT_KPIS.items()}


def default_criteria() -> list[dict]:
    return [dict(c) for c in DEFAULT_REVIEW_CRITERIA]


class Program(models.Model):
    """A funding program: every number and rule of SPEC §3 as a setting."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    fiscal_year = models.PositiveIntegerField(_("fiscal year of the budget"))
    budget_yen = models.BigIntegerField(_("program budget (yen)"))
    cap_yen = models.BigIntegerField(_("cap per hub (yen)"))
    allowed_forms = models.JSONField(_("allowed forms"), default=default_forms)
    required_sections = models.JSONField(_("required sections"), default=default_sections)
    kpi_catalogue = models.JSONField(_("KPI catalogue"), default=default_kpis)
    horizon_years = models.PositiveSmallIntegerField(_("planning horizon (years)"), default=10)
    near_goal_from = models.PositiveSmallIntegerField(_("near goal from year"), default=3)
    near_goal_to = models.PositiveSmallIntegerField(_("near goal to year"), default=5)
    review_criteria = models.JSONField(_("review criteria"), default=default_criteria)
    require_electronic_signatures = models.BooleanField(
        _("signatories must confirm with their own login before submission"), default=True
    )
    template = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created from"),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "pk"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cap_yen__gt=0) & models.Q(cap_yen__lte=models.F("budget_yen")),
                name="program_cap_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def settings(self) -> ProgramSettings:
        return ProgramSettings(
            budget_yen=self.budget_yen,
            cap_yen=self.cap_yen,
            allowed_forms=tuple(self.allowed_forms),
            required_sections=tuple(self.required_sections),
            # PostgreSQL's jsonb keeps no key order: the defaults first in their own order.
            kpi_catalogue=tuple(k for k in DEFAULT_KPIS if k in self.kpi_catalogue)
            + tuple(sorted(k for k in self.kpi_catalogue if k not in DEFAULT_KPIS)),
            horizon_years=self.horizon_years,
            near_goal_years=(self.near_goal_from, self.near_goal_to),
        )


class CallStatus(models.TextChoices):
    # In a context: "Open" and "Closed" mean something else in other apps' catalogues.
    DRAFT = "draft", pgettext_lazy("call status", "Not yet published")
    OPEN = "open", pgettext_lazy("call status", "Open")
    REVISION = "revision", pgettext_lazy("call status", "Revision round")
    CLOSED = "closed", pgettext_lazy("call status", "Closed")
    REVIEW = "review", pgettext_lazy("call status", "Under review")
    DECIDED = "decided", pgettext_lazy("call status", "Decided")


class Call(models.Model):
    """A call for proposals (公募) of a program, with its own copy of the settings it may amend."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="calls")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("call", "title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"))
    budget_yen = models.BigIntegerField(_("budget (yen)"))
    cap_yen = models.BigIntegerField(_("cap per hub (yen)"))
    allowed_forms = models.JSONField(_("allowed forms"), default=default_forms)
    # [{"key", "label_ja", "label_en"}]: e.g. 構想支援地域 / 基盤形成支援地域 after the 2009 amendment.
    categories = models.JSONField(_("categories"), default=list, blank=True)
    designated_city_reference_date = models.DateField(_("designated cities as of"))
    review_criteria = models.JSONField(_("review criteria"), default=default_criteria)
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    revision_round = models.PositiveSmallIntegerField(_("revision round"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cap_yen__gt=0) & models.Q(cap_yen__lte=models.F("budget_yen")),
                name="call_cap_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("opens_at")),
                name="call_deadline_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def settings(self) -> ProgramSettings:
        """The rules' settings for this call: the program's, with the call's amendments."""
        return self.program.settings().with_changes(
            budget_yen=self.budget_yen,
            cap_yen=self.cap_yen,
            allowed_forms=tuple(self.allowed_forms),
            designated_city_reference_date=self.designated_city_reference_date,
            categories=tuple(
                (c["key"], c.get("label_ja") or c["key"], c.get("label_en") or c["key"])
                for c in self.categories or []
                if isinstance(c, dict) and c.get("key")
            ),
        )

    def accepts_submissions(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status in {CallStatus.OPEN, CallStatus.REVISION}
            and self.opens_at <= now <= self.deadline
        )


class CallAmendment(models.Model):
    """One amendment of a call after proposals are in; it opens a revision round."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="amendments")
    round = models.PositiveSmallIntegerField(_("revision round"))
    changes = models.JSONField(_("changes"), default=dict)  # {field: [before, after]}
    message = models.TextField(_("message to applicants"), blank=True)
    deadline = models.DateTimeField(_("deadline of the revision round"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "round"]
        constraints = [
            models.UniqueConstraint(fields=["call", "round"], name="call_amendment_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.call} round {self.round}"
