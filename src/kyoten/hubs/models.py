"""Hubs: built from an adopted proposal, with land, development stages, assets and committees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.hubs.enums import HubCategory, HubForm, LandProvider, Stage


class Hub(models.Model):
    """A regional joint research hub (地域産学官共同研究拠点)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    summary = models.TextField(
        _("public description"), blank=True, help_text=_("What the hub offers, for the public.")
    )
    how_to_use = models.TextField(
        _("how to use"), blank=True, help_text=_("How outside users can use the hub.")
    )
    lead_prefecture = models.ForeignKey(
        "core.Prefecture",
        on_delete=models.PROTECT,
        related_name="led_hubs",
        verbose_name=_("lead prefecture"),
    )
    prefectures = models.ManyToManyField(
        "core.Prefecture", related_name="hubs", verbose_name=_("prefectures")
    )
    host_organisations = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="hosted_hubs",
        verbose_name=_("host organisations"),
    )
    form = models.CharField(_("form"), max_length=16, choices=HubForm.choices)
    category = models.CharField(
        _("category"), max_length=16, choices=HubCategory.choices, blank=True
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DESIGN)
    award_yen = models.BigIntegerField(_("award (yen)"), default=0)
    operation_start_fy = models.PositiveSmallIntegerField(
        _("operation start (fiscal year)"), null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The land (R-9: the region provides it).
    land_address = models.CharField(_("land address"), max_length=300, blank=True)
    land_area_m2 = models.PositiveIntegerField(_("land area (m²)"), null=True, blank=True)
    land_provided_by = models.CharField(
        _("land provided by"), max_length=16, choices=LandProvider.choices, blank=True
    )
    land_campus = models.CharField(
        _("campus"), max_length=200, blank=True, help_text=_("On or near which campus.")
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="operated_hubs",
        verbose_name=_("operators"),
    )
    proposal_version = models.PositiveIntegerField(_("proposal version"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_yen__gte=0), name="hub_award_yen_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name
