from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.allocation.rules import can_allocate


def nav_items(user) -> list[tuple[str, str]]:
    if can_allocate(user):
        return [(_("Allocation"), reverse("allocation:index"))]
    return []
