"""The access matrix (issue 17, part 2): every page of the URL configuration and every
operation of the OpenAPI document × every role and the anonymous visitor × objects that are
not theirs, against the answers each app writes from the rules in its
`tests/access_matrix.py` (vocabulary in `access.py`).

A route without an entry fails `test_every_route_has_an_entry`, unless it is listed in
PENDING: the routes of the apps whose matrix is not written yet. PENDING only shrinks — a
route listed there that gets an entry, or that no longer exists, fails too — so a new route
anywhere needs an entry.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    LOGIN,
    METHOD,
    OK,
    ROLES,
    SIGNED_IN,
    Entry,
)

APPS = (
    "core", "notices", "accounts", "calls", "proposals", "review", "allocation", "hubs",
    "equipment", "network", "monitoring",
)  # fmt: skip


def entries() -> list[Entry]:
    out = []
    for app in APPS:
        out += importlib.import_module(f"kyoten.{app}.tests.access_matrix").ENTRIES
    return out


def page_routes() -> set[str]:
    out = set()

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.add(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return {r for r in out if not r.startswith(("api/", "admin/"))}


def api_operations() -> set[str]:
    from kyoten.urls import api

    return {
        f"{method.upper()} {path}"
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method in ops
    }


# Routes whose matrix is still to be written: none now. Only shrinks (a route listed here that
# gets an entry, or no longer exists, fails the test).
PENDING: frozenset[str] = frozenset()


def test_every_route_has_an_entry():
    covered = {e.route for e in entries()}
    routes = page_routes() | api_operations()
    assert sorted(routes - covered - PENDING) == [], "give these routes an access-matrix entry"
    assert sorted(covered - routes) == [], "entries of routes that do not exist"
    assert sorted(covered & PENDING) == [], "covered now: take these out of PENDING"
    assert sorted(PENDING - routes) == [], "gone: take these out of PENDING"


def test_every_entry_names_every_role():
    assert [e.route for e in entries() if set(e.expect) != set(ROLES)] == []


# --- the world: objects that belong to none of the matrix's users ------------------------------


@pytest.fixture
def world(db, make_user):
    from kyoten.allocation.services import allocation_adopt, allocation_run
    from kyoten.calls.models import Call, Program
    from kyoten.proposals.models import ProposalVersion
    from kyoten.review import services as review
    from kyoten.review.enums import CommitteeKind, MemberRole
    from kyoten.review.tests.conftest import make_call, make_proposal

    users = {
        role: make_user(
            role, username=f"m-{role}", **({"prefecture": "13"} if role == "applicant" else {})
        )
        for role in SIGNED_IN
    }
    officer = users["officer"]
    call = make_call()
    draft_call = Call.objects.create(
        program=call.program,
        code="draft-call",
        title="下書きの公募",
        opens_at=dt.datetime(2010, 7, 31, tzinfo=dt.UTC),
        deadline=dt.datetime(2010, 8, 20, 8, tzinfo=dt.UTC),
        budget_yen=1_000_000_000,
        cap_yen=500_000_000,
        designated_city_reference_date=dt.date(2010, 7, 31),
        status="draft",
    )
    draft = make_proposal(call, title="北海道の下書き", prefectures=["01"])
    draft.status = "draft"
    draft.save(update_fields=["status"])
    handed_in = make_proposal(call, title="北海道の提出済み提案", prefectures=["01"])
    handed_in.requested_yen = 500_000_000
    handed_in.save(update_fields=["requested_yen"])
    ProposalVersion.objects.create(
        proposal=handed_in,
        number=1,
        title=handed_in.title,
        content=handed_in.content,
        content_hash="0" * 64,
        requested_yen=500_000_000,
        submitted_by=handed_in.created_by,
    )
    committee = review.committee_create(
        kind=CommitteeKind.REVIEW, name="審査委員会", term_start=dt.date(2009, 4, 1), call=call,
        by=officer,
    )  # fmt: skip
    m_other = make_user("reviewer", username="m-other")
    chair_other = make_user("chair", username="chair-other")
    review.committee_member_add(committee=committee, user=m_other, by=officer)
    review.committee_member_add(
        committee=committee, user=chair_other, role=MemberRole.CHAIR, by=officer
    )
    assignment = review.assignment_add(proposal=handed_in, reviewer=m_other, by=officer)
    conflict = review.conflict_set(
        reviewer=chair_other, proposal=handed_in, reason="親族", by=officer
    )
    from django.utils import timezone

    from kyoten.accounts.models import Invitation
    from kyoten.notices.enums import NoticeKind
    from kyoten.notices.models import Notice

    invitation = Invitation.objects.create(
        email="guest@example.go.jp", name="招待された人", purpose="observer", role="observer",
        invited_by=make_user("officer", username="m-officer-2"),
        expires_at=timezone.now() + dt.timedelta(days=14), nonce="0" * 32,
    )  # fmt: skip
    notice = Notice.objects.create(
        recipient=m_other, kind=NoticeKind.values[0], text_ja="お知らせ", text_en="Notice"
    )
    from kyoten.core.models import ApiToken

    ApiToken.issue(m_other)
    token = ApiToken.objects.get(user=m_other)
    run = allocation_run(call=call, params={}, by=officer, scores={handed_in.pk: 80.0})
    allocation_adopt(run=run, by=officer)
    objects = {
        "call": call.pk,
        "draft_call": draft_call.pk,
        "program": Program.objects.order_by("pk").first().pk,
        "draft": draft.pk,
        "handed_in": handed_in.pk,
        "review": assignment.pk,
        "conflict": conflict.pk,
        "committee": committee.pk,
        "run": run.pk,
        "notice": notice.pk,
        "invitation": invitation.pk,
        "token": token.pk,
    }
    return users, objects


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def url_of(entry: Entry, objects: dict) -> tuple[str, bool]:
    """(url, is_api) of an entry with the world's objects."""
    method, _, path = (
        entry.route.partition(" ")
        if entry.route.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
        else ("", "", entry.route)
    )
    is_api = bool(method)

    def value(match):
        name = match.group(1) or match.group(2)
        assert name in entry.objects, f"{entry.route}: which object is <{name}>?"
        v = entry.objects[name]
        return str(objects.get(v, v) if isinstance(v, str) else v)

    url = PARAM.sub(value, path)
    url = url if url.startswith("/") else "/" + url
    if entry.query:
        url += "?" + entry.query.format(**objects)
    return url, is_api


