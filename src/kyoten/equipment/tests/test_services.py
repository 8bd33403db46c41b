"""Booking life cycle, fees, training, invoices and statistics through the services."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail

from kyoten.core.errors import Conflict, DomainError, Forbidden
from kyoten.equipment import documents, selectors, services
from kyoten.equipment.models import Booking, Charge, Course, TrainingSession, WaitlistEntry
from kyoten.equipment.slots import TOKYO

pytestmark = pytest.mark.django_db


def at(month, day, hour, minute=0):
    return dt.datetime(2027, month, day, hour, minute, tzinfo=TOKYO)


NOW = at(3, 1, 8)  # Monday 1 March 2027, 08:00


def book(xrd, user, start, hours=2, **kw):
    return services.booking_create(equipment=xrd, user=user, start=start,
                                   end=start + dt.timedelta(hours=hours), now=NOW, **kw)  # fmt: skip


def test_late_cancellation_costs_the_hubs_percentage_early_is_free(certified, xrd):
    early = book(xrd, certified, at(3, 10, 10))
    services.booking_cancel(booking=early, by=certified, now=NOW)
    late = book(xrd, certified, at(3, 2, 10))
    services.booking_cancel(booking=late, by=certified, now=at(3, 1, 20))  # 14 h before start
    assert list(Charge.objects.values_list("booking_id", "kind", "amount_yen")) == [
        (late.pk, "late_cancellation", 2250)  # 50 % of (2 h × ¥1,500 × 1.5)
    ]
    with pytest.raises(Conflict):
        services.booking_cancel(booking=late, by=certified, now=NOW)


def test_usage_report_charges_started_hours_and_staff_can_adjust(certified, operator, xrd):
    booking = book(xrd, certified, at(3, 2, 10))
    usage = services.booking_report_usage(
        booking=booking, by=certified, actual_start=at(3, 2, 10), actual_end=at(3, 2, 12, 5),
        will_acknowledge=True, now=at(3, 2, 13),
    )  # fmt: skip
    charge = Charge.objects.get(booking=booking)
    assert (usage.minutes, charge.hours, charge.amount_yen) == (125, 3, 6750)
    services.usage_adjust(usage=usage, by=operator, actual_start=at(3, 2, 10),
                          actual_end=at(3, 2, 11))  # fmt: skip
    charge.refresh_from_db()
    assert (charge.hours, charge.amount_yen) == (1, 2250)
    with pytest.raises(Forbidden):
        services.usage_adjust(usage=usage, by=certified, actual_start=at(3, 2, 10),
                              actual_end=at(3, 2, 11))  # fmt: skip


def test_usage_needs_the_acknowledgement_when_the_machine_requires_it(certified, xrd):
    booking = book(xrd, certified, at(3, 2, 10))
    with pytest.raises(DomainError) as err:
        services.booking_report_usage(booking=booking, by=certified, actual_start=at(3, 2, 10),
                                      actual_end=at(3, 2, 11), will_acknowledge=False,
                                      now=at(3, 2, 13))  # fmt: skip
    assert err.value.field == "will_acknowledge"


def test_no_show_is_charged_and_only_by_staff(certified, operator, xrd):
    booking = book(xrd, certified, at(3, 2, 10))
    with pytest.raises(Forbidden):
        services.booking_mark_no_show(booking=booking, by=certified, now=at(3, 2, 11))
    services.booking_mark_no_show(booking=booking, by=operator, now=at(3, 2, 11))
    assert list(Charge.objects.values_list("kind", "amount_yen")) == [("no_show", 4500)]


def test_approval_flow(certified, operator, xrd):
    xrd.requires_approval = True
    xrd.save()
    booking = book(xrd, certified, at(3, 2, 10))
    assert booking.status == "requested"
    with pytest.raises(Forbidden):
        services.booking_decide(booking=booking, by=certified, approve=True)
    assert services.booking_decide(booking=booking, by=operator, approve=True).status == "confirmed"


def test_recurring_booking_is_all_or_nothing(certified, make_user, xrd):
    other = make_user("equipment_user")
    book(xrd, other, at(3, 16, 10), mode="assisted")
    with pytest.raises(Conflict):
        services.booking_create_series(equipment=xrd, user=certified, start=at(3, 2, 10),
                                       end=at(3, 2, 12), count=4, now=NOW)  # fmt: skip
    assert Booking.objects.filter(user=certified).count() == 0
    made = services.booking_create_series(equipment=xrd, user=certified, start=at(3, 2, 13),
                                          end=at(3, 2, 15), count=4, now=NOW)  # fmt: skip
    assert [b.start for b in made] == [at(3, 2, 13), at(3, 9, 13), at(3, 16, 13), at(3, 23, 13)]
    assert len({b.series_id for b in made}) == 1


def test_quota_per_organisation_and_month(certified, operator, xrd):
    services.quota_set(equipment=xrd, organisation=certified.organisation, hours_per_month=4,
                       by=operator)  # fmt: skip
    book(xrd, certified, at(3, 2, 10), hours=3)
    with pytest.raises(Conflict) as err:
        book(xrd, certified, at(3, 3, 10), hours=2)
    assert "quota" in err.value.message
    book(xrd, certified, at(4, 5, 10), hours=2)  # another month


def test_staff_are_never_double_booked(certified, make_user, operator, xrd):
    first = book(xrd, certified, at(3, 2, 10), mode="assisted")
    second_machine = services.equipment_create(hub=xrd.hub, by=None, name="SEM", category="microscopy",
                                               fees={("sme", "assisted"): 1000},
                                               open_weekdays="1234567")  # fmt: skip
    second = book(second_machine, certified, at(3, 2, 11), mode="assisted")
    services.booking_assign_staff(booking=first, staff=operator, by=operator)
    with pytest.raises(Conflict):
        services.booking_assign_staff(booking=second, staff=operator, by=operator)


def test_cancellation_offers_the_slot_to_the_waiting_list(certified, make_user, xrd):
    waiting = make_user("equipment_user", email="wait@example.jp")
    booking = book(xrd, certified, at(3, 2, 10))
    services.waitlist_join(equipment=xrd, user=waiting, start=at(3, 2, 10), end=at(3, 2, 11))
    services.booking_cancel(booking=booking, by=certified, now=NOW)
    assert WaitlistEntry.objects.get().status == "offered"
    assert [m.to for m in mail.outbox] == [["wait@example.jp"]]


def test_certificates_expire_and_attendance_issues_them(make_user, operator, sme_org, xrd):
    user = make_user("equipment_user", organisation=sme_org)
    course = Course.objects.create(hub=xrd.hub, title="XRD", equipment=xrd, validity_months=12)
    session = TrainingSession.objects.create(course=course, start=at(1, 11, 13), end=at(1, 11, 16))
    services.session_register(session=session, user=user, now=at(1, 4, 9))
    cert = services.attendance_record(
        session=session, user=user, attended=True, by=operator, now=at(1, 11, 16)
    )
    assert (cert.issued_on, cert.expires_on) == (dt.date(2027, 1, 11), dt.date(2028, 1, 11))
    assert services.valid_certificate(user, xrd, dt.date(2027, 6, 1)) == cert
    assert services.valid_certificate(user, xrd, dt.date(2028, 1, 12)) is None
    assert selectors.trained_engineers(xrd.hub) == [
        {"organisation_id": sme_org.pk, "organisation": "肥後精密工業株式会社", "kind": "company",
         "is_sme": True, "people": 1}
    ]  # fmt: skip


def test_monthly_invoice_pdf_and_csv_and_settlement(certified, operator, xrd):
    booking = book(xrd, certified, at(3, 2, 10))
    services.booking_report_usage(booking=booking, by=certified, actual_start=at(3, 2, 10),
                                  actual_end=at(3, 2, 12), will_acknowledge=True,
                                  now=at(3, 2, 13))  # fmt: skip
    [invoice] = services.invoices_issue(hub=xrd.hub, year=2027, month=3, by=operator)
    assert (invoice.organisation, invoice.total_yen) == (certified.organisation, 4500)
    assert services.invoices_issue(hub=xrd.hub, year=2027, month=3, by=operator) == []
    charges = list(selectors.charges_for_invoice(invoice))
    csv_bytes = documents.invoice_csv(invoice, charges)
    assert csv_bytes.startswith("\ufeff請求番号,".encode())
    assert csv_bytes.decode("utf-8-sig").splitlines()[-4:] == [
        "合計（税込）,,,,,,,,,,,,4500",
        "10%対象（税込）,,,,,,,,,,,,4500",
        "うち消費税（10%）,,,,,,,,,,,,409",
        f"発行者,福岡地域産学官共同研究拠点,登録番号,—,発行日,{invoice.issued_at.astimezone(TOKYO).date().isoformat()},宛先,肥後精密工業株式会社",
    ]
    pdf = documents.invoice_pdf(invoice, charges)
    assert pdf.startswith(b"%PDF") and b"IPAexGothic" in pdf and b"FontFile2" in pdf
    # Kumamoto's company has no home hub here: Fukuoka bills it itself, nothing to settle
    assert selectors.settlement(year=2026) == []


def test_ical_feeds(client, certified, xrd):
    book(xrd, certified, at(3, 2, 10))
    machine = client.get(f"/equipment/{xrd.pk}/calendar.ics")
    assert machine.status_code == 200 and machine["Content-Type"].startswith("text/calendar")
    body = machine.content.decode()
    assert "DTSTART:20270302T010000Z" in body and "engineer" not in body


def test_hub_usage_stats(certified, xrd):
    booking = book(xrd, certified, at(3, 2, 10))
    services.booking_report_usage(booking=booking, by=certified, actual_start=at(3, 2, 10),
                                  actual_end=at(3, 2, 12), will_acknowledge=True,
                                  now=at(3, 2, 13))  # fmt: skip
    stats = selectors.hub_usage_stats(xrd.hub, 2026)
    assert stats == {
        "hub": xrd.hub_id, "fiscal_year": 2026, "equipment_count": 1, "bookings": 1,
        "booked_hours": 2.0, "opening_hours": 365 * 24.0, "utilisation_pct": 0.0,
        "usage_revenue_yen": 4500, "users": 1, "sme_users": 1, "companies_using": 1,
        "sme_share_pct": 100.0, "trainees": 0, "engineers_trained": 0,
    }  # fmt: skip
    assert selectors.hub_kpis(xrd.hub, 2026) == {
        "equipment_utilisation_pct": 0.0, "sme_users": 1, "companies_using": 1,
        "engineers_trained": 0, "revenue_yen": 4500,
    }  # fmt: skip


def test_invoice_command_checks_its_input(capsys, certified, xrd):
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exit_:
        call_command("equipment_invoices", "--year", "2027", "--month", "13", "--hub", "999")
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "month: 13 is not 1 to 12",
        "hub: no hub with id 999",
    ]
    call_command("equipment_invoices", "--year", "2027", "--month", "3")
    assert capsys.readouterr().out.splitlines() == ["0 invoices"]


def test_home_hub_bills_and_settles_with_the_providing_hub(certified, operator, sme_org, xrd):
    from kyoten.hubs.models import Hub

    kumamoto = Hub.objects.create(name="熊本拠点", slug="kumamoto", lead_prefecture_id="43",
                                  form="equipment_only")  # fmt: skip
    kumamoto.host_organisations.add(sme_org)
    booking = book(xrd, certified, at(3, 2, 10))
    services.booking_report_usage(booking=booking, by=certified, actual_start=at(3, 2, 10),
                                  actual_end=at(3, 2, 12), will_acknowledge=True,
                                  now=at(3, 2, 13))  # fmt: skip
    assert services.invoices_issue(hub=xrd.hub, year=2027, month=3, by=None) == []
    [invoice] = services.invoices_issue(hub=kumamoto, year=2027, month=3, by=None)
    assert (invoice.number, invoice.total_yen) == (f"KUMAMOTO-202703-{sme_org.pk:05d}", 4500)
    assert selectors.settlement(year=2027, month=3) == [
        {"from_hub": kumamoto.pk, "to_hub": xrd.hub_id, "amount_yen": 4500}
    ]
    assert selectors.settlement(year=2026) == selectors.settlement(year=2027, month=3)


def test_invoice_csv_writes_a_hostile_machine_name_as_text(certified, operator, xrd):
    xrd.name = '=HYPERLINK("https://evil.example")'
    xrd.save(update_fields=["name"])
    booking = book(xrd, certified, at(3, 2, 10))
    services.booking_report_usage(booking=booking, by=certified, actual_start=at(3, 2, 10),
                                  actual_end=at(3, 2, 12), will_acknowledge=True,
                                  now=at(3, 2, 13))  # fmt: skip
    [invoice] = services.invoices_issue(hub=xrd.hub, year=2027, month=3, by=operator)
    charges = list(selectors.charges_for_invoice(invoice))
    rows = list(
        csv.reader(io.StringIO(documents.invoice_csv(invoice, charges).decode("utf-8-sig")))
    )
    assert rows[1][3] == '\'=HYPERLINK("https://evil.example")'
    assert rows[1][-1] == "4500"
    assert rows[-4] == ["合計（税込）", "", "", "", "", "", "", "", "", "", "", "", "4500"]
