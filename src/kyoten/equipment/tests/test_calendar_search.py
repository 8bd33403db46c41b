"""Calendar cells that prefill the booking form, booking messages with Japanese dates, the
live search's trigger (one request per pause) and its card layout at phone width."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kyoten.equipment import services
from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db
YOUBI = "月火水木金土日"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def jp(moment: dt.datetime) -> str:
    local = moment.astimezone(TOKYO)
    return f"{local.year}年{local.month}月{local.day}日({YOUBI[local.weekday()]}) {local:%H:%M}"


def in_days(days: int, hour: int) -> dt.datetime:
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def test_free_cells_are_links_that_prefill_the_form(client, certified, xrd):
    client.force_login(certified)
    day = in_days(2, 0).date()
    page = client.get(f"/equipment/{xrd.pk}/?view=day&date={day}").content.decode()
    links = re.findall(r'<a class="slot-link" href="([^"]+)" aria-label="([^"]+)"', page)
    assert links, "a free slot is a link (reachable by keyboard)"
    href, label = next((h, a) for h, a in links if f"start={day}T10:00" in h)
    assert href.endswith("#book")
    assert label.startswith("予約する ") and "10:00–10:30" in label
    prefilled = client.get(href.replace("&amp;", "&").split("#")[0]).content.decode()
    assert f'value="{day}T10:00"' in prefilled
    assert f'value="{day}T10:30"' in prefilled


def test_calendar_partial_also_has_the_links_and_observers_get_none(client, make_user, xrd):
    client.force_login(make_user("equipment_user"))
    assert 'class="slot-link"' in client.get(f"/equipment/{xrd.pk}/calendar/").content.decode()
    client.force_login(make_user("observer", username="obs"))
    assert 'class="slot-link"' not in client.get(f"/equipment/{xrd.pk}/").content.decode()


def test_unreadable_prefill_is_ignored(client, certified, xrd):
    client.force_login(certified)
    response = client.get(f"/equipment/{xrd.pk}/?start=9999-99-99T99:99&end=x")
    assert response.status_code == 200


def test_booked_message_gives_the_date_in_japanese(client, certified, xrd):
    client.force_login(certified)
    start = in_days(3, 10)
    response = client.post(
        f"/equipment/{xrd.pk}/",
        {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": start.strftime("%Y-%m-%dT11:00"),
         "mode": "self_use", "repeat_weeks": 1},
        follow=True,
    )  # fmt: skip
    assert messages_of(response) == [f"予約しました: X線回折装置、{jp(start)}–11:00。"]


def test_cancelled_message_names_the_fee(client, certified, xrd):
    # Three hours ahead: within the hub's 24-hour late-cancellation window.
    soon = dt.datetime.now(TOKYO).replace(minute=0, second=0, microsecond=0)
    start = soon + dt.timedelta(hours=3)
    booking = services.booking_create(
        equipment=xrd, user=certified, start=start, end=start + dt.timedelta(hours=1)
    )
    client.force_login(certified)
    response = client.post(f"/equipment/bookings/{booking.pk}/cancel/", {"confirm": "1"},
                           follow=True)  # fmt: skip
    [message] = messages_of(response)
    assert message.startswith(f"キャンセルしました: X線回折装置、{jp(start)}")
    assert re.search(r"キャンセル料 ¥[\d,]+ がかかります。$", message), message
    assert Booking.objects.get().status == "cancelled"


def test_live_search_waits_for_a_pause_and_enter_sends_one_request(client):
    page = client.get("/equipment/").content.decode()
    trigger = re.search(r'hx-trigger="([^"]+)"', page).group(1)
    specs = [s.strip() for s in trigger.split(",")]
    # htmx keeps one delay timer per element: when every trigger is delayed, typing, the
    # change on Enter and the submit restart the same timer, so one request goes per pause.
    assert specs and all("delay:" in s for s in specs), specs
    assert any(s.startswith("input") for s in specs)
    assert any(s.startswith("submit") for s in specs)
    assert 'hx-sync="this:replace"' in page
    assert "<script>" not in page and "style=" not in page


def test_results_are_labelled_cards_at_phone_width(client, xrd):
    page = client.get("/equipment/?q=X線").content.decode()
    assert 'class="cards results"' in page
    assert 'data-label="機器"' in page or 'data-label="装置"' in page or "data-label=" in page
    css = (Path(services.__file__).parent / "static/equipment/equipment.css").read_text()
    assert "table.cards" in css and "attr(data-label)" in css
