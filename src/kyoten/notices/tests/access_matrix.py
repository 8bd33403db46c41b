"""Access matrix of the notices app (see core/tests/access.py).

Objects: `notice` (a notice of someone else). Rules (docs/people.md): everyone signed in has an
inbox and reads their own notices; someone else's notice is 404; the officer alone reads the
sent e-mail.
"""

from kyoten.core.tests.access import ACTS, DENIED, HIDDEN, OK, answers, api, only, page

ENTRIES = [
    page("notices/", answers(OK)),
    page("notices/<int:pk>/read/", answers(HIDDEN), objects={"pk": "notice"}, method="POST"),
    page("notices/read-all/", answers(ACTS), method="POST"),
    page("notices/outbox/", only(["officer"], OK, DENIED)),
    api("GET", "/api/v1/notifications", answers(OK)),
    api(
        "POST",
        "/api/v1/notifications/{notice_id}/read",
        answers(HIDDEN),
        objects={"notice_id": "notice"},
    ),
]
