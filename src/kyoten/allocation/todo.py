from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.allocation.models import AllocationDecision
from kyoten.allocation.rules import can_adopt


def todos(user) -> list[tuple[str, str]]:
    """The officer: calls under review with no adopted allocation yet; decisions to publish."""
    if not can_adopt(user):
        return []
    from kyoten.calls.models import Call

    out: list[tuple[str, str]] = []
    for call in Call.objects.filter(status="review", allocation_decision__isnull=True)[:10]:
        out.append(
            (
                _("Allocate the budget of “%(title)s”") % {"title": call.title},
                reverse("allocation:call", args=[call.pk]),
            )
        )
    for decision in AllocationDecision.objects.filter(published=False).select_related("call")[:10]:
        out.append(
            (
                _("Publish the decision of “%(title)s”") % {"title": decision.call.title},
                reverse("allocation:run", args=[decision.run_id]),
            )
        )
    return out
