"""API: /api/v1/calls — programs' calls and their settings (SPEC §4).

Anyone reads published calls; officers create calls and change their status. Amending a call
after proposals are in is `POST /api/v1/calls/{id}/amend` (in the proposals API, since it
re-checks every proposal).
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import StrictInt

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.calls import selectors, services
from kyoten.calls.models import Call, Program

router = Router(tags=["calls"])


class CallOut(Schema):
    id: int
    code: str
    program: int
    program_name: str
    title: str
    title_en: str
    opens_at: dt.datetime
    deadline: dt.datetime
    status: str
    accepting: bool
    budget_yen: int
    cap_yen: int
    allowed_forms: list[str]
    categories: list[dict]
    designated_city_reference_date: dt.date
    review_criteria: list[dict]
    required_sections: list[str]
    kpi_catalogue: dict[str, list[str]]
    horizon_years: int
    revision_round: int


def call_out(call: Call) -> dict:
    program = call.program
    return {
        "id": call.pk, "code": call.code, "program": program.pk, "program_name": program.name,
        "title": call.title, "title_en": call.title_en, "opens_at": call.opens_at,
        "deadline": call.deadline, "status": call.status, "accepting": call.accepts_submissions(),
        "budget_yen": call.budget_yen, "cap_yen": call.cap_yen,
        "allowed_forms": call.allowed_forms, "categories": call.categories,
        "designated_city_reference_date": call.designated_city_reference_date,
        "review_criteria": call.review_criteria, "required_sections": program.required_sections,
        "kpi_catalogue": program.kpi_catalogue, "horizon_years": program.horizon_years,
        "revision_round": call.revision_round,
    }  # fmt: skip


class CallIn(Schema):
    program: StrictInt | None = None
    code: str
    title: str
    title_en: str = ""
    opens_at: dt.datetime
    deadline: dt.datetime
    budget_yen: StrictInt | None = None
    cap_yen: StrictInt | None = None
    allowed_forms: list[str] | None = None
    categories: list[dict] | None = None
    designated_city_reference_date: dt.date | None = None
    status: str = "open"


class CallPatch(Schema):
    status: str


@router.get("/calls", response=Page[CallOut], auth=public)
def call_list(request, page: int = 1, page_size: int = 20):
    """Calls, newest first (open ones first among equals)."""
    result = paginate(selectors.calls_visible_to(request.auth), page, page_size)
    result["items"] = [call_out(c) for c in result["items"]]
    return result


@router.get("/calls/{call_id}", response=CallOut, auth=public)
def call_detail(request, call_id: int):
    return call_out(selectors.get_call_for(request.auth, call_id))


@router.post("/calls", response={201: CallOut})
def call_create(request, payload: CallIn):
    """Create a call (officers); settings default to the program's."""
    program = (
        Program.objects.filter(pk=payload.program).first()
        if payload.program is not None
        else Program.objects.order_by("pk").first()
    )
    if program is None:
        raise ApiError(400, "unknown program", field="program")
    call = services.call_create(
        program=program, by=request.auth, **payload.dict(exclude={"program"})
    )
    return Status(201, call_out(call))


@router.patch("/calls/{call_id}", response=CallOut)
def call_update(request, call_id: int, payload: CallPatch):
    call = selectors.get_call_for(request.auth, call_id)
    return call_out(services.call_set_status(call=call, by=request.auth, status=payload.status))
