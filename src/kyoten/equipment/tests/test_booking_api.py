import datetime as dt

import pytest

from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def future(days=3, hour=10):
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def post(client, token, body, **headers):
    return client.post(
        "/api/v1/bookings", body, content_type="application/json", HTTP_AUTHORIZATION=token,
        **headers,
    )  # fmt: skip


def test_booking_created_answers_201_with_the_booking(client, api_token, certified, xrd):
    start = future()
    response = post(client, api_token(certified), {
        "equipment": xrd.pk, "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1, minutes=30)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert body == {
        "id": booking.pk, "equipment": xrd.pk, "equipment_name": "X線回折装置",
        "hub": xrd.hub_id, "user": "engineer", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1, minutes=30)).isoformat(), "minutes": 90,
        "status": "confirmed", "mode": "self_use", "user_class": "sme", "staff_count": 0,
        # two started hours at ¥1,500, ×1.5 for a Kumamoto company at a Fukuoka hub
        "estimated_fee_yen": 4500, "samples": 0, "private": False, "base_fee_yen": 0,
        "purpose": "", "series": None,
        "created_at": booking.created_at.astimezone(TOKYO).isoformat(),
    }  # fmt: skip


def test_overlap_is_409_and_touching_is_fine(client, api_token, certified, xrd):
    token = api_token(certified)
    start = future()
    one_hour = dt.timedelta(hours=1)
    first = post(client, token, {"equipment": xrd.pk, "start": start.isoformat(),
                                 "end": (start + one_hour).isoformat()})  # fmt: skip
    assert first.status_code == 201
    clash = post(client, token, {"equipment": xrd.pk, "start": (start + one_hour / 2).isoformat(),
                                 "end": (start + 2 * one_hour).isoformat()})  # fmt: skip
    assert clash.status_code == 409
    assert clash.json()["field"] == "start"
    # Dates as people write them (Asia/Tokyo), not ISO timestamps.
    s, e = start.astimezone(TOKYO), (start + one_hour).astimezone(TOKYO)
    youbi = "月火水木金土日"
    assert clash.json()["detail"] == (
        f"この機器は {s.year}年{s.month}月{s.day}日({youbi[s.weekday()]}) {s:%H:%M} から "
        f"{e.year}年{e.month}月{e.day}日({youbi[e.weekday()]}) {e:%H:%M} まで予約済みです"
    )
    touching = post(client, token, {"equipment": xrd.pk, "start": (start + one_hour).isoformat(),
                                    "end": (start + 2 * one_hour).isoformat()})  # fmt: skip
    assert touching.status_code == 201


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        ({"equipment": None}, "equipment", "機器のIDを指定してください"),
        ({"equipment": "abc"}, "equipment", "機器のIDは整数で指定してください"),
        ({"equipment": 999999}, "equipment", "該当する機器がありません"),
        ({"start": None}, "start", "日時を指定してください（ISO 8601 形式）"),
        ({"start": "next tuesday"}, "start",
         "'next tuesday' は ISO 8601 形式の日時ではありません（例：2026-12-01T10:00:00+09:00）"),
        ({"end": "2026-99-01T10:00:00+09:00"}, "end",
         "'2026-99-01T10:00:00+09:00' は ISO 8601 形式の日時ではありません（例：2026-12-01T10:00:00+09:00）"),
        ({"end": "START-1h"}, "end", "終了日時は開始日時より後にしてください"),
        ({"end": "START+9h"}, "end", "1回の予約は最長8時間です"),
        ({"start": "NOW+10m", "end": "NOW+70m"}, "start", "予約は開始の1時間前までにしてください"),
        ({"start": "NOW-2h", "end": "NOW-1h"}, "start", "開始日時が過去です"),
        ({"mode": "fly"}, "mode", "利用形態 'fly' は不明です（self_use, assisted, commissioned のいずれか）"),
        ({"staff_count": "many"}, "staff_count", "staff_count: Input should be a valid integer, unable to parse string as an integer"),
    ],
)  # fmt: skip
def test_malformed_bookings_are_400_naming_the_field(
    client, api_token, certified, xrd, change, field, detail
):
    start = future()
    now = dt.datetime.now(TOKYO).replace(second=0, microsecond=0)
    body = {"equipment": xrd.pk, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat()}  # fmt: skip
    special = {
        "START-1h": (start - dt.timedelta(hours=1)).isoformat(),
        "START+9h": (start + dt.timedelta(hours=9)).isoformat(),
        "NOW+10m": (now + dt.timedelta(minutes=10)).isoformat(),
        "NOW+70m": (now + dt.timedelta(minutes=70)).isoformat(),
        "NOW-2h": (now - dt.timedelta(hours=2)).isoformat(),
        "NOW-1h": (now - dt.timedelta(hours=1)).isoformat(),
    }
    body.update({k: special.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    response = post(client, api_token(certified), body)
    assert response.status_code == 400, response.content
    assert (response.json()["field"], response.json()["detail"]) == (field, detail)
    assert Booking.objects.count() == 0


def test_outside_opening_hours_and_maintenance_are_400(client, api_token, certified, xrd):
    token = api_token(certified)
    xrd.open_weekdays, xrd.opens_minute, xrd.closes_minute = "12345", 540, 1020
    xrd.save()
    saturday = future(days=7)
    saturday += dt.timedelta(days=(6 - saturday.isoweekday()) % 7)
    response = post(client, token, {"equipment": xrd.pk, "start": saturday.isoformat(),
                                    "end": (saturday + dt.timedelta(hours=1)).isoformat()})  # fmt: skip
    assert (response.status_code, response.json()["field"], response.json()["detail"]) == (
        400, "start", "利用可能時間外です（月–金 09:00–17:00、日本時間）")  # fmt: skip
    xrd.status = "maintenance"
    xrd.save()
    monday = saturday + dt.timedelta(days=2)
    response = post(client, token, {"equipment": xrd.pk, "start": monday.isoformat(),
                                    "end": (monday + dt.timedelta(hours=1)).isoformat()})  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "detail": "この機器はメンテナンス中のため予約できません",
        "field": "equipment",
    }


def test_naive_times_are_read_as_tokyo(client, api_token, certified, xrd):
    start = future()
    response = post(client, api_token(certified), {
        "equipment": xrd.pk, "start": start.replace(tzinfo=None).isoformat(),
        "end": (start + dt.timedelta(hours=1)).replace(tzinfo=None).isoformat(),
    })  # fmt: skip
    assert response.status_code == 201
    assert response.json()["start"] == start.isoformat()


def test_self_use_without_certificate_is_403_and_default_mode_is_assisted(
    client, api_token, make_user, sme_org, xrd
):
    user = make_user("equipment_user", organisation=sme_org)
    token = api_token(user)
    start = future()
    body = {"equipment": xrd.pk, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat()}  # fmt: skip
    refused = post(client, token, {**body, "mode": "self_use"})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "自己利用にはこの機器の有効な講習修了認定が必要です。"
        "講習を受講するか、技術補助で予約してください",
        "field": "mode",
    }
    in_english = post(client, token, {**body, "mode": "self_use"}, HTTP_ACCEPT_LANGUAGE="en")
    assert in_english.json()["detail"] == (
        "self-use needs a valid training certificate for this machine; "
        "attend its training or book assisted use"
    )
    created = post(client, token, body)
    assert created.status_code == 201
    # assisted: one hour at ¥1,500 plus one staff member at ¥2,500, ×1.5 out of area
    assert (created.json()["mode"], created.json()["staff_count"],
            created.json()["estimated_fee_yen"]) == ("assisted", 1, 6000)  # fmt: skip


