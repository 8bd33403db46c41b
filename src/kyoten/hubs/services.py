"""Writes of the hubs app: every change to a hub, its stages, assets and committee.

Each service checks who may do it and every input *before* writing, inside one transaction,
so that bad input leaves nothing half saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.core.dates import format_day
from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.locking import check_seen
from kyoten.core.models import Organisation, Prefecture, User
from kyoten.core.money import format_yen, is_yen
from kyoten.core.rules import is_officer
from kyoten.hubs import stages as stage_rules
from kyoten.hubs.enums import (
    BUILDING_FORMS,
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
from kyoten.hubs.models import (
    Asset,
    AssetEvent,
    CommitteeMember,
    Contact,
    DevelopmentStage,
    Hub,
    IncubationRoom,
    Tenant,
)
from kyoten.hubs.rules import can_edit_hub
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify

# What a hub's own operators may change; everything else on the hub is the officer's.
OPERATOR_FIELDS = frozenset(
    {
        "summary",
        "how_to_use",
        "address",
        "latitude",
        "longitude",
        "land_address",
        "land_area_m2",
        "land_provided_by",
        "land_campus",
    }
)
OFFICER_FIELDS = frozenset(
    {
        "name",
        "slug",
        "lead_prefecture",
        "prefectures",
        "host_organisations",
        "form",
        "category",
        "stage",
        "award_yen",
        "operation_start_fy",
        "operators",
        "representative_name",
        "goals",
        "proposal_version",
    }
)
HUB_FIELDS = OPERATOR_FIELDS | OFFICER_FIELDS

MIN_FY, MAX_FY = 1900, 2200


# ---------------------------------------------------------------- checks (no writes)


def has_proposal_link() -> bool:
    """Whether Hub has its `proposal` foreign key (the proposals app provides the model)."""
    return any(f.name == "proposal" for f in Hub._meta.get_fields())


def _require_officer(by: User) -> None:
    if not is_officer(by):
        raise Forbidden(_("only program officers may do this"))


def _require_editor(by: User, hub: Hub) -> None:
    if not can_edit_hub(by, hub):
        raise Forbidden(_("only the hub's own operators and program officers may change it"))


def _yen(value: Any, field: str, *, positive: bool = False) -> int:
    if not is_yen(value) or (positive and value == 0):
        raise DomainError(_("must be a positive integer number of yen"), field=field)
    return value


def _choice(value: Any, choices, field: str, *, blank: bool = False) -> str:
    if blank and value in ("", None):
        return ""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise DomainError(
            _("unknown value %(value)r (one of: %(allowed)s)")
            % {"value": value, "allowed": allowed},
            field=field,
        )
    return value


def _date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("a date is required"), field=field)
        return None
    if isinstance(value, dt.datetime):
        raise DomainError(_("must be a date (YYYY-MM-DD)"), field=field)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise DomainError(_("must be a date (YYYY-MM-DD)"), field=field)


def _in_order(start: dt.date | None, end: dt.date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise DomainError(
            _("must not be before %(start)s (dates out of order)") % {"start": format_day(start)},
            field=field,
        )


def _text(value: Any, field: str, *, required: bool = False, max_length: int = 200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(_("must be text"), field=field)
    value = value.strip()
    if required and not value:
        raise DomainError(_("is required"), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("at most %(n)d characters") % {"n": max_length},
            field=field,
        )
    return value


def _int(value: Any, field: str, *, low: int, high: int, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            _("must be a whole number from %(low)d to %(high)d") % {"low": low, "high": high},
            field=field,
        )
    return value


def _coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DomainError(_("must be a number"), field=field)
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("must be a number"), field=field) from None
    if not -limit <= number <= limit:
        raise DomainError(
            _("must be between -%(n)d and %(n)d") % {"n": limit},
            field=field,
        )
    return number


def _prefecture(code: Any, field: str) -> Prefecture:
    if isinstance(code, Prefecture):
        return code
    try:
        return Prefecture.objects.get(code=str(code).zfill(2) if code is not None else "")
    except Prefecture.DoesNotExist:
        raise DomainError(
            _("unknown prefecture code %(code)r") % {"code": code}, field=field
        ) from None


def _organisation(value: Any, field: str, *, required: bool = True) -> Organisation | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("an organisation is required"), field=field)
        return None
    if isinstance(value, Organisation):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        found = Organisation.objects.filter(pk=value).first()
    elif isinstance(value, str):
        found = Organisation.objects.filter(name=value.strip()).order_by("id").first()
    else:
        found = None
    if found is None:
        raise DomainError(_("unknown organisation %(value)r") % {"value": value}, field=field)
    return found


def _users(values: Iterable[Any], field: str) -> list[User]:
    users = []
    for i, value in enumerate(values):
        if isinstance(value, User):
            users.append(value)
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            user = User.objects.filter(pk=value).first()
        elif isinstance(value, str):
            user = User.objects.filter(username=value).first()
        else:
            user = None
        if user is None:
            raise DomainError(_("unknown user %(value)r") % {"value": value}, field=f"{field}[{i}]")
        users.append(user)
    return users


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    stem = slugify(base)[:60] or "hub"
    slug, n = stem, 1
    qs = Hub.objects.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug


def _clean_hub_fields(
    data: Mapping[str, Any], *, hub: Hub | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check every given hub field; return (plain fields, many-to-many fields)."""
    plain: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    unknown = sorted(set(data) - HUB_FIELDS)
    if unknown:
        raise DomainError(_("unknown field"), field=unknown[0])
    for key, value in data.items():
        if key == "name":
            plain[key] = _text(value, key, required=True)
        elif key == "slug":
            slug = _text(value, key, required=True, max_length=80)
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                raise DomainError(_("lower-case letters, digits and hyphens only"), field=key)
            taken = Hub.objects.filter(slug=slug)
            if hub is not None:
                taken = taken.exclude(pk=hub.pk)
            if taken.exists():
                raise DomainError(_("another hub has this slug"), field=key)
            plain[key] = slug
        elif key in ("summary", "how_to_use"):
            plain[key] = _text(value, key, max_length=20_000)
        elif key in ("address", "land_address"):
            plain[key] = _text(value, key, max_length=300)
        elif key in ("land_campus", "representative_name"):
            plain[key] = _text(value, key, max_length=200 if key == "land_campus" else 100)
        elif key == "land_area_m2":
            plain[key] = _int(value, key, low=1, high=10_000_000)
        elif key == "land_provided_by":
            plain[key] = _choice(value, LandProvider, key, blank=True)
        elif key == "latitude":
            plain[key] = _coordinate(value, key, 90)
        elif key == "longitude":
            plain[key] = _coordinate(value, key, 180)
        elif key == "lead_prefecture":
            plain[key] = _prefecture(value, key)
        elif key == "form":
            plain[key] = _choice(value, HubForm, key)
        elif key == "category":
            plain[key] = _choice(value, HubCategory, key, blank=True)
        elif key == "stage":
            plain[key] = _choice(value, Stage, key)
        elif key == "award_yen":
            plain[key] = _yen(value, key)
        elif key == "operation_start_fy":
            plain[key] = _int(value, key, low=MIN_FY, high=MAX_FY)
        elif key == "proposal_version":
            plain[key] = _int(value, key, low=1, high=1_000_000)
        elif key == "goals":
            if not isinstance(value, list) or not all(isinstance(g, dict) for g in value):
                raise DomainError(_("must be a list of goals"), field=key)
            plain[key] = value
        elif key == "prefectures":
            if not isinstance(value, list | tuple) or not value:
                raise DomainError(_("at least one prefecture"), field=key)
            m2m[key] = [_prefecture(code, f"{key}[{i}]") for i, code in enumerate(value)]
        elif key == "host_organisations":
            if not isinstance(value, list | tuple):
                raise DomainError(_("must be a list of organisations"), field=key)
            m2m[key] = [_organisation(o, f"{key}[{i}]") for i, o in enumerate(value)]
        elif key == "operators":
            if not isinstance(value, list | tuple):
                raise DomainError(_("must be a list of users"), field=key)
            m2m[key] = _users(value, key)
    return plain, m2m


