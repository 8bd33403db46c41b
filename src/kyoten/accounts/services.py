"""Writes of accounts: invitations, self-registration with a verified e-mail, profiles."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.accounts import purposes
from kyoten.accounts.models import Invitation
from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.models import Organisation, Prefecture, User
from kyoten.core.services import role_grant
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify
from kyoten.notices.tasks import absolute, send_email

INVITE_SALT = "kyoten.accounts.invitation"
VERIFY_SALT = "kyoten.accounts.verify-email"
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _days() -> dt.timedelta:
    return dt.timedelta(days=settings.KYOTEN_INVITATION_DAYS)


def _email(value: str, field: str = "email") -> str:
    value = (value or "").strip()
    if not EMAIL_RE.fullmatch(value) or len(value) > 254:
        raise DomainError(_("not an e-mail address"), field=field)
    return value


def _name(value: str, field: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("a name is required"), field=field)
    if len(value) > 100:
        raise DomainError(_("at most 100 characters"), field=field)
    return value


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITE_SALT)


def invitation_link(invitation: Invitation) -> str:
    return absolute(reverse("accounts:accept", args=[invitation_token(invitation)]))


def _send_invitation(invitation: Invitation, *, target: str) -> None:
    inviter = invitation.invited_by
    with translation.override("ja"):
        subject = _("[kyoten] Invitation: %(purpose)s") % {"purpose": target}
        lines = [
            _("Dear %(name)s,") % {"name": invitation.name},
            "",
            _("%(inviter)s invites you to kyoten as %(purpose)s.")
            % {"inviter": inviter, "purpose": target},
            _("Follow this link to accept (it works once, until %(date)s):")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y年%m月%d日")},
            invitation_link(invitation),
            "",
            "--",
            _("kyoten: regional industry–academia–government joint research hubs"),
        ]
    send_email.enqueue([invitation.email], subject, "\n".join(lines))


def _purpose_or_error(key: str) -> purposes.Purpose:
    found = purposes.purpose(key)
    if found is None:
        raise DomainError(_("choose what the person is invited for"), field="purpose")
    return found


def _describe(p: purposes.Purpose, target_label: str) -> str:
    return f"{p.label()}（{target_label}）" if target_label else str(p.label())


@transaction.atomic
def invitation_create(
    *, by: User, purpose: str, target_id: str = "", name: str, email: str
) -> Invitation:
    """Invite a person by name and e-mail; the mail with the one-time link goes out at once."""
    p = _purpose_or_error(purpose)
    allowed = dict(p.targets(by))
    if target_id not in allowed:
        if not allowed:
            raise Forbidden(_("you may not invite people for this"), field="purpose")
        raise DomainError(_("choose what the person is invited for"), field="purpose")
    name, email = _name(name), _email(email)
    pending = Invitation.objects.filter(
        email__iexact=email,
        purpose=purpose,
        target_id=target_id,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise Conflict(
            _("%(email)s is already invited for this; resend that invitation instead")
            % {"email": email},
            field="email",
        )
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        name=name,
        purpose=purpose,
        target_id=target_id,
        role=p.role,
        invited_by=by,
        created_at=now,
        last_sent_at=now,
        expires_at=now + _days(),
        nonce=secrets.token_hex(16),
    )
    _send_invitation(invitation, target=_describe(p, allowed[target_id]))
    return invitation


def _locked_own(invitation: Invitation, by: User) -> Invitation:
    from kyoten.core.rules import is_officer

    row = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if row.invited_by_id != by.pk and not is_officer(by):
        raise NotFound(_("no such invitation"))
    if row.accepted_at:
        raise DomainError(_("this invitation has been accepted"), field="invitation")
    return row


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send again with a new link (the old one stops working) valid for the full period."""
    row = _locked_own(invitation, by)
    p = _purpose_or_error(row.purpose)
    now = timezone.now()
    row.nonce = secrets.token_hex(16)
    row.expires_at = now + _days()
    row.last_sent_at = now
    row.sent_count += 1
    row.withdrawn_at = None
    row.save(update_fields=["nonce", "expires_at", "last_sent_at", "sent_count", "withdrawn_at"])
    label = purposes.target_label(row.purpose, row.target_id, row.invited_by)
    _send_invitation(row, target=_describe(p, label))
    return row


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    row = _locked_own(invitation, by)
    if row.withdrawn_at is None:
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
    return row


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, if the link is genuine, current, unused and not withdrawn."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=_days())
    except signing.BadSignature:
        raise NotFound(_("this link is not valid or has expired")) from None
    invitation = Invitation.objects.filter(pk=data.get("i"), nonce=data.get("n")).first()
    if invitation is None or invitation.state != "pending":
        raise NotFound(_("this link is not valid, has expired or has been used")) from None
    return invitation


