"""An SME engineer in Kumamoto finds the X-ray diffractometer of a Fukuoka hub, sees the fee
and books it; a colleague's try at the same time is refused with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

from .helpers import at, certify, equipment_network, log_in, weekday_ahead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def open_week_of(page, day) -> None:
    """Page the machine's calendar (Monday–Sunday weeks, this week first) forward to `day`."""
    today = timezone.now().astimezone(TOKYO).date()

    def monday(d):
        return d - dt.timedelta(days=d.isoweekday() - 1)

    weeks = (monday(day) - monday(today)).days // 7
    for _ in range(weeks):
        shown = page.locator("#calendar nav strong").inner_text()
        page.locator("#calendar nav a.button").nth(1).click()  # "later"
        expect(page.locator("#calendar nav strong")).not_to_have_text(shown)
    expect(page.locator("#calendar thead th", has_text=f"{day.month}/{day.day} (")).to_have_count(1)


def calendar_cell(page, day, time: str):
    """The calendar cell of `day` at `time` ("HH:MM") in the shown week."""
    headers = page.locator("#calendar thead th").all_inner_texts()
    column = next(
        i for i, text in enumerate(headers) if text.startswith(f"{day.month}/{day.day} (")
    )
    row = page.locator("#calendar tbody tr").filter(
        has=page.locator("th", has_text=time)
    )  # fmt: skip
    return row.locator("td").nth(column - 1)  # the first column is the row's time header


