from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.allocation.rules import can_view_allocations


def nav_items(user) -> list[tuple[str, str]]:
    if can_view_allocations(user):
        return [(_("Allocation"), reverse("allocation:index"))]
    return []
