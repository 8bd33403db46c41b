"""The public front door: an anonymous visitor reaches the directory, the equipment catalogue,
the network search, the map and news, open data and registration from the home page."""

from __future__ import annotations


def test_home_page_leads_anonymous_visitors_everywhere(client, db):
    html = client.get("/").content.decode()
    links = [
        ('href="/hubs/"', "拠点一覧"),
        ('href="/equipment/"', "全国の共用設備"),
        ('href="/network/search/"', "ネットワーク検索（拠点・設備・専門家・共同研究・ニーズ）"),
        ('href="/network/"', "拠点と地域の地図、お知らせ・イベント"),
        ('href="/opendata/"', "オープンデータ（CSV・JSON・DCAT）"),
        ('href="/accounts/register/"', "アカウント登録"),
    ]
    assert [f"{href}>{text}</a>" in html for href, text in links] == [True] * len(links)
    assert client.get("/opendata/").status_code == 200