def answer_of(response, method: str) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and response["Location"].startswith("/login/")):
        return LOGIN
    if status in (403, 404, 405):
        return {403: DENIED, 404: HIDDEN, 405: METHOD}[status]
    if status == 200 and method == "GET":
        return OK
    if status in (200, 201, 204, 302, 400, 409):
        return ACTS
    return f"HTTP {status}"


REFERENCES = ("call", "proposal")  # body keys whose value names a world object


def resolve(body, objects):
    """The body with world objects for names (REFERENCES) and made objects (a `Made` value,
    see hubs/tests/access_world.py) for their ids."""
    if body is None:
        return {}

    def value(k, v):
        if k in REFERENCES:
            return objects[v]
        if hasattr(v, "make"):
            return int(str(v))
        return v

    return {k: value(k, v) for k, v in body.items()}


def _write(client, method: str, url: str, body: dict, is_api: bool):
    """A write, rolled back afterwards: every entry meets the same world."""
    with transaction.atomic():
        if is_api:
            response = client.generic(
                method, url, json.dumps(body), content_type="application/json"
            )
        else:
            data = "&".join(f"{k}={v}" for k, v in body.items())
            response = client.generic(
                method, url, data, content_type="application/x-www-form-urlencoded"
            )
        transaction.set_rollback(True)
    return response


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_role_gets_the_answer_the_rules_give(world):
    users, objects = world
    readers = {role: _client(users.get(role)) for role in ROLES}
    wrong = []
    for entry in entries():
        url, is_api = url_of(entry, objects)
        body = resolve(entry.body, objects)
        for role in ROLES:
            # A write may change the session (log out, language): a fresh client for it.
            client = readers[role] if entry.method == "GET" else _client(users.get(role))
            if entry.method == "GET":
                response = client.get(url)
            else:
                response = _write(client, entry.method, url, body, is_api)
            got = answer_of(response, entry.method)
            if got != entry.expect[role]:
                wrong.append(
                    f"{entry.method} {url} as {role}: {got}, rules say {entry.expect[role]}"
                )
    assert wrong == [], "\n".join(wrong)
