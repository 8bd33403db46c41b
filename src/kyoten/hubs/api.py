"""API: /api/v1/hubs — hubs with their building, land, operating committee and KPIs (SPEC §4).

Everyone reads the public part of a hub (the open directory); officers, the hub's operators,
ministry observers and the promotion committee also read its internals (stages and money,
assets, warnings). Officers create hubs; officers and the hub's own operators change them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import StrictInt

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.core.fiscal import fiscal_year
from kyoten.core.reference import BLOCKS
from kyoten.hubs import selectors, services
from kyoten.hubs.enums import AssetKind, HubForm, Stage
from kyoten.hubs.models import Hub
from kyoten.hubs.rules import can_edit_hub, can_view_hub_internals

router = Router(tags=["hubs"])


# ---------------------------------------------------------------- schemas out


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str


class LandOut(Schema):
    address: str
    area_m2: int | None
    provided_by: str
    campus: str


class BuildingOut(Schema):
    form: str
    address: str
    assets: list[dict[str, Any]]


class MemberOut(Schema):
    id: int
    name: str
    position: str
    organisation: OrganisationRef
    sector: str
    is_chair: bool
    term_start: dt.date | None
    term_end: dt.date | None


class CommitteeOut(Schema):
    chair: str | None
    representative: str
    members: list[MemberOut]
    sectors_missing: list[str]


class GoalOut(Schema):
    kpi: str
    fiscal_year: int | None
    target: float | int | None


class ContactOut(Schema):
    role: str
    name: str
    organisation: str | None
    email: str
    phone: str


class TenantOut(Schema):
    venture: str
    entered_on: dt.date
    graduated_on: dt.date | None


class RoomOut(Schema):
    name: str
    area_m2: int | None
    tenants: list[TenantOut]


class StageOut(Schema):
    stage: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    budget_yen: int
    spent_yen: int
    delay_days: int


class AssetOut(Schema):
    id: int
    kind: str
    name: str
    acquisition_cost_yen: int
    acquired_on: dt.date
    funding_source: str
    owner: str
    useful_life_years: int
    location: str
    book_value_yen: int
    disposed_on: dt.date | None


class TotalsOut(Schema):
    fiscal_year: int
    award_yen: int
    program_assets_yen: int
    other_assets_yen: int
    book_value_yen: int
    ties_to_award: bool


class WarningOut(Schema):
    code: str
    message: str
    rule: str | None
    field: str | None


class HubListOut(Schema):
    id: int
    name: str
    slug: str
    lead_prefecture: str
    prefectures: list[str]
    block: str
    form: str
    category: str
    stage: str
    award_yen: int
    operation_start_fy: int | None
    address: str
    latitude: float | None
    longitude: float | None
    url: str


class HubOut(HubListOut):
    summary: str
    how_to_use: str
    host_organisations: list[OrganisationRef]
    land: LandOut
    building: BuildingOut
    committee: CommitteeOut
    kpis: list[GoalOut]
    contacts: list[ContactOut]
    incubation_rooms: list[RoomOut]
    operators: list[str]
    proposal: int | None
    proposal_version: int | None
    can_edit: bool
    # Internals: officers, the hub's operators, observers and the promotion committee.
    stages: list[StageOut] | None = None
    assets: list[AssetOut] | None = None
    totals: TotalsOut | None = None
    warnings: list[WarningOut] | None = None


# ---------------------------------------------------------------- schemas in


class LandIn(Schema):
    address: str | None = None
    area_m2: StrictInt | None = None
    provided_by: str | None = None
    campus: str | None = None


class MemberIn(Schema):
    name: str
    organisation: StrictInt | str | None = None
    position: str = ""
    is_chair: bool = False
    term_start: dt.date | None = None
    term_end: dt.date | None = None


class HubPatch(Schema):
    name: str | None = None
    slug: str | None = None
    summary: str | None = None
    how_to_use: str | None = None
    lead_prefecture: str | None = None
    prefectures: list[str] | None = None
    host_organisations: list[StrictInt | str] | None = None
    form: str | None = None
    category: str | None = None
    stage: str | None = None
    award_yen: StrictInt | None = None
    operation_start_fy: StrictInt | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    land: LandIn | None = None
    operators: list[str] | None = None
    representative_name: str | None = None
    committee: list[MemberIn] | None = None
    proposal: StrictInt | None = None
    proposal_version: StrictInt | None = None


class HubIn(HubPatch):
    name: str
    lead_prefecture: str
    form: str
    award_yen: StrictInt = 0


class StageIn(Schema):
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    budget_yen: StrictInt = 0
    spent_yen: StrictInt = 0
    note: str = ""


class AssetIn(Schema):
    kind: str
    name: str
    acquisition_cost_yen: StrictInt
    acquired_on: dt.date
    useful_life_years: StrictInt
    funding_source: str = "program"
    owner: str = "jst"
    location: str = ""


# ---------------------------------------------------------------- building the answers


def _float(value) -> float | None:
    return float(value) if value is not None else None


def hub_list_dict(hub: Hub) -> dict[str, Any]:
    return {
        "id": hub.pk,
        "name": hub.name,
        "slug": hub.slug,
        "lead_prefecture": hub.lead_prefecture_id,
        "prefectures": sorted(p.code for p in hub.prefectures.all()),
        "block": hub.lead_prefecture.block,
        "form": hub.form,
        "category": hub.category,
        "stage": hub.stage,
        "award_yen": hub.award_yen,
        "operation_start_fy": hub.operation_start_fy,
        "address": hub.address,
        "latitude": _float(hub.latitude),
        "longitude": _float(hub.longitude),
        "url": reverse("hubs:detail", args=[hub.pk]),
    }


def _asset_dict(asset, fy: int) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "kind": asset.kind,
        "name": asset.name,
        "acquisition_cost_yen": asset.acquisition_cost_yen,
        "acquired_on": asset.acquired_on,
        "funding_source": asset.funding_source,
        "owner": asset.owner,
        "useful_life_years": asset.useful_life_years,
        "location": asset.location,
        "book_value_yen": asset.book_value(fy),
        "disposed_on": asset.disposed_on,
    }


def hub_dict(hub: Hub, user) -> dict[str, Any]:
    """The whole answer for one hub; `hub` comes from `selectors.with_details`."""
    fy = fiscal_year(timezone.localdate())
    hub._operator_ids = {u.pk for u in hub.operators.all()}
    members = list(hub.committee.all())
    chair = next((m for m in members if m.is_chair), None)
    present = {m.organisation.sector for m in members}
    assets = [a for a in hub.assets.all() if a.hub_id == hub.pk]
    out = hub_list_dict(hub) | {
        "summary": hub.summary,
        "how_to_use": hub.how_to_use,
        "host_organisations": [
            {"id": o.pk, "name": o.name, "kind": o.kind} for o in hub.host_organisations.all()
        ],
        "land": {
            "address": hub.land_address,
            "area_m2": hub.land_area_m2,
            "provided_by": hub.land_provided_by,
            "campus": hub.land_campus,
        },
        "building": {
            "form": hub.form,
            "address": hub.address,
            "assets": [
                {
                    "id": a.pk,
                    "name": a.name,
                    "owner": a.owner,
                    "acquired_on": a.acquired_on,
                    "location": a.location,
                }
                for a in assets
                if a.kind == AssetKind.BUILDING and not a.is_disposed
            ],
        },
        "committee": {
            "chair": chair.name if chair else None,
            "representative": hub.representative_name,
            "members": [
                {
                    "id": m.pk,
                    "name": m.name,
                    "position": m.position,
                    "organisation": {
                        "id": m.organisation.pk,
                        "name": m.organisation.name,
                        "kind": m.organisation.kind,
                    },
                    "sector": m.organisation.sector,
                    "is_chair": m.is_chair,
                    "term_start": m.term_start,
                    "term_end": m.term_end,
                }
                for m in members
            ],
            "sectors_missing": [
                s for s in ("government", "academia", "industry") if s not in present
            ],
        },
        "kpis": [
            {
                "kpi": str(g.get("kpi", "")),
                "fiscal_year": g.get("fiscal_year"),
                "target": g.get("target"),
            }
            for g in hub.goals
        ],
        "contacts": [
            {
                "role": c.role,
                "name": c.name,
                "organisation": c.organisation.name if c.organisation_id else None,
                "email": c.email,
                "phone": c.phone,
            }
            for c in hub.contacts.all()
        ],
        "incubation_rooms": [
            {
                "name": r.name,
                "area_m2": r.area_m2,
                "tenants": [
                    {
                        "venture": t.venture,
                        "entered_on": t.entered_on,
                        "graduated_on": t.graduated_on,
                    }
                    for t in r.tenants.all()
                ],
            }
            for r in hub.rooms.all()
        ],
        "operators": sorted(u.username for u in hub.operators.all()),
        "proposal": getattr(hub, "proposal_id", None),
        "proposal_version": hub.proposal_version,
        "can_edit": bool(can_edit_hub(user, hub)),
    }
    if can_view_hub_internals(user, hub):
        totals = selectors.asset_totals(hub, fy=fy)
        out["stages"] = [
            {
                "stage": s.stage,
                "planned_start": s.planned_start,
                "planned_end": s.planned_end,
                "actual_start": s.actual_start,
                "actual_end": s.actual_end,
                "budget_yen": s.budget_yen,
                "spent_yen": s.spent_yen,
                "delay_days": s.delay_days(),
            }
            for s in hub.stages.all()
        ]
        out["assets"] = [_asset_dict(a, fy) for a in assets]
        out["totals"] = {
            "fiscal_year": fy,
            "award_yen": hub.award_yen,
            "program_assets_yen": totals.program_cost_yen,
            "other_assets_yen": totals.other_cost_yen,
            "book_value_yen": totals.book_value_yen,
            "ties_to_award": totals.program_cost_yen == hub.award_yen,
        }
        out["warnings"] = [w.as_dict() for w in selectors.hub_warnings(hub)]
    return out


def _service_fields(payload: HubPatch) -> tuple[dict[str, Any], list | None, int | None]:
    data = payload.dict(exclude_unset=True)
    committee = data.pop("committee", None)
    proposal = data.pop("proposal", None)
    land = data.pop("land", None)
    if land is not None:
        for key, value in land.items():
            data[f"land_{key}"] = "" if value is None and key != "area_m2" else value
    for key in ("summary", "how_to_use", "address", "category", "representative_name"):
        if key in data and data[key] is None:
            data[key] = ""
    for key in ("name", "lead_prefecture", "form", "stage", "award_yen", "slug", "prefectures"):
        if key in data and data[key] is None:
            raise ApiError(400, "may not be null", field=key)
    return data, committee, proposal


def _proposal(proposal_id: int | None):
    if proposal_id is None:
        return None
    if not services.has_proposal_link():
        raise ApiError(400, "proposals cannot be linked yet", field="proposal")
    from kyoten.proposals.models import Proposal

    found = Proposal.objects.filter(pk=proposal_id).first()
    if found is None:
        raise ApiError(400, f"unknown proposal {proposal_id}", field="proposal")
    return found


def _detail(user, pk: int) -> dict[str, Any]:
    return hub_dict(selectors.get_hub_for(user, pk, details=True), user)


# ---------------------------------------------------------------- endpoints


@router.get("/hubs", response=Page[HubListOut], auth=public)
def hub_list(
    request,
    page: int = 1,
    page_size: int = 20,
    prefecture: str | None = None,
    block: str | None = None,
    stage: str | None = None,
    form: str | None = None,
    q: str | None = None,
):
    """All hubs (the open directory), filtered by prefecture, block, stage, form or text."""
    qs = selectors.hubs_visible_to(request.auth)
    if prefecture:
        qs = qs.filter(prefectures__code=prefecture).distinct()
    if block:
        if block not in BLOCKS:
            raise ApiError(400, f"unknown regional block {block!r}", field="block")
        qs = qs.filter(lead_prefecture__block=block)
    if stage:
        if stage not in Stage.values:
            raise ApiError(400, f"unknown stage {stage!r}", field="stage")
        qs = qs.filter(stage=stage)
    if form:
        if form not in HubForm.values:
            raise ApiError(400, f"unknown form {form!r}", field="form")
        qs = qs.filter(form=form)
    if q:
        qs = qs.filter(name__icontains=q)
    result = paginate(qs, page, page_size)
    result["items"] = [hub_list_dict(h) for h in result["items"]]
    return result


@router.get("/hubs/{hub_id}", response=HubOut, auth=public)
def hub_detail(request, hub_id: int):
    """One hub: building, land, operating committee, KPIs; internals for those who may."""
    return _detail(request.auth, hub_id)


@router.post("/hubs", response={201: HubOut})
def hub_create(request, payload: HubIn):
    """Create a hub (program officers)."""
    data, committee, proposal_id = _service_fields(payload)
    with transaction.atomic():
        hub = services.hub_create(by=request.auth, proposal=_proposal(proposal_id), **data)
        if committee is not None:
            services.hub_committee_set(hub=hub, members=committee, by=request.auth)
    return Status(201, _detail(request.auth, hub.pk))


def _update(request, hub_id: int, payload: HubPatch):
    hub = selectors.get_hub_for(request.auth, hub_id, write=True)
    data, committee, proposal_id = _service_fields(payload)
    if proposal_id is not None:
        raise ApiError(400, "the proposal of a hub cannot be changed", field="proposal")
    with transaction.atomic():
        if data:
            services.hub_update(hub=hub, by=request.auth, **data)
        if committee is not None:
            services.hub_committee_set(hub=hub, members=committee, by=request.auth)
    return _detail(request.auth, hub.pk)


@router.patch("/hubs/{hub_id}", response=HubOut)
def hub_update(request, hub_id: int, payload: HubPatch):
    """Change a hub: officers anything, the hub's own operators what is theirs."""
    return _update(request, hub_id, payload)