def _check_award_covers_assets(hub: Hub, award_yen: int) -> None:
    biggest = (
        hub.assets.filter(funding_source=FundingSource.PROGRAM)
        .order_by("-acquisition_cost_yen")
        .first()
    )
    if biggest is not None and biggest.acquisition_cost_yen > award_yen:
        raise DomainError(
            _("the asset %(asset)s costs %(cost)s, more than this award")
            % {
                "asset": biggest.name,
                "cost": format_yen(biggest.acquisition_cost_yen),
            },
            field="award_yen",
            rule="R-8",
        )


OPERATING_EVIDENCE = (
    "handover_missing",
    "assets_missing",
    "operation_start_missing",
    "operation_before_handover",
)


def _check_stage_move(hub: Hub, plain: dict[str, Any]) -> None:
    """A stage moves by the transition table (`stages.allowed_moves`: the next stage of the
    hub's path, or back one), and 運用中 needs its evidence: the handover date, assets in the
    register and an operation start not before the handover's fiscal year. An operation start
    that has passed is refused for a hub not yet operating."""
    form = plain.get("form", hub.form)
    stage = plain.get("stage", hub.stage)
    start = plain.get("operation_start_fy", hub.operation_start_fy)
    labels = dict(Stage.choices)
    if "stage" in plain and stage != hub.stage:
        allowed = stage_rules.allowed_moves(form, hub.stage)
        if stage not in allowed:
            raise DomainError(
                _("from %(stage)s a hub moves to %(allowed)s only, not to %(to)s")
                % {
                    "stage": labels.get(hub.stage, hub.stage),
                    "allowed": "・".join(str(labels[s]) for s in allowed),
                    "to": labels[stage],
                },
                field="stage",
                rule="hub-stage",
            )
    if "stage" not in plain and "operation_start_fy" not in plain:
        return
    problems = stage_rules.evidence_problems(
        form=form,
        stage=stage,
        stages=list(hub.stages.all()),
        asset_count=hub.assets.filter(disposed_on__isnull=True).count(),
        operation_start_fy=start,
        today=timezone.localdate(),
    )
    for code, field, message in problems:
        entering = stage == Stage.OPERATING and (
            hub.stage != Stage.OPERATING or "operation_start_fy" in plain
        )
        if (entering and code in OPERATING_EVIDENCE) or (
            code == "operation_start_passed" and "operation_start_fy" in plain
        ):
            raise DomainError(message, field=field, rule="hub-stage")


