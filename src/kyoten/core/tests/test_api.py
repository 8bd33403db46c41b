"""The API base of SPEC §4: token auth, error shape, pagination, status codes."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in doc["paths"]
    assert "/api/v1/prefectures" in doc["paths"]


def test_token_then_bearer(client, make_user):
    user = make_user("officer", username="alice")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "pw"},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json() == {
        "username": "alice",
        "role": "officer",
        "display_name": str(user),
        "prefecture": None,
        "organisation": None,
    }


def test_wrong_password_is_401_with_error_shape(client, make_user):
    make_user("officer", username="alice")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {
        "detail": "ユーザー名またはパスワードが違います",
        "field": "password",
    }


def test_missing_field_is_400_naming_it(client):
    response = client.post(
        "/api/v1/auth/token", {"username": "alice"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "password"
    assert body["detail"].startswith("password: ")


def test_not_json_is_400(client):
    response = client.post("/api/v1/auth/token", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_without_login_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "認証が必要です"}  # Japanese by default, like the pages
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "authentication required"}


def test_bad_token_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_session_login_works_for_the_browser(client, make_user):
    user = make_user("observer")
    client.force_login(user)
    assert client.get("/api/v1/me").json()["role"] == "observer"


def test_pagination_shape(client):
    response = client.get("/api/v1/prefectures?page=2&page_size=10")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 47
    assert [p["code"] for p in body["items"]] == [f"{n:02d}" for n in range(11, 21)]
    assert set(body) == {"items", "count"}


def test_prefecture_detail(client):
    body = client.get("/api/v1/prefectures/14").json()
    assert body["name_en"] == "Kanagawa"
    assert body["block"] == "kanto"
    assert body["borders"] == ["13", "19", "22"]
    assert [c["name_ja"] for c in body["designated_cities"]] == ["横浜市", "川崎市", "相模原市"]


def test_unknown_prefecture_is_404_json(client):
    response = client.get("/api/v1/prefectures/99", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "not found"}
    assert client.get("/api/v1/prefectures/99").json() == {"detail": "見つかりません"}


@pytest.mark.parametrize(
    ("query", "field"), [("page=0", "page"), ("page_size=0", "page_size"), ("page=x", "page")]
)
def test_bad_paging_is_400_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/prefectures?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_unknown_block_filter_is_400(client):
    response = client.get("/api/v1/prefectures?block=mars")
    assert response.status_code == 400
    assert response.json() == {"detail": "unknown regional block 'mars'", "field": "block"}


def test_prefecture_list_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/prefectures?page_size=47").json()["count"] == 47
