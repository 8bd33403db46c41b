"""Issue 19 item 6: the demo's annual reports show, for every record-based KPI, what the demo
hubs' records give (joint research, consultations, patents, ventures)."""

import random
from decimal import Decimal

import pytest

from kyoten.core import demo as core_demo
from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
from kyoten.core.models import User
from kyoten.hubs.services import hub_create
from kyoten.monitoring import demo, services
from kyoten.monitoring.enums import ActualSource
from kyoten.monitoring.models import (
    AnnualReport,
    Consultation,
    JointResearchProject,
    PatentApplication,
)

pytestmark = pytest.mark.django_db


def _load():
    core_demo.load(random.Random(1))
    officer = User.objects.get(username="officer")
    operator = User.objects.get(username="operator")
    goals = [
        {"kpi": "joint_research_projects", "fiscal_year": 2019, "target": 6},
        {"kpi": "consultations", "fiscal_year": 2019, "target": 8},
        {"kpi": "patents_filed", "fiscal_year": 2019, "target": 3},
    ]
    hubs = [
        hub_create(by=officer, name=f"拠点{i}", lead_prefecture=code, form="equipment_only",
                   operation_start_fy=2019, stage="operating", goals=goals)
        for i, code in enumerate(["40", "13", "27"])
    ]  # fmt: skip
    hubs[0].operators.add(operator)
    demo.load(random.Random(2))
    return hubs


def test_every_record_kpi_of_every_demo_report_equals_the_records():
    hubs = _load()
    reports = AnnualReport.objects.filter(hub__in=hubs).select_related("hub")
    assert reports.count() >= 2 * len(hubs)
    checked = 0
    for report in reports:
        figures = services.record_figures(report.hub, report.fiscal_year)
        actuals = {a.kpi: a for a in report.actuals.all()}
        for key in services.RECORD_KPIS:
            assert key in actuals, (report.hub.name, report.fiscal_year, key)
            row = actuals[key]
            assert row.value == figures[key], (report.hub.name, report.fiscal_year, key)
            assert row.source == ActualSource.PLATFORM, (report.hub.name, key)
            checked += 1
        # An independent recount of the plainest ones, straight from the tables.
        first, last = fiscal_year_start(report.fiscal_year), fiscal_year_end(report.fiscal_year)
        projects = JointResearchProject.objects.filter(
            hub=report.hub, contract_start__lte=last, contract_end__gte=first
        ).count()
        consultations = Consultation.objects.filter(
            hub=report.hub, received_on__range=(first, last)
        ).count()
        filed = PatentApplication.objects.filter(
            hub=report.hub, filed_on__range=(first, last)
        ).count()
        assert actuals["joint_research_projects"].value == Decimal(projects)
        assert actuals["consultations"].value == Decimal(consultations)
        assert actuals["patents_filed"].value == Decimal(filed)
    assert checked == reports.count() * len(services.RECORD_KPIS)


def test_every_demo_hub_has_records_and_a_coordinator():
    hubs = _load()
    operator = User.objects.get(username="operator")
    for hub in hubs:
        assert JointResearchProject.objects.filter(hub=hub).exists(), hub.name
        assert Consultation.objects.filter(hub=hub).exists(), hub.name
        assert PatentApplication.objects.filter(hub=hub).exists(), hub.name
        assert hub.coordinators.exists(), hub.name
    # The operator login is the coordinator of its own hub's desk.
    assert hubs[0].coordinators.filter(user=operator).exists()
    # Some consultations led somewhere, and the records agree with the reports.
    assert Consultation.objects.filter(services.CONVERTED).exists()