def _check_lead_among(lead: Prefecture, prefectures: list[Prefecture]) -> None:
    if lead.code not in {p.code for p in prefectures}:
        raise DomainError(
            _("the lead prefecture must be one of the hub's prefectures"),
            field="lead_prefecture",
            rule="R-2",
        )


# ---------------------------------------------------------------- hubs


@transaction.atomic
def hub_create(*, by: User, proposal: Any = None, **fields: Any) -> Hub:
    """Create a hub (officers). Required: name, lead_prefecture, form; award_yen defaults to 0."""
    _require_officer(by)
    for required in ("name", "lead_prefecture", "form"):
        if fields.get(required) in (None, ""):
            raise DomainError(_("is required"), field=required)
    plain, m2m = _clean_hub_fields(fields, hub=None)
    prefectures = m2m.pop("prefectures", None) or [plain["lead_prefecture"]]
    _check_lead_among(plain["lead_prefecture"], prefectures)
    if "slug" not in plain:
        plain["slug"] = _unique_slug(slug_base(plain["name"], plain["lead_prefecture"]))
    hub = Hub(**plain)
    if proposal is not None and has_proposal_link():
        hub.proposal = proposal
    try:
        with transaction.atomic():
            hub.save()
    except IntegrityError:
        raise Conflict(_("another hub has this slug"), field="slug") from None
    hub.prefectures.set(prefectures)
    for key, values in m2m.items():
        getattr(hub, key).set(values)
    return hub


def slug_base(name: str, lead: Prefecture) -> str:
    # Japanese names slugify to nothing: use the prefecture's English name and a counter.
    ascii_slug = slugify(name)
    if re.search(r"[a-z]{3}", ascii_slug):
        return ascii_slug
    return f"{slugify(lead.name_en)}-hub"


