"""Pages of the hub network: nationwide and regional pages with the map, search, entries,
matching, the user's feed and the ministry dashboard. Thin: selectors and services do the work."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kyoten.core.errors import DomainError, NotFound
from kyoten.core.reference import BLOCKS, prefectures
from kyoten.network import selectors
from kyoten.network.dashboard import dashboard_data
from kyoten.network.enums import Field, Kind
from kyoten.network.mapsvg import japan_svg
from kyoten.network.matching import match_need, match_partners
from kyoten.network.models import SearchEntry
from kyoten.network.rules import can_view_dashboard
from kyoten.network.search import make_filters, search

PAGE_SIZE = 20


def _hubs_per_prefecture() -> Counter:
    rows = SearchEntry.objects.filter(kind=Kind.HUB).values_list("prefecture", flat=True)
    return Counter(rows)


def _map(block: str | None = None) -> str:
    svg = japan_svg(
        hubs_per_prefecture=_hubs_per_prefecture(),
        highlight_block=block,
        link=lambda b: reverse("network:region", args=[b]),
    )
    return mark_safe(svg)  # noqa: S308 - built from our own data, every text escaped


def _counts_by_block() -> dict[str, Counter]:
    counts: dict[str, Counter] = {b: Counter() for b in BLOCKS}
    rows = (
        SearchEntry.objects.filter(public=True)
        .values_list("block", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for block, kind, n in rows:
        if block in counts:
            counts[block][kind] += n
    return counts


def index(request):
    """The nationwide page: every region, the map, nationwide news."""
    counts = _counts_by_block()
    regions = [
        {"key": k, "name": v[0], "counts": counts[k], "total": sum(counts[k].values())}
        for k, v in BLOCKS.items()
    ]
    news = selectors.news_for(request.user)[:10]
    return render(
        request,
        "network/index.html",
        {"map": _map(), "regions": regions, "news": news, "fields": Field.choices},
    )


def region(request, block: str):
    """One regional block: its hubs, equipment, experts and events (the region first)."""
    if block not in BLOCKS:
        raise Http404(_("no such region"))
    entries = SearchEntry.objects.filter(block=block, public=True)
    hubs = entries.filter(kind=Kind.HUB).order_by("title")
    equipment = entries.filter(kind=Kind.EQUIPMENT).order_by("-id")[:15]
    experts = entries.filter(kind=Kind.EXPERT).order_by("-id")[:15]
    needs = entries.filter(kind=Kind.NEED).order_by("-id")[:10]
    news = selectors.news_for(request.user, block=block)[:15]
    counts = _counts_by_block()[block]
    return render(
        request,
        "network/region.html",
        {
            "region_key": block,
            "block_name": BLOCKS[block][0],
            "map": _map(block),
            "hubs": hubs,
            "equipment": equipment,
            "experts": experts,
            "needs": needs,
            "news": news,
            "counts": counts,
            "prefectures": [p for p in prefectures().values() if p.block == block],
        },
    )


def search_page(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    block = request.GET.get("region", "")
    prefecture = request.GET.get("prefecture", "")
    field = request.GET.get("field", "")
    error = None
    result = None
    page_number = request.GET.get("page", "1")
    page = int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1
    if q.strip():
        try:
            filters = selectors.search_filters_for(
                request.user,
                make_filters(
                    kinds=[kind] if kind else None,
                    prefecture_codes=[prefecture] if prefecture else None,
                    blocks=[block] if block else None,
                    fields=[field] if field else None,
                ),
            )
            result = search(q, filters, page=page, page_size=PAGE_SIZE)
        except DomainError as exc:
            error = f"{exc.field}: {exc.message}" if exc.field else exc.message
    pages = None
    if result is not None and result.count > PAGE_SIZE:
        pages = Paginator(range(result.count), PAGE_SIZE).get_page(page)
    context = {
        "q": q,
        "kind": kind,
        "region": block,
        "prefecture": prefecture,
        "field": field,
        "result": result,
        "error": error,
        "pages": pages,
        "kinds": Kind.choices,
        "regions": [(k, v[0]) for k, v in BLOCKS.items()],
        "prefectures": list(prefectures().values()),
        "fields": Field.choices,
    }
    template = "network/_results.html" if request.htmx else "network/search.html"
    return render(request, template, context)


def entry(request, kind: str, pk: int):
    """One entry of the collaboration database; a company need shows its matches."""
    model_kind = "news" if kind in ("news", "event") else kind
    try:
        obj = selectors.get_entry_for(request.user, model_kind, pk)
    except NotFound:
        raise Http404(_("no such entry")) from None
    matches = match_need(obj) if model_kind == "need" else None
    return render(
        request,
        "network/entry.html",
        {"obj": obj, "kind": model_kind, "matches": matches, "fields": dict(Field.choices)},
    )


def hub(request, pk: int):
    """A hub's place in the network: its entries and partner hubs in other regions."""
    from kyoten.hubs.selectors import get_hub_for

    try:
        hub_obj = get_hub_for(request.user, pk)
    except NotFound:
        raise Http404(_("no such hub")) from None
    entries = SearchEntry.objects.filter(hub_id_ref=hub_obj.pk, public=True).exclude(kind=Kind.HUB)
    by_kind = {k: list(entries.filter(kind=k).order_by("-id")[:10]) for k in Kind.values}
    return render(
        request,
        "network/hub.html",
        {"hub": hub_obj, "by_kind": by_kind, "partners": match_partners(hub_obj)},
    )


@login_required
def my_feed(request):
    news = selectors.news_feed_for_user(request.user)[:30]
    return render(request, "network/feed.html", {"news": news})


@login_required
def dashboard(request):
    """R-15: the figures a ministry asks for, read-only."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied(_("ministries, officers and the promotion committee only (R-15)"))
    data = dashboard_data()
    field_rows = [
        (dict(Field.choices).get(f, _("other")), [counts.get(b, 0) for b in BLOCKS])
        for f, counts in data["hubs_by_field_and_region"].items()
    ]
    kind_rows = [
        (dict(Kind.choices)[k], [counts.get(b, 0) for b in BLOCKS])
        for k, counts in data["entries_by_kind_and_region"].items()
    ]
    return render(
        request,
        "network/dashboard.html",
        {
            "data": data,
            "block_names": [v[0] for v in BLOCKS.values()],
            "hubs_by_region": [data["hubs_by_region"][b] for b in BLOCKS],
            "field_rows": field_rows,
            "kind_rows": kind_rows,
        },
    )
