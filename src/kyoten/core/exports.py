"""The one builder of the CSV and Excel files people download (issue 15, item 6).

A page that offers its table as a file describes it as `Sheet`s — a sheet name and columns,
each a header and a function of a row — and answers `export_response(fmt=..., ...)`:

- `csv`: UTF-8 with a byte-order mark (so that Excel opens the Japanese text right), one table
  after another with a blank line and the sheet name between them when there are several;
- `xlsx`: one worksheet per sheet, named after it, with a bold header row and the first row
  frozen.

Headers and sheet names are translated text (Japanese on a Japanese page). Every cell goes
through `core/sheets.py`, so text that a spreadsheet program would read as a formula stays text.
Values are written as they are (integers of yen stay numbers); labels, 年度 and dates are made
by the column functions with the usual helpers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse

from kyoten.core.sheets import append_row, safe_row

FORMATS = ("csv", "xlsx")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "・" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    header: Any  # text or lazy translation
    value: Callable[[Any], object]


@dataclass
class Sheet:
    name: Any  # text or lazy translation: the worksheet's name and the CSV section's title
    columns: Sequence[Column]
    rows: Iterable[Any]

    def header(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def values(self) -> Iterable[list[object]]:
        for row in self.rows:
            yield [c.value(row) for c in self.columns]


def columns(*pairs: tuple[Any, Callable[[Any], object]]) -> list[Column]:
    return [Column(header, value) for header, value in pairs]


def sheet_name(name: Any) -> str:
    """A valid worksheet name: at most 31 characters, none of Excel's forbidden ones."""
    return str(name).translate(_SHEET_NAME_FORBIDDEN)[:31] or "Sheet"


def csv_bytes(sheets: Sequence[Sheet]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if i:
                writer.writerow([])
            writer.writerow(safe_row([str(sheet.name)]))
        writer.writerow(safe_row(sheet.header()))
        for values in sheet.values():
            writer.writerow(safe_row(values))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        name = sheet_name(sheet.name)
        n = 2
        while name in used:
            suffix = f" ({n})"
            name, n = sheet_name(sheet.name)[: 31 - len(suffix)] + suffix, n + 1
        used.add(name)
        ws = wb.create_sheet(title=name)
        append_row(ws, sheet.header())
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [len(h) * 2 + 2 for h in sheet.header()]
        for values in sheet.values():
            append_row(ws, values)
            for j, v in enumerate(values):
                widths[j] = max(widths[j], min(60, len(str(v)) * 2 if v is not None else 0))
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = max(8, width)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_response(*, fmt: str, sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    """The download of `sheets` as `<filename>.<fmt>`; 404 for a format we do not write."""
    if fmt not in FORMATS:
        raise Http404
    body = csv_bytes(sheets) if fmt == "csv" else xlsx_bytes(sheets)
    response = HttpResponse(body, content_type=MEDIA[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
