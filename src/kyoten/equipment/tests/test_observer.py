"""Ministry observers (R-15) read the equipment pages but are not offered, and cannot make,
a booking; an observer who also holds a role that books may."""

from __future__ import annotations

import datetime as dt

import pytest

from kyoten.core.errors import Forbidden
from kyoten.core.services import role_grant
from kyoten.equipment import services
from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def next_weekday(hour):
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=3)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def test_observer_reads_the_machine_without_a_booking_form(client, make_user, xrd):
    client.force_login(make_user("observer"))
    page = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert "X線回折装置" in page
    assert 'name="start"' not in page
    assert "府省のオブザーバーは設備と予約状況を閲覧できますが、予約はできません（R-15）。" in page
    start = next_weekday(10)
    response = client.post(
        f"/equipment/{xrd.pk}/",
        {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": start.strftime("%Y-%m-%dT11:00"),
         "mode": "assisted", "repeat_weeks": 1},
    )  # fmt: skip
    assert response.status_code == 200
    assert Booking.objects.count() == 0


def test_service_refuses_an_observer_and_names_r15(make_user, xrd):
    observer = make_user("observer")
    start = next_weekday(10)
    with pytest.raises(Forbidden) as caught:
        services.booking_create(
            equipment=xrd, user=observer, start=start, end=start + dt.timedelta(hours=1),
            mode="assisted",
        )  # fmt: skip
    assert (caught.value.rule, caught.value.message) == (
        "R-15", "府省のオブザーバーはネットワークのデータを閲覧し、予約はしません",
    )  # fmt: skip


def test_observer_with_a_booking_role_is_offered_the_form(client, make_user, xrd):
    user = make_user("observer")
    role_grant(user=user, role="equipment_user", by=None)
    client.force_login(user)
    assert 'name="start"' in client.get(f"/equipment/{xrd.pk}/").content.decode()


def test_observer_posting_the_form_is_told_why(client, make_user, xrd):
    client.force_login(make_user("observer"))
    start = next_weekday(10)
    page = client.post(
        f"/equipment/{xrd.pk}/",
        {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": start.strftime("%Y-%m-%dT11:00"),
         "mode": "assisted", "repeat_weeks": 1},
    ).content.decode()  # fmt: skip
    assert "府省のオブザーバーはネットワークのデータを閲覧し、予約はしません" in page
    assert Booking.objects.count() == 0


def test_api_refuses_an_observer_with_403_naming_r15(client, make_user, api_token, xrd):
    observer = make_user("observer")
    start = next_weekday(10)
    response = client.post(
        "/api/v1/bookings",
        {"equipment": xrd.pk, "start": start.isoformat(),
         "end": (start + dt.timedelta(hours=1)).isoformat(), "mode": "assisted"},
        content_type="application/json", HTTP_AUTHORIZATION=api_token(observer),
        HTTP_ACCEPT_LANGUAGE="ja",
    )  # fmt: skip
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["rule"] == "R-15"
    assert "府省のオブザーバー" in body["detail"]
    assert Booking.objects.count() == 0
