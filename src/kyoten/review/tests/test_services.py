"""Committees (R-10), conflicts, visibility, the assignment button, scores and ranking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.core.enums import Role
from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.review import selectors, services
from kyoten.review.enums import CommitteeKind, ConflictKind, PhaseKind, ReviewStatus
from kyoten.review.models import Assignment, ConflictOfInterest, Membership, Score
from kyoten.review.tests.conftest import make_user

ALL_FOUR = {"purpose_goals": 4, "activity_plan": 4, "sustainability": 4, "regional_innovation": 4,
            "regional_growth": 4}  # fmt: skip


def test_r10_nobody_on_both_committees(world, officer):
    promotion = services.committee_create(
        kind=CommitteeKind.PROMOTION, name="推進委員会", term_start=dt.date(2010, 4, 1), by=officer
    )
    with pytest.raises(DomainError) as exc:
        services.committee_member_add(
            committee=promotion, user=world["reviewers"]["sato"], by=officer
        )
    assert (exc.value.rule, exc.value.field) == ("R-10", "user")
    assert exc.value.message == (
        "sato はすでに審査委員会の委員です。審査委員会と推進委員会の両方の委員になることはできません"
    )
    assert not Membership.objects.filter(committee=promotion).exists()
    # And the other way round.
    member = make_user("yoshida", Role.COMMITTEE)
    services.committee_member_add(committee=promotion, user=member, by=officer)
    with pytest.raises(DomainError) as exc:
        services.committee_member_add(committee=world["committee"], user=member, by=officer)
    assert exc.value.rule == "R-10"


def test_only_officer_manages_committees(world):
    with pytest.raises(Forbidden):
        services.committee_member_add(
            committee=world["committee"], user=make_user("x"), by=world["chair"]
        )


def test_one_chair(world, officer):
    with pytest.raises(DomainError) as exc:
        services.committee_member_add(
            committee=world["committee"], user=make_user("x"), role="chair", by=officer
        )
    assert exc.value.field == "role"


def detected(world):
    return sorted(
        (c.reviewer.username, c.proposal.title, c.kind, c.source)
        for c in ConflictOfInterest.objects.filter(active=True)
    )


def test_conflicts_detected_from_data(world):
    services.conflicts_detect(call=world["call"])
    assert detected(world) == [
        ("sato", "宮城 材料拠点", ConflictKind.ORGANISATION, "detected"),
        ("sato", "宮城 材料拠点", ConflictKind.PREFECTURE, "detected"),
        ("suzuki", "東京 医療機器拠点", ConflictKind.ORGANISATION, "detected"),
        ("suzuki", "東京 医療機器拠点", ConflictKind.PREFECTURE, "detected"),
    ]
    # Running again changes nothing.
    services.conflicts_detect(call=world["call"])
    assert len(detected(world)) == 4


def test_joint_work_tie_is_a_conflict(world):
    from kyoten.core.models import Organisation
    from kyoten.review.models import ReviewerTie

    ReviewerTie.objects.create(
        user=world["reviewers"]["tanaka"],
        organisation=Organisation.objects.get_or_create(name="京都大学", kind="university")[0],
        kind=ReviewerTie.Kind.JOINT_WORK,
        description="共同研究 2007–2008",
    )
    services.conflicts_detect(call=world["call"])
    assert ("tanaka", "京都・大阪 広域連携拠点", ConflictKind.JOINT_WORK, "detected") in detected(
        world
    )


def test_conflicted_reviewer_sees_nothing(world):
    services.conflicts_detect(call=world["call"])
    sato = world["reviewers"]["sato"]
    miyagi = world["proposals"]["miyagi"]
    visible = list(selectors.proposals_known_to(sato, world["call"]))
    assert miyagi not in visible
    assert len(visible) == 3
    with pytest.raises(NotFound):
        selectors.get_proposal_for_reviewer(sato, miyagi.pk)
    with pytest.raises(NotFound):
        selectors.get_proposal_for_reviewer(sato, 999999)
    with pytest.raises(NotFound):
        selectors.reviews_of_proposal(sato, miyagi)
    with pytest.raises(NotFound):
        selectors.discussion_of(sato, miyagi)
    # The officer and other members see it; an outsider sees nothing.
    assert miyagi in selectors.proposals_known_to(world["officer"], world["call"])
    assert miyagi in selectors.proposals_known_to(world["reviewers"]["tanaka"], world["call"])
    outsider = make_user("outsider")
    assert list(selectors.proposals_known_to(outsider, world["call"])) == []


def test_declared_conflict_removes_the_assignment_and_hides(world, officer):
    tanaka = world["reviewers"]["tanaka"]
    kinki = world["proposals"]["kinki"]
    services.assignment_add(proposal=kinki, reviewer=tanaka, by=officer)
    services.conflict_declare(
        reviewer=tanaka, proposal=kinki, kind=ConflictKind.PERSONAL, reason="兄が参画企業の役員"
    )
    assert not Assignment.objects.filter(reviewer=tanaka, proposal=kinki).exists()
    with pytest.raises(NotFound):
        selectors.get_proposal_for_reviewer(tanaka, kinki.pk)
    # Declaring again on a hidden proposal: 404 as well (it does not exist for them).
    with pytest.raises(NotFound):
        services.conflict_declare(
            reviewer=tanaka, proposal=kinki, kind=ConflictKind.OTHER, reason="x"
        )


def test_officer_dismisses_a_detection_and_it_stays_dismissed(world, officer):
    services.conflicts_detect(call=world["call"])
    record = ConflictOfInterest.objects.get(
        reviewer=world["reviewers"]["sato"], kind=ConflictKind.PREFECTURE
    )
    services.conflict_decide(conflict=record, in_force=False, by=officer)
    services.conflicts_detect(call=world["call"])
    record.refresh_from_db()
    assert (record.active, record.pinned, record.confirmed) == (False, True, True)
    # The organisation conflict still hides the proposal.
    with pytest.raises(NotFound):
        selectors.get_proposal_for_reviewer(
            world["reviewers"]["sato"], world["proposals"]["miyagi"].pk
        )


def assignment_pairs(call):
    return sorted(
        (a.proposal.title, a.reviewer.username)
        for a in Assignment.objects.filter(proposal__call=call).select_related(
            "proposal", "reviewer"
        )
    )


def test_assignment_button_is_optimal_and_conflict_free(world, officer):
    run, result = services.assignment_solve(
        call=world["call"], reviewers_per_proposal=1, max_load=1, by=officer
    )
    assert (run.status, result.status) == ("optimal", "optimal")
    # Each proposal gets its best non-conflicted reviewer: sato→東京 (材料), suzuki→北海道 (医療),
    # tanaka→京都・大阪 (半導体, AI), ito→宮城 (the only one left).
    assert assignment_pairs(world["call"]) == [
        ("京都・大阪 広域連携拠点", "tanaka"),
        ("北海道 食と健康拠点", "suzuki"),
        ("宮城 材料拠点", "ito"),
        ("東京 医療機器拠点", "sato"),
    ]
    assert run.affinity == 2.0  # 1/2 + 1/2 + 1 + 0


def test_assignment_button_explains_infeasibility_and_changes_nothing(world, officer):
    services.assignment_add(
        proposal=world["proposals"]["tokyo"], reviewer=world["reviewers"]["sato"], by=officer
    )
    run, result = services.assignment_solve(
        call=world["call"], reviewers_per_proposal=4, max_load=4, by=officer
    )
    assert run.status == "infeasible"
    assert "宮城 材料拠点 (P" in run.reason and "only 3 conflict-free reviewers" in run.reason
    assert assignment_pairs(world["call"]) == [("東京 医療機器拠点", "sato")]


def test_pins_and_forbidden_pairs_are_respected(world, officer):
    p = world["proposals"]
    r = world["reviewers"]
    services.assignment_add(proposal=p["hokkaido"], reviewer=r["tanaka"], by=officer)
    services.pair_forbid(proposal=p["kinki"], reviewer=r["tanaka"], by=officer)
    services.assignment_solve(call=world["call"], reviewers_per_proposal=1, max_load=1, by=officer)
    pairs = assignment_pairs(world["call"])
    assert ("北海道 食と健康拠点", "tanaka") in pairs
    assert ("京都・大阪 広域連携拠点", "tanaka") not in pairs
    assert len(pairs) == 4


def test_assignment_add_refuses_a_conflicted_pair(world, officer):
    services.conflicts_detect(call=world["call"])
    with pytest.raises(DomainError) as exc:
        services.assignment_add(
            proposal=world["proposals"]["miyagi"], reviewer=world["reviewers"]["sato"], by=officer
        )
    assert exc.value.field == "reviewer"


@pytest.fixture
def assigned(world, officer):
    services.assignment_solve(call=world["call"], reviewers_per_proposal=2, max_load=2, by=officer)
    return world


def review_of(world, username, proposal_key):
    return Assignment.objects.get(
        reviewer__username=username, proposal=world["proposals"][proposal_key]
    )


def test_score_scale_and_unknown_criterion_save_nothing(assigned):
    a = Assignment.objects.filter(reviewer__username="tanaka").first()
    by = a.reviewer
    with pytest.raises(DomainError) as exc:
        services.review_save(assignment=a, by=by, scores={"purpose_goals": 4, "regional_growth": 6})
    assert (exc.value.field, exc.value.message) == (
        "scores.regional_growth",
        "6 は評点の範囲 1〜5 の外です",
    )
    with pytest.raises(DomainError) as exc:
        services.review_save(assignment=a, by=by, scores={"purpose_goals": 4.5})
    assert exc.value.field == "scores.purpose_goals"
    with pytest.raises(DomainError) as exc:
        services.review_save(assignment=a, by=by, scores={"beauty": 5})
    assert exc.value.field == "scores.beauty"
    assert not Score.objects.filter(assignment=a).exists()


def test_submit_needs_every_criterion_and_the_deadline(assigned):
    a = Assignment.objects.filter(reviewer__username="tanaka").first()
    by = a.reviewer
    services.review_save(assignment=a, by=by, scores={"purpose_goals": 5})
    with pytest.raises(DomainError) as exc:
        services.review_submit(assignment=a, by=by)
    assert exc.value.field == "scores.activity_plan"
    services.review_save(assignment=a, by=by, scores=ALL_FOUR, comment="良い")
    late = timezone.now() + dt.timedelta(days=11)
    with pytest.raises(DomainError) as exc:
        services.review_submit(assignment=a, by=by, now=late)
    assert "に締め切られました" in exc.value.message
    services.review_submit(assignment=a, by=by)
    a.refresh_from_db()
    assert a.status == ReviewStatus.SUBMITTED
    with pytest.raises(DomainError):
        services.review_save(assignment=a, by=by, scores={"purpose_goals": 1})


def test_someone_elses_review_is_not_found(assigned):
    a = Assignment.objects.filter(reviewer__username="tanaka").first()
    with pytest.raises(NotFound):
        services.review_save(
            assignment=a, by=assigned["reviewers"]["ito"], scores={"purpose_goals": 3}
        )


def test_others_scores_hidden_until_own_submitted(assigned):
    proposal = assigned["proposals"]["hokkaido"]
    first, second = Assignment.objects.filter(proposal=proposal).select_related("reviewer")
    services.review_save(assignment=first, by=first.reviewer, scores=ALL_FOUR)
    services.review_submit(assignment=first, by=first.reviewer)
    assert [a.reviewer for a in selectors.reviews_of_proposal(second.reviewer, proposal)] == [
        second.reviewer
    ]
    assert selectors.discussion_of(second.reviewer, proposal) == []
    with pytest.raises(Forbidden):
        services.discussion_post(proposal=proposal, by=second.reviewer, text="?")
    services.review_save(
        assignment=second, by=second.reviewer, scores={**ALL_FOUR, "regional_growth": 2}
    )
    services.review_submit(assignment=second, by=second.reviewer)
    assert len(selectors.reviews_of_proposal(second.reviewer, proposal)) == 2
    post = services.discussion_post(proposal=proposal, by=second.reviewer, text="成長性に疑問")
    assert selectors.discussion_of(first.reviewer, proposal) == [post]
    # The chair sees everything without reviewing.
    assert len(selectors.reviews_of_proposal(assigned["chair"], proposal)) == 2


def submit_all(world, values_by_reviewer):
    for a in Assignment.objects.filter(proposal__call=world["call"]).select_related("reviewer"):
        v = values_by_reviewer[a.reviewer.username]
        services.review_save(assignment=a, by=a.reviewer, scores={k: v for k in ALL_FOUR})
        services.review_submit(assignment=a, by=a.reviewer)


def test_ranking_raw_and_normalised(assigned):
    submit_all(assigned, {"sato": 5, "suzuki": 3, "tanaka": 4, "ito": 2})
    ranking = selectors.ranking_for_call(assigned["call"])
    assert [r.rank for r in ranking] == [1, 2, 3, 4]
    scores = [r.score for r in ranking]
    assert scores == sorted(scores, reverse=True)
    # Every reviewer gives one value everywhere: z-scores put them all at their mean, so the
    # normalised ranking is flat while raw scores are kept.
    normalised = selectors.ranking_for_call(assigned["call"], normalised=True)
    assert [r.raw_score for r in sorted(normalised, key=lambda r: r.proposal.pk)] == [
        r.raw_score for r in sorted(ranking, key=lambda r: r.proposal.pk)
    ]
    for line in ranking:
        values = [
            {"sato": 100.0, "suzuki": 60.0, "tanaka": 80.0, "ito": 40.0}[a.reviewer.username]
            for a in Assignment.objects.filter(proposal=line.proposal)
        ]
        assert line.score == pytest.approx(sum(values) / len(values))
        assert line.spread == pytest.approx(max(values) - min(values))


def test_decision_recorded_by_the_chair(assigned):
    submit_all(assigned, {"sato": 5, "suzuki": 3, "tanaka": 4, "ito": 2})
    top = selectors.ranking_for_call(assigned["call"])[0].proposal
    with pytest.raises(Forbidden):
        services.decision_record(
            call=assigned["call"], by=assigned["reviewers"]["sato"], recommendations={}
        )
    decision = services.decision_record(
        call=assigned["call"],
        by=assigned["chair"],
        recommendations={top.pk: ("adopt", "計画が明確")},
        notes="第3回審査委員会",
    )
    items = list(decision.items.order_by("rank"))
    # nothing is assumed: the proposals the chair left empty stay undecided
    assert [(i.rank, i.recommendation) for i in items] == [(1, "adopt")]
    assert items[0].reason == "計画が明確"
    lines = selectors.ranking_for_call(assigned["call"])
    assert [line.recommendation for line in lines] == ["adopt", "", "", ""]
    second = lines[1].proposal
    later = services.decision_record(
        call=assigned["call"],
        by=assigned["chair"],
        recommendations={second.pk: ("reject", "持続性に乏しい"), top.pk: ("", "")},
    )
    assert sorted((i.rank, i.recommendation) for i in later.items.all()) == [
        (1, "adopt"),  # kept from the earlier record
        (2, "reject"),
    ]


def test_outliers_use_the_median():
    assert selectors.outliers_among([80.0, 82.0]) == []  # two reviews: no mark
    assert selectors.outliers_among([80.0, 82.0, 50.0]) == [2]
    assert selectors.outliers_among([80.0, 70.0, 60.0]) == []
    assert selectors.outliers_among([90.0, 70.0, 50.0]) == [0, 2]
    assert selectors.outliers_among([75.0, 80.0, 78.0, 30.0, 77.0]) == [3]


def test_phase_closed_refuses_scoring(world, officer):
    now = timezone.now()
    services.phase_set(
        call=world["call"],
        kind=PhaseKind.SCORING,
        starts_at=now - dt.timedelta(days=5),
        ends_at=now - dt.timedelta(days=1),
        by=officer,
    )
    a = services.assignment_add(
        proposal=world["proposals"]["tokyo"], reviewer=world["reviewers"]["tanaka"], by=officer
    )
    with pytest.raises(DomainError) as exc:
        services.review_save(assignment=a, by=a.reviewer, scores={"purpose_goals": 3})
    assert "に締め切られました" in exc.value.message


def test_r10_catches_a_second_account_of_the_same_person(world, officer):
    sato = world["reviewers"]["sato"]
    sato.email = "sato@tohoku.example.jp"
    sato.save(update_fields=["email"])
    promotion = services.committee_create(
        kind=CommitteeKind.PROMOTION, name="推進委員会", term_start=dt.date(2010, 4, 1), by=officer
    )
    second = make_user("sato2", Role.COMMITTEE)
    second.email = "SATO@tohoku.example.jp "
    second.save(update_fields=["email"])
    with pytest.raises(DomainError) as exc:
        services.committee_member_add(committee=promotion, user=second, by=officer)
    assert (exc.value.rule, exc.value.field) == ("R-10", "user")
    assert "sato" in exc.value.message
    assert not Membership.objects.filter(committee=promotion).exists()
