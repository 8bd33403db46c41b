"""Japanese-aware text search primitives shared by every search in kyoten (pure Python, no DB).

The index is built from **character bigrams** of normalised text, because Japanese has no
spaces between words and the commonest queries are two-character words (材料, 医療, 顕微, X線).

Definitions (the contract every index built on this module keeps):

* ``normalise(text)``: NFKC (full-/half-width forms agree: ＳＥＭ = SEM, ｾﾝｻｰ = センサー),
  lower case, katakana → hiragana (センサー = せんさー), hyphen-like marks after kana read as
  the long-vowel mark ー, a long-vowel mark ending a kana word dropped (コンピューター =
  コンピュータ, サーバー = サーバ), all runs of white space (the ideographic space included)
  collapsed to one space, and leading/trailing space removed. Idempotent.
* A *run* is a maximal sequence of word characters (letters and digits of any script, kana,
  kanji, and ー) of the normalised text; punctuation, symbols and spaces separate runs.
* ``tokens(text)``: the index terms of a document: every bigram inside each run, the character of
  every one-character run, and every whole Latin/digit word of 3+ characters (``sem``,
  ``2026``; used for ranking only, never required for a match).
* ``query_words(q)``: the normalised query split on spaces; a document *matches* a query when
  every word is a substring of the normalised document (this is the "substring scan").
* ``query_terms(q)``: the terms the index must hold for a match. For every word of two or more
  characters: its run-internal bigrams (plus the character of a one-character run that is
  enclosed by punctuation inside the word, as in ``(x)``). If ``normalise(q)``'s words are all
  substrings of ``normalise(d)`` then ``query_terms(q) <= tokens(d)``: the index never misses a
  document the substring scan finds (property-tested).
* One-character words (``線``, ``x``) have no bigram; ``query_terms`` gives them no term and
  ``needs_scan(q)`` is true: a search must check those words by a substring scan (over the
  candidates of the other words if there are any, else over all entries).

Search stores, per entry, the distinct terms and checks candidates against the normalised text,
so its results equal the substring scan exactly (same recall, same precision).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Highlighted",
    "highlight",
    "highlight_html",
    "is_single_run",
    "is_word_char",
    "latin_words",
    "matches",
    "needs_scan",
    "normalise",
    "query_terms",
    "query_words",
    "rank_terms",
    "run_terms",
    "runs",
    "snippet",
    "stream",
    "tokens",
    "word_phrases",
]

LONG_VOWEL = "\u30fc"  # ー
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff70\u002d\uff0d"
_KATA_START, _KATA_END = 0x30A1, 0x30F6  # ァ … ヶ
_KANA_OFFSET = 0x60
_SPACE_RE = re.compile(r"\s+")
MAX_WORD_TOKEN = 32


def _is_kana(ch: str) -> bool:
    """Hiragana, katakana and ー (not the middle dot ・ or the double hyphen ゠)."""
    return ("\u3041" <= ch <= "\u309f" or "\u30a1" <= ch <= "\u30ff") and ch != "\u30fb"


def is_word_char(ch: str) -> bool:
    """Letters and digits of any script (kana and kanji included) and ー; not ``_``."""
    return ch.isalnum() or ch == LONG_VOWEL


# str.isalnum() is exactly what `\w` minus `_` matches in `re`'s Unicode mode.
_RUN_RE = re.compile("(?:[^\\W_]|\u30fc)+")


_KANA_TABLE = {code: code - _KANA_OFFSET for code in range(_KATA_START, _KATA_END + 1)}
_KANA_TABLE.update({0x30FD: 0x309D, 0x30FE: 0x309E})  # ヽヾ → ゝゞ
_KANA_CLASS = "\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff"
_HYPHEN_AFTER_KANA_RE = re.compile(f"(?<=[{_KANA_CLASS}])[{re.escape(_HYPHENS)}]+")
_KANA_NOT_LONG_VOWEL = "\u3041-\u309f\u30a1-\u30fa\u30fd-\u30ff"
_LONG_VOWEL_RUN_RE = re.compile(f"(?<=[{_KANA_NOT_LONG_VOWEL}])\u30fc+")


def _fold_char(ch: str) -> str:
    """Per-character folding after NFKC: lower case, katakana → hiragana."""
    return ch.lower().translate(_KANA_TABLE)


def _light(text: str) -> str:
    """NFKC + lower + katakana→hiragana + hyphens after kana read as ー (no dropping)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_KANA_TABLE)
    # Lower-casing can leave a string that NFKC changes again in rare cases: normalise again.
    folded = unicodedata.normalize("NFKC", folded)
    return _HYPHEN_AFTER_KANA_RE.sub(lambda m: LONG_VOWEL * len(m.group()), folded)


def _drop_final_long_vowel(match: re.Match) -> str:
    end = match.end()
    text = match.string
    if end == len(text) or not is_word_char(text[end]):
        return ""
    return match.group()


def normalise(text: str) -> str:
    """The normal form both documents and queries are compared in (see the module docstring)."""
    if not text:
        return ""
    light = _LONG_VOWEL_RUN_RE.sub(_drop_final_long_vowel, _light(text))
    return _SPACE_RE.sub(" ", light).strip()


def runs(normalised: str) -> list[str]:
    """Maximal sequences of word characters of an already normalised text."""
    return _RUN_RE.findall(normalised)


def _latin_words(run: str) -> list[str]:
    return [w for w in re.findall(r"[0-9a-z]+", run) if 3 <= len(w) <= MAX_WORD_TOKEN]


def tokens(text: str) -> set[str]:
    """Index terms of a document: bigrams of each run, 1-char runs, whole Latin/digit words."""
    result: set[str] = set()
    for run in runs(normalise(text)):
        if len(run) == 1:
            result.add(run)
            continue
        result.update(map("".join, zip(run, run[1:], strict=False)))
        result.update(_latin_words(run))
    return result


