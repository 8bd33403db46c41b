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
