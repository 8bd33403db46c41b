"""API: /api/v1/equipment (public catalogue and search) and /api/v1/bookings (SPEC §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.core.errors import DomainError
from kyoten.equipment import selectors, services
from kyoten.equipment.enums import MODES_FOR_ACCESS
from kyoten.equipment.models import Booking, Equipment
from kyoten.equipment.slots import TOKYO, WEEKDAY_NAMES

router = Router(tags=["equipment"])


class HubRef(Schema):
    id: int
    name: str
    prefecture: str
    prefectures: list[str]


class FeeOut(Schema):
    user_class: str
    mode: str
    hourly_yen: int


class FeePartsOut(Schema):
    """Optional parts of a machine's fee (docs/equipment.md, "Fee parts")."""

    per_day_yen: int | None = None
    day_hours: int = 8
    per_sample_yen: int = 0
    base_fee_yen: int = 0
    private_pct: int = 100


class FeePartsIn(Schema):
    per_day_yen: int | None = None
    day_hours: int = 8
    per_sample_yen: int = 0
    base_fee_yen: int = 0
    private_pct: int = 100


class FeePartsPatch(Schema):
    """Only the parts given change; `per_day_yen: null` removes the day rate."""

    per_day_yen: int | None = None
    day_hours: int | None = None
    per_sample_yen: int | None = None
    base_fee_yen: int | None = None
    private_pct: int | None = None


class YourFee(Schema):
    user_class: str
    mode: str
    hourly_yen: int
    out_of_area_multiplier_pct: int


class OpeningHoursOut(Schema):
    weekdays: list[int]
    weekday_names: list[str]
    opens: str
    closes: str
    time_zone: str


class RulesOut(Schema):
    opening_hours: OpeningHoursOut
    slot_minutes: int
    min_booking_minutes: int
    max_booking_minutes: int
    lead_time_minutes: int
    requires_approval: bool


class SlotOut(Schema):
    start: str
    end: str


class EquipmentOut(Schema):
    id: int
    name: str
    name_en: str
    category: str
    category_label: str
    maker: str
    model: str
    specs: str
    location: str
    status: str
    access: str
    modes: list[str]
    hub: HubRef
    fees: list[FeeOut]
    fee_parts: FeePartsOut
    your_fee: YourFee | None = None
    booking_rules: RulesOut
    next_free_slot: SlotOut | None = None
    url: str


class FeeIn(Schema):
    user_class: str
    mode: str
    hourly_yen: int


class OpeningHoursIn(Schema):
    weekdays: list[int] = [1, 2, 3, 4, 5]
    opens: str = "09:00"
    closes: str = "17:00"


class EquipmentIn(Schema):
    hub: int
    name: str
    name_en: str = ""
    category: str
    maker: str = ""
    model: str = ""
    specs: str = ""
    location: str = ""
    access: str = "trained"
    requires_approval: bool = False
    opening_hours: OpeningHoursIn = OpeningHoursIn()
    slot_minutes: int = 30
    min_booking_minutes: int = 30
    max_booking_minutes: int = 480
    lead_time_minutes: int = 60
    fees: list[FeeIn]
    fee_parts: FeePartsIn = FeePartsIn()


class EquipmentPatch(Schema):
    status: str | None = None
    specs: str | None = None
    location: str | None = None
    requires_approval: bool | None = None
    fee_parts: FeePartsPatch | None = None


class BookingIn(Schema):
    equipment: Any = None
    start: Any = None
    end: Any = None
    mode: str | None = None
    staff_count: int | None = None
    purpose: str = ""
    samples: int = 0
    private: bool = False
    repeat_count: int | None = None
    repeat_interval_days: int = 7


class BookingOut(Schema):
    id: int
    equipment: int
    equipment_name: str
    hub: int
    user: str
    start: str
    end: str
    minutes: int
    status: str
    mode: str
    user_class: str
    staff_count: int
    estimated_fee_yen: int
    samples: int = 0
    private: bool = False
    base_fee_yen: int = 0
    purpose: str
    series: int | None = None
    created_at: str


class CancelIn(Schema):
    reason: str = ""


class UsageIn(Schema):
    actual_start: Any = None
    actual_end: Any = None
    will_acknowledge: bool = False
    publication_note: str = ""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(TOKYO).isoformat()


