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
