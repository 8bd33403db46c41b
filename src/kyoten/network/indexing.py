"""What goes into the search index for each kind of thing, and keeping it current.

The network app is right of hubs and equipment in the lifecycle, so it indexes them itself:
signals connected in `NetworkConfig.ready` refresh an entry when a hub, a piece of equipment or
a network entry is saved or deleted; `kyoten search-reindex` rebuilds everything (bulk writes
skip signals, so demos and imports call it, or `reindex_all`, at the end).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from kyoten.network.enums import Field, Kind, PostState
from kyoten.network.search import IndexDoc, index_bulk, index_entry, unindex

logger = logging.getLogger(__name__)

# Words that tell a field apart, for things that carry no field of their own (hubs, equipment).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    Field.MATERIALS: ("材料", "素材", "金属", "セラミック", "複合材", "薄膜", "マテリアル"),
    Field.MEDICAL: ("医療", "医薬", "創薬", "ヘルスケア", "診断", "福祉", "看護"),
    Field.FOOD: ("食品", "食料", "発酵", "醸造", "機能性表示"),
    Field.ROBOTICS: ("ロボット", "自動化", "ドローン", "アクチュエータ"),
    Field.ELECTRONICS: ("半導体", "電子", "デバイス", "センサ", "光学", "レーザ"),
    Field.ENERGY: ("エネルギー", "電池", "水素", "太陽光", "燃料"),
    Field.ENVIRONMENT: ("環境", "リサイクル", "水処理", "脱炭素"),
    Field.ICT: ("情報", "ai", "データ", "iot", "ソフトウェア", "通信"),
    Field.MANUFACTURING: ("ものづくり", "加工", "金型", "精密", "機械", "鋳造"),
    Field.BIO: ("バイオ", "ゲノム", "遺伝子", "微生物", "細胞"),
    Field.AGRICULTURE: ("農業", "農林", "水産", "林業", "畜産"),
    Field.CHEMISTRY: ("化学", "触媒", "高分子", "分析"),
}


def guess_field(text: str) -> str:
    """The field whose words occur most often in `text` ('' when none does)."""
    from kyoten.core.textsearch import normalise

    norm = normalise(text)
    best, best_count = "", 0
    for field, words in FIELD_WORDS.items():
        count = sum(norm.count(normalise(w)) for w in words)
        if count > best_count:
            best, best_count = str(field), count
    return best


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _hub_meta(hub) -> dict:
    if hub is None:
        return {}
    pref = getattr(hub, "lead_prefecture_id", "") or ""
    return {"hub_id": hub.pk, "hub_name": hub.name, "prefecture": pref}


def hub_doc(hub) -> IndexDoc:
    body = " ".join(
        str(getattr(hub, name, "") or "")
        for name in ("summary", "how_to_use", "address", "land_campus", "representative_name")
    )
    return IndexDoc(
        kind=Kind.HUB,
        object_id=hub.pk,
        title=hub.name,
        body=body,
        field=guess_field(f"{hub.name} {body}"),
        url=_url("network:hub", hub.pk),
        **_hub_meta(hub),
    )


def equipment_doc(item) -> IndexDoc:
    parts = [
        str(getattr(item, name, "") or "")
        for name in ("name_en", "maker", "model_name", "specs", "location")
    ]
    category = getattr(item, "get_category_display", lambda: "")()
    body = " ".join([str(category), *parts])
    status = getattr(item, "status", "")
    return IndexDoc(
        kind=Kind.EQUIPMENT,
        object_id=item.pk,
        title=item.name,
        body=body,
        field=guess_field(f"{item.name} {body}"),
        public=status != "retired",
        url=_url("equipment:detail", item.pk) or f"/api/v1/equipment/{item.pk}",
        **_hub_meta(getattr(item, "hub", None)),
    )


def _entry_meta(entry) -> dict:
    meta = {
        "prefecture": entry.prefecture_id or "",
        "block": entry.block,
        "field": entry.field,
        "public": entry.public,
    }
    if entry.hub_id:
        hub = entry.hub
        meta.update(hub_id=hub.pk, hub_name=hub.name)
        if not meta["prefecture"]:
            meta["prefecture"] = hub.lead_prefecture_id
    return meta


def expert_doc(expert) -> IndexDoc:
    org = expert.organisation.name if expert.organisation_id else ""
    body = " ".join(
        [
            expert.name_kana,
            expert.get_role_display(),
            expert.position,
            org,
            expert.affiliation,
            expert.keywords,
            expert.profile,
        ]
    )
    return IndexDoc(
        kind=Kind.EXPERT,
        object_id=expert.pk,
        title=expert.name,
        body=body,
        url=_url("network:entry", "expert", expert.pk),
        **_entry_meta(expert),
    )


def project_doc(project) -> IndexDoc:
    body = " ".join([project.keywords, project.summary, project.partners, project.outcome])
    return IndexDoc(
        kind=Kind.PROJECT,
        object_id=project.pk,
        title=project.title,
        body=body,
        url=_url("network:entry", "project", project.pk),
        **_entry_meta(project),
    )


def result_doc(result) -> IndexDoc:
    body = " ".join([result.get_kind_display(), result.keywords, result.identifier, result.summary])
    return IndexDoc(
        kind=Kind.RESULT,
        object_id=result.pk,
        title=result.title,
        body=body,
        url=_url("network:entry", "result", result.pk),
        **_entry_meta(result),
    )


def need_doc(need) -> IndexDoc:
    body = " ".join([need.company_name, need.keywords, need.description])
    meta = _entry_meta(need)
    meta["public"] = meta["public"] and need.status != "closed"
    return IndexDoc(
        kind=Kind.NEED,
        object_id=need.pk,
        title=need.title,
        body=body,
        url=_url("network:entry", "need", need.pk),
        **meta,
    )


def news_doc(news) -> IndexDoc:
    body = " ".join([news.place, news.keywords, news.body])
    return IndexDoc(
        kind=news.kind,
        object_id=news.pk,
        title=news.title,
        body=body,
        url=_url("network:entry", news.kind, news.pk),
        **_entry_meta(news),
    )


def _network_builders():
    from kyoten.network.models import CompanyNeed, Expert, News, Project, Result

    return [
        (Expert, expert_doc, Kind.EXPERT),
        (Project, project_doc, Kind.PROJECT),
        (Result, result_doc, Kind.RESULT),
        (CompanyNeed, need_doc, Kind.NEED),
        (News, news_doc, None),
    ]


def _optional_model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def builders():
    """(model, doc builder, kind or None when the doc says) for every indexed model."""
    found = []
    hub_model = _optional_model("hubs.Hub")
    if hub_model is not None:
        found.append((hub_model, hub_doc, Kind.HUB))
    equipment_model = _optional_model("equipment.Equipment")
    if equipment_model is not None:
        found.append((equipment_model, equipment_doc, Kind.EQUIPMENT))
    found.extend(_network_builders())
    return found


def _is_shown(instance) -> bool:
    """Only published posts are in the index (a company's need waiting for moderation, a
    rejected or withdrawn post is found by nobody)."""
    return getattr(instance, "state", PostState.PUBLISHED) == PostState.PUBLISHED


def _select(model):
    qs = model._default_manager.all()
    if model._meta.app_label == "network":
        qs = qs.filter(state=PostState.PUBLISHED)
    names = {f.name for f in model._meta.get_fields()}
    related = [n for n in ("hub", "organisation", "lead_prefecture") if n in names]
    if related:
        qs = qs.select_related(*related)
    return qs


def docs_for_all() -> Iterator[IndexDoc]:
    for model, build, _kind in builders():
        for obj in _select(model).iterator(chunk_size=2000):
            yield build(obj)


@transaction.atomic
def reindex_all() -> int:
    """Rebuild the whole index from the database. Returns the number of entries."""
    from kyoten.network.search import clear_index

    clear_index()
    return index_bulk(docs_for_all(), replace=False)


def refresh(instance) -> None:
    if not _is_shown(instance):
        forget(instance)
        return
    for model, build, kind in builders():
        if isinstance(instance, model):
            doc = build(instance)
            if kind is None:  # news and events share a model: drop the other kind's entry
                for other in (Kind.NEWS, Kind.EVENT):
                    if other != doc.kind:
                        unindex(other, instance.pk)
            index_entry(doc)
            return


def forget(instance) -> None:
    for model, _build, kind in builders():
        if isinstance(instance, model):
            unindex(kind or instance.kind, instance.pk)
            return


def _guarded(action, instance) -> None:
    """Index inside a savepoint; a failure to index never breaks the write of another app."""
    try:
        with transaction.atomic():
            action(instance)
    except Exception:  # noqa: BLE001 - the index is derived data, rebuilt by search-reindex
        logger.exception("search index not updated for %r", instance)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _guarded(refresh, instance)


def _on_delete(sender, instance, **kwargs) -> None:
    _guarded(forget, instance)
