"""Signatories sign with their own login; a later change voids the signature and tells them."""

from __future__ import annotations

import pytest

from kyoten.proposals.services import proposal_create, proposal_update, signature_request
from kyoten.proposals.todo import todos

from .conftest import valid_document

pytestmark = pytest.mark.django_db


def test_sign_in_the_browser_and_be_told_of_a_change(client, open_call, kanagawa, make_user):
    governor = make_user("signatory", username="gov14")
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    signature_request(proposal=p, by=kanagawa, role="governor", user=governor)
    assert [text for text, _ in todos(governor)] == [
        f"「{p.title}」の内容を確認し、署名してください。"
    ]
    client.force_login(governor)
    assert client.get(f"/proposals/{p.pk}/").status_code == 200
    client.post(f"/proposals/{p.pk}/sign/", {"role": "governor"})
    assert todos(governor) == []
    proposal_update(proposal=p, by=kanagawa, content=valid_document(title="改題"))
    assert [text for text, _ in todos(governor)] == [
        "署名後に「改題」の内容が変更されました。改めて署名してください。"
    ]
    # Someone else cannot sign in the governor's place.
    client.force_login(make_user("signatory", username="other"))
    assert client.post(f"/proposals/{p.pk}/sign/", {"role": "governor"}).status_code == 404


@pytest.mark.signatures_by_login
def test_by_default_submission_needs_the_three_signatures(open_call, kanagawa, make_user):
    from django.test import Client

    assert open_call.program.require_electronic_signatures is True
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    c = Client()
    c.force_login(kanagawa)
    refused = c.post(f"/api/v1/proposals/{p.pk}/submit")
    assert refused.status_code == 400
    assert sorted(f["field"] for f in refused.json()["findings"] if f["rule"] == "R-3") == [
        "signatures.governor", "signatures.industry", "signatures.university_head",
    ]  # fmt: skip
    for role in ("governor", "university_head", "industry"):
        signer = make_user("signatory", username=f"{role}-14")
        signature_request(proposal=p, by=kanagawa, role=role, user=signer)
        s = Client()
        s.force_login(signer)
        s.post(f"/proposals/{p.pk}/sign/", {"role": role})
    done = c.post(f"/api/v1/proposals/{p.pk}/submit")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"


def test_a_signatory_who_also_reviews_sees_what_both_roles_see(open_call, kanagawa, make_user):
    import datetime as dt

    from kyoten.core.services import role_grant
    from kyoten.proposals.selectors import proposals_visible_to
    from kyoten.review.enums import CommitteeKind
    from kyoten.review.models import Committee, Membership
    from kyoten.review.tests.conftest import make_call, make_proposal

    head = make_user("signatory", username="univ-head")
    mine = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    signature_request(proposal=mine, by=kanagawa, role="university_head", user=head)
    other_call = make_call(code="reviewed")
    reviewed = make_proposal(other_call, title="審査する提案", prefectures=["30"])
    unseen = make_proposal(open_call, title="関係のない提案", prefectures=["31"])
    committee = Committee.objects.create(
        kind=CommitteeKind.REVIEW, name="審査", call=other_call, term_start=dt.date(2026, 4, 1)
    )
    assert set(proposals_visible_to(head)) == {mine}
    role_grant(user=head, role="reviewer")
    Membership.objects.create(committee=committee, user=head, kind=CommitteeKind.REVIEW)
    assert set(proposals_visible_to(head)) == {mine, reviewed}
    assert unseen not in proposals_visible_to(head)
