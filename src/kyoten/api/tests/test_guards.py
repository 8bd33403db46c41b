"""Bad input is a 400 (or 413), never a 500, and the API always answers JSON (issue 17 item 6)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

JSON = "application/json"


def body(response) -> dict:
    assert response["Content-Type"].startswith(JSON), response.content[:200]
    return response.json()


@pytest.fixture(autouse=True)
def _english(client):
    # The texts compared below are the English originals (Japanese is the default).
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def bearer(officer, api_token):
    return api_token(officer)


def test_a_page_number_beyond_64_bits_is_a_400_naming_the_field(client):
    response = client.get("/api/v1/calls", {"page": 10**20})
    assert (response.status_code, body(response)) == (
        400,
        {"detail": "page: the number is too large", "rule": "input.range", "field": "page"},
    )


def test_a_page_far_past_the_end_is_an_empty_page_not_an_overflow(client):
    response = client.get("/api/v1/calls", {"page": 10**18})
    assert (response.status_code, body(response)["items"]) == (200, [])


def test_nul_bytes_in_a_query_string_are_refused(client):
    response = client.get("/api/v1/search?q=a%00b")
    assert (response.status_code, body(response)) == (
        400,
        {"detail": "q: NUL characters are not allowed", "rule": "input.nul", "field": "q"},
    )


def test_nul_bytes_and_huge_yen_in_a_json_body_are_refused_naming_the_field(client, bearer):
    def post(payload):
        return client.post(
            "/api/v1/calls", json.dumps(payload), content_type=JSON, HTTP_AUTHORIZATION=bearer
        )

    nul = post({"code": "X", "title": "a\u0000b"})
    assert (nul.status_code, body(nul)) == (
        400,
        {"detail": "title: NUL characters are not allowed", "rule": "input.nul", "field": "title"},
    )
    huge = post({"code": "X", "title": "t", "budget_yen": 2**63})
    assert (huge.status_code, body(huge)) == (
        400,
        {"detail": "budget_yen: the number is too large", "rule": "input.range",
         "field": "budget_yen"},
    )  # fmt: skip
    nested = post({"code": "X", "categories": [{"cap_yen": -(2**63) - 1}]})
    assert body(nested)["field"] == "categories[0].cap_yen"


def test_a_body_larger_than_the_limit_is_a_json_413(client, bearer, settings):
    payload = json.dumps({"title": "x" * (12 * 1024 * 1024)})
    response = client.post("/api/v1/calls", payload, content_type=JSON, HTTP_AUTHORIZATION=bearer)
    assert (response.status_code, body(response)) == (
        413,
        {"detail": f"the request body is larger than {settings.API_MAX_BODY_BYTES} bytes",
         "rule": "input.size", "field": "body"},
    )  # fmt: skip
    settings.API_MAX_BODY_BYTES = 100
    small = client.post("/api/v1/calls", json.dumps({"title": "x" * 200}), content_type=JSON,
                        HTTP_AUTHORIZATION=bearer)  # fmt: skip
    assert small.status_code == 413


def test_a_body_that_is_not_json_is_a_400(client, bearer):
    response = client.post("/api/v1/calls", "{nope", content_type=JSON, HTTP_AUTHORIZATION=bearer)
    assert (response.status_code, body(response)) == (
        400,
        {"detail": "the request body is not valid JSON", "field": "body"},
    )


def test_unknown_paths_and_wrong_methods_answer_json(client):
    missing = client.get("/api/v1/no-such-thing")
    assert (missing.status_code, body(missing)) == (404, {"detail": "not found"})
    wrong = client.delete("/api/v1/calls")
    assert wrong.status_code == 405
    assert body(wrong)["detail"].startswith("method not allowed")
    assert "GET" in wrong["Allow"]


def test_an_anonymous_write_is_a_401_not_a_csrf_403():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/api/v1/calls", "{}", content_type=JSON)
    assert (response.status_code, body(response)) == (401, {"detail": "authentication required"})


def test_a_signed_in_session_without_its_csrf_token_is_still_refused(officer):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    response = client.post("/api/v1/calls", "{}", content_type=JSON)
    assert response.status_code == 403
    assert "CSRF" in body(response)["detail"]


def test_a_booking_in_year_9999_is_a_400_naming_start(client, bearer):
    response = client.post(
        "/api/v1/bookings",
        json.dumps({"equipment": 1, "start": "9999-12-31T10:00:00+09:00",
                    "end": "9999-12-31T11:00:00+09:00"}),
        content_type=JSON,
        HTTP_AUTHORIZATION=bearer,
    )  # fmt: skip
    assert (response.status_code, body(response)) == (
        400,
        {"detail": "start: bookings can be made at most two years ahead", "rule": "input.range",
         "field": "start"},
    )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["/?q=%00", "/calls/?page=100000000000000000000", "/calls/?page=%00", "/calls/%00/"],
)
def test_pages_answer_400_for_nul_bytes_and_huge_numbers(client, officer, url):
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code in {400, 404}, url
    if "%00" in url.split("?")[0]:
        return
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_form_field_with_a_nul_byte_is_refused_on_a_page(client, officer):
    client.force_login(officer)
    response = client.post("/calls/new/", {"title": "a\x00b"})
    assert response.status_code == 400
