"""Template filters of the equipment pages: dates as people write them, yen with separators."""

from __future__ import annotations

from django import template

from kyoten.core.money import format_yen
from kyoten.equipment import dates

register = template.Library()


@register.filter
def yen(value) -> str:
    """¥2,250 (— when there is no amount)."""
    return format_yen(int(value)) if value not in (None, "") else "—"


@register.filter
def day(value) -> str:
    """2026年12月8日(火)"""
    return dates.format_day(value) if value else "—"


@register.filter
def when(value) -> str:
    """2026年12月8日(火) 10:00"""
    return dates.format_when(value) if value else "—"


@register.filter
def span(start, end) -> str:
    """2026年12月8日(火) 10:00–12:00"""
    return dates.format_span(start, end)


@register.filter
def get_item(mapping, key):
    """mapping[key], or None."""
    return mapping.get(key) if mapping else None
