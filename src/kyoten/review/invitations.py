"""Invitation purposes of review: seats on the review and promotion committees."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.accounts.purposes import Purpose
from kyoten.core.enums import Role
from kyoten.core.rules import is_officer
from kyoten.review.enums import CommitteeKind, MemberRole
from kyoten.review.models import Committee
from kyoten.review.services import committee_member_add


def _committees(kind: str, *, without_chair: bool = False):
    def targets(user) -> list[tuple[str, str]]:
        if not is_officer(user):
            return []
        qs = Committee.objects.filter(kind=kind).order_by("-term_start", "-id")
        if without_chair:
            qs = qs.exclude(memberships__role=MemberRole.CHAIR)
        return [(str(c.pk), c.name) for c in qs]

    return targets


def _seat(role: str):
    def accept(invitation, user) -> str:
        committee = Committee.objects.get(pk=int(invitation.target_id))
        committee_member_add(committee=committee, user=user, role=role, by=invitation.invited_by)
        if committee.kind == CommitteeKind.REVIEW:
            return reverse("review:mine")
        return reverse("home")

    return accept


def purposes() -> list[Purpose]:
    return [
        Purpose(
            key="reviewer",
            label=lambda: _("member of the review committee"),
            role=Role.REVIEWER,
            targets=_committees(CommitteeKind.REVIEW),
            accept=_seat(MemberRole.MEMBER),
        ),
        Purpose(
            key="review_chair",
            label=lambda: _("chair of the review committee"),
            role=Role.CHAIR,
            targets=_committees(CommitteeKind.REVIEW, without_chair=True),
            accept=_seat(MemberRole.CHAIR),
        ),
        Purpose(
            key="committee_member",
            label=lambda: _("member of the promotion committee"),
            role=Role.COMMITTEE,
            targets=_committees(CommitteeKind.PROMOTION),
            accept=_seat(MemberRole.MEMBER),
        ),
    ]
