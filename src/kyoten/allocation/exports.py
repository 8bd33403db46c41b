"""Excel (openpyxl) and PDF (reportlab, embedded IPAexGothic) exports of a run or decision."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from kyoten.allocation.models import AllocationRun
from kyoten.allocation.selectors import explain
from kyoten.core.fonts import reportlab_font
from kyoten.core.money import format_oku, format_yen
from kyoten.core.sheets import append_row
from kyoten.proposals.forms import option_label


def _summary(run: AllocationRun) -> list[tuple[str, object]]:
    base = run.result.get("baseline", {})
    return [
        (_("Call"), run.call.title),
        (_("Run"), f"#{run.pk} {run.label}".strip()),
        (_("Status"), run.get_status_display()),
        (_("Budget (yen)"), run.budget_yen),
        (_("Cap per hub (yen)"), run.cap_yen),
        (_("Minimum score"), run.min_score if run.min_score is not None else ""),
        (_("Total awarded (yen)"), run.total_yen),
        (_("Money left (yen)"), run.budget_yen - run.total_yen),
        (_("Total value"), run.objective),
        (_("Greedy baseline value"), base.get("objective", 0.0)),
        (_("Greedy baseline total (yen)"), base.get("total_yen", 0)),
        (_("Solver"), f"{run.solver_name} {run.solver_version}"),
        (_("Inputs SHA-256"), run.inputs_sha256),
        (_("Run by"), str(run.run_by)),
        (_("Run at"), run.run_at.isoformat(timespec="seconds")),
    ]


def run_xlsx(run: AllocationRun) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = explain(run)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    for key, value in _summary(run):
        append_row(ws, [key, value])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40

    funded = wb.create_sheet(_("Funded")[:31])
    append_row(
        funded,
        [
            _("Id"),
            _("Proposal"),
            _("Prefecture"),
            _("Block"),
            _("Score"),
            _("Option"),
            _("Amount (yen)"),
        ],
    )
    for f in data["funded"]:
        append_row(
            funded,
            [f.id, f.title, f.prefecture, f.block, f.score, option_label(f.option), f.amount_yen],
        )
    unfunded = wb.create_sheet(_("Not funded")[:31])
    append_row(unfunded, [_("Id"), _("Proposal"), _("Prefecture"), _("Score"), _("Reason")])
    for f in data["unfunded"]:
        append_row(unfunded, [f.id, f.title, f.prefecture, f.score, f.reason])
    blocks = wb.create_sheet(_("Blocks")[:31])
    append_row(blocks, [_("Block"), _("Awards"), _("Amount (yen)"), _("Greedy (yen)")])
    for b in data["blocks"]:
        append_row(blocks, [b["name"], b["awards"], b["amount_yen"], b["greedy_yen"]])
    for sheet in (funded, unfunded, blocks):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["B"].width = 40
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int) and cell.value >= 10_000:
                    cell.number_format = "#,##0"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_pdf(run: AllocationRun) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = reportlab_font()
    data = explain(run)
    title = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10, wordWrap="CJK")

    def p(text: object) -> Paragraph:
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), body)

    def table(rows, widths):
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    story = [Paragraph(_("Allocation: %(call)s") % {"call": run.call.title}, title), Spacer(1, 8)]
    summary = [
        [
            p(k),
            p(
                format_yen(v)
                if isinstance(v, int) and not isinstance(v, bool) and v >= 10_000
                else v
            ),
        ]
        for k, v in _summary(run)
    ]
    story += [table([[p(_("Item")), p(_("Value"))], *summary], [150, 330]), Spacer(1, 10)]
    rows = [[p(_("Proposal")), p(_("Prefecture")), p(_("Score")), p(_("Option")), p(_("Amount"))]]
    rows += [
        [
            p(f.title),
            p(f.prefecture),
            p(f"{f.score:.1f}"),
            p(option_label(f.option)),
            p(format_oku(f.amount_yen)),
        ]
        for f in data["funded"]
    ]
    story += [Paragraph(_("Funded"), title), table(rows, [190, 70, 40, 70, 110]), Spacer(1, 10)]
    rows = [[p(_("Proposal")), p(_("Score")), p(_("Reason"))]]
    rows += [[p(f.title), p(f"{f.score:.1f}"), p(f.reason)] for f in data["unfunded"]]
    story += [Paragraph(_("Not funded"), title), table(rows, [170, 40, 270])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"allocation-{run.pk}").build(story)
    return out.getvalue()
