import datetime as dt

import pytest

from kyoten.equipment import services
from kyoten.equipment.models import Booking
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def next_weekday(hour):
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=3)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def test_machine_page_with_week_and_day_calendar(client, certified, xrd):
    start = next_weekday(10)
    services.booking_create(equipment=xrd, user=certified, start=start,
                            end=start + dt.timedelta(hours=1))  # fmt: skip
    client.force_login(certified)
    page = client.get(f"/equipment/{xrd.pk}/", {"date": start.date().isoformat()})
    body = page.content.decode()
    assert page.status_code == 200
    assert "X線回折装置" in body and 'class="booked mine"' in body and "hx-get" in body
    day = client.get(f"/equipment/{xrd.pk}/calendar/",
                     {"view": "day", "date": start.date().isoformat()}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert day.status_code == 200 and "<html" not in day.content.decode()
    assert day.content.decode().count('class="booked mine"') == 2  # two half-hour slots


def test_booking_through_the_page_and_cancelling(client, certified, xrd):
    client.force_login(certified)
    start = next_weekday(13)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(f"/equipment/{xrd.pk}/", {
        "start": start.strftime(fmt), "end": (start + dt.timedelta(hours=2)).strftime(fmt),
        "mode": "self_use", "purpose": "試作品の評価", "repeat_weeks": 1,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert (booking.start, booking.purpose) == (start, "試作品の評価")
    clash = client.post(f"/equipment/{xrd.pk}/", {
        "start": start.strftime(fmt), "end": (start + dt.timedelta(hours=1)).strftime(fmt),
        "mode": "self_use", "repeat_weeks": 1,
    })  # fmt: skip
    assert clash.status_code == 200 and "まで予約済みです" in clash.content.decode()
    assert "waitlist" in clash.content.decode()
    joined = client.post(f"/equipment/{xrd.pk}/waitlist/", {
        "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat()})  # fmt: skip
    assert joined.status_code == 302
    from kyoten.equipment.models import WaitlistEntry

    assert list(WaitlistEntry.objects.values_list("start", "status")) == [(start, "waiting")]
    listing = client.get("/equipment/bookings/")
    assert listing.status_code == 200 and "X線回折装置" in listing.content.decode()
    client.post(f"/equipment/bookings/{booking.pk}/cancel/", {"confirm": "1"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_hub_desk_is_for_the_hubs_operators(client, certified, operator, xrd):
    client.force_login(certified)
    assert client.get(f"/equipment/hub/{xrd.hub_id}/").status_code == 404
    client.force_login(operator)
    page = client.get(f"/equipment/hub/{xrd.hub_id}/")
    assert page.status_code == 200 and "福岡地域産学官共同研究拠点" in page.content.decode()


def test_invoice_downloads(client, certified, operator, xrd):
    start = next_weekday(9) - dt.timedelta(days=10)
    booking = Booking.objects.create(
        equipment=xrd, user=certified, organisation=certified.organisation, start=start,
        end=start + dt.timedelta(hours=1), minutes=60, mode="self_use", user_class="sme",
        estimated_fee_yen=2250, out_of_area=True,
    )  # fmt: skip
    services.booking_report_usage(booking=booking, by=certified, actual_start=start,
                                  actual_end=start + dt.timedelta(hours=1), will_acknowledge=True)  # fmt: skip
    local = start.astimezone(TOKYO)
    [invoice] = services.invoices_issue(
        hub=xrd.hub, year=local.year, month=local.month, by=operator
    )
    client.force_login(certified)  # the organisation's own engineer may read it
    pdf = client.get(f"/equipment/invoices/{invoice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = client.get(f"/equipment/invoices/{invoice.pk}.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())


def test_user_calendar_feed_is_private_by_key(client, certified, xrd):
    start = next_weekday(10)
    services.booking_create(equipment=xrd, user=certified, start=start,
                            end=start + dt.timedelta(hours=1), purpose="秘密の試料")  # fmt: skip
    client.force_login(certified)
    client.get("/equipment/bookings/")
    from kyoten.equipment.models import CalendarFeed

    key = CalendarFeed.objects.get(user=certified).key
    client.logout()
    feed = client.get(f"/equipment/feeds/{key}.ics")
    assert feed.status_code == 200 and "秘密の試料" in feed.content.decode()
    assert client.get("/equipment/feeds/wrong.ics").status_code == 404


def test_calendar_marks_past_slots_as_past_not_free(client, certified, xrd):
    client.force_login(certified)
    past = dt.datetime.now(TOKYO).date() - dt.timedelta(days=2)
    future = dt.datetime.now(TOKYO).date() + dt.timedelta(days=2)
    args = {"view": "day"}
    old = client.get(f"/equipment/{xrd.pk}/calendar/", {**args, "date": past.isoformat()}).content
    new = client.get(f"/equipment/{xrd.pk}/calendar/", {**args, "date": future.isoformat()}).content
    assert "終了" in old.decode() and 'class="free"' not in old.decode()
    assert 'class="free"' in new.decode()
