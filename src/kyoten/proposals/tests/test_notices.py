"""Notices of the proposal hand-offs, each caused through its page or endpoint (SPEC §4)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kyoten.notices.models import Notice
from kyoten.proposals.services import proposal_create, proposal_submit

from .conftest import valid_document

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def governor(make_user):
    return make_user(
        "signatory", username="gov-14", email="gov14@example.jp", display_name="神奈川県知事"
    )


@pytest.fixture
def proposal(open_call, kanagawa):
    kanagawa.email = "pref14@example.jp"
    kanagawa.save()
    return proposal_create(call=open_call, by=kanagawa, content=valid_document())


def test_signature_requested_given_and_voided(proposal, kanagawa, governor):
    applicant = Client()
    applicant.force_login(kanagawa)
    applicant.post(
        f"/proposals/{proposal.pk}/signatures/request/", {"username": "gov-14", "role": "governor"}
    )
    [asked] = Notice.objects.filter(recipient=governor)
    assert asked.kind == "signature_requested"
    assert (
        asked.text_ja
        == f"pref-14 さんから、提案「{proposal.title}」に知事として署名するよう依頼がありました。"
    )
    assert asked.url == f"/proposals/{proposal.pk}/"
    assert mail.outbox[-1].to == ["gov14@example.jp"]
    assert mail.outbox[-1].subject == "[kyoten] " + asked.text_ja

    signer = Client()
    signer.force_login(governor)
    signer.post(f"/proposals/{proposal.pk}/sign/", {"role": "governor"})
    assert kinds(kanagawa) == ["signature_given"]
    assert Notice.objects.get(recipient=kanagawa).text_ja == (
        f"神奈川県知事 さんが提案「{proposal.title}」に知事として署名しました。"
    )

    changed = applicant.patch(
        f"/api/v1/proposals/{proposal.pk}",
        {"content": {"title": "改題した提案"}},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert kinds(governor) == ["signature_voided", "signature_requested"]
    assert Notice.objects.filter(recipient=governor).first().text_ja == (
        "提案「改題した提案」は署名後に修正されました。内容を確認して、もう一度署名してください。"
    )


def test_a_returned_proposal_tells_its_applicants_even_if_they_chose_otherwise(
    proposal, kanagawa, officer, open_call
):
    from kyoten.notices.models import NoticePreference

    # the applicant tried to turn it off; a return for revision is never kept from them
    NoticePreference.objects.create(user=kanagawa, kind="proposal_returned", delivery="off")
    proposal.status = "submitted"
    proposal.save()
    c = Client()
    c.force_login(officer)
    c.post(f"/proposals/{proposal.pk}/return/", {"message": "予算表の合計が合いません"})
    [notice] = Notice.objects.filter(recipient=kanagawa)
    assert notice.kind == "proposal_returned"
    assert notice.text_ja.startswith(f"提案「{proposal.title}」が修正のため差し戻されました（期限 ")
    assert notice.text_ja.endswith("）：予算表の合計が合いません")
    assert [m.to for m in mail.outbox] == [["pref14@example.jp"]]


def test_publishing_a_call_tells_every_applicant(officer, make_user):
    import datetime as dt

    from django.utils import timezone

    from kyoten.calls.models import Program
    from kyoten.calls.services import call_create

    tokyo = make_user("applicant", prefecture="13", email="pref13@example.jp")
    osaka = make_user("applicant", prefecture="27", email="pref27@example.jp")
    make_user("reviewer", email="reviewer@example.jp")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009), by=officer, code="c-2027",
        title="令和9年度 公募", opens_at=now, deadline=now + dt.timedelta(days=30),
        designated_city_reference_date=dt.date(2027, 4, 1), status="draft",
    )  # fmt: skip
    c = Client()
    c.force_login(officer)
    c.post(f"/calls/{call.pk}/status/", {"status": "open"})
    assert kinds(tokyo) == kinds(osaka) == ["call_published"]
    assert sorted(m.to[0] for m in mail.outbox) == ["pref13@example.jp", "pref27@example.jp"]
    assert (
        Notice.objects.filter(recipient=tokyo)
        .get()
        .text_ja.startswith("公募「令和9年度 公募」が始まりました。提案の締切は ")
    )
    # closing and reopening does not announce it again
    c.post(f"/calls/{call.pk}/status/", {"status": "closed"})
    c.post(f"/calls/{call.pk}/status/", {"status": "open"})
    assert kinds(tokyo) == ["call_published"]


def test_amending_a_call_tells_applicants_and_returns_what_no_longer_fits(
    proposal, kanagawa, officer, open_call, tokyo
):
    import datetime as dt

    from django.utils import timezone

    proposal_submit(proposal=proposal, by=kanagawa)
    c = Client()
    c.force_login(officer)
    deadline = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    # a cap below the request: the proposal no longer fits and is returned
    response = c.post(
        f"/proposals/calls/{open_call.pk}/amend/",
        {"deadline": deadline, "cap_yen": "1000", "message": "上限額を変更しました",
         "allowed_forms": open_call.allowed_forms},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 302, page[page.find('class="error"') :][:300]
    assert kinds(tokyo) == []  # no proposal in the call: not told
    assert kinds(kanagawa) == ["proposal_returned", "call_amended"]
