"""Template filters of the network pages: the label of an entry's kind (`expert` → 専門家)."""

from __future__ import annotations

from django import template

from kyoten.network.enums import Kind

register = template.Library()


@register.filter
def kind_label(key) -> str:
    return str(Kind(key).label) if key in Kind.values else (key or "")
