"""The vocabulary of the access matrix (issue 17, part 2).

Each app lists, in `kyoten/<app>/tests/access_matrix.py`, one `Entry` per page route (as the
URL configuration spells it, e.g. "proposals/<int:pk>/") and per API operation (method and
path as the OpenAPI document spells them, e.g. "GET /api/v1/proposals/{proposal_id}"), with
the answer each role must get for objects that are not theirs. The answers are written from
the rules (SPEC, docs/, the `rules` predicates), never recorded from the responses;
`core/tests/test_access_matrix.py` requests them all and fails on a route without an entry.

Answers (categories, not exact codes, so that a form's redisplay and a redirect both count as
"the action was let through"):

- OK: 200 (a read);
- ACTS: let through — 200, 201, 204, a redirect other than to the login page, or 400/409
  (the empty or test body refused as bad input after the permission checks);
- LOGIN: a page redirects to the login page; the API answers 401;
- DENIED: 403 (the role may not; nothing about the object is told);
- HIDDEN: 404 (what the user may not know exists is answered as a missing object);
- METHOD: 405.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "officer",
    "applicant",
    "signatory",
    "reviewer",
    "chair",
    "committee",
    "operator",
    "equipment_user",
    "observer",
    "public",
)
SIGNED_IN = ROLES[1:]
REVIEWERS = ("reviewer", "chair")
ALLOCATORS = ("officer", "committee", "chair")  # allocation.rules.can_allocate

OK, ACTS, LOGIN, DENIED, HIDDEN, METHOD = "ok", "acts", "login", "403", "404", "405"


@dataclass(frozen=True)
class Entry:
    """Expected answers of one route with one choice of objects.

    `route`: a page route of the URL configuration, or "METHOD /api/v1/path" of the OpenAPI
    document. `objects`: path parameter → name of a world object (see the world fixture) or a
    literal. `expect`: role → answer, every role of ROLES.
    """

    route: str
    expect: dict[str, str]
    objects: dict[str, object] = field(default_factory=dict)
    method: str = "GET"
    query: str = ""
    body: dict | None = None
    why: str = ""


def answers(default: str, *, anonymous: str = LOGIN, **roles: str) -> dict[str, str]:
    """Every role's answer: `default` for the signed-in roles not named, `anonymous` for the
    anonymous visitor; named roles (keyword = role) override."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    out = {role: default for role in SIGNED_IN}
    out["anonymous"] = anonymous
    out.update(roles)
    return out


def only(roles, answer: str, otherwise: str, **extra: str) -> dict[str, str]:
    """`answer` for `roles`, `otherwise` for the other signed-in roles, LOGIN for anonymous."""
    return answers(otherwise, **{r: answer for r in roles}, **extra)


def page(route: str, expect: dict[str, str], **kwargs) -> Entry:
    return Entry(route=route, expect=expect, **kwargs)


def api(method: str, path: str, expect: dict[str, str], **kwargs) -> Entry:
    return Entry(route=f"{method} {path}", expect=expect, method=method, **kwargs)
