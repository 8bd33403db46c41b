"""Access matrix of the hubs app (see core/tests/access.py).

Objects (hubs/tests/access_world.py): a hub made by an officer, with no
operators (so no matrix user operates it), one asset, committee member, contact and tenant.
Rules (hubs/rules.py, docs/hubs.md): the public part of a hub and the directory are open to
everyone (`can_view_hub`); a hub is changed by its own operators and program officers
(`can_edit_hub`), the stage, the assets' registration and disposal by officers alone; the board
is for those who read the program (officers, ministry observers, the promotion committee,
R-15) and for operators; the contradictions check is the officers' (404 to the others). A
ministry observer reads everything public and the board, and writes nothing.
"""

from kyoten.core.tests.access import ACTS, DENIED, HIDDEN, METHOD, OK, answers, api, only, page
from kyoten.hubs.tests.access_world import ASSET, CONTACT, HUB, MEMBER, TENANT

EVERYONE = answers(OK, anonymous=OK)
OFFICER_FORM = only(["officer"], OK, DENIED)  # get_hub_for(write=True): 403 to the others
OFFICER_POST = only(["officer"], ACTS, DENIED)
POST_ONLY = answers(METHOD)
# A valid body: the permission, not the input, decides (a bad body would be 400 for everyone).
NEW_HUB = {"name": "行列の拠点", "lead_prefecture": "13", "form": "new"}
READERS = ("officer", "observer", "committee", "operator")  # can_read_program | is_operator

ENTRIES = [
    page("hubs/", EVERYONE, why="the open hub directory"),
    page("hubs/export.<slug:fmt>", EVERYONE, objects={"fmt": "csv"}, why="the directory, as CSV"),
    page("hubs/export.<slug:fmt>", EVERYONE, objects={"fmt": "xlsx"}),
    page("hubs/board/", only(READERS, OK, DENIED), why="R-15: the program's readers"),
    page("hubs/checks/", only(["officer"], OK, HIDDEN)),
    page("hubs/from-decision/", POST_ONLY),
    page("hubs/from-decision/", OFFICER_POST, method="POST", body={"call": "call"}),
    page("hubs/<int:pk>/", EVERYONE, objects={"pk": HUB}),
    page(
        "hubs/<int:pk>/assets.<slug:fmt>",
        only(["officer", "observer", "committee"], OK, DENIED),
        objects={"pk": HUB, "fmt": "xlsx"},
        why="the asset register is part of the hub's internals (can_view_hub_internals)",
    ),
    page("hubs/<int:pk>/edit/", OFFICER_FORM, objects={"pk": HUB}),
    page("hubs/<int:pk>/edit/", OFFICER_POST, objects={"pk": HUB}, method="POST", body={}),
    page("hubs/<int:pk>/stage/", OFFICER_FORM, objects={"pk": HUB}),
    page("hubs/<int:pk>/assets/add/", OFFICER_FORM, objects={"pk": HUB}),
    page(
        "hubs/<int:pk>/assets/<int:asset_id>/move/",
        OFFICER_FORM,
        objects={"pk": HUB, "asset_id": ASSET},
    ),
    page(
        "hubs/<int:pk>/assets/<int:asset_id>/dispose/",
        OFFICER_FORM,
        objects={"pk": HUB, "asset_id": ASSET},
    ),
    page("hubs/<int:pk>/committee/add/", OFFICER_FORM, objects={"pk": HUB}),
    page(
        "hubs/<int:pk>/committee/<int:member_id>/remove/",
        POST_ONLY,
        objects={"pk": HUB, "member_id": MEMBER},
    ),
    page(
        "hubs/<int:pk>/committee/<int:member_id>/remove/",
        OFFICER_POST,
        objects={"pk": HUB, "member_id": MEMBER},
        method="POST",
    ),
    page("hubs/<int:pk>/contacts/add/", OFFICER_FORM, objects={"pk": HUB}),
    page(
        "hubs/<int:pk>/contacts/<int:contact_id>/remove/",
        POST_ONLY,
        objects={"pk": HUB, "contact_id": CONTACT},
    ),
    page(
        "hubs/<int:pk>/contacts/<int:contact_id>/remove/",
        OFFICER_POST,
        objects={"pk": HUB, "contact_id": CONTACT},
        method="POST",
    ),
    page("hubs/<int:pk>/rooms/add/", OFFICER_FORM, objects={"pk": HUB}),
    page("hubs/<int:pk>/tenants/add/", OFFICER_FORM, objects={"pk": HUB}),
    page(
        "hubs/<int:pk>/tenants/<int:tenant_id>/graduate/",
        OFFICER_FORM,
        objects={"pk": HUB, "tenant_id": TENANT},
    ),
    api("GET", "/api/v1/hubs", EVERYONE),
    api("GET", "/api/v1/hubs/{hub_id}", EVERYONE, objects={"hub_id": HUB}),
    api("POST", "/api/v1/hubs", OFFICER_POST, body=NEW_HUB),
    api("PATCH", "/api/v1/hubs/{hub_id}", OFFICER_POST, objects={"hub_id": HUB}, body={}),
    api("PUT", "/api/v1/hubs/{hub_id}", OFFICER_POST, objects={"hub_id": HUB}, body=NEW_HUB),
    api(
        "PUT",
        "/api/v1/hubs/{hub_id}/stages/{stage}",
        OFFICER_POST,
        objects={"hub_id": HUB, "stage": "design"},
        body={},
    ),
    api(
        "POST",
        "/api/v1/hubs/{hub_id}/assets",
        OFFICER_POST,
        objects={"hub_id": HUB},
        body={
            "kind": "equipment",
            "name": "分光光度計",
            "acquisition_cost_yen": 5_000_000,
            "acquired_on": "2011-04-01",
            "useful_life_years": 5,
        },  # fmt: skip
    ),
]
