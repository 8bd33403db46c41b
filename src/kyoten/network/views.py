"""Pages of the hub network: nationwide and regional pages with the map, search, entries,
matching, the user's feed and the ministry dashboard. Thin: selectors and services do the work."""

from __future__ import annotations

import functools
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.exports import export_response
from kyoten.core.forms import show_domain_error
from kyoten.core.reference import BLOCKS, block_label, prefectures
from kyoten.network import exports, selectors, services
from kyoten.network.dashboard import dashboard_data
from kyoten.network.enums import Field, Kind, PostState
from kyoten.network.forms import POST_KINDS, PostForm, RejectForm, owner_of
from kyoten.network.mapsvg import japan_svg
from kyoten.network.matching import match_need, match_partners
from kyoten.network.models import SearchEntry
from kyoten.network.rules import (
    can_add_entry,
    can_edit_entry,
    can_moderate,
    can_moderate_entry,
    can_post_need,
    can_post_to_network,
    can_view_dashboard,
)
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
    for public, block, kind, _field, n in selectors.index_counts():
        if public and block in counts:
            counts[block][kind] += n
    return counts


def index(request):
    """The nationwide page: every region, the map, nationwide news."""
    counts = _counts_by_block()
    regions = [
        {"key": k, "name": block_label(k), "counts": counts[k], "total": sum(counts[k].values())}
        for k, v in BLOCKS.items()
    ]
    news = selectors.news_for(request.user)[:10]
    return render(
        request,
        "network/index.html",
        {
            "map": _map(),
            "regions": regions,
            "news": news,
            "fields": Field.choices,
            "post_kinds": post_kinds_for(request.user),
        },
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
            "block_name": block_label(block),
            "map": _map(block),
            "hubs": hubs,
            "equipment": equipment,
            "experts": experts,
            "needs": needs,
            "news": news,
            "counts": counts,
            "prefectures": [p for p in prefectures().values() if p.block == block],
            "beyond": selectors.beyond_region(block),
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
        "regions": [(k, block_label(k)) for k in BLOCKS],
        "prefectures": list(prefectures().values()),
        "fields": Field.choices,
    }
    template = "network/_results.html" if request.htmx else "network/search.html"
    return render(request, template, context)


