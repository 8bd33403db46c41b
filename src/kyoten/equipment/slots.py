"""Opening hours, booking rules and free slots in Asia/Tokyo: pure functions (no database).

Times are aware datetimes. A naive datetime given to `parse_instant` is read as Asia/Tokyo
(the time zone every hub works in); the answer always carries its offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

TOKYO = ZoneInfo("Asia/Tokyo")
DAY_MINUTES = 24 * 60
WEEKDAY_NAMES = {1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}
# Shown to people (the API keeps the English codes above).
WEEKDAY_LABELS = {
    1: gettext_lazy("Mon"), 2: gettext_lazy("Tue"), 3: gettext_lazy("Wed"),
    4: gettext_lazy("Thu"), 5: gettext_lazy("Fri"), 6: gettext_lazy("Sat"),
    7: gettext_lazy("Sun"),
}  # fmt: skip


class SlotError(ValueError):
    """A booking time that the machine's rules refuse; `field` names the input."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hhmm(text: str, *, field: str) -> int:
    """'09:30' → 570; '24:00' is allowed as a closing time."""
    try:
        hours, minutes = text.strip().split(":")
        value = int(hours) * 60 + int(minutes)
    except (ValueError, AttributeError):
        raise SlotError(
            _("expected a time as HH:MM, got %(value)r") % {"value": text}, field=field
        ) from None
    if not 0 <= value <= DAY_MINUTES or not 0 <= int(minutes) < 60:
        raise SlotError(_("%(value)r is not a time of day") % {"value": text}, field=field)
    return value


def parse_instant(value: str | dt.datetime | None, *, field: str) -> dt.datetime:
    """An ISO 8601 date-time as an aware datetime; naive values are Asia/Tokyo."""
    if value is None or value == "":
        raise SlotError(_("required (an ISO 8601 date and time)"), field=field)
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        if "T" not in text and " " not in text:
            raise SlotError(
                _("%(value)r is not an ISO 8601 date and time (e.g. 2026-12-01T10:00:00+09:00)")
                % {"value": value},
                field=field,
            )
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise SlotError(
                _("%(value)r is not an ISO 8601 date and time (e.g. 2026-12-01T10:00:00+09:00)")
                % {"value": value},
                field=field,
            ) from None
    else:
        raise SlotError(_("expected an ISO 8601 date and time as a string"), field=field)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=TOKYO)
    return parsed


