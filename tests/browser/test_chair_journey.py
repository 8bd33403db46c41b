"""Issue 13, the judged journey: reviewers score, the chair recommends (one proposal not), the
officer runs the allocation of a call with two selection categories and a reduced plan, adopts
the run and publishes the decision; applicants see 審査中 until then, are told on publication
(notice and e-mail), the adopted one downloads the decision letter (採択通知, PDF) with the
award, and the not adopted ones read why in Japanese."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from kyoten.allocation.models import AllocationDecision, AllocationRun
from kyoten.allocation.tests.conftest import OKU, make_proposal
from kyoten.calls.models import Program
from kyoten.calls.services import call_create
from kyoten.review import services as review_services
from kyoten.review.criteria import criteria_for_call
from kyoten.review.enums import MemberRole
from kyoten.review.models import Assignment, Committee

from .helpers import log_in, review_committee, submit_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "chair-allocation.png"

CATEGORIES = [
    {"key": "concept", "label_ja": "構想支援地域", "label_en": "Planning support"},
    {"key": "foundation", "label_ja": "基盤形成支援地域", "label_en": "Foundation building"},
]


def _proposal(call, *, title, prefecture, category, requested_yen, applicant, options=None):
    """A submitted proposal in a selection category (the applicant's choice in its document)."""
    proposal = make_proposal(
        call, title=title, prefectures=[prefecture], requested_yen=requested_yen, by=applicant,
        options=options,
    )  # fmt: skip
    proposal.content = {**proposal.content, "category": category}
    proposal.save(update_fields=["content"])
    return proposal


def _switch(page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base_url, username)


def _pdf_text(body: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(body)
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return out.stdout


def test_chair_recommends_and_the_officer_decides(page, live_server, make_user, tmp_path):
    officer = make_user("officer", username="okada", display_name="岡田 亮")
    program = Program.objects.order_by("pk").first()
    # ¥20 億, at most ¥10 億 a hub; two selection categories as after the 2009 amendment.
    call = call_create(
        program=program, by=officer, code="chair-journey",
        title="平成21年度 地域産学官共同研究拠点整備事業（選定区分）",
        opens_at=dt.datetime(2009, 7, 31, tzinfo=dt.UTC),
        deadline=dt.datetime(2009, 8, 20, 8, tzinfo=dt.UTC),
        budget_yen=20 * OKU, cap_yen=10 * OKU, categories=CATEGORIES, status="review",
    )  # fmt: skip
    people = {
        code: make_user(
            "applicant", username=f"pref-{code}", prefecture=code, email=f"pref{code}@example.jp"
        )
        for code in ("01", "04", "23", "34", "40")
    }
    hokkaido = _proposal(call, title="北海道 食と健康拠点", prefecture="01", category="concept",
                         requested_yen=8 * OKU, applicant=people["01"])  # fmt: skip
    # Miyagi offers a reduced plan beside its full request.
    miyagi = _proposal(
        call, title="宮城 次世代材料拠点", prefecture="04", category="concept",
        requested_yen=8 * OKU, applicant=people["04"],
        options=[
            {"label": "full", "amount_yen": 8 * OKU},
            {"label": "reduced", "amount_yen": 5 * OKU, "drops": "分析装置2台を見送る"},
        ],
    )  # fmt: skip
    aichi = _proposal(call, title="愛知 次世代自動車拠点", prefecture="23",
                      category="foundation", requested_yen=6 * OKU, applicant=people["23"])  # fmt: skip
    hiroshima = _proposal(call, title="広島 医工連携拠点", prefecture="34",
                          category="foundation", requested_yen=5 * OKU, applicant=people["34"])  # fmt: skip
    fukuoka = _proposal(call, title="福岡 有機EL拠点", prefecture="40", category="foundation",
                        requested_yen=4 * OKU, applicant=people["40"])  # fmt: skip

    reviewer = make_user("reviewer", username="yamada", display_name="山田 花子")
    colleague = make_user("reviewer", username="kimura", display_name="木村 健")
    chair = make_user("chair", username="kato", display_name="加藤 智子")
    review_committee(call, officer, [reviewer, colleague])
    review_services.committee_member_add(
        committee=Committee.objects.get(call=call), user=chair, role=MemberRole.CHAIR, by=officer
    )
    # The colleague's reviews (every criterion the same: 5 → 100, 4 → 80, 3 → 60).
    for proposal, value in ((hokkaido, 5), (aichi, 4), (hiroshima, 3), (fukuoka, 5)):
        submit_review(proposal=proposal, reviewer=colleague, officer=officer, value=value)
    mine = review_services.assignment_add(proposal=miyagi, reviewer=reviewer, by=officer)

    # 1. The reviewer scores Miyagi in the browser: 4 on every criterion → 80.0.
    log_in(page, live_server.url, "yamada")
    page.locator("header nav a[href='/review/']").click()
    page.wait_for_url(live_server.url + "/review/")
    page.locator("main table tbody tr").filter(has_text="宮城 次世代材料拠点").get_by_role(
        "link"
    ).click()
    page.wait_for_url(f"{live_server.url}/review/reviews/{mine.pk}/")
    for criterion in criteria_for_call(call):
        page.get_by_role("group", name=criterion.label_ja).locator(
            f"select[name=score_{criterion.key}]"
        ).select_option("4")
    page.locator("textarea[name=comment]").fill("縮小案でも中核の分析機能は保たれる。")
    page.locator("button[name=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("提出しました")
    mine.refresh_from_db()
    assert mine.status == "submitted"

    # 2. The chair records the committee's recommendation from the ranking: Fukuoka not.
    _switch(page, live_server.url, "kato")
    page.locator("header nav a[href='/review/']").click()
    page.wait_for_url(live_server.url + "/review/")
    page.locator(f"main a[href='/review/calls/{call.pk}/ranking/']").click()
    page.wait_for_url(f"{live_server.url}/review/calls/{call.pk}/ranking/")
    expect(page.locator("main tbody tr")).to_have_count(5)
    for proposal in (hokkaido, miyagi, aichi, hiroshima):
        page.locator(f"#rec-{proposal.pk}").select_option("adopt")
    page.locator(f"#rec-{fukuoka.pk}").select_option("reject")
    page.locator(f"#reason-{fukuoka.pk}").fill("運営の持続性に乏しい")
    page.get_by_role("button", name="委員会の推薦を記録").click()
    expect(page.locator("main")).to_contain_text("推薦を記録しました")

    # 3. The officer, from the navigation, runs the allocation with the category quotas.
    _switch(page, live_server.url, "okada")
    page.locator("header nav a[href='/allocation/']").click()
    page.wait_for_url(live_server.url + "/allocation/")
    page.locator(f"main a[href='/allocation/calls/{call.pk}/']").first.click()
    page.wait_for_url(f"{live_server.url}/allocation/calls/{call.pk}/")
    main = page.locator("main")
    expect(main.get_by_test_id("review-decision")).to_contain_text("加藤 智子")
    excluded = main.get_by_test_id("alloc-excluded")
    expect(excluded).to_contain_text("福岡 有機EL拠点")
    expect(excluded).to_contain_text("不採択")
    ranked = main.get_by_test_id("alloc-proposal")
    expect(ranked).to_have_count(4)
    expect(ranked.filter(has_text="宮城 次世代材料拠点")).to_contain_text("縮小案")
    for key, low, high in (("concept", 2, 2), ("foundation", 1, 1)):
        page.locator(f"input[name=cat_min_{key}]").fill(str(low))
        page.locator(f"input[name=cat_max_{key}]").fill(str(high))
    page.locator("input[name=label]").fill("採択案：構想2・基盤1")
    page.locator("form:has(input[name=budget_yen]) button[type=submit]").click()

    run = AllocationRun.objects.get(label="採択案：構想2・基盤1")
    page.wait_for_url(f"{live_server.url}/allocation/runs/{run.pk}/")
    # Hokkaido (100) and Miyagi at its reduced plan (¥5 億) in 構想支援地域, Aichi (80) in
    # 基盤形成支援地域: ¥19 億; Miyagi's full ¥8 億 would not fit beside them.
    funded = page.get_by_role("heading", name="配分対象", exact=True).locator(
        "xpath=following-sibling::table[1]"
    )
    expect(funded.locator("tbody tr")).to_have_count(3)
    miyagi_row = funded.locator("tbody tr").filter(has_text="宮城 次世代材料拠点")
    expect(miyagi_row).to_contain_text("縮小案")
    expect(miyagi_row).to_contain_text("5億円")
    expect(funded).to_contain_text("北海道 食と健康拠点")
    expect(funded).to_contain_text("愛知 次世代自動車拠点")
    unfunded = page.get_by_role("heading", name="配分対象外とその理由").locator(
        "xpath=following-sibling::table[1]"
    )
    expect(unfunded.locator("tbody tr").filter(has_text="広島 医工連携拠点")).to_contain_text(
        "基盤形成支援地域"
    )
    # The not recommended Fukuoka took no part, and says why.
    expect(page.get_by_test_id("run-excluded")).to_contain_text(
        "福岡 有機EL拠点: 審査委員会が採択を推薦していない（不採択）"
    )
    # The quotas held: two 構想支援地域 (¥13 億), one 基盤形成支援地域 (¥6 億).
    categories = page.get_by_test_id("run-categories").locator("tbody tr")
    expect(categories.nth(0)).to_contain_text("構想支援地域")
    expect(categories.nth(0).locator("td").nth(0)).to_have_text("2")
    expect(categories.nth(0).locator("td").nth(1)).to_have_text("13億円")
    expect(categories.nth(1)).to_contain_text("基盤形成支援地域")
    expect(categories.nth(1).locator("td").nth(0)).to_have_text("1")
    expect(categories.nth(1).locator("td").nth(1)).to_have_text("6億円")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert run.status == "optimal"
    assert sorted((a["option"], a["amount_yen"]) for a in run.result["awards"]) == [
        ("full", 6 * OKU), ("full", 8 * OKU), ("reduced", 5 * OKU),
    ]  # fmt: skip

    page.get_by_role("button", name="この実行結果を決定として採択する").click()
    expect(page.get_by_test_id("allocation-decision")).to_contain_text("岡田 亮")
    expect(page.get_by_test_id("allocation-decision")).to_contain_text("審査中")

    # 4. Before publication, Miyagi's applicant sees 審査中, never 採択, and no letter.
    _switch(page, live_server.url, "pref-04")
    page.locator("header nav a[href='/proposals/']").click()
    page.wait_for_url(live_server.url + "/proposals/")
    expect(page.locator("main")).to_contain_text("審査中")
    expect(page.locator("main")).not_to_contain_text("採択")
    page.locator("main a", has_text="宮城 次世代材料拠点").first.click()
    expect(page.locator("p.lead strong")).to_have_text("審査中")
    expect(page.get_by_role("link", name="採否通知書（PDF）")).to_have_count(0)
    assert mail.outbox == []

    # 5. The officer publishes the decision.
    _switch(page, live_server.url, "okada")
    page.locator("header nav a[href='/allocation/']").click()
    page.locator(f"main a[href='/allocation/calls/{call.pk}/']").first.click()
    page.get_by_test_id("allocation-decision").locator(
        f"a[href='/allocation/runs/{run.pk}/']"
    ).click()
    page.wait_for_url(f"{live_server.url}/allocation/runs/{run.pk}/")
    page.get_by_role("button", name="決定を公表する").click()
    expect(page.get_by_test_id("allocation-decision")).not_to_contain_text("審査中")
    decision = AllocationDecision.objects.get(call=call)
    assert decision.published and decision.published_by == officer
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"pref{code}@example.jp" for code in people
    )

    # 6. Miyagi's applicant reads the notice, opens the proposal, downloads the letter.
    _switch(page, live_server.url, "pref-04")
    page.locator("header a.inbox").click()
    notice = page.locator("li.notice").filter(has_text="宮城 次世代材料拠点")
    expect(notice).to_contain_text("採択、配分額 ¥500,000,000")
    notice.get_by_role("button", name="開く").click()
    page.wait_for_url(f"{live_server.url}/proposals/{miyagi.pk}/")
    expect(page.locator("p.lead strong")).to_have_text("採択")
    letter = page.get_by_role("link", name="採否通知書（PDF）")
    response = page.context.request.get(live_server.url + letter.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.body(), tmp_path)
    assert "採択通知" in text.replace(" ", "")
    assert "¥500,000,000" in text
    assert "縮小案" in text

    # 7. The not adopted read why, in Japanese: Hiroshima (the category is full) and Fukuoka
    # (not recommended by the committee).
    _switch(page, live_server.url, "pref-34")
    page.locator("header a.inbox").click()
    notice = page.locator("li.notice").filter(has_text="広島 医工連携拠点")
    expect(notice).to_contain_text("不採択")
    expect(notice).to_contain_text("基盤形成支援地域")
    _switch(page, live_server.url, "pref-40")
    page.locator("header a.inbox").click()
    notice = page.locator("li.notice").filter(has_text="福岡 有機EL拠点")
    expect(notice).to_contain_text("不採択")
    expect(notice).to_contain_text("審査委員会")
    assert not Assignment.objects.filter(status="draft").exists()
