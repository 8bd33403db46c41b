"""Permission predicates of the network app: entries are edited by their own people (R-14),
read by everyone when public, and read in full by ministries and the program (R-15)."""

from __future__ import annotations

import rules

from kyoten.core.reference import prefectures
from kyoten.core.rules import can_read_program, is_officer, is_operator
from kyoten.network.enums import Scope


def _operated_hub_ids(user) -> set[int]:
    cached = getattr(user, "_network_hub_ids", None)
    if cached is None:
        cached = set(user.operated_hubs.values_list("pk", flat=True))
        user._network_hub_ids = cached
    return cached


def _operated_blocks(user) -> set[str]:
    from kyoten.hubs.models import Hub

    cached = getattr(user, "_network_blocks", None)
    if cached is None:
        codes = Hub.objects.filter(operators=user).values_list("lead_prefecture_id", flat=True)
        cached = {prefectures()[c].block for c in codes if c in prefectures()}
        user._network_blocks = cached
    return cached


@rules.predicate
def is_entry_hub_operator(user, entry) -> bool:
    """The entry belongs to a hub the user operates."""
    if entry is None or not user or not user.is_authenticated or not entry.hub_id:
        return False
    return entry.hub_id in _operated_hub_ids(user)


@rules.predicate
def is_region_operator(user, entry) -> bool:
    """A region-wide entry in a block where the user operates a hub."""
    if entry is None or not user or not user.is_authenticated or entry.scope != Scope.REGION:
        return False
    return entry.block in _operated_blocks(user)


@rules.predicate
def is_public_entry(user, entry) -> bool:
    return entry is not None and bool(entry.public)


can_edit_entry = is_officer | is_entry_hub_operator | is_region_operator
can_view_entry = is_public_entry | can_read_program | can_edit_entry
can_add_entry = is_officer | is_operator
can_view_dashboard = can_read_program

for kind in ("expert", "project", "result", "companyneed", "news"):
    rules.add_perm(f"network.view_{kind}", can_view_entry)
    rules.add_perm(f"network.change_{kind}", can_edit_entry)
    rules.add_perm(f"network.delete_{kind}", can_edit_entry)
    rules.add_perm(f"network.add_{kind}", can_add_entry)
rules.add_perm("network.view_dashboard", can_view_dashboard)
