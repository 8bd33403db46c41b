"""Booking totals kept up to date on write (issue 18 part 5).

One `BookingTotal` row per machine, month (by the booking's start, Asia/Tokyo), user class and
status holds the number of bookings, their minutes and their estimated fees. Every save or
delete of a booking recomputes its machine's month from the bookings themselves (a small,
indexed read), so the totals are exact whatever the write was; bulk inserts that send no
signals (the demo, `kyoten generate`, a weekly series) call `refresh` or `recompute_all`.
`kyoten equipment_totals` recomputes every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from kyoten.equipment.models import Booking, BookingTotal
from kyoten.equipment.slots import TOKYO

GROUP = ("user_class", "status")


def month_of(moment: dt.datetime) -> dt.date:
    local = moment.astimezone(TOKYO)
    return dt.date(local.year, local.month, 1)


def _month_span(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime(month.year, month.month, 1, tzinfo=TOKYO)
    after = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=TOKYO)
    return first, after


def _rows(bookings, **fixed) -> list[BookingTotal]:
    return [
        BookingTotal(**fixed, **{k: row[k] for k in GROUP}, bookings=row["n"],
                     minutes=row["m"] or 0, fee_yen=row["f"] or 0)
        for row in bookings.values(*GROUP).annotate(
            n=Count("id"), m=Sum("minutes"), f=Sum("estimated_fee_yen")
        ).order_by()
    ]  # fmt: skip


@transaction.atomic
def refresh(equipment_id: int, months: Iterable[dt.date]) -> None:
    """Recompute a machine's rows for these months from its bookings."""
    for month in set(months):
        first, after = _month_span(month)
        BookingTotal.objects.filter(equipment_id=equipment_id, month=month).delete()
        bookings = Booking.objects.filter(equipment_id=equipment_id, start__gte=first,
                                          start__lt=after)  # fmt: skip
        BookingTotal.objects.bulk_create(_rows(bookings, equipment_id=equipment_id, month=month))


@transaction.atomic
def recompute_all() -> int:
    """Every row again from every booking (in one grouped read). Returns the number of rows."""
    BookingTotal.objects.all().delete()
    grouped = (
        Booking.objects.annotate(m0=TruncMonth("start", tzinfo=TOKYO))
        .values("equipment_id", "m0", *GROUP)
        .annotate(n=Count("id"), m=Sum("minutes"), f=Sum("estimated_fee_yen"))
        .order_by()
    )
    rows = [
        BookingTotal(equipment_id=r["equipment_id"], month=_as_month(r["m0"]), user_class=r["user_class"],
                     status=r["status"], bookings=r["n"], minutes=r["m"] or 0, fee_yen=r["f"] or 0)
        for r in grouped.iterator(chunk_size=5000)
    ]  # fmt: skip
    BookingTotal.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _as_month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.astimezone(TOKYO) if value.tzinfo else value
        return dt.date(value.year, value.month, 1)
    return dt.date(value.year, value.month, 1)


# --- kept on write ------------------------------------------------------------------------------


def _remember(sender, instance: Booking, **kwargs) -> None:
    """Before a booking is saved: the month it was in (it may move to another)."""
    if instance.pk is None:
        instance._total_months = set()
        return
    old = Booking.objects.filter(pk=instance.pk).values_list("start", "equipment_id").first()
    instance._total_months = {(old[1], month_of(old[0]))} if old else set()


def _changed(sender, instance: Booking, **kwargs) -> None:
    keys = set(getattr(instance, "_total_months", set()))
    keys.add((instance.equipment_id, month_of(instance.start)))
    by_machine: dict[int, set[dt.date]] = {}
    for equipment_id, month in keys:
        by_machine.setdefault(equipment_id, set()).add(month)
    for equipment_id, months in by_machine.items():
        refresh(equipment_id, months)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(_remember, sender=Booking, dispatch_uid="booking-totals-remember")
    post_save.connect(_changed, sender=Booking, dispatch_uid="booking-totals-save")
    post_delete.connect(_changed, sender=Booking, dispatch_uid="booking-totals-delete")


def refresh_bookings(bookings: Iterable[Booking]) -> None:
    """After a bulk insert of bookings (which sends no signals)."""
    by_machine: dict[int, set[dt.date]] = {}
    for b in bookings:
        by_machine.setdefault(b.equipment_id, set()).add(month_of(b.start))
    for equipment_id, months in by_machine.items():
        refresh(equipment_id, months)
