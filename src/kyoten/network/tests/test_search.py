"""The network search index: two-character and mixed-script words, variants, filters, recall."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoten.core.errors import DomainError
from kyoten.core.textsearch import matches
from kyoten.network.models import SearchEntry
from kyoten.network.search import (
    IndexDoc,
    index_bulk,
    index_entry,
    make_filters,
    scan_ids,
    search,
    search_ids,
    unindex,
)

DOCS = [
    IndexDoc(
        "equipment",
        1,
        "走査型電子顕微鏡（ＳＥＭ）",
        "材料表面の観察。ｴﾈﾙｷﾞｰ分散型X線分析付き",
        prefecture="13",
        field="materials",
    ),
    IndexDoc(
        "equipment",
        2,
        "Ｘ線回折装置",
        "結晶構造の解析。医療材料にも",
        prefecture="27",
        field="materials",
    ),
    IndexDoc(
        "expert", 3, "山田 花子", "医療機器の評価、センサー開発", prefecture="01", field="medical"
    ),
    IndexDoc(
        "need",
        4,
        "食品の異物検査を探しています",
        "X線検査装置を使いたい中小企業",
        prefecture="40",
        field="food",
    ),
    IndexDoc(
        "hub",
        5,
        "ロボット技術拠点",
        "サーバーとロボットアームの共同研究",
        prefecture="23",
        field="robotics",
    ),
    IndexDoc(
        "news",
        6,
        "セミナーのお知らせ",
        "seminar on SEMiconductor 顕微",
        prefecture="13",
        public=False,
    ),
]


@pytest.fixture
def indexed(db):
    for doc in DOCS:
        index_entry(doc)


def kinds_ids(result):
    return [(h.kind, h.id) for h in result.hits]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("顕微", [("equipment", 1)]),
        ("材料", [("equipment", 1), ("equipment", 2)]),
        ("医療", [("equipment", 2), ("expert", 3)]),
        ("X線", [("equipment", 2), ("equipment", 1), ("need", 4)]),
        ("ｘ線", [("equipment", 2), ("equipment", 1), ("need", 4)]),
        ("SEM", [("equipment", 1)]),
        ("ｓｅｍ", [("equipment", 1)]),
        ("せんさー", [("expert", 3)]),
        ("ｾﾝｻ", [("expert", 3)]),
        ("サーバ", [("hub", 5)]),
        ("エネルギー", [("equipment", 1)]),
        ("材料 X線", [("equipment", 2), ("equipment", 1)]),
        ("量子", []),
        ("", []),
    ],
)
def test_search_finds_words_in_any_variant(indexed, q, expected):
    result = search(q)
    assert kinds_ids(result) == expected
    assert result.count == len(expected)


def test_one_character_query_scans(indexed):
    # Ranked by where the word is: 線 is in equipment 2's title.
    assert kinds_ids(search("線")) == [("equipment", 2), ("equipment", 1), ("need", 4)]
    assert kinds_ids(search("線 食品")) == [("need", 4)]


def test_private_entries_only_when_asked(indexed):
    assert kinds_ids(search("seminar")) == []
    assert kinds_ids(search("seminar", make_filters(include_private=True))) == [("news", 6)]


def test_filters(indexed):
    assert kinds_ids(search("材料", make_filters(prefecture_codes=["27"]))) == [("equipment", 2)]
    assert kinds_ids(search("X線", make_filters(kinds=["need"]))) == [("need", 4)]
    assert kinds_ids(search("X線", make_filters(blocks=["kanto"]))) == [("equipment", 1)]
    assert kinds_ids(search("医療", make_filters(fields=["medical"]))) == [("expert", 3)]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kinds": ["robot"]}, "kind"),
        ({"prefecture_codes": ["48"]}, "prefecture"),
        ({"blocks": ["kanton"]}, "region"),
        ({"fields": ["magic"]}, "field"),
    ],
)
def test_bad_filters_name_the_field(kw, field):
    with pytest.raises(DomainError) as err:
        make_filters(**kw)
    assert err.value.field == field


def test_highlights_and_snippet(indexed):
    hit = search("顕微 sem").hits[0]
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["顕微", "ＳＥＭ"]
    assert hit.title_html == "走査型電子<mark>顕微</mark>鏡（<mark>ＳＥＭ</mark>）"
    assert hit.snippet.text == "材料表面の観察。ｴﾈﾙｷﾞｰ分散型X線分析付き"


def test_ranking_prefers_title_matches(indexed):
    assert kinds_ids(search("材料")) == [("equipment", 1), ("equipment", 2)]
    # 医療 is in expert 3's body and equipment 2's body: equal weight, id order.
    index_entry(IndexDoc("project", 9, "医療材料の共同研究", ""))
    assert kinds_ids(search("医療"))[0] == ("project", 9)


def test_reindex_and_unindex(indexed):
    index_entry(IndexDoc("equipment", 1, "透過型電子顕微鏡", "TEM"))
    assert kinds_ids(search("走査")) == []
    assert kinds_ids(search("透過")) == [("equipment", 1)]
    unindex("equipment", 1)
    assert kinds_ids(search("顕微")) == []
    assert not SearchEntry.objects.filter(kind="equipment", object_id=1).exists()


def test_pagination(db):
    index_bulk(IndexDoc("expert", i, f"材料研究者{i}", "") for i in range(1, 26))
    first = search("材料", page=1, page_size=10)
    third = search("材料", page=3, page_size=10)
    assert first.count == third.count == 25
    assert [h.id for h in first.hits] == list(range(1, 11))
    assert [h.id for h in third.hits] == list(range(21, 26))


# --- recall: the index finds exactly what the substring scan finds -----------------------

ALPHABET = "材料医療顕微鏡線装置分析食品ロボットセンサーｾﾝｻｰXxSEMｓｅｍ12・（） 　、-"


@pytest.fixture
def random_corpus(db):
    rng = random.Random(7)
    docs = [
        IndexDoc(
            "expert",
            i,
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))),
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))),
        )
        for i in range(1, 301)
    ]
    index_bulk(docs)
    return docs


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_recall_equals_substring_scan(random_corpus, q):
    by_python = {
        entry_id
        for entry_id, (kind, obj) in _entry_keys().items()
        if matches(q, _doc_text(random_corpus, obj))
    }
    found = {entry_id for entry_id, _score in search_ids(q)}
    assert found == scan_ids(q) == by_python


def _entry_keys():
    return {e.pk: (e.kind, e.object_id) for e in SearchEntry.objects.all()}


def _doc_text(docs, object_id):
    doc = docs[object_id - 1]
    return f"{doc.title} {doc.body}"


@pytest.mark.parametrize("q", ["材料", "X線", "ｾﾝｻｰ", "材料 線", "(x)", "顕微鏡", "sem"])
def test_scan_path_equals_index_path(random_corpus, monkeypatch, q):
    from kyoten.network import search as search_module

    by_index = search_ids(q)
    monkeypatch.setattr(search_module, "SCAN_CHECK_FROM", 0)
    monkeypatch.setattr(search_module, "SCAN_SHARE", 0.0)
    plan = search_module._matching_sql(q, search_module.Filters())
    assert plan.path in ("scan", "empty")
    by_scan = search_ids(q)
    assert {i for i, _s in by_scan} == {i for i, _s in by_index} == scan_ids(q)


def test_rebuilding_the_full_text_index(db):
    from kyoten.network import fulltext
    from kyoten.network.search import rebuild_fulltext

    index_bulk([IndexDoc("expert", 1, "材料の専門家", "SEM"), IndexDoc("expert", 2, "医療", "")])
    fulltext.remove_all()
    assert kinds_ids(search("材料")) == []
    assert rebuild_fulltext() == 2
    assert kinds_ids(search("材料")) == [("expert", 1)]
    assert kinds_ids(search("sem")) == [("expert", 1)]


def test_a_phrase_never_straddles_two_runs(db):
    # 顕微 + 鏡 in two runs: the bigrams 顕微 and 微鏡 are not both there, 微・鏡 is no 微鏡.
    index_bulk([IndexDoc("expert", 1, "顕微・鏡", ""), IndexDoc("expert", 2, "鏡顕微", "")])
    assert kinds_ids(search("顕微鏡")) == []
    assert kinds_ids(search("微・鏡")) == [("expert", 1)]
    assert kinds_ids(search("顕微")) == [("expert", 1), ("expert", 2)]


def test_long_texts_are_found_exactly(db):
    # Past 16,383 positions (PostgreSQL's tsvector limit) the text itself decides.
    body = "材料" * 9000 + "電子顕微鏡" + "医療" * 300
    index_bulk([IndexDoc("expert", 1, "長い", body), IndexDoc("expert", 2, "電子顕微", "鏡")])
    assert kinds_ids(search("電子顕微鏡")) == [("expert", 1)]
    assert kinds_ids(search("医療")) == [("expert", 1)]
    assert kinds_ids(search("料材")) == [("expert", 1)]
    assert search("鏡医").count == 1


def test_count_and_pages_come_from_the_database(db):
    index_bulk(IndexDoc("expert", i, "研究者", "材料") for i in range(1, 46))
    index_entry(IndexDoc("expert", 99, "材料の研究者", ""))
    result = search("材料", page=2, page_size=20)
    assert result.count == 46
    assert [h.id for h in result.hits] == list(range(20, 40))
    assert [h.id for h in search("材料", page_size=3).hits] == [99, 1, 2]
