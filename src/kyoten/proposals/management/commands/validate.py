"""`kyoten validate FILE.json [FILE.json ...] [--format text|json]` (SPEC §4).

Exit 0 when every file passes (warnings allowed), 1 when any rule fails, 2 on unreadable input.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from kyoten.proposals.validation import validate_files


class Command(BaseCommand):
    help = "Check proposal files against the rules R-1 … R-9 of the default program."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.json", help="proposal files")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        status = validate_files(
            options["files"], fmt=options["format"], stdout=sys.stdout, stderr=sys.stderr
        )
        sys.stdout.flush()
        sys.exit(status)
