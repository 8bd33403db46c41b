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

from kyoten.core.textsearch import stream

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
            # No foreign key to the entries: Django's flush truncates its own tables only and
            # PostgreSQL refuses to truncate a table another one references. Every delete of
            # an entry removes its row here (`remove`), and a search skips a row whose entry
            # is gone.
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " entry_id bigint PRIMARY KEY, doc tsvector NOT NULL, exact boolean NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} USING gin (doc)",
            f"CREATE INDEX IF NOT EXISTS {TABLE}_inexact ON {TABLE} (entry_id) WHERE NOT exact",
        ]
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5"
        "(t, b, f, tokenize = 'ascii', columnsize = 0, detail = full)"
    ]


def drop_statements(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {TABLE}"]


# --- documents --------------------------------------------------------------------------------

FILTER_COLUMNS = ("kind", "prefecture", "block", "field", "hub_id_ref", "public")


def filter_token(name: str, value) -> str:
    """A filter value as one ASCII token (``z`` + hex), so the index answers filters too."""
    if name == "public":
        return "zpublic" if value else "zprivate"
    return "z" + "x".join(f"{ord(c):x}" for c in f"{name}={value}")


def _filter_tokens(values: dict) -> list[str]:
    return [
        filter_token(name, values.get(name))
        for name in FILTER_COLUMNS
        if name == "public" or values.get(name) not in (None, "")
    ]


def _sqlite_column(normalised: str) -> str:
    return f" {GAP} ".join(" ".join(map(enc, terms)) for terms in stream(normalised))


def _pg_document(norm_title: str, norm_text: str, filters: Sequence[str]) -> tuple[str, bool]:
    """A tsvector literal for one entry, and whether its positions are all kept."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for label, normalised in (("", norm_text), ("A", norm_title)):
        for terms in stream(normalised):
            for term in terms:
                positions.setdefault(enc(term), []).append(f"{pos}{label}")
                pos += 1
            pos += 1  # the gap between runs
    exact = pos <= PG_MAX_POSITION and all(len(p) <= PG_MAX_POSITIONS for p in positions.values())
    lexemes = [f"{lex}:{','.join(p)}" for lex, p in positions.items()] if exact else positions
    return " ".join([*lexemes, *filters]), exact


def write(rows: Iterable[tuple]) -> None:
    """Add or replace the index rows of entries given as (id, normalised title, normalised text,
    {filter column: value})."""
    rows = list(rows)
    if not rows:
        return
    remove([r[0] for r in rows])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = []
            for entry_id, norm_title, norm_text, filters in rows:
                doc, exact = _pg_document(norm_title, norm_text, _filter_tokens(filters))
                values.append((entry_id, doc, exact))
            cursor.executemany(
                f"INSERT INTO {TABLE} (entry_id, doc, exact) VALUES (%s, %s::tsvector, %s)",  # noqa: S608
                values,
            )
        else:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, t, b, f) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [
                    (i, _sqlite_column(t), _sqlite_column(b), " ".join(_filter_tokens(f)))
                    for i, t, b, f in rows
                ],
            )


def entry_row(entry) -> tuple:
    return (
        entry.pk,
        entry.norm_title,
        entry.norm_text,
        {name: getattr(entry, name) for name in FILTER_COLUMNS},
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


def optimise() -> None:
    """Merge the index into one segment (SQLite) / refresh the planner's statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")  # noqa: S608
        else:
            cursor.execute(f"ANALYZE {TABLE}")


def rebuild(batch_size: int = 2000) -> int:
    """Rebuild every row from the entries' stored normalised text. Returns the count."""
    from kyoten.network.models import SearchEntry

    remove_all()
    count = 0
    batch: list[tuple] = []
    for entry in SearchEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        batch.append(entry_row(entry))
        if len(batch) >= batch_size:
            write(batch)
            count += len(batch)
            batch = []
    write(batch)
    count += len(batch)
    optimise()
    return count


# --- queries ----------------------------------------------------------------------------------


def _fts_phrase(phrase: Sequence[str]) -> str:
    return '"' + " ".join(map(enc, phrase)) + '"'


def _pg_phrase(phrase: Sequence[str], label: str = "") -> str:
    return "(" + " <-> ".join(f"'{enc(t)}'{label}" for t in phrase) + ")"


class Native:
    """A query answered by the index alone: every word is one run of two or more characters
    (its phrase decides), and the filters are tokens of the index too.

    Rank: per word 3 when it is in the title, else 1. The matches of one rank form a *tier*;
    tiers are listed best first, each in id order, so the first page reads the first rows of one
    or two tiers (the index walks in id order and stops) and the count is the index's own."""

    MAX_TIER_WORDS = 4

    def __init__(self, words: Sequence[Sequence[str]], filters) -> None:
        self.words = [list(w) for w in words]  # one phrase (bigram list) per word
        self.pg = connection.vendor == "postgresql"
        self.filters = self._filter_groups(filters)

    @staticmethod
    def _filter_groups(filters) -> list[list[str]]:
        groups = []
        if not filters.include_private:
            groups.append([filter_token("public", True)])
        for name, values in (
            ("kind", filters.kinds),
            ("prefecture", filters.prefectures),
            ("block", filters.blocks),
            ("field", filters.fields),
            ("hub_id_ref", filters.hub_ids),
        ):
            if values:
                groups.append([filter_token(name, v) for v in values])
        return groups

    @property
    def tiered(self) -> bool:
        return len(self.words) <= self.MAX_TIER_WORDS

    # expressions in the index's own query language
    def _and(self, parts: Sequence[str]) -> str:
        return (" & " if self.pg else " AND ").join(parts)

    def _or(self, parts: Sequence[str]) -> str:
        return "(" + (" | " if self.pg else " OR ").join(parts) + ")"

    def _phrase(self, phrase: Sequence[str], title: bool = False) -> str:
        if self.pg:
            return _pg_phrase(phrase, ":A" if title else "")
        return ("t : " if title else "") + _fts_phrase(phrase)

    def base(self) -> str:
        parts = [self._phrase(w) for w in self.words]
        parts += [self._or(group) if len(group) > 1 else group[0] for group in self.filters]
        return self._and(parts)

    def tiers(self) -> list[tuple[int, str]]:
        """(score, expression) from the best score down; together they are `base()`."""
        from itertools import combinations

        n = len(self.words)
        found = []
        for in_title in range(n, -1, -1):
            options = []
            for subset in combinations(range(n), in_title):
                inside = [self._phrase(self.words[i], True) for i in subset]
                outside = [self._phrase(self.words[i], True) for i in range(n) if i not in subset]
                if self.pg:
                    options.append(self._and([*inside, *(f"!{p}" for p in outside)]))
                else:
                    left = "(" + self._and(inside) + ")" if inside else ""
                    options.append(left + "".join(f" NOT {p}" for p in outside))
            if self.pg:
                expr = self._and([self.base(), self._or(options)])
            elif in_title:
                expr = self._and([f"({self.base()})", self._or(options)])
            else:
                expr = f"({self.base()})" + options[0]
            found.append((n + 2 * in_title, expr))
        return found

    # SQL
    def select(self, expr: str, columns: str = "id") -> tuple[str, list]:
        """Entry ids (as `id`) whose index row matches `expr`."""
        if self.pg:
            return (
                f"SELECT s.entry_id AS {columns} FROM {TABLE} s WHERE s.doc @@ %s::tsquery",  # noqa: S608
                [expr],
            )
        return f"SELECT rowid AS {columns} FROM {TABLE} WHERE {TABLE} MATCH %s", [expr]  # noqa: S608


def all_exact() -> bool:
    """False when some row lost its positions (PostgreSQL, very long texts): then phrases are
    checked against the text (`search` takes its general path)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE NOT exact)")  # noqa: S608
        return not cursor.fetchone()[0]


def general_match(phrases: Sequence[Sequence[str]], like: tuple[str, list]) -> tuple[str, list]:
    """A condition on the index row (alias `s` on PostgreSQL) for the general path: every
    phrase occurs; on a row without positions, `like` (checks on `e.norm_text`) decides."""
    if connection.vendor == "postgresql":
        terms = " & ".join(f"'{enc(t)}'" for p in phrases for t in p)
        exact = " & ".join(_pg_phrase(p) for p in phrases)
        return (
            f"s.doc @@ %s::tsquery AND (CASE WHEN s.exact THEN s.doc @@ %s::tsquery "
            f"ELSE {like[0]} END)",
            [terms, exact, *like[1]],
        )
    return f"{TABLE} MATCH %s", [" AND ".join(map(_fts_phrase, phrases))]


def general_source(entry_table: str) -> str:
    if connection.vendor == "postgresql":
        return f"{TABLE} s JOIN {entry_table} e ON e.id = s.entry_id"
    return f"{TABLE} JOIN {entry_table} e ON e.id = {TABLE}.rowid"


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
