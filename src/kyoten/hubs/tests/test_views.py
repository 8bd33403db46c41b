import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kyoten.hubs.models import CommitteeMember, Hub
from kyoten.hubs.services import asset_register, hub_create


@pytest.mark.django_db
def test_public_list_and_hub_page(client, hub, people):
    listing = client.get("/hubs/")
    assert listing.status_code == 200
    assert "福岡県 先端材料評価拠点" in listing.content.decode()
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert "What the hub offers" in page or "拠点" in page
    assert f"/hubs/{hub.pk}/edit/" not in page
    assert f"/hubs/{hub.pk}/assets/add/" not in page
    assert client.get("/hubs/999999/").status_code == 404


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_hubs(client, officer):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/hubs/").status_code == 200
        return len(ctx.captured_queries)

    hub_create(by=officer, name="one", lead_prefecture="01", form="new")
    one = count()
    for code in ("02", "03", "04", "05", "06"):
        hub_create(by=officer, name=f"hub {code}", lead_prefecture=code, form="new")
    assert count() == one


@pytest.mark.django_db
def test_officer_and_operator_pages(client, hub, people):
    client.force_login(people["officer"])
    asset_register(
        hub=hub,
        kind="equipment",
        name="透過電子顕微鏡",
        acquisition_cost_yen=100_000_000,
        acquired_on="2011-03-01",
        useful_life_years=7,
        by=people["officer"],
    )
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert "透過電子顕微鏡" in page and f"/hubs/{hub.pk}/assets/add/" in page
    client.force_login(people["own"])
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f"/hubs/{hub.pk}/edit/" in page and f"/hubs/{hub.pk}/assets/add/" not in page
    assert client.get(f"/hubs/{hub.pk}/assets/add/").status_code == 403


@pytest.mark.django_db
def test_edit_permissions(client, hub, people):
    url = f"/hubs/{hub.pk}/edit/"
    assert client.get(url).status_code == 302  # to the login page
    for who in ("other", "outsider", "observer"):
        client.force_login(people[who])
        assert client.get(url).status_code == 403, who
    client.force_login(people["own"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "誰でも使える拠点", "land_area_m2": "2000"})
    assert response.status_code == 302
    hub.refresh_from_db()
    assert (hub.summary, hub.land_area_m2, hub.award_yen) == ("誰でも使える拠点", 2000, 800_000_000)


@pytest.mark.django_db
def test_committee_member_without_organisation_is_refused(client, hub, people):
    client.force_login(people["own"])
    response = client.post(f"/hubs/{hub.pk}/committee/add/", {"name": "無所属 次郎"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": [response.context["form"].errors["organisation"][0]]
    }
    assert CommitteeMember.objects.count() == 0


@pytest.mark.django_db
def test_board(client, hub, people):
    client.force_login(people["outsider"])
    assert client.get("/hubs/board/").status_code == 403
    client.force_login(people["observer"])
    response = client.get("/hubs/board/")
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [(c.stage, [h.name for h in c.hubs]) for c in columns] == [
        ("design", ["福岡県 先端材料評価拠点", "Other hub"]),
        ("tender", []),
        ("construction", []),
        ("completion", []),
        ("handover", []),
        ("operating", []),
    ]


@pytest.mark.django_db
def test_demo_first_hub_is_fukuoka_run_by_operator(db):
    from kyoten.core import demo as core_demo
    from kyoten.hubs import demo

    core_demo.load(random.Random(7))
    demo.load(random.Random(7))
    hubs = list(Hub.objects.order_by("id"))
    first = hubs[0]
    assert (first.lead_prefecture_id, list(first.operators.values_list("username", flat=True))) == (
        "40",
        ["operator"],
    )
    assert 12 <= len(hubs) <= 20
    assert {h.lead_prefecture.block for h in hubs} == {
        "hokkaido", "tohoku", "kanto", "chubu", "kinki", "chugoku", "shikoku", "kyushu"
    }  # fmt: skip
    assert len({h.stage for h in hubs}) == 6
    assert first.assets.count() > 0 and first.committee.count() > 0


def _as_posted(hub, form_class, **changes) -> dict:
    """What a browser posts: every field of the edit form as drawn, with `changes` typed in."""
    data = {name: getattr(hub, name) for name in form_class.base_fields}
    return {k: "" if v is None else v for k, v in (data | changes).items()}


@pytest.mark.django_db
def test_two_editors_never_overwrite_each_other_silently(client, hub, people, officer):
    """Issue 17 item 9: the second save of the same field is refused with the first one's change
    shown and the input kept; saving again then goes through; other fields never collide."""
    import re

    from django.test import Client

    from kyoten.hubs.forms import OfficerHubForm, OperatorHubForm

    url = f"/hubs/{hub.pk}/edit/"
    client.force_login(people["own"])
    seen = re.search(r'name="seen" value="(\d+)"', client.get(url).text).group(1)
    drawn = Hub.objects.get(pk=hub.pk)  # the operator's form, as it was drawn
    other = Client()
    other.force_login(officer)
    other_seen = re.search(r'name="seen" value="(\d+)"', other.get(url).text).group(1)
    theirs = _as_posted(hub, OfficerHubForm, seen=other_seen, summary="事務局の要約")
    assert other.post(url, theirs).status_code == 302

    mine = _as_posted(drawn, OperatorHubForm, seen=seen, summary="運営者の要約")
    page = client.post(url, mine)
    assert page.status_code == 200
    assert "事務局の要約" in page.text  # their change, shown
    assert "運営者の要約" in page.text  # my input, kept
    hub.refresh_from_db()
    assert hub.summary == "事務局の要約"
    newer = re.search(r'name="seen" value="(\d+)"', page.text).group(1)
    assert int(newer) > int(seen)
    assert client.post(url, mine | {"seen": newer}).status_code == 302
    hub.refresh_from_db()
    assert hub.summary == "運営者の要約"
    # A change of another field since the form was drawn does not collide.
    stale = _as_posted(drawn, OperatorHubForm, seen=newer, land_area_m2="2500")
    stale["summary"] = "運営者の要約"
    assert client.post(url, stale).status_code == 302
    hub.refresh_from_db()
    assert (hub.summary, hub.land_area_m2) == ("運営者の要約", 2500)
