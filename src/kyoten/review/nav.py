from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_officer, is_reviewer


def nav_items(user) -> list[tuple[str, str]]:
    if is_reviewer(user) or is_officer(user):
        return [(_("Review"), reverse("review:mine"))]
    return []
