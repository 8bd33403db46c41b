from __future__ import annotations

from django import template

from kyoten.core.money import format_oku, format_yen

register = template.Library()


@register.filter
def yen(value):
    return format_yen(value) if isinstance(value, int) else "—"


@register.filter
def oku(value):
    return format_oku(value) if isinstance(value, int) else "—"
