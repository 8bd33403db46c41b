"""The operator desk in the browser: add and edit machines with their fees and opening hours,
maintenance and retirement, the hub's fee rules; nobody else may know these pages exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.equipment import services
from kyoten.equipment.models import Equipment, HubEquipmentSettings
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db

MACHINE = {
    "name": "走査電子顕微鏡", "name_en": "SEM", "category": "microscopy", "maker": "日立",
    "model_name": "SU5000", "specs": "分解能 1.2 nm", "location": "1F 電顕室",
    "access": "trained", "requires_approval": "on", "acknowledgement_required": "on",
    "open_weekdays": ["1", "2", "3", "4", "5"], "opens": "09:00", "closes": "17:30",
    "slot_minutes": 30, "min_booking_minutes": 60, "max_booking_minutes": 240,
    "lead_time_minutes": 120, "acquired_fy": 2010,
    "fee_sme_self_use": 1500, "fee_sme_assisted": 2000, "fee_academic_self_use": 1000,
}  # fmt: skip


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_operator_adds_a_machine_with_fees_and_opening_hours(client, operator, hub):
    client.force_login(operator)
    assert client.get(f"/equipment/hub/{hub.pk}/machines/new/").status_code == 200
    response = client.post(f"/equipment/hub/{hub.pk}/machines/new/", MACHINE)
    machine = Equipment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/equipment/{machine.pk}/"
    assert (machine.hub, machine.name, machine.category, machine.access, machine.requires_approval,
            machine.open_weekdays, machine.opens_minute, machine.closes_minute,
            machine.min_booking_minutes, machine.max_booking_minutes, machine.lead_time_minutes,
            machine.acquired_fy) == (hub, "走査電子顕微鏡", "microscopy", "trained", True,
                                     "12345", 540, 1050, 60, 240, 120, 2010)  # fmt: skip
    assert {(f.user_class, f.mode): f.hourly_yen for f in machine.fees.all()} == {
        ("sme", "self_use"): 1500, ("sme", "assisted"): 2000, ("academic", "self_use"): 1000,
    }  # fmt: skip
    # The search finds it at once.
    assert [e.pk for e in services.Equipment.objects.filter(terms__term="顕微")] == [machine.pk]


def test_bad_opening_hours_are_refused_naming_the_field(client, operator, hub):
    client.force_login(operator)
    response = client.post(f"/equipment/hub/{hub.pk}/machines/new/",
                           {**MACHINE, "opens": "18:00", "closes": "09:00"})  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "closes": ["閉館は開館より後にしてください（遅くとも24:00）"]
    }
    bad = client.post(f"/equipment/hub/{hub.pk}/machines/new/", {**MACHINE, "opens": "9時"})
    assert bad.context["form"].errors == {
        "opens": ["時刻は HH:MM の形式で指定してください（入力：'9時'）"]
    }
    assert Equipment.objects.count() == 0


def test_operator_edits_a_machine_and_its_fees(client, operator, xrd):
    client.force_login(operator)
    page = client.get(f"/equipment/{xrd.pk}/edit/")
    assert page.context["form"].initial["opens"] == "00:00"
    assert page.context["form"].initial["fee_sme_self_use"] == 1500
    response = client.post(f"/equipment/{xrd.pk}/edit/", {
        **MACHINE, "name": "X線回折装置", "category": "analysis", "access": "assisted",
        "fee_sme_assisted": 1800, "fee_sme_self_use": "",
    })  # fmt: skip
    assert response.status_code == 302
    xrd.refresh_from_db()
    assert (xrd.access, xrd.opens, xrd.closes, xrd.specs) == (
        "assisted",
        "09:00",
        "17:30",
        "分解能 1.2 nm",
    )
    assert {(f.user_class, f.mode): f.hourly_yen for f in xrd.fees.all()} == {
        ("sme", "assisted"): 1800, ("academic", "self_use"): 1000,
    }  # fmt: skip


def test_maintenance_stops_bookings_and_retiring_waits_for_coming_bookings(
    client, operator, certified, xrd
):
    start = dt.datetime.combine(
        timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=3), dt.time(10), tzinfo=TOKYO
    )
    booking = services.booking_create(equipment=xrd, user=certified, start=start,
                                      end=start + dt.timedelta(hours=1))  # fmt: skip
    client.force_login(operator)
    put = client.post(f"/equipment/{xrd.pk}/status/", {"status": "maintenance"}, follow=True)
    assert messages_of(put) == ["X線回折装置: メンテナンス中."]
    client.force_login(certified)
    refused = client.post(f"/equipment/{xrd.pk}/", {
        "start": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "end": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "self_use", "repeat_weeks": 1,
    })  # fmt: skip
    assert refused.context["form"].non_field_errors() == [
        "この機器はメンテナンス中のため予約できません"
    ]
    client.force_login(operator)
    retire = client.post(f"/equipment/{xrd.pk}/status/", {"status": "retired"}, follow=True)
    assert messages_of(retire) == ["今後の予約が 1 件あります。廃止する前に取り消してください"]
    services.booking_cancel(booking=booking, by=operator)
    client.post(f"/equipment/{xrd.pk}/status/", {"status": "retired"})
    xrd.refresh_from_db()
    assert xrd.status == "retired"


def test_the_hub_fee_rules_page(client, operator, hub):
    client.force_login(operator)
    assert client.get(f"/equipment/hub/{hub.pk}/settings/").status_code == 200
    response = client.post(f"/equipment/hub/{hub.pk}/settings/", {
        "out_of_area_multiplier_pct": 120, "neighbours_exempt": "on", "staff_hourly_yen": 3000,
        "late_cancel_hours": 48, "late_cancel_fee_pct": 30, "no_show_fee_pct": 100,
        "acknowledgement_text": "謝辞", "grant_number": "JPMJ-0001",
    })  # fmt: skip
    assert response.status_code == 302
    s = HubEquipmentSettings.objects.get(hub=hub)
    assert (s.out_of_area_multiplier_pct, s.neighbours_exempt, s.staff_hourly_yen,
            s.late_cancel_hours, s.late_cancel_fee_pct, s.grant_number) == (
        120, True, 3000, 48, 30, "JPMJ-0001")  # fmt: skip
    low = client.post(f"/equipment/hub/{hub.pk}/settings/", {
        "out_of_area_multiplier_pct": 90, "staff_hourly_yen": 3000, "late_cancel_hours": 48,
        "late_cancel_fee_pct": 30, "no_show_fee_pct": 100,
    })  # fmt: skip
    assert low.status_code == 400
    assert low.context["form"].errors == {
        "out_of_area_multiplier_pct": ["域外料金の倍率は 100 % 以上です"]
    }


def test_desk_pages_are_unknown_to_other_people(client, make_user, certified, xrd, hub):
    outsider_operator = make_user("operator", username="other-op")
    for user in (certified, outsider_operator):
        client.force_login(user)
        assert [
            client.get(f"/equipment/hub/{hub.pk}/machines/new/").status_code,
            client.post(f"/equipment/hub/{hub.pk}/machines/new/", MACHINE).status_code,
            client.get(f"/equipment/{xrd.pk}/edit/").status_code,
            client.post(f"/equipment/{xrd.pk}/status/", {"status": "retired"}).status_code,
            client.get(f"/equipment/hub/{hub.pk}/settings/").status_code,
        ] == [404] * 5
    xrd.refresh_from_db()
    assert (xrd.status, Equipment.objects.count()) == ("available", 1)
