"""Reads of the equipment app: visibility, search, calendars, statistics for monitoring."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.errors import DomainError, NotFound
from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
from kyoten.core.models import User
from kyoten.core.reference import BLOCKS
from kyoten.core.rules import is_officer
from kyoten.core.textsearch import query_terms, query_words
from kyoten.equipment.enums import (
    ACTIVE_STATUSES,
    MODES_FOR_ACCESS,
    SEATED_STATUSES,
    Access,
    AttendanceStatus,
    BookingStatus,
    Category,
    EquipmentStatus,
    Mode,
    UserClass,
)
from kyoten.equipment.models import (
    Attendance,
    Booking,
    BookingTotal,
    Certificate,
    Charge,
    Course,
    Equipment,
    EquipmentFee,
    EquipmentPhoto,
    EquipmentTerm,
    Invoice,
    TrainingSession,
)
from kyoten.equipment.services import (
    base_fee_due,
    can_manage_equipment,
    estimate_fee,
    hub_settings,
    is_out_of_area,
    user_class_of,
)
from kyoten.equipment.slots import TOKYO, free_slots
from kyoten.hubs.models import Hub

# --- equipment -------------------------------------------------------------------------------


def equipment_visible_to(user) -> QuerySet[Equipment]:
    """The public catalogue: every machine that is not retired (operators see their retired)."""
    qs = Equipment.objects.select_related(
        "hub", "hub__lead_prefecture", "hub__equipment_settings"
    ).prefetch_related(
        Prefetch("fees", queryset=EquipmentFee.objects.order_by("user_class", "mode")),
        "hub__prefectures",
        "hub__host_organisations",
        Prefetch("hub__operators", queryset=User.objects.only("id")),
    )
    visible = ~Q(status=EquipmentStatus.RETIRED)
    if user is not None and user.is_authenticated:
        if is_officer(user):
            return qs
        visible |= Q(hub__operators=user)
    return qs.filter(visible).distinct() if user and user.is_authenticated else qs.filter(visible)


def get_equipment_for(user, pk, *, write: bool = False) -> Equipment:
    try:
        equipment = equipment_visible_to(user).get(pk=int(pk))
    except (Equipment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such machine"), field="id") from None
    if write and not can_manage_equipment(user, equipment.hub):
        raise NotFound(_("no such machine"), field="id")
    return equipment


def photos_of(equipment: Equipment) -> QuerySet[EquipmentPhoto]:
    """The photos of a machine the caller may already see, oldest first."""
    return EquipmentPhoto.objects.filter(equipment=equipment).order_by("pk")


def get_photo_for(user, equipment_pk, photo_pk) -> EquipmentPhoto:
    """A photo of a machine `user` may see (404 otherwise, and for a photo of another machine)."""
    equipment = get_equipment_for(user, equipment_pk)
    try:
        photo = photos_of(equipment).get(pk=int(photo_pk))
    except (EquipmentPhoto.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such photo"), field="photo") from None
    photo.equipment = equipment
    return photo


def _int_or_400(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("must be a whole number"), field=field) from None
    if number < 0:
        raise DomainError(_("must be 0 or more"), field=field)
    return number


def search_equipment(
    user,
    *,
    q: str | None = None,
    category: str | None = None,
    prefecture: str | None = None,
    block: str | None = None,
    hub: int | str | None = None,
    max_fee: int | str | None = None,
    user_class: str | None = None,
    mode: str | None = None,
    access: str | None = None,
    status: str | None = None,
) -> QuerySet[Equipment]:
    """The network-wide equipment search (page and API); bad filters are 400 naming the field."""
    qs = equipment_visible_to(user)
    if q and q.strip():
        terms = query_terms(q)
        if terms:
            having_all = (
                EquipmentTerm.objects.filter(term__in=terms)
                .values("equipment_id")
                .annotate(n=Count("term", distinct=True))
                .filter(n=len(terms))
                .values("equipment_id")
            )
            qs = qs.filter(pk__in=having_all)
        # Exactness, and one-character words such as 線 (no bigram): a substring of the
        # normalised text, checked only over the candidates the term index left.
        for word in query_words(q):
            qs = qs.filter(search_text__contains=word)
    if category:
        if category not in Category.values:
            raise DomainError(
                _("unknown category %(value)r (one of %(values)s)")
                % {"value": category, "values": ", ".join(Category.values)},
                field="category",
            )
        qs = qs.filter(category=category)
    if prefecture:
        if not (len(prefecture) == 2 and prefecture.isdigit() and 1 <= int(prefecture) <= 47):
            raise DomainError(
                _("unknown prefecture code %(value)r") % {"value": prefecture}, field="prefecture"
            )
        qs = qs.filter(Q(hub__lead_prefecture=prefecture) | Q(hub__prefectures=prefecture))
    if block:
        if block not in BLOCKS:
            raise DomainError(
                _("unknown regional block %(value)r") % {"value": block}, field="block"
            )
        qs = qs.filter(Q(hub__lead_prefecture__block=block) | Q(hub__prefectures__block=block))
    if hub not in (None, ""):
        qs = qs.filter(hub_id=_int_or_400(hub, "hub"))
    if access:
        if access not in Access.values:
            raise DomainError(_("unknown access %(value)r") % {"value": access}, field="access")
        qs = qs.filter(access=access)
    if status:
        if status not in EquipmentStatus.values:
            raise DomainError(_("unknown status %(value)r") % {"value": status}, field="status")
        qs = qs.filter(status=status)
    if mode:
        if mode not in Mode.values:
            raise DomainError(_("unknown mode %(value)r") % {"value": mode}, field="mode")
        qs = qs.filter(access__in=[a for a, modes in MODES_FOR_ACCESS.items() if mode in modes])
    if user_class and user_class not in UserClass.values:
        raise DomainError(
            _("unknown user class %(value)r") % {"value": user_class}, field="user_class"
        )
    fee_limit = _int_or_400(max_fee, "max_fee")
    if fee_limit is not None:
        cls = user_class or _class_for_search(user)
        fee_q = EquipmentFee.objects.filter(
            equipment=OuterRef("pk"), user_class=cls, hourly_yen__lte=fee_limit
        )
        if mode:
            fee_q = fee_q.filter(mode=mode)
        qs = qs.filter(Exists(fee_q))
    if prefecture or block:
        qs = qs.distinct()
    return qs.order_by("hub_id", "id")


def _class_for_search(user) -> str:
    if user is None or not user.is_authenticated:
        return UserClass.SME
    from kyoten.equipment.fees import user_class_for

    org = user.organisation
    return user_class_for(
        organisation_kind=org.kind if org else None, is_sme=bool(org and org.is_sme),
        in_house=False,
    )  # fmt: skip


def fee_for(user, equipment: Equipment, *, mode: str | None = None) -> dict[str, Any] | None:
    """The hourly fee the user would pay (their class; the cheapest offered mode by default)."""
    cls = user_class_of(user, equipment.hub) if user and user.is_authenticated else UserClass.SME
    offered = MODES_FOR_ACCESS[equipment.access]
    rows = [
        f for f in equipment.fees.all()
        if f.user_class == cls and f.mode in offered and (mode is None or f.mode == mode)
    ]  # fmt: skip
    if not rows:
        return None
    best = min(rows, key=lambda f: f.hourly_yen)
    multiplier = 100
    if user and user.is_authenticated and is_out_of_area(user, equipment.hub):
        multiplier = hub_settings(equipment.hub).out_of_area_multiplier_pct
    from kyoten.equipment.fees import percent_of

    multiplier = multiplier if cls != UserClass.IN_HOUSE else 100
    return {
        "user_class": cls,
        "mode": best.mode,
        "hourly_yen": best.hourly_yen,
        "out_of_area_multiplier_pct": multiplier,
        "hourly_total_yen": percent_of(best.hourly_yen, multiplier),
    }


def busy_times(
    equipment_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Active bookings per machine overlapping [start, end): one query for many machines."""
    out: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    rows = Booking.objects.filter(
        equipment_id__in=equipment_ids, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    ).values_list("equipment_id", "start", "end")
    for eid, s, e in rows:
        out[eid].append((s, e))
    return out


