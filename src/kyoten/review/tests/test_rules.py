"""Permission predicates, each with the owner, a colleague, an outsider and a conflicted reviewer."""

from __future__ import annotations

import pytest
from django.test import Client

from kyoten.core.enums import Role
from kyoten.review import services
from kyoten.review.models import Assignment
from kyoten.review.tests.conftest import make_user


@pytest.fixture
def people(world, officer):
    services.assignment_solve(call=world["call"], reviewers_per_proposal=2, max_load=2, by=officer)
    services.conflicts_detect(call=world["call"])
    return world


def test_score_only_own_review(people):
    a = Assignment.objects.filter(reviewer__username="tanaka").first()
    owner = people["reviewers"]["tanaka"]
    colleague = people["reviewers"]["ito"]
    outsider = make_user("pref13", Role.APPLICANT)
    assert [u.has_perm("review.score", a) for u in (owner, colleague, outsider)] == [
        True,
        False,
        False,
    ]


def test_ranking_for_chair_and_officer_only(people):
    call = people["call"]
    who = [people["chair"], people["officer"], people["reviewers"]["sato"], make_user("x")]
    assert [u.has_perm("review.view_ranking", call) for u in who] == [True, True, False, False]


def test_declare_conflict_only_members(people):
    call = people["call"]
    who = [people["reviewers"]["sato"], people["chair"], make_user("x", Role.REVIEWER)]
    assert [u.has_perm("review.declare_conflict", call) for u in who] == [True, True, False]


def test_non_review_roles_get_403_on_review_pages(people):
    c = Client()
    c.force_login(make_user("pref13", Role.APPLICANT))
    assert c.get("/review/").status_code == 403
    assert c.get("/review/conflicts/declare/").status_code == 403
