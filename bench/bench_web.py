"""Pages and API lists of several roles against a bare Django view, served the same way.

    kyoten generate --scale national            # once, into KYOTEN_VAR_DIR
    KYOTEN_VAR_DIR=... .venv/bin/python bench/bench_web.py [--requests 200] [--workers 1]

Two servers run side by side in the same run, each `granian --interface wsgi --workers N`:
kyoten (`kyoten.wsgi:application`, the database of KYOTEN_VAR_DIR or KYOTEN_DATABASE_URL) and a
bare Django 5.2 project (Django's default middleware, one view returning a constant JSON). Each
path is requested `--requests` times over one keep-alive connection as the role's user (a
session made in the database beforehand); the bare view is measured between the paths so that
every ratio compares figures of the same moment. Query counts come from Django's test client in
this process against the same database. Prints a Markdown table: p50/p95 in ms, requests per
second, the ratio to the bare view (kyoten req/s ÷ bare req/s) and the queries per request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = str(Path(sys.executable).with_name("granian"))

PATHS = [
    # (role's username or "" for anonymous, path)
    ("", "/"),
    ("", "/network/"),
    ("", "/network/region/kanto/"),
    ("", "/equipment/"),
    ("", "/api/v1/equipment?page_size=20"),
    ("", "/api/v1/hubs"),
    ("", "/api/v1/search?q=%E9%A1%95%E5%BE%AE"),
    ("officer", "/proposals/"),
    ("officer", "/api/v1/proposals"),
    ("reviewer1", "/review/"),
    ("operator", "/equipment/bookings/"),
    ("sme", "/equipment/bookings/"),
]

BARE_SETTINGS = textwrap.dedent(
    """
    SECRET_KEY = "bench"
    DEBUG = False
    ALLOWED_HOSTS = ["127.0.0.1"]
    ROOT_URLCONF = "bare"
    INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth",
                      "django.contrib.sessions", "django.contrib.messages"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    DATABASES = {}
    """
)
BARE_APP = textwrap.dedent(
    """
    import os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_settings")
    from django.core.wsgi import get_wsgi_application
    from django.http import JsonResponse
    from django.urls import path

    def constant(request):
        return JsonResponse({"items": [], "count": 0})

    urlpatterns = [path("", constant)]
    application = get_wsgi_application()
    """
)


def serve(target: str, port: int, workers: int, env: dict, cwd: str) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [GRANIAN, "--interface", "wsgi", "--workers", str(workers), "--host", "127.0.0.1",
         "--port", str(port), "--no-ws", target],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server {target} did not start on port {port}")


def measure(port: int, path: str, cookie: str, n: int) -> tuple[float, float, float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    times = []
    status = 0
    for i in range(n + 5):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if i >= 5:  # the first few warm the worker
            times.append(time.perf_counter() - t0)
        status = response.status
    times.sort()
    p50 = statistics.median(times) * 1000
    p95 = times[int(0.95 * (len(times) - 1))] * 1000
    return p50, p95, len(times) / sum(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kyoten.core.models import User

    cookies, users = {}, {}
    for username in {u for u, _ in PATHS if u}:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no user {username}: run `kyoten generate` first")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        users[username] = user

    bare_dir = tempfile.mkdtemp(prefix="bare-django-")
    Path(bare_dir, "bare_settings.py").write_text(BARE_SETTINGS)
    Path(bare_dir, "bare.py").write_text(BARE_APP)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), bare_dir]))
    bare_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare = serve("bare:application", 8931, args.workers, bare_env, bare_dir)
    app = serve("kyoten.wsgi:application", 8932, args.workers, env, str(ROOT))
    try:
        from kyoten.equipment.models import Booking
        from kyoten.network.models import SearchEntry

        print(f"bookings {Booking.objects.count():,}, search entries "
              f"{SearchEntry.objects.count():,}, {connection.vendor}, "
              f"{args.workers} worker(s), {args.requests} requests per path\n")  # fmt: skip
        print("| role | path | status | queries | p50 ms | p95 ms | req/s | bare req/s | ratio |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for username, path in PATHS:
            client = Client()
            if username:
                client.force_login(users[username])
            client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            _b50, _b95, bare_rate, _ = measure(8931, "/", "", args.requests)
            p50, p95, rate, status = measure(8932, path, cookies.get(username, ""), args.requests)
            print(f"| {username or 'anonymous'} | `{path}` | {status} | {len(ctx.captured_queries)} "
                  f"| {p50:.1f} | {p95:.1f} | {rate:.0f} | {bare_rate:.0f} | 1/{bare_rate / rate:.0f} |")  # fmt: skip
    finally:
        for proc in (bare, app):
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
