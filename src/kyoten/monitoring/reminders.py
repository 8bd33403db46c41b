"""Reminders of monitoring for `kyoten remind`: annual reports due, responses to advice due."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kyoten.core.fiscal import fiscal_year
from kyoten.hubs.enums import Stage
from kyoten.hubs.models import Hub
from kyoten.monitoring.enums import AdviceStatus, ReportStatus
from kyoten.monitoring.models import Advice, AnnualReport
from kyoten.monitoring.selectors import report_due_date
from kyoten.monitoring.services import advice_addressees
from kyoten.notices.enums import NoticeKind

SOON = dt.timedelta(days=14)


def reminders(now: dt.datetime):
    today = timezone.localdate(now)
    # The report of the fiscal year just ended is due by the end of June: remind from two
    # weeks before until it is submitted.
    fy = fiscal_year(today) - 1
    due = report_due_date(fy)
    if today >= due - SOON:
        done = AnnualReport.objects.filter(
            fiscal_year=fy, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        ).values("hub_id")
        hubs = (
            Hub.objects.filter(stage=Stage.OPERATING, operation_start_fy__lte=fy)
            .exclude(pk__in=done)
            .prefetch_related("operators")
        )
        for hub in hubs:
            yield {
                "recipients": list(hub.operators.all()),
                "kind": NoticeKind.REPORT_DUE,
                "message": _("The annual report of %(hub)s for %(fy)s is due on %(due)s."),
                "params": {"hub": hub.name, "fy": fy, "due": date_format(due, "DATE_FORMAT")},
                "url": reverse("monitoring:hub", args=[hub.pk]),
                "key": f"report-due:{hub.pk}:{fy}",
            }
    for advice in Advice.objects.filter(
        status=AdviceStatus.OPEN, due_date__lte=today + dt.timedelta(days=3)
    ).select_related("hub"):
        yield {
            "recipients": advice_addressees(advice),
            "kind": NoticeKind.ADVICE_RESPONSE_DUE,
            "message": _("A response to the advice “%(title)s” is due on %(due)s."),
            "params": {"title": advice.title, "due": date_format(advice.due_date, "DATE_FORMAT")},
            "url": reverse("monitoring:advice", args=[advice.pk]),
            "key": f"advice-due:{advice.pk}:{advice.due_date:%Y%m%d}",
        }
