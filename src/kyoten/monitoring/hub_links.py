"""Links the hub page (`hubs:detail`) shows for this app: the registers of the hub's own work."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.monitoring.rules import can_view_monitoring, can_view_records


def hub_links(user, hub) -> list[tuple[str, str]]:
    links = []
    if can_view_records(user, hub):
        links.append(
            (_("Joint research register"), reverse("monitoring:research_list", args=[hub.pk]))
        )
        links.append((_("Coordinator desk"), reverse("monitoring:desk", args=[hub.pk])))
        links.append((_("IP office"), reverse("monitoring:patent_list", args=[hub.pk])))
    if can_view_monitoring(user, hub):
        links.append((_("Hub follow-up"), reverse("monitoring:hub", args=[hub.pk])))
    links.append(
        (
            _("Joint research (public summaries)"),
            reverse("monitoring:research_public", args=[hub.pk]),
        )
    )
    return links
