import random

import pytest

from kyoten.core import demo as core_demo
from kyoten.core.fiscal import fy_label
from kyoten.core.models import User
from kyoten.hubs.services import hub_create
from kyoten.monitoring import demo, selectors, todo
from kyoten.monitoring.models import Advice, AnnualReport

pytestmark = pytest.mark.django_db


def test_demo_reports_advice_and_todos():
    core_demo.load(random.Random(1))
    officer = User.objects.get(username="officer")
    operator = User.objects.get(username="operator")
    goals = [
        {"kpi": "joint_research_projects", "fiscal_year": 2012, "target": 20},
        {"kpi": "companies_using", "fiscal_year": 2019, "target": 200},
    ]
    hubs = [
        hub_create(by=officer, name=f"拠点{i}", lead_prefecture=code, form="equipment_only",
                   operation_start_fy=2010, stage="operating", goals=goals)
        for i, code in enumerate(["40", "13", "27"])
    ]  # fmt: skip
    hubs[0].operators.add(operator)
    demo.load(random.Random(2))
    current = selectors.fiscal_year_of(selectors.timezone.localdate())
    # Every finished year since FY2010, and the operator's draft for this year.
    assert AnnualReport.objects.filter(hub=hubs[0]).count() == current - 2010 + 1
    assert AnnualReport.objects.get(hub=hubs[0], fiscal_year=current).status == "draft"
    statuses = {r.overall for r in selectors.dashboard(officer, current - 2).rows}
    assert len(statuses) >= 2  # not all hubs alike
    assert sorted(Advice.objects.values_list("status", flat=True)) == [
        "answered", "answered", "closed", "open", "open",
    ]  # fmt: skip
    closed = Advice.objects.get(status="closed")
    assert closed.responses.get().responded_by == operator
    texts = [t for t, _url in todo.todos(operator)]
    assert f"拠点0の{fy_label(current)}の年度報告を仕上げて提出する" in texts
    assert any(t.endswith("年度報告を確認する") for t, _u in todo.todos(officer))
