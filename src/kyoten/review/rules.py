"""Permission predicates of the review (the `rules` package).

The selectors are imported when a predicate runs: `rules` imports this module at start-up,
which every command pays for (issue 18 part 5)."""

from __future__ import annotations

import rules

from kyoten.core.rules import is_officer, is_reviewer


@rules.predicate
def is_own_review(user, assignment) -> bool:
    return bool(assignment is not None and assignment.reviewer_id == getattr(user, "pk", None))


@rules.predicate
def not_conflicted(user, proposal) -> bool:
    from kyoten.review import selectors

    return proposal is not None and proposal.pk not in selectors.conflicted_proposal_ids(user)


@rules.predicate
def is_chair_of_call(user, call) -> bool:
    from kyoten.review import selectors

    return call is not None and selectors.is_review_chair_of(user, call)


@rules.predicate
def is_deputy_chair_of_call(user, call) -> bool:
    from kyoten.review import selectors

    return call is not None and selectors.is_deputy_chair_of(user, call)


@rules.predicate
def is_member_of_call(user, call) -> bool:
    from kyoten.review import selectors

    return call is not None and selectors.membership_in_review(user, call) is not None


can_score = is_reviewer & is_own_review
# The chair's pages: the deputy chair sees them too, for the proposals the chair is kept from.
can_see_ranking = is_officer | is_chair_of_call | is_deputy_chair_of_call
can_manage_assignment = is_officer
can_declare_conflict = is_member_of_call
can_manage_committees = is_officer

rules.add_perm("review.score", can_score)
rules.add_perm("review.view_ranking", can_see_ranking)
rules.add_perm("review.manage_assignment", can_manage_assignment)
rules.add_perm("review.view_progress", can_see_ranking)
rules.add_perm("review.declare_conflict", can_declare_conflict)
rules.add_perm("review.manage_committees", can_manage_committees)
