"""kyoten equipment_totals: recompute the booking totals from every booking."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kyoten.equipment import totals


class Command(BaseCommand):
    help = "Recompute the monthly booking totals (usage figures of dashboards and KPIs)."

    def handle(self, *args, **options):
        rows = totals.recompute_all()
        self.stdout.write(f"{rows} booking total rows")