@transaction.atomic
def hub_update(*, hub: Hub, by: User, seen: str | None = None, **fields: Any) -> Hub:
    """Change a hub. Operators may change what is theirs (OPERATOR_FIELDS); officers all.
    `seen` (the form's `seen_of`): refuse to overwrite a field someone changed since."""
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    _require_editor(by, hub)
    check_seen(hub, seen, fields)
    if not is_officer(by):
        theirs = sorted(set(fields) & OFFICER_FIELDS)
        if theirs:
            raise Forbidden(
                _("only program officers may change this field"),
                field=theirs[0],
            )
    plain, m2m = _clean_hub_fields(fields, hub=hub)
    lead = plain.get("lead_prefecture", hub.lead_prefecture)
    prefectures = m2m.get("prefectures") or list(hub.prefectures.all())
    if "lead_prefecture" in plain or "prefectures" in m2m:
        _check_lead_among(lead, prefectures)
    if "award_yen" in plain:
        _check_award_covers_assets(hub, plain["award_yen"])
    _check_stage_move(hub, plain)
    for key, value in plain.items():
        setattr(hub, key, value)
    if plain:
        hub.save(update_fields=[*plain, "updated_at"])
    for key, values in m2m.items():
        getattr(hub, key).set(values)
    return hub


def _proposal_content(proposal: Any) -> dict[str, Any]:
    content = getattr(proposal, "content", None)
    return content if isinstance(content, dict) else {}


def hub_fields_from_proposal(proposal: Any, *, award_yen: int) -> dict[str, Any]:
    """The fields of the hub of a proposal (its latest submitted version when there is one)."""
    version = getattr(proposal, "latest_version", None)
    doc = getattr(version, "content", None) or _proposal_content(proposal)
    if not isinstance(doc, dict):
        doc = {}
    lead_code = doc.get("lead_prefecture") or getattr(proposal, "lead_prefecture_id", None)
    if not lead_code:
        raise DomainError(_("the proposal has no lead prefecture"), field="lead_prefecture")
    codes = [c for c in doc.get("prefectures") or [] if isinstance(c, str)] or [lead_code]
    if lead_code not in codes:
        codes.insert(0, lead_code)
    land = doc.get("land") if isinstance(doc.get("land"), dict) else {}
    building = doc.get("existing_building")
    building = building if isinstance(building, dict) else {}
    signatories = doc.get("signatories") if isinstance(doc.get("signatories"), dict) else {}
    representative = doc.get("representative") or "governor"
    rep = signatories.get(representative) if isinstance(representative, str) else None
    rep_name = rep.get("name") if isinstance(rep, dict) else ""
    hosts = []
    head = signatories.get("university_head")
    university = head.get("organization") if isinstance(head, dict) else None
    if isinstance(university, str) and university:
        org = Organisation.objects.filter(name=university).order_by("id").first()
        if org is not None:
            hosts.append(org)
    form = doc.get("form") or getattr(proposal, "form", "") or HubForm.EQUIPMENT_ONLY
    title = doc.get("title") or getattr(proposal, "title", "") or str(proposal)
    number = getattr(version, "number", None)
    start_fy = doc.get("operation_start_fy")
    sections = doc.get("sections") if isinstance(doc.get("sections"), dict) else {}
    purpose = sections.get("purpose")
    fields: dict[str, Any] = {
        "name": str(title)[:200],
        "lead_prefecture": lead_code,
        "prefectures": codes,
        "form": form,
        "award_yen": award_yen,
        "operation_start_fy": start_fy if isinstance(start_fy, int) else None,
        "representative_name": (rep_name if isinstance(rep_name, str) else "")[:100],
        "goals": [g for g in doc.get("goals") or [] if isinstance(g, dict)],
        "host_organisations": hosts,
        "summary": (purpose if isinstance(purpose, str) else "")[:20_000],
        "proposal_version": number if isinstance(number, int) and number >= 1 else None,
    }
    if form in BUILDING_FORMS and land:
        address = land.get("address") if isinstance(land.get("address"), str) else ""
        fields["land_address"] = address[:300]
        fields["address"] = address[:300]
        area = land.get("area_m2")
        if isinstance(area, int) and not isinstance(area, bool) and area > 0:
            fields["land_area_m2"] = area
        if land.get("provided_by") in LandProvider.values:
            fields["land_provided_by"] = land["provided_by"]
    elif isinstance(building.get("address"), str):
        fields["address"] = building["address"][:300]
    return fields


