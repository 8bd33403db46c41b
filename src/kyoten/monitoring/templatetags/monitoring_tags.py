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
