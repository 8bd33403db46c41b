"""The officer names a deputy chair on the committees page; the chair's ranking leaves out the
proposal they are conflicted with, and the deputy records the recommendation on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kyoten.review import services
from kyoten.review.enums import MemberRole
from kyoten.review.models import Committee
from kyoten.review.selectors import latest_decision
from kyoten.review.tests.conftest import make_call, make_proposal

from .helpers import log_in, review_committee, submit_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_deputy_chair_handles_the_chairs_conflict(page, live_server, make_user):
    officer = make_user("officer", username="okada")
    call = make_call()
    kept = make_proposal(call, title="神奈川 ロボット拠点", prefectures=["14"])
    other = make_proposal(call, title="長崎 海洋エネルギー拠点", prefectures=["42"])
    chair = make_user("chair", username="kato", display_name="加藤 智子")
    deputy = make_user("reviewer", username="sato", display_name="佐藤 誠")
    colleague = make_user("reviewer", username="kimura")
    review_committee(call, officer, [deputy, colleague])
    committee = Committee.objects.get(call=call)
    services.committee_member_add(
        committee=committee, user=chair, role=MemberRole.CHAIR, by=officer
    )
    services.conflict_set(reviewer=chair, proposal=kept, reason="県の委員を務める", by=officer)
    for proposal in (kept, other):
        submit_review(proposal=proposal, reviewer=colleague, officer=officer, value=4)

    # The officer names the deputy on the committees page.
    log_in(page, live_server.url, "okada")
    page.goto(f"{live_server.url}/review/calls/{call.pk}/committees/")
    row = page.locator("main tr", has_text="佐藤 誠")
    row.get_by_role("button", name="副委員長にする").click()
    expect(page.locator("main")).to_contain_text("佐藤 誠 を審査委員会の副委員長にしました")
    expect(page.locator("main tr", has_text="佐藤 誠")).to_contain_text("副委員長")
    committee.refresh_from_db()
    assert committee.deputy_chair == deputy

    # The chair's ranking: the other proposal only, not a word of the kept one.
    page.context.clear_cookies()
    log_in(page, live_server.url, "kato")
    page.goto(f"{live_server.url}/review/calls/{call.pk}/ranking/")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("長崎 海洋エネルギー拠点")
    expect(page.locator("body")).not_to_contain_text("神奈川 ロボット拠点")

    # The deputy's ranking: the kept proposal only; the deputy records its recommendation.
    page.context.clear_cookies()
    log_in(page, live_server.url, "sato")
    page.goto(f"{live_server.url}/review/calls/{call.pk}/ranking/")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("神奈川 ロボット拠点")
    page.locator(f"#rec-{kept.pk}").select_option("conditional")
    page.locator(f"#reason-{kept.pk}").fill("運営体制の具体化を条件とする")
    page.get_by_role("button", name="委員会の推薦を記録").click()
    expect(page.locator("main")).to_contain_text("推薦を記録しました")
    items = {i.proposal_id: (i.recommendation, i.reason) for i in latest_decision(call).items.all()}
    assert items == {kept.pk: ("conditional", "運営体制の具体化を条件とする")}
