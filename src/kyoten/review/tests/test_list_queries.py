"""Review lists read a constant number of queries whatever their length (10 or 100 rows)."""

from __future__ import annotations

from kyoten.review import services
from kyoten.review.tests.conftest import make_proposal


def _assign(call, reviewer, officer, n, start):
    for i in range(start, start + n):
        p = make_proposal(call, title=f"拠点 {i}", prefectures=["30"], university="和歌山大学")
        services.assignment_add(proposal=p, reviewer=reviewer, by=officer)


def test_my_reviews_is_flat_and_paged(world, client, queries_flat):
    tanaka = world["reviewers"]["tanaka"]
    _assign(world["call"], tanaka, world["officer"], 8, 0)
    client.force_login(tanaka)

    def grow():
        _assign(world["call"], tanaka, world["officer"], 92, 100)

    queries_flat("/review/", grow)
    second = client.get("/review/?page=2").content.decode()
    assert _last_page(second)


def test_ranking_is_flat_and_paged(world, client, queries_flat):
    client.force_login(world["officer"])
    call = world["call"]
    for i in range(6):
        make_proposal(call, title=f"追加 {i}", prefectures=["30"])

    def grow():
        for i in range(90):
            make_proposal(call, title=f"大量 {i}", prefectures=["31"])

    queries_flat(f"/review/calls/{call.pk}/ranking/", grow)


def _last_page(html: str) -> bool:
    """The second and last page: a link back, none further."""
    return 'rel="prev"' in html and 'rel="next"' not in html
