"""The network pages speak Japanese by default and English on request."""

from __future__ import annotations

import pytest

from kyoten.network.models import CompanyNeed

pytestmark = pytest.mark.django_db


def test_public_pages_in_japanese(bilingual):
    need = CompanyNeed.objects.create(
        scope="region", block="kinki", company_name="大阪精密", title="X線で異物検査をしたい"
    )
    bilingual("/network/", [
        ("地域拠点ネットワーク（全国）", "Regional hub network (nationwide)"),
        ("拠点の地図", "Map of hubs"),
        ("お知らせ・イベント", "News and events"),
    ])  # fmt: skip
    bilingual("/network/search/?q=X線", [("ネットワークを検索", "Search the network")])
    page, _en = bilingual(f"/network/entry/need/{need.pk}/", [
        ("求めているもの", "What we are looking for"),
        # A company need's "Open" has a context: monitoring's "未回答" (advice) must not leak in.
        ("募集中", ">Open<"),
    ])  # fmt: skip
    assert "未回答" not in page


def test_dashboard_in_japanese_for_an_observer(client, bilingual, make_user):
    client.force_login(make_user("observer"))
    bilingual("/network/dashboard/", [
        ("ネットワークダッシュボード（閲覧のみ、R-15）", "Network dashboard (read-only, R-15)"),
        ("利用者区分別の設備利用", "Equipment usage by user class"),
    ])  # fmt: skip
