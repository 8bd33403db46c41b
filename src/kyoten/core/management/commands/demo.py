"""`kyoten demo [--port 8000]`: create, migrate and fill a demo database, then serve it."""

from __future__ import annotations

import errno
import os
import random
import socket
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kyoten.core import demo as core_demo
from kyoten.core import public_cache
from kyoten.core.models import SiteState, User
from kyoten.core.registry import app_modules

SEED = 2009


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:
                return False
            raise
    return True


def load_demo(*, seed: int = SEED, stdout=None) -> bool:
    """Load the demo data set once. False when it is already there.

    Refuses (CommandError) when the database already holds data that is not the demo's.
    """
    state = SiteState.objects.first()
    if state and state.demo_loaded_at:
        return False
    if User.objects.exists():
        raise CommandError(
            "the database already holds data that is not the demo's; "
            "refusing to mix demo data into it (use another KYOTEN_DATABASE_URL)",
            returncode=2,
        )
    with transaction.atomic():
        started = time.monotonic()
        core_demo.load(random.Random(seed))
        # A demo module with LAST = True (the notices about everything else) goes last.
        modules = sorted(app_modules("demo"), key=lambda am: getattr(am[1], "LAST", False))
        for app, module in modules:
            if app == "core":
                continue
            t0 = time.monotonic()
            module.load(random.Random(f"{seed}-{app}"))
            if stdout:
                stdout.write(f"  demo: {app} ({time.monotonic() - t0:.1f} s)")
        SiteState.objects.create(demo_loaded_at=timezone.now(), demo_seed=seed)
        public_cache.forget()  # bulk inserts send no signals
        if stdout:
            stdout.write(f"  demo loaded in {time.monotonic() - started:.1f} s")
    return True


class Command(BaseCommand):
    help = "Create the database if missing, migrate, load the demo data and serve on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port: int, no_serve: bool, workers: int, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port: {port} is not a TCP port (1–65535)", returncode=2)
        if not no_serve and not port_free("127.0.0.1", port):
            raise CommandError(
                f"--port: 127.0.0.1:{port} is already in use; stop what is using it "
                f"or choose another port (kyoten demo --port {port + 1})",
                returncode=2,
            )
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if load_demo(stdout=self.stdout):
            self.stdout.write("Demo data loaded.")
        else:
            self.stdout.write("Demo data already present.")
        self.stdout.write("\nDemo logins (password: demo):")
        for username, role in core_demo.logins():
            self.stdout.write(f"  {username:<20} {role}")
        if no_serve:
            return
        # The demo's e-mail goes to files (and the officer's "sent e-mail" page), not out.
        os.environ.setdefault(
            "KYOTEN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
        )
        Path(settings.EMAIL_FILE_PATH).mkdir(parents=True, exist_ok=True)
        self.stdout.write(
            f"E-mail is written to {settings.EMAIL_FILE_PATH}/ and listed at /notices/outbox/"
        )
        self.stdout.write(f"\nServing on http://127.0.0.1:{port}/  (Ctrl+C stops)")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 (replaces this process with the WSGI server)
            sys.executable,
            [
                sys.executable, "-m", "granian", "--interface", "wsgi",
                "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                # a few Python threads per worker: the GIL and the database bound the rest
                "--blocking-threads", "4", "--backpressure", "32", "--no-ws", "kyoten.wsgi:application",
            ],
        )  # fmt: skip
