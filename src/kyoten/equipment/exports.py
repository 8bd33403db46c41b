"""The equipment app's tables as files (core/exports.py): a hub's bookings. Headers and sheet
names are translated; labels instead of keys, yen as integers, moments in Japan's time."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyoten.core.exports import Sheet, columns
from kyoten.equipment.enums import BookingStatus, Mode, UserClass
from kyoten.equipment.models import Booking
from kyoten.hubs.exports import label, local


def bookings_sheet(hub) -> Sheet:
    """Every booking of the hub's machines, newest first: what, when, who (the organisation,
    never the person), how, and the fee."""
    rows = (
        Booking.objects.filter(equipment__hub=hub)
        .select_related("equipment", "organisation")
        .order_by("-start", "-pk")
    )
    return Sheet(
        name=_("Bookings of the hub"),
        columns=columns(
            (_("Booking ID"), lambda b: b.pk),
            (_("Machine"), lambda b: b.equipment.name),
            (_("Start"), lambda b: local(b.start)),
            (_("End"), lambda b: local(b.end)),
            (_("Booked minutes"), lambda b: b.minutes),
            (_("Mode"), lambda b: label(Mode, b.mode)),
            (_("User class"), lambda b: label(UserClass, b.user_class)),
            (_("Organisation"), lambda b: b.organisation.name if b.organisation else ""),
            (_("Purpose"), lambda b: b.purpose),
            (_("Status"), lambda b: label(BookingStatus, b.status)),
            (_("Estimated fee (yen)"), lambda b: b.estimated_fee_yen),
        ),
        rows=rows,
    )
