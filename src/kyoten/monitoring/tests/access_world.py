"""Objects of the access matrix's world that belong to the monitoring app.

Made on demand like `hubs/tests/access_world.py` does (a `Made` value in an entry's `objects`
is turned into a pk when the harness builds the URL), through the services, once per world.
None of them belongs to a matrix user: the monitored hub's only operator is a coordinator made
here ("m-coordinator"), not the matrix's operator; the advice is written by a committee member
who is not the matrix's ("m-committee-2"); the hub's prefecture (Hokkaido) is not the matrix
applicant's (Tokyo), so no matrix user is the hub's region either.
"""

from __future__ import annotations

from kyoten.hubs.tests.access_world import Made

HUB_NAME = "行列の世界の監視拠点"
GOALS = [
    {"kpi": "joint_research_projects", "fiscal_year": 2013, "target": 20},
    {"kpi": "joint_research_projects", "fiscal_year": 2020, "target": 50},
]


def _officer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="m-officer")


def _user(username: str, role: str):
    from django.contrib.auth import get_user_model

    from kyoten.core.services import user_create

    found = get_user_model().objects.filter(username=username).first()
    return found or user_create(username=username, password="pw", role=role)


def hub():
    """An operating hub (operation from FY2011, with goals) whose only operator is the
    coordinator made here."""
    from kyoten.hubs.models import Hub
    from kyoten.hubs.services import hub_create
    from kyoten.monitoring.services import coordinator_appoint

    found = Hub.objects.filter(name=HUB_NAME).first()
    if found is not None:
        return found
    officer = _officer()
    made = hub_create(
        by=officer, name=HUB_NAME, lead_prefecture="01", form="equipment_only",
        award_yen=300_000_000, operation_start_fy=2011, stage="operating", goals=GOALS,
    )  # fmt: skip
    coordinator = _user("m-coordinator", "operator")
    made.operators.add(coordinator)
    coordinator_appoint(hub=made, user=coordinator, by=officer)
    return made


def _report(fy: int, *, accept: bool):
    from kyoten.monitoring.models import AnnualReport
    from kyoten.monitoring.services import report_accept, report_create, report_submit

    h = hub()
    found = AnnualReport.objects.filter(hub=h, fiscal_year=fy).first()
    if found is not None:
        return found
    officer = _officer()
    report = report_create(
        hub=h, fiscal_year=fy, by=officer,
        pdca={"plan": "計画", "do": "実施", "check": "評価", "act": "改善"},
    )  # fmt: skip
    if accept:
        report = report_submit(report=report, by=officer)
        report = report_accept(report=report, by=officer)
    return report


def accepted_report():
    """FY2011's report, accepted: the program's readers see it."""
    return _report(2011, accept=True)


def draft_report():
    """FY2012's report, a draft: only the hub and officers see it."""
    return _report(2012, accept=False)


def advice():
    """Open advice of the promotion committee to the hub's region (its operators and
    prefecture answer it)."""
    from kyoten.monitoring.models import Advice
    from kyoten.monitoring.services import advice_create

    found = Advice.objects.filter(title="行列の助言").first()
    return found or advice_create(
        by=_user("m-committee-2", "committee"), addressee="region", hub=hub(),
        title="行列の助言", body="産学連携を強化すること", due_date="2030-03-31",
    )  # fmt: skip


def project():
    from kyoten.monitoring.models import JointResearchProject
    from kyoten.monitoring.services import joint_research_create

    h = hub()
    found = JointResearchProject.objects.filter(hub=h).first()
    return found or joint_research_create(
        hub=h, by=_officer(), title="行列の共同研究", contract_type="joint",
        contract_start="2012-07-01", contract_end="2013-03-31",
        partners=[{"name": "行列精機株式会社", "kind": "company", "size_class": "sme",
                   "prefecture": "01"}],
    )  # fmt: skip


def consultation():
    from kyoten.monitoring.models import Consultation
    from kyoten.monitoring.services import consultation_create

    h = hub()
    found = Consultation.objects.filter(hub=h).first()
    if found is not None:
        return found
    coordinator = _user("m-coordinator", "operator")
    return consultation_create(
        hub=h, by=_officer(), coordinator=coordinator.pk, received_on="2012-05-10",
        company_name="行列精機株式会社", size_class="sme", prefecture="01",
        subject="薄膜の評価", question="測れますか",
    )  # fmt: skip


def patent():
    from kyoten.monitoring.models import PatentApplication
    from kyoten.monitoring.services import patent_create

    h = hub()
    found = PatentApplication.objects.filter(hub=h).first()
    return found or patent_create(
        hub=h, by=_officer(), application_number="特願2012-990017", title="行列の評価法",
        filed_on="2012-08-01", holders="北海道",
    )  # fmt: skip


def coordinator():
    hub()
    return _user("m-coordinator", "operator")


MON_HUB = Made(hub, "monitored hub")
ACCEPTED = Made(accepted_report, "accepted report")
DRAFT = Made(draft_report, "draft report")
ADVICE = Made(advice, "open advice to the region")
PROJECT = Made(project, "joint research project")
CONSULTATION = Made(consultation, "consultation")
PATENT = Made(patent, "patent application")
COORDINATOR = Made(coordinator, "the hub's coordinator")
