"""Posting to the network in the browser: hubs post, companies post needs that the hub's
operators moderate; edit and withdraw; visibility; search finds a post once it is shown."""

from __future__ import annotations

import pytest

from kyoten.core.services import organisation_create
from kyoten.hubs.models import Hub
from kyoten.network import services
from kyoten.network.models import CompanyNeed, Expert, News
from kyoten.network.search import make_filters, search
from kyoten.notices.models import Notice


@pytest.fixture
def world(db, make_user):
    operator = make_user("operator", username="op-fukuoka")
    other_operator = make_user("operator", username="op-sapporo")
    fukuoka = Hub.objects.create(
        name="福岡 先端材料評価拠点", slug="fukuoka", lead_prefecture_id="40",
        form="equipment_only", summary="材料とX線分析",
    )  # fmt: skip
    fukuoka.operators.set([operator])
    sapporo = Hub.objects.create(
        name="札幌食品拠点", slug="sapporo", lead_prefecture_id="01", form="equipment_only"
    )
    sapporo.operators.set([other_operator])
    company = organisation_create(
        name="肥後精密工業株式会社", kind="company", prefecture="43", is_sme=True
    )
    engineer = make_user("equipment_user", username="higo", organisation=company)
    return {
        "operator": operator, "other_operator": other_operator, "fukuoka": fukuoka,
        "sapporo": sapporo, "company": company, "engineer": engineer,
    }  # fmt: skip


def titles(q: str) -> list[str]:
    return [h.title for h in search(q, make_filters()).hits]


def test_operator_posts_news_from_the_form_and_search_finds_it(client, world):
    client.force_login(world["operator"])
    form = client.get("/network/post/news/").content.decode()
    assert (
        f'<option value="hub:{world["fukuoka"].pk}">福岡 先端材料評価拠点（福岡県）</option>'
        in form
    )
    assert f'value="hub:{world["sapporo"].pk}"' not in form  # not this operator's hub
    response = client.post(
        "/network/post/news/",
        {"owner": f"hub:{world['fukuoka'].pk}", "title": "X線回折装置を更新しました",
         "body": "新しい検出器", "field": "materials", "keywords": "", "visibility": "public"},
    )  # fmt: skip
    news = News.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/network/entry/news/{news.pk}/"
    assert (news.scope, news.hub, news.block, news.state, news.public, news.created_by) == (
        "hub", world["fukuoka"], "kyushu", "published", True, world["operator"],
    )  # fmt: skip
    assert titles("X線回折") == ["X線回折装置を更新しました"]


def test_operator_may_not_post_to_another_hub(client, world):
    client.force_login(world["operator"])
    response = client.post(
        "/network/post/expert/",
        {"owner": f"hub:{world['sapporo'].pk}", "name": "x", "role": "researcher",
         "visibility": "public"},
    )  # fmt: skip
    assert response.status_code == 200
    assert Expert.objects.count() == 0
    assert "正しく選択してください" in response.content.decode()


def test_public_and_company_users_cannot_open_hub_post_forms(client, world, make_user):
    client.force_login(world["engineer"])
    assert client.get("/network/post/news/").status_code == 403
    assert client.get("/network/post/need/").status_code == 200
    client.force_login(make_user("observer"))
    assert client.get("/network/post/need/").status_code == 403
    assert client.get("/network/post/news/").status_code == 403
    client.logout()
    assert client.get("/network/post/need/")["Location"].startswith("/login/")


def post_need(client, world, **extra):
    client.force_login(world["engineer"])
    body = {
        "owner": f"hub:{world['fukuoka'].pk}", "title": "樹脂部品の異物をX線で調べたい",
        "description": "非破壊で内部の異物を見たい", "field": "materials",
        "keywords": "X線, 異物", "visibility": "public", **extra,
    }  # fmt: skip
    return client.post("/network/post/need/", body)


