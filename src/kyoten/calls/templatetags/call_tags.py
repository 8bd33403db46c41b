"""Template filters of the calls pages: money at the edge (`¥69,500,000,000 (695億円)`)."""

from __future__ import annotations

from django import template

from kyoten.calls import program
from kyoten.core.money import format_oku, format_yen

register = template.Library()


@register.filter
def call_yen(value):
    """¥69,500,000,000 (695億円); empty for no amount."""
    if value is None or value == "":
        return ""
    return f"{format_yen(int(value))} ({format_oku(int(value))})"


# Keys of a proposal shown as their labels (`{% load call_tags %}`): forms, sections, KPIs.
register.filter("form_label", program.form_label)
register.filter("section_label", program.section_label)
register.filter("kpi_label", program.kpi_label)