def equipment_out(
    e: Equipment, user, next_slot: tuple[dt.datetime, dt.datetime] | None
) -> dict[str, Any]:
    hours = e.opening_hours
    prefectures = sorted({p.code for p in e.hub.prefectures.all()} | {e.hub.lead_prefecture_id})
    return {
        "id": e.pk,
        "name": e.name,
        "name_en": e.name_en,
        "category": e.category,
        "category_label": str(e.get_category_display()),
        "maker": e.maker,
        "model": e.model_name,
        "specs": e.specs,
        "location": e.location,
        "status": e.status,
        "access": e.access,
        "modes": list(MODES_FOR_ACCESS[e.access]),
        "hub": {
            "id": e.hub_id,
            "name": e.hub.name,
            "prefecture": e.hub.lead_prefecture_id,
            "prefectures": prefectures,
        },
        "fees": [
            {"user_class": f.user_class, "mode": f.mode, "hourly_yen": f.hourly_yen}
            for f in e.fees.all()
        ],
        "fee_parts": {
            "per_day_yen": e.per_day_yen,
            "day_hours": e.day_hours,
            "per_sample_yen": e.per_sample_yen,
            "base_fee_yen": e.base_fee_yen,
            "private_pct": e.private_pct,
        },
        "your_fee": selectors.fee_for(user, e),
        "booking_rules": {
            "opening_hours": {
                "weekdays": sorted(hours.weekdays),
                "weekday_names": [WEEKDAY_NAMES[d] for d in sorted(hours.weekdays)],
                "opens": e.opens,
                "closes": e.closes,
                "time_zone": "Asia/Tokyo",
            },
            "slot_minutes": e.slot_minutes,
            "min_booking_minutes": e.min_booking_minutes,
            "max_booking_minutes": e.max_booking_minutes,
            "lead_time_minutes": e.lead_time_minutes,
            "requires_approval": e.requires_approval,
        },
        "next_free_slot": {"start": _iso(next_slot[0]), "end": _iso(next_slot[1])}
        if next_slot
        else None,
        "url": f"/equipment/{e.pk}/",
    }


def booking_out(b: Booking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "equipment": b.equipment_id,
        "equipment_name": b.equipment.name,
        "hub": b.equipment.hub_id,
        "user": b.user.username,
        "start": _iso(b.start),
        "end": _iso(b.end),
        "minutes": b.minutes,
        "status": b.status,
        "mode": b.mode,
        "user_class": b.user_class,
        "staff_count": b.staff_count,
        "estimated_fee_yen": b.estimated_fee_yen,
        "samples": b.samples,
        "private": b.private,
        "base_fee_yen": b.base_fee_yen,
        "purpose": b.purpose,
        "series": b.series_id,
        "created_at": _iso(b.created_at),
    }


@router.get("/equipment", response=Page[EquipmentOut], auth=public)
def equipment_list(
    request,
    page: int = 1,
    page_size: int = 20,
    q: str | None = None,
    category: str | None = None,
    prefecture: str | None = None,
    block: str | None = None,
    hub: str | None = None,
    max_fee: str | None = None,
    user_class: str | None = None,
    mode: str | None = None,
    access: str | None = None,
    status: str | None = None,
):
    """The network-wide catalogue. `q` finds Japanese words of any length (顕微, 材料, X線)."""
    user = request.auth
    qs = selectors.search_equipment(
        user, q=q, category=category, prefecture=prefecture, block=block, hub=hub,
        max_fee=max_fee, user_class=user_class, mode=mode, access=access, status=status,
    )  # fmt: skip
    result = paginate(qs, page, page_size)
    slots = selectors.next_free_slots(result["items"])
    result["items"] = [equipment_out(e, user, slots.get(e.pk)) for e in result["items"]]
    return result


@router.get("/equipment/{equipment_id}", response=EquipmentOut, auth=public)
def equipment_detail(request, equipment_id: str):
    e = selectors.get_equipment_for(request.auth, equipment_id)
    return equipment_out(e, request.auth, selectors.next_free_slots([e]).get(e.pk))


