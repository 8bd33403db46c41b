"""Network-wide Japanese search: an inverted index of character bigrams in two plain tables.

`SearchEntry` holds one row per searchable thing (its title, body, normalised text and the
filter columns); `SearchTerm(term, entry, weight)` holds its distinct index terms
(`kyoten.core.textsearch.tokens`). A query walks the posting list of one term through the
B-tree index on `(term, entry, weight)` and probes the same index for each other term (a join
per term, at most six terms that cover every character of the words), checks words longer than
one bigram against the normalised text of those candidates only, and ranks by the summed weights
(a term in the title weighs 3, in the body 1; whole Latin words such as `sem` add rank).
The same SQL runs on SQLite and PostgreSQL, and both answer it from the index, not by a scan.

One-character words (`線`) have no bigram: they are checked by a substring scan, over the
candidates of the query's other words when there are any, else over all entries.

Results equal the substring scan over the normalised text exactly (see bench/bench_search.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.core.errors import DomainError
from kyoten.core.reference import BLOCKS, prefectures
from kyoten.core.textsearch import (
    Highlighted,
    highlight,
    is_word_char,
    normalise,
    query_terms,
    query_words,
    rank_terms,
    runs,
    snippet,
    tokens,
)
from kyoten.network.enums import Field, Kind
from kyoten.network.models import SearchEntry, SearchTerm

TITLE_WEIGHT = 3
BODY_WEIGHT = 1
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs to know about one thing."""

    kind: str
    object_id: int
    title: str
    body: str = ""
    hub_id: int | None = None
    hub_name: str = ""
    prefecture: str = ""
    block: str = ""
    field: str = ""
    public: bool = True
    url: str = ""


def postings(title: str, body: str) -> dict[str, int]:
    """term → weight for one entry (title terms weigh more)."""
    weights = dict.fromkeys(tokens(body), BODY_WEIGHT)
    for term in tokens(title):
        weights[term] = TITLE_WEIGHT
    return weights


def _entry_fields(doc: IndexDoc) -> dict:
    block = doc.block
    if not block and doc.prefecture in prefectures():
        block = prefectures()[doc.prefecture].block
    return {
        "title": doc.title[:300],
        "body": doc.body,
        "norm_title": normalise(doc.title),
        "norm_text": normalise(f"{doc.title} {doc.body}"),
        "hub_id_ref": doc.hub_id,
        "hub_name": doc.hub_name[:200],
        "prefecture": doc.prefecture or "",
        "block": block or "",
        "field": doc.field or "",
        "public": doc.public,
        "url": doc.url[:300],
        "updated_at": timezone.now(),
    }


PUBLIC_COUNTS_KEY = "network:public-counts:v1"


def forget_public_counts() -> None:
    """Every write to the index drops the cached public counts (`selectors.public_counts`), now
    and again once the transaction commits (no process keeps counts computed before it)."""
    cache.delete(PUBLIC_COUNTS_KEY)
    transaction.on_commit(lambda: cache.delete(PUBLIC_COUNTS_KEY))


@transaction.atomic
def index_entry(doc: IndexDoc) -> SearchEntry:
    """Add or refresh one thing in the index."""
    entry, _created = SearchEntry.objects.update_or_create(
        kind=doc.kind, object_id=doc.object_id, defaults=_entry_fields(doc)
    )
    SearchTerm.objects.filter(entry=entry).delete()
    SearchTerm.objects.bulk_create(
        SearchTerm(term=term, entry=entry, weight=weight)
        for term, weight in postings(doc.title, doc.body).items()
    )
    forget_public_counts()
    return entry


def index_object(kind: str, object_id: int, title: str, body: str = "", **filters) -> SearchEntry:
    """Keyword form of `index_entry` (filters: hub_id, hub_name, prefecture, block, field, …)."""
    return index_entry(IndexDoc(kind=kind, object_id=object_id, title=title, body=body, **filters))


def unindex(kind: str, object_id: int) -> None:
    _delete_entries(kind, [object_id])


TERM_INDEX = "searchterm_term_entry"
REBUILD_INDEX_FROM = 3000  # documents; above this a bulk load rebuilds the term index once