def test_company_need_waits_for_moderation_then_is_found(client, world):
    response = post_need(client, world)
    need = CompanyNeed.objects.get()
    assert response["Location"] == f"/network/entry/need/{need.pk}/"
    assert (need.state, need.company, need.company_name, need.is_sme, need.block) == (
        "pending", world["company"], "肥後精密工業株式会社", True, "kyushu",
    )  # fmt: skip
    assert titles("異物") == []  # not shown before moderation
    client.logout()
    assert client.get(f"/network/entry/need/{need.pk}/").status_code == 404
    # The hub's operator is told and finds it in the queue; the other hub's is not.
    notices = Notice.objects.filter(kind="network_post_pending")
    assert [(n.recipient, n.text_ja, n.url) for n in notices] == [
        (world["operator"], "モデレーション待ちの投稿があります：樹脂部品の異物をX線で調べたい",
         "/network/moderation/"),
    ]  # fmt: skip
    client.force_login(world["other_operator"])
    assert "樹脂部品" not in client.get("/network/moderation/").content.decode()
    assert client.get(f"/network/entry/need/{need.pk}/").status_code == 404
    client.force_login(world["operator"])
    queue = client.get("/network/moderation/").content.decode()
    assert "樹脂部品の異物をX線で調べたい" in queue and "肥後精密工業株式会社" in queue
    response = client.post(f"/network/entry/need/{need.pk}/approve/")
    assert response["Location"] == "/network/moderation/"
    need.refresh_from_db()
    assert (need.state, need.moderated_by) == ("published", world["operator"])
    assert titles("異物") == ["樹脂部品の異物をX線で調べたい"]
    told = Notice.objects.get(kind="network_post_approved")
    assert (told.recipient, told.text_ja, told.url) == (
        world["engineer"],
        "投稿が拠点ネットワークに公開されました：樹脂部品の異物をX線で調べたい",
        f"/network/entry/need/{need.pk}/",
    )
    client.logout()
    assert client.get(f"/network/entry/need/{need.pk}/").status_code == 200


def test_rejected_need_tells_the_author_why_and_an_edit_asks_again(client, world):
    post_need(client, world)
    need = CompanyNeed.objects.get()
    client.force_login(world["operator"])
    empty = client.post(f"/network/entry/need/{need.pk}/reject/", {"note": ""})
    assert empty["Location"] == f"/network/entry/need/{need.pk}/"
    need.refresh_from_db()
    assert need.state == "pending"
    client.post(f"/network/entry/need/{need.pk}/reject/", {"note": "社名と連絡先以外を具体的に"})
    need.refresh_from_db()
    assert (need.state, need.moderation_note) == ("rejected", "社名と連絡先以外を具体的に")
    told = Notice.objects.get(kind="network_post_rejected")
    assert told.text_ja == (
        "投稿は承認されませんでした：樹脂部品の異物をX線で調べたい。コメント：社名と連絡先以外を具体的に"
    )
    # The author edits it: back to the operators.
    client.force_login(world["engineer"])
    mine = client.get("/network/mine/").content.decode()
    assert "承認されませんでした" in mine and "社名と連絡先以外を具体的に" in mine
    response = client.post(
        f"/network/entry/need/{need.pk}/edit/",
        {"owner": f"hub:{world['fukuoka'].pk}", "title": "樹脂成形品の内部異物をX線CTで調べたい",
         "description": "", "field": "materials", "keywords": "X線CT", "visibility": "public"},
    )  # fmt: skip
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.state, need.title) == ("pending", "樹脂成形品の内部異物をX線CTで調べたい")
    assert Notice.objects.filter(kind="network_post_pending").count() == 2


