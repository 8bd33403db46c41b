"""A hub's bookings as a file (issue 15, item 6): Japanese headers and labels, the organisation
and never the person, for the hub's operators and the program's readers only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from kyoten.equipment import services
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_hubs_bookings_as_csv(client, make_user, hub, xrd, certified, operator):
    start = dt.datetime(2027, 3, 2, 10, tzinfo=TOKYO)
    booking = services.booking_create(
        equipment=xrd, user=certified, start=start, end=start + dt.timedelta(hours=2),
        purpose="=HYPERLINK(\"x\")", now=dt.datetime(2027, 3, 1, 8, tzinfo=TOKYO),
    )  # fmt: skip
    url = f"/equipment/hub/{hub.pk}/bookings.csv"
    assert client.get(url)["Location"].startswith("/login/")
    client.force_login(make_user("equipment_user", username="stranger"))
    assert client.get(url).status_code == 403
    client.force_login(operator)
    rows = read_csv(client.get(url))
    assert rows[0] == [
        "予約ID", "機器", "開始", "終了", "予約時間（分）", "利用形態", "利用者区分", "所属機関",
        "利用目的", "状態", "見積料金（円）",
    ]  # fmt: skip
    assert rows[1][:4] == [
        str(booking.pk),
        "X線回折装置",
        "2027-03-02 10:00:00",
        "2027-03-02 12:00:00",
    ]
    assert rows[1][7:9] == ["肥後精密工業株式会社", '\'=HYPERLINK("x")']
    assert "engineer" not in "".join(rows[1])
    assert rows[1][10] == str(booking.estimated_fee_yen)
    assert len(rows) == 2
    assert client.get(f"/equipment/hub/{hub.pk}/bookings.pdf").status_code == 404


def test_the_hub_page_links_to_its_machines_desk_and_bookings(client, hub, operator):
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f"/equipment/?hub={hub.pk}" in page and f"/network/hub/{hub.pk}/" in page
    assert f"/equipment/hub/{hub.pk}/" not in page  # the desk and files: its operators only
    client.force_login(operator)
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f'href="/equipment/hub/{hub.pk}/"' in page
    assert f"/equipment/hub/{hub.pk}/bookings.csv" in page