def _delete_entries(kind: str, object_ids: Sequence[int]) -> None:
    entry_table = SearchEntry._meta.db_table
    term_table = SearchTerm._meta.db_table
    forget_public_counts()
    with connection.cursor() as cursor:
        for start in range(0, len(object_ids), 500):
            ids = list(object_ids[start : start + 500])
            where = f"kind = %s AND object_id IN ({_placeholders(ids)})"
            cursor.execute(
                f"DELETE FROM {term_table} WHERE entry_id IN "  # noqa: S608
                f"(SELECT id FROM {entry_table} WHERE {where})",
                [kind, *ids],
            )
            cursor.execute(f"DELETE FROM {entry_table} WHERE {where}", [kind, *ids])  # noqa: S608


def clear_index() -> None:
    """Empty the index (two statements, no per-row work)."""
    forget_public_counts()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchTerm._meta.db_table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")  # noqa: S608


@transaction.atomic
def index_bulk(docs: Iterable[IndexDoc], *, batch_size: int = 2000, replace: bool = True) -> int:
    """Index many things fast (entries of the same kind and id are replaced). Returns the count.

    Large loads drop the term index, insert the postings in entry order and build the index
    once at the end (sorting once is far cheaper than inserting into a B-tree row by row)."""
    docs = list(docs)
    forget_public_counts()
    if replace:
        for kind in {d.kind for d in docs}:
            _delete_entries(kind, [d.object_id for d in docs if d.kind == kind])
    term_table = SearchTerm._meta.db_table
    rebuild = len(docs) >= REBUILD_INDEX_FROM
    insert = f"INSERT INTO {term_table} (term, entry_id, weight) VALUES (%s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute(f"DROP INDEX {TERM_INDEX}")
        for start in range(0, len(docs), batch_size):
            chunk = docs[start : start + batch_size]
            entries = SearchEntry.objects.bulk_create(
                SearchEntry(kind=d.kind, object_id=d.object_id, **_entry_fields(d)) for d in chunk
            )
            rows = [
                (term, entry.pk, weight)
                for d, entry in zip(chunk, entries, strict=True)
                for term, weight in postings(d.title, d.body).items()
            ]
            cursor.executemany(insert, rows)
        if rebuild:
            if connection.vendor == "postgresql":
                # Foreign keys are checked at commit (DEFERRABLE); PostgreSQL refuses to build an
                # index on a table with checks pending, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                f"CREATE INDEX {TERM_INDEX} ON {term_table} (term, entry_id, weight)"  # noqa: S608
            )
    return len(docs)


# --- querying ---------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    url: str
    hub_id: int | None
    hub_name: str
    prefecture: str
    block: str
    field: str
    score: int
    title_highlights: list[tuple[int, int]]
    snippet: Highlighted

    @property
    def title_html(self) -> str:
        return Highlighted(self.title, self.title_highlights).html()


@dataclass
class SearchResult:
    count: int
    hits: list[Hit] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    hub_ids: tuple[int, ...] = ()
    include_private: bool = False


def make_filters(
    *,
    kinds: Sequence[str] | None = None,
    prefecture_codes: Sequence[str] | None = None,
    blocks: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    hub_ids: Sequence[int] | None = None,
    include_private: bool = False,
) -> Filters:
    """Checked filters; an unknown value is a DomainError naming the filter."""
    kinds = [k for k in (kinds or []) if k]
    bad = [k for k in kinds if k not in Kind.values]
    if bad:
        raise DomainError(
            _("unknown kind %(kind)s (one of: %(all)s)")
            % {"kind": bad[0], "all": ", ".join(Kind.values)},
            field="kind",
        )
    prefs = [p for p in (prefecture_codes or []) if p]
    bad = [p for p in prefs if p not in prefectures()]
    if bad:
        raise DomainError(
            _("unknown prefecture %(code)s (a two-digit JIS code, 01–47)") % {"code": bad[0]},
            field="prefecture",
        )
    blocks = [b for b in (blocks or []) if b]
    bad = [b for b in blocks if b not in BLOCKS]
    if bad:
        raise DomainError(
            _("unknown region %(block)s (one of: %(all)s)")
            % {"block": bad[0], "all": ", ".join(BLOCKS)},
            field="region",
        )
    fields = [f for f in (fields or []) if f]
    bad = [f for f in fields if f not in Field.values]
    if bad:
        raise DomainError(
            _("unknown field %(field)s (one of: %(all)s)")
            % {"field": bad[0], "all": ", ".join(Field.values)},
            field="field",
        )
    return Filters(
        kinds=tuple(kinds),
        prefectures=tuple(prefs),
        blocks=tuple(blocks),
        fields=tuple(fields),
        hub_ids=tuple(hub_ids or ()),
        include_private=include_private,
    )


