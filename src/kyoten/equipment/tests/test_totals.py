"""The monthly booking totals stay equal to the bookings they count, whatever the write, and the
dashboard and a hub's usage figures read them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from kyoten.equipment import services, totals
from kyoten.equipment.models import Booking, BookingTotal
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def at(month, day, hour):
    return dt.datetime(2027, month, day, hour, tzinfo=TOKYO)


def _kept() -> dict:
    return {
        (t.equipment_id, t.month, t.user_class, t.status): (t.bookings, t.minutes, t.fee_yen)
        for t in BookingTotal.objects.all()
    }


def _from_bookings() -> dict:
    out = {}
    for b in Booking.objects.all():
        key = (b.equipment_id, totals.month_of(b.start), b.user_class, b.status)
        n, m, f = out.get(key, (0, 0, 0))
        out[key] = (n + 1, m + b.minutes, f + b.estimated_fee_yen)
    return out


def test_every_write_keeps_the_totals_equal_to_the_bookings(xrd, certified, operator):
    made = services.booking_create(equipment=xrd, user=certified, start=at(3, 30, 10),
                                   end=at(3, 30, 12), now=at(3, 1, 8))  # fmt: skip
    services.booking_create_series(
        equipment=xrd,
        user=certified,
        start=at(3, 31, 10),
        end=at(3, 31, 11),
        count=3,
        interval_days=7,
        now=at(3, 1, 8),
    )  # fmt: skip  (March and April: two years)
    assert _kept() == _from_bookings() and len({k[1] for k in _kept()}) == 2
    services.booking_cancel(booking=made, by=certified, now=at(3, 2, 8))
    assert _kept() == _from_bookings()
    assert (xrd.pk, dt.date(2027, 3, 1), "sme", "cancelled") in _kept()
    Booking.objects.filter(pk=made.pk).first().delete()
    assert _kept() == _from_bookings()


def test_the_command_recomputes_them_after_a_bulk_write(xrd, certified):
    services.booking_create(equipment=xrd, user=certified, start=at(3, 30, 10),
                            end=at(3, 30, 12), now=at(3, 1, 8))  # fmt: skip
    Booking.objects.update(minutes=999)  # a write that sends no signal
    assert _kept() != _from_bookings()
    call_command("equipment_totals", stdout=io.StringIO())
    assert _kept() == _from_bookings()


def test_a_month_is_taken_in_japan_time():
    assert totals.month_of(dt.datetime(2027, 3, 31, 16, tzinfo=dt.UTC)) == dt.date(2027, 4, 1)


def test_usage_figures_read_the_totals(xrd, certified):
    from kyoten.equipment.selectors import hub_usage_stats
    from kyoten.network.dashboard import usage_by_user_class

    services.booking_create(equipment=xrd, user=certified, start=at(3, 30, 10),
                            end=at(3, 30, 12), now=at(3, 1, 8))  # fmt: skip
    Booking.objects.update(status="completed")
    call_command("equipment_totals", stdout=io.StringIO())
    expected = Booking.objects.aggregate(n=Count("id"), m=Sum("minutes"))
    assert usage_by_user_class()["sme"]["bookings"] == expected["n"]
    stats = hub_usage_stats(xrd.hub, 2026)
    assert stats["bookings"] == 1 and stats["booked_hours"] == 2.0
    BookingTotal.objects.update(bookings=5, minutes=600)  # the figures follow the totals
    assert usage_by_user_class()["sme"]["bookings"] == 5
    assert hub_usage_stats(xrd.hub, 2026)["booked_hours"] == 10.0
