"""Pages, feeds, the map, open data export, digests and the demo of the network app."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.management import call_command

from kyoten.hubs.models import Hub
from kyoten.network import demo
from kyoten.network.models import CompanyNeed, Expert, News, SearchEntry, Subscription


@pytest.fixture
def network(db, make_user):
    operator = make_user("operator")
    hub = Hub.objects.create(
        name="熊本材料拠点", slug="kumamoto", lead_prefecture_id="43", form="equipment_only",
        summary="材料とX線分析の共用拠点",
    )  # fmt: skip
    hub.operators.set([operator])
    Hub.objects.create(
        name="札幌食品拠点", slug="sapporo", lead_prefecture_id="01", form="equipment_only",
        summary="食品と材料の評価",
    )  # fmt: skip
    expert = Expert.objects.create(
        scope="hub", hub=hub, block="kyushu", prefecture_id="43", name="松本 翔",
        profile="走査型電子顕微鏡（SEM）で材料を評価", field="materials",
        orcid="0000-0002-1825-0097",
    )  # fmt: skip
    need = CompanyNeed.objects.create(
        scope="region", block="hokkaido", company_name="札幌精密", title="SEMで不良解析をしたい",
        keywords="SEM, 材料", field="materials",
    )  # fmt: skip
    event = News.objects.create(
        scope="region", block="kyushu", kind="event", title="九州 顕微鏡講習会", body="SEM実習"
    )
    nationwide = News.objects.create(scope="nationwide", kind="news", title="全国交流会のお知らせ")
    return {"hub": hub, "expert": expert, "need": need, "event": event, "nationwide": nationwide,
            "operator": operator}  # fmt: skip


def test_nationwide_page_has_map_and_regions(client, network):
    response = client.get("/network/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="tile ') == 47
    assert 'data-prefecture="43"' in html
    assert html.count("has-hub") == 2
    assert "全国交流会のお知らせ" in html
    assert 'href="/network/region/kyushu/"' in html


def test_region_page_lists_its_own_entries(client, network):
    html = client.get("/network/region/kyushu/").content.decode()
    assert "熊本材料拠点" in html and "松本 翔" in html and "九州 顕微鏡講習会" in html
    assert "札幌食品拠点" not in html
    assert client.get("/network/region/atlantis/").status_code == 404


def test_search_page_highlights(client, network):
    html = client.get("/network/search/", {"q": "ｓｅｍ"}).content.decode()
    assert "走査型電子顕微鏡（<mark>SEM</mark>）" in html
    assert "3 results" in html or "3 件" in html or "3" in html
    bad = client.get("/network/search/", {"q": "材料", "region": "mars"}).content.decode()
    assert "region: 不明な地域 mars です" in bad


def test_entry_page_shows_need_matches(client, network):
    html = client.get(f"/network/entry/need/{network['need'].pk}/").content.decode()
    assert "松本 翔" in html
    assert "「SEM」を含む" in html
    assert client.get("/network/entry/expert/999999/").status_code == 404


def test_hub_page_suggests_partners_in_other_regions(client, network):
    html = client.get(f"/network/hub/{network['hub'].pk}/").content.decode()
    assert "札幌食品拠点" in html
    assert "他地域：北海道" in html


def test_feeds(client, network):
    atom = client.get("/network/feeds/news.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(atom.content)  # noqa: S314 - our own feed
    titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
    assert sorted(titles) == ["【イベント】九州 顕微鏡講習会", "全国交流会のお知らせ"]
    rss = client.get("/network/feeds/region/hokkaido.rss")
    channel = ET.fromstring(rss.content)  # noqa: S314 - our own feed
    items = [e.text for e in channel.findall("channel/item/title")]
    assert items == ["全国交流会のお知らせ"]
    assert client.get("/network/feeds/region/mars.atom").status_code == 404


def test_dashboard_page_for_observer_only(client, make_user, network):
    client.force_login(make_user("equipment_user"))
    assert client.get("/network/dashboard/").status_code == 403
    client.force_login(make_user("observer"))
    html = client.get("/network/dashboard/").content.decode()
    assert "Network dashboard" in html or "ダッシュボード" in html


def test_export_opendata(tmp_path, network, capsys):
    Expert.objects.create(scope="region", block="kanto", name="非公開", public=False)
    call_command("export-opendata", str(tmp_path))
    experts = json.loads((tmp_path / "experts.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in experts["items"]] == ["松本 翔"]
    assert experts["items"][0]["orcid"] == "0000-0002-1825-0097"
    csv_text = (tmp_path / "hubs.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,name,lead_prefecture")
    assert len(csv_text.splitlines()) == 3
    catalog = json.loads((tmp_path / "catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["dct:license"] == {
        "@id": "https://creativecommons.org/licenses/by/4.0/", "@type": "dct:LicenseDocument",
    }  # fmt: skip
    assert catalog["@id"] == "http://127.0.0.1:8000/opendata/"
    assert {d["dct:identifier"] for d in catalog["dcat:dataset"]} == {
        "hubs", "equipment", "experts", "projects", "results", "needs", "news",
    }  # fmt: skip
    assert "CC BY 4.0" in (tmp_path / "LICENSE.txt").read_text(encoding="utf-8")


def test_export_opendata_bad_directory(tmp_path, db, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        call_command("export-opendata", str(target))
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"directory: {target} exists and is not a directory\n"


def test_digest(settings, make_user, network):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    mailoutbox = mail.outbox
    user = make_user("equipment_user", email="sme@example.jp")
    Subscription.objects.create(user=user, blocks=["kyushu"], fields=[])
    make_user("observer", email="obs@example.jp")  # no subscription: no digest
    call_command("network-digest", "--days", "3")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "九州 顕微鏡講習会" in body and "全国交流会のお知らせ" in body
    call_command("network-digest")
    assert len(mailoutbox) == 1  # nothing new since the last digest


def test_demo_loads_and_indexes(db, monkeypatch):
    for name in ("N_EXPERTS", "N_PROJECTS", "N_RESULTS", "N_NEEDS", "N_NEWS"):
        monkeypatch.setattr(demo, name, 40)
    demo.load(random.Random(3))
    assert Expert.objects.count() == 40
    assert SearchEntry.objects.filter(kind="expert").count() == 40
    assert SearchEntry.objects.count() == 200


def test_region_page_then_the_nation(client, network, django_assert_max_num_queries):
    """R-14: Kyushu's own entries first, then what other regions offer in Kyushu's fields."""
    other = Hub.objects.create(
        name="札幌材料評価拠点", slug="sapporo-mat", lead_prefecture_id="01",
        form="equipment_only", summary="材料の評価",
    )  # fmt: skip
    Expert.objects.create(
        scope="hub", hub=other, block="hokkaido", name="北 一郎", field="materials",
        profile="材料評価",
    )  # fmt: skip
    Expert.objects.create(
        scope="hub", hub=other, block="hokkaido", name="食 花子", field="food", profile="食品"
    )
    with django_assert_max_num_queries(20) as few:
        html = client.get("/network/region/kyushu/").content.decode()
    own, beyond = html.split('<section class="beyond"', 1)
    assert "松本 翔" in own and "北 一郎" not in own
    assert "この地域が取り組む分野：材料。" in beyond.split("</p>")[0]
    assert "北 一郎</a> <small>札幌材料評価拠点 · 北海道</small>" in beyond
    assert "食 花子" not in beyond  # not a field Kyushu works in
    assert '<a href="/network/region/hokkaido/">北海道</a> <small>5件</small>' in beyond
    assert "kyushu" not in beyond.replace("/network/region/kyushu/", "")
    for i in range(30):
        Expert.objects.create(
            scope="hub", hub=other, block="hokkaido", name=f"専門家{i}", field="materials"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/network/region/kyushu/")


def test_export_opendata_writes_formula_like_text_as_text(tmp_path, network):
    Expert.objects.create(scope="region", block="kanto", name="=1+2", public=True)
    call_command("export-opendata", str(tmp_path))
    csv_text = (tmp_path / "experts.csv").read_text(encoding="utf-8-sig")
    assert [line.split(",")[1] for line in csv_text.splitlines() if "1+2" in line] == ["'=1+2"]
    # The JSON keeps the value as it is.
    experts = json.loads((tmp_path / "experts.json").read_text(encoding="utf-8"))
    assert "=1+2" in [e["name"] for e in experts["items"]]