def test_sme_engineer_finds_books_and_cannot_double_book(page, browser, live_server, make_user):
    officer = make_user("officer")
    world = equipment_network(officer)
    engineer = make_user(
        "equipment_user", username="higo", display_name="肥後 一郎", organisation=world["company"]
    )
    certify(engineer, world["course"])
    colleague = make_user("equipment_user", username="higo2", organisation=world["company"])
    day = weekday_ahead(2)
    start, end = at(day, 10), at(day, 12)

    log_in(page, live_server.url, "higo")
    page.locator("header nav a[href='/equipment/']").click()
    page.wait_for_url(live_server.url + "/equipment/")

    # Keyword: both diffractometers of the network, not the microscope.
    page.locator("input[name=q]").fill("X線回折")
    page.locator("form.equipment-search button[type=submit]").click()
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(2)
    expect(page.locator("#results")).not_to_contain_text("走査電子顕微鏡")

    # Narrow to Fukuoka (40): the Tokyo machine goes, the Fukuoka one shows the SME fee with the
    # out-of-area surcharge (Kumamoto is outside the hub's prefectures).
    page.locator("select[name=prefecture]").select_option("40")
    page.locator("form.equipment-search button[type=submit]").click()
    expect(results).to_have_count(1)
    row = results.first
    expect(row).to_contain_text("X線回折装置")
    expect(row).to_contain_text("福岡 先端材料評価拠点")
    expect(row).to_contain_text("福岡県")
    expect(row.locator("td.num")).to_contain_text("¥2,250")
    expect(row.locator("td.num")).to_contain_text("¥1,500 に地域外 150% を適用")

    row.get_by_role("link", name="X線回折装置").click()
    page.wait_for_url(f"{live_server.url}/equipment/{world['xrd'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("X線回折装置")
    self_use = page.locator("table.fee-breakdown").first
    expect(self_use.locator("caption")).to_have_text("中小企業 · 自己利用（機器利用）")
    expect(self_use).to_contain_text("合計（税込）¥2,250")
    expect(page.locator("p.ok")).to_be_visible()  # the certificate allows self-use

    # The calendar: 10:00 on the chosen day is free; book 10:00–12:00.
    open_week_of(page, day)
    expect(calendar_cell(page, day, "10:00")).to_have_class("free")
    # The free cell is a link: reached by keyboard (focus + Enter), it prefills the form.
    calendar_cell(page, day, "10:00").get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(page.locator("input[name=start]")).to_have_value(f"{day.isoformat()}T10:00")
    expect(page.locator("input[name=end]")).to_have_value(f"{day.isoformat()}T10:30")
    page.locator("input[name=end]").fill(f"{day.isoformat()}T12:00")
    page.locator("select[name=mode]").select_option("self_use")
    page.locator("input[name=purpose]").fill("新規合金粉末の結晶構造評価")
    page.locator("form:has(input[name=start]) button[type=submit]").click()

    # My bookings: the machine, the hub, the time and the estimated fee
    # (2 h × ¥1,500 × 150 % = ¥4,500).
    page.wait_for_url(live_server.url + "/equipment/bookings/")
    expect(page.get_by_role("status")).to_contain_text("予約しました")
    mine = page.locator("table.my-bookings tbody tr")
    expect(mine).to_have_count(1)
    youbi = "月火水木金土日"[day.weekday()]
    expect(mine.first).to_contain_text(f"{day.year}年{day.month}月{day.day}日({youbi}) 10:00–12:00")
    expect(mine.first).to_contain_text("X線回折装置")
    expect(mine.first).to_contain_text("福岡 先端材料評価拠点")
    expect(mine.first).to_contain_text("¥4,500")
    booking = Booking.objects.get()
    assert (booking.user, booking.start, booking.end, booking.mode, booking.status) == (
        engineer,
        start,
        end,
        "self_use",
        "confirmed",
    )
    assert booking.estimated_fee_yen == 4500

    # A colleague (another browser) sees the time taken and still tries 11:00–12:00 assisted.
    other = browser.new_context(locale="ja-JP")
    try:
        page2 = other.new_page()
        page2.set_default_timeout(15_000)
        log_in(page2, live_server.url, colleague.username)
        page2.goto(f"{live_server.url}/equipment/{world['xrd'].pk}/?date={day.isoformat()}")
        expect(calendar_cell(page2, day, "11:00")).to_have_class("booked")
        page2.locator("input[name=start]").fill(f"{day.isoformat()}T11:00")
        page2.locator("input[name=end]").fill(f"{day.isoformat()}T12:00")
        page2.locator("select[name=mode]").select_option("assisted")
        page2.locator("form:has(input[name=start]) button[type=submit]").click()
        page2.wait_for_load_state()
        # The refusal names the booked interval and offers the waiting list.
        error = page2.locator("form:has(input[name=start]) .errorlist")
        expect(error).to_contain_text(f"{day.year}年{day.month}月{day.day}日({youbi}) 10:00")
        expect(error).to_contain_text(f"{day.year}年{day.month}月{day.day}日({youbi}) 12:00")
        expect(error).to_contain_text("予約済み")
        expect(page2.locator("form[action$='/waitlist/']")).to_be_visible()
    finally:
        other.close()
    assert Booking.objects.count() == 1

    # The engineer's own calendar marks the slot as theirs.
    page.goto(f"{live_server.url}/equipment/{world['xrd'].pk}/?date={day.isoformat()}")
    expect(calendar_cell(page, day, "10:00")).to_have_class("booked mine")


def test_live_search_sends_one_request_per_pause_and_shows_cards_on_a_phone(
    page, live_server, make_user
):
    officer = make_user("officer")
    equipment_network(officer)
    log_in(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/equipment/")
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(r.url) if r.headers.get("hx-request") == "true" else None,
    )
    # Typing with short gaps between keys: one request once the typing pauses.
    page.locator("input[name=q]").press_sequentially("X線回折", delay=60)
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.wait_for_timeout(800)
    assert len(sent) == 1, sent
    # Typing and pressing Enter at once: one request, not three.
    sent.clear()
    page.locator("input[name=q]").press_sequentially("装置", delay=30)
    page.keyboard.press("Enter")
    page.wait_for_timeout(900)
    assert len(sent) == 1, sent
    # At 390 px the results are cards: no table header row, each row a block.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#results thead")).to_have_css("position", "absolute")
    expect(page.locator("#results tbody tr").first).to_have_css("display", "block")
