"""The network's tables as files (core/exports.py): the dashboard a ministry reads (R-15), the
KPI tables of every hub, and the national equipment catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kyoten.core.exports import Column, Sheet, columns
from kyoten.core.reference import BLOCKS, block_label
from kyoten.hubs.exports import label
from kyoten.network.enums import Field, Kind


def _by_block(name, first_header, rows: list[tuple[str, dict[str, int]]]) -> Sheet:
    """A table of counts with one column per regional block."""
    cols = [Column(first_header, lambda r: r[0])]
    cols += [Column(block_label(b), lambda r, b=b: r[1].get(b, 0)) for b in BLOCKS]
    cols.append(Column(_("Total"), lambda r: sum(r[1].get(b, 0) for b in BLOCKS)))
    return Sheet(name=name, columns=cols, rows=rows)


def dashboard_sheets(data: dict[str, Any]) -> list[Sheet]:
    """The dashboard's five tables (`dashboard.dashboard_data()`), labels for every key."""
    from kyoten.equipment.enums import Category, UserClass

    fields, kinds = dict(Field.choices), dict(Kind.choices)
    return [
        Sheet(
            name=_("Hubs by region"),
            columns=columns(
                (_("Regional block"), lambda r: block_label(r[0])),
                (_("Number of hubs"), lambda r: r[1]),
            ),
            rows=list(data["hubs_by_region"].items()),
        ),
        _by_block(
            _("Hubs by field and region"),
            _("Field"),
            [
                (str(fields.get(f, _("other"))), c)
                for f, c in data["hubs_by_field_and_region"].items()
            ],
        ),
        _by_block(
            _("Entries by kind and region"),
            _("Kind"),
            [(str(kinds.get(k, k)), c) for k, c in data["entries_by_kind_and_region"].items()],
        ),
        Sheet(
            name=_("Equipment by category"),
            columns=columns(
                (_("Category"), lambda r: label(Category, r[0])),
                (_("Machines"), lambda r: r[1]),
            ),
            rows=list(data["equipment_by_category"].items()),
        ),
        Sheet(
            name=_("Usage by user class"),
            columns=columns(
                (_("User class"), lambda r: label(UserClass, r[0])),
                (_("Bookings"), lambda r: r[1]["bookings"]),
                (_("Booked hours"), lambda r: r[1]["hours"]),
                (_("Fees (yen)"), lambda r: r[1]["fees_yen"]),
            ),
            rows=list(data["usage_by_user_class"].items()),
        ),
    ]


def kpi_sheet(user) -> Sheet:
    """Targets and actuals of every hub the user may monitor (monitoring's own rows and
    headers: one table, whether read on the page, in monitoring's workbook or here)."""
    from kyoten.monitoring.export import KPI_HEADER, kpi_rows

    return Sheet(
        name=_("KPI tables"),
        columns=[Column(h, lambda r, i=i: r[i]) for i, h in enumerate(KPI_HEADER)],
        rows=kpi_rows(user),
    )


def equipment_sheet(machines) -> Sheet:
    """The national equipment catalogue (`equipment_visible_to`): what, where, how to use it."""
    from kyoten.equipment.enums import Access, Category, EquipmentStatus

    return Sheet(
        name=_("Equipment catalogue"),
        columns=columns(
            (_("Machine ID"), lambda e: e.pk),
            (_("Machine"), lambda e: e.name),
            (_("Category"), lambda e: label(Category, e.category)),
            (_("Maker"), lambda e: e.maker),
            (_("Model"), lambda e: e.model_name),
            (_("Hub"), lambda e: e.hub.name),
            (_("Lead prefecture"), lambda e: e.hub.lead_prefecture.name_ja),
            (_("Regional block"), lambda e: block_label(e.hub.lead_prefecture.block)),
            (_("Location"), lambda e: e.location),
            (_("Access"), lambda e: label(Access, e.access)),
            (_("Status"), lambda e: label(EquipmentStatus, e.status)),
        ),
        rows=machines,
    )
