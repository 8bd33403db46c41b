"""Days and moments as people read them in messages and on pages.

Japanese: 2026年12月8日(火) and 2026年12月8日(火) 14:30; English: Tue 8 Dec 2026 and
Tue 8 Dec 2026 14:30. Moments are shown in local time (Asia/Tokyo). ISO 8601 stays for JSON,
CSV and file names; a person reading a message gets these.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _japanese(language: str | None) -> bool:
    return (language or get_language() or "ja").startswith("ja")


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def format_day(day: dt.date | dt.datetime, *, language: str | None = None) -> str:
    """2026年12月8日(火) / Tue 8 Dec 2026 (a datetime is taken on its local day)."""
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    if _japanese(language):
        return f"{day.year}年{day.month}月{day.day}日({WEEKDAYS_JA[day.weekday()]})"
    return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_moment(moment: dt.datetime, *, language: str | None = None) -> str:
    """2026年12月8日(火) 14:30 / Tue 8 Dec 2026 14:30, in local time."""
    local = _local(moment)
    return f"{format_day(local.date(), language=language)} {local:%H:%M}"
