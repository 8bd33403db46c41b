"""kyoten equipment_reindex: rebuild the equipment search text and term index."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from kyoten.equipment import services
from kyoten.equipment.models import Equipment


class Command(BaseCommand):
    help = "Rebuild the keyword index of every machine (after changing the normalisation)."

    def handle(self, *args, **options):
        machines = list(Equipment.objects.order_by("id"))
        with transaction.atomic():
            services.equipment_index(equipment=machines)
        self.stdout.write(f"{len(machines)} machines indexed")
