"""The officer runs the allocation of a reviewed call: the optimal set beats greedy by score,
and the page says what is funded, the money left and why a proposal is not funded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kyoten.allocation.models import AllocationRun
from kyoten.allocation.tests.conftest import OKU, make_call, make_proposal

from .helpers import log_in, review_committee, submit_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_officer_runs_the_allocation_and_reads_the_reasons(page, live_server, make_user):
    officer = make_user("officer", username="okada", display_name="岡田 亮")
    applicant = make_user("applicant", prefecture="13")
    # ¥55 億 for three proposals. Greedy by score funds Tokyo alone (¥40 億, value 100); the
    # optimum funds Osaka and Hokkaido (¥50 億, value 80 + 60 = 140) and leaves ¥5 億.
    call = make_call(code="browser-alloc", budget_yen=55 * OKU, cap_yen=40 * OKU)
    tokyo = make_proposal(
        call, title="東京 医療機器", prefectures=["13"], requested_yen=40 * OKU, by=applicant
    )
    osaka = make_proposal(
        call, title="大阪 電池", prefectures=["27"], requested_yen=25 * OKU, by=applicant
    )
    hokkaido = make_proposal(
        call, title="北海道 食品", prefectures=["01"], requested_yen=25 * OKU, by=applicant
    )
    reviewer = make_user("reviewer")
    review_committee(call, officer, [reviewer])
    for proposal, value in ((tokyo, 5), (osaka, 4), (hokkaido, 3)):  # 100, 80, 60
        submit_review(proposal=proposal, reviewer=reviewer, officer=officer, value=value)

    log_in(page, live_server.url, "okada")
    page.locator("header nav a[href='/allocation/']").click()
    page.wait_for_url(live_server.url + "/allocation/")
    page.locator(f"main a[href='/allocation/calls/{call.pk}/']").first.click()
    page.wait_for_url(f"{live_server.url}/allocation/calls/{call.pk}/")

    # The ranking from the review, with each proposal's plan.
    for title, score in (
        ("東京 医療機器", "100.0"),
        ("大阪 電池", "80.0"),
        ("北海道 食品", "60.0"),
    ):
        row = page.locator("main table tbody tr").filter(has_text=title)
        expect(row.locator("td.num")).to_have_text(score)
    expect(page.locator("input[name=budget_yen]")).to_have_value(str(55 * OKU))
    page.locator("input[name=label]").fill("本審査")
    page.locator("form:has(input[name=budget_yen]) button[type=submit]").click()

    run = AllocationRun.objects.get(label="本審査")
    page.wait_for_url(f"{live_server.url}/allocation/runs/{run.pk}/")
    funded = page.get_by_role("heading", name="配分対象", exact=True).locator(
        "xpath=following-sibling::table[1]"
    )
    expect(funded.locator("tbody tr")).to_have_count(2)
    expect(funded).to_contain_text("大阪 電池")
    expect(funded).to_contain_text("北海道 食品")
    expect(funded).not_to_contain_text("東京 医療機器")

    # The two charts (optimal against greedy, awards by block) are drawn and loaded.
    charts = page.locator("main img[src*='/chart-']")
    expect(charts).to_have_count(2)
    for chart in charts.all():
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")

    facts = page.locator("dl.facts")
    expect(facts.locator("dt:has-text('残額') + dd")).to_contain_text("¥500,000,000")
    # Optimal value 140 against greedy's 100.
    expect(facts.locator("dt:has-text('価値の合計') + dd")).to_contain_text("140.0")
    expect(facts.locator("dt:has-text('価値の合計') + dd")).to_contain_text("100.0")

    unfunded = page.get_by_role("heading", name="配分対象外とその理由").locator(
        "xpath=following-sibling::table[1]"
    )
    expect(unfunded.locator("tbody tr")).to_have_count(1)
    reason = unfunded.locator("tbody tr").filter(has_text="東京 医療機器").locator("td").last
    # Its ¥40 億 plan would need ¥35 億 more than the ¥5 億 left, though it scores highest.
    expect(reason).to_contain_text("¥4,000,000,000")
    expect(reason).to_contain_text("¥3,500,000,000")
    expect(reason).to_contain_text("¥500,000,000")

    assert run.status == "optimal"
    assert (run.budget_yen, run.total_yen, run.objective) == (55 * OKU, 50 * OKU, 140.0)
    assert sorted(a["amount_yen"] for a in run.result["awards"]) == [25 * OKU, 25 * OKU]
