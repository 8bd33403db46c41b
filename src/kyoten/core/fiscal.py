"""Japanese fiscal years (年度, April to March) and era names."""

from __future__ import annotations

import datetime as dt

# (first day of the era, name); a year is named after the era in force on 1 April.
_ERAS = (
    (dt.date(2019, 5, 1), "令和", "Reiwa"),
    (dt.date(1989, 1, 8), "平成", "Heisei"),
    (dt.date(1926, 12, 25), "昭和", "Showa"),
)


def fiscal_year(day: dt.date) -> int:
    """The fiscal year a date falls in: FY2009 runs from 2009-04-01 to 2010-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(fy: int) -> dt.date:
    return dt.date(fy, 4, 1)


def fiscal_year_end(fy: int) -> dt.date:
    return dt.date(fy + 1, 3, 31)


def _era_for_fiscal_year(fy: int) -> tuple[dt.date, str, str]:
    # FY2019 starts under Heisei (2019-04-01) but is officially called 令和元年度;
    # the convention is to name the fiscal year by the era of its calendar year's end.
    for start, ja, en in _ERAS:
        if fy >= start.year:
            return start, ja, en
    raise ValueError(f"fiscal year {fy} is before the Showa era")


def era_year(fy: int) -> tuple[str, int]:
    """('令和', 1) for FY2019, ('平成', 21) for FY2009."""
    start, ja, _ = _era_for_fiscal_year(fy)
    return ja, fy - start.year + 1


def era_name(fy: int) -> str:
    """平成21年度 for 2009, 令和元年度 for 2019."""
    era, n = era_year(fy)
    return f"{era}{'元' if n == 1 else n}年度"


def era_name_en(fy: int) -> str:
    start, _, en = _era_for_fiscal_year(fy)
    return f"FY{fy} ({en} {fy - start.year + 1})"


def program_year(*, operation_start_fy: int, n: int) -> int:
    """Year n of operation (R-6): fiscal year operation_start_fy + n - 1."""
    return operation_start_fy + n - 1


def _japanese(language: str | None) -> bool:
    from django.utils.translation import get_language

    return (language or get_language() or "ja").startswith("ja")


def fy_label(fy: int, *, language: str | None = None) -> str:
    """How the program writes a fiscal year: 2025年度 (令和7年度) in Japanese, FY2025 in English.

    The one helper for pages (the `fy` template filter), PDFs, sheets and messages; the language
    is the active one unless named (a Japanese PDF names it)."""
    fy = int(fy)
    if _japanese(language):
        return f"{fy}年度 ({era_name(fy)})"
    return f"FY{fy}"
