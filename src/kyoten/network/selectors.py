"""Reads of the network app: pages, the API, feeds, exports and search all start here."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kyoten.core.errors import Forbidden, NotFound
from kyoten.core.rules import can_read_program, is_officer
from kyoten.network.enums import PostState, Scope
from kyoten.network.models import NetworkEntry, News, Subscription
from kyoten.network.rules import (
    can_edit_entry,
    can_moderate,
    is_network_member,
    operated_blocks,
    operated_hub_ids,
)
from kyoten.network.search import Filters
from kyoten.network.services import ENTRY_MODELS


def entries_visible_to(user, kind: str) -> QuerySet[NetworkEntry]:
    """Published public entries for everyone, published members-only entries for network
    members (ministries included, R-15); besides, what a user looks after or wrote: a hub's
    operators see its posts in every state (they moderate them), an author their own posts.
    Officers see everything. (The same rule as `rules.can_view_entry`.)"""
    model = ENTRY_MODELS[kind]
    qs = model.objects.select_related("hub", "prefecture")
    if kind == "expert":
        qs = qs.select_related("organisation")
    if is_officer(user):
        return qs
    published = Q(state=PostState.PUBLISHED)
    if user is None or not user.is_authenticated:
        return qs.filter(published, public=True)
    readable = published if is_network_member(user) else published & Q(public=True)
    own = (
        Q(created_by=user)
        | Q(hub_id__in=operated_hub_ids(user))
        | Q(scope=Scope.REGION, block__in=operated_blocks(user))
    )
    return qs.filter(readable | own)


def posts_to_moderate(user) -> list[NetworkEntry]:
    """Posts awaiting moderation by this user (a hub's operators, officers), oldest first."""
    found: list[NetworkEntry] = []
    if not can_moderate(user):
        return found
    for kind, model in ENTRY_MODELS.items():
        qs = model.objects.filter(state=PostState.PENDING).select_related("hub", "created_by")
        if not is_officer(user):
            qs = qs.filter(
                Q(hub_id__in=operated_hub_ids(user))
                | Q(scope=Scope.REGION, block__in=operated_blocks(user))
            )
        for entry in qs:
            entry.kind_key = kind
            found.append(entry)
    found.sort(key=lambda e: (e.created_at, e.pk))
    return found


def posts_by(user) -> list[NetworkEntry]:
    """Everything the user posted to the network, newest first, in every state."""
    found: list[NetworkEntry] = []
    if not user or not user.is_authenticated:
        return found
    for kind, model in ENTRY_MODELS.items():
        for entry in model.objects.filter(created_by=user).select_related("hub"):
            entry.kind_key = kind
            found.append(entry)
    found.sort(key=lambda e: (e.created_at, e.pk), reverse=True)
    return found


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
    """Members-only entries are searchable by network members (ministries included). Only
    published posts are in the index at all."""
    if is_network_member(user) or can_read_program(user) or is_officer(user):
        return Filters(**{**filters.__dict__, "include_private": True})
    return Filters(**{**filters.__dict__, "include_private": False})


def news_for(
    user, *, block: str | None = None, hub_id: int | None = None, nationwide_only: bool = False
) -> QuerySet[News]:
    """News and events of one hub, of one region (its hubs included) or of the whole network.

    A region's list holds its own items, its hubs' items and the nationwide items; only
    published ones (a withdrawn item stays readable by its people on its own page)."""
    qs = entries_visible_to(user, "news").filter(state=PostState.PUBLISHED)
    if hub_id is not None:
        return qs.filter(Q(hub_id=hub_id) | Q(scope=Scope.NATIONWIDE))
    if block:
        return qs.filter(Q(block=block) | Q(scope=Scope.NATIONWIDE))
    if nationwide_only:
        return qs.filter(scope=Scope.NATIONWIDE)
    return qs


def news_feed_for_user(user) -> QuerySet[News]:
    """The user's own feed: their subscribed regions and fields (all when they chose none)."""
    qs = entries_visible_to(user, "news").filter(state=PostState.PUBLISHED)
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


def index_counts() -> list[tuple[bool, str, str, str, int]]:
    """(public, block, kind, field, number of entries) over the whole search index: the one
    GROUP BY behind the network's, the regions' and the dashboard's counts. Kept in the shared
    cache until the index changes (`search.forget_public_counts` on every write)."""
    from django.core.cache import cache
    from django.db.models import Count

    from kyoten.network.models import SearchEntry
    from kyoten.network.search import PUBLIC_COUNTS_KEY

    rows = cache.get(PUBLIC_COUNTS_KEY)
    if rows is None:
        rows = [
            tuple(row)
            for row in SearchEntry.objects.values_list("public", "block", "kind", "field")
            .annotate(n=Count("id"))
            .order_by()
        ]
        cache.set(PUBLIC_COUNTS_KEY, rows, timeout=None)
    return rows


def beyond_region(block: str, *, limit: int = 8) -> dict:
    """R-14, the nation after the region: what the rest of the network offers in the fields
    the region works in (its own entries' fields, most frequent first), and each other
    region's public counts. A fixed number of queries, whatever the size of the network."""
    from collections import Counter

    from kyoten.core.reference import BLOCKS, block_label
    from kyoten.network.enums import Field, Kind
    from kyoten.network.models import SearchEntry

    public = SearchEntry.objects.filter(public=True)
    own: Counter = Counter()
    per_block: Counter = Counter()
    for is_public, entry_block, _kind, field, n in index_counts():
        if not is_public:
            continue
        if entry_block == block and field:
            own[field] += n
        elif entry_block not in (block, ""):
            per_block[entry_block] += n
    fields = [f for f, _n in own.most_common(3)]
    elsewhere = public.exclude(block=block).exclude(block="")
    offers = {}
    for kind in (Kind.HUB, Kind.EQUIPMENT, Kind.EXPERT):
        qs = elsewhere.filter(kind=kind)
        if fields:
            qs = qs.filter(field__in=fields)
        offers[kind] = list(qs.order_by("-id")[:limit])
    return {
        "fields": [Field(f).label for f in fields],
        "hubs": offers[Kind.HUB],
        "equipment": offers[Kind.EQUIPMENT],
        "experts": offers[Kind.EXPERT],
        "regions": [(k, block_label(k), per_block.get(k, 0)) for k in BLOCKS if k != block],
    }
