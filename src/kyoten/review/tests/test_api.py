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
    for path in (
        f"/api/v1/reviews/proposals/{miyagi.pk}",
        "/api/v1/reviews/proposals/999999",
    ):
        response = c.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "not found"})
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
        {"detail": "9 is outside the scale 1–5", "field": "scores.purpose_goals"},
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
