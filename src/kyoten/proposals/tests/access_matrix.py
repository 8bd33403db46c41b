"""Access matrix of the proposals app (see core/tests/access.py).

Objects of the world: `draft` (pref-01's proposal, never submitted) and `handed_in` (pref-01's
submitted proposal, version 1) in `call` (under review). The applicant is pref-13 (not a
participant), the signatory is not invited, the reviewer and the chair sit on no committee of
the call. Rules (docs/proposals.md): applicants their prefecture's proposals, officers all,
observers the handed-in ones only (R-15; never a draft), signatories those they are asked to
sign, reviewers their committee's calls; 404 for what one may not see; 403 for a write on a
proposal one sees but may not change (officer, observer).
"""

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    METHOD,
    OK,
    answers,
    api,
    only,
    page,
)

READ_DRAFT = only(["officer"], OK, HIDDEN)
READ_HANDED_IN = only(["officer", "observer"], OK, HIDDEN)
# A write by someone who may not change it: 403 if they see it, 404 if not.
WRITE_DRAFT = only(["officer"], DENIED, HIDDEN)
WRITE_HANDED_IN = only(["officer", "observer"], DENIED, HIDDEN)
# An officer's act on a proposal (return, acknowledge a warning).
OFFICER_ACT_DRAFT = only(["officer"], ACTS, HIDDEN)
OFFICER_ACT_HANDED_IN = answers(HIDDEN, officer=ACTS, observer=DENIED)
OFFICER_OR_OBSERVER = only(["officer", "observer"], OK, DENIED)

