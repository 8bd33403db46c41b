"""/api/v1/reviews: own reviews, scores, and 404 for a conflicted reviewer."""

from __future__ import annotations

import pytest
from django.test import Client

from kyoten.core.models import ApiToken
from kyoten.review import services
from kyoten.review.models import Assignment

SCORES = {"purpose_goals": 5, "activity_plan": 4, "sustainability": 3, "regional_innovation": 4,
          "regional_growth": 4}  # fmt: skip


def client_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")


@pytest.fixture
def assigned(world, officer):
    services.assignment_solve(call=world["call"], reviewers_per_proposal=2, max_load=2, by=officer)
    return world


def test_conflicted_reviewer_gets_404_everywhere(assigned):
    sato = assigned["reviewers"]["sato"]
    miyagi = assigned["proposals"]["miyagi"]
    c = client_for(sato)
    hidden = c.get(f"/api/v1/reviews/proposals/{miyagi.pk}")
    missing = c.get("/api/v1/reviews/proposals/999999")
    # Indistinguishable from a proposal that does not exist.
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.status_code == 404
    response = c.post(
        f"/api/v1/reviews/proposals/{miyagi.pk}/discussion",
        {"text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = c.post(
        "/api/v1/reviews/conflicts",
        {"proposal": miyagi.pk, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    listed = {item["proposal"]["id"] for item in c.get("/api/v1/reviews").json()["items"]}
    assert miyagi.pk not in listed
    # Another reviewer without a conflict sees it.
    ok = client_for(assigned["reviewers"]["tanaka"]).get(f"/api/v1/reviews/proposals/{miyagi.pk}")
    assert ok.status_code == 200
    assert ok.json()["proposal"] == {"id": miyagi.pk, "title": miyagi.title}


def test_list_save_submit_and_see_others(assigned):
    tanaka = assigned["reviewers"]["tanaka"]
    c = client_for(tanaka)
    body = c.get("/api/v1/reviews").json()
    assert body["count"] == Assignment.objects.filter(reviewer=tanaka).count() == 2
    review = body["items"][0]
    assert (review["status"], review["scores"], review["total"]) == ("draft", [], None)
    bad = c.put(
        f"/api/v1/reviews/{review['id']}",
        {"scores": {"purpose_goals": 9}},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()) == (
        400,
        {"detail": "9 は評点の範囲 1〜5 の外です", "field": "scores.purpose_goals"},
    )
    saved = c.put(
        f"/api/v1/reviews/{review['id']}",
        {"scores": SCORES, "comment": "地域の強みが明確"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["total"] == 80.0
    proposal_id = review["proposal"]["id"]
    before = c.get(f"/api/v1/reviews/proposals/{proposal_id}").json()
    assert before["others_visible"] is False
    assert [r["reviewer"] for r in before["reviews"]] == ["tanaka"]
    submitted = c.post(f"/api/v1/reviews/{review['id']}/submit")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    after = c.get(f"/api/v1/reviews/proposals/{proposal_id}").json()
    assert after["others_visible"] is True
    assert len(after["reviews"]) == 2


def test_someone_elses_review_is_404(assigned):
    other = Assignment.objects.exclude(reviewer=assigned["reviewers"]["tanaka"]).first()
    c = client_for(assigned["reviewers"]["tanaka"])
    assert c.get(f"/api/v1/reviews/{other.pk}").status_code == 404


def test_ranking_and_assign_are_for_officer_and_chair(assigned):
    call = assigned["call"]
    reviewer = client_for(assigned["reviewers"]["tanaka"])
    assert reviewer.get(f"/api/v1/reviews/calls/{call.pk}/ranking").status_code == 403
    assert (
        client_for(assigned["chair"]).get(f"/api/v1/reviews/calls/{call.pk}/ranking").status_code
        == 200
    )
    officer = client_for(assigned["officer"])
    response = officer.post(
        f"/api/v1/reviews/calls/{call.pk}/assign",
        {"reviewers_per_proposal": 4, "max_load": 4},
        content_type="application/json",
    )
    body = response.json()
    assert (response.status_code, body["status"]) == (200, "infeasible")
    assert "only 3 conflict-free reviewers" in body["reason"]
    response = reviewer.post(
        f"/api/v1/reviews/calls/{call.pk}/assign",
        {"reviewers_per_proposal": 1, "max_load": 1},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_anonymous_is_401(db):
    assert Client().get("/api/v1/reviews").status_code == 401


def test_list_query_count_does_not_grow_with_rows(assigned, django_assert_num_queries):
    from kyoten.core.enums import Role
    from kyoten.review.tests.conftest import make_proposal

    tanaka = assigned["reviewers"]["tanaka"]
    c = client_for(tanaka)
    c.get("/api/v1/reviews")  # warm up (token lookup paths, content types)
    # session, user, the user's granted roles (one read per request), then the list itself
    with django_assert_num_queries(8) as few:
        c.get("/api/v1/reviews")
    for n in range(6):
        p = make_proposal(
            assigned["call"], title=f"追加 {n}", prefectures=["30"], university="和歌山大学"
        )
        services.assignment_add(proposal=p, reviewer=tanaka, by=assigned["officer"])
    assert Role.REVIEWER == tanaka.role
    with django_assert_num_queries(len(few.captured_queries)):
        body = c.get("/api/v1/reviews").json()
    assert body["count"] == 8


def test_r10_through_the_api(world):
    officer = client_for(world["officer"])
    from kyoten.review.tests.conftest import make_user

    make_user("yoshida", "committee")
    created = officer.post(
        "/api/v1/reviews/committees",
        {"kind": "promotion", "name": "推進委員会", "term_start": "2010-04-01"},
        content_type="application/json",
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    ok = officer.post(
        f"/api/v1/reviews/committees/{cid}/members",
        {"user": "yoshida"},
        content_type="application/json",
    )
    assert (ok.status_code, [m["user"] for m in ok.json()["members"]]) == (201, ["yoshida"])
    clash = officer.post(
        f"/api/v1/reviews/committees/{cid}/members",
        {"user": "sato"},
        content_type="application/json",
    )
    assert clash.status_code == 400
    body = clash.json()
    assert (body["rule"], body["field"]) == ("R-10", "user")
    assert "審査委員会" in body["detail"]
    reviewer = client_for(world["reviewers"]["sato"])
    assert reviewer.get("/api/v1/reviews/committees").status_code == 403


def test_phases_api(world):
    officer = client_for(world["officer"])
    call = world["call"]
    response = officer.put(
        f"/api/v1/reviews/calls/{call.pk}/phases",
        {"kind": "scoring", "starts_at": "2009-10-01T00:00:00+09:00",
         "ends_at": "2009-09-01T00:00:00+09:00"},
        content_type="application/json",
    )  # fmt: skip
    assert (response.status_code, response.json()["field"]) == (400, "ends_at")
    phases = client_for(world["reviewers"]["sato"]).get(f"/api/v1/reviews/calls/{call.pk}/phases")
    assert [p["kind"] for p in phases.json()] == ["conflicts", "scoring", "discussion", "decision"]
