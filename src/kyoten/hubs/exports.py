"""The hubs' tables as files (core/exports.py): the hub directory and a hub's asset register
(a hub's bookings are the equipment app's, `equipment/exports.py`). Headers and sheet names
are translated; labels instead of keys, 年度 through `fy_label`, yen as integers, moments in
Japan's time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.core.exports import Sheet, columns
from kyoten.core.fiscal import fiscal_year, fy_label
from kyoten.core.reference import block_label
from kyoten.hubs.enums import AssetKind, AssetOwner, FundingSource, HubForm, Stage

TOKYO = ZoneInfo("Asia/Tokyo")


def label(choices, value) -> str:
    """The translated label of a choice (the value itself when it is not one)."""
    return str(choices(value).label) if value in choices.values else (value or "")


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as Japan's wall-clock time without a zone (what a spreadsheet cell holds)."""
    return moment.astimezone(TOKYO).replace(tzinfo=None) if moment else None


def directory_sheet(hubs) -> Sheet:
    """The hub directory: the public part of every hub given (`hubs_visible_to`)."""
    return Sheet(
        name=_("Hub directory"),
        columns=columns(
            (_("Hub ID"), lambda h: h.pk),
            (_("Hub"), lambda h: h.name),
            (_("Lead prefecture"), lambda h: h.lead_prefecture.name_ja),
            (_("Regional block"), lambda h: block_label(h.lead_prefecture.block)),
            (
                _("Prefectures"),
                lambda h: "、".join(p.name_ja for p in h.prefectures.all()),
            ),
            (
                _("Host organisations"),
                lambda h: "、".join(o.name for o in h.host_organisations.all()),
            ),
            (_("Form"), lambda h: label(HubForm, h.form)),
            (_("Stage"), lambda h: label(Stage, h.stage)),
            (
                _("Operation starts"),
                lambda h: fy_label(h.operation_start_fy) if h.operation_start_fy else "",
            ),
            (_("Address"), lambda h: h.address),
            (_("Award (yen)"), lambda h: h.award_yen),
            (_("Updated"), lambda h: local(h.updated_at)),
        ),
        rows=hubs,
    )


def assets_sheet(hub, *, fy: int | None = None) -> Sheet:
    """The hub's asset register with each asset's book value at the end of fiscal year `fy`."""
    fy = fy if fy is not None else fiscal_year(timezone.localdate())
    return Sheet(
        name=_("Asset register"),
        columns=columns(
            (_("Asset ID"), lambda a: a.pk),
            (_("Name"), lambda a: a.name),
            (_("Kind"), lambda a: label(AssetKind, a.kind)),
            (_("Acquired on"), lambda a: a.acquired_on),
            (_("Acquisition cost (yen)"), lambda a: a.acquisition_cost_yen),
            (_("Funding source"), lambda a: label(FundingSource, a.funding_source)),
            (_("Owner"), lambda a: label(AssetOwner, a.owner)),
            (_("Useful life (years)"), lambda a: a.useful_life_years),
            (_("Location within the hub"), lambda a: a.location),
            (
                _("Book value at the end of %(fy)s (yen)") % {"fy": fy_label(fy)},
                lambda a: a.book_value(fy),
            ),
            (_("Disposed on"), lambda a: a.disposed_on),
        ),
        rows=hub.assets.order_by("acquired_on", "pk"),
    )
