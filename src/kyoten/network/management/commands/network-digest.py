"""kyoten network-digest: e-mail each subscriber the news and events of their regions and
fields since their last digest (console e-mail backend in development)."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyoten.network.digest import send_digests


class Command(BaseCommand):
    help = "Send the network news digest to every subscriber who wants one."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="look back this many days")
        parser.add_argument("--dry-run", action="store_true", help="print, do not send")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            sys.stderr.write("days: must be 1 or more\n")
            sys.exit(2)
        since = timezone.now() - dt.timedelta(days=days)
        sent = send_digests(since=since, dry_run=dry_run, stdout=self.stdout)
        self.stdout.write(f"{'would send' if dry_run else 'sent'} {sent} digest(s)")
