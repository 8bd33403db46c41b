"""Fees that explain themselves: the machine page, the booking page, cancelling with the fee
shown, the search list's computed fee; the people told of hand-offs on bookings."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from kyoten.equipment import selectors, services
from kyoten.equipment.models import Charge
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def ahead(days: int, hour: int) -> dt.datetime:
    day = timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def cells(html: str, table_class: str) -> list[list[str]]:
    """The rows of the first table of that class, as lists of cell texts."""
    table = re.search(rf'<table class="{table_class}">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_the_machine_page_explains_one_hour_of_each_mode(client, certified, xrd):
    client.force_login(certified)
    html = client.get(f"/equipment/{xrd.pk}/").content.decode()
    # Kumamoto SME at a Fukuoka hub: ×150 %; assisted use adds one staff member at ¥2,500.
    assert cells(html, "fee-breakdown") == [
        ["機器使用料：1時間 ¥1,500 × 1 時間（1時間未満は切り上げ）", "¥1,500"],
        ["地域外利用の加算（拠点の地域外の利用者は 150%）", "¥750"],
        ["合計（税込）", "¥2,250"],
        ["うち消費税（10%）", "¥204"],
    ]
    assert "技術職員：1時間 ¥2,500 × 1 人 × 1 時間" in html


def test_the_booking_page_shows_the_fee_and_what_cancelling_costs(client, certified, xrd):
    booking = services.booking_create(
        equipment=xrd, user=certified, start=ahead(5, 10), end=ahead(5, 11, ) + dt.timedelta(minutes=30),
        mode="assisted",
    )  # fmt: skip
    assert booking.estimated_fee_yen == 12000  # (2 h × 1,500 + 2 h × 2,500) × 150 %
    client.force_login(certified)
    html = client.get(f"/equipment/bookings/{booking.pk}/").content.decode()
    assert cells(html, "fee-breakdown") == [
        ["機器使用料：1時間 ¥1,500 × 2 時間（1時間未満は切り上げ）", "¥3,000"],
        ["技術職員：1時間 ¥2,500 × 1 人 × 2 時間", "¥5,000"],
        ["地域外利用の加算（拠点の地域外の利用者は 150%）", "¥4,000"],
        ["合計（税込）", "¥12,000"],
        ["うち消費税（10%）", "¥1,090"],
    ]
    deadline = booking.start - dt.timedelta(hours=24)
    d = deadline.astimezone(TOKYO)
    youbi = "月火水木金土日"[d.weekday()]
    assert (
        f"今ならキャンセル料はかかりません。{d.year}年{d.month}月{d.day}日({youbi}) {d:%H:%M}以降は"
        "料金の 50% がかかります。"
    ) in html
    # Without the confirmation nothing happens.
    client.post(f"/equipment/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_late_cancellation_shows_its_fee_before_and_its_charge_after(client, certified, xrd):
    start = (
        (timezone.now() + dt.timedelta(hours=3))
        .astimezone(TOKYO)
        .replace(minute=0, second=0, microsecond=0)
    )  # within the hub's 24-hour window; the XRD is open around the clock
    booking = services.booking_create(equipment=xrd, user=certified, start=start,
                                      end=start + dt.timedelta(hours=1))  # fmt: skip
    client.force_login(certified)
    html = client.get(f"/equipment/bookings/{booking.pk}/").content.decode()
    assert booking.estimated_fee_yen == 2250
    assert "今キャンセルすると ¥1,125（料金の 50%）かかります。" in html
    assert "この予約をキャンセルし、キャンセル料 ¥1,125 を支払います。" in html
    response = client.post(f"/equipment/bookings/{booking.pk}/cancel/",
                           {"confirm": "1"}, follow=True)  # fmt: skip
    assert response.redirect_chain == [(f"/equipment/bookings/{booking.pk}/", 302)]
    page = response.content.decode()
    assert "<li>直前キャンセル: <strong>¥1,125</strong> (税込、うち消費税 ¥102)</li>" in page
    assert list(Charge.objects.values_list("kind", "amount_yen")) == [("late_cancellation", 1125)]


def test_an_early_cancellation_says_nothing_is_charged(client, certified, xrd):
    booking = services.booking_create(equipment=xrd, user=certified, start=ahead(5, 10),
                                      end=ahead(5, 11))  # fmt: skip
    client.force_login(certified)
    page = client.post(f"/equipment/bookings/{booking.pk}/cancel/", {"confirm": "1"},
                       follow=True).content.decode()  # fmt: skip
    assert "このキャンセルに料金はかかりません。" in page
    assert Charge.objects.count() == 0


def test_the_search_list_shows_the_computed_fee(client, certified, xrd):
    client.force_login(certified)
    html = client.get("/equipment/", {"q": "X線"}).content.decode()
    row = re.search(r'<td class="num"[^>]*>(.*?)</td>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", " ", row).split() == ["¥2,250", "¥1,500", "に地域外", "150%",
                                                   "を適用"]  # fmt: skip
    assert selectors.fee_for(certified, xrd)["hourly_total_yen"] == 2250


def test_people_are_told_when_the_hub_decides_or_cancels(client, make_user, operator, sme_org,
                                                         xrd):  # fmt: skip
    xrd.requires_approval = True
    xrd.save(update_fields=["requires_approval"])
    user = make_user("equipment_user", organisation=sme_org, email="u@example.jp")
    waiting = make_user("equipment_user", organisation=sme_org, email="w@example.jp")
    booking = services.booking_create(equipment=xrd, user=user, start=ahead(5, 10),
                                      end=ahead(5, 11), mode="assisted")  # fmt: skip
    services.waitlist_join(equipment=xrd, user=waiting, start=ahead(5, 10), end=ahead(5, 11))
    mail.outbox.clear()  # the request's mail to the operators
    client.force_login(operator)
    client.post(f"/equipment/hub/{xrd.hub_id}/bookings/{booking.pk}/approve/")
    client.post(f"/equipment/bookings/{booking.pk}/cancel/", {"confirm": "1"})
    assert [m.to for m in mail.outbox] == [["u@example.jp"], ["u@example.jp"], ["w@example.jp"]]
    assert "予約が確定しました" in mail.outbox[0].body
    assert "拠点により取り消されました" in mail.outbox[1].body
    assert "空きが出ました" in mail.outbox[2].body
    client.force_login(waiting)
    assert "X線回折装置の" in client.get("/notices/").content.decode()
