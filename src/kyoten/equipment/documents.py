"""Invoice documents (PDF with an embedded Japanese font, CSV with BOM) and iCalendar feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from kyoten.core.fonts import reportlab_font
from kyoten.core.money import format_yen
from kyoten.core.sheets import safe_row
from kyoten.equipment.models import Booking, Invoice
from kyoten.equipment.slots import TOKYO

CSV_HEADER = ["請求番号", "利用日", "拠点", "装置", "利用者", "区分", "利用形態", "種別",
              "課金時間", "単価(円)", "技術支援料(円)", "地域外係数(%)", "金額(円)"]  # fmt: skip


def _rows(invoice: Invoice, charges) -> list[list[object]]:
    """Text as text, numbers as numbers (a CSV writer prints both; only text is guarded)."""
    return [
        [
            invoice.number,
            c.occurred_on.isoformat(),
            c.hub.name,
            c.booking.equipment.name,
            str(c.user),
            c.get_user_class_display(),
            c.get_mode_display(),
            c.get_kind_display(),
            c.hours,
            c.hourly_yen,
            c.staff_yen,
            c.multiplier_pct,
            c.amount_yen,
        ]
        for c in charges
    ]


def tax_summary(total_yen: int) -> list[dict[str, int]]:
    """The consumption tax per rate of a tax-included total, computed once per rate for the
    whole invoice as the qualified-invoice rules ask (every fee is at the standard 10 %)."""
    from kyoten.equipment.fees import CONSUMPTION_TAX_PCT, tax_included

    tax = tax_included(total_yen, CONSUMPTION_TAX_PCT)
    return [{"rate_pct": CONSUMPTION_TAX_PCT, "total_yen": total_yen, "tax_yen": tax,
             "net_yen": total_yen - tax}]  # fmt: skip


def _issued_on(invoice: Invoice) -> dt.date:
    return invoice.issued_at.astimezone(TOKYO).date()


def invoice_csv(invoice: Invoice, charges, *, registration_number: str = "") -> bytes:
    """UTF-8 with BOM (Excel opens it as Japanese text), one row per charge, then the total,
    the tax per rate and the issuer's registration number (適格請求書)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(safe_row(CSV_HEADER))
    writer.writerows(safe_row(row) for row in _rows(invoice, charges))
    blank = [""] * (len(CSV_HEADER) - 2)
    writer.writerow(["合計（税込）", *blank, invoice.total_yen])
    for t in tax_summary(invoice.total_yen):
        writer.writerow([f"{t['rate_pct']}%対象（税込）", *blank, t["total_yen"]])
        writer.writerow([f"うち消費税（{t['rate_pct']}%）", *blank, t["tax_yen"]])
    writer.writerow(safe_row(["発行者", invoice.hub.name, "登録番号", registration_number or "—",
                              "発行日", _issued_on(invoice).isoformat(), "宛先",
                              invoice.organisation.name]))  # fmt: skip
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def invoice_pdf(
    invoice: Invoice, charges, *, issuer_note: str = "", registration_number: str = ""
) -> bytes:
    """An A4 qualified invoice (適格請求書) in Japanese, IPAexGothic embedded as a subset: the
    issuer and its registration number, the recipient, the issue date, each transaction's date,
    the amounts per tax rate and the consumption tax per rate. Every text cell is a Paragraph,
    so long names wrap inside their cell instead of running over the next one."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = reportlab_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    # Long words (Japanese has no spaces) are split at the cell's width (splitLongWords);
    # wordWrap="CJK" would let a closing bracket hang a character outside the cell.
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10)
    num = ParagraphStyle("num", parent=small, alignment=2)  # right

    def p(text, style=small):
        return Paragraph(escape(str(text)), style)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=f"請求書 {invoice.number}", author=invoice.hub.name,
    )  # fmt: skip
    issued = _issued_on(invoice)
    story = [
        Paragraph("請求書（適格請求書）", title),
        Spacer(1, 4 * mm),
        p(f"{invoice.organisation.name} 御中", body),
        p(f"請求番号: {invoice.number}", body),
        p(f"対象期間: {invoice.year}年{invoice.month}月分（取引年月日は明細のとおり）", body),
        p(f"発行日: {issued.year}年{issued.month}月{issued.day}日", body),
        p(f"発行者: {invoice.hub.name}", body),
        p(f"登録番号: {registration_number or '（未登録）'}", body),
        Spacer(1, 4 * mm),
        p(f"ご請求金額: {format_yen(invoice.total_yen)}（税込）", title),
        Spacer(1, 4 * mm),
    ]
    widths = [24 * mm, 46 * mm, 34 * mm, 22 * mm, 18 * mm, 12 * mm, 24 * mm]
    data = [
        [p(h) for h in ("取引年月日", "装置", "利用者", "形態", "種別", "時間", "金額（税込）")]
    ]
    for c in charges:
        d = c.occurred_on
        data.append([
            p(f"{d.year}年{d.month}月{d.day}日"),
            p(c.booking.equipment.name),
            p(c.user),
            p(str(c.get_mode_display()).split(" (")[0]),
            p(c.get_kind_display()),
            p(f"{c.hours} h" if c.hours else "—", num),
            p(format_yen(c.amount_yen), num),
        ])  # fmt: skip
    lines = len(data)
    data.append(
        [p(""), p(""), p(""), p(""), p(""), p("合計"), p(format_yen(invoice.total_yen), num)]
    )
    for t in tax_summary(invoice.total_yen):
        data.append([p(""), p(""), p(""), p(""), p(f"{t['rate_pct']}%対象"), p(""),
                     p(format_yen(t["total_yen"]), num)])  # fmt: skip
        data.append([p(""), p(""), p(""), p(""), p(f"消費税（{t['rate_pct']}%）"), p(""),
                     p(format_yen(t["tax_yen"]), num)])  # fmt: skip
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("GRID", (0, 0), (-1, lines - 1), 0.25, colors.grey),
            ("LINEABOVE", (4, lines), (-1, lines), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ])
    )  # fmt: skip
    story += [table, Spacer(1, 6 * mm)]
    story.append(p(
        "料金はすべて消費税込み（標準税率10%）です。消費税額は税率ごとに請求書全体で計算し、"
        "1円未満を切り捨てています。料金は利用者区分・利用形態ごとの時間単価によります。"
        "利用開始した1時間未満は1時間として計算します。技術補助・技術代行には技術支援料が加算され、"
        "地域外からの利用には拠点の定める係数を乗じます。"
    ))  # fmt: skip
    if issuer_note:
        story.append(p(issuer_note))
    doc.build(story)
    invoice_pdf.last_table = (table, widths)  # for the test that text stays inside its cells
    return buffer.getvalue()


def ical_feed(name: str, bookings: list[Booking], *, private: bool) -> bytes:
    """An iCalendar (RFC 5545) feed. `private` adds who booked and why (the user's own feed)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//kyoten//equipment bookings//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    stamp = dt.datetime.now(dt.UTC)
    for b in bookings:
        event = Event()
        event.add("uid", f"booking-{b.pk}@kyoten")
        event.add("dtstamp", stamp)
        event.add("dtstart", b.start.astimezone(dt.UTC))
        event.add("dtend", b.end.astimezone(dt.UTC))
        if private:
            event.add("summary", f"{b.equipment.name} ({b.get_mode_display()})")
            event.add("location", f"{b.equipment.hub.name} {b.equipment.location}".strip())
            if b.purpose:
                event.add("description", b.purpose)
        else:
            event.add("summary", _("Booked"))
        event.add("status", "TENTATIVE" if b.status == "requested" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
