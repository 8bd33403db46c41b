"""Choices of the monitoring app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetSource(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal goal")
    INTERPOLATED = "interpolated", _("Interpolated")
    EDITED = "edited", _("Edited")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ActualSource(models.TextChoices):
    PLATFORM = "platform", _("From the platform's records")
    FINANCIAL = "financial", _("From the financial actuals")
    REPORTED = "reported", _("Reported by the hub")


class Addressee(models.TextChoices):
    """R-13: advice goes to the region, to JST or to the state (the government)."""

    REGION = "region", _("Region (地域)")
    JST = "jst", _("JST")
    STATE = "state", _("State (国)")


class AdviceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class PdcaStep(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")
