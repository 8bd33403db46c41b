"""Role predicates (the `rules` package). Apps compose these with their own object predicates."""

from __future__ import annotations

import rules

from kyoten.core.enums import Role


def _has_role(*roles: str):
    @rules.predicate
    def predicate(user) -> bool:
        if not (user and user.is_authenticated):
            return False
        held = getattr(user, "roles", None)
        if held is None:  # a stand-in user without grants (e.g. the command line's officer)
            held = {getattr(user, "role", None)}
        return not held.isdisjoint(roles)

    predicate.name = "has_role_" + "_".join(roles)
    return predicate


is_officer = _has_role(Role.OFFICER) | rules.is_superuser
is_applicant = _has_role(Role.APPLICANT)
is_signatory = _has_role(Role.SIGNATORY)
is_reviewer = _has_role(Role.REVIEWER, Role.CHAIR)
is_review_chair = _has_role(Role.CHAIR)
is_committee_member = _has_role(Role.COMMITTEE)
is_operator = _has_role(Role.OPERATOR)
is_equipment_user = _has_role(Role.EQUIPMENT_USER)
is_observer = _has_role(Role.OBSERVER)
is_signed_in = rules.is_authenticated

# ministries read program and network data; officers and the promotion committee too.
can_read_program = is_officer | is_observer | is_committee_member

rules.add_perm("core.view_program_data", can_read_program)
rules.add_perm("core.manage_program", is_officer)
rules.add_perm("core.view_organisation", rules.always_allow)
rules.add_perm("core.change_organisation", is_officer)
