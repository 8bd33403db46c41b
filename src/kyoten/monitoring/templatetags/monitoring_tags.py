"""Small template helpers of the monitoring pages."""

from django import template

from kyoten.monitoring import kpis

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status):
    return kpis.STATUS_LABELS.get(status, status)


@register.filter
def kpi_value(value, kpi):
    """A KPI value for display: yen with separators, percentages with %."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "as_tuple"):
        value = kpis.plain(value, kpi)
    if kpi.unit == kpis.YEN:
        return f"¥{int(value):,}"
    if kpi.unit == kpis.PERCENT:
        return f"{value}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


@register.filter
def source_label(source):
    """The translated label of an actual's or a target's source."""
    from kyoten.monitoring.enums import ActualSource, TargetSource

    for choices in (ActualSource, TargetSource):
        if source in choices.values:
            return choices(source).label
    return source or ""


@register.filter
def kpi_label(key):
    kpi = kpis.CATALOGUE.get(key)
    return kpi.label if kpi else key


@register.filter
def report_status_label(status):
    """A report's status (`accepted` → 受理) for display; a dash when there is no report."""
    from kyoten.monitoring.enums import ReportStatus

    return ReportStatus(status).label if status in ReportStatus.values else (status or "—")


@register.filter
def research_total(funding) -> int:
    """The yen received for a project (all sources), from its prefetched funding rows."""
    return sum(f.amount_yen for f in funding)


@register.filter
def error_for(error_field: str, prefix: str) -> bool:
    """True when the form's error names this input (`partners[1].kind` for `partners[1]`)."""
    return bool(error_field) and (error_field == prefix or error_field.startswith(prefix + "."))


# The parts and lines of a year's finances (the keys of a funding plan: SPEC §4), as labels.
FINANCE_LABELS = {
    "revenue_yen": ("収入", "Revenue"),
    "cost_yen": ("支出", "Costs"),
    "jst_operating_yen": ("JSTが負担する運営費", "Operating costs paid by JST"),
    "municipality": ("市町村負担", "municipality"),
    "membership": ("会費", "membership fees"),
    "contract_research": ("受託研究", "contract research"),
}


@register.filter
def finance_label(key):
    """A funding-plan part or line (`maintenance` → 保守・維持費); a line the hub named itself
    stays as written."""
    from django.utils.translation import get_language

    from kyoten.proposals.forms import SOURCE_LABELS

    names = FINANCE_LABELS.get(key) or SOURCE_LABELS.get(key)
    if names is None:
        return key or ""
    return names[0] if (get_language() or "ja").startswith("ja") else names[1]
