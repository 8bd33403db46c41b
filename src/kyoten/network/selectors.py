"""Reads of the network app: pages, the API, feeds, exports and search all start here."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kyoten.core.errors import Forbidden, NotFound
from kyoten.core.rules import can_read_program, is_officer
from kyoten.network.enums import Scope
from kyoten.network.models import NetworkEntry, News, Subscription
from kyoten.network.rules import can_edit_entry
from kyoten.network.search import Filters
from kyoten.network.services import ENTRY_MODELS


def entries_visible_to(user, kind: str) -> QuerySet[NetworkEntry]:
    """Public entries for everyone; all of them for the program and ministries (R-15);
    a hub's own non-public entries for its operators."""
    model = ENTRY_MODELS[kind]
    qs = model.objects.select_related("hub", "prefecture")
    if kind == "expert":
        qs = qs.select_related("organisation")
    if can_read_program(user) or is_officer(user):
        return qs
    if user is not None and user.is_authenticated:
        return qs.filter(Q(public=True) | Q(hub__operators=user)).distinct()
    return qs.filter(public=True)


def get_entry_for(user, kind: str, pk, *, write: bool = False) -> NetworkEntry:
    """Checked fetch: 404 for what is missing or hidden, 403 for a change the user may not make."""
    if kind not in ENTRY_MODELS:
        raise NotFound(_("no such kind of entry"), field="kind")
    try:
        entry = entries_visible_to(user, kind).get(pk=pk)
    except (ENTRY_MODELS[kind].DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such entry"), field="id") from None
    if write and not can_edit_entry(user, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    return entry


def search_filters_for(user, filters: Filters) -> Filters:
    """Non-public entries are searchable by the program and ministries only."""
    if can_read_program(user) or is_officer(user):
        return Filters(**{**filters.__dict__, "include_private": True})
    return Filters(**{**filters.__dict__, "include_private": False})


def news_for(
    user, *, block: str | None = None, hub_id: int | None = None, nationwide_only: bool = False
) -> QuerySet[News]:
    """News and events of one hub, of one region (its hubs included) or of the whole network.

    A region's list holds its own items, its hubs' items and the nationwide items."""
    qs = entries_visible_to(user, "news")
    if hub_id is not None:
        return qs.filter(Q(hub_id=hub_id) | Q(scope=Scope.NATIONWIDE))
    if block:
        return qs.filter(Q(block=block) | Q(scope=Scope.NATIONWIDE))
    if nationwide_only:
        return qs.filter(scope=Scope.NATIONWIDE)
    return qs


def news_feed_for_user(user) -> QuerySet[News]:
    """The user's own feed: their subscribed regions and fields (all when they chose none)."""
    qs = entries_visible_to(user, "news")
    sub = Subscription.objects.filter(user=user).first() if user.is_authenticated else None
    blocks = list(sub.blocks) if sub else []
    fields = list(sub.fields) if sub else []
    if not sub and user.is_authenticated and getattr(user, "prefecture_id", None):
        from kyoten.core.reference import prefectures

        blocks = [prefectures()[user.prefecture_id].block]
    if blocks:
        qs = qs.filter(Q(block__in=blocks) | Q(scope=Scope.NATIONWIDE))
    if fields:
        qs = qs.filter(Q(field__in=fields) | Q(field=""))
    return qs
