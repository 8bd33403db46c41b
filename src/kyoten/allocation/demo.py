"""Demo allocation: the FY2009 call at the original budget (¥69.5 bn) and after the freeze
(¥26.3 bn, the run the committee adopted and published), from the review ranking."""

from __future__ import annotations

import random

from kyoten.allocation.models import AllocationRun
from kyoten.allocation.services import (
    allocation_adopt,
    allocation_publish,
    allocation_run,
    ranked_scores,
)


def load(rng: random.Random) -> None:
    from kyoten.calls.models import Call
    from kyoten.core.models import User

    call = Call.objects.filter(code="fy2009").first()
    officer = User.objects.filter(username="officer").first()
    if call is None or officer is None or AllocationRun.objects.filter(call=call).exists():
        return
    scores = ranked_scores(call)
    if not scores:
        return
    allocation_run(call=call, params={}, by=officer, scores=scores, label="当初予算 (695億円)")
    frozen = allocation_run(
        call=call,
        params={"budget_yen": min(26_300_000_000, call.budget_yen)},
        by=officer,
        scores=scores,
        label="執行停止後 (263億円)",
    )
    if frozen.status == "optimal":
        decision = allocation_adopt(run=frozen, by=officer)
        allocation_publish(decision=decision, by=officer)