def next_free_slots(
    equipment: list[Equipment], *, now: dt.datetime | None = None, horizon_days: int = 28
) -> dict[int, tuple[dt.datetime, dt.datetime] | None]:
    """The next bookable slot (one hour, or the shortest booking if longer) of each machine."""
    now = now or timezone.now()
    busy = busy_times([e.pk for e in equipment], now, now + dt.timedelta(days=horizon_days + 1))
    out: dict[int, tuple[dt.datetime, dt.datetime] | None] = {}
    for machine in equipment:
        if machine.status != EquipmentStatus.AVAILABLE:
            out[machine.pk] = None
            continue
        rules = machine.booking_rules
        length = max(60, rules.min_minutes) if rules.max_minutes >= 60 else rules.max_minutes
        found = free_slots(
            rules, busy.get(machine.pk, []), after=now, length_minutes=length,
            horizon_days=horizon_days,
        )  # fmt: skip
        out[machine.pk] = found[0] if found else None
    return out


def calendar(equipment: Equipment, *, first: dt.date, days: int) -> list[dict[str, Any]]:
    """Day columns for the calendar: each slot of the grid with the booking holding it."""
    from kyoten.equipment.slots import day_slots

    start = dt.datetime.combine(first, dt.time(0), tzinfo=TOKYO)
    end = start + dt.timedelta(days=days)
    bookings = list(
        Booking.objects.filter(
            equipment=equipment, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
        ).select_related("user")
    )
    now = timezone.now()
    columns = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        slots = []
        for s, e in day_slots(equipment.booking_rules, day):
            holder = next((b for b in bookings if b.start < e and s < b.end), None)
            slots.append({"start": s, "end": e, "booking": holder, "past": e <= now})
        columns.append({"day": day, "slots": slots})
    return columns


