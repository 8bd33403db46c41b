from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_applicant, is_officer

LAST = True


def nav_items(user) -> list[tuple[str, str]]:
    # Officers bring in committees, operators and observers; applicants their signatories.
    if is_officer(user) or is_applicant(user):
        return [(_("Invitations"), reverse("accounts:invitations"))]
    return []
