import datetime as dt

import pytest

from kyoten.equipment.slots import (
    TOKYO,
    BookingRules,
    OpeningHours,
    SlotError,
    check_times,
    day_slots,
    free_slots,
    parse_instant,
)

WEEKDAYS_9_17 = OpeningHours(
    weekdays=frozenset({1, 2, 3, 4, 5}), opens_minute=540, closes_minute=1020
)
RULES = BookingRules(
    hours=WEEKDAYS_9_17, slot_minutes=30, min_minutes=30, max_minutes=240, lead_minutes=60
)
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=TOKYO)  # a Monday


def t(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TOKYO)


def test_parse_instant_keeps_offsets_and_reads_naive_as_tokyo():
    assert parse_instant("2026-12-01T01:00:00Z", field="start") == dt.datetime(
        2026, 12, 1, 10, 0, tzinfo=TOKYO
    )
    assert parse_instant("2026-12-01T10:00:00", field="start") == dt.datetime(
        2026, 12, 1, 10, 0, tzinfo=TOKYO
    )


@pytest.mark.parametrize("value", ["tomorrow", "2026-12-01", "2026-13-01T10:00", "", None, 5])
def test_parse_instant_rejects_non_iso_values_naming_the_field(value):
    with pytest.raises(SlotError) as err:
        parse_instant(value, field="end")
    assert err.value.field == "end"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (t(30, 11), t(30, 10), "end", "終了日時は開始日時より後にしてください"),
        (t(30, 7), t(30, 8), "start", "開始日時が過去です"),
        (t(30, 8, 30), t(30, 9, 30), "start", "予約は開始の1時間前までにしてください"),
        (t(30, 10), t(30, 15), "end", "1回の予約は最長4時間です"),
        (t(30, 10), t(30, 10, 15), "end", "1回の予約は最短30分です"),
        (t(30, 16), t(30, 18), "start", "利用可能時間外です（月–金 09:00–17:00、日本時間）"),
        (dt.datetime(2026, 12, 5, 10, tzinfo=TOKYO), dt.datetime(2026, 12, 5, 11, tzinfo=TOKYO),
         "start", "利用可能時間外です（月–金 09:00–17:00、日本時間）"),
    ],
)  # fmt: skip
def test_check_times_names_the_field(start, end, field, message):
    with pytest.raises(SlotError) as err:
        check_times(RULES, start, end, now=NOW)
    assert (err.value.field, err.value.message) == (field, message)


def test_check_times_accepts_a_booking_inside_the_rules():
    check_times(RULES, t(30, 10), t(30, 12), now=NOW)


def test_round_the_clock_hours_allow_bookings_across_midnight():
    always = OpeningHours(weekdays=frozenset(range(1, 8)), opens_minute=0, closes_minute=1440)
    assert always.contains(t(30, 22), dt.datetime(2026, 12, 1, 2, tzinfo=TOKYO))
    assert not WEEKDAYS_9_17.contains(t(30, 16), dt.datetime(2026, 12, 1, 10, tzinfo=TOKYO))


def test_open_minutes_count_open_days_only():
    # Mon 30 Nov to Sun 6 Dec: five days of eight hours
    assert WEEKDAYS_9_17.open_minutes(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == 5 * 480
    closed = OpeningHours(closed_dates=frozenset({dt.date(2026, 12, 1)}))
    assert closed.open_minutes(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == 4 * 480


def test_free_slots_skip_busy_times_lead_time_and_closed_days():
    busy = [(t(30, 9), t(30, 12)), (t(30, 13), t(30, 17))]
    assert free_slots(RULES, busy, after=NOW, length_minutes=60, limit=2) == [
        (t(30, 12), t(30, 13)),
        (dt.datetime(2026, 12, 1, 9, tzinfo=TOKYO), dt.datetime(2026, 12, 1, 10, tzinfo=TOKYO)),
    ]
    friday_evening = dt.datetime(2026, 12, 4, 16, 30, tzinfo=TOKYO)
    assert free_slots(RULES, [], after=friday_evening, length_minutes=60) == [
        (dt.datetime(2026, 12, 7, 9, tzinfo=TOKYO), dt.datetime(2026, 12, 7, 10, tzinfo=TOKYO))
    ]


def test_day_slots_follow_the_slot_length():
    slots = day_slots(RULES, dt.date(2026, 11, 30))
    assert (len(slots), slots[0], slots[-1]) == (
        16,
        (t(30, 9), t(30, 9, 30)),
        (t(30, 16, 30), t(30, 17)),
    )
    assert day_slots(RULES, dt.date(2026, 11, 29)) == []
