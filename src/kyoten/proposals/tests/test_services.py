"""Proposal services: create, update (voids signatures), sign, submit, return, amend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.calls.models import Call, CallStatus
from kyoten.core.dates import format_moment
from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.proposals.models import ProposalStatus, ProposalVersion
from kyoten.proposals.selectors import get_proposal_for, proposals_visible_to
from kyoten.proposals.services import (
    SubmissionRefused,
    call_amend,
    proposal_create,
    proposal_return,
    proposal_sign,
    proposal_submit,
    proposal_update,
    signature_request,
)

from .conftest import valid_document

pytestmark = pytest.mark.django_db


def test_default_program_and_call_exist():
    call = Call.objects.get(code="fy2009")
    assert (call.budget_yen, call.cap_yen, call.program.budget_yen) == (
        69_500_000_000, 3_000_000_000, 69_500_000_000,
    )  # fmt: skip
    assert call.settings().allowed_forms == ("new", "extension", "joint", "equipment_only")


def test_create_defaults_to_own_prefecture(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa)
    assert (p.lead_prefecture_id, [x.code for x in p.prefectures.all()], p.status) == (
        "14", ["14"], "draft",
    )  # fmt: skip
    assert p.content["call_date"] == "2009-08-01"


def test_create_for_another_prefecture_is_forbidden(open_call, kanagawa):
    with pytest.raises(Forbidden):
        proposal_create(
            call=open_call, by=kanagawa, content={"lead_prefecture": "13", "prefectures": ["13"]}
        )


def test_bad_content_names_the_field(open_call, kanagawa):
    with pytest.raises(DomainError) as caught:
        proposal_create(call=open_call, by=kanagawa, content=valid_document(requested_yen=1.5))
    assert (caught.value.field, caught.value.message) == (
        "requested_yen", "must be a non-negative integer number of yen",
    )  # fmt: skip


def test_submit_freezes_a_version_and_resubmit_makes_another(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    v1 = proposal_submit(proposal=p, by=kanagawa)
    p.refresh_from_db()
    assert (v1.number, p.status, v1.requested_yen) == (1, "submitted", 2_500_000_000)
    proposal_update(proposal=p, by=kanagawa, content=valid_document(requested_yen=2_000_000_000))
    v2 = proposal_submit(proposal=p, by=kanagawa)
    assert [(v.number, v.requested_yen) for v in p.versions.all()] == [
        (1, 2_500_000_000), (2, 2_000_000_000),
    ]  # fmt: skip
    assert v2.content["requested_yen"] == 2_000_000_000
    with pytest.raises(ValueError, match="immutable"):
        v1.save()


def test_submit_refused_with_rule_and_field(open_call, kanagawa):
    p = proposal_create(
        call=open_call, by=kanagawa, content=valid_document(requested_yen=4_000_000_000)
    )
    with pytest.raises(SubmissionRefused) as caught:
        proposal_submit(proposal=p, by=kanagawa)
    assert (caught.value.rule, caught.value.field) == ("R-8", "requested_yen")
    assert [f.rule for f in caught.value.findings] == ["R-8"]
    p.refresh_from_db()
    assert (p.status, ProposalVersion.objects.count()) == ("draft", 0)


def test_r1_against_submitted_proposals_of_the_call(open_call, kanagawa, tokyo):
    first = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=first, by=kanagawa)
    consortium = proposal_create(
        call=open_call, by=tokyo,
        content=valid_document(lead_prefecture="13", prefectures=["13", "14"],
                               partner_governors={"14": {"name": "神奈川県知事"}}),
    )  # fmt: skip
    with pytest.raises(SubmissionRefused) as caught:
        proposal_submit(proposal=consortium, by=tokyo)
    # Kanagawa has not agreed and already takes part elsewhere: both are named,
    # in an order the database may choose.
    assert ("R-1", "prefectures") in {(f.rule, f.field) for f in caught.value.findings}


def test_deadline_enforced_but_drafts_still_saved(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    late = open_call.deadline + dt.timedelta(seconds=1)
    proposal_update(proposal=p, by=kanagawa, content=valid_document(title="締切後も保存"), now=late)
    with pytest.raises(DomainError) as caught:
        proposal_submit(proposal=p, by=kanagawa, now=late)
    assert caught.value.field == "deadline"
    # The deadline as people write it (Japan time), not ISO.
    assert str(caught.value.message) == (
        f"この公募は現在提出を受け付けていません（締切 {format_moment(open_call.deadline)}）"
    )
    p.refresh_from_db()
    assert p.title == "締切後も保存"


def test_update_voids_signature(open_call, kanagawa, make_user):
    governor = make_user("signatory", username="governor14")
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    signature_request(proposal=p, by=kanagawa, role="governor", user=governor)
    sig = proposal_sign(proposal=p, by=governor, role="governor")
    assert sig.content_hash == p.content_hash
    _, voided = proposal_update(proposal=p, by=kanagawa, content=valid_document(title="変更"))
    assert [s.pk for s in voided] == [sig.pk]
    assert [(s.signed_at is None, s.voided_at is None) for s in p.signatures.order_by("pk")] == [
        (False, False), (True, True),
    ]  # fmt: skip
    assert list(proposals_visible_to(governor)) == [p]


def test_autosave_compare_and_set(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_update(proposal=p, by=kanagawa, content=valid_document(title="a"), expected_revision=0)
    with pytest.raises(Conflict):
        proposal_update(
            proposal=p, by=kanagawa, content=valid_document(title="b"), expected_revision=0
        )


def test_visibility_and_checked_fetch(open_call, kanagawa, tokyo, officer, make_user):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    assert list(proposals_visible_to(kanagawa)) == [p]
    assert list(proposals_visible_to(tokyo)) == []
    assert list(proposals_visible_to(officer, open_call)) == [p]
    assert list(proposals_visible_to(make_user("reviewer"))) == []
    with pytest.raises(NotFound):
        get_proposal_for(tokyo, p.pk)
    with pytest.raises(Forbidden):
        get_proposal_for(officer, p.pk, write=True)
    assert get_proposal_for(kanagawa, p.pk, write=True) == p


def test_return_for_correction_allows_resubmission_after_deadline(open_call, kanagawa, officer):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=p, by=kanagawa)
    later = open_call.deadline + dt.timedelta(days=1)
    proposal_return(proposal=p, by=officer, message="土地の面積を確認してください",
                    correction_deadline=later + dt.timedelta(days=3))  # fmt: skip
    p.refresh_from_db()
    assert (p.status, p.return_message) == ("returned", "土地の面積を確認してください")
    proposal_update(proposal=p, by=kanagawa, content=valid_document(title="修正版"), now=later)
    version = proposal_submit(proposal=p, by=kanagawa, now=later)
    assert version.number == 2


def test_call_amendment_rechecks_and_opens_a_round(open_call, kanagawa, tokyo, officer,
                                                   make_user):  # fmt: skip
    make_user("applicant", username="hokkaido-staff", prefecture="01")  # no proposal in the call
    building = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=building, by=kanagawa)
    equipment = proposal_create(
        call=open_call, by=tokyo,
        content=valid_document(lead_prefecture="13", prefectures=["13"], form="equipment_only",
                               requested_yen=800_000_000, designated_city_consultations=[],
                               existing_building={"name": "都産技研", "address": "江東区青海2-4-10"}),
    )  # fmt: skip
    proposal_submit(proposal=equipment, by=tokyo)
    round_deadline = timezone.now() + dt.timedelta(days=14)
    amendment = call_amend(
        call=open_call, by=officer, deadline=round_deadline, budget_yen=26_300_000_000,
        cap_yen=900_000_000, allowed_forms=["equipment_only"], message="新築は対象外となりました",
    )  # fmt: skip
    open_call.refresh_from_db()
    building.refresh_from_db()
    equipment.refresh_from_db()
    from kyoten.notices.models import Notice

    told = set(Notice.objects.filter(kind="call_amended").values_list("recipient__username",
                                                                      flat=True))  # fmt: skip
    assert told == {kanagawa.username, tokyo.username}  # the call's applicants, no one else
    assert (open_call.status, open_call.revision_round, amendment.round) == (
        CallStatus.REVISION,
        1,
        1,
    )
    assert amendment.changes["allowed_forms"] == [
        ["new", "extension", "joint", "equipment_only"], ["equipment_only"],
    ]  # fmt: skip
    assert building.status == ProposalStatus.RETURNED
    assert [(f["rule"], f["field"]) for f in building.recheck_findings] == [
        ("R-7", "form"), ("R-8", "requested_yen"),
    ]  # fmt: skip
    assert (equipment.status, equipment.recheck_findings) == (ProposalStatus.SUBMITTED, [])
    # The applicant revises in the round; version 1 stays readable.
    proposal_update(proposal=building, by=kanagawa, content=valid_document(
        form="equipment_only", requested_yen=700_000_000, land=None,
        existing_building={"name": "KSP", "address": "川崎市高津区坂戸3-2-1"}))  # fmt: skip
    v2 = proposal_submit(proposal=building, by=kanagawa)
    assert (v2.number, v2.revision_round) == (2, 1)
    assert building.versions.get(number=1).content["form"] == "new"
