"""Reads of the hubs app. Every page, the API and exports start from these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.enums import Sector
from kyoten.core.errors import Forbidden, NotFound
from kyoten.core.fiscal import fiscal_year
from kyoten.core.money import format_yen
from kyoten.hubs.enums import BUILDING_FORMS, FundingSource, Stage
from kyoten.hubs.models import (
    Asset,
    AssetEvent,
    CommitteeMember,
    DevelopmentStage,
    Hub,
    IncubationRoom,
    Tenant,
)
from kyoten.hubs.rules import can_edit_hub


def hubs_visible_to(user) -> QuerySet[Hub]:
    """Every hub: the public part of a hub is open to everyone (the directory)."""
    return (
        Hub.objects.select_related("lead_prefecture")
        .prefetch_related("prefectures", "host_organisations")
        .order_by("id")
    )


def hubs_operated_by(user) -> QuerySet[Hub]:
    if user is None or not user.is_authenticated:
        return Hub.objects.none()
    return hubs_visible_to(user).filter(operators=user)


def with_details(qs: QuerySet[Hub]) -> QuerySet[Hub]:
    """Everything a detail page or the API shows, in a fixed number of queries."""
    return qs.prefetch_related(
        "operators",
        Prefetch("stages", queryset=DevelopmentStage.objects.order_by("id")),
        Prefetch(
            "assets",
            queryset=Asset.objects.prefetch_related(
                Prefetch("events", queryset=AssetEvent.objects.order_by("on", "id"))
            ).order_by("kind", "id"),
        ),
        Prefetch(
            "committee",
            queryset=CommitteeMember.objects.select_related("organisation").order_by(
                "-is_chair", "id"
            ),
        ),
        "contacts__organisation",
        Prefetch(
            "rooms",
            queryset=IncubationRoom.objects.prefetch_related(
                Prefetch("tenants", queryset=Tenant.objects.order_by("entered_on", "id"))
            ),
        ),
    )


def get_hub_for(user, pk, *, write: bool = False, details: bool = False) -> Hub:
    """Checked fetch: 404 when missing, 403 when the user may see but not change it."""
    qs = hubs_visible_to(user)
    if details:
        qs = with_details(qs)
    try:
        hub = qs.get(pk=pk)
    except (Hub.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such hub"), field="id") from None
    if write and not can_edit_hub(user, hub):
        raise Forbidden(_("only the hub's own operators and program officers may change it"))
    return hub


def stages_of(hub: Hub) -> list[DevelopmentStage]:
    """All six stages in order; the ones not yet planned are unsaved placeholders."""
    known = {s.stage: s for s in hub.stages.all()}
    return [known.get(code) or DevelopmentStage(hub=hub, stage=code) for code in Stage.values]


@dataclass
class AssetTotals:
    program_cost_yen: int = 0
    other_cost_yen: int = 0
    book_value_yen: int = 0
    count: int = 0
    disposed: int = 0


def asset_totals(hub: Hub, *, fy: int | None = None) -> AssetTotals:
    fy = fy if fy is not None else fiscal_year(timezone.localdate())
    totals = AssetTotals()
    for asset in hub.assets.all():
        if asset.hub_id != hub.pk:
            continue
        totals.count += 1
        if asset.funding_source == FundingSource.PROGRAM:
            totals.program_cost_yen += asset.acquisition_cost_yen
        else:
            totals.other_cost_yen += asset.acquisition_cost_yen
        totals.book_value_yen += asset.book_value(fy)
        totals.disposed += asset.is_disposed
    return totals


@dataclass
class Warning:
    code: str
    message: str
    rule: str | None = None
    field: str | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "rule": self.rule, "field": self.field}


def hub_warnings(hub: Hub, *, today: dt.date | None = None) -> list[Warning]:
    """What an officer should look at: money that does not tie, delays, an incomplete committee."""
    today = today or timezone.localdate()
    out: list[Warning] = []
    totals = asset_totals(hub)
    if totals.count and totals.program_cost_yen != hub.award_yen:
        out.append(
            Warning(
                "assets_award_mismatch",
                _("program-funded assets total %(assets)s but the award is %(award)s")
                % {
                    "assets": format_yen(totals.program_cost_yen),
                    "award": format_yen(hub.award_yen),
                },
                field="assets",
            )
        )
    for stage in hub.stages.all():
        delay = stage.delay_days(today)
        if delay:
            out.append(
                Warning(
                    "stage_delayed",
                    _("%(stage)s is %(days)d days behind plan")
                    % {"stage": stage.get_stage_display(), "days": delay},
                    field=f"stages.{stage.stage}",
                )
            )
        if stage.overspent_yen:
            out.append(
                Warning(
                    "stage_overspent",
                    _("%(stage)s spent %(over)s more than its budget")
                    % {"stage": stage.get_stage_display(), "over": format_yen(stage.overspent_yen)},
                    field=f"stages.{stage.stage}",
                )
            )
    out.extend(committee_warnings(hub))
    if hub.form in BUILDING_FORMS and not hub.land_address:
        out.append(
            Warning(
                "land_missing",
                _("the hub builds but its land is not recorded"),
                rule="R-9",
                field="land",
            )
        )
    return out


def committee_warnings(hub: Hub) -> list[Warning]:
    """R-12: led by the representative, members from the prefecture, universities and industry."""
    members = list(hub.committee.all())
    out: list[Warning] = []
    if not members:
        return [Warning("committee_missing", _("no operating committee yet"), "R-12", "committee")]
    chairs = [m for m in members if m.is_chair]
    if not chairs:
        out.append(
            Warning(
                "committee_no_chair",
                _("the committee has no chair (the representative leads it)"),
                "R-12",
                "committee",
            )
        )
    elif hub.representative_name and chairs[0].name != hub.representative_name:
        out.append(
            Warning(
                "committee_chair_not_representative",
                _("the chair %(chair)s is not the representative %(rep)s")
                % {"chair": chairs[0].name, "rep": hub.representative_name},
                "R-12",
                "committee",
            )
        )
    present = {m.organisation.sector for m in members}
    for sector in Sector:
        if sector.value not in present:
            out.append(
                Warning(
                    "committee_sector_missing",
                    _("no member from %(sector)s") % {"sector": sector.label},
                    "R-12",
                    "committee",
                )
            )
    return out


@dataclass
class BoardColumn:
    stage: str
    label: str
    hubs: list[Hub] = field(default_factory=list)


def board(user, *, today: dt.date | None = None) -> list[BoardColumn]:
    """The program-wide board: every hub in the column of its stage, delays marked."""
    today = today or timezone.localdate()
    columns = {code: BoardColumn(code, str(label)) for code, label in Stage.choices}
    qs = hubs_visible_to(user).prefetch_related(
        Prefetch("stages", queryset=DevelopmentStage.objects.order_by("id"))
    )
    for hub in qs:
        hub.delay_days = max((s.delay_days(today) for s in hub.stages.all()), default=0)
        columns[hub.stage].hubs.append(hub)
    return list(columns.values())


@dataclass
class ProgramTotals:
    hubs: int
    award_yen: int
    program_assets_yen: int

    @property
    def difference_yen(self) -> int:
        return self.award_yen - self.program_assets_yen


def program_totals(user) -> ProgramTotals:
    qs = hubs_visible_to(user)
    award = qs.aggregate(total=Sum("award_yen"))["total"] or 0
    assets = (
        Asset.objects.filter(hub__in=qs, funding_source=FundingSource.PROGRAM).aggregate(
            total=Sum("acquisition_cost_yen")
        )["total"]
        or 0
    )
    return ProgramTotals(hubs=qs.count(), award_yen=award, program_assets_yen=assets)


def hub_contradictions(hub: Hub, *, today: dt.date | None = None) -> list[Warning]:
    """Records of a hub that contradict each other (issue 19 §5): a stage without the dates of
    the stages before it, 運用中 without a handover date, assets or operation start, operation
    before the handover, an operation start already passed for a hub still being built."""
    from kyoten.hubs import stages as stage_rules

    assets = [a for a in hub.assets.all() if a.disposed_on is None and a.hub_id == hub.pk]
    problems = stage_rules.evidence_problems(
        form=hub.form,
        stage=hub.stage,
        stages=list(hub.stages.all()),
        asset_count=len(assets),
        operation_start_fy=hub.operation_start_fy,
        today=today or timezone.localdate(),
    )
    return [
        Warning(code, message, rule="hub-stage", field=field) for code, field, message in problems
    ]


def contradictions(user, *, today: dt.date | None = None) -> list[tuple[Hub, list[Warning]]]:
    """Every visible hub whose records contradict each other, with what contradicts."""
    qs = hubs_visible_to(user).prefetch_related("stages", "assets").order_by("id")
    out = []
    for hub in qs:
        found = hub_contradictions(hub, today=today)
        if found:
            out.append((hub, found))
    return out
