"""Benchmark of the network search: bigram index vs a plain substring scan, in the same run.

    PYTHONPATH=src .venv/bin/python bench/bench_search.py [--entries 100000] [--repeat 5]

Uses KYOTEN_DATABASE_URL (default: a fresh SQLite file in /tmp). For PostgreSQL point it to an
empty database: `KYOTEN_DATABASE_URL=postgres://postgres@127.0.0.1:5499/bench`.

It builds N realistic Japanese entries (hubs, equipment, experts, projects, needs, news), then for
each query measures (fastest of --repeat runs, warm cache: the machine is shared, the minimum is the least noisy):
  * search: `search_page_ids`, what a search answers: the number of matches and the first 20
            ranked ids, from the database's full-text index (FTS5 / GIN; `path` says which) —
            the database counts and ranks, only the page reaches Python;
  * all:    `search_ids`, every match ranked, all brought into Python (for information);
  * scan:   `scan_ids`, `norm_text LIKE '%word%'` over every entry (the plain substring scan);
  * page:   `search` (count + first page of 20 ranked hits with highlights), what the API does;
and checks recall: every entry the scan finds is found by the search (and nothing else), and
the page's count equals the scan's. One-character queries (線: no bigram, they may scan) are
set apart from the summary: p95 and geometric mean of scan / search over the others.
Prints a Markdown table and the query plans. Exit status 1 when recall is below 100 %.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

QUERIES = [
    "顕微", "材料", "医療", "食品", "X線", "ｘ線", "SEM", "ｓｅｍ", "TEM", "ロボット", "ろぼっと",
    "ｾﾝｻｰ", "センサ", "電子顕微鏡", "走査型電子顕微鏡", "X線CT", "質量分析", "燃料電池",
    "材料 X線", "医療 ロボット", "共同研究", "線", "量子",
]  # fmt: skip


def setup_django(url: str) -> None:
    os.environ["KYOTEN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_docs(n: int, rng: random.Random):
    from kyoten.core.demo import FAMILY, GIVEN, UNIVERSITIES
    from kyoten.core.reference import prefectures
    from kyoten.network.demo import COMPANY_KINDS, PLACES, POSITIONS, PURPOSES, VOCAB
    from kyoten.network.search import IndexDoc

    codes = list(prefectures())
    fields = list(VOCAB)
    kinds = ["equipment", "expert", "project", "result", "need", "news"]
    for i in range(1, n + 1):
        field = rng.choice(fields)
        topics, equips = VOCAB[field]
        topic, equip, purpose = rng.choice(topics), rng.choice(equips), rng.choice(PURPOSES)
        kind = "hub" if i % 2000 == 0 else rng.choice(kinds)
        company = f"{rng.choice(PLACES)}{rng.choice(COMPANY_KINDS)}株式会社"
        if kind == "expert":
            title = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            body = f"{rng.choice(UNIVERSITIES)} {rng.choice(POSITIONS)}。{topic}を専門とし、{equip}を用いた評価で企業と共同研究。"
        elif kind == "equipment":
            title, body = (
                equip,
                f"{topic}の{purpose}に。{rng.choice(UNIVERSITIES)}設置、中小企業の利用可。",
            )
        elif kind == "need":
            title = f"{topic}の{purpose}ができる設備を探しています"
            body = f"{company}は{equip}を使える拠点と専門家を探しています。"
        elif kind == "hub":
            title, body = (
                f"{prefectures()[rng.choice(codes)].name_ja}{topic}拠点",
                f"{topic}と{equip}の共用拠点。",
            )
        else:
            title = f"{equip}を活用した{topic}の{purpose}に関する共同研究"
            body = f"{company}と{rng.choice(UNIVERSITIES)}の共同研究。"
        code = rng.choice(codes)
        yield IndexDoc(kind, i, title, body, prefecture=code, field=str(field))  # fmt: skip


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def query_plan(q: str) -> list[str]:
    from django.db import connection

    from kyoten.network.search import Filters, _matching_sql

    plan = _matching_sql(q, Filters())
    sql, params = plan.sql, plan.params
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [f"[{plan.path}]"] + [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [f"[{plan.path}]"] + [row[0] for row in cursor.fetchall()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2009)
    args = parser.parse_args()
    url = os.environ.get("KYOTEN_DATABASE_URL") or "sqlite:////tmp/kyoten-bench-search.sqlite3"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite://"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    setup_django(url)
    from django.db import connection

    from kyoten.core.textsearch import needs_scan
    from kyoten.network.search import (
        Filters,
        _matching_sql,
        clear_index,
        index_bulk,
        scan_ids,
        search,
        search_ids,
        search_page_ids,
    )

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    clear_index()
    start = time.perf_counter()
    docs = list(make_docs(args.entries, random.Random(args.seed)))
    made = time.perf_counter() - start
    start = time.perf_counter()
    index_bulk(docs, replace=False)
    built = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"entries: {args.entries:,}  "
          f"generate: {made:.1f} s  index build: {built:.1f} s\n")  # fmt: skip

    print(
        "| query | path | matches | search ms | all ms | scan ms | scan / search "
        "| scan / all | page ms | recall |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_ok = True
    ratios, ratios_all, times = [], [], []
    for q in QUERIES:
        t_first, (count, _rows) = timed(lambda q=q: search_page_ids(q), args.repeat)
        t_index, found = timed(lambda q=q: search_ids(q), args.repeat)
        t_scan, scanned = timed(lambda q=q: scan_ids(q), args.repeat)
        t_page, _page = timed(lambda q=q: search(q), args.repeat)
        found_ids = {entry_id for entry_id, _score in found}
        missed = scanned - found_ids
        extra = found_ids - scanned
        recall = 1.0 if not scanned else (len(scanned) - len(missed)) / len(scanned)
        ok = not missed and not extra and count == len(scanned)
        all_ok &= ok
        ratio = t_scan / t_first if t_first else float("inf")
        ratio_all = t_scan / t_index if t_index else float("inf")
        one_char = needs_scan(q)
        if not one_char:
            ratios.append(ratio)
            ratios_all.append(ratio_all)
            times.append(t_first)
        print(
            f"| {q}{' (1 char, set apart)' if one_char else ''} | "
            f"{_matching_sql(q, Filters()).path} | {len(scanned):,} | {t_first * 1000:.1f} | "
            f"{t_index * 1000:.1f} | {t_scan * 1000:.1f} | {ratio:.1f}× | {ratio_all:.1f}× | "
            f"{t_page * 1000:.1f} | {recall:.0%}{'' if ok else ' MISMATCH'} |"
        )
    times.sort()
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
    print(f"\nwithout one-character queries ({len(times)} queries):")
    print(f"search (count + first 20 ranked) p95: {p95 * 1000:.1f} ms")
    print(f"geometric mean speed-up (scan / search): {statistics.geometric_mean(ratios):.1f}×")
    print(
        f"geometric mean speed-up (scan / all matches): {statistics.geometric_mean(ratios_all):.1f}×"
    )
    print(f"recall: {'100 % on every query (index = scan)' if all_ok else 'MISSES FOUND'}")
    for q in ("材料", "走査型電子顕微鏡", "共同研究"):
        print(f"\nquery plan for {q!r}:")
        for line in query_plan(q):
            print(f"    {line}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
