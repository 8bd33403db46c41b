"""Issue 13, the judged journeys of a proposal (docs/proposals.md, "Judged journeys").

1. An applicant of Miyagi opens a call from the navigation and starts a proposal; asks
   Yamagata to join (R-2: Yamagata's applicant accepts, and only then takes part); writes the
   proposal part by part, the live checklist showing an R-8 finding that an edit fixes; invites
   the three signatories by e-mail; each logs in and signs the edition and digest shown; the
   applicant submits with the three signatures. A later edit voids the signatures and the
   governor, told so, signs again.
2. The officer amends a call, sees the preview ("2件の提案が R-7 を満たさなくなります") before
   committing, commits; the applicants are told in their inbox and Kanagawa's revises its
   returned proposal in the revision round (version 2 of round 1, version 1 kept).
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.calls.models import Call, Program
from kyoten.calls.services import call_create
from kyoten.proposals import services
from kyoten.proposals.models import Proposal, ProposalVersion, Signature
from kyoten.proposals.tests.conftest import valid_document

from .helpers import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
OKU = 100_000_000
TITLE = "みやぎ・やまがた 次世代材料 産学官共同研究拠点"
SIGNATORIES = {
    # role: (username, display name, e-mail, invitation purpose label)
    "governor": ("gov-04", "村井 嘉浩", "gov@pref.miyagi.example.jp", "提案の署名者（知事）"),
    "university_head": ("univ-04", "井上 明久", "head@tohoku.example.jp", "提案の署名者（大学等の長）"),
    "industry": ("ind-04", "鎌田 宏", "rep@keizai.miyagi.example.jp", "提案の署名者（産業界代表者）"),
}  # fmt: skip


def _link_from_mail(to: str, path: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S*)", message.body).group(1)


@contextmanager
def _person(browser, base_url: str, username: str | None = None):
    """Another person at another computer: a browser context of their own, logged in."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            log_in(page, base_url, username)
        yield page
    finally:
        context.close()


def _save(page, part: str, field) -> None:
    """Leave a field of an editor part (its `change` saves the part), wait for the save."""
    status = page.locator(f"#status-{part}")
    status.evaluate("e => { e.textContent = '' }")
    field.dispatch_event("change")
    expect(status).to_contain_text("に保存しました")


def _rule(page, rule: str):
    """The live checklist's entry of one rule."""
    return page.locator("#checklist ol > li").filter(
        has=page.locator("strong", has_text=re.compile(rf"^{rule}$"))
    )


def _sign(page, proposal: Proposal, role_label: str) -> None:
    """On the proposal page: check the edition and digest shown, sign them."""
    proposal.refresh_from_db()
    signatures = page.locator("#signatures")
    expect(signatures).to_contain_text(f"編集の第{proposal.revision}稿")
    expect(signatures.locator("code")).to_have_text(proposal.content_hash[:12])
    page.get_by_role("button", name=f"現在の内容に署名する： {role_label}").click()
    expect(page.get_by_role("status")).to_contain_text("署名しました")


