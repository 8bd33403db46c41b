import pytest

from kyoten.monitoring.models import AnnualReport
from kyoten.monitoring.tests.conftest import PDCA

pytestmark = pytest.mark.django_db


def _call(client, method, path, token, body=None):
    kwargs = {"HTTP_AUTHORIZATION": token}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def test_catalogue_is_public(client):
    response = client.get("/api/v1/kpis?page_size=3")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 19
    assert body["items"][0] == {
        "key": "joint_research_projects",
        "label_ja": "共同研究件数",
        "label_en": "joint research projects",
        "unit": "count",
        "definition": "契約期間がその年度にかかる産学官共同研究の件数（継続分を含め1件は1回）。"
        "共同研究の記録から算出。",
        "higher_is_better": True,
        "source": "platform",
        "key_indicator": True,
    }


def test_hub_kpis_need_login(client, hub):
    assert client.get(f"/api/v1/hubs/{hub.pk}/kpis").status_code == 401


def test_hub_targets_follow_the_proposal(client, hub, officer, api_token):
    token = api_token(officer)
    response = _call(client, "get", f"/api/v1/hubs/{hub.pk}/kpis?kpi=external_funding_yen", token)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["fiscal_year"], i["target"], i["target_source"]) for i in items[:10]] == [
        (2011, 33_333_333, "interpolated"),
        (2012, 66_666_667, "interpolated"),
        (2013, 100_000_000, "proposal"),
        (2014, 128_571_429, "interpolated"),
        (2015, 157_142_857, "interpolated"),
        (2016, 185_714_286, "interpolated"),
        (2017, 214_285_714, "interpolated"),
        (2018, 242_857_143, "interpolated"),
        (2019, 271_428_571, "interpolated"),
        (2020, 300_000_000, "proposal"),
    ]


