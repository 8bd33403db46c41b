from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_officer

LAST = True


def nav_items(user) -> list[tuple[str, str]]:
    if is_officer(user):
        return [(_("Sent e-mail"), reverse("notices:outbox"))]
    return []
