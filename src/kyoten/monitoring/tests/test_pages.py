"""Monitoring pages answer 404, never 500, to a role that may not see the hub (the domain's
NotFound becomes 404 in one middleware); the hub's own operator sees them."""

from __future__ import annotations

import pytest

from kyoten.monitoring import services
from kyoten.monitoring.tests.conftest import PDCA

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_and_advice(hub, operator, committee):
    report = services.report_create(
        hub=hub, fiscal_year=2013, by=operator, pdca=PDCA,
        actuals={"joint_research_projects": 15},
        notes={"joint_research_projects": "共同研究の記録は移行中"},
    )  # fmt: skip
    advice = services.advice_create(
        by=committee, addressee="region", hub=hub, title="中小企業の利用拡大",
        body="県内の中小企業への周知を強化されたい。", due_date="2014-09-30",
    )  # fmt: skip
    return report, advice


def _urls(hub, report, advice) -> list[str]:
    return [
        f"/monitoring/hubs/{hub.pk}/",
        f"/monitoring/hubs/{hub.pk}/charts/joint_research_projects.png",
        f"/monitoring/hubs/{hub.pk}/reports/2013.pdf",
        f"/monitoring/reports/{report.pk}/",
        f"/monitoring/advice/{advice.pk}/",
    ]


def test_an_operator_of_another_hub_gets_404_everywhere(
    client, hub, report_and_advice, outsider_operator
):
    client.force_login(outsider_operator)
    urls = _urls(hub, *report_and_advice)
    answers = [(url, client.get(url).status_code) for url in urls]
    assert answers == [(url, 404) for url in urls]
    # Writes too: a POST to a hub one may not see is not found either.
    posted = client.post(f"/monitoring/hubs/{hub.pk}/", {"action": "take_over"})
    assert posted.status_code == 404
    assert "ページが見つかりません" in client.get(urls[0]).content.decode()


def test_the_hubs_own_operator_sees_the_same_pages(client, hub, report_and_advice, operator):
    client.force_login(operator)
    urls = _urls(hub, *report_and_advice)
    answers = [(url, client.get(url).status_code) for url in urls]
    assert answers == [(url, 200) for url in urls]


def test_an_unknown_hub_is_404(client, officer):
    client.force_login(officer)
    assert client.get("/monitoring/hubs/999999/").status_code == 404
    assert client.get("/monitoring/hubs/999999/reports/2013.pdf").status_code == 404
