"""kyoten remind: send the deadline reminders that are due, once each (safe to run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyoten.core.registry import app_modules
from kyoten.notices.services import notify


class Command(BaseCommand):
    help = "Send due deadline reminders (call closing, review phase closing, reports, advice)."

    def handle(self, *args, **options):
        now = timezone.now()
        sent = 0
        for app, module in app_modules("reminders"):
            for reminder in module.reminders(now):
                made = notify(**reminder)
                sent += len(made)
                if made and options["verbosity"] > 1:
                    self.stdout.write(f"  {app}: {reminder['key']} → {len(made)}")
        self.stdout.write(f"{sent} reminders sent")
