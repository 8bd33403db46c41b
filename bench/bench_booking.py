"""Booking under concurrent clients: throughput and double bookings, guarded vs unguarded.

    .venv/bin/python bench/bench_booking.py [--clients 16] [--attempts 40] [--slots 120]
        [--pg postgres://user@host:port/db]

For each database (SQLite always; PostgreSQL when --pg is given or KYOTEN_BENCH_PG is set and
reachable) the script runs, in a fresh database, `clients` threads (each with its own connection)
that try `attempts` one-hour bookings each at random among `slots` one-hour slots of one machine
(and, in a second round, half-hour offsets so that bookings overlap partially):

* guarded: `kyoten.equipment.services.booking_create` (row lock in a transaction; on PostgreSQL
  also the exclusion constraint);
* baseline: the naive check-then-insert (the same validation and fee work, then an overlap
  query, then INSERT; no transaction, no lock, and on PostgreSQL with the exclusion constraint
  dropped).

Afterwards it counts double bookings with one SQL self-join (pairs of active bookings of the same
machine that overlap). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(args) -> None:
    """Runs inside a process whose KYOTEN_DATABASE_URL points at a fresh database."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started

    from kyoten.core.models import Organisation, Prefecture
    from kyoten.core.services import user_create
    from kyoten.equipment import services
    from kyoten.equipment.enums import ACTIVE_STATUSES
    from kyoten.equipment.models import Booking
    from kyoten.equipment.slots import TOKYO
    from kyoten.hubs.models import Hub

    vendor = connection.vendor
    hub = Hub.objects.create(
        name="bench", slug="bench", lead_prefecture_id="40", form="equipment_only"
    )
    hub.prefectures.set(Prefecture.objects.filter(code="40"))
    org = Organisation.objects.create(
        name="bench SME", kind="company", prefecture_id="40", is_sme=True
    )
    fees = {(c, m): 1000 for c in ("academic", "sme", "large_company", "in_house")
            for m in ("self_use", "assisted", "commissioned")}  # fmt: skip
    users = [user_create(username=f"u{i}", password="x", role="equipment_user", organisation=org)
             for i in range(args.clients)]  # fmt: skip
    base = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(0), tzinfo=TOKYO)

    def machine(name):
        return services.equipment_create(
            hub=hub, by=None, name=name, category="analysis", fees=fees,
            open_weekdays="1234567", opens_minute=0, closes_minute=1440,
            max_booking_minutes=600, lead_time_minutes=0,
        )  # fmt: skip

    def slots(offset_minutes: int) -> list[dt.datetime]:
        step = dt.timedelta(minutes=offset_minutes)
        return [base + i * step for i in range(args.slots)]

    def guarded(eq, user, start):
        try:
            services.booking_create(equipment=eq, user=user, start=start,
                                    end=start + dt.timedelta(hours=1), mode="assisted")  # fmt: skip
            return True
        except services.Conflict:
            return False

    def unguarded(eq, user, start):
        # The same validation and fee work as the service, then check-then-insert without a
        # transaction or lock: the race window is only between the SELECT and the INSERT.
        end = start + dt.timedelta(hours=1)
        row = services._prepare(equipment=eq, user=user, start=start, end=end, mode="assisted",
                                staff_count=None, now=dt.datetime.now(TOKYO))  # fmt: skip
        if Booking.objects.filter(equipment=eq, status__in=ACTIVE_STATUSES, start__lt=end,
                                  end__gt=start).exists():  # fmt: skip
            return False
        Booking.objects.create(**row)
        return True

    def run(method, eq, grid):
        rng = random.Random(7)
        plans = [[rng.choice(grid) for _ in range(args.attempts)] for _ in range(args.clients)]
        counts = {"ok": 0, "refused": 0, "error": 0}
        lock = threading.Lock()
        barrier = threading.Barrier(args.clients)

        def worker(i):
            try:
                barrier.wait()
                for start in plans[i]:
                    try:
                        outcome = "ok" if method(eq, users[i], start) else "refused"
                    except Exception:  # noqa: BLE001 (counted, e.g. database locked)
                        outcome = "error"
                    with lock:
                        counts[outcome] += 1
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
        with connection.cursor() as cur:
            marks = ", ".join(["%s"] * len(ACTIVE_STATUSES))
            cur.execute(
                "SELECT COUNT(*) FROM equipment_booking a JOIN equipment_booking b "
                "ON a.equipment_id = b.equipment_id AND a.id < b.id "
                'AND a.start < b."end" AND b.start < a."end" '
                f"WHERE a.equipment_id = %s AND a.status IN ({marks}) AND b.status IN ({marks})",
                [eq.pk, *map(str, ACTIVE_STATUSES), *map(str, ACTIVE_STATUSES)],
            )
            doubles = cur.fetchone()[0]
        attempts = args.clients * args.attempts
        return {"attempts": attempts, "seconds": round(seconds, 2),
                "attempts_per_s": round(attempts / seconds, 1), "created": counts["ok"],
                "refused": counts["refused"], "errors": counts["error"],
                "double_bookings": doubles}  # fmt: skip

    results = []
    for label, offset in (("aligned 1 h slots", 60), ("30-min offsets (partial overlaps)", 30)):
        results.append({"db": vendor, "method": "guarded (service)", "grid": label,
                        **run(guarded, machine(f"guarded {offset}"), slots(offset))})  # fmt: skip
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(
                    "ALTER TABLE equipment_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"
                )
        results.append({"db": vendor, "method": "baseline (check-then-insert)", "grid": label,
                        **run(unguarded, machine(f"baseline {offset}"), slots(offset))})  # fmt: skip
        if vendor == "postgresql":
            # put the constraint back for the next guarded round (baseline rows would violate
            # it, so drop them first: they are counted already)
            Booking.objects.filter(equipment__name__startswith="baseline").delete()
            from kyoten.equipment.migrations._postgres import CREATE

            with connection.cursor() as cur:
                cur.execute(CREATE)
    print(json.dumps({"migrate_s": round(migrate_s, 1), "results": results}))


