"""Reads of the hubs app. Every page, the API and exports start from these."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kyoten.core.errors import Forbidden, NotFound
from kyoten.hubs.models import Hub
from kyoten.hubs.rules import can_edit_hub


def hubs_visible_to(user) -> QuerySet[Hub]:
    """Every hub: the public part of a hub is open to everyone (the directory)."""
    return (
        Hub.objects.select_related("lead_prefecture")
        .prefetch_related("prefectures", "host_organisations")
        .order_by("id")
    )


def hubs_operated_by(user) -> QuerySet[Hub]:
    if user is None or not user.is_authenticated:
        return Hub.objects.none()
    return hubs_visible_to(user).filter(operators=user)


def get_hub_for(user, pk, *, write: bool = False) -> Hub:
    """Checked fetch: 404 when missing, 403 when the user may see but not change it."""
    try:
        hub = hubs_visible_to(user).get(pk=pk)
    except (Hub.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such hub"), field="id") from None
    if write and not can_edit_hub(user, hub):
        raise Forbidden(_("only the hub's own operators and program officers may change it"))
    return hub
