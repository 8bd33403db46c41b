"""Objects of the access matrix's world that belong to the hubs and network apps.

The harness (`core/tests/test_access_matrix.py`) builds a world of calls, proposals, reviews and
an adopted allocation decision; it knows no hub. A `Made` value stands in an entry's `objects`
for a path parameter: the harness turns it into text when it builds the URL, and that is when
the object is made — from the world, through the services, and only once per world (the next
call finds it again). Nothing here belongs to any of the matrix's users: the hub has no
operators, so an operator meets a hub that is not theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

MATRIX_TAG = "matrix"


def _officer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="m-officer")


def hub():
    """The world's hub (made by an officer through the service; no operators). The world's
    allocation decision funds no proposal, so the hub is not made from it."""
    from kyoten.hubs.models import Hub
    from kyoten.hubs.services import hub_create

    found = Hub.objects.filter(name="行列の世界の拠点").first()
    if found is not None:
        return found
    return hub_create(
        by=_officer(), name="行列の世界の拠点", lead_prefecture="01", form="new",
        award_yen=100_000_000,
    )  # fmt: skip


def asset():
    from kyoten.hubs.services import asset_register

    h = hub()
    return h.assets.first() or asset_register(
        hub=h, kind="equipment", name="走査電子顕微鏡", acquisition_cost_yen=48_000_000,
        acquired_on=dt.date(2011, 4, 1), useful_life_years=7, by=_officer(),
    )  # fmt: skip


def committee_member():
    from kyoten.core.services import organisation_create
    from kyoten.hubs.services import committee_member_add

    h = hub()
    found = h.committee.first()
    if found is not None:
        return found
    university = organisation_create(name="行列大学", kind="university", prefecture="01")
    return committee_member_add(hub=h, by=_officer(), name="運営委員", organisation=university)


def contact():
    from kyoten.hubs.services import contact_add

    h = hub()
    return h.contacts.first() or contact_add(
        hub=h, by=_officer(), role="coordinator", name="窓口担当"
    )


def tenant():
    from kyoten.hubs.models import Tenant
    from kyoten.hubs.services import incubation_room_add, tenant_add

    h = hub()
    found = Tenant.objects.filter(room__hub=h).first()
    if found is not None:
        return found
    room = incubation_room_add(hub=h, by=_officer(), name="インキュベーション室1")
    return tenant_add(room=room, by=_officer(), venture="入居ベンチャー", entered_on="2011-04-01")


def _entry(model_name: str, title_field: str, title: str, make: Callable):
    from django.apps import apps

    model = apps.get_model("network", model_name)
    return model.objects.filter(**{title_field: title}).first() or make()


def news():
    """A published news item of the hub, public."""
    from kyoten.network.services import entry_create

    return _entry("News", "title", "拠点のお知らせ", lambda: entry_create(
        kind="news", by=_officer(),
        data={"hub": hub(), "title": "拠点のお知らせ", "kind": "news", "public": True},
    ))  # fmt: skip


def members_news():
    """A published news item for the network's members only."""
    from kyoten.network.services import entry_create

    return _entry("News", "title", "会員向けのお知らせ", lambda: entry_create(
        kind="news", by=_officer(),
        data={"hub": hub(), "title": "会員向けのお知らせ", "kind": "news", "public": False},
    ))  # fmt: skip


def expert():
    from kyoten.network.services import entry_create

    return _entry("Expert", "name", "拠点の専門家", lambda: entry_create(
        kind="expert", by=_officer(),
        data={"hub": hub(), "name": "拠点の専門家", "role": "researcher", "public": True},
    ))  # fmt: skip


def pending_need():
    """A company's need waiting for the hub's moderation: nobody outside sees it yet."""
    from django.contrib.auth import get_user_model

    from kyoten.core.services import organisation_create, user_create
    from kyoten.network.services import need_post

    def make():
        company = organisation_create(
            name="行列精密株式会社", kind="company", prefecture="01", is_sme=True
        )
        engineer = get_user_model().objects.filter(username="m-company").first() or user_create(
            username="m-company", password="pw", role="equipment_user", organisation=company
        )
        return need_post(
            by=engineer, data={"hub": hub(), "title": "微細加工の相談", "public": True}
        )

    return _entry("CompanyNeed", "title", "微細加工の相談", make)


class Made:
    """A path parameter whose value is the pk of an object made when the URL is built."""

    def __init__(self, make: Callable, name: str):
        self.make, self.name = make, name

    def __str__(self) -> str:
        return str(self.make().pk)

    def __repr__(self) -> str:
        return f"<{self.name}>"


HUB = Made(hub, "hub")
ASSET = Made(asset, "asset")
MEMBER = Made(committee_member, "committee member")
CONTACT = Made(contact, "contact")
TENANT = Made(tenant, "tenant")
NEWS = Made(news, "public news")
MEMBERS_NEWS = Made(members_news, "members' news")
EXPERT = Made(expert, "expert")
PENDING_NEED = Made(pending_need, "pending company need")
