from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_observer, is_operator
from kyoten.network.models import CompanyNeed
from kyoten.network.rules import can_moderate, can_view_dashboard
from kyoten.network.selectors import posts_to_moderate


def todos(user) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if not user.is_authenticated:
        return items
    if can_moderate(user):
        waiting = len(posts_to_moderate(user))
        if waiting:
            items.append(
                (
                    _("%(n)d posts to the network await your moderation") % {"n": waiting},
                    reverse("network:moderation"),
                )
            )
    if is_operator(user):
        hub_ids = list(user.operated_hubs.values_list("pk", flat=True))
        open_needs = CompanyNeed.objects.filter(
            hub_id__in=hub_ids, status="open", state="published"
        ).count()
        if open_needs:
            items.append(
                (
                    _("%(n)d open company needs at your hub: suggest equipment and experts")
                    % {"n": open_needs},
                    reverse("network:search") + "?kind=need",
                )
            )
        for hub_id in hub_ids[:3]:
            items.append(
                (_("See partner hubs in other regions"), reverse("network:hub", args=[hub_id]))
            )
    if is_observer(user) or can_view_dashboard(user):
        items.append((_("Network dashboard (R-15)"), reverse("network:dashboard")))
    items.append((_("News and events for you"), reverse("network:my_feed")))
    return items
