"""Access matrix of the allocation app (see core/tests/access.py).

Objects: `run` (the officer's run on `call`, adopted, not published). Rules
(allocation/rules.py, docs/allocation.md): the officer and the committees (promotion committee
members, review chairs) run and see allocations; the officer alone adopts and publishes;
ministries see the runs of published decisions only (so not this one); anyone else: the runs
do not exist for them (404). Nobody of the matrix is kept from a proposal of the call.
"""

from kyoten.core.tests.access import ACTS, ALLOCATORS, DENIED, HIDDEN, OK, answers, api, only, page

RUN = {"pk": "run"}
READ_RUN = only(ALLOCATORS, OK, HIDDEN)

ENTRIES = [
    page(
        "allocation/",
        only([*ALLOCATORS, "observer"], OK, DENIED),
        why="ministries (R-15) read the calls whose decision is published",
    ),
    page(
        "allocation/calls/<int:call_id>/", only(ALLOCATORS, OK, DENIED), objects={"call_id": "call"}
    ),
    page(
        "allocation/calls/<int:call_id>/publish/",
        only(["officer"], ACTS, DENIED),
        objects={"call_id": "call"},
        method="POST",
        why="the officer alone publishes: refused before the decision is looked up",
    ),
    page("allocation/runs/<int:pk>/", READ_RUN, objects=RUN),
    page(
        "allocation/runs/<int:pk>/adopt/",
        answers(HIDDEN, officer=ACTS, committee=DENIED, chair=DENIED),
        objects=RUN,
        method="POST",
    ),
    page(
        "allocation/runs/<int:pk>/chart-<str:kind>.png",
        READ_RUN,
        objects={"pk": "run", "kind": "blocks"},
    ),
    page(
        "allocation/runs/<int:pk>/chart-<str:kind>.png",
        READ_RUN,
        objects={"pk": "run", "kind": "compare"},
    ),
    page(
        "allocation/runs/<int:pk>/export.<str:fmt>", READ_RUN, objects={"pk": "run", "fmt": "xlsx"}
    ),
    page(
        "allocation/runs/<int:pk>/export.<str:fmt>", READ_RUN, objects={"pk": "run", "fmt": "pdf"}
    ),
    page("allocation/compare/", READ_RUN, query="a={run}&b={run}"),
    page(
        "allocation/letters/<int:proposal_id>.pdf",
        only(["officer"], OK, HIDDEN),
        objects={"proposal_id": "handed_in"},
        why="the decision is not published: its letter is the officer's until then",
    ),
    api("GET", "/api/v1/allocations", answers(OK), why="a list of the runs each may see"),
    api(
        "GET",
        "/api/v1/allocations/{run_id}",
        only(ALLOCATORS, OK, HIDDEN),
        objects={"run_id": "run"},
    ),
    api("POST", "/api/v1/allocations", only(ALLOCATORS, ACTS, DENIED), body={"call": "call"}),
    api(
        "POST",
        "/api/v1/allocations/{run_id}/adopt",
        answers(HIDDEN, officer=ACTS, committee=DENIED, chair=DENIED),
        objects={"run_id": "run"},
    ),
]
