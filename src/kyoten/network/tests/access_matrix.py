"""Access matrix of the network app and its open data (see core/tests/access.py).

Objects (hubs/tests/access_world.py): the world's hub (operated by no matrix user), a public
news item of it, a news item for network members only, an expert of it, and a company's need
still waiting for the hub's moderation.
Rules (network/rules.py, docs/network.md, docs/opendata.md):
- published public entries, the map, regions, search, feeds and open data are for everyone;
- an entry for "network members" is read by every signed-in role but the plain public one
  (`is_network_member`); anyone else is told nothing (404);
- an entry waiting for moderation is seen by its company, the hub's (region's) operators and
  officers only (`can_edit_entry`), 404 to the rest — a ministry observer included (R-15: never
  a draft);
- entries are added by operators and officers (`can_add_entry`), needs by companies too; they
  are changed by the hub's operators, officers and the company that posted (403 to a reader);
- moderation is for operators and officers; the dashboard for the program's readers (R-15).
A ministry observer (R-15) reads all that is published and writes nothing.
"""

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    LOGIN,
    METHOD,
    OK,
    answers,
    api,
    only,
    page,
)
from kyoten.hubs.tests.access_world import EXPERT, HUB, MEMBERS_NEWS, NEWS, PENDING_NEED

EVERYONE = answers(OK, anonymous=OK)
SIGNED_IN = answers(OK)
MEMBERS = answers(OK, anonymous=HIDDEN, public=HIDDEN)
OFFICER_ONLY_SEES = answers(HIDDEN, anonymous=HIDDEN, officer=OK)
PROGRAM_READERS = ("officer", "observer", "committee")  # can_read_program
POSTERS = ("officer", "operator")  # can_add_entry, can_moderate
EDIT_FORM = only(["officer"], OK, DENIED)
EDIT_POST = only(["officer"], ACTS, DENIED)

ENTRIES = [
    page("network/", EVERYONE),
    page("network/search/", EVERYONE, query="q=拠点"),
    page("network/region/<slug:block>/", EVERYONE, objects={"block": "hokkaido"}),
    page("network/hub/<int:pk>/", EVERYONE, objects={"pk": HUB}),
    page("network/entry/<slug:kind>/<int:pk>/", EVERYONE, objects={"kind": "news", "pk": NEWS}),
    page(
        "network/entry/<slug:kind>/<int:pk>/",
        MEMBERS,
        objects={"kind": "news", "pk": MEMBERS_NEWS},
        why="visibility 'network members': every role of the program, not the public",
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/",
        OFFICER_ONLY_SEES,
        objects={"kind": "need", "pk": PENDING_NEED},
        why="a company's need before moderation: its company and moderators only",
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/edit/", EDIT_FORM, objects={"kind": "news", "pk": NEWS}
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/edit/",
        only(["officer"], OK, HIDDEN),
        objects={"kind": "need", "pk": PENDING_NEED},
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/withdraw/",
        answers(METHOD),
        objects={"kind": "news", "pk": NEWS},
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/withdraw/",
        EDIT_POST,
        objects={"kind": "news", "pk": NEWS},
        method="POST",
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/approve/",
        answers(METHOD),
        objects={"kind": "need", "pk": PENDING_NEED},
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/approve/",
        only(["officer"], ACTS, HIDDEN),
        objects={"kind": "need", "pk": PENDING_NEED},
        method="POST",
    ),
    page(
        "network/entry/<slug:kind>/<int:pk>/reject/",
        only(["officer"], ACTS, HIDDEN),
        objects={"kind": "need", "pk": PENDING_NEED},
        method="POST",
        body={"note": "対象外"},
    ),
    page("network/post/<slug:kind>/", only(POSTERS, OK, DENIED), objects={"kind": "news"}),
    page(
        "network/post/<slug:kind>/",
        only(POSTERS, OK, DENIED),
        objects={"kind": "need"},
        why="needs: companies' people too; no matrix user works for a company",
    ),
    page(
        "network/post/<slug:kind>/",
        only(POSTERS, ACTS, DENIED),
        objects={"kind": "news"},
        method="POST",
        body={},
    ),
    page("network/moderation/", only(POSTERS, OK, DENIED)),
    page("network/mine/", SIGNED_IN),
    page("network/feed/", SIGNED_IN),
    page("network/dashboard/", only(PROGRAM_READERS, OK, DENIED)),
    page(
        "network/dashboard/export.<slug:fmt>",
        only(PROGRAM_READERS, OK, DENIED),
        objects={"fmt": "xlsx"},
    ),
    page(
        "network/kpis.<slug:fmt>",
        only(PROGRAM_READERS, OK, DENIED),
        objects={"fmt": "csv"},
        why="the KPI tables of every hub: the program's readers (R-15)",
    ),
    page(
        "network/equipment.<slug:fmt>",
        EVERYONE,
        objects={"fmt": "csv"},
        why="the national equipment catalogue is public",
    ),
    page("network/feeds/news.atom", EVERYONE),
    page("network/feeds/news.rss", EVERYONE),
    page("network/feeds/region/<slug:block>.atom", EVERYONE, objects={"block": "hokkaido"}),
    page("network/feeds/region/<slug:block>.rss", EVERYONE, objects={"block": "hokkaido"}),
    page("network/feeds/hub/<int:hub_id>.atom", EVERYONE, objects={"hub_id": HUB}),
    page("network/feeds/hub/<int:hub_id>.rss", EVERYONE, objects={"hub_id": HUB}),
    # Open data (SPEC §4): public data for everyone, no sign-in.
    page("opendata/", EVERYONE),
    page("opendata/catalog.jsonld", EVERYONE),
    page("opendata/LICENSE.txt", EVERYONE),
    page(
        "opendata/datasets/<slug:key>",
        answers(ACTS, anonymous=ACTS),
        objects={"key": "hubs"},
        why="a dataset's IRI redirects to its place on the page",
    ),
    page("opendata/<slug:key>.<slug:ext>", EVERYONE, objects={"key": "hubs", "ext": "csv"}),
    page("opendata/<slug:key>.<slug:ext>", EVERYONE, objects={"key": "hubs", "ext": "json"}),
    # The API.
    api("GET", "/api/v1/search", EVERYONE, query="q=拠点"),
    api("GET", "/api/v1/network/hubs/{hub_id}/partners", EVERYONE, objects={"hub_id": HUB}),
    api("GET", "/api/v1/network/dashboard", only(PROGRAM_READERS, OK, DENIED)),
    api("GET", "/api/v1/network/subscription", SIGNED_IN),
    api(
        "PUT",
        "/api/v1/network/subscription",
        answers(ACTS),
        body={"blocks": ["hokkaido"], "fields": [], "digest": False},
        why="one's own subscription to the digest: a preference, not program data",
    ),
    api(
        "GET",
        "/api/v1/network/needs/{entry_id}/matches",
        OFFICER_ONLY_SEES,
        objects={"entry_id": PENDING_NEED},
    ),
]

