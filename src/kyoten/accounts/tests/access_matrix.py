"""Access matrix of the accounts app (see core/tests/access.py).

Objects: `invitation`, sent by another officer (not one of the matrix's users).
Rules (docs/people.md): officers and applicants invite, and see the invitations they sent;
resend and withdraw are for the inviter and officers, anyone else is told nothing (404);
links (invitation, e-mail verification, password reset) are checked before anything is shown;
a bad one is 404 (a reset link: Django's own page saying the link is invalid). Registration
and the password-reset pages are open to all; profile and password change need a login; the
organisation page shows one's own organisation (404 without one).
"""

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    METHOD,
    OK,
    answers,
    only,
    page,
)

INVITATION = {"pk": "invitation", "action": "resend"}

ENTRIES = [
    page("accounts/invitations/", only(["officer", "applicant"], OK, DENIED)),
    page(
        "accounts/invitations/<int:pk>/<slug:action>/",
        answers(HIDDEN, officer=ACTS),
        objects=INVITATION,
        method="POST",
        why="another's invitation: only officers act on it; to others it does not exist",
    ),
    page(
        "accounts/invitations/<int:pk>/<slug:action>/",
        answers(METHOD),
        objects=INVITATION,
    ),
    page(
        "accounts/invite/<str:token>/",
        answers(HIDDEN, anonymous=HIDDEN),
        objects={"token": "not-a-genuine-link"},
    ),
    page("accounts/register/", answers(OK, anonymous=OK)),
    page(
        "accounts/verify/<str:token>/",
        answers(HIDDEN, anonymous=HIDDEN),
        objects={"token": "not-a-genuine-link"},
    ),
    page("accounts/profile/", answers(OK)),
    page(
        "accounts/tokens/<int:pk>/revoke/",
        answers(HIDDEN),
        method="POST",
        objects={"pk": "token"},
        why="a person revokes only their own tokens; another's is not told of (404)",
    ),
    page(
        "accounts/tokens/<int:pk>/revoke/",
        answers(METHOD),
        objects={"pk": "token"},
        why="revoking is a POST",
    ),
    page(
        "accounts/organisation/",
        answers(HIDDEN),
        why="the matrix's users belong to no organisation: there is none of theirs to show",
    ),
    page("accounts/password/change/", answers(OK)),
    page("accounts/password/change/done/", answers(OK)),
    page("accounts/password/reset/", answers(OK, anonymous=OK)),
    page("accounts/password/reset/sent/", answers(OK, anonymous=OK)),
    page(
        "accounts/password/reset/<uidb64>/<token>/",
        answers(OK, anonymous=OK),
        objects={"uidb64": "MQ", "token": "not-a-genuine-token"},
        why="Django's own page says the link is invalid; nothing of the account is told",
    ),
    page("accounts/password/reset/done/", answers(OK, anonymous=OK)),
]
