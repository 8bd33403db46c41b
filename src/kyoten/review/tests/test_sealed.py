"""Conflicts sealed everywhere (issue 17, part 1).

Every committee member (members, the chair, the deputy chair) is kept from one proposal by a
conflict of interest (detected from the data, declared, or set by the officer). Each proposal
has a unique sentinel title, repeated in its reviews' comments, its discussion and its
recommendation. Then every page of the review, proposals, allocation and calls apps (taken
from the URL configuration) and every GET operation of the API's reviews, proposals,
allocations and calls (taken from the OpenAPI document) is requested by each member with
every object id of the test: the sentinel of a proposal they are kept from never appears in an
answer, while every other sentinel appears somewhere (so the scan can fail). A request naming
a proposal they are kept from (GET or POST) answers exactly as for a proposal that does not
exist, and recording a recommendation or a score on it answers 404.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kyoten.core.enums import Role
from kyoten.review import services
from kyoten.review.enums import CommitteeKind, MemberRole
from kyoten.review.models import Assignment, Committee, ConflictOfInterest
from kyoten.review.tests.conftest import make_call, make_proposal, make_user, open_every_phase

pytestmark = pytest.mark.django_db

SCORES = {"purpose_goals": 4, "activity_plan": 4, "sustainability": 3, "regional_innovation": 5,
          "regional_growth": 4}  # fmt: skip
PAGE_APPS = ("review/", "proposals/", "allocation/", "calls/")
API_PREFIXES = ("/api/v1/reviews", "/api/v1/proposals", "/api/v1/allocations", "/api/v1/calls")
MISSING = 987654  # an id no object of the test has
BINARY = ("application/pdf", "image/png")


def _sentinel() -> str:
    return f"SENTINEL-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def sealed(db):
    """A call with three plain proposals and one sentinel proposal per committee member, each
    kept from exactly that member; reviewed, scored, discussed, recommended and allocated."""
    from kyoten.allocation.services import allocation_run
    from kyoten.proposals.models import Proposal

    officer = make_user("officer", Role.OFFICER)
    call = make_call()
    committee = services.committee_create(
        kind=CommitteeKind.REVIEW,
        name="審査委員会",
        term_start=dt.date(2009, 4, 1),
        call=call,
        by=officer,
    )
    people = {
        "m1": make_user("m1", organisation="東北大学", prefecture="04"),
        "m2": make_user("m2", organisation="東京大学", prefecture="13"),
        "deputy": make_user("deputy", organisation="名古屋大学", prefecture="23"),
        "chair": make_user("chair", Role.CHAIR, organisation="慶應義塾大学", prefecture="14"),
    }
    for key, user in people.items():
        role = MemberRole.CHAIR if key == "chair" else MemberRole.MEMBER
        services.committee_member_add(
            committee=committee, user=user, role=role, keywords=["材料"], by=officer
        )
    services.committee_deputy_set(committee=committee, user=people["deputy"], by=officer)
    open_every_phase(call, by=officer)

    for n, (code, university) in enumerate(
        [("01", "北海道大学"), ("40", "九州大学"), ("26", "京都大学")], start=1
    ):
        make_proposal(call, title=f"普通の提案 {n}", prefectures=[code], university=university)
    titles = {key: _sentinel() for key in people}
    kept = {
        # detected: the chair's prefecture takes part; the deputy's organisation signs
        "chair": make_proposal(
            call, title=titles["chair"], prefectures=["14"], university="横浜国立大学"
        ),
        "deputy": make_proposal(
            call, title=titles["deputy"], prefectures=["21"], university="名古屋大学"
        ),
        # declared by the member; set by the officer
        "m1": make_proposal(call, title=titles["m1"], prefectures=["07"], university="福島大学"),
        "m2": make_proposal(call, title=titles["m2"], prefectures=["33"], university="岡山大学"),
    }
    Proposal.objects.filter(call=call).update(requested_yen=500_000_000)
    services.conflicts_detect(call=call, by=officer)
    services.conflict_declare(
        reviewer=people["m1"], proposal=kept["m1"], kind="personal", reason="共同研究者"
    )
    services.conflict_set(reviewer=people["m2"], proposal=kept["m2"], reason="親族", by=officer)
    assert sorted(
        ConflictOfInterest.objects.filter(active=True).values_list(
            "reviewer__username", "proposal__title"
        )
    ) == sorted((people[key].username, titles[key]) for key in people)

    # Every member reviews every proposal they may know of; comments and posts name it.
    for proposal in Proposal.objects.filter(call=call).order_by("pk"):
        for key in ("m1", "m2", "deputy"):
            if proposal == kept[key]:
                continue
            a = services.assignment_add(proposal=proposal, reviewer=people[key], by=officer)
            services.review_save(
                assignment=a, by=people[key], scores=SCORES, comment=f"所見 {proposal.title}"
            )
            services.review_submit(assignment=a, by=people[key])
        author = people["m1"] if proposal != kept["m1"] else people["m2"]
        services.discussion_post(proposal=proposal, by=author, text=f"議論 {proposal.title}")
    services.decision_record(
        call=call,
        by=officer,
        recommendations={
            p.pk: ("adopt", f"理由 {p.title}") for p in Proposal.objects.filter(call=call)
        },
    )
    services.assignment_solve(call=call, reviewers_per_proposal=3, max_load=10, by=officer)
    run = allocation_run(call=call, params={}, by=officer, label="配分案")
    return {
        "call": call,
        "committee": committee,
        "officer": officer,
        "people": people,
        "kept": kept,
        "titles": titles,
        "run": run,
    }


# --- what to request -----------------------------------------------------------------------


def page_routes() -> list[str]:
    """Every route of the apps above in the URL configuration, e.g. "review/calls/<int:call_id>/"."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(r for r in out if r.startswith(PAGE_APPS))


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the API under the prefixes above."""
    from kyoten.urls import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path)
        for path, ops in paths.items()
        if path.startswith(API_PREFIXES)
        for method in ops
    )


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def ids_of(world) -> dict[str, list]:
    from kyoten.calls.models import Program
    from kyoten.proposals.models import Proposal

    call = world["call"]
    return {
        "call": [call.pk],
        "program": list(Program.objects.values_list("pk", flat=True)),
        "proposal": list(Proposal.objects.filter(call=call).values_list("pk", flat=True)),
        "review": list(Assignment.objects.values_list("pk", flat=True)),
        "committee": list(Committee.objects.values_list("pk", flat=True)),
        "conflict": list(ConflictOfInterest.objects.values_list("pk", flat=True)),
        "run": [world["run"].pk],
    }


def kind_of(route: str, name: str) -> str:
    """Which objects a path parameter names; a new parameter must be added here."""
    if name == "pk":
        for prefix, kind in (
            ("review/reviews/", "review"),
            ("proposals/", "proposal"),
            ("allocation/runs/", "run"),
            ("calls/programs/", "program"),
            ("calls/", "call"),
        ):
            if route.startswith(prefix):
                return kind
    fixed = {
        "call_id": "call",
        "proposal_id": "proposal",
        "review_id": "review",
        "committee_id": "committee",
        "conflict_id": "conflict",
        "run_id": "run",
        "number": "number",
        "attachment_id": "attachment",
        "fmt": "fmt",
        "kind": "chart",
        "part": "part",
    }
    assert name in fixed, f"no test values for <{name}> in {route}: add them to kind_of()"
    return fixed[name]


LITERALS = {
    "number": [1],
    "attachment": [1],
    "fmt": ["csv", "xlsx", "pdf"],
    "chart": ["compare", "blocks"],
    "part": ["sections"],
}


def fill(route: str, ids: dict[str, list]) -> list[tuple[str, dict[str, object]]]:
    """Every URL of the route with the test's objects: (url, {kind: value})."""
    names = [a or b for a, b in PARAM.findall(route)]
    urls = [(route, {})]
    for name in names:
        kind = kind_of(route, name)
        values = ids.get(kind) or LITERALS[kind]
        urls = [
            (PARAM.sub(lambda _m, v=v: str(v), url, count=1), {**tags, kind: v})
            for url, tags in urls
            for v in values
        ]
    return [("/" + url if not url.startswith("/") else url, tags) for url, tags in urls]


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def scan(client, world) -> tuple[dict[str, set[str]], list[str]]:
    """GET every page and API answer; {sentinel: urls where it appears}, and binary answers."""
    ids = ids_of(world)
    sentinels = set(world["titles"].values())
    found: dict[str, set[str]] = {s: set() for s in sentinels}
    binary = []
    urls = [u for route in page_routes() for u, _tags in fill(route, ids)]
    for method, path in api_operations():
        if method == "GET":
            urls += [u + "?page_size=200" for u, _tags in fill(path, ids)]
    urls += [
        f"/api/v1/reviews/calls/{world['call'].pk}/ranking?normalised=true",
        f"/review/calls/{world['call'].pk}/ranking/?normalised=1",
        "/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200 and response.get("Content-Type", "").startswith(BINARY):
            binary.append(url)
            continue
        text = text_of(response)
        for s in sentinels:
            if s in text:
                found[s].add(url)
    return found, binary


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["m1", "m2", "deputy", "chair"])
def test_no_answer_names_a_proposal_the_member_is_kept_from(sealed, who):
    user = sealed["people"][who]
    found, binary = scan(login(user), sealed)
    hidden = sealed["titles"][who]
    assert found[hidden] == set()
    # Every other sentinel shows somewhere: the scan sees what it looks for.
    others = {t for k, t in sealed["titles"].items() if k != who}
    assert {s for s, urls in found.items() if urls} == others
    # Pictures and PDFs cannot be searched: only proposals the member knows answer them.
    known = {str(p.pk) for k, p in sealed["kept"].items() if k != who}
    plain = {
        str(pk)
        for pk in ids_of(sealed)["proposal"]
        if pk not in {p.pk for p in sealed["kept"].values()}
    }
    assert {re.sub(r"\d+", "N", u) for u in binary} <= {"/proposals/N/pdf/"}
    assert {re.search(r"\d+", u).group(0) for u in binary} <= known | plain


