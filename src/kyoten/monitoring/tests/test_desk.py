"""The coordinator desk and the IP office (issue 19 §2–3): consultations, patents and licences,
and the KPIs computed from them, built through the services and asserted as literal numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.models import Organisation
from kyoten.equipment import services as equipment_services
from kyoten.equipment.models import Course
from kyoten.hubs.services import hub_create
from kyoten.monitoring import services
from kyoten.monitoring.rules import can_write_consultations, is_hub_coordinator
from kyoten.monitoring.tests.conftest import PDCA
from kyoten.notices.models import Notice

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def coordinator(hub, operator, officer):
    services.coordinator_appoint(hub=hub, user=operator, by=officer)
    return operator


@pytest.fixture
def other_hub(officer):
    return hub_create(by=officer, name="佐賀県 拠点", lead_prefecture="41", form="new")


@pytest.fixture
def booking(hub, operator, make_user):
    sme = Organisation.objects.create(
        name="博多精密株式会社", kind="company", prefecture_id="40", is_sme=True
    )
    machine = equipment_services.equipment_create(
        hub=hub, by=operator, name="X線回折装置", category="analysis",
        fees={("sme", "self_use"): 1500}, open_weekdays="12345", opens_minute=540,
        closes_minute=1020,
    )  # fmt: skip
    course = Course.objects.create(hub=hub, title="XRD 講習", equipment=machine)
    user = make_user("equipment_user", organisation=sme)
    equipment_services.certificate_issue(
        user=user, course=course, issued_on=dt.date(2012, 5, 1), by=operator
    )
    start = dt.datetime(2012, 6, 4, 9, tzinfo=TOKYO)
    return equipment_services.booking_create(
        equipment=machine, user=user, start=start, end=start + dt.timedelta(hours=3),
        now=dt.datetime(2012, 6, 1, 9, tzinfo=TOKYO),
    )  # fmt: skip


def consult(hub, by, **kw):
    data = {
        "received_on": "2012-05-10",
        "company_name": "博多精密株式会社",
        "size_class": "sme",
        "prefecture": "40",
        "subject": "薄膜の結晶性評価",
        "question": "XRD で測れますか",
    }
    data.update(kw)
    return services.consultation_create(hub=hub, by=by, **data)


def project(hub, by, **kw):
    data = {
        "title": "薄膜の共同研究",
        "contract_type": "joint",
        "contract_start": "2012-07-01",
        "contract_end": "2013-03-31",
        "partners": [
            {"name": "博多精密株式会社", "kind": "company", "size_class": "sme", "prefecture": "40"}
        ],
    }
    data.update(kw)
    return services.joint_research_create(hub=hub, by=by, **data)


def test_a_coordinator_is_an_operator_of_the_hub_with_the_duty(hub, operator, officer, make_user):
    assert not is_hub_coordinator(operator, hub)
    services.coordinator_appoint(hub=hub, user=operator, by=officer)
    assert is_hub_coordinator(operator, hub)
    assert can_write_consultations(operator, hub)
    stranger = make_user("operator")
    with pytest.raises(DomainError) as err:
        services.coordinator_appoint(hub=hub, user=stranger, by=officer)
    assert err.value.field == "coordinator"
    services.coordinator_release(hub=hub, user=operator, by=officer)
    assert not is_hub_coordinator(operator, hub)


def test_only_coordinators_log_consultations(hub, operator, officer, make_user):
    with pytest.raises(Forbidden):
        consult(hub, operator)  # an operator without the duty
    with pytest.raises(NotFound):
        consult(hub, make_user("equipment_user"))
    with pytest.raises(Forbidden):
        consult(hub, make_user("observer"))


def test_consultation_kpis(hub, coordinator, officer, other_hub, booking):
    """FY2012: four consultations, three led somewhere (booking; project and training;
    referral), one answered only. A consultation of FY2011 and one of FY2013 do not count."""
    course = equipment_services.course_create(
        hub=hub, by=coordinator, title="SEM 入門", category="analysis"
    )
    session = equipment_services.session_create(
        course=course, by=coordinator, start="2012-09-01T10:00+09:00",
        end="2012-09-01T13:00+09:00", capacity=4, now=dt.datetime(2012, 8, 1, tzinfo=TOKYO),
    )  # fmt: skip
    research = project(hub, coordinator)
    consult(hub, coordinator, booking=booking.pk, answer="測れます", answered_on="2012-05-12")
    consult(hub, coordinator, received_on="2012-06-01", project=research.pk,
            training_session=session.pk)  # fmt: skip
    consult(hub, coordinator, received_on="2013-03-31", referral_hub=other_hub.pk)
    consult(
        hub, coordinator, received_on="2012-04-01", answer="文献を紹介", answered_on="2012-04-02"
    )
    consult(hub, coordinator, received_on="2012-03-31", booking=booking.pk)
    consult(hub, coordinator, received_on="2013-04-01", project=research.pk)
    figures = services.record_figures(hub, 2012)
    assert figures["consultations"] == Decimal(4)
    assert figures["consultations_converted"] == Decimal(3)
    assert services.record_figures(hub, 2011)["consultations"] == Decimal(1)
    assert services.record_figures(hub, 2013)["consultations_converted"] == Decimal(1)


def test_a_consultation_names_the_field_it_refuses(hub, coordinator, other_hub, booking):
    cases = [
        ({"received_on": "2012-13-01"}, "received_on"),
        ({"company_name": " "}, "company_name"),
        ({"subject": ""}, "subject"),
        ({"answered_on": "2012-05-01"}, "answered_on"),  # before it was received
        ({"answered_on": "2012-05-11"}, "answer"),  # answered, but no answer
        ({"size_class": "huge"}, "size_class"),
        ({"prefecture": "99"}, "prefecture"),
        ({"booking": 99999}, "booking"),
        ({"project": 99999}, "project"),
        ({"training_session": "x"}, "training_session"),
        ({"referral_hub": hub.pk}, "referral_hub"),  # not another hub
        ({"network_need": 99999}, "network_need"),
    ]
    for data, field in cases:
        with pytest.raises(DomainError) as err:
            consult(hub, coordinator, **data)
        assert err.value.field == field, data


def test_the_coordinator_named_must_hold_the_duty(hub, coordinator, operator, make_user, officer):
    colleague = make_user("operator")
    hub.operators.add(colleague)
    with pytest.raises(DomainError) as err:
        consult(hub, coordinator, coordinator=colleague.pk)
    assert err.value.field == "coordinator"
    services.coordinator_appoint(hub=hub, user=colleague, by=officer)
    c = consult(hub, coordinator, coordinator=colleague.pk)
    assert c.coordinator == colleague
    assert Notice.objects.filter(recipient=colleague, kind="consultation_assigned").count() == 1


def test_patent_kpis(hub, operator):
    research = project(hub, operator)
    a = services.patent_create(
        hub=hub, by=operator, application_number="特願2012-100001", title="薄膜評価法",
        filed_on="2012-08-01", holders="福岡県, 博多精密株式会社", project=research.pk,
        licences=[
            {"kind": "licence", "licensee": "博多精密株式会社", "licensed_on": "2012-12-01"},
            {"kind": "licence", "licensee": "九州電子", "licensed_on": "2013-02-01"},
        ],
    )  # fmt: skip
    services.patent_create(
        hub=hub, by=operator, application_number="特願2012-100002", title="試料ホルダ",
        filed_on="2013-03-31", holders="福岡県",
        licences=[{"kind": "transfer", "licensee": "佐賀工業", "licensed_on": "2013-04-01"}],
    )  # fmt: skip
    services.patent_create(
        hub=hub, by=operator, application_number="特願2011-000009", title="旧い出願",
        filed_on="2012-03-31", holders="福岡県",
    )  # fmt: skip
    f2012 = services.record_figures(hub, 2012)
    assert (f2012["patents_filed"], f2012["patents_licensed"]) == (Decimal(2), Decimal(1))
    f2013 = services.record_figures(hub, 2013)
    assert (f2013["patents_filed"], f2013["patents_licensed"]) == (Decimal(0), Decimal(1))
    with pytest.raises(Conflict) as err:
        services.patent_create(
            hub=hub, by=operator, application_number="特願2012-100001", title="x",
            filed_on="2012-08-01", holders="福岡県",
        )  # fmt: skip
    assert err.value.field == "application_number"
    with pytest.raises(DomainError) as err:
        services.patent_update(
            patent=a, by=operator, application_number="特願2012-100001", title="薄膜評価法",
            filed_on="2012-08-01", holders="福岡県",
            licences=[{"kind": "licence", "licensee": "", "licensed_on": "2012-12-01"}],
        )  # fmt: skip
    assert err.value.field == "licences[0].licensee"
    assert a.licences.count() == 2  # nothing half saved


def test_the_annual_report_counts_the_records_without_typing(hub, coordinator, other_hub, booking):
    research = project(hub, coordinator)
    consult(hub, coordinator, booking=booking.pk, project=research.pk)
    consult(hub, coordinator, received_on="2012-11-01")
    services.patent_create(
        hub=hub, by=coordinator, application_number="特願2012-1", title="x",
        filed_on="2012-08-01", holders="福岡県", project=research.pk,
    )  # fmt: skip
    report = services.report_create(hub=hub, fiscal_year=2012, by=coordinator)
    got = {a.kpi: (int(a.value), a.source) for a in report.actuals.all()}
    assert got["consultations"] == (2, "platform")
    assert got["consultations_converted"] == (1, "platform")
    assert got["joint_research_projects"] == (1, "platform")
    assert got["patents_filed"] == (1, "platform")
    assert got["patents_licensed"] == (0, "platform")
    # A later record counts when the report is submitted.
    consult(hub, coordinator, received_on="2013-01-15", referral_hub=other_hub.pk)
    services.report_update(report=report, by=coordinator, pdca=PDCA)
    report = services.report_submit(report=report, by=coordinator)
    got = {a.kpi: int(a.value) for a in report.actuals.all()}
    assert (got["consultations"], got["consultations_converted"]) == (3, 2)
