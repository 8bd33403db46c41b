"""Fixtures of the allocation tests: a call with submitted proposals and their scores."""

from __future__ import annotations

import datetime as dt

import pytest

OKU = 100_000_000


def make_call(code="alloc-test", budget_yen=50 * OKU, cap_yen=30 * OKU):
    from kyoten.calls.models import Call, Program

    program = Program.objects.order_by("pk").first()
    return Call.objects.create(
        program=program,
        code=code,
        title="平成21年度 地域産学官共同研究拠点整備事業",
        opens_at=dt.datetime(2009, 7, 31, tzinfo=dt.UTC),
        deadline=dt.datetime(2009, 8, 20, 8, tzinfo=dt.UTC),
        budget_yen=budget_yen,
        cap_yen=cap_yen,
        designated_city_reference_date=dt.date(2009, 7, 31),
        review_criteria=program.review_criteria,
        status="review",
    )


def make_proposal(call, *, title, prefectures, requested_yen, by, options=None, status="submitted"):
    from kyoten.proposals.models import Proposal

    content = {"title": title, "lead_prefecture": prefectures[0], "prefectures": prefectures}
    if options:
        content["allocation_options"] = options
    proposal = Proposal.objects.create(
        call=call,
        title=title,
        content=content,
        status=status,
        lead_prefecture_id=prefectures[0],
        requested_yen=requested_yen,
        created_by=by,
    )
    proposal.prefectures.set(prefectures)
    return proposal


@pytest.fixture
def officer(make_user):
    return make_user("officer", username="officer")


@pytest.fixture
def world(make_user, officer):
    """A call of ¥50 億 with four proposals: Tokyo (reduced plan offered), Osaka, Hokkaido,
    Kanagawa (returned, so not selectable), and their scores."""
    applicant = make_user("applicant", username="pref-13", prefecture="13")
    call = make_call()
    tokyo = make_proposal(
        call,
        title="東京 医療機器",
        prefectures=["13"],
        requested_yen=30 * OKU,
        by=applicant,
        options=[
            {"label": "full", "amount_yen": 30 * OKU},
            {"label": "reduced", "amount_yen": 20 * OKU},
        ],
    )
    osaka = make_proposal(
        call, title="大阪 電池", prefectures=["27", "26"], requested_yen=25 * OKU, by=applicant
    )
    hokkaido = make_proposal(
        call, title="北海道 食品", prefectures=["01"], requested_yen=10 * OKU, by=applicant
    )
    returned = make_proposal(
        call,
        title="神奈川 ロボット",
        prefectures=["14"],
        requested_yen=5 * OKU,
        by=applicant,
        status="returned",
    )
    scores = {tokyo.pk: 90.0, osaka.pk: 80.0, hokkaido.pk: 50.0, returned.pk: 99.0}
    return {
        "call": call,
        "tokyo": tokyo,
        "osaka": osaka,
        "hokkaido": hokkaido,
        "returned": returned,
        "scores": scores,
        "officer": officer,
    }
