"""Permission predicates for proposals (the `rules` package)."""

from __future__ import annotations

import rules

from kyoten.core.rules import is_applicant, is_observer, is_officer, is_signatory


def participant_codes(proposal) -> set[str]:
    codes = {p.code for p in proposal.prefectures.all()}
    codes.add(proposal.lead_prefecture_id)
    return codes


@rules.predicate
def is_participant(user, proposal) -> bool:
    """An applicant whose prefecture takes part in the proposal (lead or member)."""
    if proposal is None or not getattr(user, "prefecture_id", None):
        return False
    return user.prefecture_id in participant_codes(proposal)


@rules.predicate
def is_invited_signatory(user, proposal) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.signatures.filter(user=user).exists()


@rules.predicate
def is_editable(user, proposal) -> bool:
    return proposal is not None and proposal.status in {"draft", "submitted", "returned"}


can_view_proposal = (
    is_officer
    | is_observer
    | (is_applicant & is_participant)
    | (is_signatory & is_invited_signatory)
)


@rules.predicate
def is_lead_or_allowed_partner(user, proposal) -> bool:
    """The lead prefecture edits; partners only where the lead allows it (R-2)."""
    if proposal is None or not getattr(user, "prefecture_id", None):
        return False
    return user.prefecture_id == proposal.lead_prefecture_id or proposal.partners_may_edit


can_edit_proposal = is_applicant & is_participant & is_editable & is_lead_or_allowed_partner
can_manage_proposals = is_officer

rules.add_perm("proposals.view_proposal", can_view_proposal)
rules.add_perm("proposals.change_proposal", can_edit_proposal)
rules.add_perm("proposals.submit_proposal", can_edit_proposal)
rules.add_perm("proposals.return_proposal", can_manage_proposals)
rules.add_perm("proposals.export_proposals", is_officer | is_observer)