# --- bookings --------------------------------------------------------------------------------


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Own bookings; a hub's operators see their machines' bookings; officers see all."""
    qs = Booking.objects.select_related("equipment", "equipment__hub", "user", "organisation")
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_officer(user):
        return qs
    return qs.filter(Q(user=user) | Q(equipment__hub__operators=user)).distinct()


def get_booking_for(user, pk) -> Booking:
    try:
        return bookings_visible_to(user).get(pk=int(pk))
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such booking"), field="id") from None


def certificates_of(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).select_related("hub", "equipment", "course")


def invoices_visible_to(user) -> QuerySet[Invoice]:
    """Officers all; a hub's operators the hub's; an organisation's billing contact the
    organisation's; any other user only invoices that hold their own charges (and of those
    only their own lines: `charges_for_invoice(invoice, user)`)."""
    qs = Invoice.objects.select_related("hub", "organisation")
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_officer(user):
        return qs
    cond = (
        Q(hub__operators=user)
        | Q(organisation__billing_contact=user)
        | Q(pk__in=Charge.objects.filter(user=user, invoice__isnull=False).values("invoice_id"))
    )
    return qs.filter(cond).distinct()


def invoices_listed_for(user) -> QuerySet[Invoice]:
    """The invoices list: `shown_total_yen` is the whole total for those who see the whole
    invoice, else the sum of the user's own lines (one query for the page)."""
    from django.db.models import BigIntegerField, Value
    from django.db.models.functions import Coalesce

    qs = invoices_visible_to(user).order_by("-year", "-month", "number")
    if user is not None and user.is_authenticated and is_officer(user):
        return qs.annotate(shown_total_yen=F("total_yen"))
    operates = Hub.operators.through.objects.filter(hub_id=OuterRef("hub_id"), user_id=user.pk)
    whole = Q(Exists(operates)) | Q(organisation__billing_contact=user)
    own = Coalesce(
        Subquery(
            Charge.objects.filter(invoice=OuterRef("pk"), user=user)
            .values("invoice")
            .annotate(t=Sum("amount_yen", output_field=BigIntegerField()))
            .values("t"),
            output_field=BigIntegerField(),
        ),
        Value(0),
    )
    return qs.annotate(shown_total_yen=Case(When(whole, then=F("total_yen")), default=own))