def existing_account(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email, is_active=True).first()


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    username: str = "",
    password: str = "",
    display_name: str = "",
) -> tuple[User, str]:
    """Accept with the signed-in account (`user`) or a new one (username and password).

    Returns the account and the page of what the person was invited for. The row is locked:
    the same link cannot be used twice, even by two requests at once.
    """
    found = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.state != "pending" or invitation.nonce != found.nonce:
        raise NotFound(_("this link is not valid, has expired or has been used"))
    p = _purpose_or_error(invitation.purpose)
    if user is None:
        if existing_account(invitation) is not None:
            raise DomainError(
                _("you already have an account with this e-mail address: log in to accept"),
                field="username",
            )
        user = _new_account(
            username=username,
            password=password,
            display_name=display_name or invitation.name,
            email=invitation.email,
            role=invitation.role,
        )
    else:
        role_grant(user=user, role=invitation.role, by=invitation.invited_by)
    landing = p.accept(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    notify(
        recipients=[invitation.invited_by],
        kind=NoticeKind.INVITATION_ACCEPTED,
        message=gettext_lazy("%(name)s has accepted your invitation (%(purpose)s)."),
        params={"name": str(user), "purpose": p.label()},
        url=reverse("accounts:invitations"),
    )
    return user, landing


def _new_account(
    *,
    username: str,
    password: str,
    display_name: str,
    email: str,
    role: str,
    prefecture: Prefecture | None = None,
    organisation: Organisation | None = None,
    active: bool = True,
) -> User:
    username = (username or "").strip()
    if not re.fullmatch(r"[\w.@+-]{3,150}", username):
        raise DomainError(
            _("3 to 150 letters, digits and @ . + - _ only"),
            field="username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("this user name is taken"), field="username")
    user = User(
        username=username,
        email=email,
        display_name=_name(display_name, "display_name"),
        role=role,
        prefecture=prefecture,
        organisation=organisation,
        is_active=active,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    return user


# ------------------------------------------------------------------ self-registration


def _organisation(*, name: str, kind: str, prefecture: str, is_sme: bool) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("name your organisation"), field="organisation")
    allowed = {
        OrganisationKind.COMPANY,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.COLLEGE,
        OrganisationKind.KOSEN,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.OTHER,
    }
    if kind not in allowed:
        raise DomainError(_("choose the kind of organisation"), field="kind")
    if is_sme and kind != OrganisationKind.COMPANY:
        raise DomainError(_("only a company can be an SME"), field="is_sme")
    pref = Prefecture.objects.filter(code=prefecture).first()
    if pref is None:
        raise DomainError(_("choose a prefecture"), field="prefecture")
    org = Organisation.objects.filter(name=name, kind=kind).first()
    if org is None:
        org = Organisation.objects.create(name=name, kind=kind, prefecture=pref, is_sme=is_sme)
    return org


@transaction.atomic
def user_register(
    *,
    username: str,
    password: str,
    display_name: str,
    email: str,
    organisation: str,
    kind: str,
    prefecture: str,
    is_sme: bool,
) -> User:
    """An equipment user registers: the account stays inactive until the e-mail is verified."""
    email = _email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("an account with this e-mail address exists: log in or reset the password"),
            field="email",
        )
    org = _organisation(name=organisation, kind=kind, prefecture=prefecture, is_sme=is_sme)
    user = _new_account(
        username=username,
        password=password,
        display_name=display_name,
        email=email,
        role=Role.EQUIPMENT_USER,
        prefecture=org.prefecture,
        organisation=org,
        active=False,
    )
    if org.billing_contact_id is None:
        org.billing_contact = user
        org.save(update_fields=["billing_contact"])
    _send_verification(user)
    return user


def _send_verification(user: User) -> None:
    token = signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT)
    link = absolute(reverse("accounts:verify", args=[token]))
    with translation.override(user.language or "ja"):
        subject = _("[kyoten] Confirm your e-mail address")
        body = "\n".join(
            [
                _("Dear %(name)s,") % {"name": str(user)},
                "",
                _("Confirm your e-mail address to start using kyoten:"),
                link,
                "",
                _("If you did not register, ignore this message."),
            ]
        )
    send_email.enqueue([user.email], subject, body)


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=_days())
    except signing.BadSignature:
        raise NotFound(_("this link is not valid or has expired")) from None
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        raise NotFound(_("this link is not valid or has expired"))
    if user.is_active:
        raise DomainError(_("this address is verified already: log in"), field="token")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


# ------------------------------------------------------------------ profile


@transaction.atomic
def profile_update(*, user: User, display_name: str, email: str, language: str) -> User:
    user.display_name = _name(display_name, "display_name")
    user.email = _email(email)
    if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
        raise DomainError(_("another account uses this e-mail address"), field="email")
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("choose a language"), field="language")
    user.language = language
    user.save(update_fields=["display_name", "email", "language"])
    return user


@transaction.atomic
def billing_contact_set(*, organisation: Organisation, contact: User, by: User) -> Organisation:
    """The billing contact hands the role to another member (self-registration joins anyone
    who types the organisation's name, so members alone may not take the invoices)."""
    from kyoten.core.rules import is_officer

    current = organisation.billing_contact_id
    if not (
        is_officer(by)
        or current == by.pk
        or (current is None and by.organisation_id == organisation.pk)
    ):
        raise Forbidden(_("only the billing contact passes the role to another member"))
    if contact.organisation_id != organisation.pk:
        raise DomainError(_("the billing contact must belong to the organisation"), field="contact")
    organisation.billing_contact = contact
    organisation.save(update_fields=["billing_contact"])
    return organisation
