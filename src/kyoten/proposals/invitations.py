"""Invitation purposes of proposals: the three signatories (R-3) and applicant staff of a
partner prefecture."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.accounts.purposes import Purpose
from kyoten.core.enums import Role
from kyoten.core.models import Prefecture
from kyoten.core.rules import is_applicant
from kyoten.proposals.models import Proposal, ProposalStatus, SignatoryRole
from kyoten.proposals.rules import participant_codes
from kyoten.proposals.services import signature_request

OPEN = (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.RETURNED)


def editable_proposals(user):
    if not (is_applicant(user) and user.prefecture_id):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(prefectures=user.prefecture_id, status__in=OPEN)
        .select_related("call")
        .order_by("-pk")
    )


def _proposals(user) -> list[tuple[str, str]]:
    return [
        (str(p.pk), f"{p.title or _('(untitled)')}（{p.call.title}）")
        for p in editable_proposals(user)
    ]


def _sign_as(role: str):
    def accept(invitation, user) -> str:
        proposal = Proposal.objects.get(pk=int(invitation.target_id))
        signature_request(proposal=proposal, by=invitation.invited_by, role=role, user=user)
        return reverse("proposals:edit", args=[proposal.pk])

    return accept


def _partner_prefectures(user) -> list[tuple[str, str]]:
    codes: set[str] = set()
    for proposal in editable_proposals(user).prefetch_related("prefectures"):
        codes |= participant_codes(proposal)
    codes.discard(user.prefecture_id)
    return [(p.code, p.name) for p in Prefecture.objects.filter(code__in=codes)]


def _accept_staff(invitation, user) -> str:
    if user.prefecture_id is None:
        user.prefecture_id = invitation.target_id
        user.save(update_fields=["prefecture"])
    return reverse("proposals:workspace")


def purposes() -> list[Purpose]:
    labels = {
        SignatoryRole.GOVERNOR: lambda: _("signatory of a proposal: governor"),
        SignatoryRole.UNIVERSITY_HEAD: lambda: _(
            "signatory of a proposal: head of university or college"
        ),
        SignatoryRole.INDUSTRY: lambda: _("signatory of a proposal: industry representative"),
    }
    return [
        *[
            Purpose(
                key=f"sign_{role}",
                label=label,
                role=Role.SIGNATORY,
                targets=_proposals,
                accept=_sign_as(role),
            )
            for role, label in labels.items()
        ],
        Purpose(
            key="applicant_staff",
            label=lambda: _("applicant staff of a partner prefecture"),
            role=Role.APPLICANT,
            targets=_partner_prefectures,
            accept=_accept_staff,
        ),
    ]
