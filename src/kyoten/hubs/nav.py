from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import can_read_program, is_operator


def nav_items(user) -> list[tuple[str, str]]:
    items = [(_("Hubs"), reverse("hubs:list"))]
    if can_read_program(user) or is_operator(user):
        items.append((_("Hub board"), reverse("hubs:board")))
    return items
