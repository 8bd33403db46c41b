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


def invoice_csv(invoice: Invoice, charges) -> bytes:
    """UTF-8 with BOM (Excel opens it as Japanese text), one row per charge."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(safe_row(CSV_HEADER))
    writer.writerows(safe_row(row) for row in _rows(invoice, charges))
    writer.writerow(["合計", "", "", "", "", "", "", "", "", "", "", "", invoice.total_yen])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def invoice_pdf(invoice: Invoice, charges, *, issuer_note: str = "") -> bytes:
    """An A4 invoice in Japanese (IPAexGothic embedded as a subset)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = reportlab_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=f"請求書 {invoice.number}", author=invoice.hub.name,
    )  # fmt: skip
    story = [
        Paragraph("請求書", title),
        Spacer(1, 4 * mm),
        Paragraph(f"{invoice.organisation.name} 御中", body),
        Paragraph(f"請求番号: {invoice.number}", body),
        Paragraph(f"対象期間: {invoice.year}年{invoice.month}月分", body),
        Paragraph(f"発行日: {invoice.issued_at.astimezone(TOKYO):%Y年%m月%d日}", body),
        Paragraph(f"発行: {invoice.hub.name}", body),
        Spacer(1, 4 * mm),
        Paragraph(f"ご請求金額: {format_yen(invoice.total_yen)}（税込）", title),
        Spacer(1, 4 * mm),
    ]
    data = [["利用日", "装置", "利用者", "形態", "種別", "時間", "金額"]]
    for c in charges:
        data.append([
            c.occurred_on.strftime("%m/%d"),
            Paragraph(c.booking.equipment.name, small),
            Paragraph(str(c.user), small),
            Paragraph(str(c.get_mode_display()).split(" (")[0], small),
            str(c.get_kind_display()),
            f"{c.hours} h" if c.hours else "—",
            format_yen(c.amount_yen),
        ])  # fmt: skip
    data.append(["", "", "", "", "", "合計", format_yen(invoice.total_yen)])
    table = Table(data, colWidths=[16 * mm, 52 * mm, 40 * mm, 22 * mm, 18 * mm, 14 * mm, 24 * mm],
                  repeatRows=1)  # fmt: skip
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("ALIGN", (-2, 0), (-1, -1), "RIGHT"),
            ("GRID", (0, 0), (-1, -2), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ])
    )  # fmt: skip
    story += [table, Spacer(1, 6 * mm)]
    story.append(Paragraph(
        "料金は利用者区分・利用形態ごとの時間単価によります。利用開始した1時間未満は1時間として計算します。"
        "技術補助・技術代行には技術支援料が加算され、地域外からの利用には拠点の定める係数を乗じます。",
        small,
    ))  # fmt: skip
    if issuer_note:
        story.append(Paragraph(issuer_note, small))
    doc.build(story)
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
