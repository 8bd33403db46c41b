"""Permission predicates of the network app: entries are edited by their own people (R-14),
read by everyone when public, and read in full by ministries and the program (R-15)."""

from __future__ import annotations

import rules

from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.reference import prefectures
from kyoten.core.rules import can_read_program, is_officer, is_operator
from kyoten.network.enums import PostState, Scope


def _operated_hub_ids(user) -> set[int]:
    cached = getattr(user, "_network_hub_ids", None)
    if cached is None:
        cached = set(user.operated_hubs.values_list("pk", flat=True))
        user._network_hub_ids = cached
    return cached


def operated_hub_ids(user) -> set[int]:
    """Ids of the hubs the user operates (empty for anyone else)."""
    if not user or not user.is_authenticated:
        return set()
    return _operated_hub_ids(user)


def operated_blocks(user) -> set[str]:
    """Regional blocks in which the user operates a hub."""
    if not user or not user.is_authenticated:
        return set()
    return _operated_blocks(user)


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


@rules.predicate
def is_published(user, entry) -> bool:
    return entry is not None and entry.state == PostState.PUBLISHED


@rules.predicate
def is_network_member(user) -> bool:
    """Signed in with a role of the program (anything but the plain public role): the readers
    of posts whose visibility is "network members"."""
    if not user or not user.is_authenticated:
        return False
    return bool(set(user.roles) - {Role.PUBLIC})


@rules.predicate
def is_company_user(user) -> bool:
    """Works for a company: may post the company's needs (技術相談・ニーズ)."""
    if not user or not user.is_authenticated or not user.organisation_id:
        return False
    return user.organisation.kind == OrganisationKind.COMPANY


@rules.predicate
def is_own_company_post(user, entry) -> bool:
    """A company's need that this user posted (and may edit and withdraw)."""
    if entry is None or not user or not user.is_authenticated:
        return False
    return bool(getattr(entry, "company_id", None)) and entry.created_by_id == user.pk


# The hub's operators (a region's, for region-wide entries) and officers look after an entry
# and moderate the companies' posts to it.
can_moderate_entry = is_officer | is_entry_hub_operator | is_region_operator
can_edit_entry = can_moderate_entry | is_own_company_post
can_view_entry = (is_published & (is_public_entry | is_network_member)) | can_edit_entry
can_add_entry = is_officer | is_operator
can_post_need = is_officer | is_operator | is_company_user
can_post_to_network = can_add_entry | can_post_need
can_moderate = is_officer | is_operator
can_view_dashboard = can_read_program

for kind in ("expert", "project", "result", "companyneed", "news"):
    rules.add_perm(f"network.view_{kind}", can_view_entry)
    rules.add_perm(f"network.change_{kind}", can_edit_entry)
    rules.add_perm(f"network.delete_{kind}", can_edit_entry)
    rules.add_perm(f"network.add_{kind}", can_add_entry)
rules.add_perm("network.view_dashboard", can_view_dashboard)
rules.add_perm("network.moderate_entry", can_moderate_entry)
