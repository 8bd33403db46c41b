"""Objects of the access matrix's world that belong to the equipment app, made on demand like
`hubs/tests/access_world.py` does (a `Made` value in an entry's `objects` or body).

Everything sits in the world's hub, which no matrix user operates: a machine open every day, a
booking of it by an engineer who is none of the matrix users, a past use of it invoiced to the
engineer's company, a training course with a coming session the engineer registered for, and the
engineer's private calendar feed.
"""

from __future__ import annotations

import datetime as dt

from kyoten.equipment.slots import TOKYO
from kyoten.hubs.tests.access_world import Made, _officer, hub

MACHINE_NAME = "行列の世界の分析装置"


def machine():
    from kyoten.equipment import services
    from kyoten.equipment.enums import Mode, UserClass
    from kyoten.equipment.models import Equipment

    found = Equipment.objects.filter(name=MACHINE_NAME).first()
    if found is not None:
        return found
    fees = {(c, m): 2000 for c in UserClass.values for m in (Mode.SELF_USE, Mode.ASSISTED)}
    return services.equipment_create(
        hub=hub(), by=_officer(), name=MACHINE_NAME, category="analysis", fees=fees,
        open_weekdays="1234567", opens_minute=0, closes_minute=1440, lead_time_minutes=0,
    )  # fmt: skip


def engineer():
    """An SME engineer of the hub's prefecture; none of the matrix users."""
    from django.contrib.auth import get_user_model

    from kyoten.core.services import organisation_create, user_create

    found = get_user_model().objects.filter(username="m-booker").first()
    if found is not None:
        return found
    company = organisation_create(name="行列計測株式会社", kind="company", prefecture="01",
                                  is_sme=True)  # fmt: skip
    return user_create(username="m-booker", password="pw", role="equipment_user",
                       organisation=company)  # fmt: skip


def _next_week_at(hour: int) -> dt.datetime:
    from django.utils import timezone

    day = timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=7)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def booking():
    """The engineer's coming assisted booking of the machine."""
    from kyoten.equipment import services
    from kyoten.equipment.models import Booking

    found = Booking.objects.filter(equipment=machine(), user=engineer(), status__in=(
        "requested", "confirmed")).first()  # fmt: skip
    if found is not None:
        return found
    start = _next_week_at(10)
    return services.booking_create(equipment=machine(), user=engineer(), start=start,
                                   end=start + dt.timedelta(hours=2), mode="assisted")  # fmt: skip


def invoice():
    """The engineer's company's invoice for a use in October 2026."""
    from kyoten.equipment import services
    from kyoten.equipment.models import Invoice

    found = Invoice.objects.filter(hub=hub()).first()
    if found is not None:
        return found
    start = dt.datetime(2026, 10, 5, 10, tzinfo=TOKYO)
    used = services.booking_create(
        equipment=machine(), user=engineer(), start=start, end=start + dt.timedelta(hours=2),
        mode="assisted", now=start - dt.timedelta(days=3),
    )  # fmt: skip
    services.booking_report_usage(booking=used, by=engineer(), actual_start=used.start,
                                  actual_end=used.end, will_acknowledge=True, now=used.end)  # fmt: skip
    return services.invoices_issue(hub=hub(), year=2026, month=10, by=_officer())[0]


def session():
    """A coming session of the machine's course; the engineer has registered."""
    from kyoten.equipment import services
    from kyoten.equipment.models import TrainingSession

    found = TrainingSession.objects.filter(course__hub=hub()).first()
    if found is not None:
        return found
    course = services.course_create(hub=hub(), by=_officer(), title="行列の講習",
                                    equipment=machine())  # fmt: skip
    start = _next_week_at(13) + dt.timedelta(days=7)
    made = services.session_create(course=course, by=_officer(), start=start,
                                   end=start + dt.timedelta(hours=3), capacity=5)  # fmt: skip
    services.session_register(session=made, user=engineer())
    return made


def feed():
    from kyoten.equipment.models import CalendarFeed

    return CalendarFeed.objects.get_or_create(user=engineer())[0]


class MadeKey(Made):
    """A path parameter whose value is the made object's secret key."""

    def __str__(self) -> str:
        return self.make().key


MACHINE = Made(machine, "machine")
ENGINEER = Made(engineer, "an engineer who is none of the matrix users")
BOOKING = Made(booking, "the engineer's booking")
INVOICE = Made(invoice, "the engineer's company's invoice")
SESSION = Made(session, "a coming training session")
FEED_KEY = MadeKey(feed, "the engineer's calendar feed key")