def test_withdraw_takes_a_post_off_search_and_lists(client, world):
    client.force_login(world["operator"])
    client.post(
        "/network/post/event/",
        {"owner": f"hub:{world['fukuoka'].pk}", "title": "SEM講習会", "starts_at": "2026-12-01T10:00",
         "ends_at": "2026-12-01T12:00", "place": "2F", "visibility": "public"},
    )  # fmt: skip
    event = News.objects.get()
    assert (event.kind, titles("SEM講習")) == ("event", ["SEM講習会"])
    response = client.post(f"/network/entry/event/{event.pk}/withdraw/")
    assert response["Location"] == f"/network/entry/event/{event.pk}/"
    event.refresh_from_db()
    assert (event.state, titles("SEM講習")) == ("withdrawn", [])
    assert "取り下げ済み" in client.get(f"/network/entry/event/{event.pk}/").content.decode()
    assert "SEM講習会" not in client.get("/network/region/kyushu/").content.decode()
    assert "SEM講習会" not in client.get("/network/feeds/news.atom").content.decode()
    client.logout()
    assert client.get(f"/network/entry/event/{event.pk}/").status_code == 404
    # The other hub's operator may not withdraw or edit it.
    client.force_login(world["other_operator"])
    assert client.post(f"/network/entry/event/{event.pk}/withdraw/").status_code == 404


def test_members_only_posts(client, world, make_user):
    services.entry_create(
        kind="expert", by=world["operator"],
        data={"hub": world["fukuoka"], "name": "内部 花子", "public": False},
    )  # fmt: skip
    expert = Expert.objects.get()
    assert client.get(f"/network/entry/expert/{expert.pk}/").status_code == 404
    client.force_login(make_user("public"))
    assert client.get(f"/network/entry/expert/{expert.pk}/").status_code == 404
    for role in ("equipment_user", "observer", "operator"):
        client.force_login(make_user(role))
        assert client.get(f"/network/entry/expert/{expert.pk}/").status_code == 200, role
        assert (
            "ネットワーク会員のみ"
            in client.get(f"/network/entry/expert/{expert.pk}/").content.decode()
        )


def test_need_matches_region_first_with_reasons_in_japanese(client, world):
    from kyoten.network.matching import match_need

    Hub.objects.create(
        name="東京 X線分析拠点", slug="tokyo", lead_prefecture_id="13", form="equipment_only",
        summary="X線 異物解析 X線 異物",
    )  # fmt: skip
    need = services.entry_create(
        kind="need", by=world["operator"],
        data={"hub": world["fukuoka"], "company_name": "肥後精密", "title": "X線で異物を見たい",
              "keywords": "X線, 異物", "field": "materials"},
    )  # fmt: skip
    found = [(m.title, m.same_region, m.place, m.reasons) for m in match_need(need)]
    assert found == [
        ("福岡 先端材料評価拠点", True, "福岡県（九州・沖縄）",
         ["「X線」を含む", "同じ分野：材料", "同じ地域：九州・沖縄"]),
        ("東京 X線分析拠点", False, "東京都（関東）",
         ["「X線」を含む", "「異物」を含む", "他地域：関東"]),
    ]  # fmt: skip
    html = client.get(f"/network/entry/need/{need.pk}/").content.decode()
    html = html[html.index('<section class="matches">') :]
    assert (
        html.index("<h3>九州・沖縄の候補</h3>")
        < html.index("福岡 先端材料評価拠点</a>")
        < html.index("<h3>ネットワークの他地域</h3>")
        < html.index("東京 X線分析拠点</a>")
    )
    assert '<span class="kind">拠点</span>' in html


def test_moderation_and_my_posts_queries_do_not_grow(client, world, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            services.need_post(
                by=world["engineer"],
                data={"hub": world["fukuoka"], "title": f"ニーズ{i}", "keywords": "X線"},
            )

    make(1)
    client.force_login(world["operator"])
    with django_assert_max_num_queries(14) as one:
        client.get("/network/moderation/")
    make(25)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/network/moderation/").content.decode()
    assert page.count("data-entry=") == 20
    assert "2 ページ中 1 ページ" in page
    client.force_login(world["engineer"])
    with django_assert_max_num_queries(14) as mine:
        client.get("/network/mine/")
    make(5)
    with django_assert_max_num_queries(len(mine.captured_queries)):
        client.get("/network/mine/?page=2")
