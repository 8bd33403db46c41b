"""kyoten search-reindex: rebuild the network search index from the database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from kyoten.network.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the network-wide search index (hubs, equipment and every network entry)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = reindex_all()
        self.stdout.write(f"indexed {count} entries in {time.monotonic() - started:.1f} s")
