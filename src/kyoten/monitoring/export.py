"""Excel export of all KPI data the user may see (openpyxl): targets, actuals, status.

A sheet people read: headers, blocks, KPIs, units, sources and statuses as labels and fiscal
years as the program writes them (2013年度 (平成25年度)), in the active language; the hub id and
the KPI key stay for whoever joins the sheet with other data."""

from __future__ import annotations

import io
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kyoten.core.dates import format_moment
from kyoten.core.fiscal import fy_label
from kyoten.core.reference import block_label
from kyoten.core.sheets import append_row
from kyoten.monitoring import kpis, selectors
from kyoten.monitoring.enums import ActualSource, ReportStatus, TargetSource
from kyoten.monitoring.models import KpiActual, KpiTarget

KPI_HEADER = [
    gettext_lazy("Hub ID"), gettext_lazy("Hub"), gettext_lazy("Prefecture"),
    gettext_lazy("Regional block"), gettext_lazy("KPI key"), gettext_lazy("KPI"),
    gettext_lazy("Unit"), gettext_lazy("Fiscal year"), gettext_lazy("Target"),
    gettext_lazy("Target source"), gettext_lazy("Actual"), gettext_lazy("Actual source"),
    gettext_lazy("Platform figure"), gettext_lazy("Report status"),
    gettext_lazy("Achievement (%)"), gettext_lazy("Status"),
]  # fmt: skip


def _label(choices, value) -> str | None:
    return str(choices(value).label) if value in choices.values else value


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
            status = kpis.status(kpi, av if counted else None, tv)
            rows.append([
                hub.pk, hub.name, hub.lead_prefecture.name_ja,
                block_label(hub.lead_prefecture.block), key, kpi.label, kpi.unit_label,
                fy_label(fy), kpis.plain(tv, kpi), _label(TargetSource, t.source) if t else None,
                kpis.plain(av, kpi), _label(ActualSource, a[1]) if a else None,
                kpis.plain(a[2], kpi) if a else None,
                _label(ReportStatus, a[3]) if a else None,
                kpis.achievement_pct(kpi, av, tv),
                str(kpis.STATUS_LABELS.get(status, status)),
            ])  # fmt: skip
    return rows


def workbook(user) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    _sheet(ws, KPI_HEADER, kpi_rows(user))
    reports = wb.create_sheet(_("Reports"))
    report_rows = []
    for r in selectors.reports_visible_to(user):
        money = r.financials or {}
        report_rows.append([
            r.hub_id, r.hub.name, fy_label(r.fiscal_year), _label(ReportStatus, r.status),
            sum((money.get("revenue_yen") or {}).values()),
            sum((money.get("cost_yen") or {}).values()),
            money.get("jst_operating_yen", 0),
            format_moment(r.submitted_at) if r.submitted_at else None,
        ])  # fmt: skip
    _sheet(reports, [_("Hub ID"), _("Hub"), _("Fiscal year"), _("Status"),
                     _("Revenue (yen)"), _("Costs (yen)"),
                     _("Operating costs paid by JST (yen)"), _("Submitted")],
           report_rows)  # fmt: skip
    catalogue = wb.create_sheet(_("KPI catalogue"))
    _sheet(
        catalogue,
        [_("KPI key"), _("Japanese label"), _("English label"), _("Unit"),
         _("Higher is better"), _("Source"), _("Definition")],
        [[k.key, k.label_ja, k.label_en, k.unit_label, k.higher_is_better,
          _label(ActualSource, k.source), k.definition]
         for k in kpis.CATALOGUE.values()],
    )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, header: list, rows: list[list]) -> None:
    header = [str(h) for h in header]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3EAF3")
    for row in rows:
        append_row(ws, row)
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) + 4))
    ws.auto_filter.ref = ws.dimensions
