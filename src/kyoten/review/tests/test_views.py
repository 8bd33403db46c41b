"""Review pages: reviewer, chair and officer, and the conflicted reviewer's 404."""

from __future__ import annotations

import pytest
from django.test import Client

from kyoten.review import services
from kyoten.review.models import Assignment, Score

SCORES = {"purpose_goals": 5, "activity_plan": 4, "sustainability": 3, "regional_innovation": 4,
          "regional_growth": 4}  # fmt: skip


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def assigned(world, officer):
    services.assignment_solve(call=world["call"], reviewers_per_proposal=2, max_load=2, by=officer)
    return world


def test_reviewer_pages_and_score_form(assigned):
    tanaka = assigned["reviewers"]["tanaka"]
    c = login(tanaka)
    page = c.get("/review/")
    assert page.status_code == 200
    a = Assignment.objects.filter(reviewer=tanaka).order_by("pk").first()
    assert a.proposal.title in page.content.decode()
    form = c.get(f"/review/reviews/{a.pk}/")
    assert form.status_code == 200
    data = {f"score_{k}": v for k, v in SCORES.items()}
    data["score_regional_growth"] = 9  # not in the scale: the form refuses, nothing saved
    response = c.post(f"/review/reviews/{a.pk}/", data)
    assert response.status_code == 200
    assert not Score.objects.filter(assignment=a).exists()
    data["score_regional_growth"] = 4
    data["submit"] = "1"
    response = c.post(f"/review/reviews/{a.pk}/", data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted"
    assert dict(a.scores.values_list("criterion", "value")) == SCORES


def test_conflicted_reviewer_gets_404_on_pages(assigned):
    c = login(assigned["reviewers"]["sato"])
    miyagi = assigned["proposals"]["miyagi"]
    assert c.get(f"/review/proposals/{miyagi.pk}/").status_code == 404
    assert c.post(f"/review/proposals/{miyagi.pk}/discussion/", {"text": "x"}).status_code == 404
    assert miyagi.title not in c.get("/review/").content.decode()
    assert miyagi.title not in c.get("/review/conflicts/declare/").content.decode()


def test_declare_conflict_page(assigned):
    tanaka = assigned["reviewers"]["tanaka"]
    kinki = assigned["proposals"]["kinki"]
    c = login(tanaka)
    response = c.post(
        "/review/conflicts/declare/",
        {"proposal": kinki.pk, "kind": "personal", "reason": "親族が参画企業に勤務"},
    )
    assert response.status_code == 302
    assert c.get(f"/review/proposals/{kinki.pk}/").status_code == 404


def test_chair_and_officer_boards(assigned):
    call = assigned["call"]
    for user in (assigned["chair"], assigned["officer"]):
        c = login(user)
        assert c.get(f"/review/calls/{call.pk}/").status_code == 200
        assert c.get(f"/review/calls/{call.pk}/ranking/").status_code == 200
        assert c.get(f"/review/calls/{call.pk}/ranking/?normalised=1").status_code == 200
    reviewer = login(assigned["reviewers"]["tanaka"])
    assert reviewer.get(f"/review/calls/{call.pk}/").status_code == 403
    assert reviewer.get(f"/review/calls/{call.pk}/ranking/").status_code == 403
    officer = login(assigned["officer"])
    response = officer.post(
        f"/review/calls/{call.pk}/assign/", {"reviewers_per_proposal": 1, "max_load": 1}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(proposal__call=call).count() == 4


def test_review_page_holds_the_dossier_and_ranking_starts_empty(assigned):
    tanaka = assigned["reviewers"]["tanaka"]
    a = Assignment.objects.filter(reviewer=tanaka).order_by("pk").first()
    proposal = a.proposal
    proposal.content = {
        **proposal.content,
        "requested_yen": 2_500_000_000,
        "sections": {"purpose": "目的の本文", "activity_plan": "活動の本文"},
        "goals": [{"kpi": "joint_research_projects", "fiscal_year": 2013, "target": 1200}],
        "funding_plan": [{"fiscal_year": 2011, "revenue_yen": {"usage_fees": 3_000_000},
                          "cost_yen": {"personnel": 2_000_000}}],
        "equipment_plan": [{"name": "電子顕微鏡", "category": "分析", "cost_yen": 150_000_000}],
    }  # fmt: skip
    proposal.category = "concept"
    proposal.save(update_fields=["content", "category"])
    call = proposal.call
    call.categories = [{"key": "concept", "label_ja": "構想支援地域", "label_en": "Concept"}]
    call.save(update_fields=["categories"])
    c = login(tanaka)
    page = c.get(f"/review/reviews/{a.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<dd>構想支援地域</dd>" in page  # the category by its name, never its key
    for text in ("目的の本文", "① 目的", "③ 活動計画", "共同研究件数", "1,200", "¥3,000,000",
                 "電子顕微鏡", "¥150,000,000", "¥2,500,000,000", f"/proposals/{proposal.pk}/pdf/"):  # fmt: skip
        assert text in page, text
    chair = login(assigned["chair"])
    ranking = chair.get(f"/review/calls/{assigned['call'].pk}/ranking/").content.decode()
    assert '<option value="" selected>' in ranking
    assert 'value="adopt" selected' not in ranking  # never 採択 by default
    assert 'data-testid="short-of-reviews"' in ranking  # nothing submitted yet