@transaction.atomic
def hub_create_from_proposal(*, proposal: Any, award_yen: int, by: User) -> Hub:
    """The hub of an adopted proposal, keeping its version, award, goals, land and hosts.

    Called by the allocation app when a decision adopts a proposal. Idempotent: a proposal
    that already has a hub gets that hub back (with the award brought up to date).
    """
    _require_officer(by)
    _yen(award_yen, "award_yen", positive=True)
    existing = Hub.objects.filter(proposal=proposal).first() if has_proposal_link() else None
    if existing is not None:
        if existing.award_yen != award_yen:
            return hub_update(hub=existing, by=by, award_yen=award_yen)
        return existing
    fields = hub_fields_from_proposal(proposal, award_yen=award_yen)
    hub = hub_create(by=by, proposal=proposal, **fields)
    from kyoten.proposals.services import applicants_of

    notify(
        recipients=[*applicants_of(proposal), *hub.operators.all()],
        kind=NoticeKind.HUB_CREATED,
        message=gettext_lazy(
            "The hub “%(hub)s” is created for the adopted proposal “%(title)s”: JST builds it on "
            "the land the region provides."
        ),
        params={"hub": hub.name, "title": str(proposal)},
        url=reverse("hubs:detail", args=[hub.pk]),
    )
    return hub


