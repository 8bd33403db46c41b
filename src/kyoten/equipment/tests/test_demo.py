import datetime as dt
import random
import time

import pytest
from django.db.models import Count

from kyoten.core import demo as core_demo
from kyoten.core.models import Prefecture, User
from kyoten.equipment import demo, selectors, services
from kyoten.equipment.enums import ACTIVE_STATUSES
from kyoten.equipment.models import Booking, Equipment
from kyoten.equipment.slots import TOKYO
from kyoten.hubs.models import Hub


@pytest.mark.django_db
def test_demo_loads_machines_trained_users_and_months_of_bookings_without_overlaps():
    core_demo.load(random.Random(1))
    operator = User.objects.get(username="operator")
    for i, (code, stage) in enumerate(
        [("40", "operating"), ("43", "operating"), ("23", "handover")]
    ):
        hub = Hub.objects.create(name=f"拠点{code}", slug=f"hub-{code}", lead_prefecture_id=code,
                                 form="equipment_only", stage=stage)  # fmt: skip
        hub.prefectures.set(Prefecture.objects.filter(code=code))
        if i == 0:
            hub.operators.add(operator)
    started = time.monotonic()
    demo.load(random.Random(2))
    assert time.monotonic() - started < 60  # generous: CI machines are shared
    first = Hub.objects.order_by("id").first()
    xrd = Equipment.objects.filter(hub=first).order_by("id").first()
    sme = User.objects.get(username="sme")
    today = dt.datetime.now(TOKYO).date()
    assert xrd.name == "X線回折装置"
    assert services.valid_certificate(sme, xrd, today + dt.timedelta(days=30)) is not None
    assert services.default_mode(sme, xrd, today) == "self_use"
    assert 60 <= Equipment.objects.count() <= 120
    assert Booking.objects.count() > 500
    # the first hub's first machines are free in the future
    assert not Booking.objects.filter(equipment=xrd, start__gt=dt.datetime.now(TOKYO)).exists()
    # no two active bookings of a machine overlap
    active = Booking.objects.filter(status__in=ACTIVE_STATUSES).order_by("equipment_id", "start")
    last: dict[int, dt.datetime] = {}
    for eid, start, end in active.values_list("equipment_id", "start", "end"):
        assert eid not in last or last[eid] <= start
        last[eid] = end
    stats = selectors.hub_usage_stats(first, today.year if today.month >= 4 else today.year - 1)
    assert stats["booked_hours"] > 0 and 0 < stats["utilisation_pct"] < 100
    assert stats["usage_revenue_yen"] > 0
    assert Equipment.objects.values("hub").annotate(n=Count("id")).count() == 3
    # the catalogue is searchable (search text and term rows written by the bulk load)
    found = selectors.search_equipment(None, q="X線")
    assert xrd in found and all("x線" in e.search_text for e in found)
    assert selectors.search_equipment(None, q="顕微").count() > 0
