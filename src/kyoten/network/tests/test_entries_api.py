"""Entries of the collaboration database through the API: who may write, validation, search."""

from __future__ import annotations

import pytest

from kyoten.hubs.models import Hub
from kyoten.network.models import Expert
from kyoten.network.validators import is_valid_orcid, normalise_orcid, orcid_check_digit


def make_hub(name: str, pref: str, *, operators=(), summary: str = "") -> Hub:
    hub = Hub.objects.create(
        name=name, slug=f"hub-{pref}-{Hub.objects.count()}", lead_prefecture_id=pref,
        form="equipment_only", summary=summary,
    )  # fmt: skip
    hub.operators.set(operators)
    return hub


def test_orcid_checksum():
    assert orcid_check_digit("000000021825009") == "7"
    assert is_valid_orcid("0000-0002-1825-0097") is True
    assert is_valid_orcid("0000-0002-1694-233X") is True
    assert is_valid_orcid("0000-0002-1825-0098") is False
    assert is_valid_orcid("0000-0002-1825-009") is False
    assert normalise_orcid("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"


@pytest.fixture
def hub_and_people(db, make_user):
    operator = make_user("operator")
    other_operator = make_user("operator")
    hub = make_hub("九州材料拠点", "40", operators=[operator], summary="材料とX線分析")
    other = make_hub("北海道食品拠点", "01", operators=[other_operator], summary="食品と医療")
    return {"hub": hub, "other": other, "operator": operator, "other_operator": other_operator}


def post(client, path, body, token):
    return client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=token)


def test_operator_creates_expert_of_own_hub_and_it_is_searchable(client, api_token, hub_and_people):
    token = api_token(hub_and_people["operator"])
    body = {
        "hub": hub_and_people["hub"].pk, "name": "佐藤 誠", "field": "materials",
        "keywords": "走査型電子顕微鏡, ＳＥＭ", "orcid": "https://orcid.org/0000-0002-1825-0097",
        "erad_number": "12345678", "researchmap_id": "sato_makoto",
    }  # fmt: skip
    response = post(client, "/api/v1/network/experts", body, token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["name"], data["orcid"], data["scope"], data["region"], data["prefecture"]) == (
        "佐藤 誠",
        "0000-0002-1825-0097",
        "hub",
        "kyushu",
        "40",
    )
    assert data["hub"] == {"id": hub_and_people["hub"].pk, "name": "九州材料拠点"}
    found = client.get("/api/v1/search", {"q": "顕微"}).json()
    assert found["count"] == 1
    item = found["items"][0]
    assert (item["kind"], item["id"], item["title"], item["prefecture"], item["region"]) == (
        "expert",
        data["id"],
        "佐藤 誠",
        "40",
        "kyushu",
    )
    s, e = item["highlights"]["snippet"][0]
    assert item["snippet"][s:e] == "顕微"


