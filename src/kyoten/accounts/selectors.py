from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from kyoten.accounts import purposes
from kyoten.accounts.models import Invitation
from kyoten.core.enums import Role
from kyoten.core.models import ApiToken, Organisation, User
from kyoten.core.rules import is_officer


def invitations_by(user) -> QuerySet[Invitation]:
    """Invitations the user sent; officers see everyone's."""
    qs = Invitation.objects.select_related("invited_by", "accepted_by")
    if not is_officer(user):
        qs = qs.filter(invited_by=user)
    return qs.order_by("-created_at", "-id")


def purpose_labels(user, invitations) -> dict[int, str]:
    """ "what for" of each invitation on a page, asking each purpose for its targets once."""
    targets: dict[str, dict[str, str]] = {}
    out = {}
    for inv in invitations:
        p = purposes.purpose(inv.purpose)
        if p is None:
            continue
        if inv.purpose not in targets:
            targets[inv.purpose] = dict(p.targets(inv.invited_by))
        label = targets[inv.purpose].get(inv.target_id, "")
        out[inv.pk] = f"{p.label()}（{label}）" if label else str(p.label())
    return out


def role_labels(user: User) -> list[str]:
    return [str(label) for value, label in Role.choices if value in user.roles]


def members_of(org: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=org, is_active=True).order_by("display_name", "pk")


def landing_for(user: User) -> str:
    if Role.EQUIPMENT_USER in user.roles:
        return reverse("equipment:search")
    return reverse("home")


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones too, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
