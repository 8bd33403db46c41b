import pytest

from kyoten.hubs.models import CommitteeMember, Hub


def _get(client, url, token=None):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    return client.get(url, **headers)


def _send(client, method, url, body, token):
    return getattr(client, method)(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=token
    )


@pytest.mark.django_db
def test_list_is_public_and_paginated(client, hub, people):
    response = client.get("/api/v1/hubs?page_size=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": hub.pk,
            "name": "福岡県 先端材料評価拠点",
            "slug": "fukuoka-hub",
            "lead_prefecture": "40",
            "prefectures": ["40"],
            "block": "kyushu",
            "form": "new",
            "category": "",
            "stage": "design",
            "award_yen": 800_000_000,
            "operation_start_fy": None,
            "address": "",
            "latitude": None,
            "longitude": None,
            "url": f"/hubs/{hub.pk}/",
        }
    ]
    assert [h["id"] for h in client.get("/api/v1/hubs?block=kanto").json()["items"]] == [
        people["other_hub"].pk
    ]
    bad = client.get("/api/v1/hubs?stage=flying")
    assert (bad.status_code, bad.json()) == (
        400,
        {"detail": "unknown stage 'flying'", "field": "stage"},
    )


@pytest.mark.django_db
def test_detail_internals_only_for_those_who_may(client, api_token, hub, people):
    public = client.get(f"/api/v1/hubs/{hub.pk}").json()
    assert (public["assets"], public["warnings"], public["can_edit"]) == (None, None, False)
    assert public["committee"] == {
        "chair": None,
        "representative": "福岡 太郎",
        "members": [],
        "sectors_missing": ["government", "academia", "industry"],
    }
    observer = _get(client, f"/api/v1/hubs/{hub.pk}", api_token(people["observer"])).json()
    assert (observer["assets"], observer["can_edit"]) == ([], False)
    assert [w["code"] for w in observer["warnings"]] == ["committee_missing", "land_missing"]
    own = _get(client, f"/api/v1/hubs/{hub.pk}", api_token(people["own"])).json()
    assert own["can_edit"] is True
    assert client.get("/api/v1/hubs/999999").status_code == 404


@pytest.mark.django_db
def test_create_officer_only_and_201(client, api_token, people, orgs):
    body = {
        "name": "熊本県 半導体拠点",
        "lead_prefecture": "43",
        "form": "equipment_only",
        "award_yen": 600_000_000,
        "land": {"address": "熊本市", "campus": "黒髪"},
        "committee": [
            {"name": "熊本 一郎", "organisation": orgs["pref"].pk, "is_chair": True},
            {"name": "九大 花子", "organisation": "九州大学"},
        ],
        "operators": [people["own"].username],
    }
    for who in ("own", "observer", "outsider"):
        response = _send(client, "post", "/api/v1/hubs", body, api_token(people[who]))
        assert response.status_code == 403, who
    assert client.post("/api/v1/hubs", body, content_type="application/json").status_code == 401
    response = _send(client, "post", "/api/v1/hubs", body, api_token(people["officer"]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["slug"], created["land"], created["operators"]) == (
        "kumamoto-hub",
        {"address": "熊本市", "area_m2": None, "provided_by": "", "campus": "黒髪"},
        [people["own"].username],
    )
    assert [(m["name"], m["sector"], m["is_chair"]) for m in created["committee"]["members"]] == [
        ("熊本 一郎", "government", True),
        ("九大 花子", "academia", False),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"award_yen": 1.5}, "award_yen"),
        ({"award_yen": "600000000"}, "award_yen"),
        ({"award_yen": -5}, "award_yen"),
        ({"form": "castle"}, "form"),
        ({"lead_prefecture": "99"}, "lead_prefecture"),
        ({"committee": [{"name": "x", "organisation": None}]}, "committee[0].organisation"),
        ({"name": None}, "name"),
    ],
)
def test_create_bad_input_400_naming_the_field(client, api_token, people, change, field):
    body = {"name": "x", "lead_prefecture": "43", "form": "new", "award_yen": 1} | change
    response = _send(client, "post", "/api/v1/hubs", body, api_token(people["officer"]))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert Hub.objects.filter(lead_prefecture="43").count() == 0


