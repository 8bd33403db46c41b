"""Reminders of the calls app for `kyoten remind`: a call closes in 3 days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kyoten.calls.models import Call, CallStatus
from kyoten.core.enums import Role
from kyoten.core.selectors import users_with_role
from kyoten.notices.enums import NoticeKind

SOON = dt.timedelta(days=3)


def reminders(now: dt.datetime):
    """Every applicant hears once that an open call closes within three days."""
    closing = Call.objects.filter(
        status__in=[CallStatus.OPEN, CallStatus.REVISION],
        deadline__gt=now,
        deadline__lte=now + SOON,
    )
    for call in closing:
        yield {
            "recipients": users_with_role(Role.APPLICANT),
            "kind": NoticeKind.CALL_CLOSING,
            "message": _("The call “%(title)s” closes on %(deadline)s."),
            "params": {
                "title": call.title,
                "deadline": date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT"),
            },
            "url": reverse("calls:detail", args=[call.pk]),
            "key": f"call-closing:{call.pk}:{call.deadline:%Y%m%d}",
        }
