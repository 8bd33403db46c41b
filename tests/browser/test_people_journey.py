"""People brought in by the program, as they would do it in the browser: an applicant invites
the governor by e-mail, the governor follows the link from that mail, sets a password, finds
the request in the inbox and signs; an SME engineer registers, verifies the address and books."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.equipment.models import Booking
from kyoten.proposals.models import Signature

from .helpers import equipment_network, log_in, weekday_ahead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STRONG = "kyoten-Hub-2026!"


def link_from_mail(to: str, path: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S*)", message.body).group(1)


def test_applicant_invites_the_governor_who_signs(page, browser, live_server, make_user):
    from kyoten.calls.models import Program
    from kyoten.calls.services import call_create
    from kyoten.proposals.services import proposal_create
    from kyoten.proposals.tests.conftest import valid_document

    officer = make_user("officer")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009), by=officer, code="j", title="令和8年度 公募",
        opens_at=now - dt.timedelta(days=1), deadline=now + dt.timedelta(days=20),
        designated_city_reference_date=dt.date(2009, 8, 1),
    )  # fmt: skip
    applicant = make_user("applicant", username="pref-14", prefecture="14")
    proposal = proposal_create(call=call, by=applicant, content=valid_document())

    # The applicant opens the proposal and invites the governor from the signatures part.
    log_in(page, live_server.url, "pref-14")
    page.locator("header nav").get_by_role("link", name="提案").click()
    page.get_by_role("link", name=proposal.title).first.click()
    page.get_by_role("link", name="メールで招待する").click()
    page.get_by_label("氏名").first.fill("黒岩 祐治")
    page.get_by_label("メール").fill("governor@pref.kanagawa.example.jp")
    page.get_by_label("招待の内容").select_option(f"sign_governor:{proposal.pk}")
    page.get_by_role("button", name="招待を送る").click()
    expect(page.get_by_role("status")).to_contain_text(
        "governor@pref.kanagawa.example.jp に招待を送りました。"
    )
    expect(page.locator("main table")).to_contain_text("返答待ち")

    # The governor, in another browser, follows the link of the mail that was sent.
    link = link_from_mail("governor@pref.kanagawa.example.jp", "/accounts/invite/")
    other = browser.new_context(locale="ja-JP")
    try:
        gov = other.new_page()
        gov.set_default_timeout(15_000)
        gov.goto(live_server.url + link)
        expect(gov.locator("main")).to_contain_text("提案の署名者（知事）")
        gov.get_by_label("ユーザー名").fill("gov-14")
        gov.get_by_label("パスワード", exact=True).fill(STRONG)
        gov.get_by_label("パスワード（確認）").fill(STRONG)
        gov.get_by_role("button", name="受諾してアカウントを作成する").click()
        gov.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")

        # The inbox holds the request; it opens the proposal, where the governor signs.
        expect(gov.locator("header .inbox .count")).to_have_text("1")
        gov.locator("header .inbox").click()
        expect(gov.locator("main")).to_contain_text("知事として署名するよう依頼がありました")
        gov.screenshot(path=str(SHOTS / "signatory-inbox.png"), full_page=True)
        gov.get_by_role("button", name="開く").click()
        gov.wait_for_url(f"{live_server.url}/proposals/{proposal.pk}/")
        expect(gov.locator("#signatures")).to_contain_text(proposal.content_hash[:12])
        gov.get_by_role("button", name="現在の内容に署名する： 知事").click()
        expect(gov.get_by_role("status")).to_contain_text("署名しました")
    finally:
        other.close()
    signature = Signature.objects.get(proposal=proposal, role="governor", voided_at=None)
    assert (signature.user.username, signature.content_hash) == ("gov-14", proposal.content_hash)

    # The applicant hears both hand-offs: the invitation accepted and the signature given.
    page.goto(live_server.url + "/notices/")
    expect(page.locator("main")).to_contain_text("招待（提案の署名者（知事））を受諾しました")
    expect(page.locator("main")).to_contain_text("知事として署名しました")


def test_sme_engineer_registers_verifies_and_books(page, live_server, make_user):
    world = equipment_network(make_user("officer"))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="ログイン").first.click()
    page.get_by_role("link", name="機器利用の登録").click()
    page.get_by_label("氏名").fill("松本 翔")
    page.get_by_label("メール").fill("matsumoto@higo.example.jp")
    page.get_by_label("所属機関", exact=True).fill("肥後精密工業株式会社")
    page.get_by_label("組織の種類").select_option("company")
    page.get_by_label("組織の所在都道府県").select_option("43")
    page.get_by_label("中堅・中小企業").check()
    page.get_by_label("ユーザー名").fill("matsumoto")
    page.get_by_label("パスワード", exact=True).fill(STRONG)
    page.get_by_label("パスワード（確認）").fill(STRONG)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "register-phone.png"), full_page=True)
    page.get_by_role("button", name="登録する").click()
    expect(page.locator("main")).to_contain_text("matsumoto@higo.example.jp にリンクを送りました")

    page.goto(live_server.url + link_from_mail("matsumoto@higo.example.jp", "/accounts/verify/"))
    page.wait_for_url(live_server.url + "/equipment/")
    expect(page.get_by_role("status")).to_contain_text("メールアドレスを確認しました")

    # Find the Fukuoka diffractometer and ask for an assisted session.
    page.locator("input[name=q]").fill("X線回折")
    page.locator("select[name=prefecture]").select_option("40")
    page.locator("form.equipment-search button[type=submit]").click()
    page.locator("#results").get_by_role("link", name="X線回折装置", exact=True).click()
    day = weekday_ahead(3)
    page.locator("input[name=start]").fill(f"{day.isoformat()}T13:00")
    page.locator("input[name=end]").fill(f"{day.isoformat()}T15:00")
    page.locator("select[name=mode]").select_option("assisted")
    page.locator("input[name=purpose]").fill("焼結体の相同定")
    page.locator("form:has(input[name=start]) button[type=submit]").click()
    page.wait_for_url(live_server.url + "/equipment/bookings/")
    booking = Booking.objects.get()
    assert (booking.user.username, booking.equipment, booking.mode) == (
        "matsumoto", world["xrd"], "assisted",
    )  # fmt: skip
