"""Writes of the calls app: programs (from a template) and calls.

Amending a call after proposals are in re-checks every proposal, so that service lives with
the proposals (`kyoten.proposals.services.call_amend`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.calls.models import Call, CallStatus, Program
from kyoten.calls.program import FORMS, SECTIONS
from kyoten.core.enums import Role
from kyoten.core.errors import DomainError, Forbidden
from kyoten.core.locking import check_seen
from kyoten.core.money import is_yen
from kyoten.core.rules import is_officer
from kyoten.core.selectors import users_with_role
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify

PROGRAM_FIELDS = (
    "name", "name_en", "fiscal_year", "budget_yen", "cap_yen", "allowed_forms",
    "required_sections", "kpi_catalogue", "horizon_years", "near_goal_from", "near_goal_to",
    "review_criteria", "require_electronic_signatures",
)  # fmt: skip

# The settings of a call that may change while it is not yet published; once published, only
# the titles (a change of the rules is an amendment with a revision round, see the module doc).
CALL_DRAFT_FIELDS = (
    "code", "title", "title_en", "opens_at", "deadline", "designated_city_reference_date",
    "budget_yen", "cap_yen", "allowed_forms", "categories", "review_criteria",
)  # fmt: skip
CALL_PUBLISHED_FIELDS = ("title", "title_en")

# The status buttons of a call: where each status may go next. A published call never goes
# back to draft (applicants have seen it); `revision` is entered only by an amendment.
CALL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CallStatus.DRAFT: (CallStatus.OPEN,),
    CallStatus.OPEN: (CallStatus.CLOSED,),
    CallStatus.REVISION: (CallStatus.CLOSED,),
    CallStatus.CLOSED: (CallStatus.OPEN, CallStatus.REVIEW),
    CallStatus.REVIEW: (CallStatus.CLOSED, CallStatus.DECIDED),
    CallStatus.DECIDED: (CallStatus.REVIEW,),
}


def _officer(by) -> None:
    if not is_officer(by):
        raise Forbidden(_("only a program officer may change programs and calls"))


def check_money(*, budget_yen: Any, cap_yen: Any) -> None:
    if not is_yen(budget_yen) or budget_yen <= 0:
        raise DomainError(_("must be a positive integer number of yen"), field="budget_yen")
    if not is_yen(cap_yen) or cap_yen <= 0:
        raise DomainError(_("must be a positive integer number of yen"), field="cap_yen")
    if cap_yen > budget_yen:
        raise DomainError(
            _("the cap per hub cannot exceed the budget"), field="cap_yen", rule="R-8"
        )


def check_forms(forms: Any, *, field: str = "allowed_forms") -> list[str]:
    if not isinstance(forms, list | tuple) or not forms or any(f not in FORMS for f in forms):
        raise DomainError(
            _("must be a non-empty list of %(forms)s") % {"forms": ", ".join(FORMS)},
            field=field,
            rule="R-7",
        )
    return [f for f in FORMS if f in forms]


def check_criteria(criteria: Any, *, field: str = "review_criteria") -> list[dict]:
    if not isinstance(criteria, list) or not criteria:
        raise DomainError(_("must be a non-empty list of criteria"), field=field)
    out = []
    for i, c in enumerate(criteria):
        if not isinstance(c, dict) or not isinstance(c.get("key"), str) or not c["key"]:
            raise DomainError(_("each criterion needs a key"), field=f"{field}[{i}].key")
        weight = c.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise DomainError(_("must be a positive integer"), field=f"{field}[{i}].weight")
        out.append({"key": c["key"], "label_ja": str(c.get("label_ja") or c["key"]),
                    "label_en": str(c.get("label_en") or c["key"]), "weight": weight})  # fmt: skip
    return out


def check_categories(categories: Any, *, field: str = "categories") -> list[dict]:
    """Categories of a call: [{"key", "label_ja", "label_en"}], keys unique and non-empty."""
    if categories is None:
        return []
    if not isinstance(categories, list | tuple):
        raise DomainError(_("must be a list of categories"), field=field)
    out, keys = [], set()
    for i, c in enumerate(categories):
        key = c.get("key") if isinstance(c, dict) else None
        if not isinstance(key, str) or not key.strip():
            raise DomainError(_("each category needs a key"), field=f"{field}[{i}].key")
        if key in keys:
            raise DomainError(
                _("the key %(key)r is given twice") % {"key": key}, field=f"{field}[{i}].key"
            )
        keys.add(key)
        label_ja = str(c.get("label_ja") or key)
        out.append(
            {"key": key, "label_ja": label_ja, "label_en": str(c.get("label_en") or label_ja)}
        )
    return out


def _local_date(moment: dt.datetime) -> dt.date:
    """The day in Japan (the site's time zone) of a moment: a call opening at 00:00 JST opens
    on that day, not on the day before as in UTC."""
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def check_call_names(*, code: Any, title: Any, pk: int | None = None) -> None:
    """A code and a title, the code unique among calls (other than call `pk`)."""
    if not str(code or "").strip():
        raise DomainError(_("a code is required"), field="code")
    if not str(title or "").strip():
        raise DomainError(_("a title is required"), field="title")
    if Call.objects.filter(code=code).exclude(pk=pk).exists():
        raise DomainError(_("a call with code %(code)r exists") % {"code": code}, field="code")


def check_call_dates(*, opens_at: dt.datetime, deadline: dt.datetime) -> None:
    if deadline <= opens_at:
        raise DomainError(_("the deadline must be after the opening"), field="deadline")


@transaction.atomic
def program_create(*, by, template: Program | None = None, **fields: Any) -> Program:
    """A new program: a copy of `template` (default: the newest program) with `fields` changed."""
    _officer(by)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError(_("unknown setting"), field=sorted(unknown)[0])
    template = template or Program.objects.order_by("pk").first()
    values = {name: getattr(template, name) for name in PROGRAM_FIELDS} if template else {}
    values.update(fields)
    check_money(budget_yen=values.get("budget_yen"), cap_yen=values.get("cap_yen"))
    values["allowed_forms"] = check_forms(values.get("allowed_forms"))
    values["review_criteria"] = check_criteria(values.get("review_criteria"))
    sections = values.get("required_sections") or list(SECTIONS)
    if any(s not in SECTIONS for s in sections):
        raise DomainError(
            _("sections must be among %(sections)s") % {"sections": ", ".join(SECTIONS)},
            field="required_sections",
        )
    if not str(values.get("name") or "").strip():
        raise DomainError(_("a name is required"), field="name")
    return Program.objects.create(template=template, **values)


@transaction.atomic
def program_update(*, program: Program, by, **fields: Any) -> Program:
    _officer(by)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError(_("unknown setting"), field=sorted(unknown)[0])
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
    check_call_names(code=code, title=title)
    check_call_dates(opens_at=opens_at, deadline=deadline)
    budget_yen = program.budget_yen if budget_yen is None else budget_yen
    cap_yen = program.cap_yen if cap_yen is None else cap_yen
    check_money(budget_yen=budget_yen, cap_yen=cap_yen)
    if status not in CallStatus.values:
        raise DomainError(_("unknown status"), field="status")
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
        categories=check_categories(categories),
        designated_city_reference_date=designated_city_reference_date or _local_date(opens_at),
        review_criteria=[dict(c) for c in program.review_criteria],
        status=status,
    )


@transaction.atomic
def call_update(*, call: Call, by, seen: str | None = None, **fields: Any) -> Call:
    """Change a call's settings: all of them while it is a draft, only its titles once published.
    `seen` (the form's `seen_of`): refuse to overwrite a setting someone changed since.

    After publication a change of the rules is an amendment (`proposals.services.call_amend`),
    which opens a revision round and re-checks every proposal.
    """
    _officer(by)
    call = Call.objects.select_for_update().get(pk=call.pk)
    check_seen(call, seen, [name for name in fields if fields[name] != getattr(call, name, None)])
    allowed = CALL_DRAFT_FIELDS if call.status == CallStatus.DRAFT else CALL_PUBLISHED_FIELDS
    for name in sorted(fields):
        if name not in CALL_DRAFT_FIELDS:
            raise DomainError(_("unknown setting"), field=name)
        if name not in allowed and fields[name] != getattr(call, name):
            raise DomainError(
                _("a published call changes its rules only by an amendment (revision round)"),
                field=name,
            )
    for name, value in fields.items():
        setattr(call, name, value)
    check_call_names(code=call.code, title=call.title, pk=call.pk)
    check_call_dates(opens_at=call.opens_at, deadline=call.deadline)
    check_money(budget_yen=call.budget_yen, cap_yen=call.cap_yen)
    call.allowed_forms = check_forms(call.allowed_forms)
    call.categories = check_categories(call.categories)
    call.review_criteria = check_criteria(call.review_criteria)
    if call.designated_city_reference_date is None:
        call.designated_city_reference_date = _local_date(call.opens_at)
    call.save()
    return call


def call_next_statuses(call: Call) -> tuple[str, ...]:
    """The statuses the call may move to next (the buttons of the call page)."""
    return CALL_TRANSITIONS.get(call.status, ())


@transaction.atomic
def call_set_status(*, call: Call, by, status: str) -> Call:
    """Move a call to a next status (publish, close, reopen, start the review, decide)."""
    _officer(by)
    if status not in CallStatus.values:
        raise DomainError(_("unknown status"), field="status")
    # The row is locked: two officers pressing buttons at once see each other's result.
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if status not in CALL_TRANSITIONS.get(locked.status, ()):
        raise DomainError(
            _("a call cannot go from “%(current)s” to “%(new)s”")
            % {"current": locked.get_status_display(), "new": CallStatus(status).label},
            field="status",
        )
    published = locked.status == CallStatus.DRAFT and status == CallStatus.OPEN
    locked.status = status
    locked.save(update_fields=["status"])
    call.status = status
    if published:
        notify(
            recipients=users_with_role(Role.APPLICANT),
            kind=NoticeKind.CALL_PUBLISHED,
            message=gettext_lazy(
                "The call “%(title)s” is published; proposals are due %(deadline)s."
            ),
            params={"title": locked.title, "deadline": _when(locked.deadline)},
            url=reverse("calls:detail", args=[locked.pk]),
        )
    return call


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
