from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kyoten.core.rules import is_officer
from kyoten.hubs.models import Hub


def nav_items(user) -> list[tuple[str, str]]:
    items = [(pgettext("equipment", "Equipment"), reverse("equipment:search"))]
    if user is not None and user.is_authenticated:
        items.append((_("My bookings"), reverse("equipment:my_bookings")))
        items.append((_("My trainings"), reverse("equipment:my_training")))
        items.append((_("Invoices"), reverse("equipment:invoices")))
        hub_ids = list(Hub.objects.filter(operators=user).values_list("pk", flat=True)[:3])
        items += [(_("Equipment desk"), reverse("equipment:hub_desk", args=[pk])) for pk in hub_ids]
        if hub_ids or is_officer(user):
            items.append((_("Settlement between hubs"), reverse("equipment:settlement")))
    return items
