from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.network.rules import can_view_dashboard


def nav_items(user) -> list[tuple[str, str]]:
    items = [
        (_("Hub network"), reverse("network:index")),
        (_("Search"), reverse("network:search")),
        (_("Open data"), reverse("opendata")),
    ]
    if can_view_dashboard(user):
        items.append((_("Network dashboard"), reverse("network:dashboard")))
    return items
