from __future__ import annotations

import random

import pytest

from kyoten.calls import demo as calls_demo
from kyoten.core import demo as core_demo
from kyoten.proposals import demo as proposals_demo
from kyoten.proposals.models import Proposal
from kyoten.proposals.selectors import proposal_findings

pytestmark = pytest.mark.django_db


def test_demo_proposals():
    rng = random.Random(7)
    core_demo.load(rng)
    calls_demo.load(rng)
    proposals_demo.load(rng)
    main = Proposal.objects.filter(call__code="fy2009")
    assert main.filter(status="submitted").count() == 25
    assert main.values("prefectures").distinct().count() >= 20
    assert Proposal.objects.filter(call__code="demo-open").count() == 2
    drafts = {p.lead_prefecture_id: sorted({f.rule for f in proposal_findings(p)})
              for p in main.filter(status="draft")}  # fmt: skip
    assert drafts == {"07": ["R-5"], "12": ["R-8"], "19": ["R-3"], "29": ["R-6"], "35": ["R-9"],
                      "41": ["R-2"]}  # fmt: skip