def query_words(q: str) -> list[str]:
    """The normalised words of a query, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in normalise(q).split(" "):
        if word:
            seen.setdefault(word, None)
    return list(seen)


def _word_terms(word: str) -> set[str]:
    terms: set[str] = set()
    # Positions of runs inside the word, to know whether a 1-char run is enclosed.
    i = 0
    n = len(word)
    while i < n:
        if not is_word_char(word[i]):
            i += 1
            continue
        j = i
        while j < n and is_word_char(word[j]):
            j += 1
        run = word[i:j]
        if len(run) >= 2:
            terms.update(run[k : k + 2] for k in range(len(run) - 1))
        elif i > 0 and j < n:
            # Bounded by punctuation on both sides inside the query: in any document holding
            # the word, this character is a one-character run too.
            terms.add(run)
        i = j
    return terms


def query_terms(q: str) -> set[str]:
    """Terms every matching document's ``tokens`` holds (empty for 1-char-only queries)."""
    terms: set[str] = set()
    for word in query_words(q):
        terms |= _word_terms(word)
    return terms


def rank_terms(q: str) -> set[str]:
    """Extra terms that raise the rank when present (whole Latin/digit words), never required."""
    extra: set[str] = set()
    for word in query_words(q):
        for run in runs(word):
            extra.update(_latin_words(run))
    return extra - query_terms(q)


def needs_scan(q: str) -> bool:
    """True when some word of the query has no index term (one word character, e.g. ``線``)."""
    return any(not _word_terms(word) for word in query_words(q))


def matches(q: str, text: str) -> bool:
    """The substring scan: every normalised query word occurs in the normalised text."""
    words = query_words(q)
    if not words:
        return False
    norm = normalise(text)
    return all(word in norm for word in words)


# --- highlighting -------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _light_char(ch: str) -> str:
    return ch if ch in _HYPHENS else _light(ch)


def _mapped(text: str) -> tuple[str, list[int]]:
    """Light-normalised text with, for each of its characters, the index of its source char."""
    out: list[str] = []
    origin: list[int] = []
    for idx, ch in enumerate(text):
        piece = _light_char(ch)
        for c in piece:
            out.append(c)
            origin.append(idx)
    light = list(out)
    for i in range(1, len(light)):
        if light[i] in _HYPHENS and _is_kana(light[i - 1]):
            light[i] = LONG_VOWEL
        elif light[i].isspace():
            light[i] = " "
    return "".join(light), origin


def highlight(text: str, q: str) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` spans of ``text`` where a query word occurs."""
    if not text:
        return []
    light, origin = _mapped(text)
    spans: list[tuple[int, int]] = []
    for word in query_words(q):
        variants = {word, re.sub(" +", " ", word)}
        for variant in variants:
            start = light.find(variant)
            while start != -1:
                end = start + len(variant)
                spans.append((origin[start], origin[end - 1] + 1))
                start = light.find(variant, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


@dataclass(frozen=True)
class Highlighted:
    text: str
    spans: list[tuple[int, int]]

    def html(self) -> str:
        return highlight_html(self.text, self.spans)


def snippet(text: str, q: str, width: int = 80) -> Highlighted:
    """About ``width`` characters of ``text`` around the first match, with the spans in it."""
    text = _SPACE_RE.sub(" ", text or "").strip()
    spans = highlight(text, q)
    if len(text) <= width:
        return Highlighted(text, spans)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    shift = len(prefix) - start
    inside = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end
    ]
    return Highlighted(prefix + body + suffix, inside)


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML-escaped text with each span wrapped in ``<mark>``."""
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


# --- token streams for a database's own full-text index -----------------------------------
#
# A database's inverted index (SQLite FTS5, a PostgreSQL tsvector) sees a document as a
# sequence of tokens. `stream(normalised)` gives, per run of the normalised text, its bigrams in
# order (or the character of a one-character run). Between runs a search keeps a gap, so that a
# *phrase* of consecutive bigrams only matches inside one run. Then, for a word made of one run
# of two or more characters, "word is a substring of the text" is exactly "the phrase of the
# word's bigrams occurs in the stream" (a run of word characters cannot straddle two runs of the
# text): the index alone decides, without reading the text.


def run_terms(run: str) -> list[str]:
    """The terms of one run in order: its bigrams, or the run itself when it has one character."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def stream(normalised: str) -> list[list[str]]:
    """Per run of an already normalised text, its terms in order (see `run_terms`)."""
    return [run_terms(run) for run in runs(normalised)]


def latin_words(normalised: str) -> set[str]:
    """Whole Latin/digit words of 3+ characters of an already normalised text (ranking only)."""
    found: set[str] = set()
    for run in runs(normalised):
        found.update(_latin_words(run))
    return found


def is_single_run(word: str) -> bool:
    """A normalised word of two or more word characters: its phrase of bigrams decides a match."""
    return len(word) >= 2 and all(is_word_char(c) for c in word)


def word_phrases(word: str) -> list[list[str]]:
    """Phrases (term sequences) every text containing the normalised `word` holds in its stream:
    the bigrams of each run of two or more characters, and a one-character run enclosed by
    punctuation inside the word (as in ``(x)``). Empty for a one-character word."""
    phrases: list[list[str]] = []
    i, n = 0, len(word)
    while i < n:
        if not is_word_char(word[i]):
            i += 1
            continue
        j = i
        while j < n and is_word_char(word[j]):
            j += 1
        run = word[i:j]
        if len(run) >= 2 or (i > 0 and j < n):
            phrases.append(run_terms(run))
        i = j
    return phrases
