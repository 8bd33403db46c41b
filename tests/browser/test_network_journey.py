"""The hub network in the browser: a hub operator posts news; a company engineer posts a need
(技術相談・ニーズ) that the operator approves from the moderation queue; the need is then found
by a Japanese search and matched to the region's hub first. And an anonymous visitor reaches
the open data from the home page and downloads a CSV with a BOM."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kyoten.network.models import CompanyNeed, News

from .helpers import equipment_network, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_operator_posts_news_company_need_is_moderated_and_found(page, live_server, make_user):
    base = live_server.url
    officer = make_user("officer")
    world = equipment_network(officer)
    operator = make_user("operator", username="fukuoka-op", display_name="福岡 運営")
    world["fukuoka"].operators.set([operator])
    make_user("equipment_user", username="higo", display_name="肥後 一郎",
              organisation=world["company"])  # fmt: skip

    # The operator posts news for the hub.
    log_in(page, base, "fukuoka-op")
    page.goto(base + "/network/")
    page.locator(".actions a[href='/network/post/news/']").click()
    page.locator("select[name=owner]").select_option(f"hub:{world['fukuoka'].pk}")
    page.locator("input[name=title]").fill("X線回折装置の講習を始めました")
    page.locator("textarea[name=body]").fill("毎月第2水曜日に開催します。")
    page.locator("button[name=save]").click()
    expect(page.locator("h1")).to_have_text("X線回折装置の講習を始めました")
    expect(page.locator(".messages")).to_contain_text("公開しました")
    page.locator("form[action$='/logout/'] button").click()

    # A company engineer posts a need to the Fukuoka hub; it waits for moderation.
    log_in(page, base, "higo")
    page.goto(base + "/network/post/need/")
    expect(page.locator("select[name=owner] option").first).to_have_text(
        "福岡 先端材料評価拠点（福岡県）"  # the company's own region first
    )
    page.locator("select[name=owner]").select_option(f"hub:{world['fukuoka'].pk}")
    page.locator("input[name=title]").fill("樹脂部品の内部異物をX線で調べたい")
    page.locator("textarea[name=description]").fill("非破壊で、試作品10個程度。")
    page.locator("input[name=keywords]").fill("X線, 異物, 非破壊")
    page.locator("button[name=save]").click()
    expect(page.locator(".state")).to_contain_text("承認待ち")
    page.goto(base + "/network/search/?q=内部異物")
    expect(page.locator("body")).not_to_contain_text("樹脂部品の内部異物をX線で調べたい")
    page.locator("form[action$='/logout/'] button").click()

    # The operator is told, and approves it from the queue.
    log_in(page, base, "fukuoka-op")
    page.goto(base + "/notices/")
    expect(page.locator("main")).to_contain_text(
        "モデレーション待ちの投稿があります：樹脂部品の内部異物をX線で調べたい"
    )
    page.goto(base + "/")
    page.get_by_role("link", name="ネットワークへの投稿 1 件が承認待ちです").click()
    need = CompanyNeed.objects.get()
    row = page.locator(f"tr[data-entry='need-{need.pk}']")
    expect(row).to_contain_text("肥後精密工業株式会社")
    row.locator("button[name=approve]").click()
    expect(page.locator(".messages")).to_contain_text("承認して公開しました")
    page.locator("form[action$='/logout/'] button").click()

    # Anyone now finds it by a Japanese search, and its page suggests the region's hub first.
    page.goto(base + "/network/search/?q=内部異物")
    expect(page.locator("main")).to_contain_text("樹脂部品の内部異物をX線で調べたい")
    page.get_by_role("link", name="樹脂部品の内部異物をX線で調べたい").first.click()
    matches = page.locator("section.matches")
    expect(matches.locator("h3").first).to_have_text("九州・沖縄の候補")
    expect(matches.locator("ol.hits").first.locator("li").first).to_contain_text("福岡")
    expect(matches).to_contain_text("同じ地域：九州・沖縄")
    expect(matches).not_to_contain_text("kyushu")
    assert (News.objects.get().state, CompanyNeed.objects.get().state) == (
        "published", "published",
    )  # fmt: skip


def test_anonymous_visitor_downloads_open_data_from_the_home_page(page, live_server, make_user):
    base = live_server.url
    equipment_network(make_user("officer"))
    page.goto(base + "/")
    page.get_by_role("link", name="オープンデータ（CSV・JSON・DCAT）").click()
    expect(page.locator("h1")).to_have_text("拠点ネットワークのオープンデータ")
    row = page.locator("tr#hubs")
    expect(row.locator("td").nth(1)).to_have_text("2")
    with page.expect_download() as info:
        row.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "hubs.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,name,lead_prefecture,prefectures,form")
    assert sorted(line.split(",")[1] for line in lines[1:]) == [
        "東京 ものづくり拠点", "福岡 先端材料評価拠点",
    ]  # fmt: skip
    catalog = page.request.get(base + "/opendata/catalog.jsonld")
    assert catalog.headers["content-type"] == "application/ld+json"
    assert catalog.json()["@id"] == base + "/opendata/"