@pytest.mark.parametrize(
    ("field", "value"),
    [("orcid", "0000-0002-1825-0098"), ("erad_number", "1234"), ("researchmap_id", "a b")],
)
def test_bad_identifiers_name_the_field(client, api_token, hub_and_people, field, value):
    token = api_token(hub_and_people["operator"])
    body = {"hub": hub_and_people["hub"].pk, "name": "x", field: value}
    response = post(client, "/api/v1/network/experts", body, token)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_operator_may_not_write_for_another_hub(client, api_token, hub_and_people):
    token = api_token(hub_and_people["operator"])
    body = {"hub": hub_and_people["other"].pk, "name": "x"}
    response = post(client, "/api/v1/network/experts", body, token)
    assert response.status_code == 403
    expert = Expert.objects.create(
        scope="hub", hub=hub_and_people["other"], block="hokkaido", name="y"
    )
    response = client.patch(
        f"/api/v1/network/experts/{expert.pk}", {"name": "z"},
        content_type="application/json", HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert response.status_code == 403
    other_token = api_token(hub_and_people["other_operator"])
    response = client.patch(
        f"/api/v1/network/experts/{expert.pk}", {"name": "z"},
        content_type="application/json", HTTP_AUTHORIZATION=other_token,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["name"] == "z"


def test_region_entry_and_nationwide_news(client, api_token, make_user, hub_and_people):
    officer_token = api_token(make_user("officer"))
    token = api_token(hub_and_people["operator"])
    need = {"region": "kyushu", "company_name": "肥後精密", "title": "X線で異物検査をしたい"}
    assert post(client, "/api/v1/network/needs", need, token).status_code == 201
    assert (
        post(client, "/api/v1/network/needs", {**need, "region": "kanto"}, token).status_code == 403
    )
    news = {"kind": "event", "title": "全国拠点交流会"}
    assert post(client, "/api/v1/network/news", news, token).status_code == 403
    created = post(client, "/api/v1/network/news", news, officer_token)
    assert created.status_code == 201
    assert (created.json()["scope"], created.json()["region"]) == ("nationwide", "")
    assert post(client, "/api/v1/network/experts", {"name": "x"}, officer_token).json() == {
        "detail": "項目は拠点か地域のいずれかに属します",
        "field": "hub",
    }
    listed = client.get("/api/v1/network/needs").json()
    assert [i["title"] for i in listed["items"]] == ["X線で異物検査をしたい"]
    assert listed["count"] == 1


def test_private_entries_hidden_from_public(client, api_token, make_user, hub_and_people):
    expert = Expert.objects.create(
        scope="hub", hub=hub_and_people["hub"], block="kyushu", name="非公開 花子", public=False
    )
    assert client.get(f"/api/v1/network/experts/{expert.pk}").status_code == 404
    assert client.get("/api/v1/search", {"q": "花子"}).json()["count"] == 0
    observer = api_token(make_user("observer"))
    assert (
        client.get(f"/api/v1/network/experts/{expert.pk}", HTTP_AUTHORIZATION=observer).status_code
        == 200
    )
    assert (
        client.get("/api/v1/search", {"q": "花子"}, HTTP_AUTHORIZATION=observer).json()["count"]
        == 1
    )


def test_search_api_errors_and_filters(client, hub_and_people):
    assert client.get("/api/v1/search").json() == {
        "detail": "q: give one or more words to search for",
        "field": "q",
    }
    assert client.get("/api/v1/search", {"q": "材料", "kind": "robot"}).status_code == 400
    assert client.get("/api/v1/search", {"q": "材料", "region": "x"}).json()["field"] == "region"
    hubs = client.get("/api/v1/search", {"q": "材料", "kind": "hub"}).json()
    assert [(i["kind"], i["title"]) for i in hubs["items"]] == [("hub", "九州材料拠点")]
    assert client.get("/api/v1/search", {"q": "医療", "region": "kyushu"}).json()["count"] == 0
    assert client.get("/api/v1/search", {"q": "ｘ線"}).json()["items"][0]["title"] == "九州材料拠点"


def test_need_matching_and_partners(client, api_token, hub_and_people):
    token = api_token(hub_and_people["other_operator"])
    need = post(
        client, "/api/v1/network/needs",
        {"region": "hokkaido", "company_name": "札幌食品", "title": "X線分析で材料評価",
         "keywords": "X線, 材料", "field": "materials"},
        token,
    ).json()  # fmt: skip
    matches = client.get(f"/api/v1/network/needs/{need['id']}/matches").json()
    assert [(m["kind"], m["title"]) for m in matches] == [("hub", "九州材料拠点")]
    assert "「X線」を含む" in matches[0]["reasons"]
    assert "他地域：九州・沖縄" in matches[0]["reasons"]


def test_dashboard_is_for_ministries(client, api_token, make_user, hub_and_people):
    assert client.get("/api/v1/network/dashboard").status_code == 401
    sme = api_token(make_user("equipment_user"))
    response = client.get("/api/v1/network/dashboard", HTTP_AUTHORIZATION=sme)
    assert response.status_code == 403
    assert response.json()["rule"] == "R-15"
    observer = api_token(make_user("observer"))
    data = client.get("/api/v1/network/dashboard", HTTP_AUTHORIZATION=observer).json()
    assert data["hubs_by_region"]["kyushu"] == 1
    assert data["hubs_by_region"]["hokkaido"] == 1
    assert data["hubs_by_field_and_region"]["materials"]["kyushu"] == 1


def test_list_queries_do_not_grow_with_rows(client, hub_and_people, django_assert_num_queries):
    hub = hub_and_people["hub"]
    Expert.objects.create(scope="hub", hub=hub, block="kyushu", name="一人目")
    with django_assert_num_queries(2):
        one = client.get("/api/v1/network/experts")
    Expert.objects.bulk_create(
        Expert(scope="hub", hub=hub, block="kyushu", name=f"専門家{i}") for i in range(30)
    )
    with django_assert_num_queries(2):
        many = client.get("/api/v1/network/experts", {"page_size": 50})
    assert (one.json()["count"], many.json()["count"]) == (1, 31)


def test_event_times_are_read_as_local_time(client, api_token, hub_and_people):
    token = api_token(hub_and_people["operator"])
    body = {"hub": hub_and_people["hub"].pk, "kind": "event", "title": "SEM講習会",
            "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T12:00+09:00"}  # fmt: skip
    created = post(client, "/api/v1/network/news", body, token).json()
    assert (created["starts_at"], created["ends_at"]) == (
        "2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00",
    )  # fmt: skip
    bad = post(client, "/api/v1/network/news", {**body, "starts_at": "tomorrow"}, token)
    assert bad.json() == {
        "detail": "日時として正しくありません（ISO 8601、例：2026-12-01T10:00+09:00）",
        "field": "starts_at",
    }  # fmt: skip


def test_subscription(client, api_token, make_user, db):
    token = api_token(make_user("equipment_user"))
    assert client.get("/api/v1/network/subscription", HTTP_AUTHORIZATION=token).json() == {
        "blocks": [], "fields": [], "digest": False,
    }  # fmt: skip
    body = {"blocks": ["kyushu", "kanto"], "fields": ["materials"]}
    response = client.put(
        "/api/v1/network/subscription", body, content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert response.json() == {
        "blocks": ["kanto", "kyushu"],
        "fields": ["materials"],
        "digest": True,
    }
    bad = client.put(
        "/api/v1/network/subscription", {"blocks": ["mars"]}, content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["field"] == "blocks"
    assert client.get("/api/v1/network/subscription").status_code == 401