def test_the_officer_sees_every_sentinel(sealed):
    found, _binary = scan(login(sealed["officer"]), sealed)
    assert all(found.values()), {s for s, urls in found.items() if not urls}
    ranking = f"/api/v1/reviews/calls/{sealed['call'].pk}/ranking"
    assert all(any(u.startswith(ranking) for u in urls) for urls in found.values())


@pytest.mark.parametrize("who", ["m1", "m2", "deputy", "chair"])
def test_naming_a_kept_proposal_answers_as_for_a_missing_one(sealed, who):
    """GET and POST of every route naming a proposal (or a review of it): the same status as
    for an id that does not exist."""
    user = sealed["people"][who]
    client = login(user)
    hidden = sealed["kept"][who]
    reviews = list(Assignment.objects.filter(proposal=hidden).values_list("pk", flat=True))
    assert reviews  # others review it
    checked = 0
    routes = [(None, r) for r in page_routes()] + list(api_operations())
    for method, route in routes:
        names = [a or b for a, b in PARAM.findall(route)]
        kinds = [kind_of(route, n) for n in names]
        if "proposal" not in kinds and "review" not in kinds:
            continue
        for target in ("hidden", "missing"):
            ids = {**ids_of(sealed), "proposal": [hidden.pk], "review": reviews[:1]}
            if target == "missing":
                ids |= {"proposal": [MISSING], "review": [MISSING]}
            statuses = set()
            for url, _tags in fill(route, ids):
                methods = [method] if method else ["GET", "POST"]
                for m in methods:
                    if m == "GET":
                        response = client.get(url)
                    else:
                        response = client.generic(m, url, "{}", content_type="application/json")
                    assert hidden.title not in text_of(response), (m, url)
                    statuses.add((m, response.status_code))
            if target == "hidden":
                seen_hidden = statuses
            else:
                assert seen_hidden == statuses, route
                checked += 1
    assert checked >= 20


