"""Invitation purposes of hubs: the operators of a hub."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.accounts.purposes import Purpose
from kyoten.core.enums import Role
from kyoten.core.rules import is_officer
from kyoten.hubs.models import Hub
from kyoten.hubs.services import hub_operator_add


def _hubs(user) -> list[tuple[str, str]]:
    if not is_officer(user):
        return []
    return [(str(h.pk), h.name) for h in Hub.objects.order_by("name")]


def _accept(invitation, user) -> str:
    hub = Hub.objects.get(pk=int(invitation.target_id))
    hub_operator_add(hub=hub, user=user, by=invitation.invited_by)
    return reverse("hubs:detail", args=[hub.pk])


def purposes() -> list[Purpose]:
    return [
        Purpose(
            key="operator",
            label=lambda: _("operator of a hub"),
            role=Role.OPERATOR,
            targets=_hubs,
            accept=_accept,
        )
    ]
