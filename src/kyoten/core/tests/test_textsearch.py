"""The shared Japanese text-search primitives: normalisation, index terms, recall, highlights."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kyoten.core.textsearch import (
    highlight,
    highlight_html,
    matches,
    needs_scan,
    normalise,
    query_terms,
    query_words,
    rank_terms,
    snippet,
    tokens,
)


def test_normalise_width_case_and_kana_agree():
    assert normalise("ＳＥＭ") == "sem"
    assert normalise("ｾﾝｻｰ") == normalise("センサー") == normalise("せんさ")
    assert normalise("Ｘ線　回折") == "x線 回折"
    assert normalise("  走査型   電子顕微鏡\t") == "走査型 電子顕微鏡"


def test_normalise_long_vowel_at_word_end_is_dropped_inside_kept():
    assert normalise("コンピューター") == normalise("コンピュータ") == "こんぴゅーた"
    assert normalise("サーバー・ロボット") == "さーば・ろぼっと"
    assert normalise("コーヒー") == "こーひ"
    # Hyphen-like marks typed after kana are read as ー.
    assert normalise("センサ－") == normalise("センサ−") == "せんさ"
    assert normalise("モ-タ-制御") == "もーたー制御"
    # Not after kana: kept as it is.
    assert normalise("CO-2") == "co-2"


def test_normalise_empty_and_idempotent_examples():
    assert normalise("") == ""
    for text in ["ｺﾝﾋﾟｭｰﾀｰ", "ＡＢＣ－ー", "か ー", "ヴァイオリン", "㈱テスト"]:
        assert normalise(normalise(text)) == normalise(text)


def test_tokens_are_bigrams_unigrams_and_latin_words():
    assert tokens("顕微鏡") == {"顕微", "微鏡"}
    assert tokens("X線 と SEM") == {"x線", "と", "se", "em", "sem"}
    assert tokens("材料・医療") == {"材料", "医療"}
    assert tokens("") == set()


def test_query_terms_two_character_words():
    assert query_terms("顕微") == {"顕微"}
    assert query_terms("材料") == {"材料"}
    assert query_terms("医療 材料") == {"医療", "材料"}
    assert query_terms("X線") == {"x線"}
    assert query_terms("ＳＥＭ") == {"se", "em"}
    assert rank_terms("ＳＥＭ") == {"sem"}


def test_one_character_words_need_a_scan():
    assert query_terms("線") == set()
    assert needs_scan("線") is True
    assert needs_scan("線 材料") is True
    assert query_terms("線 材料") == {"材料"}
    assert needs_scan("材料") is False
    # A 1-char run enclosed by punctuation inside the word is a 1-char run in any match.
    assert query_terms("(x)") == {"x"}
    assert needs_scan("(x)") is False


def test_query_words_dedupe_and_normalise():
    assert query_words("  材料　ＳＥＭ 材料 ") == ["材料", "sem"]
    assert query_words("") == []


def test_matching_across_variants():
    doc = "走査型電子顕微鏡（ＳＥＭ）とエックス線回折装置、ｾﾝｻｰ評価、X線CT"
    for q in ["顕微", "sem", "SEM", "ｓｅｍ", "センサー", "せんさ", "X線", "ｘ線", "顕微 X線"]:
        assert matches(q, doc), q
        assert query_terms(q) <= tokens(doc), q
    assert not matches("医療", doc)
    assert not matches("", doc)


def test_highlight_maps_back_to_original_text():
    text = "走査型電子顕微鏡（ＳＥＭ）とｾﾝｻｰ"
    spans = highlight(text, "顕微 sem センサー")
    assert [text[s:e] for s, e in spans] == ["顕微", "ＳＥＭ", "ｾﾝｻ"]
    assert highlight_html("a<b>材料", [(4, 6)]) == "a&lt;b&gt;<mark>材料</mark>"


def test_snippet_centres_on_the_first_match():
    text = "あ" * 100 + "材料" + "い" * 100
    snip = snippet(text, "材料", width=40)
    assert snip.text.startswith("…") and snip.text.endswith("…")
    assert [snip.text[s:e] for s, e in snip.spans] == ["材料"]
    short = snippet("医療機器の材料", "材料")
    assert short.text == "医療機器の材料"
    assert short.spans == [(5, 7)]
    assert short.html() == "医療機器の<mark>材料</mark>"


# --- recall property: the index never misses what the substring scan finds -----------------

ALPHABET = list(
    "材料医療顕微鏡線装置分析食品ロボットセンサーサーバｾﾝｻｰｺﾝﾋﾟｭｰﾀｰかなカナー"
    "XxSEMsemＳＥＭ0123４５-－−・（）() 　、。/"
)
texts = st.text(alphabet=ALPHABET, max_size=40)


@settings(max_examples=400, deadline=None)
@given(doc=texts, start=st.integers(0, 40), length=st.integers(1, 12))
def test_recall_for_substrings_of_the_document(doc, start, length):
    q = doc[start : start + length]
    if matches(q, doc):
        assert query_terms(q) <= tokens(doc)


@settings(max_examples=400, deadline=None)
@given(doc=texts, q=st.text(alphabet=ALPHABET, max_size=8))
def test_recall_for_any_query(doc, q):
    if matches(q, doc):
        assert query_terms(q) <= tokens(doc)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)
    # Any Unicode, any query: recall still holds for the text against itself.
    for q in query_words(text):
        assert query_terms(q) <= tokens(text)
