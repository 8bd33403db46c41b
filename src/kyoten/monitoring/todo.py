"""What to do next in the follow-up, for the officer, the committee and hub operators."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.dates import format_day
from kyoten.core.fiscal import fy_label
from kyoten.core.rules import is_committee_member, is_officer
from kyoten.monitoring import selectors
from kyoten.monitoring.enums import ReportStatus


def todos(user) -> list[tuple[str, str]]:
    if user is None or not user.is_authenticated:
        return []
    out: list[tuple[str, str]] = []
    if is_officer(user) or is_committee_member(user):
        # Alerts: hubs off track, reports missing or returned, advice past due.
        out += [(a.message, a.url) for a in selectors.alerts(user)]
    if is_officer(user):
        waiting = selectors.reports_visible_to(user).filter(status=ReportStatus.SUBMITTED)
        for report in waiting:
            out.append(
                (
                    _("Review the %(fy)s report of %(hub)s")
                    % {"fy": fy_label(report.fiscal_year), "hub": report.hub.name},
                    reverse("monitoring:report", args=[report.pk]),
                )
            )
    # Hub side: reports to finish, advice to answer.
    for report in selectors.reports_visible_to(user).filter(
        hub__operators=user, status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED)
    ):
        out.append(
            (
                _("Finish and submit the %(fy)s report of %(hub)s")
                % {"fy": fy_label(report.fiscal_year), "hub": report.hub.name},
                reverse("monitoring:report", args=[report.pk]),
            )
        )
    for advice in selectors.open_advice_for(user):
        out.append(
            (
                _("Answer the advice “%(title)s” (due %(due)s)")
                % {"title": advice.title, "due": format_day(advice.due_date)},
                reverse("monitoring:advice", args=[advice.pk]),
            )
        )
    return out
