"""Publishing the decision tells each applicant their outcome, with the amount."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kyoten.allocation import services
from kyoten.allocation.reasons import reason_text
from kyoten.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_publishing_the_decision_tells_each_applicant(client, world, make_user):
    tokyo = world["tokyo"].created_by
    tokyo.email = "pref13@example.jp"
    tokyo.save()
    osaka = make_user("applicant", prefecture="27", email="pref27@example.jp")
    kyoto = make_user("applicant", prefecture="26", email="pref26@example.jp")
    hokkaido = make_user("applicant", prefecture="01", email="pref01@example.jp")
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    awards = {a["id"]: a["amount_yen"] for a in run.result["awards"]}
    with translation.override("ja"):
        reasons = {m["id"]: reason_text(m) for m in run.result["unfunded"]}
    key = {pk: k for k, pk in run.proposal_map.items()}
    client.force_login(world["officer"])
    client.post(reverse("allocation:adopt", args=[run.pk]))
    assert Notice.objects.count() == 0  # adopted, not yet published: nobody is told
    client.post(reverse("allocation:publish", args=[world["call"].pk]))

    def texts(user):
        return list(Notice.objects.filter(recipient=user).values_list("text_ja", flat=True))

    def expected(proposal) -> list[str]:
        amount = awards.get(key[proposal.pk])
        if amount is None:
            return [f"「{proposal.title}」の審査結果：不採択（{reasons[key[proposal.pk]]}）。"]
        return [
            f"「{proposal.title}」の審査結果：採択、配分額 ¥{amount:,}。採択通知書は提案のページにあります。"
        ]

    assert len(awards) == 2  # the optimum funds two of the three selectable proposals
    assert texts(tokyo) == expected(world["tokyo"])
    assert texts(osaka) == texts(kyoto) == expected(world["osaka"])
    assert texts(hokkaido) == expected(world["hokkaido"])
    assert {m.to[0] for m in mail.outbox} == {
        "pref13@example.jp", "pref27@example.jp", "pref26@example.jp", "pref01@example.jp",
    }  # fmt: skip
    # publishing again tells nobody twice
    client.post(reverse("allocation:publish", args=[world["call"].pk]))
    assert Notice.objects.filter(kind="decision_published").count() == 4


def test_the_outcome_is_private_until_published_then_the_letter(client, world, make_user):
    from django.test import Client

    applicant = world["tokyo"].created_by
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    client.force_login(world["officer"])
    client.post(reverse("allocation:adopt", args=[run.pk]))
    tokyo = world["tokyo"]
    tokyo.refresh_from_db()
    assert tokyo.status == "adopted"

    mine = Client()
    mine.force_login(applicant)
    page = mine.get(f"/proposals/{tokyo.pk}/").content.decode()
    assert "<strong>審査中</strong>" in page and "採否通知書" not in page
    assert "審査中" in mine.get("/proposals/").content.decode()
    assert mine.get(f"/api/v1/proposals/{tokyo.pk}").json()["status"] == "submitted"
    assert mine.get(f"/allocation/letters/{tokyo.pk}.pdf").status_code == 404
    # the officer sees the decision and the letter before publishing
    assert client.get(f"/allocation/letters/{tokyo.pk}.pdf").status_code == 200

    client.post(reverse("allocation:publish", args=[world["call"].pk]))
    page = mine.get(f"/proposals/{tokyo.pk}/").content.decode()
    assert "<strong>採択</strong>" in page and "採否通知書（PDF）" in page
    assert mine.get(f"/api/v1/proposals/{tokyo.pk}").json()["status"] == "adopted"
    letter = mine.get(f"/allocation/letters/{tokyo.pk}.pdf")
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF-")
    # an applicant of another prefecture never gets it
    other = Client()
    other.force_login(make_user("applicant", prefecture="27"))
    assert other.get(f"/allocation/letters/{tokyo.pk}.pdf").status_code == 404


def test_a_proposal_the_committee_did_not_recommend_is_told_why(client, world, make_user):
    """Left out of the run's inputs (不採択 recommended), it is still decided by the adopted run:
    not adopted, told on publication with the reason in Japanese, and given its letter."""
    import datetime as dt

    from django.test import Client

    from kyoten.review.models import Committee, CommitteeDecision, DecisionItem

    committee = Committee.objects.create(
        kind="review", name="審査委員会", call=world["call"], term_start=dt.date(2009, 4, 1)
    )
    record = CommitteeDecision.objects.create(
        call=world["call"], committee=committee, decided_by=world["officer"]
    )
    DecisionItem.objects.create(decision=record, proposal=world["osaka"], rank=2, score=80.0,
                                recommendation="reject", reason="持続性に乏しい")  # fmt: skip
    osaka = make_user("applicant", prefecture="27", email="pref27@example.jp")
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    assert [e["reason_code"] for e in run.inputs["excluded"]] == ["not_recommended"]
    client.force_login(world["officer"])
    client.post(reverse("allocation:adopt", args=[run.pk]))
    world["osaka"].refresh_from_db()
    assert world["osaka"].status == "not_adopted"
    client.post(reverse("allocation:publish", args=[world["call"].pk]))

    assert list(Notice.objects.filter(recipient=osaka).values_list("text_ja", flat=True)) == [
        "「大阪 電池」の審査結果：不採択（審査委員会が採択を推薦していない（不採択））。"
    ]
    assert "pref27@example.jp" in {m.to[0] for m in mail.outbox}
    mine = Client()
    mine.force_login(osaka)
    page = mine.get(f"/proposals/{world['osaka'].pk}/").content.decode()
    assert "<strong>不採択</strong>" in page and "採否通知書（PDF）" in page
    letter = mine.get(f"/allocation/letters/{world['osaka'].pk}.pdf")
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF-")
