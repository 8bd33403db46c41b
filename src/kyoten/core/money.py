"""Money is an integer number of yen; these helpers format it at the edge only."""

from __future__ import annotations


def format_yen(amount: int) -> str:
    """¥2,800,000,000"""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,}"


def format_oku(amount: int) -> str:
    """28億円, 3億5,000万円, 8,800円: the way Japanese budgets are read."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    oku, rest = divmod(amount, 100_000_000)
    man, yen = divmod(rest, 10_000)
    parts = []
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    if yen or not parts:
        parts.append(f"{yen:,}")
    return sign + "".join(parts) + "円"


def is_yen(value: object) -> bool:
    """An integer number of yen, zero or more (bool and float are not yen)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
