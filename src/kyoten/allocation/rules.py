"""Who may run, see, adopt and publish allocations."""

from __future__ import annotations

import rules

from kyoten.core.rules import is_committee_member, is_observer, is_officer, is_review_chair

# The officer and the committees (review chair, promotion committee) build and compare runs.
can_allocate = is_officer | is_committee_member | is_review_chair
# The officer records the committee's decision (it moves proposals on, see proposal_set_outcome).
can_adopt = is_officer

# Ministries read the published decisions, with their PDF and Excel; they run nothing.
can_view_allocations = can_allocate | is_observer

rules.add_perm("allocation.run", can_allocate)
rules.add_perm("allocation.view", can_view_allocations)
rules.add_perm("allocation.adopt", can_adopt)
