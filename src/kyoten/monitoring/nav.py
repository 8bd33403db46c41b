from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import can_read_program, is_applicant, is_operator


def nav_items(user) -> list[tuple[str, str]]:
    """Follow-up: the dashboard for program readers and hub operators; advice for all of them."""
    if can_read_program(user) or is_operator(user) or is_applicant(user):
        return [
            (_("Follow-up"), reverse("monitoring:dashboard")),
            (_("Advice"), reverse("monitoring:advice_list")),
        ]
    return []
