"""/api/v1/calls and /api/v1/proposals (SPEC §4)."""

from __future__ import annotations

import pytest

from .conftest import valid_document

pytestmark = pytest.mark.django_db


def post(client, url, body, token):
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=token)


def test_calls_list_is_public_and_paginated(client, open_call):
    response = client.get("/api/v1/calls")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(c["code"], c["accepting"]) for c in body["items"]] == [
        ("test-open", True),
        ("fy2009", False),
    ]
    assert body["items"][1]["cap_yen"] == 3_000_000_000


def test_create_submit_flow(client, open_call, kanagawa, tokyo, api_token):
    token = api_token(kanagawa)
    created = post(
        client, "/api/v1/proposals", {"call": open_call.pk, "content": valid_document()}, token
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert (created.json()["status"], created.json()["findings"]) == ("draft", [])
    submitted = post(client, f"/api/v1/proposals/{pid}/submit", {}, token)
    assert submitted.status_code == 200, submitted.content
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 1)
    # Another prefecture neither sees nor submits it.
    other = api_token(tokyo)
    assert client.get(f"/api/v1/proposals/{pid}", HTTP_AUTHORIZATION=other).status_code == 404
    assert post(client, f"/api/v1/proposals/{pid}/submit", {}, other).status_code == 404
    assert client.get("/api/v1/proposals", HTTP_AUTHORIZATION=other).json() == {
        "items": [],
        "count": 0,
    }


def test_submit_failure_names_rule_and_field(client, open_call, kanagawa, api_token):
    token = api_token(kanagawa)
    doc = valid_document(
        requested_yen=3_500_000_000, sections={**valid_document()["sections"], "purpose": ""}
    )
    pid = post(client, "/api/v1/proposals", {"call": open_call.pk, **doc}, token).json()["id"]
    response = post(client, f"/api/v1/proposals/{pid}/submit", {}, token)
    assert response.status_code == 400
    body = response.json()
    assert (body["rule"], body["field"]) == ("R-5", "sections.purpose")
    assert [(f["rule"], f["field"], f["severity"]) for f in body["findings"]] == [
        ("R-5", "sections.purpose", "error"),
        ("R-8", "requested_yen", "error"),
    ]


def test_bad_input_is_400_naming_the_field(client, open_call, kanagawa, api_token):
    token = api_token(kanagawa)
    response = post(client, "/api/v1/proposals",
                    {"call": open_call.pk, "content": valid_document(requested_yen=2.5e9)}, token)  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "detail": "must be a non-negative integer number of yen",
        "field": "requested_yen",
    }


def test_unauthenticated_is_401(client):
    assert client.get("/api/v1/proposals").status_code == 401


def test_observer_reads_officer_returns(client, open_call, kanagawa, officer, make_user, api_token):
    token = api_token(kanagawa)
    pid = post(
        client, "/api/v1/proposals", {"call": open_call.pk, "content": valid_document()}, token
    ).json()["id"]
    post(client, f"/api/v1/proposals/{pid}/submit", {}, token)
    observer = make_user("observer")
    listed = client.get(
        "/api/v1/proposals?status=submitted", HTTP_AUTHORIZATION=api_token(observer)
    )
    assert [p["id"] for p in listed.json()["items"]] == [pid]
    officer_token = api_token(officer)
    returned = post(client, f"/api/v1/proposals/{pid}/return", {"message": "要修正"}, officer_token)
    assert (returned.status_code, returned.json()["status"]) == (200, "returned")
    # An officer cannot change the applicant's content.
    put = client.put(f"/api/v1/proposals/{pid}", {"content": valid_document()},
                     content_type="application/json", HTTP_AUTHORIZATION=officer_token)  # fmt: skip
    assert put.status_code == 403


def test_create_without_call_uses_the_open_call(client, open_call, kanagawa, api_token):
    token = api_token(kanagawa)
    created = post(client, "/api/v1/proposals", valid_document(), token)
    assert created.status_code == 201, created.content
    assert created.json()["call"] == open_call.pk
    submitted = post(client, f"/api/v1/proposals/{created.json()['id']}/submit", {}, token)
    assert (submitted.status_code, submitted.json()["version"]) == (200, 1)


def test_submit_after_the_deadline(client, kanagawa, api_token):
    from kyoten.calls.models import Call

    token = api_token(kanagawa)
    closed = Call.objects.get(code="fy2009")
    pid = post(
        client, "/api/v1/proposals", {"call": closed.pk, "content": valid_document()}, token
    ).json()["id"]
    response = post(client, f"/api/v1/proposals/{pid}/submit", {}, token)
    assert response.status_code == 400
    assert response.json()["field"] == "deadline"


def test_observer_never_reads_a_draft(client, open_call, kanagawa, tokyo, make_user, api_token):
    """R-15 gives ministries program data: handed-in proposals, not a prefecture's draft (nor
    its PDF or versions), which answers 404 as for a proposal that does not exist."""
    draft = post(
        client, "/api/v1/proposals", {"call": open_call.pk, "content": valid_document()},
        api_token(kanagawa),
    ).json()["id"]  # fmt: skip
    doc = valid_document() | {"lead_prefecture": "13", "prefectures": ["13"]}
    doc["title"] = "東京の提出済み提案"
    handed_in = post(client, "/api/v1/proposals", {"call": open_call.pk, "content": doc},
                     api_token(tokyo)).json()["id"]  # fmt: skip
    post(client, f"/api/v1/proposals/{handed_in}/submit", {}, api_token(tokyo))
    observer = make_user("observer")
    token = api_token(observer)
    listed = client.get("/api/v1/proposals?page_size=100", HTTP_AUTHORIZATION=token).json()
    assert [p["id"] for p in listed["items"]] == [handed_in]
    for url in (f"/api/v1/proposals/{draft}", f"/api/v1/proposals/{draft}/versions",
                f"/api/v1/proposals/{draft}/findings"):  # fmt: skip
        assert client.get(url, HTTP_AUTHORIZATION=token).status_code == 404, url
    client.force_login(observer)
    assert client.get(f"/proposals/{draft}/").status_code == 404
    assert client.get(f"/proposals/{draft}/pdf/").status_code == 404
    assert client.get(f"/proposals/{handed_in}/pdf/").status_code == 200
    page = client.get(f"/proposals/calls/{open_call.pk}/").content.decode()
    assert "東京の提出済み提案" in page
    assert valid_document()["title"] not in page
