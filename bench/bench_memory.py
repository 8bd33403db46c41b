"""Memory of a web worker after warm-up: kyoten against a bare Django project, in one run.

    kyoten demo --no-serve                      # once (or `kyoten generate --scale …`)
    KYOTEN_VAR_DIR=... .venv/bin/python bench/bench_memory.py [--requests 50]

Starts two servers the way production does, `granian --interface wsgi --workers 1`: kyoten
(`kyoten.wsgi:application`, the database of KYOTEN_VAR_DIR or KYOTEN_DATABASE_URL) and the bare
Django project of `bench_web.py` (Django's default middleware, one view returning a constant
JSON). Reads the resident set size (VmRSS in /proc) of each worker process after its first
request and again after `--requests` requests: for kyoten, the pages and API lists of
`bench_web.PATHS` in turn, each as its role's user; for the bare project, its one view.
Prints both figures, the peak (VmHWM) and the ratio (issue 18 item 5: a worker ≤ 100 MiB
after warm-up).
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import BARE_APP, BARE_SETTINGS, PATHS, serve  # noqa: E402


def worker_pid(server: subprocess.Popen) -> int:
    """The one worker process granian started (a child of the server process)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one worker under pid {server.pid}, found {children}")
    return int(children[0])


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024  # kB
    return fields["VmRSS"], fields["VmHWM"]


def get(port: int, path: str, cookie: str = "") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--by-path", action="store_true", help="also print kyoten's RSS after each first request"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from kyoten.core.models import User

    cookies = {}
    for username in {u for u, _ in PATHS if u}:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no user {username}: run `kyoten demo --no-serve` first")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    bare_dir = tempfile.mkdtemp(prefix="bare-django-")
    Path(bare_dir, "bare_settings.py").write_text(BARE_SETTINGS)
    Path(bare_dir, "bare.py").write_text(BARE_APP)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), bare_dir]))
    bare_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare = serve("bare:application", 8941, 1, bare_env, bare_dir)  # answers "/" once
    app = serve("kyoten.wsgi:application", 8942, 1, env, str(ROOT))
    try:
        rows = []
        statuses: dict[str, int] = {}
        growth = []
        for name, server, port in (("bare Django", bare, 8941), ("kyoten", app, 8942)):
            pid = worker_pid(server)
            started, _ = memory_mib(pid)
            for i in range(args.requests):
                if name == "kyoten":
                    username, path = PATHS[i % len(PATHS)]
                    statuses[path] = get(port, path, cookies.get(username, ""))
                    if i < len(PATHS):
                        growth.append((username or "anonymous", path, memory_mib(pid)[0]))
                else:
                    get(port, "/")
            warm, peak = memory_mib(pid)
            rows.append((name, started, warm, peak))
        print(f"{args.requests} requests per worker; kyoten: the {len(PATHS)} paths of "
              f"bench_web.PATHS in turn (statuses {sorted(set(statuses.values()))})\n")  # fmt: skip
        print("| worker | RSS after the first request | RSS after warm-up | peak |")
        print("|---|---:|---:|---:|")
        for name, started, warm, peak in rows:
            print(f"| {name} | {started:.0f} MiB | {warm:.0f} MiB | {peak:.0f} MiB |")
        if args.by_path:
            print("\n| role | path | kyoten RSS after its first request |")
            print("|---|---|---:|")
            for username, path, rss in growth:
                print(f"| {username} | `{path}` | {rss:.1f} MiB |")
        (_, _, bare_warm, _), (_, _, app_warm, _) = rows
        print(f"\nratio kyoten / bare after warm-up: {app_warm / bare_warm:.2f}× "
              f"(target: kyoten ≤ 100 MiB)")  # fmt: skip
    finally:
        for proc in (bare, app):
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
