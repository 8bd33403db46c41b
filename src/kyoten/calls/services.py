"""Writes of the calls app: programs (from a template) and calls.

Amending a call after proposals are in re-checks every proposal, so that service lives with
the proposals (`kyoten.proposals.services.call_amend`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from kyoten.calls.models import Call, CallStatus, Program
from kyoten.calls.program import FORMS, SECTIONS
from kyoten.core.errors import DomainError, Forbidden
from kyoten.core.money import is_yen
from kyoten.core.rules import is_officer

PROGRAM_FIELDS = (
    "name", "name_en", "fiscal_year", "budget_yen", "cap_yen", "allowed_forms",
    "required_sections", "kpi_catalogue", "horizon_years", "near_goal_from", "near_goal_to",
    "review_criteria", "require_electronic_signatures",
)  # fmt: skip


def _officer(by) -> None:
    if not is_officer(by):
        raise Forbidden("only a program officer may change programs and calls")


def check_money(*, budget_yen: Any, cap_yen: Any) -> None:
    if not is_yen(budget_yen) or budget_yen <= 0:
        raise DomainError("must be a positive integer number of yen", field="budget_yen")
    if not is_yen(cap_yen) or cap_yen <= 0:
        raise DomainError("must be a positive integer number of yen", field="cap_yen")
    if cap_yen > budget_yen:
        raise DomainError("the cap per hub cannot exceed the budget", field="cap_yen", rule="R-8")


def check_forms(forms: Any, *, field: str = "allowed_forms") -> list[str]:
    if not isinstance(forms, list | tuple) or not forms or any(f not in FORMS for f in forms):
        raise DomainError(
            f"must be a non-empty list of {', '.join(FORMS)}", field=field, rule="R-7"
        )
    return [f for f in FORMS if f in forms]


def check_criteria(criteria: Any, *, field: str = "review_criteria") -> list[dict]:
    if not isinstance(criteria, list) or not criteria:
        raise DomainError("must be a non-empty list of criteria", field=field)
    out = []
    for i, c in enumerate(criteria):
        if not isinstance(c, dict) or not isinstance(c.get("key"), str) or not c["key"]:
            raise DomainError("each criterion needs a key", field=f"{field}[{i}].key")
        weight = c.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise DomainError("must be a positive integer", field=f"{field}[{i}].weight")
        out.append({"key": c["key"], "label_ja": str(c.get("label_ja") or c["key"]),
                    "label_en": str(c.get("label_en") or c["key"]), "weight": weight})  # fmt: skip
    return out


@transaction.atomic
def program_create(*, by, template: Program | None = None, **fields: Any) -> Program:
    """A new program: a copy of `template` (default: the newest program) with `fields` changed."""
    _officer(by)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError("unknown setting", field=sorted(unknown)[0])
    template = template or Program.objects.order_by("pk").first()
    values = {name: getattr(template, name) for name in PROGRAM_FIELDS} if template else {}
    values.update(fields)
    check_money(budget_yen=values.get("budget_yen"), cap_yen=values.get("cap_yen"))
    values["allowed_forms"] = check_forms(values.get("allowed_forms"))
    values["review_criteria"] = check_criteria(values.get("review_criteria"))
    sections = values.get("required_sections") or list(SECTIONS)
    if any(s not in SECTIONS for s in sections):
        raise DomainError(
            f"sections must be among {', '.join(SECTIONS)}", field="required_sections"
        )
    if not str(values.get("name") or "").strip():
        raise DomainError("a name is required", field="name")
    return Program.objects.create(template=template, **values)


@transaction.atomic
def program_update(*, program: Program, by, **fields: Any) -> Program:
    _officer(by)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError("unknown setting", field=sorted(unknown)[0])
    for name, value in fields.items():
        setattr(program, name, value)
    check_money(budget_yen=program.budget_yen, cap_yen=program.cap_yen)
    program.allowed_forms = check_forms(program.allowed_forms)
    program.review_criteria = check_criteria(program.review_criteria)
    program.save()
    return program


@transaction.atomic
def call_create(
    *,
    program: Program,
    by,
    code: str,
    title: str,
    opens_at: dt.datetime,
    deadline: dt.datetime,
    designated_city_reference_date: dt.date | None = None,
    budget_yen: int | None = None,
    cap_yen: int | None = None,
    allowed_forms: list[str] | None = None,
    categories: list[dict] | None = None,
    title_en: str = "",
    status: str = CallStatus.OPEN,
) -> Call:
    """A call of a program; budget, cap, forms and criteria default to the program's."""
    _officer(by)
    if deadline <= opens_at:
        raise DomainError("the deadline must be after the opening", field="deadline")
    if Call.objects.filter(code=code).exists():
        raise DomainError(f"a call with code {code!r} exists", field="code")
    budget_yen = program.budget_yen if budget_yen is None else budget_yen
    cap_yen = program.cap_yen if cap_yen is None else cap_yen
    check_money(budget_yen=budget_yen, cap_yen=cap_yen)
    if status not in CallStatus.values:
        raise DomainError("unknown status", field="status")
    return Call.objects.create(
        program=program,
        code=code,
        title=title,
        title_en=title_en,
        opens_at=opens_at,
        deadline=deadline,
        budget_yen=budget_yen,
        cap_yen=cap_yen,
        allowed_forms=check_forms(allowed_forms or program.allowed_forms),
        categories=categories or [],
        designated_city_reference_date=designated_city_reference_date or opens_at.date(),
        review_criteria=[dict(c) for c in program.review_criteria],
        status=status,
    )


@transaction.atomic
def call_set_status(*, call: Call, by, status: str) -> Call:
    _officer(by)
    if status not in CallStatus.values:
        raise DomainError("unknown status", field="status")
    call.status = status
    call.save(update_fields=["status"])
    return call