@pytest.mark.django_db
def test_update_by_own_operator_other_operator_observer(client, api_token, hub, people, orgs):
    url = f"/api/v1/hubs/{hub.pk}"
    change = {"summary": "共用設備を開放", "land": {"area_m2": 2500}}
    own = api_token(people["own"])
    response = _send(client, "patch", url, change, own)
    assert response.status_code == 200, response.content
    assert (response.json()["summary"], response.json()["land"]["area_m2"]) == (
        "共用設備を開放",
        2500,
    )
    for who in ("other", "observer", "outsider"):
        assert (
            _send(client, "patch", url, {"summary": "x"}, api_token(people[who])).status_code == 403
        )
    refused = _send(client, "patch", url, {"award_yen": 1}, own)
    assert (refused.status_code, refused.json()["field"]) == (403, "award_yen")
    officer = api_token(people["officer"])
    response = _send(client, "put", url, {"award_yen": 700_000_000, "stage": "tender"}, officer)
    assert (response.json()["award_yen"], response.json()["stage"]) == (700_000_000, "tender")
    # A committee with one bad member changes nothing.
    bad = {
        "summary": "changed",
        "committee": [
            {"name": "a", "organisation": orgs["pref"].pk},
            {"name": "b", "organisation": None},
        ],
    }
    response = _send(client, "patch", url, bad, own)
    assert (response.status_code, response.json()["field"]) == (400, "committee[1].organisation")
    hub.refresh_from_db()
    assert hub.summary == "共用設備を開放"
    assert CommitteeMember.objects.count() == 0
    assert _send(client, "patch", "/api/v1/hubs/999999", {}, officer).status_code == 404


@pytest.mark.django_db
def test_stage_and_asset_endpoints(client, api_token, hub, people):
    officer = api_token(people["officer"])
    response = _send(
        client,
        "put",
        f"/api/v1/hubs/{hub.pk}/stages/design",
        {"planned_start": "2010-04-01", "planned_end": "2010-03-01"},
        officer,
    )
    assert (response.status_code, response.json()["field"]) == (400, "planned_end")
    asset = {
        "kind": "equipment",
        "name": "TEM",
        "acquisition_cost_yen": 900_000_000,
        "acquired_on": "2011-03-01",
        "useful_life_years": 7,
    }
    response = _send(client, "post", f"/api/v1/hubs/{hub.pk}/assets", asset, officer)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "取得価額¥900,000,000が拠点の配分額¥800,000,000を超えています",
        "rule": "R-8",
        "field": "acquisition_cost_yen",
    }
    own = api_token(people["own"])
    asset["acquisition_cost_yen"] = 300_000_000
    assert _send(client, "post", f"/api/v1/hubs/{hub.pk}/assets", asset, own).status_code == 403
    response = _send(client, "post", f"/api/v1/hubs/{hub.pk}/assets", asset, officer)
    assert response.status_code == 201
    assert response.json()["book_value_yen"] == 0  # seven years after FY2010 it is written off


@pytest.mark.django_db
def test_api_list_and_detail_queries_do_not_grow(client, officer, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kyoten.hubs.services import committee_member_add, hub_create

    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = hub_create(by=officer, name="one", lead_prefecture="01", form="new")
    committee_member_add(hub=first, by=officer, name="a", organisation=orgs["pref"])
    one_list, one_detail = count("/api/v1/hubs"), count(f"/api/v1/hubs/{first.pk}")
    for code in ("02", "03", "04", "05"):
        hub_create(by=officer, name=f"hub {code}", lead_prefecture=code, form="new")
    for name in ("b", "c", "d"):
        committee_member_add(hub=first, by=officer, name=name, organisation=orgs["univ"])
    assert (count("/api/v1/hubs"), count(f"/api/v1/hubs/{first.pk}")) == (one_list, one_detail)
