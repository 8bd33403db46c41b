"""Network API: `/api/v1/search` (public), entries of the collaboration database, matching and
the ministry dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.core.errors import DomainError
from kyoten.network import selectors, services
from kyoten.network.dashboard import dashboard_data
from kyoten.network.matching import match_need, match_partners
from kyoten.network.rules import can_view_dashboard
from kyoten.network.search import make_filters, search

router = Router(tags=["network"])

# URL segment → kind of entry.
PLURALS = {
    "experts": "expert",
    "projects": "project",
    "results": "result",
    "needs": "need",
    "news": "news",
}


class NetworkHubRef(Schema):
    id: int
    name: str


class SearchItem(Schema):
    kind: str
    id: int
    title: str
    snippet: str
    highlights: dict[str, list[list[int]]]
    title_html: str
    snippet_html: str
    hub: NetworkHubRef | None
    prefecture: str
    region: str
    field: str
    url: str
    score: int


class SearchPage(Page[SearchItem]):
    words: list[str]


class SearchParams(Schema):
    q: str = ""
    kind: str = ""
    region: str = ""
    prefecture: str = ""
    field: str = ""
    page: int = 1
    page_size: int = 20


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _page_args(page: int, page_size: int) -> None:
    if page < 1:
        raise ApiError(400, "page must be 1 or more", field="page")
    if not 1 <= page_size <= 200:
        raise ApiError(400, "page_size must be between 1 and 200", field="page_size")


@router.get("/search", response=SearchPage, auth=public)
def search_endpoint(request, params: Query[SearchParams]):
    """Network-wide Japanese search over hubs, equipment, experts, projects, results, company
    needs, news and events. `q`: words (all must occur; full-/half-width, katakana/hiragana and
    case do not matter). Filters: `kind`, `region` (block key), `prefecture` (JIS code), `field`
    (comma-separated for several). Ranked; title and snippet highlights are `[start, end)`."""
    if not params.q.strip():
        raise ApiError(400, "q: give one or more words to search for", field="q")
    _page_args(params.page, params.page_size)
    filters = selectors.search_filters_for(
        request.auth,
        make_filters(
            kinds=_split(params.kind),
            prefecture_codes=_split(params.prefecture),
            blocks=_split(params.region),
            fields=_split(params.field),
        ),
    )
    result = search(params.q, filters, page=params.page, page_size=params.page_size)
    items = [
        {
            "kind": h.kind,
            "id": h.id,
            "title": h.title,
            "snippet": h.snippet.text,
            "highlights": {
                "title": [list(s) for s in h.title_highlights],
                "snippet": [list(s) for s in h.snippet.spans],
            },
            "title_html": h.title_html,
            "snippet_html": h.snippet.html(),
            "hub": {"id": h.hub_id, "name": h.hub_name} if h.hub_id else None,
            "prefecture": h.prefecture,
            "region": h.block,
            "field": h.field,
            "url": h.url,
            "score": h.score,
        }
        for h in result.hits
    ]
    return {"items": items, "count": result.count, "words": result.words}


# --- entries ------------------------------------------------------------------------------

COMMON = ("scope", "block", "field", "keywords", "public")
SPECIFIC = {
    "expert": (
        "name", "name_kana", "role", "position", "affiliation", "profile", "erad_number",
        "orcid", "researchmap_id",
    ),
    "project": ("title", "summary", "partners", "start_date", "end_date", "outcome"),
    "result": ("kind", "title", "summary", "year", "identifier", "project_id"),
    "need": ("company_name", "is_sme", "title", "description", "status"),
    "news": ("kind", "title", "body", "starts_at", "ends_at", "place", "published_at"),
}  # fmt: skip


def entry_out(kind: str, entry) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entry.pk, "entry_kind": kind}
    for name in COMMON + SPECIFIC[kind]:
        value = getattr(entry, name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    out["hub"] = {"id": entry.hub_id, "name": entry.hub.name} if entry.hub_id else None
    out["prefecture"] = entry.prefecture_id
    out["region"] = entry.block
    if kind == "expert":
        out["organisation"] = entry.organisation.name if entry.organisation_id else None
    out["updated_at"] = timezone.localtime(entry.updated_at).isoformat()
    return out


class EntryList(Schema):
    region: str = ""
    prefecture: str = ""
    field: str = ""
    hub: int | None = None
    page: int = 1
    page_size: int = 20


def _input(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """JSON payload → service data (hub id → Hub, prefecture code, region key)."""
    if not isinstance(payload, dict):
        raise ApiError(400, "the body must be a JSON object", field="body")
    data: dict[str, Any] = {}
    allowed = set(COMMON + SPECIFIC[kind]) - {"scope"}
    for name, value in payload.items():
        if name == "hub":
            if value is None:
                data["hub"] = None
                continue
            from kyoten.hubs.selectors import get_hub_for

            try:
                data["hub"] = get_hub_for(None, value)
            except DomainError:
                raise ApiError(400, _("no such hub"), field="hub") from None
        elif name == "prefecture":
            data["prefecture_id"] = value
        elif name in ("region", "block"):
            data["block"] = value
        elif name in allowed:
            data[name] = value
        else:
            raise ApiError(400, _("unknown field"), field=name)
    return data


def _register(plural: str, kind: str) -> None:
    def list_entries(request, params: Query[EntryList]):
        qs = selectors.entries_visible_to(request.auth, kind)
        if params.region:
            qs = qs.filter(block=params.region)
        if params.prefecture:
            qs = qs.filter(prefecture_id=params.prefecture)
        if params.field:
            qs = qs.filter(field=params.field)
        if params.hub:
            qs = qs.filter(hub_id=params.hub)
        page = paginate(qs.order_by("-id"), params.page, params.page_size)
        return {"items": [entry_out(kind, e) for e in page["items"]], "count": page["count"]}

    def get_entry(request, entry_id: int):
        return entry_out(kind, selectors.get_entry_for(request.auth, kind, entry_id))

    def create_entry(request, payload: dict[str, Any] = Body(...)):  # noqa: B008
        entry = services.entry_create(kind=kind, by=request.auth, data=_input(kind, payload))
        return Status(201, entry_out(kind, entry))

    def update_entry(request, entry_id: int, payload: dict[str, Any] = Body(...)):  # noqa: B008
        entry = selectors.get_entry_for(request.auth, kind, entry_id, write=True)
        entry = services.entry_update(entry=entry, by=request.auth, data=_input(kind, payload))
        return entry_out(kind, entry)

    def delete_entry(request, entry_id: int):
        entry = selectors.get_entry_for(request.auth, kind, entry_id, write=True)
        services.entry_delete(entry=entry, by=request.auth)
        return Status(204, None)

    for func, verb in (
        (list_entries, "list"),
        (get_entry, "get"),
        (create_entry, "create"),
        (update_entry, "update"),
        (delete_entry, "delete"),
    ):
        func.__name__ = f"network_{plural}_{verb}"
    base = f"/network/{plural}"
    router.get(
        base, response=Page[dict[str, Any]], auth=public, operation_id=f"network_{plural}_list"
    )(list_entries)
    router.get(
        base + "/{entry_id}",
        response=dict[str, Any],
        auth=public,
        operation_id=f"network_{plural}_get",
    )(get_entry)
    router.post(base, response={201: dict[str, Any]}, operation_id=f"network_{plural}_create")(
        create_entry
    )
    router.patch(
        base + "/{entry_id}", response=dict[str, Any], operation_id=f"network_{plural}_update"
    )(update_entry)
    router.delete(base + "/{entry_id}", response={204: None}, operation_id=f"network_{plural}_delete")(delete_entry)  # fmt: skip


for _plural, _kind in PLURALS.items():
    _register(_plural, _kind)


# --- matching and dashboards ----------------------------------------------------------------


class SuggestionOut(Schema):
    kind: str
    id: int
    title: str
    hub: NetworkHubRef | None
    prefecture: str
    region: str
    score: float
    reasons: list[str]


def _suggestions(items) -> list[dict]:
    return [
        {
            "kind": s.kind,
            "id": s.id,
            "title": s.title,
            "hub": {"id": s.hub_id, "name": s.hub_name} if s.hub_id else None,
            "prefecture": s.prefecture,
            "region": s.block,
            "score": s.score,
            "reasons": s.reasons,
        }
        for s in items
    ]


@router.get("/network/needs/{entry_id}/matches", response=list[SuggestionOut], auth=public)
def need_matches(request, entry_id: int):
    """Hubs, equipment and experts that fit a company's need, across regions, with reasons."""
    need = selectors.get_entry_for(request.auth, "need", entry_id)
    return _suggestions(match_need(need))


