"""Follow-up of operating hubs: KPI targets, annual reports, advice and site visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.monitoring import kpis
from kyoten.monitoring.enums import (
    ActualSource,
    Addressee,
    AdviceStatus,
    ConsultationOutcome,
    ContractType,
    FundingSourceKind,
    PartnerKind,
    PatentEventKind,
    ReportStatus,
    SizeClass,
    TargetSource,
)

KPI_CHOICES = [(k, v.label_ja) for k, v in kpis.CATALOGUE.items()]
VALUE = {"max_digits": 20, "decimal_places": 2}


class KpiTarget(models.Model):
    """A hub's target for one KPI in one fiscal year (taken over from its proposal, editable)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="kpi_targets")
    kpi = models.CharField(_("KPI"), max_length=40, choices=KPI_CHOICES)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    target = models.DecimalField(_("target"), **VALUE)
    source = models.CharField(_("source"), max_length=16, choices=TargetSource.choices)
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "kpi", "fiscal_year"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(fields=["hub", "kpi", "fiscal_year"], name="kpi_target_unique"),
            models.CheckConstraint(
                condition=models.Q(target__gte=0), name="kpi_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} · {self.kpi} · FY{self.fiscal_year}: {self.target}"


class AnnualReport(models.Model):
    """年度報告: a hub's report on one fiscal year (actuals, finances, PDCA), reviewed by JST."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="annual_reports")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # {"revenue_yen": {line: yen}, "cost_yen": {line: yen}, "jst_operating_yen": yen}
    financials = models.JSONField(_("financial actuals"), default=dict, blank=True)
    # {"plan": ..., "do": ..., "check": ..., "act": ...}
    pdca = models.JSONField(_("PDCA narrative"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "fiscal_year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["hub", "fiscal_year"], name="annual_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.hub} FY{self.fiscal_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class KpiActual(models.Model):
    """One KPI's actual in an annual report; `source` says where the number came from."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="actuals")
    kpi = models.CharField(_("KPI"), max_length=40, choices=KPI_CHOICES)
    value = models.DecimalField(_("actual"), **VALUE)
    source = models.CharField(_("source"), max_length=16, choices=ActualSource.choices)
    # What the platform computed, kept when the hub reported another number.
    platform_value = models.DecimalField(_("platform figure"), null=True, blank=True, **VALUE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "kpi"]
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")
        constraints = [
            models.UniqueConstraint(fields=["report", "kpi"], name="kpi_actual_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="kpi_actual_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"


class Advice(models.Model):
    """助言・提言 of the promotion committee to a hub's region, to JST or to the state (R-13)."""

    hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.PROTECT, related_name="advice", null=True, blank=True
    )
    addressee = models.CharField(_("addressed to"), max_length=16, choices=Addressee.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("advice"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    due_date = models.DateField(_("response due"))
    status = models.CharField(
        _("status"), max_length=16, choices=AdviceStatus.choices, default=AdviceStatus.OPEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(addressee=Addressee.REGION) | models.Q(hub__isnull=False),
                name="advice_region_has_hub",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != AdviceStatus.CLOSED


class AdviceResponse(models.Model):
    """The addressee's response to advice, with the action taken."""

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="responses")
    body = models.TextField(_("response"))
    action_taken = models.TextField(_("action taken"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["advice", "responded_at", "id"]
        verbose_name = _("response to advice")
        verbose_name_plural = _("responses to advice")

    def __str__(self) -> str:
        return f"{self.advice_id} · {self.responded_at:%Y-%m-%d}"


class SiteVisit(models.Model):
    """A visit of the promotion committee (or JST) to a hub, with notes."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="site_visits")
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=300)
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-visited_on", "-id"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.hub} {self.visited_on}"


# ---------------------------------------------------------------- the hub's own work (issue 19)


class JointResearchProject(models.Model):
    """共同研究: a research project the hub runs with partners, under a contract for a period."""

    hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.PROTECT, related_name="joint_research_projects"
    )
    title = models.CharField(_("project"), max_length=200)
    contract_type = models.CharField(
        _("contract type"), max_length=16, choices=ContractType.choices
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    public_summary = models.TextField(_("public summary"), blank=True)
    partners_agree_to_publish = models.BooleanField(
        _("the partners agree to publish the summary"), default=False
    )
    equipment = models.ManyToManyField(
        "equipment.Equipment",
        blank=True,
        related_name="joint_research_projects",
        verbose_name=_("machines used"),
    )
    papers = models.PositiveIntegerField(_("papers"), default=0)
    patents = models.PositiveIntegerField(_("patent applications"), default=0)
    products = models.PositiveIntegerField(_("products"), default=0)
    results_note = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-contract_start", "-id"]
        verbose_name = _("joint research project")
        verbose_name_plural = _("joint research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__gte=models.F("contract_start")),
                name="joint_research_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class JointResearchPartner(models.Model):
    """A company (with its size class), university or public research institute in a project."""

    project = models.ForeignKey(
        JointResearchProject, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("partner"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    size_class = models.CharField(
        _("size class"), max_length=16, choices=SizeClass.choices, blank=True
    )
    prefecture = models.ForeignKey(
        "core.Prefecture",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("joint research partner")
        verbose_name_plural = _("joint research partners")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=PartnerKind.COMPANY) | models.Q(size_class=""),
                name="joint_research_size_class_for_companies",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JointResearchFunding(models.Model):
    """Money received for a project: who paid (company, public programme, JST, a prefecture),
    how much (integer yen) and when it was received."""

    project = models.ForeignKey(
        JointResearchProject, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.CharField(_("source"), max_length=16, choices=FundingSourceKind.choices)
    funder = models.CharField(_("funder"), max_length=200)
    prefecture = models.ForeignKey(
        "core.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paying prefecture"),
    )
    amount_yen = models.BigIntegerField(_("amount (yen)"))
    received_on = models.DateField(_("received on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "received_on", "id"]
        verbose_name = _("joint research funding")
        verbose_name_plural = _("joint research funding")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_yen__gte=0), name="joint_research_funding_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=FundingSourceKind.PREFECTURE)
                | models.Q(prefecture__isnull=False),
                name="joint_research_funding_prefecture_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount_yen}"


# ---------------------------------------------------------------- coordinator desk, IP office


class HubCoordinator(models.Model):
    """The coordinator duty (コーディネータ) of one of the hub's operators: the operator role for
    the hub plus this record makes a login a coordinator of the hub."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_duties"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    appointed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "id"]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["hub", "user"], name="hub_coordinator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} · {self.user_id}"


class Consultation(models.Model):
    """技術相談: a company's technical question to the hub, the coordinator who took it, the answer,
    and what it led to (a booking, a training, a joint research project, a referral)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="consultations")
    received_on = models.DateField(_("received on"))
    company_name = models.CharField(_("company"), max_length=200)
    size_class = models.CharField(
        _("size class"), max_length=16, choices=SizeClass.choices, blank=True
    )
    prefecture = models.ForeignKey(
        "core.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_taken",
        verbose_name=_("coordinator"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    booking = models.ForeignKey(
        "equipment.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("led to the booking"),
    )
    training_session = models.ForeignKey(
        "equipment.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("led to the training"),
    )
    project = models.ForeignKey(
        JointResearchProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("led to the joint research project"),
    )
    referral_hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to the hub"),
    )
    network_need_id = models.PositiveIntegerField(
        _("company need on the network"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-received_on", "-id"]
        verbose_name = _("technical consultation")
        verbose_name_plural = _("technical consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("received_on")),
                name="consultation_answered_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def outcomes(self) -> list[str]:
        """The outcomes (ConsultationOutcome values) this consultation led to."""
        out = []
        if self.booking_id:
            out.append(ConsultationOutcome.BOOKING)
        if self.training_session_id:
            out.append(ConsultationOutcome.TRAINING)
        if self.project_id:
            out.append(ConsultationOutcome.JOINT_RESEARCH)
        if self.referral_hub_id:
            out.append(ConsultationOutcome.REFERRAL)
        return out

    @property
    def outcome_labels(self) -> list[str]:
        return [str(ConsultationOutcome(o).label) for o in self.outcomes]


class PatentApplication(models.Model):
    """知財: a patent application arising from the hub's work (the IP office's register)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="patents")
    application_number = models.CharField(_("application number"), max_length=40)
    title = models.CharField(_("title of the invention"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    holders = models.CharField(_("applicants (holders)"), max_length=300)
    project = models.ForeignKey(
        JointResearchProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patent_applications",
        verbose_name=_("related joint research project"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-filed_on", "-id"]
        verbose_name = _("patent application")
        verbose_name_plural = _("patent applications")
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "application_number"], name="patent_application_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"


class PatentLicence(models.Model):
    """A licence or transfer of one of the hub's patents, on a date, to a licensee."""

    patent = models.ForeignKey(PatentApplication, on_delete=models.CASCADE, related_name="licences")
    kind = models.CharField(_("kind"), max_length=16, choices=PatentEventKind.choices)
    licensee = models.CharField(_("licensee"), max_length=200)
    licensed_on = models.DateField(_("licensed on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["patent", "licensed_on", "id"]
        verbose_name = _("patent licence")
        verbose_name_plural = _("patent licences")

    def __str__(self) -> str:
        return f"{self.licensee} {self.licensed_on}"
