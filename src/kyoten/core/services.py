"""Writes of the core app."""

from __future__ import annotations

from django.db import transaction

from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.errors import DomainError
from kyoten.core.models import Organisation, Prefecture, RoleGrant, User


def _prefecture(code: str | None, *, field: str = "prefecture") -> Prefecture | None:
    if code is None:
        return None
    try:
        return Prefecture.objects.get(code=code)
    except Prefecture.DoesNotExist:
        raise DomainError(f"unknown prefecture code {code!r}", field=field) from None


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    prefecture: str | None = None,
    is_sme: bool = False,
    name_en: str = "",
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise DomainError(f"unknown kind {kind!r}", field="kind")
    if is_sme and kind != OrganisationKind.COMPANY:
        raise DomainError("only a company can be an SME", field="is_sme")
    if not name.strip():
        raise DomainError("a name is required", field="name")
    return Organisation.objects.create(
        name=name.strip(),
        name_en=name_en,
        kind=kind,
        prefecture=_prefecture(prefecture),
        is_sme=is_sme,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    email: str = "",
    prefecture: str | None = None,
    organisation: Organisation | None = None,
) -> User:
    if role not in Role.values:
        raise DomainError(f"unknown role {role!r}", field="role")
    if role == Role.APPLICANT and prefecture is None:
        raise DomainError("an applicant acts for a prefecture", field="prefecture")
    if User.objects.filter(username=username).exists():
        raise DomainError(f"user name {username!r} is taken", field="username")
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        email=email,
        prefecture=_prefecture(prefecture),
        organisation=organisation,
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def role_grant(*, user: User, role: str, by: User | None = None) -> bool:
    """Give `user` the role beside the ones they hold; False when they hold it already."""
    if role not in Role.values:
        raise DomainError(f"unknown role {role!r}", field="role")
    user.forget_roles()
    if role in user.roles:
        return False
    RoleGrant.objects.get_or_create(user=user, role=role, defaults={"granted_by": by})
    user.forget_roles()
    return True


def token_issue(*, user: User) -> str:
    """A new API token for `user` (the key, shown once; only its hash is stored)."""
    from kyoten.core.models import ApiToken

    with transaction.atomic():
        return ApiToken.issue(user)


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of `user`'s own tokens. Someone else's token is answered as missing; revoking
    twice changes nothing. The row is kept (with its history), marked revoked."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from kyoten.core.errors import NotFound
    from kyoten.core.models import ApiToken

    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("no such token"), field="token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._change_reason = "revoked"
        token.save(update_fields=["revoked_at"])
