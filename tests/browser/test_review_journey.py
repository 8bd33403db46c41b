"""A reviewer never sees a proposal they are conflicted with, and scores the one assigned."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kyoten.review import services
from kyoten.review.criteria import criteria_for_call
from kyoten.review.models import Assignment
from kyoten.review.tests.conftest import make_call, make_proposal

from .helpers import log_in, review_committee

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# One value per criterion, in the call's order (R-11's five, equal weights: 20/25 → 80.0).
VALUES = [5, 4, 3, 4, 4]


def test_reviewer_sees_only_the_assigned_proposal_and_scores_it(page, live_server, make_user):
    officer = make_user("officer")
    call = make_call()
    conflicted = make_proposal(call, title="熊本 半導体材料拠点", prefectures=["43"])
    assigned = make_proposal(call, title="長崎 海洋エネルギー拠点", prefectures=["42"])
    reviewer = make_user("reviewer", username="yamada", display_name="山田 花子")
    colleague = make_user("reviewer", username="kimura")
    review_committee(call, officer, [reviewer, colleague])
    services.conflict_set(
        reviewer=reviewer,
        proposal=conflicted,
        kind="joint_work",
        reason="申請機関との共同研究（2008年）",
        by=officer,
    )
    mine = services.assignment_add(proposal=assigned, reviewer=reviewer, by=officer)
    theirs = services.assignment_add(proposal=conflicted, reviewer=colleague, by=officer)

    log_in(page, live_server.url, "yamada")
    page.locator("header nav a[href='/review/']").click()
    page.wait_for_url(live_server.url + "/review/")
    assignments = page.locator("main table tbody tr")
    expect(assignments).to_have_count(1)
    expect(assignments.first.get_by_role("link")).to_have_text("長崎 海洋エネルギー拠点")
    expect(page.locator("main")).not_to_contain_text("熊本 半導体材料拠点")

    # The conflicted proposal stays out of reach by its addresses too.
    for path in (
        f"/review/reviews/{theirs.pk}/",
        f"/review/proposals/{conflicted.pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("熊本 半導体材料拠点")

    page.goto(live_server.url + "/review/")
    assignments.first.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/review/reviews/{mine.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("長崎 海洋エネルギー拠点")
    criteria = criteria_for_call(call)
    assert len(criteria) == len(VALUES)
    for criterion, value in zip(criteria, VALUES, strict=True):
        group = page.get_by_role("group", name=criterion.label_ja)
        group.locator(f"select[name=score_{criterion.key}]").select_option(str(value))
    page.locator("textarea[name=comment]").fill("地域の企業との連携体制が具体的である。")
    page.locator("button[name=submit]").click()

    page.wait_for_url(f"{live_server.url}/review/reviews/{mine.pk}/")
    expect(page.get_by_role("status")).to_contain_text("提出しました")
    expect(page.locator("select[name^=score_]")).to_have_count(0)  # read-only once submitted
    mine.refresh_from_db()
    assert mine.status == "submitted"
    assert dict(mine.scores.values_list("criterion", "value")) == {
        c.key: v for c, v in zip(criteria, VALUES, strict=True)
    }
    assert mine.comment == "地域の企業との連携体制が具体的である。"
    assert not Assignment.objects.filter(reviewer=reviewer, proposal=conflicted).exists()

    page.locator("header nav a[href='/review/']").click()
    expect(assignments.first.locator("td.num")).to_have_text("80.0")
