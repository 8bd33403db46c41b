"""The hub's own work on record (issue 19): the joint research register and the KPIs it gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.equipment.services import equipment_create
from kyoten.hubs.services import hub_create
from kyoten.monitoring import selectors, services
from kyoten.monitoring.models import JointResearchFunding, JointResearchProject
from kyoten.monitoring.tests.conftest import PDCA

pytestmark = pytest.mark.django_db

FEES = {("academic", "self_use"): 1000}

COMPANY = {
    "name": "九州精密工業株式会社",
    "kind": "company",
    "size_class": "sme",
    "prefecture": "40",
}
UNIVERSITY = {"name": "九州大学", "kind": "university", "prefecture": "40"}
INSTITUTE = {"name": "佐賀県工業技術センター", "kind": "institute", "prefecture": "41"}


def project(hub, by, **kw):
    data = {
        "title": "次世代パワー半導体の評価",
        "contract_type": "joint",
        "contract_start": "2012-10-01",
        "contract_end": "2014-03-31",
        "partners": [COMPANY, UNIVERSITY],
    }
    data.update(kw)
    return services.joint_research_create(hub=hub, by=by, **data)


@pytest.fixture
def machine(hub):
    return equipment_create(hub=hub, by=None, name="X線回折装置", category="analysis", fees=FEES)


@pytest.fixture
def register(hub, operator, machine):
    """Four projects and funding of every source (FY2013: 2 projects, ¥55,000,000 external)."""
    a = project(
        hub, operator, equipment=[machine.pk],
        funding=[
            {"source": "company", "funder": "九州精密工業", "amount_yen": 30_000_000,
             "received_on": "2013-05-10"},
            {"source": "public", "funder": "NEDO", "amount_yen": 20_000_000,
             "received_on": "2014-03-31"},
            {"source": "jst", "amount_yen": 50_000_000, "received_on": "2013-06-01"},
            {"source": "prefecture", "prefecture": "40", "amount_yen": 10_000_000,
             "received_on": "2013-07-01"},
            {"source": "prefecture", "prefecture": "41", "amount_yen": 5_000_000,
             "received_on": "2013-08-01"},
            {"source": "company", "funder": "九州精密工業", "amount_yen": 7_000_000,
             "received_on": "2014-04-01"},
        ],
    )  # fmt: skip
    b = project(hub, operator, title="B", contract_start="2013-04-01", contract_end="2013-09-30")
    c = project(hub, operator, title="C", contract_start="2014-04-01", contract_end="2015-03-31")
    d = project(hub, operator, title="D", contract_start="2010-01-01", contract_end="2012-03-31",
                partners=[INSTITUTE])  # fmt: skip
    return a, b, c, d


def test_a_project_keeps_partners_funding_machines_and_results(hub, operator, machine):
    p = project(
        hub, operator, equipment=[machine.pk], papers=2, patents=1, products=1,
        results_note="試作品1件", public_summary="SiC素子の評価法", partners_agree_to_publish=True,
        funding=[{"source": "company", "funder": "九州精密工業", "amount_yen": 3_000_000,
                  "received_on": "2013-05-10"}],
    )  # fmt: skip
    p = JointResearchProject.objects.get(pk=p.pk)
    assert [(x.name, x.kind, x.size_class, x.prefecture.code) for x in p.partners.all()] == [
        ("九州精密工業株式会社", "company", "sme", "40"),
        ("九州大学", "university", "", "40"),
    ]
    assert [(f.source, f.funder, f.amount_yen, f.received_on) for f in p.funding.all()] == [
        ("company", "九州精密工業", 3_000_000, dt.date(2013, 5, 10))
    ]
    assert [e.name for e in p.equipment.all()] == ["X線回折装置"]
    assert (p.papers, p.patents, p.products, p.contract_type) == (2, 1, 1, "joint")


def test_joint_research_projects_counts_each_project_overlapping_the_year_once(hub, register):
    counts = {
        fy: services.record_figures(hub, fy)["joint_research_projects"] for fy in range(2009, 2016)
    }
    assert counts == {2009: 1, 2010: 1, 2011: 1, 2012: 1, 2013: 2, 2014: 1, 2015: 0}


def test_a_project_ending_on_the_first_day_of_the_year_counts_in_it(hub, operator):
    project(hub, operator, contract_start="2012-06-01", contract_end="2013-04-01")
    assert services.record_figures(hub, 2013)["joint_research_projects"] == 1


def test_external_funding_is_company_public_and_other_prefectures_by_date_received(hub, register):
    figures = {
        fy: services.record_figures(hub, fy)["external_funding_yen"] for fy in (2012, 2013, 2014)
    }
    # FY2013: company 30,000,000 + NEDO 20,000,000 (31 March) + Saga 5,000,000; JST's 50,000,000
    # and Fukuoka's own 10,000,000 are not external; the 7,000,000 of 1 April 2014 is FY2014.
    assert figures == {2012: Decimal(0), 2013: Decimal(55_000_000), 2014: Decimal(7_000_000)}


def test_a_consortium_partners_money_is_its_own(officer, make_user):
    hub = hub_create(by=officer, name="北部九州 拠点", lead_prefecture="40", prefectures=["40", "41"],
                     form="equipment_only", operation_start_fy=2011, stage="operating")  # fmt: skip
    user = make_user("operator")
    hub.operators.add(user)
    project(hub, user, funding=[
        {"source": "prefecture", "prefecture": "41", "amount_yen": 5_000_000, "received_on": "2013-08-01"},
        {"source": "prefecture", "prefecture": "13", "amount_yen": 1_000_000, "received_on": "2013-08-01"},
    ])  # fmt: skip
    assert services.record_figures(hub, 2013)["external_funding_yen"] == 1_000_000


def test_the_annual_report_takes_both_kpis_from_the_register(hub, operator, register):
    report = services.report_create(hub=hub, fiscal_year=2013, by=operator, pdca=PDCA,
                                    today=dt.date(2014, 5, 1))  # fmt: skip
    got = {a.kpi: (a.value, a.source) for a in report.actuals.filter(
        kpi__in=["joint_research_projects", "external_funding_yen"])}  # fmt: skip
    assert got == {
        "joint_research_projects": (Decimal("2.00"), "platform"),
        "external_funding_yen": (Decimal("55000000.00"), "platform"),
    }
    # A project recorded later is counted when the report is submitted.
    project(hub, operator, title="E", contract_start="2013-10-01", contract_end="2014-09-30")
    services.report_submit(report=report, by=operator)
    assert report.actuals.get(kpi="joint_research_projects").value == 3


def test_bad_input_names_the_field_and_writes_nothing(hub, operator, machine, officer):
    other = hub_create(by=officer, name="東京都 拠点", lead_prefecture="13", form="new")
    foreign = equipment_create(hub=other, by=None, name="SEM", category="analysis", fees=FEES)
    cases = [
        ({"contract_end": "2012-09-30"}, "contract_end"),
        ({"contract_type": "handshake"}, "contract_type"),
        ({"title": " "}, "title"),
        ({"partners": []}, "partners"),
        ({"partners": [{**COMPANY, "size_class": ""}]}, "partners[0].size_class"),
        ({"partners": [COMPANY, {**UNIVERSITY, "size_class": "sme"}]}, "partners[1].size_class"),
        ({"partners": [{**COMPANY, "prefecture": "99"}]}, "partners[0].prefecture"),
        ({"funding": [{"source": "company", "funder": "A", "amount_yen": 1.5,
                       "received_on": "2013-05-01"}]}, "funding[0].amount_yen"),
        ({"funding": [{"source": "company", "funder": "A", "amount_yen": -1,
                       "received_on": "2013-05-01"}]}, "funding[0].amount_yen"),
        ({"funding": [{"source": "prefecture", "amount_yen": 1,
                       "received_on": "2013-05-01"}]}, "funding[0].prefecture"),
        ({"funding": [{"source": "company", "amount_yen": 1, "received_on": "2013-05-01"}]},
         "funding[0].funder"),
        ({"funding": [{"source": "company", "funder": "A", "amount_yen": 1,
                       "received_on": "昨日"}]}, "funding[0].received_on"),
        ({"equipment": [machine.pk, foreign.pk]}, "equipment[1]"),
        ({"partners_agree_to_publish": True}, "public_summary"),
        ({"papers": -1}, "papers"),
    ]  # fmt: skip
    got = []
    for change, _field in cases:
        with pytest.raises(DomainError) as err:
            project(hub, operator, **change)
        got.append(err.value.field)
    assert got == [field for _change, field in cases]
    assert JointResearchProject.objects.count() == 0
    assert JointResearchFunding.objects.count() == 0


def test_who_may_see_and_keep_the_register(hub, operator, officer, outsider_operator, make_user):
    p = project(hub, operator)
    observer = make_user("observer")
    committee = make_user("committee")
    for user in (operator, officer, observer, committee):
        assert [x.pk for x in selectors.joint_research_of(user, hub)] == [p.pk]
    with pytest.raises(NotFound):
        selectors.joint_research_of(outsider_operator, hub)
    with pytest.raises(NotFound):
        project(hub, outsider_operator)
    with pytest.raises(Forbidden):
        project(hub, observer)
    services.joint_research_update(project=p, by=officer, title="改題", contract_type="commissioned",
                                   contract_start="2012-10-01", contract_end="2013-03-31",
                                   partners=[UNIVERSITY])  # fmt: skip
    p.refresh_from_db()
    assert (p.title, p.contract_type, [x.name for x in p.partners.all()]) == (
        "改題",
        "commissioned",
        ["九州大学"],
    )
    services.joint_research_delete(project=p, by=operator)
    assert JointResearchProject.objects.count() == 0


def test_only_agreed_summaries_are_public(hub, operator):
    project(
        hub, operator, title="公開", public_summary="公開する概要", partners_agree_to_publish=True
    )
    project(hub, operator, title="非公開", public_summary="まだ同意がない")
    assert [(p.title, p.public_summary) for p in selectors.public_joint_research(hub)] == [
        ("公開", "公開する概要")
    ]


def test_ventures_come_from_the_incubation_tenants(hub, operator):
    from kyoten.hubs.services import incubation_room_add, tenant_add, tenant_graduate

    r1 = incubation_room_add(hub=hub, by=operator, name="101")
    r2 = incubation_room_add(hub=hub, by=operator, name="102")
    a = tenant_add(room=r1, by=operator, venture="アルファ", entered_on="2011-10-01")
    tenant_graduate(tenant=a, on="2013-03-31", by=operator)  # FY2012
    tenant_add(room=r1, by=operator, venture="ベータ", entered_on="2013-04-01")
    tenant_add(room=r2, by=operator, venture="ガンマ", entered_on="2012-04-01",
               graduated_on="2013-04-01")  # fmt: skip  # FY2013, on its first day
    tenant_add(room=r2, by=operator, venture="デルタ", entered_on="2014-04-01")
    figures = {
        fy: (services.record_figures(hub, fy)["ventures_incubated"],
             services.record_figures(hub, fy)["ventures_graduated"])
        for fy in (2011, 2012, 2013, 2014)
    }  # fmt: skip
    assert figures == {2011: (1, 0), 2012: (2, 1), 2013: (2, 1), 2014: (2, 0)}
    report = services.report_create(hub=hub, fiscal_year=2013, by=operator,
                                    today=dt.date(2014, 5, 1))  # fmt: skip
    got = {
        a.kpi: (int(a.value), a.source) for a in report.actuals.filter(kpi__startswith="ventures")
    }
    assert got == {"ventures_incubated": (2, "platform"), "ventures_graduated": (1, "platform")}