def _placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _exact_by_index(word: str) -> bool:
    """A 2-character word of word characters is one bigram: the posting alone proves it."""
    return len(word) == 2 and all(is_word_char(c) for c in word)


def _where(filters: Filters, words_to_check: Sequence[str]) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if not filters.include_private:
        clauses.append("e.public = %s")
        params.append(True)
    for column, values in (
        ("e.kind", filters.kinds),
        ("e.prefecture", filters.prefectures),
        ("e.block", filters.blocks),
        ("e.field", filters.fields),
        ("e.hub_id_ref", filters.hub_ids),
    ):
        if values:
            clauses.append(f"{column} IN ({_placeholders(values)})")
            params.extend(values)
    for word in words_to_check:
        clauses.append("e.norm_text LIKE %s ESCAPE '\\'")
        params.append(_like_pattern(word))
    return (" AND ".join(clauses) or "1 = 1"), params


MAX_JOIN_TERMS = 6
MAX_RANK_TERMS = 3


def _covering_terms(q: str) -> list[str]:
    """A few required terms that cover every character of the words (non-overlapping bigrams
    first). Any subset of the required terms finds a superset of the matches; the LIKE check on
    the candidates then makes the result exact, so long words cost a few index probes only."""
    chosen: list[str] = []
    required = query_terms(q)
    for word in query_words(q):
        picks = []
        for run in runs(word):
            if len(run) == 1 and run in required:
                picks.append(run)
            bigrams = [run[i : i + 2] for i in range(0, len(run) - 1, 2)]
            if len(run) > 2 and len(run) % 2:
                bigrams.append(run[-2:])
            picks.extend(bigrams)
        chosen.extend(t for t in picks if t in required and t not in chosen)
    return chosen[:MAX_JOIN_TERMS]


# The index walks postings; the scan reads every entry. When even the rarest term is in a large
# share of all entries (e.g. 共同研究 in two thirds of them), reading every entry once is cheaper.
SCAN_SHARE = 0.3
SCAN_CHECK_FROM = 2000  # postings; below this the index always wins and nothing is counted


def _term_counts(terms: Sequence[str]) -> dict[str, int]:
    """Length of each term's posting list (an index-only range count)."""
    term_table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, COUNT(*) FROM {term_table} "  # noqa: S608
            f"WHERE term IN ({_placeholders(terms)}) GROUP BY term",
            list(terms),
        )
        return dict(cursor.fetchall())