def sees_whole_invoice(user, invoice: Invoice) -> bool:
    """Officers, the issuing hub's operators and the organisation's billing contact."""
    return bool(
        can_manage_equipment(user, invoice.hub)
        or (user.is_authenticated and invoice.organisation.billing_contact_id == user.pk)
    )


# --- statistics (the monitoring app's KPIs) --------------------------------------------------


def _fy_bounds(fiscal_year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    first, last = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=TOKYO)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
    return first, last, start, end


COUNTED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def _totals(first: dt.date, last: dt.date):
    """The kept monthly totals (`equipment/totals.py`) of the bookings that count as use, of the
    months from `first` to `last` (whole months: a fiscal year)."""
    return BookingTotal.objects.filter(
        status__in=COUNTED, month__gte=first.replace(day=1), month__lte=last
    )


def _minutes_by_machine(ids: list[int], first: dt.date, last: dt.date, **only) -> dict[int, int]:
    """Booked minutes per machine from `first` (a month's first day) to `last`: the kept
    totals of the whole months, the bookings themselves of a month cut short by `last` (the
    desk's "this year so far")."""
    whole_to = (
        last
        if (last + dt.timedelta(days=1)).day == 1
        else last.replace(day=1) - dt.timedelta(days=1)
    )
    out: dict[int, int] = defaultdict(int)
    if whole_to >= first:
        for equipment_id, m in (
            _totals(first, whole_to).filter(equipment_id__in=ids, **only)
            .values("equipment_id").annotate(m=Sum("minutes")).values_list("equipment_id", "m")
        ):  # fmt: skip
            out[equipment_id] += m or 0
    if whole_to < last:
        start = dt.datetime.combine(max(first, whole_to + dt.timedelta(days=1)), dt.time(0),
                                    tzinfo=TOKYO)  # fmt: skip
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
        for equipment_id, m in (
            Booking.objects.filter(equipment_id__in=ids, status__in=COUNTED, start__gte=start,
                                   start__lt=end, **only)
            .values("equipment_id").annotate(m=Sum("minutes")).values_list("equipment_id", "m")
        ):  # fmt: skip
            out[equipment_id] += m or 0
    return out


def equipment_usage_stats(
    equipment: QuerySet[Equipment] | list[Equipment], *, first: dt.date, last: dt.date
) -> dict[int, dict[str, Any]]:
    """Per machine: booked hours, opening hours, utilisation %, SME share of hours, revenue."""
    machines = list(equipment)
    ids = [m.pk for m in machines]
    minutes = _minutes_by_machine(ids, first, last)
    sme_minutes = _minutes_by_machine(ids, first, last, user_class=UserClass.SME)
    revenue = dict(
        Charge.objects.filter(booking__equipment_id__in=ids, occurred_on__gte=first,
                              occurred_on__lte=last)
        .values("booking__equipment_id").annotate(t=Sum("amount_yen"))
        .values_list("booking__equipment_id", "t")
    )  # fmt: skip
    out = {}
    for m in machines:
        open_minutes = m.opening_hours.open_minutes(first, last)
        used = minutes.get(m.pk) or 0
        out[m.pk] = {
            "booked_hours": round(used / 60, 1),
            "opening_hours": round(open_minutes / 60, 1),
            "utilisation_pct": round(100 * used / open_minutes, 1) if open_minutes else 0.0,
            "sme_share_pct": round(100 * (sme_minutes.get(m.pk) or 0) / used, 1) if used else 0.0,
            "revenue_yen": int(revenue.get(m.pk) or 0),
        }
    return out


