"""The site-wide filters: fiscal years, days and money as people read them.

`{% load kyoten_tags %}` then `{{ year|fy }}` (2025年度 (令和7年度) / FY2025), `{{ day|day }}`
(2026年12月8日(火)), `{{ moment|moment }}` (… 14:30), `{{ amount|yen }}` (¥800,000,000) and
`{{ amount|oku }}` (8億円). Empty values show as a dash.
"""

from __future__ import annotations

import datetime as dt

from django import template

from kyoten.core.dates import format_day, format_moment
from kyoten.core.fiscal import fy_label
from kyoten.core.money import format_oku, format_yen

register = template.Library()

DASH = "—"


def _int(value) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter
def fy(value) -> str:
    year = _int(value)
    return fy_label(year) if year is not None else DASH


@register.filter
def day(value) -> str:
    return format_day(value) if isinstance(value, dt.date) else DASH


@register.filter
def moment(value) -> str:
    return format_moment(value) if isinstance(value, dt.datetime) else DASH


@register.filter
def yen(value) -> str:
    amount = _int(value)
    return format_yen(amount) if amount is not None else DASH


@register.filter
def oku(value) -> str:
    amount = _int(value)
    return format_oku(amount) if amount is not None else DASH


@register.filter
def block_name(key) -> str:
    """A regional block's name (`hokkaido` → 北海道 / Hokkaido) in the active language."""
    from kyoten.core.reference import block_label

    return block_label(key)


@register.simple_tag(takes_context=True)
def history_link(context, obj) -> str:
    """For officers, a link to the record's change history (`core/history.html`); else nothing."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from kyoten.core.rules import is_officer

    request = context.get("request")
    if obj is None or request is None or not is_officer(request.user):
        return ""
    if not hasattr(type(obj), "history"):
        return ""
    url = reverse("history", args=[obj._meta.label_lower, obj.pk])
    return format_html(
        '<p class="history-link"><a href="{}">{}</a></p>', url, gettext("Change history")
    )
