"""Reads of the calls app."""

from __future__ import annotations

from django.db.models import QuerySet

from kyoten.calls.models import Call, CallStatus, Program
from kyoten.core.errors import NotFound
from kyoten.core.rules import is_officer


def calls_visible_to(user) -> QuerySet[Call]:
    """Published calls for everyone; unpublished ones for officers too. Newest first."""
    qs = Call.objects.select_related("program")
    if user is not None and is_officer(user):
        return qs
    return qs.exclude(status=CallStatus.DRAFT)


def get_call_for(user, pk) -> Call:
    try:
        return calls_visible_to(user).get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError):
        raise NotFound("call not found") from None


def open_calls(user) -> QuerySet[Call]:
    return calls_visible_to(user).filter(status__in=[CallStatus.OPEN, CallStatus.REVISION])


def programs() -> QuerySet[Program]:
    return Program.objects.all()


def call_timeline(call: Call, user) -> list[dict]:
    """The call's story by date: published, deadline, amendments, revision rounds, decision.

    Each lifecycle app with a `timeline.py` adds its events (`events(call, user)`)."""
    from kyoten.core.registry import app_modules

    found = []
    for order, (_app, module) in enumerate(app_modules("timeline")):
        for event in module.events(call, user):
            found.append((event["at"], order, event))
    return [event for _at, _order, event in sorted(found, key=lambda t: (t[0], t[1]))]
