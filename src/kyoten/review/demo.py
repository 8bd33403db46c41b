"""Demo: the review committee of the demo call (reviewer1..9 + chair), the promotion committee
(`committee`), conflicts detected and declared, the optimal assignment, and scores."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from kyoten.core.enums import OrganisationKind
from kyoten.core.models import Organisation, User
from kyoten.review import selectors, services
from kyoten.review.criteria import criteria_for_call
from kyoten.review.enums import CommitteeKind, ConflictKind, MemberRole, PhaseKind
from kyoten.review.models import Assignment, ReviewerTie

EXPERTISE = {
    "reviewer1": ["材料", "金属", "セラミックス", "ナノ", "加工"],
    "reviewer2": ["医療", "創薬", "バイオ", "ゲノム", "健康"],
    "reviewer3": ["自動車", "機械", "ロボット", "ものづくり", "精密"],
    "reviewer4": ["化学", "繊維", "環境", "材料", "分析"],
    "reviewer5": ["半導体", "光", "量子", "電子", "計測"],
    "reviewer6": ["エネルギー", "水素", "電池", "環境", "防災"],
    "reviewer7": ["食品", "農業", "水産", "健康", "海洋"],
    "reviewer8": ["情報", "AI", "画像", "デザイン", "観光"],
    "reviewer9": ["ものづくり", "電子", "情報", "エネルギー", "介護"],
}
COMMENTS = {
    5: "目標と活動計画が具体的で、地域の強みを的確に生かしている。",
    4: "全体として妥当。運営資金計画の裏付けをもう少し示してほしい。",
    3: "方向性は理解できるが、10年後の自立運営の見通しが弱い。",
    2: "既存施設との役割分担が不明確で、成果の波及が限定的と考えられる。",
    1: "計画の根拠が乏しい。",
}


def _demo_call():
    from kyoten.calls.models import Call

    best, best_n = None, 0
    for call in Call.objects.all():
        n = selectors.proposals_under_review(call).count()
        if n > best_n:
            best, best_n = call, n
    return best or Call.objects.filter(code="fy2009").first() or Call.objects.first()


def load(rng: random.Random) -> None:
    officer = User.objects.filter(username="officer").first()
    call = _demo_call()
    if officer is None or call is None:
        return
    today = timezone.localdate()
    review = services.committee_create(
        kind=CommitteeKind.REVIEW,
        name=f"{call.title} 審査委員会",
        term_start=today - dt.timedelta(days=60),
        term_end=today + dt.timedelta(days=300),
        call=call,
        by=officer,
    )
    promotion = services.committee_create(
        kind=CommitteeKind.PROMOTION,
        name="産学官イノベーション創出拠点推進委員会",
        term_start=today - dt.timedelta(days=60),
        term_end=today + dt.timedelta(days=2 * 365),
        by=officer,
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="reviewer")}
    for name in sorted(EXPERTISE):
        if name in users:
            services.committee_member_add(
                committee=review, user=users[name], keywords=EXPERTISE[name], by=officer
            )
    chair = User.objects.filter(username="chair").first()
    if chair:
        services.committee_member_add(
            committee=review, user=chair, role=MemberRole.CHAIR, by=officer
        )
    if "reviewer1" in users:
        # The deputy chair handles the proposals the chair has a conflict of interest with.
        services.committee_deputy_set(committee=review, user=users["reviewer1"], by=officer)
    member = User.objects.filter(username="committee").first()
    if member:
        services.committee_member_add(
            committee=promotion, user=member, role=MemberRole.CHAIR, by=officer
        )

    now = timezone.now()
    day = dt.timedelta(days=1)
    for kind, start, end in (
        (PhaseKind.CONFLICTS, now - 30 * day, now + 14 * day),
        (PhaseKind.SCORING, now - 20 * day, now + 14 * day),
        (PhaseKind.DISCUSSION, now - 20 * day, now + 21 * day),
        (PhaseKind.DECISION, now - 1 * day, now + 30 * day),
    ):
        services.phase_set(call=call, kind=kind, starts_at=start, ends_at=end, by=officer)

    # Recorded ties: earlier joint work and a second affiliation.
    if "reviewer5" in users:
        kyoto, _ = Organisation.objects.get_or_create(
            name="京都大学", kind=OrganisationKind.UNIVERSITY
        )
        ReviewerTie.objects.create(
            user=users["reviewer5"],
            organisation=kyoto,
            kind=ReviewerTie.Kind.JOINT_WORK,
            description="科研費 基盤研究(A) 共同研究 2006–2008年度",
        )
    if "reviewer3" in users:
        gifu, _ = Organisation.objects.get_or_create(
            name="岐阜大学", kind=OrganisationKind.UNIVERSITY
        )
        ReviewerTie.objects.create(
            user=users["reviewer3"],
            organisation=gifu,
            kind=ReviewerTie.Kind.AFFILIATION,
            description="客員教授（2008年度まで）",
        )

    services.conflicts_detect(call=call, by=officer)
    proposals = list(selectors.proposals_under_review(call))
    if not proposals:
        return
    # A declared conflict and one the officer sets.
    if "reviewer7" in users:
        visible = list(selectors.proposals_known_to(users["reviewer7"], call))
        if visible:
            services.conflict_declare(
                reviewer=users["reviewer7"],
                proposal=visible[len(visible) // 2],
                kind=ConflictKind.PERSONAL,
                reason="参画企業の技術顧問を務めている（2009年3月まで）",
            )
    if "reviewer9" in users:
        visible = list(selectors.proposals_known_to(users["reviewer9"], call))
        if len(visible) > 3:
            services.conflict_set(
                reviewer=users["reviewer9"],
                proposal=visible[3],
                kind=ConflictKind.PERSONAL,
                reason="所属企業が参画企業の主要取引先（事務局確認済み）",
                by=officer,
            )

    members = 9
    max_load = max(3, math.ceil(len(proposals) * 3 / members) + 2)
    run, result = services.assignment_solve(
        call=call, reviewers_per_proposal=3, max_load=max_load, by=officer
    )
    if run.status != "optimal":
        run, result = services.assignment_solve(
            call=call, reviewers_per_proposal=2, max_load=max_load + 3, by=officer
        )
    _scores(call, rng, now)


def _scores(call, rng: random.Random, now) -> None:
    """Most reviews submitted, some still drafts (reviewer2 is behind), a few discussions."""
    from kyoten.proposals.demo import review_quality
    from kyoten.review.models import DiscussionPost, Score

    criteria = criteria_for_call(call)
    quality = {}
    bias = {}
    scores = []
    assignments = list(
        Assignment.objects.filter(proposal__call=call).select_related("reviewer", "proposal__call")
    )
    for a in assignments:
        if a.proposal_id not in quality:  # the 2009 story decides who is strong or weak
            quality[a.proposal_id] = review_quality(a.proposal, rng.gauss(3.6, 0.6))
        q = quality[a.proposal_id]
        b = bias.setdefault(a.reviewer_id, rng.gauss(0.0, 0.35))
        behind = a.reviewer.username == "reviewer2" and rng.random() < 0.6
        draft = behind or rng.random() < 0.12
        if behind and rng.random() < 0.5:
            continue  # not started
        for c in criteria:
            value = round(q + b + rng.gauss(0, 0.5))
            value = min(c.scale_max, max(c.scale_min, value))
            scores.append(
                Score(
                    assignment=a,
                    criterion=c.key,
                    value=value,
                    comment=COMMENTS[value] if rng.random() < 0.4 else "",
                )
            )
        if not draft:
            a.status = "submitted"
            a.submitted_at = now - dt.timedelta(hours=rng.randint(1, 200))
            a.comment = COMMENTS[min(5, max(1, round(q + b)))]
    # Every proposal gets at least one submitted review (a score for the ranking).
    scored = {score.assignment_id for score in scores}
    done = {a.proposal_id for a in assignments if a.status == "submitted"}
    for a in assignments:
        if a.proposal_id not in done and a.pk in scored:
            a.status = "submitted"
            a.submitted_at = now - dt.timedelta(hours=rng.randint(1, 200))
            a.comment = COMMENTS[
                min(5, max(1, round(quality[a.proposal_id] + bias[a.reviewer_id])))
            ]
            done.add(a.proposal_id)
    Score.objects.bulk_create(scores)
    Assignment.objects.bulk_update(assignments, ["status", "submitted_at", "comment"])
    posts = []
    done = [a for a in assignments if a.status == "submitted"]
    for a in done[:: max(1, len(done) // 6)][:6]:
        posts.append(
            DiscussionPost(
                proposal=a.proposal,
                author=a.reviewer,
                text=rng.choice(
                    [
                        "運営資金の自立化計画について、他の委員のご意見を伺いたい。",
                        "設備の共用方針は妥当だが、中小企業の利用促進策が具体的でない。",
                        "地域の既存施設との役割分担が明確で、高く評価できる。",
                    ]
                ),
                created_at=now - dt.timedelta(hours=rng.randint(1, 48)),
            )
        )
    DiscussionPost.objects.bulk_create(posts)
