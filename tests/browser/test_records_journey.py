"""A hub operator records a joint research project from the hub page; the annual report of
that year counts it and its external funding without anyone typing a number."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.core.fiscal import fiscal_year
from kyoten.hubs.services import hub_create
from kyoten.monitoring.models import AnnualReport, JointResearchProject

from .helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_operator_records_joint_research_and_the_report_counts_it(page, live_server, make_user):
    officer = make_user("officer")
    fy = fiscal_year(timezone.localdate()) - 1
    hub = hub_create(by=officer, name="福岡県 先端材料評価拠点", lead_prefecture="40",
                     form="equipment_only", operation_start_fy=fy - 2, stage="operating")  # fmt: skip
    operator = make_user("operator", username="kyushu-op", display_name="博多 花子")
    hub.operators.add(operator)
    log_in(page, live_server.url, "kyushu-op")

    page.goto(f"{live_server.url}/hubs/{hub.pk}/")
    page.get_by_role("link", name="共同研究の記録").click()
    page.get_by_role("link", name="新しい共同研究を記録する").click()
    page.get_by_label("研究課題").fill("SiC パワー素子の信頼性評価")
    page.get_by_label("契約形態").select_option("joint")
    page.locator("input[name=contract_start]").fill(f"{fy}-06-01")
    page.locator("input[name=contract_end]").fill(f"{fy + 1}-09-30")
    page.get_by_label("共同研究先 1", exact=True).fill("九州精密工業株式会社")
    page.get_by_label("種別 1", exact=True).select_option("company")
    page.get_by_label("都道府県 1", exact=True).select_option("40")
    page.get_by_label("資金提供元 1", exact=True).fill("九州精密工業")
    page.get_by_label("資金の出所 1", exact=True).select_option("company")
    page.get_by_label("金額（円） 1", exact=True).fill("12,000,000")
    page.get_by_label("受領日 1", exact=True).fill(f"{fy}-07-15")
    page.get_by_role("button", name="保存").click()
    # The size class of a company was forgotten: refused, everything typed is still there.
    expect(page.locator("#form-error")).to_contain_text("企業には企業規模が必要です")
    expect(page.get_by_label("研究課題")).to_have_value("SiC パワー素子の信頼性評価")
    expect(page.get_by_label("金額（円） 1", exact=True)).to_have_value("12,000,000")
    page.get_by_label("企業規模 1", exact=True).select_option("sme")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="SiC パワー素子の信頼性評価")).to_be_visible()
    assert JointResearchProject.objects.filter(hub=hub).count() == 1

    # The annual report of that year: opened from the follow-up page, nothing typed.
    page.goto(f"{live_server.url}/monitoring/hubs/{hub.pk}/")
    page.locator("input[name=fiscal_year]").fill(str(fy))
    page.locator("form:has(input[name=fiscal_year]) button[type=submit]").click()
    row = page.locator("tr", has=page.locator("label[for=a-joint_research_projects]"))
    expect(row.locator("input[name=actual_joint_research_projects]")).to_have_attribute(
        "placeholder", "1"
    )
    expect(page.locator("#a-external_funding_yen")).to_have_attribute("placeholder", "12000000")
    row.get_by_role("link", name="この数値の元になった記録").click()
    expect(page.locator("#fy-projects")).to_have_text("1")
    expect(page.locator("#fy-external")).to_have_text("¥12,000,000")
    report = AnnualReport.objects.get(hub=hub, fiscal_year=fy)
    got = {a.kpi: (int(a.value), a.source) for a in report.actuals.filter(
        kpi__in=["joint_research_projects", "external_funding_yen"])}  # fmt: skip
    assert got == {
        "joint_research_projects": (1, "platform"),
        "external_funding_yen": (12_000_000, "platform"),
    }
