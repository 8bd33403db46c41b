import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyoten.core import fiscal
from kyoten.core.money import format_oku, format_yen, is_yen


@pytest.mark.parametrize(
    ("day", "fy"),
    [("2009-04-01", 2009), ("2010-03-31", 2009), ("2010-04-01", 2010), ("2009-12-24", 2009)],
)
def test_fiscal_year(day, fy):
    assert fiscal.fiscal_year(dt.date.fromisoformat(day)) == fy


@pytest.mark.parametrize(
    ("fy", "name"),
    [(2009, "平成21年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度"),
     (2026, "令和8年度"), (1988, "昭和63年度")],
)  # fmt: skip
def test_era_names(fy, name):
    assert fiscal.era_name(fy) == name


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_lies_in_its_fiscal_year(day):
    fy = fiscal.fiscal_year(day)
    assert fiscal.fiscal_year_start(fy) <= day <= fiscal.fiscal_year_end(fy)


def test_program_year():
    assert fiscal.program_year(operation_start_fy=2011, n=1) == 2011
    assert fiscal.program_year(operation_start_fy=2011, n=10) == 2020


def test_money_formats():
    assert format_yen(2_800_000_000) == "¥2,800,000,000"
    assert format_oku(2_800_000_000) == "28億円"
    assert format_oku(350_000_000) == "3億5,000万円"
    assert format_oku(8_800) == "8,800円"
    assert format_oku(69_500_000_000) == "695億円"
    assert format_oku(0) == "0円"


def test_is_yen_rejects_float_bool_negative():
    assert is_yen(0) and is_yen(10**10)
    assert not any(is_yen(v) for v in (1.0, True, -1, "100", None))