@router.post("/equipment", response={201: EquipmentOut})
def equipment_create(request, payload: EquipmentIn):
    """Add a machine to a hub (its operators, program officers)."""
    from kyoten.equipment.slots import SlotError, parse_hhmm
    from kyoten.hubs.selectors import get_hub_for

    hub = get_hub_for(request.auth, payload.hub)
    try:
        opens = parse_hhmm(payload.opening_hours.opens, field="opening_hours.opens")
        closes = parse_hhmm(payload.opening_hours.closes, field="opening_hours.closes")
    except SlotError as exc:
        raise DomainError(exc.message, field=exc.field) from None
    weekdays = sorted(set(payload.opening_hours.weekdays))
    if not weekdays or not set(weekdays) <= set(range(1, 8)):
        raise DomainError(
            _("weekdays are 1 (Monday) to 7 (Sunday)"), field="opening_hours.weekdays"
        )
    fees = {}
    for i, fee in enumerate(payload.fees):
        if fee.hourly_yen < 0:
            raise DomainError(
                _("fees are whole numbers of yen, 0 or more"), field=f"fees[{i}].hourly_yen"
            )
        fees[(fee.user_class, fee.mode)] = fee.hourly_yen
    machine = services.equipment_create(
        hub=hub, by=request.auth, name=payload.name, category=payload.category, fees=fees,
        name_en=payload.name_en, maker=payload.maker, model_name=payload.model,
        specs=payload.specs, location=payload.location, access=payload.access,
        requires_approval=payload.requires_approval,
        open_weekdays="".join(str(d) for d in weekdays), opens_minute=opens,
        closes_minute=closes, slot_minutes=payload.slot_minutes,
        min_booking_minutes=payload.min_booking_minutes,
        max_booking_minutes=payload.max_booking_minutes,
        lead_time_minutes=payload.lead_time_minutes, **payload.fee_parts.model_dump(),
    )  # fmt: skip
    machine = selectors.get_equipment_for(request.auth, machine.pk)
    return Status(201, equipment_out(machine, request.auth, None))


@router.patch("/equipment/{equipment_id}", response=EquipmentOut)
def equipment_update(request, equipment_id: str, payload: EquipmentPatch):
    """Change a machine's status (available, maintenance, retired) and a few details."""
    machine = selectors.get_equipment_for(request.auth, equipment_id)
    if not services.can_manage_equipment(request.auth, machine.hub):
        raise ApiError(403, _("only the hub's operators may change this machine"))
    if payload.status is not None:
        services.equipment_set_status(equipment=machine, status=payload.status, by=request.auth)
    changes = payload.model_dump(exclude_none=True, exclude={"status", "fee_parts"})
    clear = []
    if payload.fee_parts is not None:
        parts = payload.fee_parts.model_dump(exclude_unset=True)
        clear = [name for name, value in parts.items() if value is None]
        changes.update({name: value for name, value in parts.items() if value is not None})
    if changes or clear:
        services.equipment_update(equipment=machine, by=request.auth, clear=clear, **changes)
    machine = selectors.get_equipment_for(request.auth, machine.pk)
    return equipment_out(
        machine, request.auth, selectors.next_free_slots([machine]).get(machine.pk)
    )


@router.get("/bookings", response=Page[BookingOut])
def booking_list(
    request,
    page: int = 1,
    page_size: int = 20,
    equipment: int | None = None,
    status: str | None = None,
    mine: bool = True,
):
    """Your own bookings (operators: `mine=false` lists their hub's machines too)."""
    qs = selectors.bookings_visible_to(request.auth)
    if mine:
        qs = qs.filter(user=request.auth)
    if equipment is not None:
        qs = qs.filter(equipment_id=equipment)
    if status:
        qs = qs.filter(status=status)
    result = paginate(qs.order_by("-start", "-id"), page, page_size)
    result["items"] = [booking_out(b) for b in result["items"]]
    return result


BOOKING_HORIZON = dt.timedelta(days=2 * 366)


def _refuse_beyond_horizon(payload: BookingIn) -> None:
    """A booking starts and ends within two years from now (a year-9999 booking is a 400, not
    an overflow in the database or in date arithmetic)."""
    from django.utils import timezone

    from kyoten.equipment.slots import SlotError, parse_instant

    latest = timezone.now() + BOOKING_HORIZON
    for name in ("start", "end"):
        value = getattr(payload, name)
        try:
            when = parse_instant(value, field=name)
        except (SlotError, OverflowError, ValueError, TypeError):
            continue  # the service names what is wrong with it
        try:
            too_far = when > latest
        except OverflowError:
            too_far = True
        if too_far:
            raise ApiError(
                400,
                _("%(field)s: bookings can be made at most two years ahead") % {"field": name},
                field=name,
                rule="input.range",
            )


