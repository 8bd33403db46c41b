"""kyoten search-reindex: rebuild the network search index from the database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Rebuild the network-wide search index (hubs, equipment and every network entry); "
        "with --fulltext-only, only the database's full-text index from the stored entries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fulltext-only",
            action="store_true",
            help="rebuild only the full-text index (FTS5 / GIN) from the stored entries",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["fulltext_only"]:
            from kyoten.network.search import rebuild_fulltext

            count = rebuild_fulltext()
        else:
            from kyoten.network.indexing import reindex_all

            count = reindex_all()
        self.stdout.write(f"indexed {count} entries in {time.monotonic() - started:.1f} s")
