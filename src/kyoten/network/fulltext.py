"""The database's own inverted index over the search entries: SQLite FTS5, PostgreSQL GIN.

One row per `SearchEntry` (same id) in `network_searchfts`:

* SQLite: an FTS5 virtual table with two columns, ``t`` (the title) and ``b`` (the whole
  normalised text, title included);
* PostgreSQL: a table ``(entry_id, doc tsvector, exact)`` with a GIN index on ``doc``; the text's
  terms carry no weight label, the title's terms weight ``A``.

Both hold the *token stream* of `kyoten.core.textsearch.stream`: the bigrams of every run in order,
with a gap between runs, so a phrase of consecutive bigrams matches inside one run only. Terms are
written as ASCII (``x`` + the hex code of each character: 顕微 → ``x9855x5fae``), so no tokenizer
or text-search parser can split, fold or drop them; whole Latin words (ranking only) are written
``w`` + hex, the gap between runs is the token ``q`` (never queried).

A word of two or more word characters matches a text exactly when its phrase of bigrams occurs:
the index alone answers it. Other words (with punctuation inside, or a single character) are
checked against the normalised text of the candidates. A tsvector keeps at most 16,383 positions
and 256 per lexeme: a longer text is stored without positions and marked ``exact = false``, and
its candidates are checked against the text too, so no match is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from kyoten.core.textsearch import latin_words, stream

TABLE = "network_searchfts"
GAP = "q"
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS = 256


def enc(term: str) -> str:
    """A term as one ASCII token (``x`` + hex code of each character)."""
    return "x" + "x".join(f"{ord(c):x}" for c in term)


def enc_word(word: str) -> str:
    """A whole Latin word (ranking only) as one ASCII token, never equal to a term's."""
    return "w" + "x".join(f"{ord(c):x}" for c in word)


# --- schema (used by migration 0004_search_index and the rebuild) ----------------------------


def create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " entry_id bigint PRIMARY KEY REFERENCES network_searchentry (id)"
            " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
            " doc tsvector NOT NULL, exact boolean NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} USING gin (doc)",
        ]
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5"
        "(t, b, tokenize = 'ascii', columnsize = 0, detail = full)"
    ]


