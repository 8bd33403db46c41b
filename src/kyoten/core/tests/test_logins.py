"""Logins (issue 17 item 4, SPEC §4): throttled failures, tokens that expire and are revoked."""

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.core.models import ApiToken

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def _token_post(client, username, password, **extra):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


@pytest.fixture
def limits(settings):
    settings.KYOTEN_LOGIN_ATTEMPTS = 3
    settings.KYOTEN_LOGIN_WINDOW = 600
    return settings


# --- throttling -----------------------------------------------------------------------------


def test_api_failures_then_429_with_retry_after_even_for_the_right_password(
    client, make_user, limits
):
    make_user("officer", username="alice")
    assert [_token_post(client, "alice", "wrong").status_code for _ in range(3)] == [401] * 3
    refused = _token_post(client, "alice", "pw")
    assert refused.status_code == 429
    assert 590 <= int(refused["Retry-After"]) <= 600
    assert refused.json()["field"] == "password"
    assert "秒後" in refused.json()["detail"]
    assert not ApiToken.objects.exists()


def test_the_window_ends_and_the_right_password_works_again(client, make_user, limits):
    import time as real_time

    make_user("officer", username="alice")
    for _ in range(3):
        _token_post(client, "alice", "wrong")
    assert _token_post(client, "alice", "pw").status_code == 429
    later = real_time.time() + 601
    from unittest import mock

    with mock.patch("kyoten.core.throttle.time.time", return_value=later):
        assert _token_post(client, "alice", "pw").status_code == 201


def test_success_clears_the_count_of_the_user_name(client, make_user, limits):
    make_user("officer", username="alice")
    for _ in range(2):
        _token_post(client, "alice", "wrong")
    assert _token_post(client, "alice", "pw").status_code == 201
    for _ in range(2):
        assert _token_post(client, "alice", "wrong").status_code == 401
    assert _token_post(client, "alice", "pw").status_code == 201


def test_one_user_name_locked_does_not_lock_another(client, make_user, limits):
    make_user("officer", username="alice")
    make_user("officer", username="bob")
    for _ in range(3):
        _token_post(client, "alice", "wrong", REMOTE_ADDR="10.0.0.1")
    assert _token_post(client, "alice", "pw", REMOTE_ADDR="10.0.0.2").status_code == 429
    assert _token_post(client, "bob", "pw", REMOTE_ADDR="10.0.0.2").status_code == 201


def test_user_names_are_counted_without_regard_to_case(client, make_user, limits):
    make_user("officer", username="alice")
    for name in ("alice", "ALICE", "Alice"):
        _token_post(client, name, "wrong")
    assert _token_post(client, "alice", "pw").status_code == 429


def test_one_address_trying_many_user_names_is_throttled(client, make_user, limits):
    make_user("officer", username="bob")
    # 4 × the per-name limit from one address, spread over names that do not exist.
    for i in range(12):
        assert _token_post(client, f"guess{i}", "x", REMOTE_ADDR="10.9.9.9").status_code == 401
    assert _token_post(client, "bob", "pw", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _token_post(client, "bob", "pw", REMOTE_ADDR="10.9.9.8").status_code == 201


def test_behind_a_proxy_the_address_is_the_one_the_proxy_added(client, make_user, limits):
    limits.KYOTEN_BEHIND_PROXY = True
    make_user("officer", username="bob")
    for i in range(12):
        # The client forges the first hop; our proxy appends the real address last.
        _token_post(
            client,
            f"g{i}",
            "x",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 9.9.9.9",
        )
    assert (
        _token_post(
            client, "bob", "pw", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9"
        ).status_code
        == 429
    )
    assert (
        _token_post(
            client, "bob", "pw", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8"
        ).status_code
        == 201
    )


def test_login_page_throttles_and_says_when_to_try_again(client, make_user, limits):
    make_user("officer", username="alice")
    for _ in range(2):
        page = client.post("/login/", {"username": "alice", "password": "wrong"})
        assert page.status_code == 200
    third = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    body = third.content.decode()
    assert "ログインの失敗が続いたため" in body
    again = client.post("/login/", {"username": "alice", "password": "pw"})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_page_and_api_share_the_count(client, make_user, limits):
    make_user("officer", username="alice")
    client.post("/login/", {"username": "alice", "password": "wrong"})
    _token_post(client, "alice", "wrong")
    _token_post(client, "alice", "wrong")
    assert client.post("/login/", {"username": "alice", "password": "pw"}).status_code == 429


def test_login_page_in_english(client, make_user, limits):
    make_user("officer", username="alice")
    for _ in range(3):
        page = client.post(
            "/login/", {"username": "alice", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert page.status_code == 429
    assert "Too many failed logins" in page.content.decode()


def test_a_good_login_on_the_page_still_works(client, make_user, limits):
    make_user("officer", username="alice")
    client.post("/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/login/", {"username": "alice", "password": "pw"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# --- tokens -----------------------------------------------------------------------------------


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_token_is_stored_as_a_hash_and_expires_after_the_setting(client, make_user, settings):
    settings.KYOTEN_TOKEN_DAYS = 7
    make_user("officer", username="alice")
    token = _token_post(client, "alice", "pw").json()["token"]
    record = ApiToken.objects.get()
    assert record.key_hash == ApiToken.hash(token)
    assert token not in {record.key_hash, record.prefix}
    assert record.prefix == token[:6]
    assert record.expires_at - record.created_at == dt.timedelta(days=7)


def test_default_expiry_is_30_days(client, make_user):
    make_user("officer", username="alice")
    _token_post(client, "alice", "pw")
    record = ApiToken.objects.get()
    assert record.expires_at - record.created_at == dt.timedelta(days=30)


def test_expired_token_is_401(client, make_user):
    make_user("officer", username="alice")
    token = _token_post(client, "alice", "pw").json()["token"]
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_delete_revokes_the_token_it_is_sent_with(client, make_user):
    make_user("officer", username="alice")
    first = _token_post(client, "alice", "pw").json()["token"]
    second = _token_post(client, "alice", "pw").json()["token"]
    response = client.delete(TOKEN_URL, headers=_bearer(first))
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(first)).status_code == 401
    assert client.delete(TOKEN_URL, headers=_bearer(first)).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(second)).status_code == 200
    revoked = ApiToken.objects.get(key_hash=ApiToken.hash(first))
    assert revoked.revoked_at is not None  # kept, marked, not deleted
    assert [h.history_type for h in revoked.history.order_by("history_id")] == ["+", "~"]


def test_delete_without_a_token_names_the_header(client, make_user):
    client.force_login(make_user("officer"))
    response = client.delete(TOKEN_URL)
    assert response.status_code == 400
    assert response.json()["field"] == "Authorization"


def test_delete_anonymous_is_401(client):
    assert client.delete(TOKEN_URL).status_code == 401


def test_tokens_of_an_inactive_user_open_nothing(client, make_user):
    user = make_user("officer", username="alice")
    token = _token_post(client, "alice", "pw").json()["token"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_openapi_documents_the_token_answers(client):
    doc = client.get("/api/v1/openapi.json").json()
    post = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"201", "401", "429"} <= set(post)
    delete = doc["paths"]["/api/v1/auth/token"]["delete"]["responses"]
    assert "204" in delete
