"""Access-matrix entries of the equipment app (vocabulary in core/tests/access.py), written
from the rules (equipment/rules.py, docs/equipment.md).

Objects (equipment/tests/access_world.py): a machine of the world's hub (operated by no matrix
user), an engineer's booking of it, the engineer's company's invoice, a coming training session
and the engineer's calendar feed.

- The catalogue, a machine's page, calendar and iCalendar, the training list: everyone.
- A hub's equipment desk (machines, settings, courses, sessions, attendance, approvals,
  invoicing) is its operators' and the officers': to anyone else the hub's desk is missing (404).
  Changing a machine: the same (a machine's edit and status answer 404, a photo 403: the page
  shows the machine to everyone, the upload is refused).
- A booking is its user's, its hub's operators' and the officers' (404 to anyone else).
- An invoice: the officer, the hub, the company's billing contact, the users whose lines it
  holds (404 to anyone else).
- Booking and joining a waiting list or a session: any signed-in person, except a ministry
  observer who reads only (R-15: the API refuses, 403).
- The settlement between hubs is read by the officer and hub operators (the matrix's "operator"
  operates no hub: refused) and closed by the officer only; the lists of one's own invoices,
  bookings and trainings answer every signed-in person with their own.
- A private calendar feed is opened by its secret key alone (calendar programs cannot log in).
"""

from __future__ import annotations

from kyoten.core.tests.access import ACTS, DENIED, HIDDEN, OK, answers, api, only, page
from kyoten.equipment.tests.access_world import (
    BOOKING,
    ENGINEER,
    FEED_KEY,
    INVOICE,
    MACHINE,
    SESSION,
)
from kyoten.hubs.tests.access_world import HUB

EVERYONE = answers(OK, anonymous=OK)
SIGNED_IN = answers(OK)
DESK = only(["officer"], OK, HIDDEN)
DESK_WRITE = only(["officer"], ACTS, HIDDEN)
M = {"pk": MACHINE}
H = {"hub_id": HUB}

