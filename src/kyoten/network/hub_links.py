"""Links the hub page (`hubs:detail`) shows for this app: the hub's page in the network."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def hub_links(user, hub) -> list[tuple[str, str]]:
    return [(_("Its page in the hub network"), reverse("network:hub", args=[hub.pk]))]