@router.post("/bookings", response={201: BookingOut})
def booking_create(request, payload: BookingIn):
    """Book a machine: 201 with the booking; 400 naming the field (also for a time more than
    two years ahead); 403 for self-use without a valid certificate; 409 when the time is taken.
    Naive times are read as Asia/Tokyo."""
    _refuse_beyond_horizon(payload)
    if payload.repeat_count not in (None, 1):
        bookings = services.booking_create_series(
            equipment=payload.equipment, user=request.auth, start=payload.start,
            end=payload.end, count=payload.repeat_count,
            interval_days=payload.repeat_interval_days, mode=payload.mode,
            staff_count=payload.staff_count, purpose=payload.purpose, samples=payload.samples,
            private=payload.private,
        )  # fmt: skip
        return Status(201, booking_out(bookings[0]))
    booking = services.booking_create(
        equipment=payload.equipment, user=request.auth, start=payload.start, end=payload.end,
        mode=payload.mode, staff_count=payload.staff_count, purpose=payload.purpose,
        samples=payload.samples, private=payload.private,
    )  # fmt: skip
    return Status(201, booking_out(booking))


@router.get("/bookings/{booking_id}", response=BookingOut)
def booking_detail(request, booking_id: str):
    return booking_out(selectors.get_booking_for(request.auth, booking_id))


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel(request, booking_id: str, payload: CancelIn | None = None):
    booking = selectors.get_booking_for(request.auth, booking_id)
    booking = services.booking_cancel(
        booking=booking, by=request.auth, reason=payload.reason if payload else ""
    )
    return booking_out(booking)


@router.delete("/bookings/{booking_id}", response=BookingOut)
def booking_delete(request, booking_id: str):
    """The same as cancelling (the booking is kept, with status `cancelled`)."""
    booking = selectors.get_booking_for(request.auth, booking_id)
    return booking_out(services.booking_cancel(booking=booking, by=request.auth))


@router.post("/bookings/{booking_id}/approve", response=BookingOut)
def booking_approve(request, booking_id: str):
    booking = selectors.get_booking_for(request.auth, booking_id)
    return booking_out(services.booking_decide(booking=booking, by=request.auth, approve=True))


@router.post("/bookings/{booking_id}/reject", response=BookingOut)
def booking_reject(request, booking_id: str, payload: CancelIn | None = None):
    booking = selectors.get_booking_for(request.auth, booking_id)
    return booking_out(
        services.booking_decide(
            booking=booking,
            by=request.auth,
            approve=False,
            reason=payload.reason if payload else "",
        )  # fmt: skip
    )


@router.post("/bookings/{booking_id}/usage", response={201: dict})
def booking_usage(request, booking_id: str, payload: UsageIn):
    """Report actual use after the booking; answers the usage record and its charge."""
    booking = selectors.get_booking_for(request.auth, booking_id)
    usage = services.booking_report_usage(
        booking=booking, by=request.auth, actual_start=payload.actual_start,
        actual_end=payload.actual_end, will_acknowledge=payload.will_acknowledge,
        publication_note=payload.publication_note,
    )  # fmt: skip
    charge = usage.booking.charges.get(kind="usage")
    return Status(
        201,
        {
            "booking": booking.pk,
            "minutes": usage.minutes,
            "billed_hours": charge.hours,
            "amount_yen": charge.amount_yen,
        },
    )


class SettlementRowOut(Schema):
    from_hub: int
    from_hub_name: str
    to_hub: int
    to_hub_name: str
    amount_yen: int


class SettlementOut(Schema):
    year: int
    month: int
    closed: bool
    closed_at: str | None = None
    items: list[SettlementRowOut]
    count: int
    total_yen: int


@router.get("/settlements", response=SettlementOut)
def settlement_list(request, year: str, month: str):
    """The month's settlement between hubs (who pays whom, net), for officers (every hub) and
    hub operators (the rows of their hubs); fixed once the officer closed the month."""
    from kyoten.core.errors import Forbidden

    if not selectors.may_read_settlement(request.auth):
        raise Forbidden(_("only hub operators and the program officer read the settlement"))
    s = selectors.settlement_month(year, month, user=request.auth)
    return {
        "year": s["year"], "month": s["month"], "closed": s["closed"],
        "closed_at": _iso(s["closed_at"]) if s["closed_at"] else None,
        "items": s["rows"], "count": len(s["rows"]), "total_yen": s["total_yen"],
    }  # fmt: skip
