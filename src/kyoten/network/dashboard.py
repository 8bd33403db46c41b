"""Figures a ministry asks for (R-15): hubs by field and region, equipment by category, usage by
SMEs, and the size of the collaboration database. Read-only aggregates, a few queries each."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum

from kyoten.core.reference import BLOCKS, block_label, prefectures
from kyoten.network.enums import Field, Kind
from kyoten.network.selectors import index_counts


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def hubs_by_field_and_region() -> dict[str, dict[str, int]]:
    """field → block → number of hubs whose own entry is in that field."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BLOCKS, 0))
    for _public, block, kind, field, n in index_counts():
        if kind == Kind.HUB and block in BLOCKS:
            table[field or "other"][block] += n
    return {k: dict(v) for k, v in sorted(table.items())}


def entries_by_kind_and_region() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {k: dict.fromkeys(BLOCKS, 0) for k in Kind.values}
    for _public, block, kind, _field, n in index_counts():
        if block in BLOCKS and kind in table:
            table[kind][block] += n
    return table


def equipment_by_category() -> dict[str, int]:
    model = _model("equipment.Equipment")
    if model is None:
        return {}
    rows = model.objects.values("category").annotate(n=Count("id")).order_by("category")
    return {row["category"]: row["n"] for row in rows}


def usage_by_user_class() -> dict[str, dict[str, int]]:
    """Bookings and booked hours by user class (SMEs first in the policy), from the monthly
    totals the equipment app keeps on write (never a read of every booking)."""
    model = _model("equipment.BookingTotal")
    if model is None:
        return {}
    rows = (
        model.objects.exclude(status__in=["cancelled", "rejected"])
        .values("user_class")
        .annotate(n=Sum("bookings"), minutes=Sum("minutes"), fees=Sum("fee_yen"))
        .order_by("user_class")
    )
    return {
        row["user_class"]: {
            "bookings": int(row["n"] or 0),
            "hours": int((row["minutes"] or 0) // 60),
            "fees_yen": int(row["fees"] or 0),
        }
        for row in rows
    }


def hubs_by_region() -> dict[str, int]:
    hub = _model("hubs.Hub")
    counts = dict.fromkeys(BLOCKS, 0)
    if hub is None:
        return counts
    for code, n in hub.objects.values_list("lead_prefecture_id").annotate(n=Count("id")):
        if code in prefectures():
            counts[prefectures()[code].block] += n
    return counts


def dashboard_data() -> dict[str, Any]:
    usage = usage_by_user_class()
    total_bookings = sum(v["bookings"] for v in usage.values())
    sme = usage.get("sme", {"bookings": 0})["bookings"]
    return {
        "regions": {k: block_label(k) for k in BLOCKS},
        "fields": {str(k): str(v) for k, v in Field.choices},
        "hubs_by_region": hubs_by_region(),
        "hubs_by_field_and_region": hubs_by_field_and_region(),
        "entries_by_kind_and_region": entries_by_kind_and_region(),
        "equipment_by_category": equipment_by_category(),
        "usage_by_user_class": usage,
        "sme_share_pct": round(100.0 * sme / total_bookings, 1) if total_bookings else 0.0,
    }
