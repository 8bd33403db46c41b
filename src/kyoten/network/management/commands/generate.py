"""`kyoten generate --scale demo|national [--seed N]`: fill an empty database with synthetic data."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Fill an empty database with synthetic data: the demo, or SPEC §5's national volume."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], required=True)
        parser.add_argument("--seed", type=int, default=2009)
        parser.add_argument(
            "--fraction", type=float, default=1.0, help="share of the national volume (tests)"
        )

    def handle(self, *args, scale: str, seed: int, fraction: float, **options):
        from kyoten.core.models import User

        if not 0 < fraction <= 1:
            raise CommandError(f"--fraction: {fraction} is not in (0, 1]", returncode=2)
        call_command("migrate", verbosity=0)
        if User.objects.exists():
            raise CommandError(
                "the database is not empty; kyoten generate fills only an empty database "
                "(use another KYOTEN_DATABASE_URL or KYOTEN_VAR_DIR)",
                returncode=2,
            )
        from kyoten.network.generate import generate

        started = time.monotonic()
        # the demo's notices are not mailed to anyone while generating
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            added = generate(scale=scale, seed=seed, fraction=fraction, say=self.stdout.write)
        from kyoten.core import public_cache

        public_cache.forget()  # bulk inserts send no signals
        summary = ", ".join(f"{k} {v:,}" for k, v in added.items())
        self.stdout.write(
            f"generated {scale} data in {time.monotonic() - started:.0f} s"
            + (f": {summary}" if summary else "")
        )
