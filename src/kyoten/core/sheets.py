"""Cells of every spreadsheet kyoten writes (CSV and Excel), safe from formula injection.

A spreadsheet program reads text that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula: an applicant's title `=HYPERLINK("https://…","詳細")` would become a
live link (or worse) in the officer's sheet. Every export writes its cells through this
module, so that such text is written as text:

- CSV (`safe_cell`, `safe_row`): the text gets a leading apostrophe (`'=HYPERLINK(…)`), the
  one marker every spreadsheet program reads as "this cell is text";
- Excel (`append_row`): the text is kept exactly and stored as a text cell with Excel's
  quote prefix (no formula element is written), so it shows and edits as the same text.

Numbers, dates, booleans and empty cells stay what they are: a negative amount is a number,
never text.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet program would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_cell(value: object) -> object:
    """The value to write into a CSV cell: formula-like text with a leading apostrophe,
    everything else unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """`safe_cell` of every value of a CSV row."""
    return [safe_cell(v) for v in values]


def append_row(ws, values: Iterable[object]) -> None:
    """Append a row to an openpyxl worksheet, formula-like text as text cells."""
    values = list(values)
    ws.append(values)
    for cell in ws[ws.max_row]:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