def hub_usage_stats(hub: Hub, fiscal_year: int) -> dict[str, Any]:
    """A hub's equipment figures for one fiscal year (April–March), for monitoring's KPIs.

    Keys: `equipment_count`, `booked_hours`, `opening_hours`, `utilisation_pct` (booked / opening
    hours of the machines in service, %), `bookings`, `usage_revenue_yen` (all charges of the
    year, integer yen), `users`, `sme_users` (distinct users from SMEs), `companies_using`
    (distinct companies), `sme_share_pct` (of booked hours), `trainees` (certificates issued
    in the year, distinct people), `engineers_trained` (of them, from companies).
    """
    first, last, start, end = _fy_bounds(fiscal_year)
    machines = list(Equipment.objects.filter(hub=hub).exclude(status=EquipmentStatus.RETIRED))
    per = equipment_usage_stats(machines, first=first, last=last)
    booked = sum(p["booked_hours"] for p in per.values())
    opening = sum(p["opening_hours"] for p in per.values())
    bookings = Booking.objects.filter(
        equipment__hub=hub,
        status__in=(BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW),
        start__gte=start,
        start__lt=end,
    )
    kept = _totals(first, last).filter(equipment__hub=hub)
    sme_minutes = kept.filter(user_class=UserClass.SME).aggregate(m=Sum("minutes"))["m"] or 0
    all_minutes = kept.aggregate(m=Sum("minutes"))["m"] or 0
    revenue = (
        Charge.objects.filter(hub=hub, occurred_on__gte=first, occurred_on__lte=last).aggregate(
            t=Sum("amount_yen")
        )["t"]
        or 0
    )
    certs = Certificate.objects.filter(hub=hub, issued_on__gte=first, issued_on__lte=last)
    return {
        "hub": hub.pk,
        "fiscal_year": fiscal_year,
        "equipment_count": len(machines),
        "bookings": kept.aggregate(n=Sum("bookings"))["n"] or 0,
        "booked_hours": round(booked, 1),
        "opening_hours": round(opening, 1),
        "utilisation_pct": round(100 * booked / opening, 1) if opening else 0.0,
        "usage_revenue_yen": int(revenue),
        "users": bookings.values("user_id").distinct().count(),
        "sme_users": bookings.filter(user_class=UserClass.SME).values("user_id").distinct().count(),
        "companies_using": bookings.filter(organisation__kind="company")
        .values("organisation_id")
        .distinct()
        .count(),
        "sme_share_pct": round(100 * sme_minutes / all_minutes, 1) if all_minutes else 0.0,
        "trainees": certs.values("user_id").distinct().count(),
        "engineers_trained": certs.filter(organisation__kind="company")
        .values("user_id")
        .distinct()
        .count(),
    }


def hub_kpis(hub: Hub, fiscal_year: int) -> dict[str, int | float]:
    """The program KPI catalogue keys this app measures (SPEC §4 `goals[].kpi`)."""
    s = hub_usage_stats(hub, fiscal_year)
    return {
        "equipment_utilisation_pct": s["utilisation_pct"],
        "sme_users": s["sme_users"],
        "companies_using": s["companies_using"],
        "engineers_trained": s["engineers_trained"],
        "revenue_yen": s["usage_revenue_yen"],
    }


def trained_engineers(hub: Hub, *, fiscal_year: int | None = None) -> list[dict[str, Any]]:
    """How many people the hub has trained, by organisation (SMEs marked), most first."""
    certs = Certificate.objects.filter(hub=hub)
    if fiscal_year is not None:
        first, last, *_ = _fy_bounds(fiscal_year)
        certs = certs.filter(issued_on__gte=first, issued_on__lte=last)
    rows = (
        certs.values("organisation_id", "organisation__name", "organisation__kind",
                     "organisation__is_sme")
        .annotate(people=Count("user_id", distinct=True))
        .order_by("-people", "organisation__name")
    )  # fmt: skip
    return [
        {
            "organisation_id": r["organisation_id"],
            "organisation": r["organisation__name"] or _("(no organisation)"),
            "kind": r["organisation__kind"] or "",
            "is_sme": bool(r["organisation__is_sme"]),
            "people": r["people"],
        }
        for r in rows
    ]