@pytest.mark.parametrize("who", ["chair", "deputy"])
def test_recording_a_recommendation_on_a_kept_proposal_is_404(sealed, who):
    user = sealed["people"][who]
    client = login(user)
    hidden = sealed["kept"][who]
    call = sealed["call"]
    page = client.post(f"/review/calls/{call.pk}/ranking/", {f"rec_{hidden.pk}": "adopt"})
    assert page.status_code == 404
    api = client.post(
        f"/api/v1/reviews/calls/{call.pk}/decision",
        {"recommendations": [{"proposal": hidden.pk, "recommendation": "adopt"}]},
        content_type="application/json",
    )
    assert (api.status_code, api.json()["detail"]) == (404, "見つかりません")


def test_scoring_or_discussing_a_kept_proposal_is_404(sealed):
    m1 = sealed["people"]["m1"]
    hidden = sealed["kept"]["m1"]
    client = login(m1)
    other_review = Assignment.objects.filter(proposal=hidden).order_by("pk").first()
    put = client.put(
        f"/api/v1/reviews/{other_review.pk}", {"scores": SCORES}, content_type="application/json"
    )
    assert put.status_code == 404
    page = client.post(f"/review/reviews/{other_review.pk}/", {"score_purpose_goals": 1})
    assert page.status_code == 404
    post = client.post(
        f"/api/v1/reviews/proposals/{hidden.pk}/discussion",
        {"text": "見えないはず"},
        content_type="application/json",
    )
    assert post.status_code == 404