def test_applicant_builds_a_consortium_proposal_signed_by_three(page, browser, live_server,
                                                                 make_user):  # fmt: skip
    officer = make_user("officer", username="okada", display_name="岡田 亮")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009), by=officer, code="j13-sign",
        title="地域産学官共同研究拠点整備事業（第2回）",
        opens_at=now - dt.timedelta(days=1), deadline=now + dt.timedelta(days=20),
        designated_city_reference_date=dt.date(2009, 8, 1),
    )  # fmt: skip
    assert call.program.require_electronic_signatures  # the program default: own logins
    make_user("applicant", username="pref-04", prefecture="04", display_name="宮城県 産業振興課")
    make_user("applicant", username="pref-06", prefecture="06", display_name="山形県 産業政策課")
    for username, name, email, _label in SIGNATORIES.values():
        make_user("signatory", username=username, display_name=name, email=email)

    # 1. Miyagi's applicant opens the call from the navigation and starts a proposal.
    log_in(page, live_server.url, "pref-04")
    page.locator("header nav a[href='/calls/']").click()
    page.get_by_role("link", name=call.title, exact=True).click()
    page.wait_for_url(f"{live_server.url}/calls/{call.pk}/")
    page.get_by_role("button", name="この公募に提案する").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(call=call)
    assert page.url == f"{live_server.url}/proposals/{proposal.pk}/"

    # 2. Basics, Yamagata ticked as partner; ¥35 億 is over the cap: R-8 in the checklist.
    basics = page.locator("#part-basics")
    basics.locator("#f-title").fill(TITLE)
    basics.locator("input[name=prefectures][value='06']").check()
    basics.locator("#f-form").select_option("new")
    basics.locator("#f-req").fill("3,500,000,000")
    basics.locator("#f-start").fill("2028")
    _save(page, "basics", basics.locator("#f-start"))
    expect(_rule(page, "R-8").locator("li.error")).to_have_count(1)
    expect(_rule(page, "R-2")).to_contain_text("山形県がまだ参加に同意していません")
    # The funding table followed the start year.
    expect(page.locator("#funding-table input[name=fiscal_year]").first).to_have_value("2028")

    # The applicant fixes R-8 by editing the amount.
    basics.locator("#f-req").fill("800,000,000")
    _save(page, "basics", basics.locator("#f-req"))
    expect(_rule(page, "R-8").locator("li.error")).to_have_count(0)

    # 3. The rest of the proposal, part by part.
    people = page.locator("#part-signatories")
    people.locator("#s-gov").fill("村井 嘉浩")
    people.locator("#s-uh").fill("井上 明久")
    people.locator("#s-uho").fill("東北大学")
    people.locator("#s-ind").fill("鎌田 宏")
    people.locator("#s-indo").fill("宮城県商工会議所連合会")
    _save(page, "signatories", people.locator("#s-indo"))
    consult = page.locator("#part-consultations")
    expect(consult.locator("input[name=city]").first).to_have_value("仙台市")
    consult.locator("input[name=date]").first.fill("2026-11-20")
    _save(page, "consultations", consult.locator("input[name=date]").first)
    site = page.locator("#part-site")
    site.locator("#l-addr").fill("宮城県仙台市青葉区荒巻字青葉6-6")
    site.locator("#l-area").fill("2500")
    _save(page, "site", site.locator("#l-area"))
    sections = page.locator("#part-sections textarea")
    for i in range(sections.count()):
        sections.nth(i).fill(f"宮城と山形の大学・企業が共同で次世代材料の研究を進める（{i + 1}）。")
    _save(page, "sections", sections.last)
    goals = page.locator("#part-goals tbody tr")
    for row, (kpi, year, target) in enumerate(
        [("joint_research_projects", "2030", "40"), ("companies_using", "2037", "300")]
    ):
        goals.nth(row).locator("select[name=kpi]").select_option(kpi)
        goals.nth(row).locator("input[name=fiscal_year]").fill(year)
        goals.nth(row).locator("input[name=target]").fill(target)
    _save(page, "goals", goals.nth(1).locator("input[name=target]"))
    years = page.locator("#funding-table tbody tr")
    expect(years).to_have_count(10)
    for i in range(10):
        years.nth(i).locator("input[name=revenue_usage_fees]").fill("30000000")
        years.nth(i).locator("input[name=revenue_prefecture]").fill("70000000")
        years.nth(i).locator("input[name=cost_staff]").fill("60000000")
        years.nth(i).locator("input[name=cost_maintenance]").fill("40000000")
    _save(page, "funding", years.last.locator("input[name=cost_maintenance]"))
    pdca = page.locator("#part-pdca tbody tr").first
    pdca.locator("input[name=fiscal_year]").fill("2028")
    pdca.locator("input[name=plan]").fill("運営計画を策定")
    pdca.locator("input[name=check]").fill("運営委員会で評価")
    pdca.locator("input[name=act]").fill("計画を改訂")
    _save(page, "pdca", pdca.locator("input[name=act]"))
    item = page.locator("#part-equipment tbody tr").first
    item.locator("input[name=name]").fill("電界放出形走査電子顕微鏡")
    item.locator("input[name=category]").fill("分析・計測")
    item.locator("input[name=cost_yen]").fill("150000000")
    _save(page, "equipment", item.locator("input[name=cost_yen]"))
    # Yamagata's consent and its governor's name are still missing.
    expect(_rule(page, "R-2").locator("li.error")).to_contain_text("山形県")
    expect(_rule(page, "R-8").locator("li.error")).to_have_count(0)

    # 4. Yamagata's applicant is told, does not see the proposal yet, and accepts.
    with _person(browser, live_server.url, "pref-06") as yamagata:
        assert yamagata.request.get(f"{live_server.url}/proposals/{proposal.pk}/").status == 404
        yamagata.locator("header a.inbox").click()
        notice = yamagata.locator("li.notice").filter(has_text="広域連携の提案")
        expect(notice).to_contain_text("宮城県")
        notice.get_by_role("button", name="開く").click()
        yamagata.wait_for_url(f"{live_server.url}/proposals/partnerships/")
        row = yamagata.locator("main tbody tr").filter(has_text=TITLE)
        row.get_by_role("button", name="参加する").click()
        yamagata.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")
        expect(yamagata.get_by_role("status")).to_contain_text("参加県になりました")
    assert set(proposal.prefectures.values_list("code", flat=True)) == {"04", "06"}

    # The lead sees the consent and names Yamagata's governor (R-3 partner_governors).
    page.reload()
    expect(page.locator("#consortium")).to_contain_text("山形県")
    partner = page.locator("#s-pg-06")
    partner.fill("吉村 美栄子")
    _save(page, "signatories", partner)
    expect(page.locator("#checklist")).to_contain_text("すべての要件を満たしています。")

    # 5. Submitting without the signatories' own confirmations is refused (R-3).
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("status")).to_contain_text("提出できませんでした：3件")
    assert not ProposalVersion.objects.filter(proposal=proposal).exists()

    # 6. The applicant invites the three signatories by e-mail, from the signatures part.
    page.get_by_role("link", name="メールで招待する").click()
    page.wait_for_url(re.compile(r"/accounts/invitations/"))
    for role, (_username, name, email, _label) in SIGNATORIES.items():
        page.get_by_label("氏名").first.fill(name)
        page.get_by_label("メール").fill(email)
        page.get_by_label("招待の内容").select_option(f"sign_{role}:{proposal.pk}")
        page.get_by_role("button", name="招待を送る").click()
        expect(page.get_by_role("status")).to_contain_text(f"{email} に招待を送りました。")
    expect(page.locator("main table tbody tr")).to_have_count(3)

    # 7. Each signatory follows the mail, logs in with their own account, accepts and signs
    # the edition and digest the page shows.
    labels = {"governor": "知事", "university_head": "大学等の長", "industry": "産業界代表者"}
    for role, (username, _name, email, purpose) in SIGNATORIES.items():
        with _person(browser, live_server.url) as signer:
            signer.goto(live_server.url + _link_from_mail(email, "/accounts/invite/"))
            expect(signer.locator("main")).to_contain_text(purpose)
            signer.locator("main").get_by_role("link", name="ログイン").click()
            signer.get_by_label("ユーザー名").fill(username)
            signer.get_by_label("パスワード").fill(PASSWORD)
            signer.get_by_role("button", name="ログイン").click()
            signer.get_by_role("button", name="受諾する").click()
            signer.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")
            _sign(signer, proposal, labels[role])
            if role == "industry":
                signer.locator("#signatures").screenshot(path=str(SHOTS / "proposal-signed.png"))

    # 8. The applicant goes back to the proposal and submits with the three real signatures.
    page.locator("header nav a[href='/proposals/']").click()
    page.wait_for_url(live_server.url + "/proposals/")
    page.locator("main").get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")
    expect(page.locator("#signatures tbody")).to_contain_text("署名済み")
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("status")).to_contain_text("第1版として提出しました。")
    version = ProposalVersion.objects.get(proposal=proposal)
    signed = Signature.objects.filter(proposal=proposal, voided_at=None).select_related("user")
    assert sorted((s.role, s.user.username, s.content_hash) for s in signed) == sorted(
        (role, username, version.content_hash) for role, (username, *_rest) in SIGNATORIES.items()
    )

    # 9. A later edit (before the deadline, the submitted proposal may still change) voids
    # the signatures; the governor is told, sees the voided signature and signs again.
    page.locator("#part-sections textarea").first.fill("宮城と山形の次世代材料拠点（目的を改訂）。")
    _save(page, "sections", page.locator("#part-sections textarea").first)
    expect(page.locator("#status-sections")).to_contain_text("署名は無効になりました")
    assert not Signature.objects.filter(proposal=proposal, signed_at__isnull=False,
                                        voided_at=None).exists()  # fmt: skip
    with _person(browser, live_server.url, "gov-04") as governor:
        governor.locator("header a.inbox").click()
        notice = governor.locator("li.notice").filter(has_text="署名後に修正されました")
        notice.get_by_role("button", name="開く").click()
        governor.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")
        rows = governor.locator("#signatures tbody tr").filter(has_text="村井 嘉浩")
        expect(rows.filter(has_text="無効")).to_have_count(1)
        expect(rows.filter(has_text="署名待ち")).to_have_count(1)
        _sign(governor, proposal, "知事")
    proposal.refresh_from_db()
    governor_sigs = Signature.objects.filter(proposal=proposal, role="governor").order_by("pk")
    assert [(s.voided_at is not None, s.content_hash) for s in governor_sigs] == [
        (True, version.content_hash),
        (False, proposal.content_hash),
    ]


