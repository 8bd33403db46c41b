"""Access-matrix entries of the equipment app (vocabulary in core/tests/access.py), written
from the rules: the settlement between hubs is read by the officer and hub operators (the
matrix's "operator" operates no hub: refused) and closed by the officer only; the lists of
one's own invoices, bookings and trainings answer every signed-in person with their own."""

from __future__ import annotations

from kyoten.core.tests.access import ACTS, DENIED, OK, answers, api, only, page
from kyoten.hubs.tests.access_world import HUB

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
]  # fmt: skip
