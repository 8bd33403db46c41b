"""Permission predicates of the hubs app (composed with core's role predicates)."""

from __future__ import annotations

import rules

from kyoten.core.rules import can_read_program, is_officer


@rules.predicate
def is_hub_operator(user, hub) -> bool:
    """The user is one of this hub's operators (its staff)."""
    if user is None or not user.is_authenticated or hub is None:
        return False
    cached = getattr(hub, "_operator_ids", None)
    if cached is not None:
        return user.pk in cached
    return hub.operators.filter(pk=user.pk).exists()


can_view_hub = rules.always_allow
can_edit_hub = is_officer | is_hub_operator
can_create_hub = is_officer
can_view_hub_internals = is_officer | is_hub_operator | can_read_program

rules.add_perm("hubs.view_hub", can_view_hub)
rules.add_perm("hubs.view_hub_internals", can_view_hub_internals)
rules.add_perm("hubs.change_hub", can_edit_hub)
rules.add_perm("hubs.add_hub", can_create_hub)