def _submitted(call, applicant, doc: dict, signers: dict) -> Proposal:
    """A proposal submitted through the services, signed by its three signatories' logins."""
    proposal = services.proposal_create(call=call, by=applicant, content=doc)
    for role, signer in signers.items():
        services.signature_request(proposal=proposal, by=applicant, role=role, user=signer)
        services.proposal_sign(proposal=proposal, by=signer, role=role)
    services.proposal_submit(proposal=proposal, by=applicant)
    return proposal


def test_officer_amends_the_call_and_the_applicant_revises(page, browser, live_server,
                                                           make_user):  # fmt: skip
    officer = make_user("officer", username="okada", display_name="岡田 亮")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009), by=officer, code="j13-amend",
        title="平成21年度 地域産学官共同研究拠点整備事業", opens_at=now - dt.timedelta(days=10),
        deadline=now + dt.timedelta(days=2), designated_city_reference_date=dt.date(2009, 8, 1),
    )  # fmt: skip
    made = {}
    for code, title, changes in (
        ("14", "かながわ次世代ものづくり拠点", {}),
        ("13", "東京 医療機器開発拠点",
         {"designated_city_consultations": [], "land": {"address": "東京都江東区青海2-3-6",
                                                        "area_m2": 2000, "provided_by": "prefecture"}}),
        ("19", "やまなし 燃料電池評価拠点",
         {"designated_city_consultations": [], "form": "equipment_only", "land": None,
          "existing_building": {"name": "山梨県工業技術センター", "address": "甲府市大津町2094"}}),
    ):  # fmt: skip
        applicant = make_user("applicant", username=f"pref-{code}", prefecture=code)
        signers = {
            role: make_user("signatory", username=f"{short}-{code}")
            for role, short in (("governor", "gov"), ("university_head", "univ"),
                                ("industry", "ind"))
        }  # fmt: skip
        doc = valid_document(title=title, lead_prefecture=code, prefectures=[code], **changes)
        made[code] = (_submitted(call, applicant, doc, signers), signers)
    kanagawa, kanagawa_signers = made["14"]

    # 1. The officer opens the call from the navigation, then its amendment page.
    log_in(page, live_server.url, "okada")
    page.locator("header nav a[href='/calls/']").click()
    page.get_by_role("link", name=call.title, exact=True).click()
    page.wait_for_url(f"{live_server.url}/calls/{call.pk}/")
    page.get_by_role("link", name="公募を変更する（再提出の受付を開始）").click()
    page.wait_for_url(f"{live_server.url}/proposals/calls/{call.pk}/amend/")

    # The 2009 freeze: ¥26.3 bn, equipment only, two selection categories.
    page.locator("#a-budget").fill("26300000000")
    form = page.locator("form.card")
    for box in form.locator("input[name=allowed_forms]").all():
        box.set_checked(box.get_attribute("value") == "equipment_only")
    page.locator("#a-cat").fill(
        "構想支援地域 / Planning support\n基盤形成支援地域 / Foundation building"
    )
    round_end = (timezone.localtime() + dt.timedelta(days=21)).replace(hour=17, minute=0)
    page.locator("#a-deadline").fill(round_end.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#a-msg").fill(
        "予算の見直しにより、設備整備のみ・選定区分つきで再提出を求めます。"
    )

    # 2. The preview, before anything changes.
    page.get_by_role("button", name="影響をプレビューする").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("2件の提案が R-7 を満たさなくなります")
    expect(preview).to_contain_text("3件の提案が R-8 を満たさなくなります")
    r7 = preview.locator("h3", has_text="R-7").locator("xpath=following-sibling::ul[1]")
    expect(r7).to_contain_text("かながわ次世代ものづくり拠点")
    expect(r7).to_contain_text("東京 医療機器開発拠点")
    expect(r7).not_to_contain_text("やまなし")
    page.screenshot(path=str(SHOTS / "call-amendment-preview.png"), full_page=True)
    call.refresh_from_db()
    assert (call.revision_round, call.budget_yen) == (0, 69_500_000_000)

    # 3. The officer commits: the round opens, the proposals are re-checked.
    expect(page.locator("#a-budget")).to_have_value("26300000000")
    page.get_by_role("button", name="変更して再提出ラウンドを開始").click()
    page.wait_for_url(f"{live_server.url}/proposals/calls/{call.pk}/")
    expect(page.get_by_role("status")).to_contain_text("再提出ラウンド1を開始")
    call = Call.objects.get(pk=call.pk)
    assert (call.revision_round, call.budget_yen, call.allowed_forms) == (
        1, 26_300_000_000, ["equipment_only"],
    )  # fmt: skip
    assert sorted(Proposal.objects.filter(call=call).values_list("status", flat=True)) == [
        "returned", "returned", "returned",
    ]  # fmt: skip

    # 4. Kanagawa's applicant is told in the inbox and opens the returned proposal.
    page.context.clear_cookies()
    log_in(page, live_server.url, "pref-14")
    page.locator("header a.inbox").click()
    page.wait_for_url(live_server.url + "/notices/")
    expect(
        page.locator("li.notice").filter(has_text=f"公募「{call.title}」が変更されました")
    ).to_have_count(1)
    returned = (
        page.locator("li.notice")
        .filter(has_text="かながわ次世代ものづくり拠点")
        .filter(has_text="予算の見直しにより")
    )
    expect(returned).to_have_count(1)
    returned.get_by_role("button", name="開く").click()
    page.wait_for_url(f"{live_server.url}/proposals/{kanagawa.pk}/")
    recheck = page.locator("main .card.warning").filter(has_text="公募の変更により")
    expect(recheck).to_contain_text("R-7 整備形態")
    expect(recheck).to_contain_text("R-8 選定区分")
    expect(recheck).not_to_contain_text("category")
    expect(_rule(page, "R-8").locator("li.error a")).to_have_text("選定区分")

    # 5. The revision: equipment only in the existing building, a selection category.
    page.locator("#f-form").select_option("equipment_only")
    _save(page, "basics", page.locator("#f-form"))
    page.locator("#b-name").fill("神奈川県産業技術センター")
    page.locator("#b-addr").fill("海老名市下今泉705-1")
    _save(page, "site", page.locator("#b-addr"))
    page.locator("#f-category").select_option(label="構想支援地域")
    _save(page, "selection", page.locator("#f-category"))
    expect(page.locator("#checklist")).to_contain_text("すべての要件を満たしています。")

    # The revision voided the August signatures: the three sign the revised content.
    labels = {"governor": "知事", "university_head": "大学等の長", "industry": "産業界代表者"}
    for role, signer in kanagawa_signers.items():
        with _person(browser, live_server.url, signer.username) as person:
            person.goto(f"{live_server.url}/proposals/{kanagawa.pk}/")
            _sign(person, kanagawa, labels[role])

    page.reload()
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_role("status")).to_contain_text("第2版として提出しました。")
    versions = list(kanagawa.versions.order_by("number"))
    assert [(v.number, v.revision_round, v.content["form"]) for v in versions] == [
        (1, 0, "new"), (2, 1, "equipment_only"),
    ]  # fmt: skip

    # 6. Both versions stay readable; the difference is shown in Japanese.
    page.get_by_role("link", name="版と差分").click()
    page.wait_for_url(re.compile(rf"/proposals/{kanagawa.pk}/versions/"))
    expect(page.locator("main")).to_contain_text("設備のみ")
    expect(page.locator("main")).to_contain_text("構想支援地域")
    page.goto(f"{live_server.url}/proposals/{kanagawa.pk}/versions/1/")
    expect(page.locator("main")).to_contain_text("かながわ次世代ものづくり拠点")
