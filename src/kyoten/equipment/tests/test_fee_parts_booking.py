"""Fee parts stored on machines and bookings (issue 14 item 3): a day rate, a fee per sample, a
base fee once a fiscal year and the non-publish price, through booking, usage, cancellation,
the machine form, the booking form, the pages and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kyoten.core.errors import DomainError
from kyoten.core.models import Organisation
from kyoten.equipment import selectors, services
from kyoten.equipment.models import Booking, Charge, Course, Equipment
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db

# A fixed clock: FY2026 runs until 2027-03-31, FY2027 starts on 2027-04-01.
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=TOKYO)


def at(month: int, day: int, hour: int = 10, year: int = 2027) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TOKYO)


@pytest.fixture
def local(make_user, xrd):
    """An SME engineer from Fukuoka (the hub's prefecture: no out-of-area multiplier),
    certified for the XRD (¥1,500 an hour for SMEs, self-use)."""
    org = Organisation.objects.create(
        name="博多精機株式会社", kind="company", prefecture_id="40", is_sme=True
    )
    user = make_user("equipment_user", username="hakata", organisation=org)
    course = Course.objects.create(hub=xrd.hub, title="XRD 講習", equipment=xrd)
    services.certificate_issue(user=user, course=course, issued_on=dt.date(2026, 1, 1), by=None)
    return user


def priced(xrd, operator, **parts) -> Equipment:
    return services.equipment_update(equipment=xrd, by=operator, **parts)


def book(machine, user, start, hours=1, **kw) -> Booking:
    return services.booking_create(
        equipment=machine, user=user, start=start, end=start + dt.timedelta(hours=hours),
        mode="self_use", now=NOW, **kw,
    )  # fmt: skip


# --- the model -----------------------------------------------------------------------------


def test_a_machine_without_parts_bills_by_the_hour_as_before(xrd, local):
    assert (xrd.per_day_yen, xrd.day_hours, xrd.per_sample_yen, xrd.base_fee_yen,
            xrd.private_pct) == (None, 8, 0, 0, 100)  # fmt: skip
    b = book(xrd, local, at(1, 20), hours=2)
    assert (b.estimated_fee_yen, b.samples, b.private, b.base_fee_yen) == (3000, 0, False, 0)


def test_the_database_refuses_bad_parts(xrd):
    for change in ({"day_hours": 0}, {"day_hours": 25}, {"private_pct": 99}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Equipment.objects.filter(pk=xrd.pk).update(**change)


# --- each part through a booking -------------------------------------------------------------


def test_a_day_rate_caps_the_hours_per_started_day(xrd, operator, local):
    priced(xrd, operator, per_day_yen=10_000, day_hours=8)
    # 8 h at ¥1,500 would be ¥12,000: the day rate is cheaper.
    assert book(xrd, local, at(1, 20, 9), hours=8).estimated_fee_yen == 10_000
    # 3 h: by the hour.
    assert book(xrd, local, at(1, 21), hours=3).estimated_fee_yen == 4_500


def test_samples_are_stored_and_charged_after_use(xrd, operator, local):
    priced(xrd, operator, per_sample_yen=2_000)
    b = book(xrd, local, at(1, 20), samples=5)
    assert (b.samples, b.estimated_fee_yen) == (5, 1_500 + 5 * 2_000)
    services.booking_report_usage(
        booking=b, by=local, actual_start=at(1, 20), actual_end=at(1, 20, 12),
        will_acknowledge=True, now=at(1, 21),
    )  # fmt: skip
    # Two hours actually used, the five samples still charged.
    assert Charge.objects.get(booking=b, kind="usage").amount_yen == 2 * 1_500 + 10_000


def test_the_non_publish_price_applies_to_the_machine_and_samples(xrd, operator, local):
    priced(xrd, operator, per_sample_yen=2_000, private_pct=200)
    public = book(xrd, local, at(1, 20), samples=1)
    private = book(xrd, local, at(1, 21), samples=1, private=True)
    assert (public.private, public.estimated_fee_yen) == (False, 3_500)
    assert (private.private, private.estimated_fee_yen) == (True, 7_000)


def test_the_base_fee_goes_with_the_first_booking_of_each_fiscal_year(xrd, operator, local):
    priced(xrd, operator, base_fee_yen=10_000)
    first = book(xrd, local, at(1, 20))
    second = book(xrd, local, at(2, 10))
    next_year = book(xrd, local, at(4, 5))  # FY2027
    assert [(b.base_fee_yen, b.estimated_fee_yen) for b in (first, second, next_year)] == [
        (10_000, 11_500), (0, 1_500), (10_000, 11_500),
    ]  # fmt: skip
    # A weekly series in one fiscal year by someone else carries it once.
    other = services.booking_create_series(
        equipment=xrd, user=operator, start=at(2, 1), end=at(2, 1, 11), count=3, mode="assisted",
        now=NOW,
    )  # fmt: skip
    assert [b.base_fee_yen for b in other] == [10_000, 0, 0]


def test_a_cancelled_first_booking_passes_the_base_fee_on(xrd, operator, local):
    priced(xrd, operator, base_fee_yen=10_000)
    first = book(xrd, local, at(1, 20))
    second = book(xrd, local, at(2, 10))
    # Within the hub's window (24 h): 50 % of the fee without the base fee.
    assert services.late_cancellation_fee(first, now=at(1, 20, 8)) == 750
    services.booking_cancel(booking=first, by=local, now=at(1, 20, 8))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.base_fee_yen, first.estimated_fee_yen) == (0, 1_500)
    assert (second.base_fee_yen, second.estimated_fee_yen) == (10_000, 11_500)
    assert Charge.objects.get(booking=first).amount_yen == 750
    # The next booking made in that year owes nothing more.
    assert book(xrd, local, at(3, 1)).base_fee_yen == 0


def test_bad_samples_are_refused_naming_the_field(xrd, operator, local):
    priced(xrd, operator, per_sample_yen=2_000)
    for value in (-1, 1000, "3", True):
        with pytest.raises(DomainError) as caught:
            book(xrd, local, at(1, 20), samples=value)
        assert caught.value.field == "samples"
    with pytest.raises(DomainError) as caught:
        book(xrd, local, at(1, 20), private="yes")
    assert caught.value.field == "private"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"per_day_yen": -1}, "per_day_yen"), ({"day_hours": 0}, "day_hours"),
     ({"day_hours": 25}, "day_hours"), ({"per_sample_yen": -5}, "per_sample_yen"),
     ({"base_fee_yen": 1.5}, "base_fee_yen"), ({"base_fee_yen": 10**12}, "base_fee_yen"),
     ({"per_day_yen": 10_000_001}, "per_day_yen"), ({"private_pct": 50}, "private_pct"),
     ({"private_pct": 1001}, "private_pct")],
)  # fmt: skip
def test_the_machine_service_refuses_bad_parts_naming_the_field(xrd, operator, change, field):
    with pytest.raises(DomainError) as caught:
        services.equipment_update(equipment=xrd, by=operator, **change)
    assert caught.value.field == field
    xrd.refresh_from_db()
    assert (xrd.per_day_yen, xrd.day_hours, xrd.per_sample_yen, xrd.base_fee_yen,
            xrd.private_pct) == (None, 8, 0, 0, 100)  # fmt: skip


# --- the operator's machine form -----------------------------------------------------------

FORM = {
    "name": "X線回折装置", "category": "analysis", "access": "trained",
    "open_weekdays": ["1", "2", "3", "4", "5", "6", "7"], "opens": "00:00", "closes": "24:00",
    "slot_minutes": 30, "min_booking_minutes": 30, "max_booking_minutes": 480,
    "lead_time_minutes": 60, "fee_sme_self_use": 1500,
}  # fmt: skip


def test_the_operator_sets_and_clears_the_fee_parts(client, operator, xrd):
    client.force_login(operator)
    page = client.get(f"/equipment/{xrd.pk}/edit/").content.decode()
    for label in ("1日料金（円）", "1日として請求する時間", "試料1件あたりの料金（円）",
                  "基本料（円）", "非公開利用の料金（％）", "その他の料金（任意）"):  # fmt: skip
        assert label in page
    response = client.post(f"/equipment/{xrd.pk}/edit/", {
        **FORM, "per_day_yen": 30000, "day_hours": 8, "per_sample_yen": 2000,
        "base_fee_yen": 10000, "private_pct": 200,
    })  # fmt: skip
    assert response.status_code == 302
    xrd.refresh_from_db()
    assert (xrd.per_day_yen, xrd.day_hours, xrd.per_sample_yen, xrd.base_fee_yen,
            xrd.private_pct) == (30000, 8, 2000, 10000, 200)  # fmt: skip
    assert client.get(f"/equipment/{xrd.pk}/edit/").context["form"].initial["per_day_yen"] == 30000
    # Empty fields: no day rate, and the defaults for the others.
    client.post(f"/equipment/{xrd.pk}/edit/", {**FORM, "per_day_yen": "", "private_pct": ""})
    xrd.refresh_from_db()
    assert (xrd.per_day_yen, xrd.private_pct, xrd.per_sample_yen) == (None, 100, 0)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [({"private_pct": 50}, "private_pct", "この値は 100 以上でなければなりません。"),
     ({"day_hours": 30}, "day_hours", "この値は 24 以下でなければなりません。"),
     ({"per_sample_yen": -1}, "per_sample_yen", "この値は 0 以上でなければなりません。"),
     ({"base_fee_yen": "一万"}, "base_fee_yen", "整数を入力してください。")],
    ids=["private_pct", "day_hours", "per_sample_yen", "base_fee_yen"],
)  # fmt: skip
def test_the_machine_form_refuses_bad_parts_naming_the_field(
    client, operator, xrd, change, field, message
):
    client.force_login(operator)
    response = client.post(f"/equipment/{xrd.pk}/edit/", {**FORM, **change})
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    xrd.refresh_from_db()
    assert (xrd.day_hours, xrd.private_pct, xrd.per_sample_yen) == (8, 100, 0)


# --- the booking form and the pages ----------------------------------------------------------


def ahead(days: int, hour: int) -> dt.datetime:
    day = timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def cells(html: str) -> list[list[str]]:
    table = re.search(r'<table class="fee-breakdown">(.*?)</table>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]  # fmt: skip


def test_the_booking_form_asks_for_samples_and_the_non_publish_choice_only_when_priced(
    client, operator, xrd, local
):
    client.force_login(local)
    form = client.get(f"/equipment/{xrd.pk}/").context["form"]
    assert "samples" not in form.fields and "private" not in form.fields
    priced(xrd, operator, per_sample_yen=2_000, private_pct=200)
    html = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert 'name="samples"' in html and "試料数" in html and "試料1件 ¥2,000。" in html
    assert 'name="private"' in html and "成果を公開しない（非公開利用の料金）" in html
    assert "機器使用料と試料の料金が ×2.0 になります" in html
    # The machine page lists the parts in Japanese.
    assert "試料料金：1件 ¥2,000" in html
    assert "非公開利用（成果を公開しない場合）：機器使用料と試料の料金 ×2.0" in html
    start = ahead(3, 10)
    fmt = "%Y-%m-%dT%H:%M"
    base = {"start": start.strftime(fmt), "end": (start + dt.timedelta(hours=1)).strftime(fmt),
            "mode": "self_use", "repeat_weeks": 1}  # fmt: skip
    bad = client.post(f"/equipment/{xrd.pk}/", {**base, "samples": -2})
    assert bad.context["form"].errors == {"samples": ["この値は 0 以上でなければなりません。"]}
    response = client.post(f"/equipment/{xrd.pk}/", {**base, "samples": 3, "private": "on"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.samples, booking.private, booking.estimated_fee_yen) == (
        3, True, (1_500 + 3 * 2_000) * 2,
    )  # fmt: skip


def test_the_booking_page_shows_each_part_in_japanese(client, operator, xrd, local):
    priced(xrd, operator, per_day_yen=10_000, day_hours=8, per_sample_yen=2_000,
           base_fee_yen=20_000, private_pct=150)  # fmt: skip
    start = ahead(3, 9)
    booking = services.booking_create(
        equipment=xrd, user=local, start=start, end=start + dt.timedelta(hours=8),
        mode="self_use", samples=5, private=True,
    )  # fmt: skip
    # day ¥10,000 (< 8 h × ¥1,500) + samples ¥10,000, ×1.5; base ¥20,000
    assert booking.estimated_fee_yen == 20_000 * 3 // 2 + 20_000
    client.force_login(local)
    html = client.get(f"/equipment/bookings/{booking.pk}/").content.decode()
    assert cells(html) == [
        ["機器使用料：1日 ¥10,000 × 1 日（1日＝8時間まで。時間料金より安い日額を適用）", "¥10,000"],
        ["試料：1件 ¥2,000 × 5 件", "¥10,000"],
        ["非公開利用：機器・試料 ×1.5（成果を公開しない利用）", "¥10,000"],
        ["基本料（この機器の年度内初回利用）", "¥20,000"],
        ["合計（税込）", "¥50,000"],
        ["うち消費税（10%）", "¥4,545"],
    ]


def test_the_machine_page_counts_the_base_fee_while_it_is_due(client, operator, xrd, local):
    priced(xrd, operator, base_fee_yen=10_000)
    client.force_login(local)
    html = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert "基本料：¥10,000（年度に1回、その年度で最初にこの機器を予約したとき）" in html
    assert ["基本料（この機器の年度内初回利用）", "¥10,000"] in cells(html)
    assert ["合計（税込）", "¥11,500"] in cells(html)
    start = ahead(3, 10)
    services.booking_create(equipment=xrd, user=local, start=start,
                            end=start + dt.timedelta(hours=1), mode="self_use")  # fmt: skip
    html = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert ["合計（税込）", "¥1,500"] in cells(html)


def test_fee_estimate_with_every_part(xrd, operator, local):
    priced(xrd, operator, per_day_yen=10_000, per_sample_yen=2_000, base_fee_yen=10_000,
           private_pct=200)  # fmt: skip
    f = selectors.fee_estimate(local, xrd, mode="self_use", minutes=16 * 60, samples=5,
                               private=True, with_base_fee=True)  # fmt: skip
    assert (f["by_day"], f["days"], f["machine_yen"], f["sample_yen"], f["private_yen"],
            f["base_fee_yen"], f["total_yen"]) == (
        True, 2, 20_000, 10_000, 30_000, 10_000, 70_000,
    )  # fmt: skip


# --- the API ---------------------------------------------------------------------------------


def test_the_api_reads_and_writes_the_parts(client, api_token, operator, xrd, local):
    token = api_token(operator)
    response = client.patch(
        f"/api/v1/equipment/{xrd.pk}",
        {"fee_parts": {"per_day_yen": 30000, "per_sample_yen": 2000, "private_pct": 200}},
        content_type="application/json", HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["fee_parts"] == {
        "per_day_yen": 30000, "day_hours": 8, "per_sample_yen": 2000, "base_fee_yen": 0,
        "private_pct": 200,
    }  # fmt: skip
    cleared = client.patch(
        f"/api/v1/equipment/{xrd.pk}", {"fee_parts": {"per_day_yen": None}},
        content_type="application/json", HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert cleared.json()["fee_parts"]["per_day_yen"] is None
    assert cleared.json()["fee_parts"]["per_sample_yen"] == 2000
    bad = client.patch(
        f"/api/v1/equipment/{xrd.pk}", {"fee_parts": {"private_pct": 20}},
        content_type="application/json", HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert (bad.status_code, bad.json()["field"]) == (400, "private_pct")
    start = ahead(3, 10)
    made = client.post(
        "/api/v1/bookings",
        {"equipment": xrd.pk, "start": start.isoformat(),
         "end": (start + dt.timedelta(hours=1)).isoformat(), "samples": 2, "private": True},
        content_type="application/json", HTTP_AUTHORIZATION=api_token(local),
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["samples"], body["private"], body["base_fee_yen"], body["estimated_fee_yen"]) == (
        2, True, 0, (1_500 + 2 * 2_000) * 2,
    )  # fmt: skip


def test_the_api_adds_a_machine_with_parts(client, api_token, operator, hub):
    response = client.post(
        "/api/v1/equipment",
        {"hub": hub.pk, "name": "SQUID磁束計", "category": "analysis",
         "fees": [{"user_class": "academic", "mode": "self_use", "hourly_yen": 1500}],
         "fee_parts": {"per_day_yen": 10000, "base_fee_yen": 20000}},
        content_type="application/json", HTTP_AUTHORIZATION=api_token(operator),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["fee_parts"] == {
        "per_day_yen": 10000, "day_hours": 8, "per_sample_yen": 0, "base_fee_yen": 20000,
        "private_pct": 100,
    }  # fmt: skip


def test_the_desk_shows_samples_and_the_non_publish_choice_of_requests(
    client, operator, xrd, local
):
    priced(xrd, operator, per_sample_yen=2_000, private_pct=200, requires_approval=True)
    start = ahead(3, 10)
    services.booking_create(equipment=xrd, user=local, start=start,
                            end=start + dt.timedelta(hours=1), mode="self_use", samples=3,
                            private=True)  # fmt: skip
    client.force_login(operator)
    html = client.get(f"/equipment/hub/{xrd.hub_id}/").content.decode()
    assert "自己利用（機器利用） · 試料 3 件 · 成果を公開しない" in html
