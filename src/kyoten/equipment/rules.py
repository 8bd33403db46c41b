"""Permission predicates of the equipment app."""

from __future__ import annotations

import rules

from kyoten.core.enums import Role
from kyoten.core.rules import is_officer, is_signed_in
from kyoten.hubs.rules import is_hub_operator


@rules.predicate
def operates_equipment_hub(user, equipment) -> bool:
    return equipment is not None and is_hub_operator(user, equipment.hub)


@rules.predicate
def owns_booking(user, booking) -> bool:
    return bool(
        user and user.is_authenticated and booking is not None and booking.user_id == user.pk
    )


@rules.predicate
def operates_booking_hub(user, booking) -> bool:
    return booking is not None and is_hub_operator(user, booking.equipment.hub)


@rules.predicate
def reads_only(user) -> bool:
    """A ministry observer with no other role in the program: reads, books nothing (R-15)."""
    held = set(getattr(user, "roles", None) or ())
    return Role.OBSERVER in held and held <= {Role.OBSERVER, Role.PUBLIC}


can_manage_machine = is_officer | operates_equipment_hub
can_book = is_signed_in & ~reads_only
can_view_booking = is_officer | owns_booking | operates_booking_hub
can_cancel_booking = owns_booking | operates_booking_hub | is_officer
can_manage_hub_equipment = is_officer | is_hub_operator  # object: a hub

rules.add_perm("equipment.view_equipment", rules.always_allow)
rules.add_perm("equipment.change_equipment", can_manage_machine)
rules.add_perm("equipment.add_booking", can_book)
rules.add_perm("equipment.view_booking", can_view_booking)
rules.add_perm("equipment.cancel_booking", can_cancel_booking)
rules.add_perm("equipment.manage_hub_equipment", can_manage_hub_equipment)
