"""Dates and times as people write them, in the active language (Asia/Tokyo).

Japanese: 2026年12月8日(火) 10:00; English: Tue 8 Dec 2026 10:00. The `Local*` objects format
themselves when turned into text, so a notice's parameters read right in both languages.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language

from kyoten.equipment.slots import TOKYO

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def format_day(day: dt.date) -> str:
    """2026年12月8日(火) / Tue 8 Dec 2026"""
    if _japanese():
        return f"{day.year}年{day.month}月{day.day}日({_WEEKDAYS_JA[day.weekday()]})"
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_when(moment: dt.datetime) -> str:
    """2026年12月8日(火) 10:00 / Tue 8 Dec 2026 10:00 (Asia/Tokyo)"""
    local = moment.astimezone(TOKYO)
    return f"{format_day(local.date())} {local:%H:%M}"


def format_span(start: dt.datetime, end: dt.datetime) -> str:
    """2026年12月8日(火) 10:00–12:00; the end's day is written only when it differs."""
    s, e = start.astimezone(TOKYO), end.astimezone(TOKYO)
    if s.date() == e.date():
        return f"{format_when(s)}–{e:%H:%M}"
    return f"{format_when(s)}–{format_when(e)}"


class LocalDay:
    """A day that formats itself in the language active when it is turned into text."""

    def __init__(self, day: dt.date):
        self.day = day

    def __str__(self) -> str:
        return format_day(self.day)


class LocalSpan:
    def __init__(self, start: dt.datetime, end: dt.datetime):
        self.start, self.end = start, end

    def __str__(self) -> str:
        return format_span(self.start, self.end)
