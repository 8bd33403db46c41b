"""Demo allocation: the FY2009 call's decision of 4 December 2009 — 40 regions adopted, 28
構想支援地域 and 12 基盤形成支援地域, within the ¥26.3 bn left after the freeze — found by an
optimal run on the review ranking (category quotas, reduced plans), adopted and published;
beside it a run without the quotas, for comparison."""

from __future__ import annotations

import random

from kyoten.allocation.models import AllocationDecision, AllocationRun
from kyoten.allocation.services import (
    allocation_adopt,
    allocation_publish,
    allocation_run,
    ranked_scores,
)

QUOTAS = {"concept": 28, "foundation": 12}


def load(rng: random.Random) -> None:
    from kyoten.calls.models import Call, CallStatus
    from kyoten.calls.services import call_set_status
    from kyoten.core.models import User
    from kyoten.proposals.demo import MIN_SCORE, TIMELINE

    call = Call.objects.filter(code="fy2009").first()
    officer = User.objects.filter(username="officer").first()
    if call is None or officer is None or AllocationRun.objects.filter(call=call).exists():
        return
    scores = ranked_scores(call)
    if not scores:
        return
    base = {"budget_yen": call.budget_yen, "min_score": MIN_SCORE}
    keys = {c.get("key") for c in call.categories}
    quotas = {k: n for k, n in QUOTAS.items() if k in keys}
    what_if = allocation_run(call=call, params=base, by=officer, scores=scores,
                             label="比較：選定区分の枠なし")  # fmt: skip
    runs = [what_if]
    if quotas:
        runs.append(
            allocation_run(
                call=call,
                params={**base, "min_per_category": quotas, "max_per_category": quotas},
                by=officer,
                scores=scores,
                label="採択案：構想支援地域28・基盤形成支援地域12（263億円）",
            )
        )
    chosen = runs[-1]
    # The runs and the decision of December 2009 (the services stamp the real clock).
    decided = TIMELINE["decision"]
    for minutes, run in enumerate(runs):
        AllocationRun.objects.filter(pk=run.pk).update(
            run_at=decided.replace(day=2, hour=10 + minutes)
        )
    if chosen.status != "optimal":
        return
    decision = allocation_adopt(run=chosen, by=officer)
    allocation_publish(decision=decision, by=officer)
    AllocationDecision.objects.filter(pk=decision.pk).update(
        adopted_at=decided.replace(day=3), published_at=decided
    )
    call_set_status(call=call, by=officer, status=CallStatus.DECIDED)