def drop_statements(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {TABLE}"]


# --- documents --------------------------------------------------------------------------------


def _sqlite_column(normalised: str) -> str:
    runs = [" ".join(map(enc, terms)) for terms in stream(normalised)]
    words = " ".join(enc_word(w) for w in sorted(latin_words(normalised)))
    return f" {GAP} ".join([*runs, words] if words else runs)


def _pg_document(norm_title: str, norm_text: str) -> tuple[str, bool]:
    """A tsvector literal for one entry, and whether its positions are all kept."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for label, normalised in (("", norm_text), ("A", norm_title)):
        for terms in stream(normalised):
            for term in terms:
                positions.setdefault(enc(term), []).append(f"{pos}{label}")
                pos += 1
            pos += 1  # the gap between runs
        for word in sorted(latin_words(normalised)):
            positions.setdefault(enc_word(word), []).append(f"{pos}{label}")
            pos += 2
    exact = pos <= PG_MAX_POSITION and all(len(p) <= PG_MAX_POSITIONS for p in positions.values())
    if exact:
        return " ".join(f"{lex}:{','.join(p)}" for lex, p in positions.items()), True
    return " ".join(positions), False


def write(rows: Iterable[tuple[int, str, str]]) -> None:
    """Add or replace the index rows of entries given as (id, normalised title, normalised text)."""
    rows = list(rows)
    if not rows:
        return
    remove([r[0] for r in rows])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = []
            for entry_id, norm_title, norm_text in rows:
                doc, exact = _pg_document(norm_title, norm_text)
                values.append((entry_id, doc, exact))
            cursor.executemany(
                f"INSERT INTO {TABLE} (entry_id, doc, exact) VALUES (%s, %s::tsvector, %s)",  # noqa: S608
                values,
            )
        else:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, t, b) VALUES (%s, %s, %s)",  # noqa: S608
                [(i, _sqlite_column(t), _sqlite_column(b)) for i, t, b in rows],
            )


def remove(entry_ids: Sequence[int]) -> None:
    key = "entry_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        for start in range(0, len(entry_ids), 500):
            ids = list(entry_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE {key} IN ({marks})", ids)  # noqa: S608


def remove_all() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def rebuild(batch_size: int = 2000) -> int:
    """Rebuild every row from the entries' stored normalised text. Returns the count."""
    from kyoten.network.models import SearchEntry

    remove_all()
    count = 0
    batch: list[tuple[int, str, str]] = []
    rows = SearchEntry.objects.order_by("id").values_list("id", "norm_title", "norm_text")
    for row in rows.iterator(chunk_size=batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            write(batch)
            count += len(batch)
            batch = []
    write(batch)
    count += len(batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")  # noqa: S608
    return count


# --- queries ----------------------------------------------------------------------------------


def _fts_phrase(phrase: Sequence[str]) -> str:
    return '"' + " ".join(map(enc, phrase)) + '"'


def _pg_phrase(phrase: Sequence[str], label: str = "") -> str:
    return " <-> ".join(f"'{enc(t)}'{label}" for t in phrase)


class Query:
    """SQL fragments answering the phrases of a query from the index.

    `phrases_by_word`: per query word its phrases (`textsearch.word_phrases`); `checked`: the
    words whose match the index cannot decide alone (their LIKE check is added by the caller);
    `rank_words`: whole Latin words that add rank."""

    def __init__(
        self,
        phrases_by_word: Sequence[Sequence[Sequence[str]]],
        rank_words: Sequence[str],
        like: str,
    ) -> None:
        self.words = [list(p) for p in phrases_by_word if p]
        self.rank_words = list(rank_words)
        self.like = like  # the LIKE checks of the words the index decides (for PostgreSQL)
        self.pg = connection.vendor == "postgresql"

    # FROM … WHERE <match> ; the entry table is aliased `e`.
    def source(self, entry_table: str) -> tuple[str, str, list]:
        if self.pg:
            phrases = [p for word in self.words for p in word]
            all_terms = " & ".join(f"'{enc(t)}'" for p in phrases for t in p)
            exact = " & ".join(f"({_pg_phrase(p)})" for p in phrases)
            sql_from = f"{TABLE} s JOIN {entry_table} e ON e.id = s.entry_id"
            match = (
                "s.doc @@ %s::tsquery AND "
                f"(CASE WHEN s.exact THEN s.doc @@ %s::tsquery ELSE {self.like[0]} END)"
            )
            return sql_from, match, [all_terms, exact, *self.like[1]]
        expr = " AND ".join(_fts_phrase(p) for word in self.words for p in word)
        return f"{TABLE} JOIN {entry_table} e ON e.id = {TABLE}.rowid", f"{TABLE} MATCH %s", [expr]

    def score(self) -> tuple[str, list]:
        """Per word 3 when it is in the title, else 1; a whole Latin word adds 3 (title) or 1."""
        parts, params = [], []
        if self.pg:
            for word in self.words:
                parts.append("CASE WHEN s.doc @@ %s::tsquery THEN 3 ELSE 1 END")
                params.append(" & ".join(f"({_pg_phrase(p, ':A')})" for p in word))
            for w in self.rank_words:
                parts.append(
                    "CASE WHEN s.doc @@ %s::tsquery THEN 3 WHEN s.doc @@ %s::tsquery THEN 1 ELSE 0 END"
                )
                params.extend([f"'{enc_word(w)}':A", f"'{enc_word(w)}'"])
            return " + ".join(parts), params
        sub = f"e.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"  # noqa: S608
        for word in self.words:
            parts.append(f"CASE WHEN {sub} THEN 3 ELSE 1 END")
            params.append("t : (" + " AND ".join(_fts_phrase(p) for p in word) + ")")
        for w in self.rank_words:
            parts.append(f"CASE WHEN {sub} THEN 3 WHEN {sub} THEN 1 ELSE 0 END")
            params.extend([f"t : {enc_word(w)}", f"b : {enc_word(w)}"])
        return " + ".join(parts), params


def term_count(term: str) -> int:
    """How many entries hold a term (for the scan-or-index choice)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE doc @@ %s::tsquery",  # noqa: S608
                [f"'{enc(term)}'"],
            )
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [f"b : {enc(term)}"],
            )
        return cursor.fetchone()[0]
