"""The demo's 2009 call, as it happened: 47 proposals, the freeze, 45 resubmissions, 40 adopted
(28 構想支援地域 + 12 基盤形成支援地域) within ¥26.3 bn by a stored optimal run."""

from __future__ import annotations

import pytest

from kyoten.allocation.inputs import parse_problem
from kyoten.allocation.models import AllocationDecision
from kyoten.allocation.solver import allocate
from kyoten.core.management.commands.demo import load_demo
from kyoten.proposals.demo import known_hubs
from kyoten.proposals.models import Proposal, Signature, content_hash
from kyoten.proposals.selectors import proposal_findings

pytestmark = pytest.mark.django_db


def test_the_2009_story():
    assert load_demo() is True
    call = Proposal.objects.filter(call__code="fy2009").first().call
    proposals = Proposal.objects.filter(call=call)
    assert proposals.count() == 47
    assert sorted(proposals.values_list("lead_prefecture_id", flat=True)) == [
        f"{n:02d}" for n in range(1, 48)
    ]
    # The freeze amended the call: ¥26.3 bn, equipment only, two categories, one round.
    assert (call.budget_yen, call.allowed_forms, call.revision_round) == (
        26_300_000_000,
        ["equipment_only"],
        1,
    )
    assert [c["label_ja"] for c in call.categories] == ["構想支援地域", "基盤形成支援地域"]
    amendment = call.amendments.get()
    assert amendment.changes["budget_yen"] == [69_500_000_000, 26_300_000_000]
    # 45 resubmitted (version 2 of round 1, version 1 kept), 2 withdrew.
    resubmitted = proposals.filter(versions__number=2, versions__revision_round=1)
    assert resubmitted.count() == 45
    assert proposals.filter(status="withdrawn").count() == 2
    for p in resubmitted:
        first, second = p.versions.order_by("number")
        assert (
            first.content["form"] != "equipment_only" or first.requested_yen != second.requested_yen
        )
        assert second.content["form"] == "equipment_only"
        # the live signatures are those of the resubmitted content
        live = Signature.objects.filter(proposal=p, voided_at__isnull=True)
        assert {s.content_hash for s in live} == {content_hash(p.content)} == {second.content_hash}
        assert len(live) == 3 and all(s.signed_at for s in live)
        assert not [f for f in proposal_findings(p) if f.is_error]

    decision = AllocationDecision.objects.get(call=call)
    run = decision.run
    assert decision.published and run.status == "optimal"
    awards = {a["id"]: a for a in run.result["awards"]}
    adopted = proposals.filter(status="adopted")
    assert adopted.count() == len(awards) == 40
    assert run.total_yen == sum(a["amount_yen"] for a in awards.values()) <= 26_300_000_000
    by_category = {}
    for p in adopted:
        by_category[p.versions.order_by("-number")[0].content["category"]] = (
            by_category.get(p.versions.order_by("-number")[0].content["category"], 0) + 1
        )
    assert by_category == {"concept": 28, "foundation": 12}
    assert run.result["categories"]["concept"]["awards"] == 28
    assert run.result["categories"]["foundation"]["awards"] == 12

    # The known hubs are among the adopted, with their amounts.
    pk_to_key = {pk: key for key, pk in run.proposal_map.items()}
    for hub in known_hubs():
        p = adopted.get(lead_prefecture_id=hub["prefecture"])
        assert p.title == hub["name"]
        if hub["amount_yen"]:
            assert awards[pk_to_key[p.pk]]["amount_yen"] == hub["amount_yen"]
        if hub["category"] == "構想支援地域":
            assert p.latest_version.content["category"] == "concept"

    # Solving the stored inputs again gives the same awards.
    again = allocate(parse_problem(run.inputs))
    assert again["awards"] == run.result["awards"]
    assert again["total_yen"] == run.total_yen
    assert {u["reason_code"] for u in run.result["unfunded"]} == {"below_min_score"}

    # Drafts of the open demo call show the checklist's findings.
    drafts = {
        p.lead_prefecture_id: sorted({f.rule for f in proposal_findings(p) if f.is_error})
        for p in Proposal.objects.filter(call__code="demo-open")
    }
    assert drafts == {"11": [], "19": ["R-3"], "35": ["R-9"], "42": ["R-5"]}
