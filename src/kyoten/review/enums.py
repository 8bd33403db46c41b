from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    REVIEW = "review", _("Review committee (審査委員会)")
    PROMOTION = "promotion", _("Promotion committee (推進委員会)")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair")


class ConflictKind(models.TextChoices):
    ORGANISATION = "organisation", _("Same organisation")
    PREFECTURE = "prefecture", _("Prefecture takes part")
    JOINT_WORK = "joint_work", _("Earlier joint work")
    PERSONAL = "personal", _("Personal or financial tie")
    OTHER = "other", _("Other")


class ConflictSource(models.TextChoices):
    DETECTED = "detected", _("Detected from data")
    DECLARED = "declared", _("Declared by the reviewer")
    OFFICER = "officer", _("Set by the officer")


class PhaseKind(models.TextChoices):
    """Review phases in their order; each opens and closes by date."""

    CONFLICTS = "conflicts", _("Declaration of conflicts")
    SCORING = "scoring", _("Scoring")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Ranking and recommendation")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    ADOPT = "adopt", _("Adopt (採択)")
    ADOPT_WITH_CONDITIONS = "conditional", _("Adopt with conditions (条件付き採択)")
    RESERVE = "reserve", _("Reserve (補欠)")
    REJECT = "reject", _("Do not adopt (不採択)")
