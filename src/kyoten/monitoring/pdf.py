"""PDF reports in Japanese: one per hub and fiscal year, and the program-wide annual report.

The IPAex Gothic TrueType font is embedded (as a subset) so the text is readable and can be
extracted on a computer without any Japanese font; reportlab's built-in CID fonts are not
embedded and would show empty boxes there.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kyoten.core.dates import format_day
from kyoten.core.fiscal import fy_label
from kyoten.core.fonts import reportlab_font
from kyoten.core.money import format_yen
from kyoten.hubs.models import Hub
from kyoten.monitoring import charts, kpis, selectors
from kyoten.monitoring.enums import ActualSource
from kyoten.monitoring.models import AnnualReport

STATUS_JA = charts.STATUS_JA
SOURCE_JA = {
    ActualSource.PLATFORM: "設備記録から自動算出",
    ActualSource.FINANCIAL: "財務実績から算出",
    ActualSource.REPORTED: "拠点の報告",
}
REPORT_STATUS_JA = {
    "draft": "作成中",
    "submitted": "提出済",
    "returned": "差戻し",
    "accepted": "受理",
}
ADDRESSEE_JA = {"region": "地域", "jst": "JST", "state": "国"}
ADVICE_STATUS_JA = {"open": "未回答", "answered": "回答済", "closed": "完了"}
PDCA_JA = {
    "plan": "Plan（計画）",
    "do": "Do（実行）",
    "check": "Check（評価）",
    "act": "Act（改善）",
}
LINE_JA = {
    "usage_fees": "設備利用料",
    "prefecture": "都道府県負担",
    "municipality": "市町村負担",
    "membership": "会費",
    "contract_research": "受託研究",
    "staff": "人件費",
    "maintenance": "保守費",
    "utilities": "光熱水費",
}
PART_JA = {"revenue_yen": "収入", "cost_yen": "支出", "jst_operating_yen": "JST運営費負担"}


def _styles() -> dict[str, ParagraphStyle]:
    font = reportlab_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def format_value(kpi: kpis.Kpi, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if kpi.unit == kpis.YEN:
        return format_yen(int(value))
    plain = kpis.plain(value, kpi)
    if kpi.unit == kpis.PERCENT:
        return f"{plain}%"
    return f"{plain:,}" if isinstance(plain, int) else str(plain)


def _table(rows: list[list], widths: list[float], *, status_col: int | None = None, statuses=None):
    font = reportlab_font()
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eaf3")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, status in enumerate(statuses or [], start=1):
        if status_col is not None and status in charts.STATUS_COLOURS:
            colour = colors.HexColor(charts.STATUS_COLOURS[status])
            style.append(("BACKGROUND", (status_col, i), (status_col, i), colour))
            style.append(("TEXTCOLOR", (status_col, i), (status_col, i), colors.white))
    table.setStyle(TableStyle(style))
    return table


def _image(png: bytes, width_mm: float) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth = width_mm * mm
    img.drawHeight = width_mm * mm * ratio
    return img


def _build(story: list, title: str) -> bytes:
    out = io.BytesIO()
    font = reportlab_font()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawString(15 * mm, 10 * mm, f"kyoten · {title}")
        canvas.drawRightString(195 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out, pagesize=A4, title=title, author="kyoten", leftMargin=15 * mm,
        rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
        initialFontName=font,  # no unembedded Helvetica in the file
    )  # fmt: skip
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def hub_report_pdf(hub: Hub, fiscal_year: int, *, report: AnnualReport | None = None) -> bytes:
    """年度報告書 of one hub: KPIs against targets, finances against the plan, PDCA, charts,
    advice and site visits."""
    s = _styles()
    title = f"{hub.name} 年度報告書 {fy_label(fiscal_year, language='ja')}"
    story: list = [_p(title, s["title"])]
    if report is None:
        report = AnnualReport.objects.filter(hub=hub, fiscal_year=fiscal_year).first()
    state = REPORT_STATUS_JA.get(report.status, report.status) if report else "未作成"
    story.append(
        _p(
            f"拠点所在：{hub.lead_prefecture.name_ja}　報告の状態：{state}　"
            f"作成日：{format_day(timezone.localdate(), language='ja')}",
            s["small"],
        )
    )
    # KPIs: the report's actuals (drafts included here: the hub prints its own draft).
    targets = selectors.effective_targets(hub)
    actuals = {a.kpi: a for a in report.actuals.all()} if report else {}
    story.append(_p("1. 成果指標（KPI）：目標と実績", s["h2"]))
    rows = [["指標", "目標", "実績", "実績の出典", "達成率", "状況"]]
    statuses = []
    for key, kpi in kpis.CATALOGUE.items():
        target = targets.get((key, fiscal_year))
        actual = actuals.get(key)
        if target is None and actual is None:
            continue
        t = target.target if target else None
        a = actual.value if actual else None
        status = kpis.status(kpi, a, t)
        pct = kpis.achievement_pct(kpi, a, t)
        statuses.append(status)
        rows.append([
            _p(kpi.label_ja, s["cell"]),
            format_value(kpi, t),
            format_value(kpi, a),
            _p(SOURCE_JA.get(actual.source, "") if actual else "", s["cell"]),
            "—" if pct is None else f"{pct}%",
            STATUS_JA[status],
        ])  # fmt: skip
    story.append(_table(rows, [48 * mm, 28 * mm, 28 * mm, 34 * mm, 18 * mm, 22 * mm],
                        status_col=5, statuses=statuses))  # fmt: skip
    story.append(
        _p(
            f"状況の判定：達成率（実績÷目標、低いほど良い指標は目標÷実績）が{kpis.ON_TRACK_PCT}%以上で"
            f"「順調」、{kpis.AT_RISK_PCT}%以上で「要注意」、それ未満で「遅れ」。"
            "目標は提案書の目標年度の値、その間の年度は直線補間。",
            s["small"],
        )
    )
    # Finances against the proposal's funding plan.
    if report is not None:
        story.append(_p("2. 財務実績と資金計画の比較", s["h2"]))
        rows = [["区分", "項目", "計画", "実績", "差額"]]
        for line in selectors.financial_comparison(report):
            yen = lambda v: "—" if v is None else format_yen(v)  # noqa: E731
            rows.append([
                PART_JA[line["part"]],
                "" if line["part"] == "jst_operating_yen" else LINE_JA.get(line["line"], line["line"]),
                yen(line["plan_yen"]), yen(line["actual_yen"]), yen(line["difference_yen"]),
            ])  # fmt: skip
        story.append(_table(rows, [28 * mm, 46 * mm, 34 * mm, 34 * mm, 34 * mm]))
        story.append(_p("3. PDCA", s["h2"]))
        for step, label in PDCA_JA.items():
            text = (report.pdca or {}).get(step)
            if text:
                story.append(_p(f"【{label}】 {text}", s["base"]))
        if report.summary:
            story.append(_p(f"【総括】 {report.summary}", s["base"]))
        if report.return_reason and report.status == "returned":
            story.append(_p(f"【差戻し理由】 {report.return_reason}", s["base"]))
    # Trend charts of the KPIs with targets.
    series = [x for x in selectors.hub_series(hub) if any(t is not None for t in x.targets)]
    if series:
        story.append(_p("4. 推移（目標と実績）", s["h2"]))
        for x in series[:6]:
            story.append(_image(charts.trend_png(x), 150))
    # Follow-up by the promotion committee.
    advice = list(hub.advice.prefetch_related("responses").order_by("created_at", "id"))
    visits = list(hub.site_visits.order_by("visited_on", "id"))
    if advice or visits:
        story.append(_p("5. 推進委員会による助言・提言と対応", s["h2"]))
        for a in advice:
            story.append(
                _p(
                    f"■ {a.title}（宛先：{ADDRESSEE_JA[a.addressee]}、回答期限：{format_day(a.due_date, language='ja')}、"
                    f"{ADVICE_STATUS_JA[a.status]}）\n{a.body}",
                    s["base"],
                )
            )
            for r in a.responses.all():
                story.append(
                    _p(
                        f"　→ 回答（{format_day(r.responded_at, language='ja')}）：{r.body}　対応：{r.action_taken}",
                        s["base"],
                    )
                )
        for v in visits:
            story.append(
                _p(
                    f"● 現地調査 {format_day(v.visited_on, language='ja')}（{v.visitors}）：{v.notes}",
                    s["base"],
                )
            )
    return _build(story, title)


def program_report_pdf(user, fiscal_year: int) -> bytes:
    """The program-wide annual report: every hub's status in the key KPIs, by regional block."""
    s = _styles()
    title = f"地域産学官共同研究拠点 年次報告 {fy_label(fiscal_year, language='ja')}"
    board = selectors.dashboard(user, fiscal_year)
    story: list = [_p(title, s["title"])]
    counts = {st: sum(1 for r in board.rows if r.overall == st) for st in kpis.STATUS_ORDER}
    story.append(
        _p(
            f"対象拠点数：{len(board.rows)}　順調：{counts[kpis.ON_TRACK]}　"
            f"要注意：{counts[kpis.AT_RISK]}　遅れ：{counts[kpis.OFF_TRACK]}　"
            f"実績なし：{counts[kpis.NO_DATA]}",
            s["base"],
        )
    )
    story.append(_image(charts.block_status_png(board.by_block), 170))
    story.append(_p("拠点別・主要指標の状況", s["h2"]))
    header = ["拠点", "ブロック", *[_p(k.label_ja, s["cell"]) for k in board.kpis], "総合"]
    rows = [header]
    style_cells = []
    for i, row in enumerate(board.rows, start=1):
        cells = [row.cells[k.key] for k in board.kpis]
        rows.append([
            _p(row.hub.name, s["cell"]),
            row.hub.lead_prefecture.block_name,
            *[STATUS_JA[c.status] if c.status != kpis.NO_TARGET else "—" for c in cells],
            STATUS_JA[row.overall],
        ])  # fmt: skip
        for j, c in enumerate([*cells], start=2):
            style_cells.append((j, i, c.status))
        style_cells.append((2 + len(cells), i, row.overall))
    n = len(board.kpis)
    widths = [40 * mm, 16 * mm] + [(124 / (n + 1)) * mm] * (n + 1)
    table = _table(rows, widths)
    extra = []
    for col, r, st in style_cells:
        if st in (kpis.ON_TRACK, kpis.AT_RISK, kpis.OFF_TRACK):
            extra.append(
                ("BACKGROUND", (col, r), (col, r), colors.HexColor(charts.STATUS_COLOURS[st]))
            )
            extra.append(("TEXTCOLOR", (col, r), (col, r), colors.white))
    table.setStyle(TableStyle(extra))
    story.append(table)
    alerts = selectors.alerts(user)
    if alerts:
        story.append(PageBreak())
        story.append(_p("注意を要する事項", s["h2"]))
        for a in alerts:
            story.append(_p(f"・{a.message_ja or a.message}", s["base"]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        _p(
            f"状況の判定：達成率が{kpis.ON_TRACK_PCT}%以上で「順調」、{kpis.AT_RISK_PCT}%以上で"
            "「要注意」、それ未満で「遅れ」。総合は各指標のうち最も悪い状況。",
            s["small"],
        )
    )
    return _build(story, title)