def _entry_total() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {SearchEntry._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _scan_sql(words: Sequence[str], filters: Filters) -> tuple[str, list]:
    """Substring scan over every entry; rank: a word in the title counts 3, elsewhere 1."""
    entry_table = SearchEntry._meta.db_table
    where, where_params = _where(filters, words)
    score = " + ".join(
        ["CASE WHEN e.norm_title LIKE %s ESCAPE '\\' THEN 3 ELSE 1 END"] * len(words)
    )
    sql = f"SELECT e.id AS id, {score} AS score FROM {entry_table} e WHERE {where}"  # noqa: S608
    return sql, [*(_like_pattern(w) for w in words), *where_params]


@dataclass(frozen=True)
class Plan:
    sql: str
    params: list
    path: str  # "index", "scan" (unselective or 1-character words) or "empty"


def _matching_sql(q: str, filters: Filters) -> Plan | None:
    q = q[:MAX_QUERY_LENGTH]
    words = query_words(q)
    if not words:
        return None
    entry_table = SearchEntry._meta.db_table
    term_table = SearchTerm._meta.db_table
    terms = _covering_terms(q)
    if not terms:
        return Plan(*_scan_sql(words, filters), path="scan")
    counts = _term_counts(terms)
    if any(counts.get(t, 0) == 0 for t in terms):
        return Plan(f"SELECT e.id AS id, 0 AS score FROM {entry_table} e WHERE 1 = 0", [], "empty")  # noqa: S608
    terms.sort(key=lambda t: (counts[t], t))  # the rarest term drives, the others are probes
    work = counts[terms[0]] * len(terms)
    if work >= SCAN_CHECK_FROM and work > SCAN_SHARE * _entry_total():
        return Plan(*_scan_sql(words, filters), path="scan")
    extra = sorted(rank_terms(q))[:MAX_RANK_TERMS]
    exact = len(terms) == len(query_terms(q)) and all(_exact_by_index(w) for w in words)
    where, where_params = _where(filters, [] if exact else words)
    joins, params = [], []
    score = ["t0.weight"]
    for i, term in enumerate(terms[1:], start=1):
        joins.append(f"JOIN {term_table} t{i} ON t{i}.entry_id = t0.entry_id AND t{i}.term = %s")
        params.append(term)
        score.append(f"t{i}.weight")
    for i, term in enumerate(extra):
        joins.append(
            f"LEFT JOIN {term_table} r{i} ON r{i}.entry_id = t0.entry_id AND r{i}.term = %s"
        )
        params.append(term)
        score.append(f"COALESCE(r{i}.weight, 0)")
    sql = (
        f"SELECT e.id AS id, {' + '.join(score)} AS score FROM {term_table} t0 "  # noqa: S608
        f"{' '.join(joins)} JOIN {entry_table} e ON e.id = t0.entry_id "
        f"WHERE t0.term = %s AND {where}"
    )
    return Plan(sql, [*params, terms[0], *where_params], "index")


def search_ids(q: str, filters: Filters | None = None) -> list[tuple[int, int]]:
    """(entry id, score) of every match, best first (for tests, the benchmark and matching)."""
    plan = _matching_sql(q, filters or Filters())
    if plan is None:
        return []
    return _run(plan)


def _run(plan: Plan) -> list[tuple[int, int]]:
    """Every match of a plan as (entry id, score), best first.

    On PostgreSQL the planner tends to answer the index path with a hash join that reads the
    whole entry table (it cannot know how few entries a bigram has); probing the entries by
    primary key for each posting is what we want, so hash and merge joins are switched off for
    this one statement (`SET LOCAL` inside its own transaction)."""
    sql = f"{plan.sql} ORDER BY score DESC, id ASC"
    with transaction.atomic(), connection.cursor() as cursor:
        if plan.path == "index" and connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(sql, plan.params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def scan_ids(q: str, filters: Filters | None = None) -> set[int]:
    """The plain substring scan over the normalised text (the reference for recall)."""
    words = query_words(q[:MAX_QUERY_LENGTH])
    if not words:
        return set()
    where, params = _where(filters or Filters(), words)
    entry_table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.id FROM {entry_table} e WHERE {where}", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def search(
    q: str,
    filters: Filters | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
    snippet_width: int = 80,
) -> SearchResult:
    """Ranked, paginated search with highlights. An empty query finds nothing."""
    filters = filters or Filters()
    if page < 1:
        raise DomainError(_("page must be 1 or more"), field="page")
    if not 1 <= page_size <= 200:
        raise DomainError(_("page_size must be between 1 and 200"), field="page_size")
    plan = _matching_sql(q, filters)
    words = query_words(q[:MAX_QUERY_LENGTH])
    if plan is None:
        return SearchResult(count=0, words=words)
    # One pass: every match's (id, score), best first; the count is its length. Cheaper than a
    # COUNT query plus a LIMIT query, which would both walk the posting lists.
    matches = _run(plan)
    count = len(matches)
    rows = matches[(page - 1) * page_size : page * page_size]
    scores = {row[0]: row[1] for row in rows}
    entries = SearchEntry.objects.in_bulk(list(scores))
    hits = []
    for entry_id, score in scores.items():
        entry = entries[entry_id]
        hits.append(
            Hit(
                kind=entry.kind,
                id=entry.object_id,
                title=entry.title,
                url=entry.url,
                hub_id=entry.hub_id_ref,
                hub_name=entry.hub_name,
                prefecture=entry.prefecture,
                block=entry.block,
                field=entry.field,
                score=int(score or 0),
                title_highlights=highlight(entry.title, q),
                snippet=snippet(entry.body, q, width=snippet_width),
            )
        )
    return SearchResult(count=count, hits=hits, words=words)
