"""Atom and RSS feeds of news and events: nationwide, per region and per hub (public items)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from kyoten.core.reference import BLOCKS
from kyoten.network.selectors import news_for

FEED_SIZE = 50


class NewsRss(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, block: str | None = None, hub_id: int | None = None):
        if block is not None and block not in BLOCKS:
            raise Http404("no such region")
        name = None
        if hub_id is not None:
            from kyoten.hubs.models import Hub

            name = Hub.objects.filter(pk=hub_id).values_list("name", flat=True).first()
            if name is None:
                raise Http404("no such hub")
        return {"block": block, "hub_id": hub_id, "hub_name": name}

    def title(self, obj):
        if obj["hub_id"]:
            return f"{obj['hub_name']}のお知らせ・イベント（kyoten 拠点ネットワーク）"
        if obj["block"]:
            return f"kyoten 拠点ネットワーク: {BLOCKS[obj['block']][0]}地域のお知らせ・イベント"
        return "kyoten 拠点ネットワーク: 全国のお知らせ・イベント"

    def link(self, obj):
        if obj["hub_id"]:
            return reverse("network:hub", args=[obj["hub_id"]])
        if obj["block"]:
            return reverse("network:region", args=[obj["block"]])
        return reverse("network:index")

    def description(self, obj):
        return self.title(obj)

    def items(self, obj):
        return news_for(AnonymousUser(), block=obj["block"], hub_id=obj["hub_id"])[:FEED_SIZE]

    def item_title(self, item):
        prefix = "【イベント】" if item.kind == "event" else ""
        return prefix + item.title

    def item_description(self, item):
        when = f"{item.starts_at:%Y-%m-%d %H:%M} " if item.starts_at else ""
        return f"{when}{item.place} {item.body}".strip()

    def item_link(self, item):
        return reverse("network:entry", args=[item.kind, item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [c for c in (item.kind, item.block, item.field) if c]


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
    subtitle = NewsRss.description
