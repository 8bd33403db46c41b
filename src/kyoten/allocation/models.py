"""Allocation runs (each a record of inputs, solver and result) and the adopted decision (採択)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RunStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    INFEASIBLE = "infeasible", _("Infeasible")


class AllocationRun(models.Model):
    """One run of the optimiser on a call: what went in, which solver, what came out, who, when."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="allocation_runs")
    label = models.CharField(_("label"), max_length=200, blank=True)
    # parameters (also inside `inputs`; kept as columns to list and compare runs)
    budget_yen = models.BigIntegerField(_("budget (yen)"))
    cap_yen = models.BigIntegerField(_("cap per hub (yen)"))
    min_score = models.FloatField(_("minimum score"), null=True, blank=True)
    min_per_block = models.JSONField(_("minimum awards per block"), default=dict, blank=True)
    max_per_block = models.JSONField(_("maximum awards per block"), default=dict, blank=True)
    # {"min_per_category": {...}, "max_per_category": {...}, "min_yen_per_category": {...}}
    category_reservations = models.JSONField(
        _("reservations per selection category"), default=dict, blank=True
    )
    # the whole input document of `kyoten allocate`, and its SHA-256 (canonical JSON)
    inputs = models.JSONField(_("inputs"))
    inputs_sha256 = models.CharField(_("SHA-256 of the inputs"), max_length=64, db_index=True)
    # proposal id in the inputs → Proposal pk
    proposal_map = models.JSONField(default=dict)
    solver_name = models.CharField(_("solver"), max_length=40)
    solver_version = models.CharField(_("solver version"), max_length=40)
    result = models.JSONField(_("result"))
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices)
    objective = models.FloatField(_("total value"))
    total_yen = models.BigIntegerField(_("total awarded (yen)"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    run_at = models.DateTimeField(_("run at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["inputs", "result"])

    class Meta:
        ordering = ["-run_at", "-pk"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_yen__gte=0)
                & models.Q(cap_yen__gt=0)
                & models.Q(total_yen__gte=0)
                & models.Q(total_yen__lte=models.F("budget_yen")),
                name="allocation_run_money",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"

    @property
    def money_left_yen(self) -> int:
        return self.budget_yen - self.total_yen


class AllocationDecision(models.Model):
    """The committee's decision for a call: the adopted run; published when made public."""

    call = models.OneToOneField(
        "calls.Call", on_delete=models.PROTECT, related_name="allocation_decision"
    )
    run = models.ForeignKey(AllocationRun, on_delete=models.PROTECT, related_name="decisions")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), default=timezone.now)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation decision")
        verbose_name_plural = _("allocation decisions")

    def __str__(self) -> str:
        return f"{self.call}: {self.run}"
