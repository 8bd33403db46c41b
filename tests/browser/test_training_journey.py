"""The operator adds a machine that needs training and a session of its course; an SME engineer
registers from the machine's page; on the day the operator records attendance and passes them;
the engineer finds the certificate notice and books self-use. Also at phone width (390 px)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.equipment import services
from kyoten.equipment.models import (
    Attendance,
    Booking,
    Certificate,
    Charge,
    Equipment,
    TrainingSession,
)
from kyoten.equipment.slots import TOKYO

from .helpers import equipment_network, log_in, weekday_ahead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_operator_trains_an_engineer_who_then_books_self_use(page, browser, live_server, make_user):
    officer = make_user("officer")
    world = equipment_network(officer)
    hub = world["fukuoka"]
    operator = make_user("operator", username="fk-op", display_name="福岡 運営")
    hub.operators.add(operator)
    engineer = make_user(
        "equipment_user", username="higo", display_name="肥後 一郎",
        organisation=world["company"], email="higo@example.jp",
    )  # fmt: skip

    # The operator adds an X-ray CT that trained users may use alone.
    log_in(page, live_server.url, "fk-op")
    page.goto(f"{live_server.url}/equipment/hub/{hub.pk}/")
    page.get_by_role("link", name="機器を追加").click()
    page.locator("input[name=name]").fill("X線CT装置")
    page.locator("select[name=category]").select_option("imaging")
    page.locator("input[name=maker]").fill("島津製作所")
    page.locator("select[name=access]").select_option("trained")
    page.locator("input[name=opens]").fill("09:00")
    page.locator("input[name=closes]").fill("17:00")
    page.locator("input[name=fee_sme_self_use]").fill("1500")
    page.locator("input[name=fee_sme_assisted]").fill("2000")
    # Analysis is also charged per sample (its help says users give the count when they book).
    expect(page.get_by_label("試料1件あたりの料金（円）")).to_be_visible()
    page.get_by_label("試料1件あたりの料金（円）").fill("2000")
    page.get_by_role("button", name="機器を追加する").click()
    machine = Equipment.objects.get(name="X線CT装置")
    page.wait_for_url(f"{live_server.url}/equipment/{machine.pk}/")
    expect(page.get_by_role("status")).to_contain_text("機器を追加しました。")

    # Its course (certificate valid 12 months) and a session three weekdays ahead.
    page.goto(f"{live_server.url}/equipment/hub/{hub.pk}/training/")
    course_form = page.locator("form.course-form")
    course_form.locator("input[name=title]").fill("X線CT 利用講習")
    course_form.locator("select[name=equipment]").select_option(str(machine.pk))
    course_form.locator("input[name=validity_months]").fill("12")
    course_form.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("講習コースを追加しました。")
    day = weekday_ahead(3)
    session_form = page.locator("form.session-form")
    session_form.locator("select[name=course]").select_option(label="X線CT 利用講習")
    session_form.locator("input[name=start]").fill(f"{day.isoformat()}T13:00")
    session_form.locator("input[name=end]").fill(f"{day.isoformat()}T16:00")
    session_form.locator("input[name=capacity]").fill("4")
    session_form.locator("input[name=place]").fill("1F 講習室")
    session_form.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("講習会を追加しました。")
    session = TrainingSession.objects.get()
    expect(page.locator("main")).to_contain_text("まだ申込はありません。")

    # The engineer finds the machine needs training and registers from its page.
    engineer_context = browser.new_context(locale="ja-JP")
    try:
        them = engineer_context.new_page()
        them.set_default_timeout(15_000)
        log_in(them, live_server.url, "higo")
        them.goto(f"{live_server.url}/equipment/{machine.pk}/")
        expect(them.locator(".training-needed")).to_contain_text("X線CT 利用講習")
        them.get_by_role("link", name="この機器の講習会").click()
        them.wait_for_url(f"{live_server.url}/equipment/training/?equipment={machine.pk}")
        rows = them.locator("table.training-sessions tbody tr")
        expect(rows).to_have_count(1)
        youbi = "月火水木金土日"[day.weekday()]
        expect(rows.first).to_contain_text(
            f"{day.year}年{day.month}月{day.day}日({youbi}) 13:00–16:00"
        )
        rows.first.get_by_role("button", name="申し込む").click()
        expect(them.get_by_role("status")).to_contain_text("申し込みました。")
        expect(rows.first.locator(".badge")).to_have_text("申込済み")
        them.goto(f"{live_server.url}/equipment/training/mine/")
        expect(them.locator("table.my-registrations tbody tr").first).to_contain_text(
            "X線CT 利用講習"
        )
        them.set_viewport_size({"width": 390, "height": 844})
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        them.screenshot(path=str(SCREENSHOTS / "my-trainings-390.png"), full_page=True)
        them.set_viewport_size({"width": 1280, "height": 800})

        # The day has come: the session started an hour ago.
        now = timezone.now()
        TrainingSession.objects.filter(pk=session.pk).update(
            start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=2)
        )
        page.goto(f"{live_server.url}/equipment/hub/{hub.pk}/sessions/{session.pk}/")
        row = page.locator("table.roster tbody tr[data-user=higo]")
        expect(row).to_contain_text("肥後精密工業株式会社")
        row.get_by_role("button", name="出席・修了").click()
        expect(page.get_by_role("status")).to_contain_text(
            "肥後 一郎さんが修了し、認定を発行しました。"
        )
        expect(page.locator("table.roster tbody tr[data-user=higo]")).to_contain_text("発行済み")
        assert list(Attendance.objects.values_list("user__username", "status")) == [
            ("higo", "attended")
        ]
        cert = Certificate.objects.get(user=engineer)
        today = now.astimezone(TOKYO).date()
        assert (cert.equipment_id, cert.issued_on, cert.revoked) == (machine.pk, today, False)
        assert [m.to for m in mail.outbox] == [["higo@example.jp"]]
        assert "X線CT 利用講習を修了しました" in mail.outbox[0].body

        # The engineer's inbox has the notice; the machine now offers self-use.
        them.goto(f"{live_server.url}/notices/")
        expect(them.locator("main")).to_contain_text("X線CT 利用講習を修了しました。")
        them.goto(f"{live_server.url}/equipment/{machine.pk}/")
        expect(them.locator("p.ok")).to_contain_text("あなたの認定は")
        book_day = weekday_ahead(4)
        them.locator("input[name=start]").fill(f"{book_day.isoformat()}T10:00")
        them.locator("input[name=end]").fill(f"{book_day.isoformat()}T11:30")
        them.locator("select[name=mode]").select_option("self_use")
        them.get_by_label("試料数").fill("2")
        them.locator("form:has(input[name=start]) button[type=submit]").click()
        them.wait_for_url(f"{live_server.url}/equipment/bookings/")
        expect(them.get_by_role("status")).to_contain_text("予約しました")
        expect(them.get_by_role("status")).to_contain_text(
            f"{book_day.year}年{book_day.month}月{book_day.day}日"
            f"({'月火水木金土日'[book_day.weekday()]}) 10:00–11:30"
        )
        them.set_viewport_size({"width": 390, "height": 844})
        them.screenshot(path=str(SCREENSHOTS / "my-bookings-390.png"), full_page=True)
        them.set_viewport_size({"width": 1280, "height": 800})
        booking = Booking.objects.get()
        # 1.5 h → (2 started hours × ¥1,500 + 2 samples × ¥2,000) × 150 % (Kumamoto is outside
        # the Fukuoka hub's area).
        assert (booking.user, booking.equipment, booking.mode, booking.status, booking.samples,
                booking.estimated_fee_yen) == (engineer, machine, "self_use", "confirmed", 2,
                                               10500)  # fmt: skip

        # The booking's page shows how the fee is made up.
        them.goto(f"{live_server.url}/equipment/bookings/{booking.pk}/")
        expect(them.locator("table.fee-breakdown")).to_contain_text("¥1,500")
        expect(them.locator("table.fee-breakdown")).to_contain_text("試料：1件 ¥2,000 × 2 件")
        expect(them.locator("table.fee-breakdown")).to_contain_text("¥10,500")

        # Plans change: the booking is now only a few hours away (inside the 24-hour window),
        # so cancelling costs 50 % of the fee, which the page says before the engineer confirms.
        soon = timezone.now().astimezone(TOKYO).replace(minute=0, second=0, microsecond=0)
        Booking.objects.filter(pk=booking.pk).update(
            start=soon + dt.timedelta(hours=3), end=soon + dt.timedelta(hours=4, minutes=30)
        )
        them.reload()
        cancel = them.locator("section.cancel-booking")
        expect(cancel.locator(".warning")).to_contain_text("今キャンセルすると ¥5,250")
        cancel.get_by_role("button", name="予約をキャンセルする").click()
        # The confirmation box is required: nothing is sent until it is ticked.
        assert Booking.objects.get().status == "confirmed"
        cancel.locator("input[name=confirm]").check()
        cancel.get_by_role("button", name="予約をキャンセルする").click()
        expect(them.get_by_role("status")).to_contain_text("キャンセル料 ¥5,250")
        expect(them.locator("section.cancel-booking")).to_contain_text("¥5,250")
        assert Booking.objects.get().status == "cancelled"

        # At the month's end the hub that bills the engineer's programme issues its invoices;
        # the engineer downloads theirs.
        charge = Charge.objects.get(booking=booking)
        today = timezone.now().astimezone(TOKYO).date()
        services.invoices_issue(hub=charge.billing_hub, year=today.year, month=today.month, by=None)
        them.goto(f"{live_server.url}/equipment/invoices/")
        row = them.locator("table.invoices tbody tr").first
        expect(row).to_contain_text("¥5,250")
        for fmt, kind in (("PDF", "application/pdf"), ("CSV", "text/csv")):
            href = row.get_by_role("link", name=fmt).get_attribute("href")
            answer = them.request.get(f"{live_server.url}{href}")
            assert answer.status == 200, (fmt, answer.status)
            assert answer.headers["content-type"].startswith(kind), answer.headers
    finally:
        engineer_context.close()

    # The operator opens the month's settlement between hubs.
    page.goto(f"{live_server.url}/equipment/settlement/?year={today.year}&month={today.month}")
    expect(page.locator("h1")).to_have_text("拠点間精算")
    expect(page.locator("table.settlement")).to_be_visible()