ENTRIES = [
    page("equipment/settlement/", answers(DENIED, officer=OK), query="year=2026&month=11",
         why="officers and hub operators (may_read_settlement)"),
    page("equipment/settlement/close/", answers(DENIED, officer=ACTS), method="POST", body={},
         why="the officer closes a month; without the confirming tick it redirects back"),
    api("GET", "/api/v1/settlements", answers(DENIED, officer=OK), query="year=2026&month=11",
        why="officers and hub operators"),
    page("equipment/hub/<int:hub_id>/bookings.<slug:fmt>",
         only(["officer", "observer", "committee"], OK, DENIED), objects={"hub_id": HUB, "fmt": "csv"},
         why="a hub's bookings: its operators and the program's readers (R-15, can_view_hub_internals)"),
    page("equipment/invoices/", answers(OK), why="the invoices one may read (maybe none)"),
    page("equipment/bookings/", answers(OK), why="one's own bookings"),
    page("equipment/training/mine/", answers(OK), why="one's own registrations"),
    # The public catalogue.
    page("equipment/", EVERYONE),
    page("equipment/<int:pk>/", EVERYONE, objects=M),
    page("equipment/<int:pk>/calendar/", EVERYONE, objects=M),
    page("equipment/<int:pk>/calendar.ics", EVERYONE, objects=M),
    page("equipment/training/", EVERYONE),
    page("equipment/feeds/<str:key>.ics", EVERYONE, objects={"key": FEED_KEY},
         why="the key is the permission (a calendar program cannot log in)"),
    page("equipment/<int:pk>/photos/<int:photo_pk>/", answers(HIDDEN, anonymous=HIDDEN),
         objects={**M, "photo_pk": 0}, why="no such photo of this machine (test_photos serves one)"),
    # Changing a machine: its hub's operators and officers.
    page("equipment/<int:pk>/edit/", DESK, objects=M),
    page("equipment/<int:pk>/status/", DESK_WRITE, objects=M, method="POST",
         body={"status": "maintenance"}),
    page("equipment/<int:pk>/photos/", only(["officer"], ACTS, DENIED), objects=M, method="POST",
         body={}, why="the machine is public; the upload is refused (no file: 400 for the officer)"),
    page("equipment/<int:pk>/photos/<int:photo_pk>/remove/", answers(HIDDEN), method="POST",
         objects={**M, "photo_pk": 0}, body={}),
    # Signed-in people book, wait and register (the page answers an observer with a message).
    page("equipment/<int:pk>/waitlist/", answers(ACTS), objects=M, method="POST", body={}),
    page("equipment/training/<int:pk>/register/", answers(ACTS), objects={"pk": SESSION},
         method="POST", body={}),
    page("equipment/training/<int:pk>/unregister/", answers(ACTS), objects={"pk": SESSION},
         method="POST", body={}),
    # A booking: its user, its hub, officers.
    page("equipment/bookings/<int:pk>/", DESK, objects={"pk": BOOKING}),
    page("equipment/bookings/<int:pk>/usage/", DESK, objects={"pk": BOOKING}),
    page("equipment/bookings/<int:pk>/cancel/", DESK_WRITE, objects={"pk": BOOKING},
         method="POST", body={}, why="unconfirmed: sent back to the booking's page"),
    page("equipment/invoices/<int:pk>.<str:fmt>", DESK, objects={"pk": INVOICE, "fmt": "csv"}),
    # The hub's equipment desk.
    page("equipment/hub/<int:hub_id>/", DESK, objects=H),
    page("equipment/hub/<int:hub_id>/training/", DESK, objects=H),
    page("equipment/hub/<int:hub_id>/machines/new/", DESK, objects=H),
    page("equipment/hub/<int:hub_id>/settings/", DESK, objects=H),
    page("equipment/hub/<int:hub_id>/courses/new/", DESK_WRITE, objects=H, method="POST", body={}),
    page("equipment/hub/<int:hub_id>/sessions/new/", DESK_WRITE, objects=H, method="POST",
         body={}),
    page("equipment/hub/<int:hub_id>/sessions/<int:pk>/", DESK, objects={**H, "pk": SESSION}),
    page("equipment/hub/<int:hub_id>/sessions/<int:pk>/attendance/", DESK_WRITE,
         objects={**H, "pk": SESSION}, method="POST", body={"user": ENGINEER, "attended": "1"},
         why="before the session: refused with a message, after the permission checks"),
    page("equipment/hub/<int:hub_id>/bookings/<int:pk>/<str:action>/", DESK_WRITE,
         objects={**H, "pk": BOOKING, "action": "staff"}, method="POST", body={}),
    page("equipment/hub/<int:hub_id>/invoices/", DESK_WRITE, objects=H, method="POST",
         body={"year": 2026, "month": 9}),
    # The API.
    api("GET", "/api/v1/equipment", EVERYONE),
    api("GET", "/api/v1/equipment/{equipment_id}", EVERYONE, objects={"equipment_id": MACHINE}),
    api("POST", "/api/v1/equipment", only(["officer"], ACTS, DENIED),
        body={"hub": HUB, "name": "行列の新しい装置", "category": "analysis",
              "fees": [{"user_class": "sme", "mode": "assisted", "hourly_yen": 1000}]},
        why="the hub is public; adding a machine to it is its operators' and officers'"),
    api("PATCH", "/api/v1/equipment/{equipment_id}", only(["officer"], ACTS, DENIED),
        objects={"equipment_id": MACHINE}, body={"status": "maintenance"}),
    api("GET", "/api/v1/bookings", SIGNED_IN, why="one's own bookings"),
    api("POST", "/api/v1/bookings", answers(ACTS, observer=DENIED),
        body={"equipment": MACHINE, "start": "2026-12-24T10:00", "end": "2026-12-24T11:00",
              "mode": "assisted"},
        why="any signed-in person books; an observer reads only (R-15)"),
    api("GET", "/api/v1/bookings/{booking_id}", DESK, objects={"booking_id": BOOKING}),
    api("DELETE", "/api/v1/bookings/{booking_id}", DESK_WRITE, objects={"booking_id": BOOKING}),
    api("POST", "/api/v1/bookings/{booking_id}/cancel", DESK_WRITE,
        objects={"booking_id": BOOKING}, body={}),
    api("POST", "/api/v1/bookings/{booking_id}/approve", DESK_WRITE,
        objects={"booking_id": BOOKING}),
    api("POST", "/api/v1/bookings/{booking_id}/reject", DESK_WRITE,
        objects={"booking_id": BOOKING}, body={}),
    api("POST", "/api/v1/bookings/{booking_id}/usage", DESK_WRITE,
        objects={"booking_id": BOOKING}, body={"will_acknowledge": True}),
]  # fmt: skip
