from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_applicant, is_observer, is_officer, is_signatory


def nav_items(user) -> list[tuple[str, str]]:
    if is_officer(user) or is_observer(user) or is_applicant(user) or is_signatory(user):
        return [(_("Proposals"), reverse("proposals:workspace"))]
    return []