def settlement(*, year: int, month: int | None = None) -> list[dict[str, Any]]:
    """What billing hubs owe providing hubs for charges they invoiced on their behalf.

    Net per pair of hubs: `{"from_hub", "to_hub", "amount_yen"}` (from pays to), largest first.
    """
    charges = Charge.objects.exclude(billing_hub=F("hub"))
    if month is None:
        first, last, *_ = _fy_bounds(year)
    else:
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    gross: dict[tuple[int, int], int] = defaultdict(int)
    for billing, provider, total in (
        charges.filter(occurred_on__gte=first, occurred_on__lte=last)
        .values("billing_hub_id", "hub_id")
        .annotate(t=Sum("amount_yen"))
        .values_list("billing_hub_id", "hub_id", "t")
    ):
        gross[(billing, provider)] += int(total)
    net = []
    seen = set()
    for (a, b), amount in gross.items():
        if (a, b) in seen:
            continue
        seen.update({(a, b), (b, a)})
        back = gross.get((b, a), 0)
        if amount > back:
            net.append({"from_hub": a, "to_hub": b, "amount_yen": amount - back})
        elif back > amount:
            net.append({"from_hub": b, "to_hub": a, "amount_yen": back - amount})
    return sorted(net, key=lambda r: (-r["amount_yen"], r["from_hub"], r["to_hub"]))


def _month_or_400(year, month) -> tuple[int, int]:
    y = _int_or_400(year, "year")
    m = _int_or_400(month, "month")
    if y is None or not 2000 <= y <= 2100:
        raise DomainError(_("give a year between 2000 and 2100"), field="year")
    if m is None or not 1 <= m <= 12:
        raise DomainError(_("give a month from 1 to 12"), field="month")
    return y, m


def settlement_month(year, month, *, user=None) -> dict[str, Any]:
    """The settlement of one month: the fixed figures once an officer closed it, else the live
    ones. For a hub operator (not an officer) only the rows their hubs pay or receive.

    `{"year", "month", "closed", "closed_at", "closed_by", "rows": [{"from_hub", "from_hub_name",
    "to_hub", "to_hub_name", "amount_yen"}], "total_yen"}`; bad year/month → 400 naming it.
    """
    from kyoten.equipment.models import SettlementClose

    year, month = _month_or_400(year, month)
    closed = (
        SettlementClose.objects.select_related("closed_by").filter(year=year, month=month).first()
    )
    rows = list(closed.figures) if closed else settlement(year=year, month=month)
    if user is not None and not is_officer(user):
        mine = set(Hub.objects.filter(operators=user).values_list("pk", flat=True))
        rows = [r for r in rows if r["from_hub"] in mine or r["to_hub"] in mine]
    names = dict(
        Hub.objects.filter(
            pk__in={r["from_hub"] for r in rows} | {r["to_hub"] for r in rows}
        ).values_list("pk", "name")
    )
    rows = [
        {**r, "from_hub_name": names.get(r["from_hub"], ""),
         "to_hub_name": names.get(r["to_hub"], "")}
        for r in rows
    ]  # fmt: skip
    return {
        "year": year,
        "month": month,
        "closed": closed is not None,
        "closed_at": closed.closed_at if closed else None,
        "closed_by": str(closed.closed_by) if closed else "",
        "rows": rows,
        "total_yen": sum(r["amount_yen"] for r in rows),
    }


def may_read_settlement(user) -> bool:
    """Officers and hub operators (R: the settlement is between hubs)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (is_officer(user) or Hub.objects.filter(operators=user).exists())
    )


def charges_for_invoice(invoice: Invoice, user=None) -> QuerySet[Charge]:
    """The invoice's lines; for `user` who may not see the whole invoice, their own only."""
    qs = invoice.charges.select_related("booking", "booking__equipment", "user", "hub")
    if user is not None and not sees_whole_invoice(user, invoice):
        qs = qs.filter(user=user)
    return qs.order_by("occurred_on", "id")


