"""Links the hub page (`hubs:detail`) shows for this app: the hub's machines, its equipment
desk (for those who run it) and its bookings as files (for those who read its internals)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.equipment.rules import can_manage_hub_equipment
from kyoten.hubs.rules import can_view_hub_internals


def hub_links(user, hub) -> list[tuple[str, str]]:
    links = [(_("Its equipment"), f"{reverse('equipment:search')}?hub={hub.pk}")]
    if can_manage_hub_equipment(user, hub):
        links.append((_("Equipment desk"), reverse("equipment:hub_desk", args=[hub.pk])))
    if can_view_hub_internals(user, hub):
        for fmt, name in (("xlsx", "Excel"), ("csv", "CSV")):
            url = reverse("equipment:hub_bookings_export", args=[hub.pk, fmt])
            links.append((_("Bookings of the hub (%(format)s)") % {"format": name}, url))
    return links
