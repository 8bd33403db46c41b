"""The review part of the demo: committee, conflicts, a full optimal assignment, scores."""

from __future__ import annotations

import random

from kyoten.core.enums import Role
from kyoten.review import demo, selectors
from kyoten.review.enums import CommitteeKind, MemberRole
from kyoten.review.models import Assignment, ConflictOfInterest, Membership
from kyoten.review.tests.conftest import make_call, make_proposal, make_user

UNIVERSITIES = {"01": "北海道大学", "04": "東北大学", "13": "東京大学", "23": "名古屋大学",
                "26": "京都大学", "27": "大阪大学", "34": "広島大学", "40": "九州大学",
                "21": "岐阜大学", "16": "富山大学", "38": "愛媛大学", "46": "鹿児島大学"}  # fmt: skip
TOPICS = ["材料", "医療", "食品", "半導体", "ロボット", "エネルギー", "情報", "化学"]


def test_demo_load(db):
    make_user("officer", Role.OFFICER)
    for n, (pref, univ) in enumerate(
        [("04", "東北大学"), ("13", "東京大学"), ("23", "名古屋大学"), ("26", "京都大学"),
         ("27", "大阪大学"), ("34", "広島大学"), ("40", "九州大学"), ("01", "北海道大学")],
        start=1,
    ):  # fmt: skip
        make_user(f"reviewer{n}", organisation=univ, prefecture=pref)
    make_user("reviewer9", organisation="株式会社日立製作所", prefecture="13")
    make_user("chair", Role.CHAIR, organisation="横浜国立大学", prefecture="14")
    make_user("committee", Role.COMMITTEE, organisation="岐阜大学", prefecture="22")
    call = make_call()
    for n, (pref, univ) in enumerate(UNIVERSITIES.items()):
        make_proposal(
            call,
            title=f"{univ} {TOPICS[n % len(TOPICS)]}拠点",
            prefectures=[pref],
            university=univ,
            keywords=[TOPICS[n % len(TOPICS)], TOPICS[(n + 3) % len(TOPICS)]],
        )
    demo.load(random.Random(1))

    review = Membership.objects.filter(kind=CommitteeKind.REVIEW)
    assert sorted(m.user.username for m in review) == ["chair"] + [
        f"reviewer{n}" for n in range(1, 10)
    ]
    assert review.get(role=MemberRole.CHAIR).user.username == "chair"
    assert [m.user.username for m in Membership.objects.filter(kind=CommitteeKind.PROMOTION)] == [
        "committee"
    ]
    conflicts = ConflictOfInterest.objects.filter(active=True)
    assert {c.source for c in conflicts} == {"detected", "declared", "officer"}
    assert conflicts.filter(kind="joint_work", reviewer__username="reviewer5").exists()
    # Every proposal has exactly 3 reviewers and none of them is conflicted.
    for proposal in selectors.proposals_under_review(call):
        reviewers = set(
            Assignment.objects.filter(proposal=proposal).values_list("reviewer_id", flat=True)
        )
        assert len(reviewers) == 3
        assert not conflicts.filter(proposal=proposal, reviewer_id__in=reviewers).exists()
    ranking = selectors.ranking_for_call(call)
    assert len(ranking) == len(UNIVERSITIES)
    assert sum(1 for line in ranking if line.score is not None) >= len(UNIVERSITIES) - 2
    assert Assignment.objects.filter(status="draft").exists()