def _domain_errors(view):
    """Services' Forbidden/NotFound become Django's 403/404 answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404(_("no such entry")) from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None

    return wrapper


def _model_kind(kind: str) -> str:
    return "news" if kind in ("news", "event") else kind


def _post_kind(obj, model_kind: str) -> str:
    return obj.kind if model_kind == "news" else model_kind


@_domain_errors
def entry(request, kind: str, pk: int):
    """One entry of the collaboration database; a company need shows its matches, the region's
    first. Its people see its state and may edit, withdraw or moderate it."""
    model_kind = _model_kind(kind)
    obj = selectors.get_entry_for(request.user, model_kind, pk)
    published = obj.state == PostState.PUBLISHED
    matches = match_need(obj) if model_kind == "need" and published else None
    return render(
        request,
        "network/entry.html",
        {
            "obj": obj,
            "kind": model_kind,
            "post_kind": _post_kind(obj, model_kind),
            "matches": matches,
            "fields": dict(Field.choices),
            "can_edit": can_edit_entry(request.user, obj) and obj.state != PostState.WITHDRAWN,
            "can_moderate": obj.state == PostState.PENDING
            and can_moderate_entry(request.user, obj),
            "reject_form": RejectForm(),
        },
    )


def _hub(pk: int):
    from kyoten.hubs.selectors import get_hub_for

    return get_hub_for(None, pk)


def _apply(form, exc: DomainError) -> None:
    show_domain_error(form, exc, aliases={"block": "owner", "hub": "owner", "prefecture": "owner"})


def _posted_message(request, obj) -> None:
    if obj.state == PostState.PENDING:
        messages.success(
            request,
            _("Saved. The hub's operators have been asked to approve it; you will be told."),
        )
    else:
        messages.success(request, _("Saved and published on the hub network."))


@login_required
@_domain_errors
def post_new(request, kind: str):
    """Post news, an event, a project, a result or an expert (a hub's people) or a need (a
    company's people, or a hub's on a company's behalf)."""
    if kind not in POST_KINDS:
        raise Http404(_("no such kind of entry"))
    allowed = can_post_need(request.user) if kind == "need" else can_add_entry(request.user)
    if not allowed:
        raise PermissionDenied(_("your role does not post this kind of entry"))
    form = PostForm(request.POST or None, kind=kind, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.entry_create(
                kind=_model_kind(kind), by=request.user, data=form.service_data(hub_lookup=_hub)
            )
        except Forbidden as exc:
            form.add_error("owner", exc.message)
        except DomainError as exc:
            _apply(form, exc)
        else:
            _posted_message(request, obj)
            return redirect("network:entry", kind, obj.pk)
    return render(
        request,
        "network/post_form.html",
        {"form": form, "kind": kind, "kind_label": _kind_label(kind), "obj": None},
    )


def _kind_label(kind: str) -> str:
    return str(Kind(kind).label)


@login_required
@_domain_errors
def entry_edit(request, kind: str, pk: int):
    model_kind = _model_kind(kind)
    obj = selectors.get_entry_for(request.user, model_kind, pk, write=True)
    post_kind = _post_kind(obj, model_kind)
    form = PostForm(request.POST or None, kind=post_kind, user=request.user, entry=obj)
    if request.method == "POST" and form.is_valid():
        data = form.service_data(hub_lookup=_hub)
        if form.cleaned_data["owner"] == owner_of(obj):
            data.pop("hub"), data.pop("block")
        try:
            obj = services.entry_update(entry=obj, by=request.user, data=data)
        except DomainError as exc:
            _apply(form, exc)
        else:
            _posted_message(request, obj)
            return redirect("network:entry", post_kind, obj.pk)
    return render(
        request,
        "network/post_form.html",
        {"form": form, "kind": post_kind, "kind_label": _kind_label(post_kind), "obj": obj},
    )


@login_required
@require_POST
@_domain_errors
def entry_withdraw(request, kind: str, pk: int):
    model_kind = _model_kind(kind)
    obj = selectors.get_entry_for(request.user, model_kind, pk, write=True)
    try:
        services.entry_withdraw(entry=obj, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn: it is no longer shown on the network."))
    return redirect("network:entry", _post_kind(obj, model_kind), obj.pk)


@login_required
@require_POST
@_domain_errors
def entry_approve(request, kind: str, pk: int):
    model_kind = _model_kind(kind)
    obj = selectors.get_entry_for(request.user, model_kind, pk)
    try:
        services.entry_moderate(entry=obj, by=request.user, approve=True)
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved and published; the author has been told."))
    return redirect("network:moderation")


@login_required
@require_POST
@_domain_errors
def entry_reject(request, kind: str, pk: int):
    model_kind = _model_kind(kind)
    obj = selectors.get_entry_for(request.user, model_kind, pk)
    form = RejectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.entry_moderate(entry=obj, by=request.user, approve=False, note=note)
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("network:entry", _post_kind(obj, model_kind), obj.pk)
    messages.success(request, _("Not approved; the author has been told why."))
    return redirect("network:moderation")


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def moderation(request):
    """Companies' posts waiting for this hub's operators (all of them for officers)."""
    if not can_moderate(request.user):
        raise PermissionDenied(_("hub operators and program officers moderate posts"))
    page = _page(request, selectors.posts_to_moderate(request.user))
    return render(request, "network/moderation.html", {"page": page})


@login_required
def my_posts(request):
    """Everything the user posted, in every state, with what they can do next."""
    page = _page(request, selectors.posts_by(request.user))
    kinds = [k for k in POST_KINDS if _may_post(request.user, k)]
    return render(
        request,
        "network/my_posts.html",
        {"page": page, "kinds": [(k, _kind_label(k)) for k in kinds]},
    )


def _may_post(user, kind: str) -> bool:
    return can_post_need(user) if kind == "need" else can_add_entry(user)


def post_kinds_for(user) -> list[tuple[str, str]]:
    if not can_post_to_network(user):
        return []
    return [(k, _kind_label(k)) for k in POST_KINDS if _may_post(user, k)]


def hub(request, pk: int):
    """A hub's place in the network: its entries and partner hubs in other regions."""
    from kyoten.hubs.selectors import get_hub_for

    try:
        hub_obj = get_hub_for(request.user, pk)
    except NotFound:
        raise Http404(_("no such hub")) from None
    entries = SearchEntry.objects.filter(hub_id_ref=hub_obj.pk, public=True).exclude(kind=Kind.HUB)
    by_kind = [
        (k, label, list(entries.filter(kind=k).order_by("-id")[:10]))
        for k, label in Kind.choices
        if k != Kind.HUB
    ]
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
    from kyoten.equipment.enums import Category, UserClass

    categories, classes = dict(Category.choices), dict(UserClass.choices)
    return render(
        request,
        "network/dashboard.html",
        {
            "data": data,
            "category_rows": [
                (categories.get(k, k), n) for k, n in data["equipment_by_category"].items()
            ],
            "usage_rows": [(classes.get(k, k), u) for k, u in data["usage_by_user_class"].items()],
            "block_names": [block_label(k) for k in BLOCKS],
            "hubs_by_region": [data["hubs_by_region"][b] for b in BLOCKS],
            "field_rows": field_rows,
            "kind_rows": kind_rows,
        },
    )


@login_required
def dashboard_export(request, fmt: str):
    """The dashboard's tables as one file (CSV or Excel, a sheet per table)."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied(_("ministries, officers and the promotion committee only (R-15)"))
    sheets = exports.dashboard_sheets(dashboard_data())
    return export_response(fmt=fmt, sheets=sheets, filename="network-dashboard")


@login_required
def kpis_export(request, fmt: str):
    """The KPI tables of every hub: targets, actuals and status (R-15 readers)."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied(_("ministries, officers and the promotion committee only (R-15)"))
    return export_response(fmt=fmt, sheets=[exports.kpi_sheet(request.user)], filename="kpis")


def equipment_export(request, fmt: str):
    """The national equipment catalogue, open to everyone like its page."""
    from kyoten.equipment.selectors import equipment_visible_to

    machines = equipment_visible_to(request.user).order_by("hub_id", "name", "pk")
    return export_response(
        fmt=fmt, sheets=[exports.equipment_sheet(machines)], filename="equipment"
    )