def test_without_login_is_401(client, xrd):
    response = client.post("/api/v1/bookings", {}, content_type="application/json")
    assert (response.status_code, response.json()) == (401, {"detail": "認証が必要です"})


def test_list_and_cancel_own_bookings(client, api_token, certified, make_user, xrd):
    token = api_token(certified)
    start = future(days=5)
    created = post(client, token, {"equipment": xrd.pk, "start": start.isoformat(),
                                   "end": (start + dt.timedelta(hours=1)).isoformat()}).json()  # fmt: skip
    listed = client.get("/api/v1/bookings", HTTP_AUTHORIZATION=token).json()
    assert (listed["count"], [b["id"] for b in listed["items"]]) == (1, [created["id"]])
    stranger = api_token(make_user("equipment_user"))
    assert (
        client.get(f"/api/v1/bookings/{created['id']}", HTTP_AUTHORIZATION=stranger).status_code
        == 404
    )
    cancelled = client.post(f"/api/v1/bookings/{created['id']}/cancel", {},
                            content_type="application/json", HTTP_AUTHORIZATION=token)  # fmt: skip
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = post(client, token, {"equipment": xrd.pk, "start": start.isoformat(),
                                 "end": (start + dt.timedelta(hours=1)).isoformat()})  # fmt: skip
    assert again.status_code == 201


def test_bodies_that_are_not_json_objects_are_400(client, api_token, certified, xrd):
    token = api_token(certified)
    for raw in ["not json", "[1, 2]", ""]:
        response = client.post("/api/v1/bookings", raw, content_type="application/json",
                               HTTP_AUTHORIZATION=token)  # fmt: skip
        assert response.status_code == 400, (raw, response.content)
        assert "detail" in response.json()


def test_utc_times_and_string_ids_are_accepted(client, api_token, certified, xrd):
    start = future(hour=10).astimezone(dt.UTC)
    response = post(client, api_token(certified), {
        "equipment": str(xrd.pk), "start": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "end": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["start"] == future(hour=10).isoformat()


def test_operators_add_machines_and_put_them_in_maintenance(
    client, api_token, operator, certified, hub
):
    token = api_token(operator)
    body = {"hub": hub.pk, "name": "走査電子顕微鏡", "category": "microscopy", "access": "assisted",
            "opening_hours": {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:30"},
            "fees": [{"user_class": "sme", "mode": "assisted", "hourly_yen": 1200}]}  # fmt: skip
    created = client.post("/api/v1/equipment", body, content_type="application/json",
                          HTTP_AUTHORIZATION=token)  # fmt: skip
    assert created.status_code == 201, created.content
    machine = created.json()
    assert (machine["modes"], machine["booking_rules"]["opening_hours"]["closes"]) == (
        ["assisted", "commissioned"], "17:30")  # fmt: skip
    assert client.get("/api/v1/equipment", {"q": "顕微"}).json()["count"] == 1
    bad = client.post("/api/v1/equipment", {**body, "category": "magic"},
                      content_type="application/json", HTTP_AUTHORIZATION=token)  # fmt: skip
    assert (bad.status_code, bad.json()["field"]) == (400, "category")
    refused = client.post("/api/v1/equipment", body, content_type="application/json",
                          HTTP_AUTHORIZATION=api_token(certified))  # fmt: skip
    assert refused.status_code == 403
    patched = client.patch(f"/api/v1/equipment/{machine['id']}", {"status": "maintenance"},
                           content_type="application/json", HTTP_AUTHORIZATION=token)  # fmt: skip
    assert (patched.status_code, patched.json()["status"]) == (200, "maintenance")
