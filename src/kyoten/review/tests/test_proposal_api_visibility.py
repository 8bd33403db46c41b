"""Through /api/v1/proposals a reviewer sees the call's proposals, except their conflicts (404)."""

import pytest

from kyoten.core.models import User
from kyoten.proposals.models import ProposalStatus
from kyoten.review.models import ConflictOfInterest

pytestmark = pytest.mark.django_db


def test_reviewer_reads_unconflicted_proposals_and_gets_404_for_conflicts(client):
    from kyoten.core.management.commands.demo import load_demo

    load_demo()
    conflict = (
        ConflictOfInterest.objects.filter(active=True, reviewer__username__startswith="reviewer")
        .exclude(proposal__status=ProposalStatus.DRAFT)
        .select_related("reviewer", "proposal")
        .first()
    )
    assert conflict is not None, "the demo has conflicts of interest"
    reviewer = conflict.reviewer
    client.force_login(reviewer)

    assert client.get(f"/api/v1/proposals/{conflict.proposal_id}").status_code == 404

    listed = client.get("/api/v1/proposals?page_size=200").json()
    ids = {item["id"] for item in listed["items"]}
    assert conflict.proposal_id not in ids
    assert listed["count"] > 0
    other = next(iter(ids))
    assert client.get(f"/api/v1/proposals/{other}").status_code == 200

    # Someone outside the review committee sees none of it.
    client.force_login(User.objects.get(username="sme"))
    assert client.get(f"/api/v1/proposals/{other}").status_code == 404
