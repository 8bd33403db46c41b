from __future__ import annotations

from django import template

from kyoten.core.fiscal import era_name
from kyoten.core.money import format_oku, format_yen

register = template.Library()


@register.filter
def hub_yen(value) -> str:
    return format_yen(int(value)) if value is not None else "—"


@register.filter
def hub_oku(value) -> str:
    return format_oku(int(value)) if value is not None else "—"


@register.filter
def hub_fy(value) -> str:
    return f"{value} ({era_name(int(value))})" if value else "—"
