"""Excel export of all KPI data the user may see (openpyxl): targets, actuals, status."""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kyoten.monitoring import kpis, selectors
from kyoten.monitoring.models import KpiActual, KpiTarget

KPI_HEADER = [
    "hub_id", "hub", "prefecture", "block", "kpi", "kpi_label", "unit", "fiscal_year",
    "target", "target_source", "actual", "actual_source", "platform_value",
    "report_status", "achievement_pct", "status",
]  # fmt: skip


def kpi_rows(user) -> list[list]:
    """One row per hub × KPI × fiscal year that has a target or an actual."""
    hubs = list(selectors.monitored_hubs(user))
    ids = [h.pk for h in hubs]
    stored = defaultdict(list)
    for t in KpiTarget.objects.filter(hub__in=ids):
        stored[t.hub_id].append(t)
    visible_reports = selectors.reports_visible_to(user).filter(hub__in=ids)
    actuals = {
        (hub_id, kpi, fy): (value, source, platform, status)
        for hub_id, kpi, fy, value, source, platform, status in KpiActual.objects.filter(
            report__in=visible_reports
        ).values_list(
            "report__hub_id",
            "kpi",
            "report__fiscal_year",
            "value",
            "source",
            "platform_value",
            "report__status",
        )
    }
    rows = []
    for hub in hubs:
        targets = selectors.effective_targets(hub, stored=stored[hub.pk])
        keys = {(k, y) for (k, y) in targets} | {(k, y) for (h, k, y) in actuals if h == hub.pk}
        order = list(kpis.CATALOGUE)
        for key, fy in sorted(keys, key=lambda ky: (order.index(ky[0]), ky[1])):
            kpi = kpis.CATALOGUE[key]
            t = targets.get((key, fy))
            a = actuals.get((hub.pk, key, fy))
            counted = a is not None and a[3] in selectors.COUNTING
            tv = t.target if t else None
            av = a[0] if a else None
            rows.append([
                hub.pk, hub.name, hub.lead_prefecture.name_ja, hub.lead_prefecture.block,
                key, kpi.label_ja, kpi.unit, fy,
                kpis.plain(tv, kpi), t.source if t else None,
                kpis.plain(av, kpi), a[1] if a else None,
                kpis.plain(a[2], kpi) if a else None,
                a[3] if a else None,
                kpis.achievement_pct(kpi, av, tv),
                kpis.status(kpi, av if counted else None, tv),
            ])  # fmt: skip
    return rows


def workbook(user) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    _sheet(ws, KPI_HEADER, kpi_rows(user))
    reports = wb.create_sheet("reports")
    report_rows = []
    for r in selectors.reports_visible_to(user):
        money = r.financials or {}
        report_rows.append([
            r.hub_id, r.hub.name, r.fiscal_year, r.status,
            sum((money.get("revenue_yen") or {}).values()),
            sum((money.get("cost_yen") or {}).values()),
            money.get("jst_operating_yen", 0),
            r.submitted_at.isoformat() if r.submitted_at else None,
        ])  # fmt: skip
    _sheet(reports, ["hub_id", "hub", "fiscal_year", "status", "revenue_yen", "cost_yen",
                     "jst_operating_yen", "submitted_at"], report_rows)  # fmt: skip
    catalogue = wb.create_sheet("catalogue")
    _sheet(
        catalogue,
        ["kpi", "label_ja", "label_en", "unit", "higher_is_better", "source", "definition"],
        [[k.key, k.label_ja, k.label_en, k.unit, k.higher_is_better, k.source, k.definition]
         for k in kpis.CATALOGUE.values()],
    )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, header: list[str], rows: list[list]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3EAF3")
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) + 4))
    ws.auto_filter.ref = ws.dimensions
