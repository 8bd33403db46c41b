"""Invoices for users: who may read one (the user their own lines, the organisation's billing
contact the whole, the issuing hub, the officer; nobody else), the INVOICE_ISSUED notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kyoten.equipment import services
from kyoten.equipment.models import Invoice
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def at(month, day, hour):
    return dt.datetime(2027, month, day, hour, tzinfo=TOKYO)


def use(xrd, user, day, hours=2):
    booking = services.booking_create(equipment=xrd, user=user, start=at(3, day, 10),
                                      end=at(3, day, 10 + hours), now=at(3, 1, 8))  # fmt: skip
    services.booking_report_usage(booking=booking, by=user, actual_start=booking.start,
                                  actual_end=booking.end, will_acknowledge=True,
                                  now=booking.end)  # fmt: skip
    return booking


@pytest.fixture
def people(make_user, certified, sme_org, xrd, operator):
    colleague = make_user("equipment_user", username="colleague", organisation=sme_org,
                          email="c@example.jp")  # fmt: skip
    contact = make_user("equipment_user", username="billing", organisation=sme_org,
                        email="billing@example.jp")  # fmt: skip
    sme_org.billing_contact = contact
    sme_org.save(update_fields=["billing_contact"])
    certified.email = "engineer@example.jp"
    certified.save(update_fields=["email"])
    services.certificate_issue(user=colleague, course=certified.equipment_certificates.get().course,
                               issued_on=dt.date(2026, 1, 1), by=None)  # fmt: skip
    use(xrd, certified, 2)  # 2 h × ¥1,500 × 150 % = ¥4,500
    use(xrd, colleague, 3, hours=1)  # ¥2,250
    return {"engineer": certified, "colleague": colleague, "contact": contact,
            "operator": operator, "outsider": make_user("equipment_user", username="outsider"),
            "officer": make_user("officer")}  # fmt: skip


def issue(client, operator, hub):
    client.force_login(operator)
    mail.outbox.clear()
    response = client.post(f"/equipment/hub/{hub.pk}/invoices/", {"year": 2027, "month": 3})
    assert response.status_code == 302
    return Invoice.objects.get()


def test_issuing_tells_the_users_and_the_billing_contact(client, people, xrd):
    invoice = issue(client, people["operator"], xrd.hub)
    assert invoice.total_yen == 6750
    assert sorted(m.to[0] for m in mail.outbox) == [
        "billing@example.jp", "c@example.jp", "engineer@example.jp"
    ]  # fmt: skip
    assert (
        f"福岡地域産学官共同研究拠点が2027年3月分の請求書 {invoice.number} を発行しました。"
        in mail.outbox[0].body
    )


def test_who_reads_an_invoice_and_how_much_of_it(client, people, xrd):
    invoice = issue(client, people["operator"], xrd.hub)
    seen = {}
    for who, user in people.items():
        client.force_login(user)
        listing = client.get("/equipment/invoices/")
        csv = client.get(f"/equipment/invoices/{invoice.pk}.csv")
        totals = [i.shown_total_yen for i in listing.context["page"].object_list]
        lines = csv.content.decode("utf-8-sig").splitlines() if csv.status_code == 200 else []
        last = next((x for x in lines if x.startswith("合計")), "")
        seen[who] = (totals, csv.status_code, last)
    assert seen == {
        "engineer": ([4500], 200, "合計（税込）,,,,,,,,,,,,4500"),
        "colleague": ([2250], 200, "合計（税込）,,,,,,,,,,,,2250"),
        "contact": ([6750], 200, "合計（税込）,,,,,,,,,,,,6750"),
        "operator": ([6750], 200, "合計（税込）,,,,,,,,,,,,6750"),
        "outsider": ([], 404, ""),
        "officer": ([6750], 200, "合計（税込）,,,,,,,,,,,,6750"),
    }
    # The engineer's CSV holds their own line only, never the colleague's.
    client.force_login(people["engineer"])
    body = client.get(f"/equipment/invoices/{invoice.pk}.csv").content.decode("utf-8-sig")
    # header, their line, total, tax-rate total, tax, issuer
    assert len(body.splitlines()) == 6 and "colleague" not in body


def test_the_invoice_list_queries_do_not_grow_with_the_rows(client, people, xrd, hub):
    issue(client, people["operator"], xrd.hub)
    client.force_login(people["contact"])
    with CaptureQueriesContext(connection) as one:
        client.get("/equipment/invoices/")
    for month in (4, 5, 6):
        booking = services.booking_create(
            equipment=xrd, user=people["engineer"], start=at(month, 5, 10), end=at(month, 5, 11),
            now=at(3, 1, 8),
        )  # fmt: skip
        services.booking_report_usage(booking=booking, by=people["engineer"],
                                      actual_start=booking.start, actual_end=booking.end,
                                      will_acknowledge=True, now=booking.end)  # fmt: skip
        services.invoices_issue(hub=hub, year=2027, month=month, by=None)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/equipment/invoices/").context["page"].object_list) == 4
    assert len(many) == len(one)