def test_target_for_unknown_kpi_is_400_naming_the_field(client, hub, officer, api_token):
    response = _call(
        client, "post", f"/api/v1/hubs/{hub.pk}/targets", api_token(officer),
        {"targets": [{"kpi": "smiles", "fiscal_year": 2014, "target": 3, "note": "x"}]},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["field"] == "targets[0].kpi"


def test_report_lifecycle_over_the_api(client, hub, operator, officer, api_token):
    op, jst = api_token(operator), api_token(officer)
    response = _call(
        client, "post", "/api/v1/reports", op,
        {"hub": hub.pk, "fiscal_year": 2010, "actuals": {}},
    )  # fmt: skip
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "2010年度 (平成22年度)は拠点の運営開始（2011年度 (平成23年度)）より前です",
         "rule": "R-6", "field": "fiscal_year"},
    )  # fmt: skip
    response = _call(
        client, "post", "/api/v1/reports", op,
        {"hub": hub.pk, "fiscal_year": 2012, "actuals": {"patents_filed": -2}},
    )  # fmt: skip
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "0以上にしてください", "field": "actuals.patents_filed"},
    )
    assert AnnualReport.objects.count() == 0
    response = _call(
        client, "post", "/api/v1/reports", op,
        {"hub": hub.pk, "fiscal_year": 2012,
         "actuals": {"joint_research_projects": {"value": 14, "note": "覚書による共同研究を含む"}},
         "pdca": PDCA},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    report = response.json()
    assert (report["status"], report["fiscal_year"]) == ("draft", 2012)
    jrp = next(a for a in report["actuals"] if a["kpi"] == "joint_research_projects")
    assert jrp == {
        "kpi": "joint_research_projects", "label": "共同研究件数", "unit": "count", "value": 14,
        "source": "reported", "platform_value": 0, "target": 13, "status": "on_track",
    }  # fmt: skip
    util = next(a for a in report["actuals"] if a["kpi"] == "equipment_utilisation_pct")
    assert (util["value"], util["source"]) == (0, "platform")
    rid = report["id"]
    assert _call(client, "post", f"/api/v1/reports/{rid}/accept", op).status_code == 403
    assert (
        _call(client, "post", f"/api/v1/reports/{rid}/submit", op).json()["status"] == "submitted"
    )
    response = _call(client, "post", f"/api/v1/reports/{rid}/accept", jst)
    assert response.json()["status"] == "accepted"
    response = _call(client, "patch", f"/api/v1/reports/{rid}", op, {"summary": "x"})
    assert response.status_code == 409
    response = _call(client, "get", f"/api/v1/reports/{rid}/pdf", jst)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    listed = _call(client, "get", f"/api/v1/reports?hub={hub.pk}", jst).json()
    assert [(r["id"], r["status"]) for r in listed["items"]] == [(rid, "accepted")]
    assert listed["count"] == 1


def test_drafts_are_hidden_from_other_hubs_and_the_committee(
    client, hub, operator, committee, outsider_operator, api_token
):
    op = api_token(operator)
    rid = _call(client, "post", "/api/v1/reports", op, {"hub": hub.pk, "fiscal_year": 2012}).json()[
        "id"
    ]
    assert (
        _call(client, "get", f"/api/v1/reports/{rid}", api_token(outsider_operator)).status_code
        == 404
    )
    assert _call(client, "get", f"/api/v1/reports/{rid}", api_token(committee)).status_code == 404
    assert (
        _call(
            client, "get", f"/api/v1/hubs/{hub.pk}/kpis", api_token(outsider_operator)
        ).status_code
        == 404
    )


def test_advice_from_writing_to_answer(client, hub, operator, committee, officer, api_token):
    com, op = api_token(committee), api_token(operator)
    response = _call(
        client, "post", "/api/v1/advice", op,
        {"addressee": "region", "hub": hub.pk, "title": "t", "body": "b", "due_date": "2030-01-01"},
    )  # fmt: skip
    assert (response.status_code, response.json()["rule"]) == (403, "R-13")
    response = _call(
        client, "post", "/api/v1/advice", com,
        {"addressee": "region", "title": "t", "body": "b", "due_date": "2030-01-01"},
    )  # fmt: skip
    assert (response.status_code, response.json()["field"]) == (400, "hub")
    response = _call(
        client, "post", "/api/v1/advice", com,
        {"addressee": "region", "hub": hub.pk, "title": "中小企業の利用拡大",
         "body": "県内中小企業への周知を強化されたい。", "due_date": "2030-01-01"},
    )  # fmt: skip
    assert response.status_code == 201
    advice = response.json()
    assert (advice["status"], advice["addressee"], advice["hub"]) == ("open", "region", hub.pk)
    aid = advice["id"]
    # JST is not the addressee of advice to the region.
    response = _call(client, "post", f"/api/v1/advice/{aid}/responses", api_token(officer),
                     {"body": "x"})  # fmt: skip
    assert response.status_code == 403
    response = _call(client, "post", f"/api/v1/advice/{aid}/close", com, {})
    assert (response.status_code, response.json()["detail"]) == (
        409, "宛先からの回答がまだありません",
    )  # fmt: skip
    response = _call(
        client, "post", f"/api/v1/advice/{aid}/responses", op,
        {"body": "説明会を開催します", "action_taken": "県内3か所で説明会"},
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["status"] == "answered"
    assert [(r["body"], r["action_taken"]) for r in response.json()["responses"]] == [
        ("説明会を開催します", "県内3か所で説明会")
    ]
    response = _call(client, "post", f"/api/v1/advice/{aid}/close", com, {"note": "対応を確認"})
    assert (response.json()["status"], response.json()["closing_note"]) == ("closed", "対応を確認")
    listed = _call(client, "get", "/api/v1/advice?status=open", com).json()
    assert listed == {"items": [], "count": 0}


def test_dashboard_and_alerts(client, hub, officer, api_token):
    token = api_token(officer)
    body = _call(client, "get", "/api/v1/monitoring/dashboard?fiscal_year=2013", token).json()
    assert body["kpis"][0] == "joint_research_projects"
    assert [(r["hub"], r["block"], r["overall"]) for r in body["rows"]] == [
        (hub.pk, "kyushu", "no_data")
    ]
    alerts = _call(client, "get", "/api/v1/monitoring/alerts", token).json()
    assert alerts["count"] >= 10  # every finished year since FY2011 lacks its report
    assert alerts["items"][0]["kind"] == "report_missing"


def test_pages_render(client, hub, operator, officer, committee):
    client.force_login(operator)
    response = client.post(
        f"/monitoring/hubs/{hub.pk}/", {"action": "report", "fiscal_year": "2012"}
    )
    report = AnnualReport.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/monitoring/reports/{report.pk}/"
    )
    page = client.get(f"/monitoring/reports/{report.pk}/")
    assert page.status_code == 200
    assert "設備稼働率" in page.content.decode()
    client.force_login(officer)
    for url in ("/monitoring/", f"/monitoring/hubs/{hub.pk}/", "/monitoring/advice/",
                f"/monitoring/hubs/{hub.pk}/charts/joint_research_projects.png",
                "/monitoring/export.xlsx", "/monitoring/annual/2012.pdf",
                "/monitoring/annual/2012/blocks.png",
                f"/monitoring/hubs/{hub.pk}/reports/2012.pdf"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    client.force_login(committee)
    response = client.post("/monitoring/advice/", {
        "addressee": "jst", "title": "全国ネットワーク", "body": "情報交換の場を設けられたい",
        "due_date": "2030-03-31",
    })  # fmt: skip
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_report_list_queries_do_not_grow_with_rows(
    client, hub, operator, officer, api_token, django_assert_max_num_queries
):
    from kyoten.monitoring import services

    token = api_token(officer)
    services.report_create(hub=hub, fiscal_year=2011, by=operator)
    with django_assert_max_num_queries(12) as one:
        assert _call(client, "get", "/api/v1/reports", token).json()["count"] == 1
    for fy in range(2012, 2020):
        services.report_create(hub=hub, fiscal_year=fy, by=operator)
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        assert _call(client, "get", "/api/v1/reports", token).json()["count"] == 9
    assert len(many.captured_queries) == len(one.captured_queries)