@dataclass(frozen=True)
class OpeningHours:
    """Open on `weekdays` (ISO, Monday = 1) from `opens_minute` to `closes_minute` (local)."""

    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    opens_minute: int = 9 * 60
    closes_minute: int = 17 * 60
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 0 <= self.opens_minute < self.closes_minute <= DAY_MINUTES:
            raise SlotError(_("opening must come before closing, within one day"), field="opens")
        if not self.weekdays or not set(self.weekdays) <= set(range(1, 8)):
            raise SlotError(_("weekdays are 1 (Monday) to 7 (Sunday)"), field="weekdays")

    @property
    def minutes_per_day(self) -> int:
        return self.closes_minute - self.opens_minute

    def is_open_on(self, day: dt.date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.closed_dates

    def day_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        if not self.is_open_on(day):
            return None
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=TOKYO)
        return (
            midnight + dt.timedelta(minutes=self.opens_minute),
            midnight + dt.timedelta(minutes=self.closes_minute),
        )

    def windows(self, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """Open windows from `first` to `last` (local dates, inclusive), touching ones merged."""
        out: list[tuple[dt.datetime, dt.datetime]] = []
        day = first
        while day <= last:
            window = self.day_window(day)
            if window:
                if out and out[-1][1] == window[0]:
                    out[-1] = (out[-1][0], window[1])
                else:
                    out.append(window)
            day += dt.timedelta(days=1)
        return out

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether [start, end) lies inside one open window."""
        first = start.astimezone(TOKYO).date() - dt.timedelta(days=1)
        last = end.astimezone(TOKYO).date()
        return any(ws <= start and end <= we for ws, we in self.windows(first, last))

    def open_minutes(self, first: dt.date, last: dt.date) -> int:
        """Opening minutes from `first` to `last` inclusive (the denominator of utilisation)."""
        if last < first:
            return 0
        total = 0
        day = first
        while day <= last:
            if self.is_open_on(day):
                total += self.minutes_per_day
            day += dt.timedelta(days=1)
        return total

    def label(self) -> str:
        days = sorted(self.weekdays)
        if days == list(range(1, 8)):
            span = _("Mon–Sun")
        elif days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            span = f"{WEEKDAY_LABELS[days[0]]}–{WEEKDAY_LABELS[days[-1]]}"
        else:
            span = _(", ").join(str(WEEKDAY_LABELS[d]) for d in days)
        return f"{span} {hhmm(self.opens_minute)}–{hhmm(self.closes_minute)}"


@dataclass(frozen=True)
class BookingRules:
    hours: OpeningHours = field(default_factory=OpeningHours)
    slot_minutes: int = 30
    min_minutes: int = 30
    max_minutes: int = 8 * 60
    lead_minutes: int = 60


def check_times(
    rules: BookingRules, start: dt.datetime, end: dt.datetime, *, now: dt.datetime
) -> None:
    """Raise SlotError (with the field) when [start, end) breaks the machine's booking rules."""
    if end <= start:
        raise SlotError(_("end must be after start"), field="end")
    minutes = (end - start).total_seconds() / 60
    if start < now:
        raise SlotError(_("start is in the past"), field="start")
    if start < now + dt.timedelta(minutes=rules.lead_minutes):
        raise SlotError(
            _("bookings must be made at least %(duration)s ahead")
            % {"duration": _duration(rules.lead_minutes)},
            field="start",
        )
    if minutes > rules.max_minutes:
        raise SlotError(
            _("a booking may last at most %(duration)s")
            % {"duration": _duration(rules.max_minutes)},
            field="end",
        )
    if minutes < rules.min_minutes:
        raise SlotError(
            _("a booking must last at least %(duration)s")
            % {"duration": _duration(rules.min_minutes)},
            field="end",
        )
    if not rules.hours.contains(start, end):
        raise SlotError(
            _("outside opening hours (%(hours)s, Asia/Tokyo)") % {"hours": rules.hours.label()},
            field="start",
        )


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _align_up(moment: dt.datetime, slot_minutes: int) -> dt.datetime:
    local = moment.astimezone(TOKYO)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (local - midnight).total_seconds()
    step = slot_minutes * 60
    aligned = -(-offset // step) * step
    return midnight + dt.timedelta(seconds=aligned)


def free_slots(
    rules: BookingRules,
    busy: Iterable[tuple[dt.datetime, dt.datetime]],
    *,
    after: dt.datetime,
    length_minutes: int | None = None,
    limit: int = 1,
    horizon_days: int = 28,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The first `limit` free slots of `length_minutes` starting at or after `after` + lead time."""
    length = dt.timedelta(minutes=length_minutes or max(rules.min_minutes, rules.slot_minutes))
    earliest = _align_up(after + dt.timedelta(minutes=rules.lead_minutes), rules.slot_minutes)
    taken: Sequence[tuple[dt.datetime, dt.datetime]] = sorted(busy)
    first = earliest.astimezone(TOKYO).date()
    found: list[tuple[dt.datetime, dt.datetime]] = []
    for ws, we in rules.hours.windows(first, first + dt.timedelta(days=horizon_days)):
        t = _align_up(max(ws, earliest), rules.slot_minutes)
        while t + length <= we:
            clash = next((b for b in taken if b[0] < t + length and t < b[1]), None)
            if clash is None:
                found.append((t, t + length))
                if len(found) >= limit:
                    return found
                t = t + length
            else:
                t = _align_up(clash[1], rules.slot_minutes)
    return found


def day_slots(rules: BookingRules, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The grid of slots of one local day (for the calendar)."""
    window = rules.hours.day_window(day)
    if window is None:
        return []
    step = dt.timedelta(minutes=rules.slot_minutes)
    out = []
    t = window[0]
    while t + step <= window[1]:
        out.append((t, t + step))
        t += step
    return out
