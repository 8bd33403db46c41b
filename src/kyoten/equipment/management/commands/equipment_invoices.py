"""kyoten equipment_invoices --year 2026 --month 11 [--hub ID ...]: issue the month's invoices."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from kyoten.core.errors import DomainError
from kyoten.equipment import services
from kyoten.hubs.models import Hub


class Command(BaseCommand):
    help = "Issue the monthly equipment invoices of every hub (or the given hubs)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--hub", type=int, action="append", default=[])

    def handle(self, *args, year: int, month: int, hub: list[int], **options):
        problems = []
        if not 2000 <= year <= 2100:
            problems.append(f"year: {year} is not a plausible year")
        if not 1 <= month <= 12:
            problems.append(f"month: {month} is not 1 to 12")
        hubs = list(Hub.objects.filter(pk__in=hub)) if hub else list(Hub.objects.order_by("id"))
        missing = sorted(set(hub) - {h.pk for h in hubs})
        problems += [f"hub: no hub with id {pk}" for pk in missing]
        if problems:
            for line in problems:
                sys.stderr.write(line + "\n")
            sys.exit(2)
        total = 0
        for h in hubs:
            try:
                issued = services.invoices_issue(hub=h, year=year, month=month, by=None)
            except DomainError as exc:
                raise CommandError(str(exc), returncode=2) from None
            total += len(issued)
            for invoice in issued:
                self.stdout.write(
                    f"{invoice.number}\t{invoice.organisation.name}\t{invoice.total_yen}"
                )
        self.stdout.write(f"{total} invoices")
