"""`kyoten monitoring-report`: the follow-up reports as files, for mailing or archiving.

    kyoten monitoring-report --fiscal-year 2025 --out annual.pdf          (program-wide PDF)
    kyoten monitoring-report --fiscal-year 2025 --hub 3 --out hub3.pdf    (one hub's PDF)
    kyoten monitoring-report --excel --out kpis.xlsx                      (all KPI data)

Bad input: exit status 2 and one line per problem on stderr naming the option.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from kyoten.core.enums import Role
from kyoten.core.models import User
from kyoten.hubs.models import Hub


def _reader() -> User:
    # The command sees what a program officer sees (an unsaved user: nothing is written).
    return User(username="kyoten-cli", role=Role.OFFICER)


class Command(BaseCommand):
    help = "Write the program-wide annual report, a hub's report (PDF) or all KPI data (Excel)."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", dest="fiscal_year", help="e.g. 2025")
        parser.add_argument("--hub", help="hub id (a hub's report instead of the program's)")
        parser.add_argument("--excel", action="store_true", help="all KPI data as .xlsx")
        parser.add_argument("--out", required=True, help="file to write")

    def handle(self, *args, **options):
        problems = []
        fy = options.get("fiscal_year")
        if not options["excel"]:
            if fy is None:
                problems.append("--fiscal-year: is required for a PDF")
            elif not (str(fy).isdigit() and 1990 <= int(fy) <= 2200):
                problems.append(f"--fiscal-year: must be a fiscal year such as 2025, not {fy!r}")
        hub = None
        if options.get("hub") is not None:
            raw = options["hub"]
            try:
                hub = Hub.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
            except DatabaseError as exc:
                sys.stderr.write(f"database: {exc} (run `kyoten migrate` first)\n")
                sys.exit(2)
            if hub is None:
                problems.append(f"--hub: no hub with id {raw!r}")
        out = Path(options["out"])
        if not out.parent.exists():
            problems.append(f"--out: the directory {out.parent} does not exist")
        if problems:
            for line in problems:
                sys.stderr.write(line + "\n")
            sys.exit(2)
        if options["excel"]:
            from kyoten.monitoring import export

            data = export.workbook(_reader())
        else:
            from kyoten.monitoring import pdf

            if hub is not None:
                data = pdf.hub_report_pdf(hub, int(fy))
            else:
                data = pdf.program_report_pdf(_reader(), int(fy))
        out.write_bytes(data)
        self.stdout.write(f"{out} ({len(data):,} bytes)")
