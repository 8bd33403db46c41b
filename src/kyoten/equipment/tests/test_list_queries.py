"""Equipment lists (my bookings, the operator desk) read a constant number of queries at 10 and
at 100 rows, and show them a page at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.equipment import services
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def _booking(xrd, user):
    start = (
        (timezone.now() + dt.timedelta(days=3))
        .astimezone(TOKYO)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    return services.booking_create(
        equipment=xrd, user=user, start=start, end=start + dt.timedelta(hours=1)
    )


def _later(booking, offset_days):
    def vary(i):
        shift = dt.timedelta(days=offset_days + i)
        return {"start": booking.start + shift, "end": booking.end + shift}

    return vary


def test_my_bookings_are_paged_and_flat(client, certified, xrd, clone_rows, queries_flat):
    booking = _booking(xrd, certified)
    clone_rows(booking, 9, _later(booking, 1))
    client.force_login(certified)
    queries_flat("/equipment/bookings/", lambda: clone_rows(booking, 90, _later(booking, 20)))
    second = client.get("/equipment/bookings/?page=2")
    assert _last_page(second.content.decode())


def test_operator_desk_is_paged_and_flat(
    client, operator, certified, xrd, clone_rows, queries_flat
):
    booking = _booking(xrd, certified)
    clone_rows(booking, 9, _later(booking, 1))
    clone_rows(xrd, 9, lambda i: {"name": f"装置 {i}"})
    client.force_login(operator)

    def grow():
        clone_rows(booking, 90, _later(booking, 20))
        clone_rows(xrd, 90, lambda i: {"name": f"追加装置 {i}"})

    queries_flat(f"/equipment/hub/{xrd.hub_id}/", grow)
    second = client.get(f"/equipment/hub/{xrd.hub_id}/?page=2")
    assert _last_page(second.content.decode())


def _last_page(html: str) -> bool:
    """The second and last page: a link back, none further."""
    return 'rel="prev"' in html and 'rel="next"' not in html
