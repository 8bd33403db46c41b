from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.rules import is_applicant
from kyoten.proposals.models import ProposalStatus, Signature
from kyoten.proposals.selectors import proposals_visible_to


def todos(user) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not user.is_authenticated:
        return out
    for sig in Signature.objects.filter(
        user=user, voided_at__isnull=True, signed_at__isnull=True
    ).select_related("proposal"):
        voided_before = Signature.objects.filter(
            proposal=sig.proposal,
            role=sig.role,
            user=user,
            voided_at__isnull=False,
            signed_at__isnull=False,
        ).exists()
        text = (_("The content of “%(t)s” changed after you signed: please sign again.") if voided_before
                else _("Please confirm and sign “%(t)s”.")) % {"t": sig.proposal.title}  # fmt: skip
        out.append((text, reverse("proposals:edit", args=[sig.proposal_id])))
    if is_applicant(user):
        for p in proposals_visible_to(user).filter(
            status__in=[ProposalStatus.DRAFT, ProposalStatus.RETURNED]
        ):
            text = (_("“%(t)s” was returned for correction.") if p.status == ProposalStatus.RETURNED
                    else _("“%(t)s” is a draft: finish and submit it before the deadline.")) % {"t": p.title or p.pk}  # fmt: skip
            out.append((text, reverse("proposals:edit", args=[p.pk])))
    return out
