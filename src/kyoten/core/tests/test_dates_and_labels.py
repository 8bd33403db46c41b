"""The one fiscal-year label and the one date format of pages, PDFs, sheets and messages."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from kyoten.core.dates import format_day, format_moment
from kyoten.core.fiscal import fy_label

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("fy", "ja", "en"),
    [
        (2025, "2025年度 (令和7年度)", "FY2025"),
        (2019, "2019年度 (令和元年度)", "FY2019"),
        (2018, "2018年度 (平成30年度)", "FY2018"),
        (2009, "2009年度 (平成21年度)", "FY2009"),
    ],
)
def test_fiscal_year_label(fy, ja, en):
    assert (fy_label(fy, language="ja"), fy_label(fy, language="en")) == (ja, en)


def test_fiscal_year_label_follows_the_active_language():
    with translation.override("en"):
        assert fy_label(2025) == "FY2025"
    with translation.override("ja"):
        assert fy_label("2025") == "2025年度 (令和7年度)"


def test_day_in_both_languages():
    day = dt.date(2026, 12, 8)
    assert format_day(day, language="ja") == "2026年12月8日(火)"
    assert format_day(day, language="en") == "Tue 8 Dec 2026"
    assert format_day(dt.date(2019, 4, 30), language="ja") == "2019年4月30日(火)"


def test_moment_is_shown_in_local_time():
    moment = dt.datetime(2026, 12, 8, 5, 30, tzinfo=dt.UTC)  # 14:30 in Tokyo
    assert format_moment(moment, language="ja") == "2026年12月8日(火) 14:30"
    assert format_moment(moment, language="en") == "Tue 8 Dec 2026 14:30"
    # A UTC moment late in the evening is already the next day in Japan.
    late = dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC)
    assert format_day(late, language="ja") == "2026年12月8日(火)"


def test_template_filters():
    template = Template(
        "{% load kyoten_tags %}{{ y|fy }}|{{ d|day }}|{{ m|moment }}|{{ a|yen }}|{{ a|oku }}|"
        "{{ none|fy }}|{{ none|yen }}"
    )
    context = Context(
        {
            "y": 2025,
            "d": dt.date(2026, 12, 8),
            "m": dt.datetime(2026, 12, 8, 14, 30, tzinfo=TOKYO),
            "a": 800_000_000,
            "none": None,
        }
    )
    with translation.override("ja"):
        ja = template.render(context)
    with translation.override("en"):
        en = template.render(context)
    assert (
        ja
        == "2025年度 (令和7年度)|2026年12月8日(火)|2026年12月8日(火) 14:30|¥800,000,000|8億円|—|—"
    )
    assert en == "FY2025|Tue 8 Dec 2026|Tue 8 Dec 2026 14:30|¥800,000,000|8億円|—|—"