# --- training --------------------------------------------------------------------------------


def _with_seats(qs: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return qs.select_related(
        "course", "course__hub", "course__hub__lead_prefecture", "course__equipment", "instructor"
    ).annotate(
        seats_taken=Count("attendances", filter=Q(attendances__status__in=SEATED_STATUSES)),
        waiting=Count("attendances", filter=Q(attendances__status=AttendanceStatus.WAITLISTED)),
    )


def sessions_for_machine(equipment: Equipment) -> Q:
    """Sessions whose certificate lets one use `equipment` alone (its course, or its category's
    course at the same hub)."""
    return Q(course__equipment=equipment) | Q(
        course__equipment__isnull=True, course__category=equipment.category,
        course__hub_id=equipment.hub_id,
    )  # fmt: skip


def training_sessions(
    *,
    equipment: Equipment | None = None,
    hub: int | None = None,
    prefecture: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[TrainingSession]:
    """Coming sessions (not started), soonest first, with `seats_taken` and `waiting`."""
    qs = TrainingSession.objects.filter(start__gt=now or timezone.now())
    if equipment is not None:
        qs = qs.filter(sessions_for_machine(equipment))
    if hub is not None:
        qs = qs.filter(course__hub_id=hub)
    if prefecture:
        qs = qs.filter(
            Q(course__hub__lead_prefecture=prefecture) | Q(course__hub__prefectures=prefecture)
        ).distinct()
    if date_from is not None:
        qs = qs.filter(start__gte=dt.datetime.combine(date_from, dt.time(0), tzinfo=TOKYO))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
        qs = qs.filter(start__lt=end)
    return _with_seats(qs).order_by("start", "id")


def hub_sessions(hub: Hub) -> QuerySet[TrainingSession]:
    """Every session of the hub's courses, the latest first (the desk's list)."""
    return _with_seats(TrainingSession.objects.filter(course__hub=hub)).order_by("-start", "-id")


def hub_courses(hub: Hub) -> QuerySet[Course]:
    return Course.objects.filter(hub=hub).select_related("equipment").order_by("title", "id")


def get_session_for_desk(user, hub: Hub, pk) -> TrainingSession:
    """A session of the hub's courses, for its operators and officers (404 otherwise)."""
    if not can_manage_equipment(user, hub):
        raise NotFound(_("no such training session"), field="id")
    try:
        return _with_seats(TrainingSession.objects.filter(course__hub=hub)).get(pk=int(pk))
    except (TrainingSession.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such training session"), field="id") from None


def session_roster(session: TrainingSession) -> QuerySet[Attendance]:
    """The people registered (seated first, then the waiting list in order)."""
    return (
        Attendance.objects.filter(session=session)
        .select_related("user", "user__organisation")
        .order_by(
            Case(When(status=AttendanceStatus.WAITLISTED, then=1), default=0),
            "created_at",
            "id",
        )
    )


def registrations_of(user) -> QuerySet[Attendance]:
    """A person's registrations and waiting-list places, newest session first."""
    return (
        Attendance.objects.filter(user=user)
        .select_related("session", "session__course", "session__course__hub",
                        "session__course__equipment")
        .order_by("-session__start", "-id")
    )  # fmt: skip


def my_attendance_by_session(user, session_ids: list[int]) -> dict[int, str]:
    """{session id: attendance status} of `user` for these sessions (one query)."""
    if user is None or not user.is_authenticated or not session_ids:
        return {}
    return dict(
        Attendance.objects.filter(user=user, session_id__in=session_ids).values_list(
            "session_id", "status"
        )
    )


def hubs_with_training() -> QuerySet[Hub]:
    """Hubs that offer training courses (the training list's hub filter)."""
    return Hub.objects.filter(courses__isnull=False).distinct().order_by("name")


# --- fees that explain themselves --------------------------------------------------------------


def fee_estimate(
    user, equipment: Equipment, *, mode: str, minutes: int, staff_count: int | None = None,
    samples: int = 0, private: bool = False, with_base_fee: bool | None = None,
) -> dict[str, Any] | None:  # fmt: skip
    """How `user` would be charged for `minutes` of `mode` on `equipment`, with the machine's
    fee parts (None: not offered to their class). The base fee is counted when it is due from
    `user` now (the first use of the machine in this fiscal year), unless told."""
    from kyoten.equipment.fees import FeeError, explain

    cls = user_class_of(user, equipment.hub) if user and user.is_authenticated else UserClass.SME
    out = bool(user and user.is_authenticated and is_out_of_area(user, equipment.hub))
    if with_base_fee is None:
        with_base_fee = base_fee_due(equipment=equipment, user=user, start=timezone.now())
    try:
        fee = estimate_fee(
            equipment=equipment, user_class=cls, mode=mode, minutes=minutes,
            staff_count=staff_count, out_of_area=out, samples=samples, private=private,
            base_fee_yen=equipment.base_fee_yen if with_base_fee else 0,
        )  # fmt: skip
    except FeeError:
        return None
    return explain(fee, user_class=cls, mode=mode)


def fee_estimates_per_mode(user, equipment: Equipment) -> list[dict[str, Any]]:
    """One hour of each mode the machine offers the user's class, explained (with the base
    fee when the reader would owe it with their next booking)."""
    due = base_fee_due(equipment=equipment, user=user, start=timezone.now())
    rows = []
    for mode in MODES_FOR_ACCESS[equipment.access]:
        row = fee_estimate(user, equipment, mode=mode, minutes=60, with_base_fee=due)
        if row is not None:
            rows.append(row)
    return rows


def fee_parts_of(equipment: Equipment) -> list[dict[str, Any]]:
    """The machine's optional fee parts that apply, for its page: [{"key", "yen", ...}]."""
    from kyoten.equipment.fees import pct_factor

    parts: list[dict[str, Any]] = []
    if equipment.per_day_yen is not None:
        parts.append({"key": "per_day", "yen": equipment.per_day_yen,
                      "hours": equipment.day_hours})  # fmt: skip
    if equipment.per_sample_yen:
        parts.append({"key": "per_sample", "yen": equipment.per_sample_yen})
    if equipment.base_fee_yen:
        parts.append({"key": "base_fee", "yen": equipment.base_fee_yen})
    if equipment.private_pct > 100:
        parts.append({"key": "private", "pct": equipment.private_pct,
                      "factor": pct_factor(equipment.private_pct)})  # fmt: skip
    return parts


def booking_fee(booking: Booking, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """A booking's fee explained, what cancelling now would cost (and from when), and what a
    cancelled booking was charged."""
    from kyoten.equipment.fees import FeeError, explain, tax_included
    from kyoten.equipment.services import (
        booking_estimate,
        cancellation_deadline,
        late_cancellation_fee,
    )

    now = now or timezone.now()
    settings_ = hub_settings(booking.equipment.hub)
    try:
        fee = booking_estimate(booking)
        lines = explain(fee, user_class=booking.user_class, mode=booking.mode)
        if lines["total_yen"] != booking.estimated_fee_yen:
            lines = None  # the fees changed since the booking: show the booked amount alone
    except FeeError:
        lines = None
    cancellable = booking.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED) and (
        booking.start > now
    )
    charges = [
        {"kind": c.kind, "label": c.get_kind_display(), "amount_yen": c.amount_yen,
         "tax_yen": tax_included(c.amount_yen)}
        for c in booking.charges.all()
    ]  # fmt: skip
    return {
        "lines": lines,
        "total_yen": booking.estimated_fee_yen,
        "tax_yen": tax_included(booking.estimated_fee_yen),
        "cancellable": cancellable,
        "cancel_fee_yen": late_cancellation_fee(booking, now=now) if cancellable else 0,
        "cancel_deadline": cancellation_deadline(booking),
        "late_cancel_fee_pct": settings_.late_cancel_fee_pct,
        "charges": charges,
        "charged_yen": sum(c["amount_yen"] for c in charges),
    }
