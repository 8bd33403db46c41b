"""Bookings more than two years ahead (or in absurd years like 9999) are refused by the booking
service with the field named: the page shows a form error (not a 500), the API a 400."""

from __future__ import annotations

import datetime as dt

import pytest

from kyoten.core.errors import DomainError
from kyoten.equipment import services
from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def test_page_refuses_year_9999_with_a_form_error(client, certified, xrd):
    client.force_login(certified)
    response = client.post(
        f"/equipment/{xrd.pk}/",
        {"start": "9999-12-31T10:00", "end": "9999-12-31T11:00", "mode": "self_use",
         "repeat_weeks": 1},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "予約できるのは2年先までです" in page
    assert Booking.objects.count() == 0


def test_page_refuses_a_weekly_series_running_past_two_years(client, certified, xrd):
    client.force_login(certified)
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=2 * 366 - 14)
    while day.isoweekday() > 5:
        day -= dt.timedelta(days=1)
    response = client.post(
        f"/equipment/{xrd.pk}/",
        {"start": f"{day}T10:00", "end": f"{day}T11:00", "mode": "self_use", "repeat_weeks": 10},
    )  # fmt: skip
    assert response.status_code == 200
    assert "予約できるのは2年先までです" in response.content.decode()
    assert Booking.objects.count() == 0


def test_service_names_the_field_and_rule(certified, xrd):
    start = dt.datetime(9999, 12, 31, 10, tzinfo=TOKYO)
    with pytest.raises(DomainError) as caught:
        services.booking_create(
            equipment=xrd, user=certified, start=start, end=start + dt.timedelta(hours=1)
        )
    assert (caught.value.field, caught.value.rule) == ("start", "input.range")


def test_within_two_years_is_still_checked_by_the_machines_rules(certified, xrd):
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=700)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=TOKYO)
    booking = services.booking_create(
        equipment=xrd, user=certified, start=start, end=start + dt.timedelta(hours=1)
    )
    assert booking.pk
