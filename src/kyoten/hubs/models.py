"""Hubs: built from an adopted proposal, with land, development stages, assets and committees."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.core.fiscal import fiscal_year
from kyoten.hubs.enums import (
    AssetEventKind,
    AssetKind,
    AssetOwner,
    ContactRole,
    FundingSource,
    HubCategory,
    HubForm,
    LandProvider,
    Stage,
)


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
    representative_name = models.CharField(
        _("representative"), max_length=100, blank=True, help_text=_("Leads the committee (R-12).")
    )
    goals = models.JSONField(
        _("goals"), default=list, blank=True, help_text=_("The proposal's KPI goals, kept.")
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hub",
        verbose_name=_("proposal"),
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


class DevelopmentStage(models.Model):
    """One stage of building a hub with planned and actual dates and budget against spending."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    budget_yen = models.BigIntegerField(_("budget (yen)"), default=0)
    spent_yen = models.BigIntegerField(_("spent (yen)"), default=0)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "id"]
        verbose_name = _("development stage")
        verbose_name_plural = _("development stages")
        constraints = [
            models.UniqueConstraint(fields=["hub", "stage"], name="hub_stage_unique"),
            models.CheckConstraint(
                condition=models.Q(budget_yen__gte=0) & models.Q(spent_yen__gte=0),
                name="hub_stage_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub} · {self.get_stage_display()}"

    def delay_days(self, today: dt.date | None = None) -> int:
        """Days behind the planned end (0 when on time); an open stage counts up to today."""
        if self.planned_end is None:
            return 0
        end = self.actual_end or (today or timezone.localdate())
        return max(0, (end - self.planned_end).days)

    @property
    def is_delayed(self) -> bool:
        return self.delay_days() > 0

    @property
    def overspent_yen(self) -> int:
        return max(0, self.spent_yen - self.budget_yen)


class Asset(models.Model):
    """A building or piece of equipment in the asset register (R-9: JST owns what it provided)."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="assets")
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    name = models.CharField(_("name"), max_length=200)
    acquisition_cost_yen = models.BigIntegerField(_("acquisition cost (yen)"))
    acquired_on = models.DateField(_("acquired on"))
    funding_source = models.CharField(
        _("funding source"),
        max_length=16,
        choices=FundingSource.choices,
        default=FundingSource.PROGRAM,
    )
    owner = models.CharField(
        _("owner"), max_length=16, choices=AssetOwner.choices, default=AssetOwner.JST
    )
    useful_life_years = models.PositiveSmallIntegerField(_("useful life (years)"))
    location = models.CharField(_("location within the hub"), max_length=200, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "kind", "id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acquisition_cost_yen__gt=0), name="asset_cost_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(useful_life_years__gte=1), name="asset_life_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def book_value(self, fy: int) -> int:
        """Book value at the end of fiscal year `fy`, straight-line to zero over the useful life.

        The year of acquisition counts as a full first year; the depreciation of the first n
        years is cost × n ÷ life rounded down, so every value is whole yen and the last year of
        the life ends at exactly 0. Before acquisition the value is 0; after disposal it is 0.
        """
        first = fiscal_year(self.acquired_on)
        if fy < first:
            return 0
        if self.disposed_on is not None and fy >= fiscal_year(self.disposed_on):
            return 0
        years = min(fy - first + 1, self.useful_life_years)
        return (
            self.acquisition_cost_yen - self.acquisition_cost_yen * years // self.useful_life_years
        )

    @property
    def is_disposed(self) -> bool:
        return self.disposed_on is not None


class AssetEvent(models.Model):
    """A transfer (new location, possibly at another hub) or the disposal of an asset."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=AssetEventKind.choices)
    on = models.DateField(_("date"))
    from_hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    from_location = models.CharField(_("from"), max_length=200, blank=True)
    to_location = models.CharField(_("to"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asset", "on", "id"]
        verbose_name = _("asset event")
        verbose_name_plural = _("asset events")

    def __str__(self) -> str:
        return f"{self.asset} · {self.get_kind_display()} {self.on}"


class CommitteeMember(models.Model):
    """A member of the hub's operating committee (R-12); the chair is the representative."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="committee")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="hub_committee_seats",
        verbose_name=_("organisation"),
    )
    is_chair = models.BooleanField(_("chair (the representative)"), default=False)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-is_chair", "id"]
        verbose_name = _("operating committee member")
        verbose_name_plural = _("operating committee members")
        constraints = [
            models.UniqueConstraint(
                fields=["hub"], condition=models.Q(is_chair=True), name="hub_one_chair"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="committee_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return self.organisation.sector


class Contact(models.Model):
    """Facility management contacts, coordinators and the IP office of a hub."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "role", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class IncubationRoom(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=100)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "name"]
        verbose_name = _("incubation room")
        verbose_name_plural = _("incubation rooms")
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="incubation_room_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Tenant(models.Model):
    """A venture in an incubation room, from entry to graduation."""

    room = models.ForeignKey(IncubationRoom, on_delete=models.CASCADE, related_name="tenants")
    venture = models.CharField(_("venture"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_on = models.DateField(_("entry date"))
    graduated_on = models.DateField(_("graduation date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["room", "entered_on", "id"]
        verbose_name = _("tenant venture")
        verbose_name_plural = _("tenant ventures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(graduated_on__isnull=True)
                | models.Q(graduated_on__gte=models.F("entered_on")),
                name="tenant_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.venture
