"""Access matrix of the review app (see core/tests/access.py).

Objects: the review committee of `call` (members `m_other` and chair `chair_other`, none of
the matrix's roles), `review` (m_other's assignment on `handed_in`), `conflict` (chair_other's
conflict with `draft`? no: with `handed_in`), `committee` (the review committee). The matrix's
reviewer and chair sit on no committee of the call. Rules (docs/review.md): the officer runs the
review; members see their call's proposals (not observers: ministries never read reviews); the
chair's pages are the chair's, the deputy's and the officer's; one's review is one's own (404
for anyone else's, the officer's too).
"""

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    METHOD,
    OK,
    REVIEWERS,
    answers,
    api,
    only,
    page,
)

CALL = {"call_id": "call"}
OFFICER_ACTS = only(["officer"], ACTS, DENIED)
OFFICER_PAGE = only(["officer"], OK, DENIED)

ENTRIES = [
    page("review/", only(["officer", *REVIEWERS], OK, DENIED)),
    page("review/reviews/<int:pk>/", answers(HIDDEN), objects={"pk": "review"}),
    page(
        "review/proposals/<int:proposal_id>/",
        only(["officer"], OK, HIDDEN),
        objects={"proposal_id": "handed_in"},
    ),
    page(
        "review/proposals/<int:proposal_id>/",
        answers(HIDDEN),
        objects={"proposal_id": "draft"},
        why="a draft is not under review",
    ),
    page(
        "review/proposals/<int:proposal_id>/discussion/",
        only(["officer"], ACTS, HIDDEN),
        objects={"proposal_id": "handed_in"},
        method="POST",
    ),
    page("review/conflicts/declare/", only(["officer", *REVIEWERS], OK, DENIED)),
    page("review/calls/<int:call_id>/", OFFICER_PAGE, objects=CALL),
    page("review/calls/<int:call_id>/ranking/", OFFICER_PAGE, objects=CALL),
    page("review/calls/<int:call_id>/committees/", OFFICER_PAGE, objects=CALL),
    page("review/calls/<int:call_id>/assign/", OFFICER_ACTS, objects=CALL, method="POST"),
    page("review/calls/<int:call_id>/assign/", answers(METHOD), objects=CALL),
    page("review/calls/<int:call_id>/detect/", OFFICER_ACTS, objects=CALL, method="POST"),
    page(
        "review/calls/<int:call_id>/pairs/",
        only(["officer"], HIDDEN, DENIED),
        objects=CALL,
        method="POST",
        why="the officer's empty form names no proposal",
    ),
    page(
        "review/calls/<int:call_id>/conflicts/<int:conflict_id>/decide/",
        OFFICER_ACTS,
        objects={"call_id": "call", "conflict_id": "conflict"},
        method="POST",
    ),
    page(
        "review/committees/<int:committee_id>/deputy/",
        OFFICER_ACTS,
        objects={"committee_id": "committee"},
        method="POST",
    ),
    api("GET", "/api/v1/reviews", only(["officer", *REVIEWERS], OK, DENIED)),
    api("GET", "/api/v1/reviews/conflicts", only(["officer", *REVIEWERS], OK, DENIED)),
    api(
        "POST",
        "/api/v1/reviews/conflicts",
        only(["officer", *REVIEWERS], HIDDEN, DENIED),
        body={"proposal": "handed_in", "reason": "共同研究"},
        why="nobody of the matrix sits on the committee: the proposal is not theirs to know",
    ),
    api(
        "GET",
        "/api/v1/reviews/proposals/{proposal_id}",
        only(["officer"], OK, HIDDEN),
        objects={"proposal_id": "handed_in"},
    ),
    api(
        "POST",
        "/api/v1/reviews/proposals/{proposal_id}/discussion",
        only(["officer"], ACTS, HIDDEN),
        objects={"proposal_id": "handed_in"},
        body={"text": "議論"},
    ),
    api("GET", "/api/v1/reviews/calls/{call_id}/ranking", OFFICER_PAGE, objects=CALL),
    api("GET", "/api/v1/reviews/calls/{call_id}/progress", OFFICER_PAGE, objects=CALL),
    api(
        "POST",
        "/api/v1/reviews/calls/{call_id}/decision",
        OFFICER_ACTS,
        objects=CALL,
        body={"recommendations": []},
    ),
    api(
        "POST",
        "/api/v1/reviews/calls/{call_id}/assign",
        OFFICER_ACTS,
        objects=CALL,
        body={"reviewers_per_proposal": 1, "max_load": 5},
    ),
    api(
        "GET",
        "/api/v1/reviews/calls/{call_id}/phases",
        only(["officer"], OK, HIDDEN),
        objects=CALL,
        why="members read the phases; to others the review of the call is not theirs",
    ),
    api(
        "PUT",
        "/api/v1/reviews/calls/{call_id}/phases",
        OFFICER_ACTS,
        objects=CALL,
        body={
            "kind": "scoring",
            "starts_at": "2009-09-01T00:00:00+09:00",
            "ends_at": "2009-09-30T00:00:00+09:00",
        },  # fmt: skip
    ),
    api("GET", "/api/v1/reviews/committees", OFFICER_PAGE),
    api(
        "POST",
        "/api/v1/reviews/committees",
        OFFICER_ACTS,
        body={"kind": "review", "name": "審査委員会", "term_start": "2011-04-01"},
    ),
    api(
        "POST",
        "/api/v1/reviews/committees/{committee_id}/members",
        OFFICER_ACTS,
        objects={"committee_id": "committee"},
        body={"user": "nobody"},
    ),
    api("GET", "/api/v1/reviews/{review_id}", answers(HIDDEN), objects={"review_id": "review"}),
    api(
        "PUT",
        "/api/v1/reviews/{review_id}",
        answers(HIDDEN),
        objects={"review_id": "review"},
        body={"scores": {}},
    ),
    api(
        "POST",
        "/api/v1/reviews/{review_id}/submit",
        answers(HIDDEN),
        objects={"review_id": "review"},
    ),
]
