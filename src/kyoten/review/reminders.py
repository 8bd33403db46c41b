"""Reminders of the review app for `kyoten remind`: a review phase opens, or closes in 3 days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kyoten.review.enums import CommitteeKind
from kyoten.review.models import Membership, ReviewPhase

SOON = dt.timedelta(days=3)


def _members(call):
    return [
        m.user
        for m in Membership.objects.filter(
            committee__call=call, committee__kind=CommitteeKind.REVIEW
        ).select_related("user")
    ]


def reminders(now: dt.datetime):
    from kyoten.notices.enums import NoticeKind

    phases = ReviewPhase.objects.filter(starts_at__lte=now, ends_at__gt=now).select_related("call")
    for phase in phases:
        params = {
            "phase": phase.get_kind_display(),
            "call": phase.call.title,
            "ends": date_format(timezone.localtime(phase.ends_at), "DATETIME_FORMAT"),
        }
        members = _members(phase.call)
        yield {
            "recipients": members,
            "kind": NoticeKind.REVIEW_PHASE_OPENED,
            "message": _("The review phase “%(phase)s” of “%(call)s” is open until %(ends)s."),
            "params": params,
            "url": reverse("review:mine"),
            "key": f"phase-open:{phase.pk}:{phase.starts_at:%Y%m%d}",
        }
        if phase.ends_at <= now + SOON:
            yield {
                "recipients": members,
                "kind": NoticeKind.REVIEW_PHASE_CLOSING,
                "message": _("The review phase “%(phase)s” of “%(call)s” closes on %(ends)s."),
                "params": params,
                "url": reverse("review:mine"),
                "key": f"phase-closing:{phase.pk}:{phase.ends_at:%Y%m%d}",
            }
