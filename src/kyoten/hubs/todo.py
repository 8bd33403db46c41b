from __future__ import annotations

from django.urls import reverse

from kyoten.hubs import selectors


def todos(user) -> list[tuple[str, str]]:
    """Operators: the warnings of their own hubs (committee, land, delays)."""
    out: list[tuple[str, str]] = []
    for hub in selectors.with_details(selectors.hubs_operated_by(user)):
        url = reverse("hubs:detail", args=[hub.pk])
        for warning in selectors.hub_warnings(hub):
            if warning.code.startswith(("committee", "land")):
                out.append((f"{hub.name}: {warning.message}", url))
    return out
