"""(core/public_cache.py) Anonymous catalogue and directory reads come from the shared cache, validated by ETag and
dropped on write; signed-in readers are never served from it."""

from __future__ import annotations

import pytest

from kyoten.equipment import services
from kyoten.equipment.tests.conftest import FEES

pytestmark = pytest.mark.django_db


@pytest.fixture
def machine(db):
    from kyoten.hubs.models import Hub

    hub = Hub.objects.create(name="福岡拠点", slug="fukuoka", lead_prefecture_id="40",
                             form="equipment_only")  # fmt: skip
    return services.equipment_create(hub=hub, by=None, name="X線回折装置", category="analysis",
                                     fees=FEES)  # fmt: skip


def test_the_second_anonymous_read_is_a_hit_with_the_same_answer(client, machine,
                                                                 django_assert_max_num_queries):  # fmt: skip
    first = client.get("/api/v1/equipment?page_size=20")
    assert first["X-Kyoten-Cache"] == "miss"
    with django_assert_max_num_queries(2):  # the version and the answer, from the cache table
        second = client.get("/api/v1/equipment?page_size=20")
    assert second["X-Kyoten-Cache"] == "hit"
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert second.json()["items"][0]["name"] == "X線回折装置"
    assert (
        "no-cache" not in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]
    )


def test_a_client_holding_the_etag_gets_304_without_a_body(client, machine):
    etag = client.get(f"/api/v1/equipment/{machine.pk}")["ETag"]
    again = client.get(f"/api/v1/equipment/{machine.pk}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag


def test_a_write_drops_the_cached_answer(client, machine, make_user):
    client.get("/api/v1/equipment")
    officer = make_user("officer")
    services.equipment_update(equipment=machine, by=officer, location="3F 新しい分析室")
    fresh = client.get("/api/v1/equipment")
    assert fresh["X-Kyoten-Cache"] == "miss"
    assert fresh.json()["items"][0]["location"] == "3F 新しい分析室"


def test_the_hub_directory_is_cached_too_and_each_language_apart(client, machine):
    client.get("/api/v1/hubs")
    assert client.get("/api/v1/hubs")["X-Kyoten-Cache"] == "hit"
    english = client.get("/api/v1/hubs", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Kyoten-Cache"] == "miss"


def test_signed_in_readers_are_never_served_from_the_cache(client, machine, make_user):
    client.get("/api/v1/equipment")
    client.force_login(make_user("equipment_user"))
    answer = client.get("/api/v1/equipment")
    assert "X-Kyoten-Cache" not in answer
    assert answer.json()["items"][0]["your_fee"] is not None  # their own fee
    client.logout()
    assert "X-Kyoten-Cache" not in client.get("/api/v1/hubs", HTTP_AUTHORIZATION="Bearer x")


def test_only_the_catalogue_and_the_directory_are_cached(client, machine):
    assert "X-Kyoten-Cache" not in client.get("/api/v1/search?q=X線")
    assert "X-Kyoten-Cache" not in client.get("/equipment/")