@router.get("/network/hubs/{hub_id}/partners", response=list[SuggestionOut], auth=public)
def hub_partners(request, hub_id: int):
    """Hubs in other regions with shared fields and complementary strengths."""
    from kyoten.hubs.selectors import get_hub_for

    return _suggestions(match_partners(get_hub_for(request.auth, hub_id)))


@router.get("/network/dashboard", response=dict[str, Any])
def dashboard(request):
    """R-15: hubs by field and region, equipment by category, usage by SMEs (read-only)."""
    if not can_view_dashboard(request.auth):
        raise ApiError(403, _("ministries, officers and the promotion committee only"), rule="R-15")
    return dashboard_data()


class SubscriptionIn(Schema):
    blocks: list[str] = []
    fields: list[str] = []
    digest: bool = True


class SubscriptionOut(Schema):
    blocks: list[str]
    fields: list[str]
    digest: bool


@router.get("/network/subscription", response=SubscriptionOut)
def subscription_get(request):
    """The regions and fields the user follows in their feed and e-mail digest."""
    from kyoten.network.models import Subscription

    sub = Subscription.objects.filter(user=request.auth).first()
    if sub is None:
        return {"blocks": [], "fields": [], "digest": False}
    return {"blocks": sub.blocks, "fields": sub.fields, "digest": sub.digest}


@router.put("/network/subscription", response=SubscriptionOut)
def subscription_put(request, payload: SubscriptionIn):
    sub = services.subscription_set(
        user=request.auth, blocks=payload.blocks, fields=payload.fields, digest=payload.digest
    )
    return {"blocks": sub.blocks, "fields": sub.fields, "digest": sub.digest}
