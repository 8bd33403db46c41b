"""kyoten export-opendata DIR: the public network data as CSV + JSON with a DCAT catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from kyoten.network.opendata import export_opendata


class Command(BaseCommand):
    help = "Export the public part of the network database (CSV, JSON, DCAT, CC BY 4.0) to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--base-url", default="", help="URL prefix for the download links")

    def handle(self, *args, directory: str, base_url: str, **options):
        path = Path(directory)
        if path.exists() and not path.is_dir():
            sys.stderr.write(f"directory: {directory} exists and is not a directory\n")
            sys.exit(2)
        try:
            counts = export_opendata(path, base_url=base_url)
        except OSError as exc:
            sys.stderr.write(f"directory: cannot write {directory}: {exc.strerror}\n")
            sys.exit(2)
        for key, n in counts.items():
            self.stdout.write(f"{key}: {n} rows")
        self.stdout.write(f"catalogue: {path / 'catalog.jsonld'}")
