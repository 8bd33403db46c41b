"""Network-wide Japanese search over an inverted index the database keeps in native code.

`SearchEntry` holds one row per searchable thing (its title, body, normalised text and the
filter columns); `kyoten.network.fulltext` keeps one row per entry in the database's own
full-text index (SQLite FTS5, PostgreSQL tsvector + GIN) holding the entry's bigram stream and
its filter values. A word of two or more word characters is a phrase of its bigrams, decided by
the index alone; other words are checked against the normalised text of the candidates; words of
one character (`線`) by a substring scan. Rank: per word 3 in the title, else 1, then id; the
first page and the count come from the index (tiers of equal rank, each in id order).

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
    is_single_run,
    normalise,
    query_words,
    snippet,
    word_phrases,
)
from kyoten.network import fulltext
from kyoten.network.enums import Field, Kind
from kyoten.network.models import SearchEntry

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
    fulltext.write([fulltext.entry_row(entry)])
    forget_public_counts()
    return entry


def index_object(kind: str, object_id: int, title: str, body: str = "", **filters) -> SearchEntry:
    """Keyword form of `index_entry` (filters: hub_id, hub_name, prefecture, block, field, …)."""
    return index_entry(IndexDoc(kind=kind, object_id=object_id, title=title, body=body, **filters))


def unindex(kind: str, object_id: int) -> None:
    _delete_entries(kind, [object_id])


def _delete_entries(kind: str, object_ids: Sequence[int]) -> None:
    entry_table = SearchEntry._meta.db_table
    forget_public_counts()
    with connection.cursor() as cursor:
        for start in range(0, len(object_ids), 500):
            ids = list(object_ids[start : start + 500])
            where = f"kind = %s AND object_id IN ({_placeholders(ids)})"
            cursor.execute(f"SELECT id FROM {entry_table} WHERE {where}", [kind, *ids])  # noqa: S608
            fulltext.remove([row[0] for row in cursor.fetchall()])
            cursor.execute(f"DELETE FROM {entry_table} WHERE {where}", [kind, *ids])  # noqa: S608


def clear_index() -> None:
    """Empty the index (no per-row work)."""
    forget_public_counts()
    fulltext.remove_all()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")  # noqa: S608


@transaction.atomic
def index_bulk(docs: Iterable[IndexDoc], *, batch_size: int = 2000, replace: bool = True) -> int:
    """Index many things fast (entries of the same kind and id are replaced). Returns the count.

    Entries are bulk-inserted, then their rows of the database's full-text index
    (`kyoten.network.fulltext`) in one statement per batch."""
    docs = list(docs)
    forget_public_counts()
    if replace:
        for kind in {d.kind for d in docs}:
            _delete_entries(kind, [d.object_id for d in docs if d.kind == kind])
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        entries = SearchEntry.objects.bulk_create(
            SearchEntry(kind=d.kind, object_id=d.object_id, **_entry_fields(d)) for d in chunk
        )
        fulltext.write(map(fulltext.entry_row, entries))
    if len(docs) >= OPTIMISE_FROM:
        fulltext.optimise()
    return len(docs)


OPTIMISE_FROM = 3000  # documents; a bulk load this large merges the index once at the end


def rebuild_fulltext() -> int:
    """Rebuild the full-text index from the stored entries (`kyoten search-reindex --fulltext`)."""
    forget_public_counts()
    with transaction.atomic():
        return fulltext.rebuild()


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


# The scan reads every entry; the index answers from posting lists. `SCAN_SHARE` < 1 makes the
# planner scan when even the rarest term of the query is in more than that share of the entries
# (counted from the index, from `SCAN_CHECK_FROM` postings on). The full-text index answers even
# the commonest words (共同研究 in two thirds of the entries) faster than a scan, so it is off.
SCAN_SHARE = 1.0
SCAN_CHECK_FROM = 2000


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
    """The statement listing every match as (id, score), and, when the index alone answers the
    query, its `native` form (tiers of equal score, each in id order)."""

    sql: str
    params: list
    path: str  # "index", "scan" (1-character words only) or "empty"
    native: fulltext.Native | None = None


def _prefer_scan(phrases: Sequence[Sequence[str]]) -> str | None:
    """'scan' or 'empty' when the counts say so (only when `SCAN_SHARE` < 1)."""
    if SCAN_SHARE >= 1:
        return None
    terms = {t for p in phrases for t in p}
    counts = {t: fulltext.term_count(t) for t in terms}
    if any(c == 0 for c in counts.values()):
        return "empty"
    rarest = min(counts.values())
    if rarest >= SCAN_CHECK_FROM and rarest > SCAN_SHARE * _entry_total():
        return "scan"
    return None


def _title_score(words: Sequence[str]) -> tuple[str, list]:
    score = " + ".join(
        ["CASE WHEN e.norm_title LIKE %s ESCAPE '\\' THEN 3 ELSE 1 END"] * len(words)
    )
    return score, [_like_pattern(w) for w in words]


def _matching_sql(q: str, filters: Filters) -> Plan | None:
    """How to list the matches of `q`: from the database's full-text index
    (`kyoten.network.fulltext`) when a word has two or more characters, else by a scan.

    Words of one run of two or more word characters (材料, 電子顕微鏡, x線ct) are decided by
    the index alone (a phrase of their bigrams); other words are checked against the normalised
    text of the index's candidates, so the result is exactly the substring scan's. Rank: per
    word 3 when it is in the title, else 1; equal ranks in id order."""
    q = q[:MAX_QUERY_LENGTH]
    words = query_words(q)
    if not words:
        return None
    entry_table = SearchEntry._meta.db_table
    phrases_by_word = [word_phrases(w) for w in words]
    if not any(phrases_by_word):
        return Plan(*_scan_sql(words, filters), path="scan")
    choice = _prefer_scan([p for ps in phrases_by_word for p in ps])
    if choice == "scan":
        return Plan(*_scan_sql(words, filters), path="scan")
    if choice == "empty":
        return Plan(f"SELECT e.id AS id, 0 AS score FROM {entry_table} e WHERE 1 = 0", [], "empty")  # noqa: S608
    checked = [
        w for w, ps in zip(words, phrases_by_word, strict=True) if not (ps and is_single_run(w))
    ]
    if not checked and fulltext.all_exact():
        native = fulltext.Native([ps[0] for ps in phrases_by_word], filters)
        if native.tiered:
            parts, params = [], []
            for score, expr in native.tiers():
                sql, p = native.select(expr)
                parts.append(f"SELECT id, {score} AS score FROM ({sql}) t{score}")  # noqa: S608
                params += p
            return Plan(" UNION ALL ".join(parts), params, "index", native)
    decided = [w for w in words if w not in checked]
    like = _where(Filters(include_private=True), decided)
    match, match_params = fulltext.general_match([p for ps in phrases_by_word for p in ps], like)
    score, score_params = _title_score(words)
    where, where_params = _where(filters, checked)
    sql = (
        f"SELECT e.id AS id, {score} AS score FROM {fulltext.general_source(entry_table)} "  # noqa: S608
        f"WHERE {match} AND {where}"
    )
    return Plan(sql, [*score_params, *match_params, *where_params], "index")


ORDER = "ORDER BY score DESC, id ASC"


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) m", params)  # noqa: S608
        return cursor.fetchone()[0]


def _rows(sql: str, params: list) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def search_ids(q: str, filters: Filters | None = None) -> list[tuple[int, int]]:
    """(entry id, score) of every match, best first (for tests, the benchmark and matching)."""
    plan = _matching_sql(q, filters or Filters())
    if plan is None:
        return []
    return _rows(f"{plan.sql} {ORDER}", plan.params)


def _native_page(native: fulltext.Native, offset: int, limit: int):
    """Walk the tiers best first: read the page's rows from one or two of them (in id order, the
    index stops after `limit`), count the rest in the index."""
    total, rows = 0, []
    for score, expr in native.tiers():
        sql, params = native.select(expr)
        need = limit - len(rows)
        if need > 0:
            got = _rows(
                f"SELECT id, {score} FROM ({sql}) t ORDER BY id LIMIT %s OFFSET %s",  # noqa: S608
                [*params, need, max(0, offset - total)],
            )
            if offset <= total and len(got) < need:
                size = len(got)  # the whole tier from its start: counted already
            else:
                size = _count(sql, params)
            rows += got
        else:
            size = _count(sql, params)
        total += size
    return total, rows


def search_page_ids(
    q: str, filters: Filters | None = None, *, page: int = 1, page_size: int = 20
) -> tuple[int, list[tuple[int, int]]]:
    """The number of matches and one page of (entry id, score), best first: the database counts
    and ranks, only the page's rows reach Python."""
    plan = _matching_sql(q, filters or Filters())
    if plan is None:
        return 0, []
    offset = (page - 1) * page_size
    if plan.native is not None:
        return _native_page(plan.native, offset, page_size)
    rows = _rows(f"{plan.sql} {ORDER} LIMIT %s OFFSET %s", [*plan.params, page_size, offset])
    if offset == 0 and len(rows) < page_size:
        return len(rows), rows
    return _count(plan.sql, plan.params), rows


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
    words = query_words(q[:MAX_QUERY_LENGTH])
    count, rows = search_page_ids(q, filters, page=page, page_size=page_size)
    if not count:
        return SearchResult(count=count, words=words)
    scores = {row[0]: row[1] for row in rows}
    entries = SearchEntry.objects.in_bulk(list(scores))
    hits = []
    for entry_id, score in scores.items():
        entry = entries.get(entry_id)
        if entry is None:  # removed since the index answered
            continue
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