ENTRIES = [
    page("proposals/", answers(OK), why="the workspace lists what each may see"),
    page(
        "proposals/partnerships/",
        only(["applicant"], OK, DENIED),
        why="an applicant answers the consortium invitations to their prefecture (R-2)",
    ),
    page(
        "proposals/partnerships/<int:pk>/",
        answers(HIDDEN),
        objects={"pk": 999999},
        method="POST",
        why="an invitation to another prefecture does not exist for anyone else",
    ),
    page("proposals/partnerships/<int:pk>/", answers(METHOD), objects={"pk": 999999}),
    *[
        page(
            route,
            act,
            objects={"pk": name},
            method="POST",
            why="the officer changes the category or adds a reduced plan (issue 13 part 3)",
        )
        for route in ("proposals/<int:pk>/category/", "proposals/<int:pk>/options/")
        for name, act in (("draft", OFFICER_ACT_DRAFT), ("handed_in", OFFICER_ACT_HANDED_IN))
    ],
    page(
        "proposals/<int:pk>/partners-may-edit/",
        only(["officer"], DENIED, HIDDEN),
        objects={"pk": "draft"},
        method="POST",
        why="the lead prefecture alone decides who edits",
    ),
    page(
        "proposals/<int:pk>/partners-may-edit/",
        only(["officer", "observer"], DENIED, HIDDEN),
        objects={"pk": "handed_in"},
        method="POST",
    ),
    page(
        "proposals/new/<int:call_id>/",
        only(["applicant", "officer"], ACTS, DENIED),
        objects={"call_id": "call"},
        method="POST",
        why="applicants start proposals (the officer on a prefecture's behalf)",
    ),
    page("proposals/new/<int:call_id>/", answers(METHOD), objects={"call_id": "call"}),
    *[
        e
        for name, read, write, act in (
            ("draft", READ_DRAFT, WRITE_DRAFT, OFFICER_ACT_DRAFT),
            ("handed_in", READ_HANDED_IN, WRITE_HANDED_IN, OFFICER_ACT_HANDED_IN),
        )
        for e in (
            page("proposals/<int:pk>/", read, objects={"pk": name}),
            page("proposals/<int:pk>/checklist/", read, objects={"pk": name}),
            page("proposals/<int:pk>/versions/", read, objects={"pk": name}),
            page("proposals/<int:pk>/pdf/", read, objects={"pk": name}),
            page(
                "proposals/<int:pk>/save/<slug:part>/",
                write,
                objects={"pk": name, "part": "basics"},
                method="POST",
            ),
            page("proposals/<int:pk>/submit/", write, objects={"pk": name}, method="POST"),
            page("proposals/<int:pk>/withdraw/", write, objects={"pk": name}, method="POST"),
            page(
                "proposals/<int:pk>/signatures/request/",
                write,
                objects={"pk": name},
                method="POST",
            ),
            page("proposals/<int:pk>/attachments/", write, objects={"pk": name}, method="POST"),
            page("proposals/<int:pk>/return/", act, objects={"pk": name}, method="POST"),
            page("proposals/<int:pk>/acknowledge/", act, objects={"pk": name}, method="POST"),
            page(
                "proposals/<int:pk>/sign/",
                write,
                objects={"pk": name},
                method="POST",
                why="only the invited signatory signs",
            ),
            api("GET", "/api/v1/proposals/{proposal_id}", read, objects={"proposal_id": name}),
            api(
                "GET",
                "/api/v1/proposals/{proposal_id}/findings",
                read,
                objects={"proposal_id": name},
            ),
            api(
                "GET",
                "/api/v1/proposals/{proposal_id}/versions",
                read,
                objects={"proposal_id": name},
            ),
            api("PUT", "/api/v1/proposals/{proposal_id}", write, objects={"proposal_id": name}),
            api("PATCH", "/api/v1/proposals/{proposal_id}", write, objects={"proposal_id": name}),
            api(
                "POST",
                "/api/v1/proposals/{proposal_id}/submit",
                write,
                objects={"proposal_id": name},
            ),
            api(
                "POST",
                "/api/v1/proposals/{proposal_id}/return",
                act,
                objects={"proposal_id": name},
                body={"message": "要修正"},
            ),
            api(
                "POST",
                "/api/v1/proposals/{proposal_id}/sign",
                write,
                objects={"proposal_id": name},
                body={"role": "governor"},
            ),
        )
    ],
    page(
        "proposals/<int:pk>/versions/<int:number>/",
        READ_HANDED_IN,
        objects={"pk": "handed_in", "number": 1},
    ),
    page(
        "proposals/<int:pk>/versions/<int:number>/",
        only(["officer"], HIDDEN, HIDDEN),
        objects={"pk": "draft", "number": 1},
        why="a draft has no version",
    ),
    page(
        "proposals/<int:pk>/attachments/<int:attachment_id>/",
        answers(HIDDEN),
        objects={"pk": "handed_in", "attachment_id": 987654},
        why="no such attachment",
    ),
    page("proposals/calls/<int:call_id>/", OFFICER_OR_OBSERVER, objects={"call_id": "call"}),
    page(
        "proposals/calls/<int:call_id>/eligibility/",
        OFFICER_OR_OBSERVER,
        objects={"call_id": "call"},
    ),
    page(
        "proposals/calls/<int:call_id>/export.<str:fmt>",
        OFFICER_OR_OBSERVER,
        objects={"call_id": "call", "fmt": "csv"},
    ),
    page(
        "proposals/calls/<int:call_id>/export.<str:fmt>",
        OFFICER_OR_OBSERVER,
        objects={"call_id": "call", "fmt": "xlsx"},
    ),
    page(
        "proposals/calls/<int:call_id>/amend/",
        only(["officer"], OK, DENIED),
        objects={"call_id": "call"},
    ),
    api(
        "GET",
        "/api/v1/proposals",
        answers(OK),
        why="a list of what each may see (the sentinel and observer tests check its items)",
    ),
    api(
        "POST",
        "/api/v1/proposals",
        only(["applicant", "officer"], ACTS, DENIED),
        body={"call": "call"},
        why="an applicant for their prefecture; the officer on a prefecture's behalf "
        "(proposals.services.proposal_create)",
    ),
    api(
        "POST",
        "/api/v1/calls/{call_id}/amend",
        only(["officer"], ACTS, DENIED),
        objects={"call_id": "call"},
        body={"message": "変更", "deadline": "2009-12-01T17:00:00+09:00"},
    ),
]
