"""Choices of the network app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Field(models.TextChoices):
    """Research and industry fields used to filter and match across the network."""

    MATERIALS = "materials", _("材料")
    MEDICAL = "medical", _("医療・ヘルスケア")
    FOOD = "food", _("食品")
    ROBOTICS = "robotics", _("ロボット")
    ELECTRONICS = "electronics", _("エレクトロニクス")
    ENERGY = "energy", _("エネルギー")
    ENVIRONMENT = "environment", _("環境")
    ICT = "ict", _("情報通信")
    MANUFACTURING = "manufacturing", _("ものづくり")
    BIO = "bio", _("バイオ")
    AGRICULTURE = "agriculture", _("農林水産")
    CHEMISTRY = "chemistry", _("化学")


class Kind(models.TextChoices):
    """Kinds of entry in the collaboration database (and in search results)."""

    HUB = "hub", _("Hub")
    EQUIPMENT = "equipment", _("Equipment")
    EXPERT = "expert", _("Expert")
    PROJECT = "project", _("Joint research project")
    RESULT = "result", _("Result")
    NEED = "need", _("Company need")
    NEWS = "news", _("News")
    EVENT = "event", _("Event")


class ExpertRole(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    COORDINATOR = "coordinator", _("Coordinator")
    ENGINEER = "engineer", _("Engineer")


class ResultKind(models.TextChoices):
    PAPER = "paper", _("Paper")
    PATENT = "patent", _("Patent")
    PRODUCT = "product", _("Product")


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("company need", "Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", pgettext_lazy("company need", "Closed")


class NewsKind(models.TextChoices):
    NEWS = "news", _("Announcement")
    EVENT = "event", _("Event")


class Scope(models.TextChoices):
    """Who an entry belongs to: one hub, one regional block, or the whole network."""

    HUB = "hub", _("Hub")
    REGION = "region", _("Region")
    NATIONWIDE = "nationwide", _("Nationwide")


class PostState(models.TextChoices):
    """Where a post stands: a company's post waits for the hub's operators before it is shown."""

    PUBLISHED = "published", pgettext_lazy("network post", "Published")
    PENDING = "pending", pgettext_lazy("network post", "Awaiting moderation")
    REJECTED = "rejected", pgettext_lazy("network post", "Not approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("network post", "Withdrawn")


class Visibility(models.TextChoices):
    """Who may read a post (the `public` flag of an entry)."""

    PUBLIC = "public", _("Everyone (public)")
    MEMBERS = "members", _("Network members only")
