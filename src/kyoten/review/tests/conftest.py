"""Fixtures of the review tests: a call with proposals, a review committee, open phases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.models import Organisation, User
from kyoten.review import services
from kyoten.review.enums import CommitteeKind, MemberRole, PhaseKind


def make_call(title="平成21年度 地域産学官共同研究拠点整備事業", code="review-test"):
    from kyoten.calls.models import Call, Program

    program = Program.objects.order_by("pk").first()
    return Call.objects.create(
        program=program,
        code=code,
        title=title,
        opens_at=dt.datetime(2009, 7, 31, tzinfo=dt.UTC),
        deadline=dt.datetime(2009, 8, 20, 8, tzinfo=dt.UTC),
        budget_yen=69_500_000_000,
        cap_yen=3_000_000_000,
        designated_city_reference_date=dt.date(2009, 7, 31),
        review_criteria=program.review_criteria,
        status="review",
    )


def make_proposal(call, *, title, prefectures, university=None, industry=None, keywords=()):
    from kyoten.proposals.models import Proposal

    content = {
        "title": title,
        "lead_prefecture": prefectures[0],
        "prefectures": list(prefectures),
        "signatories": {
            "governor": {"name": "知事"},
            "university_head": {"name": "学長", "organization": university or ""},
            "industry": {"name": "会長", "organization": industry or ""},
        },
        "keywords": list(keywords),
    }
    applicant = User.objects.get_or_create(
        username=f"pref-{prefectures[0]}", defaults={"role": Role.APPLICANT}
    )[0]
    proposal = Proposal.objects.create(
        call=call,
        title=title,
        content=content,
        status="submitted",
        lead_prefecture_id=prefectures[0],
        created_by=applicant,
    )
    proposal.prefectures.set(prefectures)
    return proposal


def open_every_phase(call, *, by) -> None:
    """Every review phase of `call` open from yesterday for ten days."""
    now = timezone.now()
    for kind in PhaseKind.values:
        services.phase_set(
            call=call,
            kind=kind,
            starts_at=now - dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=10),
            by=by,
        )


def make_user(username, role=Role.REVIEWER, *, organisation=None, prefecture=None):
    org = None
    if organisation:
        org, _ = Organisation.objects.get_or_create(
            name=organisation, kind=OrganisationKind.UNIVERSITY
        )
    return User.objects.create(
        username=username, role=role, organisation=org, prefecture_id=prefecture
    )


@pytest.fixture
def officer(db):
    return make_user("officer", Role.OFFICER)


@pytest.fixture
def world(db, officer):
    """Call, 4 proposals, a review committee of 4 members + chair, phases open now."""
    call = make_call()
    proposals = {
        "hokkaido": make_proposal(
            call,
            title="北海道 食と健康拠点",
            prefectures=["01"],
            university="北海道大学",
            keywords=["食品", "医療"],
        ),
        "miyagi": make_proposal(
            call,
            title="宮城 材料拠点",
            prefectures=["04"],
            university="東北大学",
            keywords=["材料", "半導体"],
        ),
        "tokyo": make_proposal(
            call,
            title="東京 医療機器拠点",
            prefectures=["13"],
            university="東京大学",
            keywords=["医療", "材料"],
        ),
        "kinki": make_proposal(
            call,
            title="京都・大阪 広域連携拠点",
            prefectures=["26", "27"],
            university="京都大学",
            keywords=["半導体", "AI"],
        ),
    }
    committee = services.committee_create(
        kind=CommitteeKind.REVIEW,
        name="審査委員会",
        term_start=dt.date(2009, 4, 1),
        call=call,
        by=officer,
    )
    reviewers = {
        "sato": make_user("sato", organisation="東北大学", prefecture="04"),
        "suzuki": make_user("suzuki", organisation="東京大学", prefecture="13"),
        "tanaka": make_user("tanaka", organisation="名古屋大学", prefecture="23"),
        "ito": make_user("ito", organisation="九州大学", prefecture="40"),
    }
    keywords = {"sato": ["材料"], "suzuki": ["医療"], "tanaka": ["半導体", "AI"], "ito": ["食品"]}
    for key, user in reviewers.items():
        services.committee_member_add(
            committee=committee, user=user, keywords=keywords[key], by=officer
        )
    chair = make_user("chair", Role.CHAIR, organisation="慶應義塾大学", prefecture="14")
    services.committee_member_add(
        committee=committee, user=chair, role=MemberRole.CHAIR, by=officer
    )
    open_every_phase(call, by=officer)
    return {
        "call": call,
        "proposals": proposals,
        "committee": committee,
        "reviewers": reviewers,
        "chair": chair,
        "officer": officer,
    }
