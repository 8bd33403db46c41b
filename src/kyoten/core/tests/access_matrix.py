"""Access matrix of core (see access.py): the home page, reference data, login, tokens."""

from kyoten.core.tests.access import ACTS, HIDDEN, LOGIN, METHOD, OK, answers, api, page

ENTRIES = [
    page("", answers(OK, anonymous=OK), why="the home page: what each role does next"),
    page("prefectures/", answers(OK, anonymous=OK), why="reference data is public"),
    page("favicon.ico", answers(ACTS, anonymous=ACTS), why="a redirect to the static icon"),
    page("login/", answers(OK, anonymous=OK)),
    page(
        "history/<str:label>/<int:pk>/",
        answers(HIDDEN, officer=OK),
        why="audit: officers only",
        objects={"label": "calls.call", "pk": "call"},
    ),  # fmt: skip
    page("logout/", answers(METHOD, anonymous=METHOD), why="logging out is a POST"),
    page("logout/", answers(ACTS, anonymous=ACTS), method="POST"),
    page("i18n/setlang/", answers(ACTS, anonymous=ACTS), method="POST", body={"language": "en"}),
    api("POST", "/api/v1/auth/token", answers(ACTS, anonymous=ACTS), body={}),
    api(
        "DELETE",
        "/api/v1/auth/token",
        answers(ACTS),
        why="revokes the bearer token it is sent with; signed in by session: 400 naming it",
    ),
    api("GET", "/api/v1/me", answers(OK, anonymous=LOGIN)),
    api("GET", "/api/v1/prefectures", answers(OK, anonymous=OK)),
    api("GET", "/api/v1/prefectures/{code}", answers(OK, anonymous=OK), objects={"code": "13"}),
    api("GET", "/api/v1/organisations", answers(OK, anonymous=OK)),
]
