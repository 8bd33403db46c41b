"""16 clients race for one slot through the real API, each thread on its own connection."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client

from kyoten.core.models import ApiToken
from kyoten.equipment import services
from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

CLIENTS = 16


@pytest.mark.django_db(transaction=True)
def test_sixteen_clients_racing_for_one_slot_get_one_201_and_fifteen_409(make_user, xrd):
    users = [make_user("equipment_user") for _ in range(CLIENTS)]
    tokens = ["Bearer " + ApiToken.issue(u) for u in users]
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=4)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=TOKYO)
    body = {"equipment": xrd.pk, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(), "mode": "assisted"}  # fmt: skip
    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def race(token: str) -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post("/api/v1/bookings", body, content_type="application/json",
                                   HTTP_AUTHORIZATION=token)  # fmt: skip
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    statuses = sorted(code for code, _ in results)
    assert statuses == [201] + [409] * (CLIENTS - 1), results
    assert all(set(b) == {"detail", "field"} for code, b in results if code == 409)
    assert Booking.objects.filter(equipment=xrd).count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_through_the_service_never_double_books_overlapping_slots(make_user, xrd):
    """Different but overlapping times, straight through the service."""
    users = [make_user("equipment_user") for _ in range(CLIENTS)]
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=4)
    base = dt.datetime.combine(day, dt.time(9), tzinfo=TOKYO)
    outcomes: list[str] = []
    barrier = threading.Barrier(CLIENTS)

    def book(i: int) -> None:
        try:
            barrier.wait()
            start = base + dt.timedelta(minutes=15 * (i % 4))
            services.booking_create(equipment=xrd.pk, user=users[i], start=start,
                                    end=start + dt.timedelta(hours=1), mode="assisted")  # fmt: skip
            outcomes.append("ok")
        except services.Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * (CLIENTS - 1) + ["ok"]
    rows = list(Booking.objects.filter(equipment=xrd).values_list("start", "end"))
    assert len(rows) == 1


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_overlaps(certified, xrd):
    """The exclusion constraint: even a write that skips the service cannot overlap."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    from django.db import IntegrityError, transaction

    start = dt.datetime.now(TOKYO).replace(microsecond=0) + dt.timedelta(days=3)
    row = {"equipment": xrd, "user": certified, "minutes": 60, "mode": "self_use",
           "user_class": "sme"}  # fmt: skip
    Booking.objects.create(start=start, end=start + dt.timedelta(hours=1), **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(start=start + dt.timedelta(minutes=30),
                               end=start + dt.timedelta(hours=2), **row)  # fmt: skip
    # a cancelled booking does not hold its slot
    Booking.objects.create(
        start=start, end=start + dt.timedelta(hours=1), status="cancelled", **row
    )
    Booking.objects.create(
        start=start + dt.timedelta(hours=1), end=start + dt.timedelta(hours=2), **row
    )
