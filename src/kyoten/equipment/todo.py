from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.equipment.enums import BookingStatus
from kyoten.equipment.models import Booking
from kyoten.hubs.models import Hub


def todos(user) -> list[tuple[str, str]]:
    """Users: bookings to report after use. Operators: requests to decide, assisted bookings
    without staff."""
    if user is None or not user.is_authenticated:
        return []
    now = timezone.now()
    out: list[tuple[str, str]] = []
    unreported = Booking.objects.filter(
        user=user, status=BookingStatus.CONFIRMED, end__lt=now, usage__isnull=True
    ).count()
    if unreported:
        out.append((_("Report your usage of %(n)d past bookings") % {"n": unreported},
                    reverse("equipment:my_bookings")))  # fmt: skip
    for hub in Hub.objects.filter(operators=user):
        pending = Booking.objects.filter(equipment__hub=hub, status=BookingStatus.REQUESTED).count()
        unstaffed = Booking.objects.filter(
            equipment__hub=hub, status=BookingStatus.CONFIRMED, start__gt=now,
            mode__in=["assisted", "commissioned"], staff_slots__isnull=True,
        ).count()  # fmt: skip
        url = reverse("equipment:hub_desk", args=[hub.pk])
        if pending:
            out.append(
                (
                    _("%(hub)s: %(n)d booking requests to decide")
                    % {"hub": hub.name, "n": pending},
                    url,
                )
            )
        if unstaffed:
            out.append(
                (
                    _("%(hub)s: %(n)d assisted bookings need staff")
                    % {"hub": hub.name, "n": unstaffed},
                    url,
                )
            )
    return out
