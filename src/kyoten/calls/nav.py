from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(user) -> list[tuple[str, str]]:
    return [(_("Calls"), reverse("calls:list"))]
