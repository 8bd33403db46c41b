"""Exports for officers: CSV (UTF-8 with BOM, so Excel reads Japanese), Excel, and a PDF of
one proposal with an embedded Japanese TrueType font (IPAexGothic from japanize-matplotlib)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from kyoten.calls.program import (
    DEFAULT_KPIS,
    FORM_LABELS,
    SECTION_LABELS_JA,
    SECTION_NUMBERS,
    SECTIONS,
)
from kyoten.core.fiscal import fy_label
from kyoten.core.fonts import reportlab_font
from kyoten.core.money import format_oku, format_yen
from kyoten.core.reference import prefectures
from kyoten.core.sheets import append_row, safe_row
from kyoten.proposals.forms import funding_totals

COLUMNS = [
    ("id", "ID"), ("title", "提案名"), ("lead", "代表都道府県"), ("prefectures", "参加都道府県"),
    ("status", "状態"), ("form", "整備形態"), ("requested_yen", "要求額（円）"),
    ("operation_start_fy", "運営開始年度"), ("version", "版"), ("submitted_at", "提出日時"),
    ("errors", "エラー"), ("warnings", "警告"),
]  # fmt: skip


def rows(proposals, versions: dict, findings: dict) -> list[dict]:
    out = []
    for p in proposals:
        fs = findings.get(p.pk, [])
        version = versions.get(p.pk)
        out.append({
            "id": p.pk, "title": p.title, "lead": prefectures()[p.lead_prefecture_id].name_ja,
            "prefectures": "・".join(prefectures()[c].name_ja for c in p.content.get("prefectures") or []
                                    if c in prefectures()),
            "status": p.get_status_display(), "form": str(FORM_LABELS.get(p.form, p.form)),
            "requested_yen": p.requested_yen, "operation_start_fy": p.operation_start_fy,
            "version": version.number if version else "",
            "submitted_at": p.submitted_at.isoformat() if p.submitted_at else "",
            "errors": " / ".join(f"{f.rule} {f.field}" for f in fs if f.is_error),
            "warnings": " / ".join(f"{f.rule} {f.field}" for f in fs if not f.is_error),
        })  # fmt: skip
    return out


def _kpi_ja(key) -> str:
    return DEFAULT_KPIS[key][0] if key in DEFAULT_KPIS else str(key or "—")


def _fy_ja(value) -> str:
    return fy_label(value, language="ja") if isinstance(value, int) else str(value or "—")


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def to_csv(data: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(label for _, label in COLUMNS))
    for row in data:
        writer.writerow(safe_row("" if row[key] is None else row[key] for key, _ in COLUMNS))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(data: list[dict], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "提案一覧"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True)
    append_row(ws, [label for _, label in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in data:
        append_row(ws, [row[key] for key, _ in COLUMNS])
    for row in ws.iter_rows(min_row=3, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "#,##0"
    ws.freeze_panes = "A3"
    for letter, width in zip(
        "ABCDEFGHIJKL", [6, 40, 12, 20, 12, 16, 16, 10, 5, 26, 30, 20], strict=True
    ):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def proposal_pdf(proposal, content: dict, *, version_label: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = reportlab_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=body, fontSize=15, leading=20, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3)

    def p(text, style=body):
        return Paragraph(escape(str(text or "—")).replace("\n", "<br/>"), style)

    prefs = prefectures()
    story = [p(content.get("title") or proposal.title, h1),
             p(f"{proposal.call.title} / {version_label}")]  # fmt: skip
    signatories = content.get("signatories") or {}
    facts = [
        ["代表都道府県", prefs[proposal.lead_prefecture_id].name_ja],
        ["参加都道府県", "・".join(prefs[c].name_ja for c in content.get("prefectures") or [] if c in prefs)],
        ["整備形態", str(FORM_LABELS.get(content.get("form"), content.get("form") or "—"))],
        ["要求額", f"{format_yen(content['requested_yen'])}（{format_oku(content['requested_yen'])}）"
         if isinstance(content.get("requested_yen"), int) else "—"],
        ["運営開始", fy_label(content["operation_start_fy"], language="ja") if content.get("operation_start_fy") else "—"],
        ["知事", (signatories.get("governor") or {}).get("name") or "—"],
        ["大学等の長", " ".join(filter(None, [(signatories.get("university_head") or {}).get(k) for k in ("organization", "name")])) or "—"],
        ["産業界代表者", " ".join(filter(None, [(signatories.get("industry") or {}).get(k) for k in ("organization", "name")])) or "—"],
    ]  # fmt: skip
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke), ("VALIGN", (0, 0), (-1, -1), "TOP")])  # fmt: skip
    story += [
        Spacer(1, 4 * mm),
        Table([[a, p(b)] for a, b in facts], colWidths=[35 * mm, 135 * mm], style=style),
    ]
    sections = content.get("sections") or {}
    for key in SECTIONS:
        story += [p(f"{SECTION_NUMBERS[key]} {SECTION_LABELS_JA[key]}", h2), p(sections.get(key))]
    totals = funding_totals(content.get("funding_plan"))
    if totals["rows"]:
        story.append(p("運営資金計画（円）", h2))
        data = (
            [["年度", "収入", "支出", "収支"]]
            + [
                [
                    fy_label(r["fiscal_year"], language="ja"),
                    f"{r['revenue']:,}",
                    f"{r['cost']:,}",
                    f"{r['balance']:,}",
                ]
                for r in totals["rows"]
            ]
            + [["合計", f"{totals['revenue']:,}", f"{totals['cost']:,}", f"{totals['balance']:,}"]]
        )
        table = Table(data, colWidths=[35 * mm, 40 * mm, 40 * mm, 40 * mm], style=style)
        table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))  # fmt: skip
        story.append(table)
    goals = content.get("goals") or []
    if goals:
        story.append(p("目標", h2))
        story.append(Table([["指標", "年度", "目標値"]] + [[_kpi_ja(g.get("kpi")), _fy_ja(g.get("fiscal_year")), _number(g.get("target"))] for g in goals],
                           colWidths=[70 * mm, 40 * mm, 40 * mm], style=style))  # fmt: skip
    equipment = content.get("equipment_plan") or []
    if equipment:
        story.append(p("設備整備計画", h2))
        story.append(Table([["設備", "区分", "金額（円）"]] + [[p(e.get("name")), e.get("category") or "", f"{e.get('cost_yen') or 0:,}"] for e in equipment],
                           colWidths=[85 * mm, 40 * mm, 40 * mm], style=style))  # fmt: skip
    story += _pdf_site_and_consultations(content, p, h2, style, mm)
    pdca = [row for row in content.get("pdca") or [] if isinstance(row, dict)]
    if pdca:
        story.append(p("PDCAサイクル", h2))
        story.append(Table([["年度", "計画（P）", "実行（D）", "評価（C）", "改善（A）"]]
                           + [[_fy_ja(r.get("fiscal_year")), *(p(r.get(k)) for k in ("plan", "do", "check", "act"))] for r in pdca],
                           colWidths=[25 * mm, 36 * mm, 36 * mm, 36 * mm, 36 * mm], style=style))  # fmt: skip
    story.append(p("署名の状況", h2))
    story.append(Table([["役割", "署名者", "状況"]] + _signature_rows(proposal),
                       colWidths=[45 * mm, 50 * mm, 75 * mm], style=style))  # fmt: skip
    printed = timezone.localtime()
    footer = f"{proposal.call.title} / {version_label} / 印刷 {printed:%Y年%m月%d日 %H:%M}"

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(18 * mm, 9 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"{doc.page} ページ")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=content.get("title") or "proposal",
                      leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
                      ).build(story, onFirstPage=on_page, onLaterPages=on_page)  # fmt: skip
    return buffer.getvalue()


SIGNATORY_ROLES_JA = {
    "governor": "知事",
    "university_head": "大学等の長",
    "industry": "産業界代表者",
}


def _signature_rows(proposal) -> list[list[str]]:
    """Each signature requested for the proposal: who, and signed (when), voided or waiting."""
    rows = []
    for s in proposal.signatures.select_related("user").order_by("role", "-pk"):
        if s.voided_at:
            state = f"無効（内容の変更） {timezone.localtime(s.voided_at):%Y年%m月%d日}"
        elif s.signed_at:
            state = f"署名済み {timezone.localtime(s.signed_at):%Y年%m月%d日 %H:%M}"
        else:
            state = "署名待ち"
        rows.append([SIGNATORY_ROLES_JA.get(s.role, s.role), str(s.user), state])
    return rows or [["—", "—", "署名の依頼なし"]]


def _pdf_site_and_consultations(content: dict, p, h2, style, mm) -> list:
    """The site (land or existing building) and the designated-city consultations."""
    from reportlab.platypus import Table

    out = [p("整備場所", h2)]
    land = content.get("land") or {}
    building = content.get("existing_building") or {}
    rows = []
    if land:
        area = land.get("area_m2")
        rows.append(["土地", " ".join(filter(None, [land.get("address"),
                     f"{area:,} m²" if isinstance(area, int | float) else "",
                     f"提供: {land['provided_by']}" if land.get("provided_by") else ""])) or "—"])  # fmt: skip
    if building:
        rows.append(["既存建物", " ".join(filter(None, [building.get("name"), building.get("address")])) or "—"])  # fmt: skip
    out.append(Table([[a, p(b)] for a, b in rows] or [["—", p("記載なし")]],
                     colWidths=[35 * mm, 135 * mm], style=style))  # fmt: skip
    consultations = [c for c in content.get("designated_city_consultations") or [] if isinstance(c, dict)]  # fmt: skip
    out.append(p("政令指定都市との協議", h2))
    out.append(Table([["市", "協議日"]] + [[c.get("city") or "—", c.get("date") or "—"] for c in consultations]
                     if consultations else [["—", "記載なし"]],
                     colWidths=[85 * mm, 85 * mm], style=style))  # fmt: skip
    return out
