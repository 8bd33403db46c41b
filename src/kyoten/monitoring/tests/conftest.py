"""Fixtures of the monitoring tests: a hub in Fukuoka operating since FY2011 with goals."""

from __future__ import annotations

import pytest

from kyoten.hubs.services import hub_create

GOALS = [
    {"kpi": "joint_research_projects", "fiscal_year": 2013, "target": 20},
    {"kpi": "joint_research_projects", "fiscal_year": 2020, "target": 50},
    {"kpi": "equipment_utilisation_pct", "fiscal_year": 2013, "target": 40},
    {"kpi": "equipment_utilisation_pct", "fiscal_year": 2020, "target": 75},
    {"kpi": "external_funding_yen", "fiscal_year": 2013, "target": 100_000_000},
    {"kpi": "external_funding_yen", "fiscal_year": 2020, "target": 300_000_000},
]


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def committee(make_user):
    return make_user("committee")


@pytest.fixture
def hub(officer):
    return hub_create(
        by=officer,
        name="福岡県 先端材料評価拠点",
        lead_prefecture="40",
        form="equipment_only",
        award_yen=800_000_000,
        operation_start_fy=2011,
        stage="operating",
        goals=GOALS,
    )


@pytest.fixture
def operator(make_user, hub):
    user = make_user("operator")
    hub.operators.add(user)
    return user


@pytest.fixture
def outsider_operator(make_user, officer):
    other = hub_create(by=officer, name="東京都 拠点", lead_prefecture="13", form="new")
    user = make_user("operator")
    other.operators.add(user)
    return user


PDCA = {"plan": "計画", "do": "実施", "check": "稼働率を点検した", "act": "夜間利用を始める"}