@router.put("/hubs/{hub_id}", response=HubOut)
def hub_replace(request, hub_id: int, payload: HubPatch):
    """Same as PATCH: the fields given are changed, the others kept."""
    return _update(request, hub_id, payload)


@router.put("/hubs/{hub_id}/stages/{stage}", response=StageOut)
def hub_stage_put(request, hub_id: int, stage: str, payload: StageIn):
    """Plan or record one development stage (officers)."""
    hub = selectors.get_hub_for(request.auth, hub_id, write=True)
    record = services.hub_stage_set(hub=hub, stage=stage, by=request.auth, **payload.dict())
    return {
        "stage": record.stage,
        "planned_start": record.planned_start,
        "planned_end": record.planned_end,
        "actual_start": record.actual_start,
        "actual_end": record.actual_end,
        "budget_yen": record.budget_yen,
        "spent_yen": record.spent_yen,
        "delay_days": record.delay_days(),
    }


@router.post("/hubs/{hub_id}/assets", response={201: AssetOut})
def hub_asset_create(request, hub_id: int, payload: AssetIn):
    """Register a building or piece of equipment (officers)."""
    hub = selectors.get_hub_for(request.auth, hub_id, write=True)
    asset = services.asset_register(hub=hub, by=request.auth, **payload.dict())
    return Status(201, _asset_dict(asset, fiscal_year(timezone.localdate())))