def parent(args) -> None:
    here = Path(__file__).resolve()
    runs = []
    tmp = tempfile.mkdtemp(prefix="bench-booking-")
    targets = [("sqlite", f"sqlite:///{tmp}/bench.sqlite3")]
    pg = args.pg or os.environ.get("KYOTEN_BENCH_PG")
    if pg:
        targets.append(("postgresql", pg))
    for name, url in targets:
        if name == "postgresql":
            import psycopg

            base, _, dbname = url.rpartition("/")
            try:
                with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                    conn.execute(f'CREATE DATABASE "{dbname}"')
            except Exception as exc:  # noqa: BLE001
                print(f"PostgreSQL not reachable at {url}: {exc}", file=sys.stderr)
                continue
        env = {**os.environ, "KYOTEN_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
        out = subprocess.run(
            [sys.executable, str(here), "--child", "--clients", str(args.clients),
             "--attempts", str(args.attempts), "--slots", str(args.slots)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            sys.exit(1)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"clients={args.clients} attempts/client={args.attempts} slots={args.slots} "
          f"python={sys.version.split()[0]} cpus={os.cpu_count()}\n")  # fmt: skip
    print(
        "| database | method | grid | attempts | seconds | attempts/s | created | refused (409) "
        "| errors | double bookings |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        for r in run["results"]:
            print(f"| {r['db']} | {r['method']} | {r['grid']} | {r['attempts']} | {r['seconds']} | "
                  f"{r['attempts_per_s']} | {r['created']} | {r['refused']} | {r['errors']} | "
                  f"**{r['double_bookings']}** |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--attempts", type=int, default=40)
    parser.add_argument("--slots", type=int, default=120)
    parser.add_argument("--pg", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    (child if args.child else parent)(args)


if __name__ == "__main__":
    main()
