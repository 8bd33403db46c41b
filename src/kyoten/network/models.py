"""The collaboration database of the hub network (R-14) and its Japanese search index."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.core.reference import BLOCKS, block_label
from kyoten.network.enums import (
    ExpertRole,
    Field,
    Kind,
    NeedStatus,
    NewsKind,
    PostState,
    ResultKind,
    Scope,
)
from kyoten.network.validators import validate_erad, validate_orcid, validate_researchmap

BLOCK_CHOICES = [(k, v[0]) for k, v in BLOCKS.items()]


class NetworkEntry(models.Model):
    """What every entry shares: whom it belongs to (a hub, a region or the nation) and its field."""

    scope = models.CharField(_("belongs to"), max_length=12, choices=Scope.choices)
    hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hub"),
    )
    block = models.CharField(
        _("regional block"), max_length=10, choices=BLOCK_CHOICES, blank=True, db_index=True
    )
    prefecture = models.ForeignKey(
        "core.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    field = models.CharField(_("field"), max_length=16, choices=Field.choices, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    public = models.BooleanField(_("public"), default=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PostState.choices,
        default=PostState.PUBLISHED,
        db_index=True,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.CharField(_("note to the author"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-id"]

    @classmethod
    def scope_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(
                models.Q(scope=Scope.HUB, hub__isnull=False)
                | (models.Q(scope=Scope.REGION) & ~models.Q(block=""))
                | models.Q(scope=Scope.NATIONWIDE, hub__isnull=True, block="")
            ),
            name=name,
        )


class Expert(NetworkEntry):
    """A researcher, coordinator or engineer the network can call on."""

    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=ExpertRole.choices, default=ExpertRole.RESEARCHER
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    profile = models.TextField(_("profile"), blank=True)
    erad_number = models.CharField(
        _("e-Rad researcher number"), max_length=8, blank=True, validators=[validate_erad]
    )
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    researchmap_id = models.CharField(
        _("researchmap id"), max_length=64, blank=True, validators=[validate_researchmap]
    )
    history = HistoricalRecords()

    class Meta(NetworkEntry.Meta):
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [NetworkEntry.scope_constraint("expert_scope")]

    def __str__(self) -> str:
        return self.name


class Project(NetworkEntry):
    """A joint research project with partners from industry, academia and government."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("One organisation per line: 産 / 学 / 官.")
    )
    partner_organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    class Meta(NetworkEntry.Meta):
        verbose_name = _("joint research project")
        verbose_name_plural = _("joint research projects")
        constraints = [
            NetworkEntry.scope_constraint("project_scope"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Result(NetworkEntry):
    """A paper, patent or product that came out of the network's work."""

    kind = models.CharField(_("kind"), max_length=10, choices=ResultKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    identifier = models.CharField(
        _("identifier"), max_length=100, blank=True, help_text=_("DOI, patent number or model.")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("project"),
    )
    history = HistoricalRecords()

    class Meta(NetworkEntry.Meta):
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [NetworkEntry.scope_constraint("result_scope")]

    def __str__(self) -> str:
        return self.title


class CompanyNeed(NetworkEntry):
    """A company's need: "we are looking for …"."""

    company = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    company_name = models.CharField(_("company name"), max_length=200)
    is_sme = models.BooleanField(_("SME"), default=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what we are looking for"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta(NetworkEntry.Meta):
        verbose_name = _("company need")
        verbose_name_plural = _("company needs")
        constraints = [NetworkEntry.scope_constraint("need_scope")]

    def __str__(self) -> str:
        return self.title


class News(NetworkEntry):
    """An announcement or an event, for one hub, one region or the whole network."""

    kind = models.CharField(_("kind"), max_length=8, choices=NewsKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta(NetworkEntry.Meta):
        ordering = ["-published_at", "-id"]
        verbose_name = _("news or event")
        verbose_name_plural = _("news and events")
        constraints = [
            NetworkEntry.scope_constraint("news_scope"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="news_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """What a user wants in their feed and digest: regions and fields (empty = all)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_subscription"
    )
    blocks = models.JSONField(_("regional blocks"), default=list, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    digest = models.BooleanField(_("e-mail digest"), default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return str(self.user)


# --- search index (derived data, rebuilt by `kyoten search-reindex`) ------------------------


class SearchEntry(models.Model):
    """One searchable thing (hub, equipment, expert, …) with its normalised text and filters."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    norm_title = models.TextField(blank=True)
    norm_text = models.TextField(blank=True)
    hub_id_ref = models.PositiveBigIntegerField(null=True, blank=True)
    hub_name = models.CharField(max_length=200, blank=True)
    prefecture = models.CharField(max_length=2, blank=True)
    block = models.CharField(max_length=10, blank=True)
    field = models.CharField(max_length=16, blank=True)
    public = models.BooleanField(default=True)
    url = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_kind_object")
        ]
        indexes = [
            models.Index(fields=["prefecture"], name="searchentry_pref"),
            models.Index(fields=["block"], name="searchentry_block"),
            models.Index(fields=["field"], name="searchentry_field"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"

    @property
    def block_name(self) -> str:
        """The regional block in the active language (九州・沖縄 / Kyushu-Okinawa), never its key."""
        return block_label(self.block) if self.block in BLOCKS else ""


class DatasetVersion(models.Model):
    """When an open dataset was first published and when its content last changed (DCAT
    `dct:issued` and `dct:modified`); `sha256` is the hash of its CSV file."""

    key = models.CharField(max_length=20, unique=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    issued = models.DateTimeField()
    modified = models.DateTimeField()

    class Meta:
        verbose_name = _("open dataset version")

    def __str__(self) -> str:
        return f"{self.key} {self.modified:%Y-%m-%d %H:%M}"
