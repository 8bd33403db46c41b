"""R-2 by consent: a partner takes part only once its applicant accepts; until then it does not
see the proposal, and the proposal cannot be submitted."""

from __future__ import annotations

import pytest
from django.test import Client

from kyoten.notices.models import Notice
from kyoten.proposals.models import Partnership
from kyoten.proposals.services import proposal_create

from .conftest import valid_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium(open_call, kanagawa, tokyo):
    """Kanagawa leads and names Tokyo as a partner."""
    proposal = proposal_create(
        call=open_call, by=kanagawa, content=valid_document(prefectures=["14", "13"])
    )
    return proposal


def test_a_named_partner_is_invited_not_added(consortium, kanagawa, tokyo):
    assert set(consortium.prefectures.values_list("code", flat=True)) == {"14"}
    [invited] = Partnership.objects.all()
    assert (invited.prefecture_id, invited.accepted) == ("13", None)
    [notice] = Notice.objects.filter(recipient=tokyo)
    assert notice.kind == "partner_invited"
    assert notice.text_ja == (
        f"神奈川県から、広域連携の提案「{consortium.title}」への参加の依頼がありました。"
    )
    c = Client()
    c.force_login(tokyo)
    assert c.get(f"/proposals/{consortium.pk}/").status_code == 404
    listing = c.get("/proposals/").content.decode()
    assert "広域連携への招待が 1 件、回答を待っています" in listing
    assert consortium.title not in listing


def test_submission_waits_for_the_partner(consortium, kanagawa):
    c = Client()
    c.force_login(kanagawa)
    answer = c.post(f"/api/v1/proposals/{consortium.pk}/submit")
    assert answer.status_code == 400
    rules = [(f["rule"], f["field"]) for f in answer.json()["findings"]]
    assert ("R-2", "prefectures") in rules
    page = c.get(f"/proposals/{consortium.pk}/").content.decode()
    assert "東京都がまだ参加に同意していません。" in page


def test_the_partner_accepts_and_then_reads_but_does_not_edit(consortium, kanagawa, tokyo):
    c = Client()
    c.force_login(tokyo)
    invitation = Partnership.objects.get()
    page = c.get("/proposals/partnerships/").content.decode()
    assert consortium.title in page and "参加する" in page
    done = c.post(f"/proposals/partnerships/{invitation.pk}/", {"answer": "accept"})
    assert done.url == f"/proposals/{consortium.pk}/"
    assert set(consortium.prefectures.values_list("code", flat=True)) == {"13", "14"}
    assert Notice.objects.filter(recipient=kanagawa, kind="partner_accepted").count() == 1
    assert c.get(f"/proposals/{consortium.pk}/").status_code == 200
    # reading, not editing, until the lead allows it
    edit = c.patch(
        f"/api/v1/proposals/{consortium.pk}",
        {"content": {"title": "東京が書き換えた"}},
        content_type="application/json",
    )
    assert edit.status_code == 403
    lead = Client()
    lead.force_login(kanagawa)
    lead.post(f"/proposals/{consortium.pk}/partners-may-edit/", {"allowed": "1"})
    edit = c.patch(
        f"/api/v1/proposals/{consortium.pk}",
        {"content": {"title": "共同で書いた"}},
        content_type="application/json",
    )
    assert edit.status_code == 200
    # answering twice is refused
    again = c.post(f"/proposals/partnerships/{invitation.pk}/", {"answer": "decline"}, follow=True)
    assert "この招待にはすでに回答済みです" in again.content.decode()


def test_a_partner_in_another_proposal_of_the_call_cannot_accept_r1(
    consortium, open_call, tokyo, make_user
):
    proposal_create(call=open_call, by=tokyo, content=valid_document(
        lead_prefecture="13", prefectures=["13"], title="東京単独"))  # fmt: skip
    c = Client()
    c.force_login(tokyo)
    page = c.post(
        f"/proposals/partnerships/{Partnership.objects.get().pk}/", {"answer": "accept"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "R-1: 貴県はこの公募ですでに「東京単独」に参加しています" in page
    assert set(consortium.prefectures.values_list("code", flat=True)) == {"14"}


def test_changing_the_lead_never_adds_a_prefecture_silently(consortium, kanagawa):
    c = Client()
    c.force_login(kanagawa)
    answer = c.patch(
        f"/api/v1/proposals/{consortium.pk}",
        {"content": {"lead_prefecture": "13"}},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert (answer.json()["rule"], answer.json()["field"]) == ("R-2", "lead_prefecture")


def test_declining_tells_the_lead(consortium, kanagawa, tokyo):
    c = Client()
    c.force_login(tokyo)
    c.post(f"/proposals/partnerships/{Partnership.objects.get().pk}/", {"answer": "decline"})
    assert Partnership.objects.get().accepted is False
    assert list(Notice.objects.filter(recipient=kanagawa).values_list("text_ja", flat=True)) == [
        f"東京都が広域連携の提案「{consortium.title}」への参加を辞退しました。"
    ]