def hub_fields_clean(fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the fields of a new hub without writing: (model fields, many-to-many fields)."""
    return _clean_hub_fields(fields, hub=None)


@transaction.atomic
def hub_operator_add(*, hub: Hub, user: User, by: User) -> None:
    _require_officer(by)
    hub.operators.add(user)


@transaction.atomic
def hub_operator_remove(*, hub: Hub, user: User, by: User) -> None:
    _require_officer(by)
    hub.operators.remove(user)


# ---------------------------------------------------------------- development stages


@transaction.atomic
def hub_stage_set(
    *,
    hub: Hub,
    stage: str,
    by: User,
    planned_start: dt.date | str | None = None,
    planned_end: dt.date | str | None = None,
    actual_start: dt.date | str | None = None,
    actual_end: dt.date | str | None = None,
    budget_yen: int = 0,
    spent_yen: int = 0,
    note: str = "",
) -> DevelopmentStage:
    """Record (or replace) the plan and progress of one development stage (officers)."""
    _require_officer(by)
    _choice(stage, Stage, "stage")
    ps = _date(planned_start, "planned_start")
    pe = _date(planned_end, "planned_end")
    as_ = _date(actual_start, "actual_start")
    ae = _date(actual_end, "actual_end")
    _in_order(ps, pe, "planned_end")
    _in_order(as_, ae, "actual_end")
    if ae is not None and as_ is None:
        raise DomainError(_("a stage cannot end before it starts"), field="actual_start")
    _yen(budget_yen, "budget_yen")
    _yen(spent_yen, "spent_yen")
    note = _text(note, "note", max_length=5_000)
    # Stages follow one another: a stage's planned start may not be before the earlier one's.
    order = list(Stage.values)
    for other in hub.stages.all():
        if other.stage == stage:
            continue
        if order.index(other.stage) < order.index(stage) and other.planned_start and ps:
            if ps < other.planned_start:
                raise DomainError(
                    _("planned before the earlier stage %(other)s starts (dates out of order)")
                    % {"other": other.get_stage_display()},
                    field="planned_start",
                )
        if order.index(other.stage) > order.index(stage) and other.planned_start and ps:
            if ps > other.planned_start:
                raise DomainError(
                    _("planned after the later stage %(other)s starts (dates out of order)")
                    % {"other": other.get_stage_display()},
                    field="planned_start",
                )
    record, _created = DevelopmentStage.objects.update_or_create(
        hub=hub,
        stage=stage,
        defaults={
            "planned_start": ps,
            "planned_end": pe,
            "actual_start": as_,
            "actual_end": ae,
            "budget_yen": budget_yen,
            "spent_yen": spent_yen,
            "note": note,
        },
    )
    return record


# ---------------------------------------------------------------- assets


@transaction.atomic
def asset_register(
    *,
    hub: Hub,
    kind: str,
    name: str,
    acquisition_cost_yen: int,
    acquired_on: dt.date | str,
    useful_life_years: int,
    by: User,
    funding_source: str = FundingSource.PROGRAM,
    owner: str = AssetOwner.JST,
    location: str = "",
) -> Asset:
    """Add a building or piece of equipment to the register (officers)."""
    _require_officer(by)
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    _choice(kind, AssetKind, "kind")
    name = _text(name, "name", required=True)
    cost = _yen(acquisition_cost_yen, "acquisition_cost_yen", positive=True)
    acquired = _date(acquired_on, "acquired_on", required=True)
    life = _int(useful_life_years, "useful_life_years", low=1, high=100, optional=False)
    _choice(funding_source, FundingSource, "funding_source")
    _choice(owner, AssetOwner, "owner")
    location = _text(location, "location")
    if funding_source == FundingSource.PROGRAM and cost > hub.award_yen:
        raise DomainError(
            _("costs %(cost)s, more than the hub's award of %(award)s")
            % {"cost": format_yen(cost), "award": format_yen(hub.award_yen)},
            field="acquisition_cost_yen",
            rule="R-8",
        )
    return Asset.objects.create(
        hub=hub,
        kind=kind,
        name=name,
        acquisition_cost_yen=cost,
        acquired_on=acquired,
        useful_life_years=life,
        funding_source=funding_source,
        owner=owner,
        location=location,
    )


def _live_asset(asset: Asset) -> Asset:
    asset = Asset.objects.select_for_update(of=("self",)).select_related("hub").get(pk=asset.pk)
    if asset.disposed_on is not None:
        raise Conflict(_("the asset has been disposed of"), field="asset")
    return asset


@transaction.atomic
def asset_transfer(
    *,
    asset: Asset,
    to_location: str,
    on: dt.date | str,
    by: User,
    to_hub: Hub | None = None,
    reason: str = "",
) -> AssetEvent:
    """Move an asset to another place in its hub (operators, officers) or to another hub
    (officers only). The move is recorded as an event; the asset keeps its history."""
    asset = _live_asset(asset)
    _require_editor(by, asset.hub)
    if to_hub is not None and to_hub.pk != asset.hub_id:
        _require_officer(by)
    day = _date(on, "on", required=True)
    if day < asset.acquired_on:
        raise DomainError(_("before the asset was acquired (dates out of order)"), field="on")
    last = asset.events.order_by("-on").first()
    if last is not None and day < last.on:
        raise DomainError(
            _("before the asset's last recorded move (dates out of order)"), field="on"
        )
    to_location = _text(to_location, "to_location", required=True)
    event = AssetEvent.objects.create(
        asset=asset,
        kind=AssetEventKind.TRANSFER,
        on=day,
        from_hub_id=asset.hub_id,
        to_hub=to_hub or asset.hub,
        from_location=asset.location,
        to_location=to_location,
        reason=_text(reason, "reason", max_length=5_000),
        by=by,
    )
    asset.location = to_location
    asset.hub = to_hub or asset.hub
    asset.save(update_fields=["location", "hub"])
    return event


@transaction.atomic
def asset_dispose(*, asset: Asset, on: dt.date | str, reason: str, by: User) -> AssetEvent:
    """Record the disposal of an asset (officers: JST owns it)."""
    _require_officer(by)
    asset = _live_asset(asset)
    day = _date(on, "on", required=True)
    if day < asset.acquired_on:
        raise DomainError(_("before the asset was acquired (dates out of order)"), field="on")
    reason = _text(reason, "reason", required=True, max_length=5_000)
    event = AssetEvent.objects.create(
        asset=asset,
        kind=AssetEventKind.DISPOSAL,
        on=day,
        from_hub_id=asset.hub_id,
        from_location=asset.location,
        reason=reason,
        by=by,
    )
    asset.disposed_on = day
    asset.save(update_fields=["disposed_on"])
    return event


# ---------------------------------------------------------------- operating committee


def _clean_member(data: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    unknown = sorted(set(data) - {"name", "position", "organisation", "is_chair", "term_start",
                                  "term_end", "chair"})  # fmt: skip
    if unknown:
        raise DomainError(_("unknown field"), field=f"{prefix}{unknown[0]}")
    start = _date(data.get("term_start"), f"{prefix}term_start")
    end = _date(data.get("term_end"), f"{prefix}term_end")
    _in_order(start, end, f"{prefix}term_end")
    chair = data.get("is_chair", data.get("chair", False))
    if not isinstance(chair, bool):
        raise DomainError(_("must be true or false"), field=f"{prefix}is_chair")
    return {
        "name": _text(data.get("name"), f"{prefix}name", required=True, max_length=100),
        "position": _text(data.get("position"), f"{prefix}position", max_length=100),
        "organisation": _organisation(data.get("organisation"), f"{prefix}organisation"),
        "is_chair": chair,
        "term_start": start,
        "term_end": end,
    }


@transaction.atomic
def committee_member_add(
    *,
    hub: Hub,
    by: User,
    name: str,
    organisation: Organisation | int | str | None,
    position: str = "",
    is_chair: bool = False,
    term_start: dt.date | str | None = None,
    term_end: dt.date | str | None = None,
) -> CommitteeMember:
    _require_editor(by, hub)
    member = _clean_member(
        {
            "name": name,
            "organisation": organisation,
            "position": position,
            "is_chair": is_chair,
            "term_start": term_start,
            "term_end": term_end,
        },
        "",
    )
    if member["is_chair"] and hub.committee.filter(is_chair=True).exists():
        raise Conflict(_("the committee already has a chair"), field="is_chair", rule="R-12")
    try:
        with transaction.atomic():
            return CommitteeMember.objects.create(hub=hub, **member)
    except IntegrityError:  # a chair added at the same moment (constraint hub_one_chair)
        raise Conflict(
            _("the committee already has a chair"), field="is_chair", rule="R-12"
        ) from None


@transaction.atomic
def committee_member_remove(*, member: CommitteeMember, by: User) -> None:
    _require_editor(by, member.hub)
    member.delete()


@transaction.atomic
def hub_committee_set(
    *, hub: Hub, members: list[Mapping[str, Any]], by: User
) -> list[CommitteeMember]:
    """Replace the whole committee at once; a bad member leaves the old committee intact."""
    _require_editor(by, hub)
    if not isinstance(members, list):
        raise DomainError(_("must be a list of members"), field="committee")
    cleaned = []
    for i, data in enumerate(members):
        if not isinstance(data, Mapping):
            raise DomainError(_("must be an object"), field=f"committee[{i}]")
        cleaned.append(_clean_member(data, f"committee[{i}]."))
    chairs = [i for i, m in enumerate(cleaned) if m["is_chair"]]
    if len(chairs) > 1:
        raise DomainError(
            _("only one chair (the representative)"),
            field=f"committee[{chairs[1]}].is_chair",
            rule="R-12",
        )
    hub.committee.all().delete()
    return CommitteeMember.objects.bulk_create(CommitteeMember(hub=hub, **m) for m in cleaned)


# ---------------------------------------------------------------- contacts, incubation


@transaction.atomic
def contact_add(
    *,
    hub: Hub,
    by: User,
    role: str,
    name: str,
    organisation: Organisation | int | str | None = None,
    email: str = "",
    phone: str = "",
) -> Contact:
    _require_editor(by, hub)
    _choice(role, ContactRole, "role")
    email = _text(email, "email", max_length=254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise DomainError(_("not an e-mail address"), field="email")
    return Contact.objects.create(
        hub=hub,
        role=role,
        name=_text(name, "name", required=True, max_length=100),
        organisation=_organisation(organisation, "organisation", required=False),
        email=email,
        phone=_text(phone, "phone", max_length=30),
    )


@transaction.atomic
def contact_remove(*, contact: Contact, by: User) -> None:
    _require_editor(by, contact.hub)
    contact.delete()


@transaction.atomic
def incubation_room_add(
    *, hub: Hub, by: User, name: str, area_m2: int | None = None
) -> IncubationRoom:
    _require_editor(by, hub)
    name = _text(name, "name", required=True, max_length=100)
    if hub.rooms.filter(name=name).exists():
        raise DomainError(_("the hub already has a room of this name"), field="name")
    return IncubationRoom.objects.create(
        hub=hub, name=name, area_m2=_int(area_m2, "area_m2", low=1, high=100_000)
    )


def _check_room_free(room: IncubationRoom, start: dt.date, end: dt.date | None, *, skip=None):
    others = room.tenants.all()
    if skip is not None:
        others = others.exclude(pk=skip.pk)
    for other in others:
        other_end = other.graduated_on or dt.date.max
        if start <= other_end and (end or dt.date.max) >= other.entered_on:
            raise Conflict(
                _("the room is occupied by %(venture)s then") % {"venture": other.venture},
                field="entered_on",
            )


@transaction.atomic
def tenant_add(
    *,
    room: IncubationRoom,
    by: User,
    venture: str,
    entered_on: dt.date | str,
    graduated_on: dt.date | str | None = None,
    organisation: Organisation | int | str | None = None,
) -> Tenant:
    """A venture moves into an incubation room; entry and graduation dates must be in order."""
    room = (
        IncubationRoom.objects.select_for_update(of=("self",)).select_related("hub").get(pk=room.pk)
    )
    _require_editor(by, room.hub)
    venture = _text(venture, "venture", required=True)
    start = _date(entered_on, "entered_on", required=True)
    end = _date(graduated_on, "graduated_on")
    _in_order(start, end, "graduated_on")
    org = _organisation(organisation, "organisation", required=False)
    _check_room_free(room, start, end)
    return Tenant.objects.create(
        room=room, venture=venture, entered_on=start, graduated_on=end, organisation=org
    )


@transaction.atomic
def tenant_graduate(*, tenant: Tenant, on: dt.date | str, by: User) -> Tenant:
    tenant = (
        Tenant.objects.select_for_update(of=("self",)).select_related("room__hub").get(pk=tenant.pk)
    )
    _require_editor(by, tenant.room.hub)
    day = _date(on, "graduated_on", required=True)
    _in_order(tenant.entered_on, day, "graduated_on")
    tenant.graduated_on = day
    tenant.save(update_fields=["graduated_on"])
    return tenant


def get_or_404(model, pk: Any, field: str = "id"):
    """Fetch by primary key or raise NotFound naming the field."""
    try:
        return model.objects.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("not found"), field=field) from None


def adopted_awards(*, call: Any) -> list[tuple[Any, int]]:
    """(proposal, award yen) for each funded proposal of the call's adopted allocation decision."""
    from kyoten.allocation.selectors import decision_for
    from kyoten.proposals.models import Proposal

    decision = decision_for(call)
    if decision is None:
        return []
    mapping = decision.run.proposal_map or {}
    amounts = {
        mapping[a["id"]]: a["amount_yen"]
        for a in decision.run.result.get("awards", [])
        if a.get("id") in mapping
    }
    proposals = Proposal.objects.in_bulk(list(amounts))
    return [(proposals[pk], amounts[pk]) for pk in sorted(amounts) if pk in proposals]


@transaction.atomic
def hubs_create_for_decision(*, call: Any, by: User) -> list[Hub]:
    """Every funded proposal of the call's adopted decision gets its hub (or its award updated)."""
    _require_officer(by)
    awards = adopted_awards(call=call)
    if not awards:
        raise DomainError(_("the call has no adopted allocation decision"), field="call")
    return [
        hub_create_from_proposal(proposal=proposal, award_yen=award, by=by)
        for proposal, award in awards
    ]