_SAMPLES = {"news": NEWS, "experts": EXPERT, "needs": PENDING_NEED}
for _plural in ("experts", "needs", "news", "projects", "results"):
    _base = f"/api/v1/network/{_plural}"
    _one = f"{_base}/{{entry_id}}"
    _sample = _SAMPLES.get(_plural)
    _may_add = POSTERS + (() if _plural != "needs" else ())
    ENTRIES += [
        api("GET", _base, EVERYONE),
        api(
            "POST",
            _base,
            # News with no hub or region is nationwide: officers only (the matrix's operator
            # runs no hub); the other kinds are refused as bad input (no owner) after the check.
            only(("officer",) if _plural == "news" else _may_add, ACTS, DENIED),
            body={},
        ),
    ]
    if _sample is None:
        # No project or result in the world: a missing entry is 404 to everyone who may get
        # that far (the writes ask for a sign-in first).
        ENTRIES += [
            api("GET", _one, answers(HIDDEN, anonymous=HIDDEN), objects={"entry_id": 0}),
            api("PATCH", _one, answers(HIDDEN, anonymous=LOGIN), objects={"entry_id": 0}, body={}),
            api("DELETE", _one, answers(HIDDEN, anonymous=LOGIN), objects={"entry_id": 0}),
        ]
        continue
    _hidden = _sample is PENDING_NEED
    ENTRIES += [
        api(
            "GET",
            _one,
            OFFICER_ONLY_SEES if _hidden else EVERYONE,
            objects={"entry_id": _sample},
        ),
        api(
            "PATCH",
            _one,
            only(["officer"], ACTS, HIDDEN if _hidden else DENIED),
            objects={"entry_id": _sample},
            body={},
        ),
        api(
            "DELETE",
            _one,
            only(["officer"], ACTS, HIDDEN if _hidden else DENIED),
            objects={"entry_id": _sample},
        ),
    ]
