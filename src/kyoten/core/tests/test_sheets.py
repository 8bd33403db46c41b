"""Formula injection: text a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from kyoten.core.sheets import append_row, safe_cell, safe_row

HOSTILE = ['=HYPERLINK("https://evil.example","詳細")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_cells_of_formula_like_text_start_with_an_apostrophe():
    assert safe_row(HOSTILE) == [
        '\'=HYPERLINK("https://evil.example","詳細")', "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1",
        "'\r=1",
    ]  # fmt: skip


def test_csv_cells_of_other_values_are_unchanged():
    values = ["北海道 食と健康拠点", "a=b", "", None, -500, 3.5, Decimal("-1.5"), True,
              dt.date(2009, 8, 20)]  # fmt: skip
    assert safe_row(values) == values
    assert safe_cell(-3_000_000_000) == -3_000_000_000


def test_excel_keeps_the_text_as_a_text_cell_and_numbers_as_numbers():
    wb = Workbook()
    append_row(wb.active, [*HOSTILE, -500, "普通の提案"])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells] == [
        *[(text, "s") for text in HOSTILE[:4]],
        ("\t=1", "s"),
        ("\n=1", "s"),  # openpyxl reads a stored carriage return back as a newline
        (-500, "n"),
        ("普通の提案", "s"),
    ]
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False, False]
