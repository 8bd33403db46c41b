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


# ---------------------------------------------------------------- the hub's own work (issue 19)


class ContractType(models.TextChoices):
    """How a joint research project is contracted."""

    JOINT = "joint", _("Joint research agreement")
    COMMISSIONED = "commissioned", _("Commissioned research")
    CONSORTIUM = "consortium", _("Research consortium")
    OTHER = "other", _("Other agreement")


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University or college")
    INSTITUTE = "institute", _("Public research institute")


class SizeClass(models.TextChoices):
    """Size class of a partner company (中小企業基本法)."""

    LARGE = "large", _("Large company")
    MIDSIZE = "midsize", _("Mid-sized company")
    SME = "sme", _("Small or medium-sized enterprise")
    MICRO = "micro", _("Small business")


class FundingSourceKind(models.TextChoices):
    """Who pays into a joint research project. JST's money and the hub's own prefecture's are
    not external funding; the rest is."""

    COMPANY = "company", _("Company")
    PUBLIC = "public", _("Public programme")
    JST = "jst", _("JST")
    PREFECTURE = "prefecture", _("Prefecture")


class PatentEventKind(models.TextChoices):
    """How a patent is put to use: a licence (実施許諾) or a transfer (譲渡)."""

    LICENCE = "licence", _("Licence")
    TRANSFER = "transfer", _("Transfer")


class ConsultationOutcome(models.TextChoices):
    """What a technical consultation led to; each is a link to the record it led to."""

    BOOKING = "booking", _("Equipment booking")
    TRAINING = "training", _("Training")
    JOINT_RESEARCH = "joint_research", _("Joint research project")
    REFERRAL = "referral", _("Referral to another hub")
