"""API: /api/v1/allocations — allocation runs with inputs, result and explanation."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field, StrictFloat, StrictInt

from kyoten.allocation import selectors, services
from kyoten.allocation.models import AllocationRun
from kyoten.allocation.rules import can_allocate
from kyoten.api.common import ApiError, Page, paginate

router = Router(tags=["allocations"])


class RunSummary(Schema):
    id: int
    call: int
    label: str
    status: str
    budget_yen: int
    cap_yen: int
    min_score: float | None
    min_per_block: dict[str, int]
    max_per_block: dict[str, int]
    category_reservations: dict[str, dict[str, int]]
    total_yen: int
    money_left_yen: int
    objective: float
    solver_name: str
    solver_version: str
    inputs_sha256: str
    run_by: str
    run_at: dt.datetime
    adopted: bool
    published: bool


class RunDetail(RunSummary):
    inputs: dict
    result: dict
    proposals: dict[str, int]  # id in the inputs → proposal id


class RunIn(Schema):
    call: StrictInt
    label: str = ""
    budget_yen: StrictInt | None = None
    cap_yen: StrictInt | None = None
    min_score: StrictInt | StrictFloat | None = None
    min_per_block: dict[str, StrictInt] | None = None
    max_per_block: dict[str, StrictInt] | None = None
    min_per_category: dict[str, StrictInt] | None = None
    max_per_category: dict[str, StrictInt] | None = None
    min_yen_per_category: dict[str, StrictInt] | None = None
    # proposal id → score; by default the review ranking of the call
    scores: dict[int, StrictInt | StrictFloat] | None = Field(default=None)


def _summary(run: AllocationRun, decision) -> dict:
    adopted = decision is not None and decision.run_id == run.pk
    return {
        "id": run.pk,
        "call": run.call_id,
        "label": run.label,
        "status": run.status,
        "budget_yen": run.budget_yen,
        "cap_yen": run.cap_yen,
        "min_score": run.min_score,
        "min_per_block": run.min_per_block,
        "max_per_block": run.max_per_block,
        "category_reservations": run.category_reservations,
        "total_yen": run.total_yen,
        "money_left_yen": run.budget_yen - run.total_yen,
        "objective": run.objective,
        "solver_name": run.solver_name,
        "solver_version": run.solver_version,
        "inputs_sha256": run.inputs_sha256,
        "run_by": run.run_by.username,
        "run_at": run.run_at,
        "adopted": adopted,
        "published": adopted and decision.published,
    }


def _detail(run: AllocationRun) -> dict:
    decision = selectors.decision_for(run.call)
    return _summary(run, decision) | {
        "inputs": run.inputs,
        "result": run.result,
        "proposals": run.proposal_map,
    }


@router.get("/allocations", response=Page[RunSummary], summary="Allocation runs")
def list_runs(request, call: int | None = None, page: int = 1, page_size: int = 20):
    runs = selectors.runs_visible_to(request.auth)
    if call is not None:
        runs = runs.filter(call_id=call)
    out = paginate(runs, page, page_size)
    decisions = {
        d.call_id: d
        for d in selectors.AllocationDecision.objects.filter(
            call_id__in={r.call_id for r in out["items"]}
        )
    }
    out["items"] = [_summary(r, decisions.get(r.call_id)) for r in out["items"]]
    return out


@router.get("/allocations/{run_id}", response=RunDetail, summary="An allocation run")
def get_run(request, run_id: int):
    return _detail(selectors.get_run_for(request.auth, run_id))


@router.post("/allocations", response={201: RunDetail}, summary="Run an allocation")
def create_run(request, payload: RunIn):
    from kyoten.calls.models import Call

    if not can_allocate(request.auth):
        raise ApiError(
            403, gettext("only the program officer and the committees may run an allocation")
        )
    try:
        call = Call.objects.get(pk=payload.call)
    except Call.DoesNotExist:
        raise ApiError(404, gettext("no such call"), field="call") from None
    params = {
        key: getattr(payload, key)
        for key in services.PARAMETERS
        if getattr(payload, key) is not None
    }
    scores = {int(k): float(v) for k, v in payload.scores.items()} if payload.scores else None
    run = services.allocation_run(
        call=call, params=params, by=request.auth, scores=scores, label=payload.label
    )
    return Status(201, _detail(run))


@router.post("/allocations/{run_id}/adopt", response=RunDetail, summary="Adopt a run (採択)")
def adopt_run(request, run_id: int):
    run = selectors.get_run_for(request.auth, run_id)
    services.allocation_adopt(run=run, by=request.auth)
    return _detail(run)
