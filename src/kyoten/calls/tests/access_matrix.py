"""Access matrix of the calls app (see core/tests/access.py).

Objects: `call` (published, under review) and `draft_call` (a draft: only officers see it).
Rules (docs/proposals.md, SPEC §4): published calls are public, pages and API alike; a draft
call is 404 to all but officers; officers alone create, edit and move calls and programs.
"""

from kyoten.core.tests.access import ACTS, DENIED, HIDDEN, METHOD, OK, answers, api, only, page

OFFICER_PAGE = only(["officer"], OK, DENIED)

ENTRIES = [
    page("calls/", answers(OK, anonymous=OK)),
    page("calls/<int:pk>/", answers(OK, anonymous=OK), objects={"pk": "call"}),
    page(
        "calls/<int:pk>/",
        answers(HIDDEN, anonymous=HIDDEN, officer=OK),
        objects={"pk": "draft_call"},
    ),
    page("calls/new/", OFFICER_PAGE),
    page("calls/<int:pk>/edit/", OFFICER_PAGE, objects={"pk": "call"}),
    page(
        "calls/<int:pk>/edit/",
        OFFICER_PAGE,
        objects={"pk": "draft_call"},
        why="the role may edit no call: refused before any call is looked up, so the refusal "
        "says nothing of the draft",
    ),
    page(
        "calls/<int:pk>/status/",
        only(["officer"], ACTS, DENIED),
        objects={"pk": "call"},
        method="POST",
    ),
    page("calls/<int:pk>/status/", answers(METHOD), objects={"pk": "call"}),
    page("calls/programs/new/", OFFICER_PAGE),
    page("calls/programs/<int:pk>/", OFFICER_PAGE, objects={"pk": "program"}),
    api("GET", "/api/v1/calls", answers(OK, anonymous=OK)),
    api("GET", "/api/v1/calls/{call_id}", answers(OK, anonymous=OK), objects={"call_id": "call"}),
    api(
        "GET",
        "/api/v1/calls/{call_id}",
        answers(HIDDEN, anonymous=HIDDEN, officer=OK),
        objects={"call_id": "draft_call"},
    ),
    api(
        "POST",
        "/api/v1/calls",
        only(["officer"], ACTS, DENIED),
        body={
            "code": "matrix",
            "title": "公募",
            "opens_at": "2011-04-01T00:00:00+09:00",
            "deadline": "2011-05-01T00:00:00+09:00",
        },  # fmt: skip
    ),
    api(
        "PATCH",
        "/api/v1/calls/{call_id}",
        only(["officer"], ACTS, DENIED),
        objects={"call_id": "call"},
        body={"status": "closed"},
    ),
]
