"""Invitation purposes of core: ministry observers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.accounts.purposes import Purpose
from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.models import Organisation
from kyoten.core.rules import is_officer


def _ministries(user) -> list[tuple[str, str]]:
    if not is_officer(user):
        return []
    return [
        (str(o.pk), o.name)
        for o in Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("name")
    ]


def _accept_observer(invitation, user) -> str:
    if user.organisation_id is None:
        user.organisation_id = int(invitation.target_id)
        user.save(update_fields=["organisation"])
    return reverse("home")


def purposes() -> list[Purpose]:
    return [
        Purpose(
            key="observer",
            label=lambda: _("ministry observer"),
            role=Role.OBSERVER,
            targets=_ministries,
            accept=_accept_observer,
        )
    ]
