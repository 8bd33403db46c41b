"""Open data on the web: the page, the DCAT-AP 3 catalogue read by a DCAT reader (rdflib), the
files (CSV with BOM, JSON), only public data, formula-safe CSV cells, and dct:modified that
follows a change of the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings

import pytest
import rdflib
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from kyoten.hubs.models import Hub
from kyoten.hubs.services import hub_create, hub_update
from kyoten.network import opendata
from kyoten.network.models import CompanyNeed, DatasetVersion, Expert, News

BASE = "http://testserver"
KEYS = ["hubs", "equipment", "experts", "projects", "results", "needs", "news"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(db, make_user):
    officer = make_user("officer")
    hub = hub_create(by=officer, name="福岡 先端材料評価拠点", lead_prefecture="40", form="new")
    Expert.objects.create(scope="hub", hub=hub, block="kyushu", name="公開 太郎")
    Expert.objects.create(scope="hub", hub=hub, block="kyushu", name="会員限定", public=False)
    Expert.objects.create(scope="hub", hub=hub, block="kyushu", name="承認待ち", state="pending")
    CompanyNeed.objects.create(
        scope="hub", hub=hub, block="kyushu", company_name="=HYPERLINK(\"http://x\")",
        title="@SUM(A1)", description="-1+1", keywords="\tタブ",
    )  # fmt: skip
    News.objects.create(scope="nationwide", kind="news", title="全国交流会")
    return {"officer": officer, "hub": hub}


def graph_of(client) -> rdflib.Graph:
    response = client.get("/opendata/catalog.jsonld")
    assert (response.status_code, response["Content-Type"]) == (200, "application/ld+json")
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser still builds a ConjunctiveGraph, which it deprecates.
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=response.content.decode(), format="json-ld", base=BASE)


def test_catalogue_is_dcat_ap_3_for_a_dcat_reader(client, data):
    g = graph_of(client)
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [rdflib.URIRef(f"{BASE}/opendata/")]
    datasets = sorted(str(d) for d in g.objects(catalogs[0], DCAT.dataset))
    assert datasets == sorted(f"{BASE}/opendata/datasets/{k}" for k in KEYS)
    licence = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    for iri in datasets:
        ds = rdflib.URIRef(iri)
        key = iri.rsplit("/", 1)[1]
        assert isinstance(ds, rdflib.URIRef)
        for prop in (DCTERMS.issued, DCTERMS.modified):
            (value,) = g.objects(ds, prop)
            assert (value.datatype, type(value.toPython())) == (XSD.dateTime, dt.datetime)
        assert list(g.objects(ds, DCTERMS.license)) == [licence]
        titles = {t.language: str(t) for t in g.objects(ds, DCTERMS.title)}
        assert set(titles) == {"ja", "en"}
        distributions = list(g.objects(ds, DCAT.distribution))
        found = set()
        for dist in distributions:
            assert isinstance(dist, rdflib.URIRef)
            (media,) = g.objects(dist, DCAT.mediaType)
            (download,) = g.objects(dist, DCAT.downloadURL)
            (access,) = g.objects(dist, DCAT.accessURL)
            assert list(g.objects(dist, DCTERMS.license)) == [licence]
            (modified,) = g.objects(dist, DCTERMS.modified)
            assert modified.datatype == XSD.dateTime
            found.add((str(media), str(download), str(access)))
        assert found == {
            ("http://www.iana.org/assignments/media-types/text/csv",
             f"{BASE}/opendata/{key}.csv", f"{BASE}/opendata/"),
            ("http://www.iana.org/assignments/media-types/application/json",
             f"{BASE}/opendata/{key}.json", f"{BASE}/opendata/"),
        }  # fmt: skip
    # Every file of the catalogue is served by the site itself.
    for url in g.objects(None, DCAT.downloadURL):
        path = str(url).removeprefix(BASE)
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".json"):
            assert json.loads(response.content)["license"] == str(licence)
        else:
            assert response.content.startswith(b"\xef\xbb\xbf")


def test_only_public_published_data_and_formula_safe_cells(client, data):
    experts = client.get("/opendata/experts.json").json()
    assert [e["name"] for e in experts["items"]] == ["公開 太郎"]
    response = client.get("/opendata/needs.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="needs.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["company_name"], r["title"], r["description"], r["keywords"]) for r in rows] == [
        ('\'=HYPERLINK("http://x")', "'@SUM(A1)", "'-1+1", "'\tタブ"),
    ]
    # The JSON keeps the values as they are.
    (need,) = client.get("/opendata/needs.json").json()["items"]
    assert (need["title"], need["description"]) == ("@SUM(A1)", "-1+1")
    assert opendata.csv_cell("+81") == "'+81"
    assert opendata.csv_cell("\r\n") == "'\r\n"
    assert opendata.csv_cell("材料") == "材料"
    assert opendata.csv_cell(None) == ""
    assert client.get("/opendata/users.csv").status_code == 404
    assert client.get("/opendata/hubs.xlsx").status_code == 404


def test_editing_a_hub_changes_its_row_and_modified(client, data):
    def modified(g, key):
        (value,) = g.objects(rdflib.URIRef(f"{BASE}/opendata/datasets/{key}"), DCTERMS.modified)
        return value.toPython()

    graph_of(client)  # published: every dataset has its version
    DatasetVersion.objects.update(
        issued=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        modified=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    cache.clear()
    before = graph_of(client)
    assert modified(before, "hubs") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    hub_update(hub=data["hub"], by=data["officer"], summary="X線回折と電子顕微鏡の共用拠点")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/opendata/hubs.csv").content.decode("utf-8-sig")))
    )
    assert [(r["name"], r["summary"]) for r in rows] == [
        ("福岡 先端材料評価拠点", "X線回折と電子顕微鏡の共用拠点"),
    ]
    after = graph_of(client)
    assert modified(after, "hubs") > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert modified(after, "experts") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    issued = after.value(rdflib.URIRef(f"{BASE}/opendata/datasets/hubs"), DCTERMS.issued)
    assert issued.toPython() == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_page_for_people_in_japanese_and_english(client, data, bilingual):
    ja, en = bilingual(
        "/opendata/",
        [("拠点ネットワークのオープンデータ", "Open data of the hub network"),
         ("最終更新", "Last changed")],
    )  # fmt: skip
    assert 'href="/opendata/hubs.csv"' in ja and 'href="/opendata/news.json"' in ja
    assert 'href="/opendata/catalog.jsonld"' in ja
    assert "<strong>拠点</strong>" in ja and "<strong>Hubs</strong>" in en
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in ja
    assert client.get("/opendata/datasets/hubs")["Location"] == "/opendata/#hubs"


def test_page_queries_do_not_grow_with_rows(client, data):
    client.get("/opendata/")  # the versions exist from now on
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get("/opendata/")
    cache.clear()
    for i in range(40):
        Hub.objects.create(
            name=f"拠点{i}", slug=f"h{i}", lead_prefecture_id="13", form="equipment_only"
        )
        Expert.objects.create(scope="hub", hub=data["hub"], block="kyushu", name=f"専門家{i}")
    cache.clear()
    client.get("/opendata/")  # records the new versions of hubs and experts
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        html = client.get("/opendata/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "<td>41</td>" in html
    # Cached: no query for the data at all.
    with CaptureQueriesContext(connection) as cached:
        client.get("/opendata/hubs.csv")
    assert len(cached.captured_queries) == 0
