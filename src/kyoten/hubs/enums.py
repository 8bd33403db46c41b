"""Choices of the hubs app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HubForm(models.TextChoices):
    """R-7: how the hub is housed."""

    NEW = "new", _("New build")
    EXTENSION = "extension", _("Extension")
    JOINT = "joint", _("Joint building")
    EQUIPMENT_ONLY = "equipment_only", _("Equipment only")


BUILDING_FORMS = frozenset({HubForm.NEW, HubForm.EXTENSION, HubForm.JOINT})


class HubCategory(models.TextChoices):
    """The two categories of the December 2009 selection."""

    CONCEPT = "concept", _("構想支援地域")
    FOUNDATION = "foundation", _("基盤形成支援地域")


class Stage(models.TextChoices):
    """Development stages of a hub, in order (issue 6 §2)."""

    DESIGN = "design", _("Design")
    TENDER = "tender", _("Tender")
    CONSTRUCTION = "construction", _("Construction")
    COMPLETION = "completion", _("Completion")
    HANDOVER = "handover", _("Handover")
    OPERATING = "operating", _("Operating")


STAGE_ORDER = list(Stage.values)


class LandProvider(models.TextChoices):
    """R-9: the region provides the land."""

    PREFECTURE = "prefecture", _("Prefecture")
    MUNICIPALITY = "municipality", _("Municipality")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class AssetKind(models.TextChoices):
    BUILDING = "building", _("Building")
    EQUIPMENT = "equipment", _("Equipment")


class AssetOwner(models.TextChoices):
    JST = "jst", _("JST")
    PREFECTURE = "prefecture", _("Prefecture")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    PROGRAM = "program", _("This program (JST)")
    REGION = "region", _("Region")
    OTHER = "other", _("Other")


class AssetEventKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    DISPOSAL = "disposal", _("Disposal")


class ContactRole(models.TextChoices):
    FACILITY = "facility", _("Facility management")
    COORDINATOR = "coordinator", _("Coordinator")
    IP_OFFICE = "ip_office", _("IP office")