def test_the_deputy_handles_exactly_the_chairs_conflicts(sealed):
    """Ranking of the deputy: the chair's kept proposal only; they record its recommendation
    and the chair's own recommendations stay in the one decision."""
    call = sealed["call"]
    chair, deputy = sealed["people"]["chair"], sealed["people"]["deputy"]
    chairs_conflict = sealed["kept"]["chair"]
    lines = login(deputy).get(f"/api/v1/reviews/calls/{call.pk}/ranking").json()
    assert [line["proposal"] for line in lines] == [
        {"id": chairs_conflict.pk, "title": chairs_conflict.title}
    ]
    chair_lines = login(chair).get(f"/api/v1/reviews/calls/{call.pk}/ranking").json()
    assert chairs_conflict.pk not in {line["proposal"]["id"] for line in chair_lines}
    assert len(chair_lines) == 6

    from kyoten.review.selectors import latest_decision

    def recorded() -> dict[int, str]:
        decision = latest_decision(call)
        return {i.proposal_id: i.recommendation for i in decision.items.all()} if decision else {}

    before = recorded()
    first = chair_lines[0]["proposal"]["id"]
    answer = login(chair).post(
        f"/api/v1/reviews/calls/{call.pk}/decision",
        {"recommendations": [{"proposal": first, "recommendation": "reserve", "reason": "補欠"}]},
        content_type="application/json",
    )
    assert answer.status_code == 201
    answer = login(deputy).post(
        f"/api/v1/reviews/calls/{call.pk}/decision",
        {"recommendations": [{"proposal": chairs_conflict.pk, "recommendation": "conditional"}]},
        content_type="application/json",
    )
    assert [(line["proposal"]["id"], line["recommendation"]) for line in answer.json()] == [
        (chairs_conflict.pk, "conditional")
    ]
    items = recorded()
    assert items[first] == "reserve"
    assert items[chairs_conflict.pk] == "conditional"
    # Nothing is assumed for the others: each keeps what was recorded before, or stays undecided.
    others = (set(items) | set(before)) - {first, chairs_conflict.pk}
    assert {pid: items.get(pid) for pid in others} == {pid: before.get(pid) for pid in others}


def test_a_member_without_the_deputy_role_sees_no_ranking(sealed):
    call = sealed["call"]
    answer = login(sealed["people"]["m1"]).get(f"/api/v1/reviews/calls/{call.pk}/ranking")
    assert answer.status_code == 403
