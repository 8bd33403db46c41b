"""The monthly settlement between hubs (issue 14, item 4): who reads it (officer, operators of
the hubs concerned), the officer closes a month once it is over (figures fixed, each hub told),
the API list; the qualified invoice's registration number and tax per rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from kyoten.core.errors import Conflict, DomainError, Forbidden
from kyoten.equipment import documents, selectors, services
from kyoten.equipment.models import Charge, SettlementClose
from kyoten.equipment.slots import TOKYO
from kyoten.hubs.models import Hub
from kyoten.notices.models import Notice

pytestmark = pytest.mark.django_db


def at(month, day, hour):
    return dt.datetime(2027, month, day, hour, tzinfo=TOKYO)


AFTER = at(4, 2, 9)  # March 2027 is over


@pytest.fixture
def kumamoto(sme_org, make_user):
    hub = Hub.objects.create(name="熊本拠点", slug="kumamoto", lead_prefecture_id="43",
                             form="equipment_only")  # fmt: skip
    hub.host_organisations.add(sme_org)
    op = make_user("operator", username="km-op", email="km@example.jp")
    hub.operators.add(op)
    return hub


@pytest.fixture
def used(certified, xrd, kumamoto):
    """The Kumamoto engineer uses the Fukuoka XRD for 2 h in March: Kumamoto bills ¥4,500 and
    owes it to Fukuoka."""
    booking = services.booking_create(equipment=xrd, user=certified, start=at(3, 2, 10),
                                      end=at(3, 2, 12), now=at(3, 1, 8))  # fmt: skip
    services.booking_report_usage(booking=booking, by=certified, actual_start=booking.start,
                                  actual_end=booking.end, will_acknowledge=True,
                                  now=booking.end)  # fmt: skip
    return booking


def test_the_officer_closes_a_month_figures_fixed_each_hub_told(
    make_user, used, kumamoto, operator, xrd
):
    officer = make_user("officer")
    operator.email = "fk@example.jp"
    operator.save(update_fields=["email"])
    with pytest.raises(Forbidden):
        services.settlement_close(year=2027, month=3, by=operator, now=AFTER)
    with pytest.raises(DomainError) as not_over:
        services.settlement_close(year=2027, month=3, by=officer, now=at(3, 20, 9))
    assert not_over.value.field == "month"
    with pytest.raises(DomainError) as bad:
        services.settlement_close(year=2027, month=13, by=officer, now=AFTER)
    assert bad.value.field == "month"
    mail.outbox.clear()
    closed = services.settlement_close(year=2027, month=3, by=officer, now=AFTER)
    assert closed.figures == [{"from_hub": kumamoto.pk, "to_hub": xrd.hub_id, "amount_yen": 4500}]
    told = Notice.objects.filter(kind="settlement_closed").order_by("recipient__username")
    assert [(n.recipient.username, n.text_ja) for n in told] == [
        ("km-op", "2027年3月分の拠点間精算が確定しました。熊本拠点の支払は¥4,500、受取は¥0です。"),
        ("op", "2027年3月分の拠点間精算が確定しました。福岡地域産学官共同研究拠点の支払は¥0、受取は¥4,500です。"),
    ]  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == ["fk@example.jp", "km@example.jp"]
    # A charge recorded later for March changes nothing once closed.
    Charge.objects.filter(booking=used).update(amount_yen=9999)
    assert selectors.settlement_month(2027, 3)["rows"][0]["amount_yen"] == 4500
    assert selectors.settlement_month(2027, 3)["closed"] is True
    with pytest.raises(Conflict):
        services.settlement_close(year=2027, month=3, by=officer, now=AFTER)
    assert SettlementClose.objects.count() == 1


def test_who_reads_the_settlement_page_and_api(client, make_user, used, kumamoto, operator, xrd):
    readers = {
        "officer": make_user("officer"),
        "fukuoka operator": operator,
        "kumamoto operator": kumamoto.operators.get(),
        "other hub's operator": make_user("operator", username="tk-op"),
        "engineer": used.user,
        "observer": make_user("observer"),
    }
    Hub.objects.create(name="東京拠点", slug="tokyo", lead_prefecture_id="13",
                       form="new").operators.add(readers["other hub's operator"])  # fmt: skip
    seen = {}
    for who, user in readers.items():
        client.force_login(user)
        page = client.get("/equipment/settlement/?year=2027&month=3")
        api = client.get("/api/v1/settlements?year=2027&month=3")
        seen[who] = (page.status_code, api.status_code,
                     api.json().get("total_yen") if api.status_code == 200 else None)  # fmt: skip
    assert seen == {
        "officer": (200, 200, 4500),
        "fukuoka operator": (200, 200, 4500),
        "kumamoto operator": (200, 200, 4500),
        "other hub's operator": (200, 200, 0),  # nothing of theirs to settle
        "engineer": (403, 403, None),
        "observer": (403, 403, None),
    }
    client.logout()
    assert client.get("/api/v1/settlements?year=2027&month=3").status_code == 401
    client.force_login(readers["officer"])
    body = client.get("/api/v1/settlements?year=2027&month=3").json()
    assert body["items"] == [{"from_hub": kumamoto.pk, "from_hub_name": "熊本拠点",
                              "to_hub": xrd.hub_id, "to_hub_name": "福岡地域産学官共同研究拠点",
                              "amount_yen": 4500}]  # fmt: skip
    bad = client.get("/api/v1/settlements?year=2027&month=13")
    assert (bad.status_code, bad.json()["field"]) == (400, "month")
    page = client.get("/equipment/settlement/?year=2027&month=3").content.decode()
    assert "熊本拠点" in page and "¥4,500" in page and "未確定" in page
    assert "月を締める" not in page  # March 2027 is not over yet
    assert "月を締める" in client.get("/equipment/settlement/?year=2026&month=11").content.decode()


def test_the_close_form_needs_the_confirming_tick_and_an_officer(client, make_user, used, operator):
    officer = make_user("officer")
    client.force_login(operator)
    assert client.post("/equipment/settlement/close/", {"year": 2026, "month": 11,
                                                        "confirm": "1"}).status_code == 403  # fmt: skip
    client.force_login(officer)
    client.post("/equipment/settlement/close/", {"year": 2026, "month": 11})
    assert not SettlementClose.objects.exists()
    response = client.post("/equipment/settlement/close/",
                           {"year": 2026, "month": 11, "confirm": "1"}, follow=True)  # fmt: skip
    assert SettlementClose.objects.get().month == 11
    assert "確定" in response.content.decode()


def test_registration_number_is_t_and_13_digits_and_printed(operator, hub, used, kumamoto):
    with pytest.raises(DomainError) as bad:
        services.hub_settings_update(hub=kumamoto, by=kumamoto.operators.get(),
                                     invoice_registration_number="1234567890123")  # fmt: skip
    assert bad.value.field == "invoice_registration_number"
    services.hub_settings_update(hub=kumamoto, by=kumamoto.operators.get(),
                                 invoice_registration_number="T1234567890123")  # fmt: skip
    [invoice] = services.invoices_issue(hub=kumamoto, year=2027, month=3, by=None)
    charges = list(selectors.charges_for_invoice(invoice))
    body = documents.invoice_csv(invoice, charges, registration_number="T1234567890123")
    text = body.decode("utf-8-sig")
    assert "登録番号,T1234567890123" in text and "うち消費税（10%）,,,,,,,,,,,,409" in text
    assert documents.tax_summary(4500) == [
        {"rate_pct": 10, "total_yen": 4500, "tax_yen": 409, "net_yen": 4091}
    ]


def test_pdf_text_stays_inside_its_cells(operator, hub, used, kumamoto, xrd):
    """A very long machine name wraps inside its column: every text cell is a Paragraph that
    is split at the cell's width; a plain string would run over the next cell."""
    from reportlab.platypus import Paragraph

    xrd.name = (
        "超高分解能X線回折装置（試料水平型・多目的・高温ステージ・小角散乱オプション付き）" * 2
    )
    xrd.save(update_fields=["name"])
    [invoice] = services.invoices_issue(hub=kumamoto, year=2027, month=3, by=None)
    charges = list(selectors.charges_for_invoice(invoice))
    pdf = documents.invoice_pdf(invoice, charges, registration_number="T1234567890123")
    assert pdf.startswith(b"%PDF")
    table, widths = documents.invoice_pdf.last_table
    for row in table._cellvalues:
        for width, held in zip(widths, row, strict=True):
            [cell] = held if isinstance(held, list | tuple) else [held]
            assert isinstance(cell, Paragraph)
            inner = width - 12  # the table's default padding is 6 pt a side
            cell.wrap(inner, 10_000)
            for line in cell.blPara.lines:
                spare = line[0] if isinstance(line, tuple) else line.extraSpace
                assert spare >= -0.01, (cell.text, inner - spare, inner)
    name_cell = table._cellvalues[1][1]
    name_cell = name_cell[0] if isinstance(name_cell, list | tuple) else name_cell
    assert name_cell.wrap(widths[1] - 12, 10_000)[1] > 30  # several lines, not one long one
