"""Pages of accounts: invitations (sent and accepted), registration, profile, organisation.

Thin: services do every write; a DomainError is shown on the field it names.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.accounts import purposes, selectors, services
from kyoten.accounts.forms import (
    AcceptForm,
    InviteForm,
    PreferencesForm,
    ProfileForm,
    RegisterForm,
)
from kyoten.accounts.models import Invitation
from kyoten.core import services as core_services
from kyoten.core.errors import DomainError, NotFound
from kyoten.core.forms import show_domain_error
from kyoten.core.models import User
from kyoten.core.rules import is_applicant, is_officer
from kyoten.notices import services as notices
from kyoten.notices.models import NoticePreference

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def invitations(request):
    if not (is_officer(request.user) or is_applicant(request.user)):
        raise PermissionDenied(_("Your role does not invite people."))
    choices = purposes.choices_for(request.user)
    form = InviteForm(
        request.POST or None, choices=choices, initial={"what": request.GET.get("what", "")}
    )
    if request.method == "POST" and form.is_valid():
        key, _sep, target = form.cleaned_data["what"].partition(":")
        try:
            invitation = services.invitation_create(
                by=request.user,
                purpose=key,
                target_id=target,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            show_domain_error(form, exc, aliases={"purpose": "what"})
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:invitations")
    page = Paginator(selectors.invitations_by(request.user), 30).get_page(request.GET.get("page"))
    labels = selectors.purpose_labels(request.user, page.object_list)
    rows = [(i, labels.get(i.pk, "")) for i in page.object_list]
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "page": page, "rows": rows, "can_invite": bool(choices)},
    )


@login_required
@require_POST
def invitation_action(request, pk: int, action: str):
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    try:
        if action == "resend":
            services.invitation_resend(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation has been sent again with a new link."))
        elif action == "withdraw":
            services.invitation_withdraw(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation has been withdrawn."))
        else:
            raise Http404
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:invitations")


def accept(request, token: str):
    """The page the invitation mail links to."""
    try:
        invitation = services.invitation_from_token(token)
    except NotFound:
        return render(request, "accounts/link_invalid.html", status=404)
    purpose = purposes.purpose(invitation.purpose)
    what = purpose.label() if purpose else ""
    existing = services.existing_account(invitation)
    form = None
    if not request.user.is_authenticated and existing is None:
        form = AcceptForm(
            request.POST or None,
            initial={"display_name": invitation.name, "username": invitation.email},
        )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                user, landing = services.invitation_accept(token=token, user=request.user)
            elif form is not None and form.is_valid():
                user, landing = services.invitation_accept(
                    token=token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                )
                login(request, user, backend=BACKEND)
            else:
                user = None
        except NotFound:
            return render(request, "accounts/link_invalid.html", status=404)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                user = None
            else:
                show_domain_error(form, exc)
                user = None
        if user is not None:
            messages.success(request, _("Welcome: you are now %(what)s.") % {"what": what})
            return redirect(landing)
    return render(
        request,
        "accounts/accept.html",
        {"invitation": invitation, "what": what, "form": form, "existing": existing},
    )


def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
                organisation=data["organisation"],
                kind=data["kind"],
                prefecture=data["prefecture"],
                is_sme=data["is_sme"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return render(request, "accounts/register_sent.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form})


def verify(request, token: str):
    try:
        user = services.email_verify(token=token)
    except NotFound:
        return render(request, "accounts/link_invalid.html", status=404)
    except DomainError as exc:
        messages.info(request, exc.message)
        return redirect("login")
    login(request, user, backend=BACKEND)
    messages.success(
        request, _("Your e-mail address is confirmed. Find equipment and book it below.")
    )
    return redirect(selectors.landing_for(user))


@login_required
def profile(request):
    user: User = request.user
    current = dict(NoticePreference.objects.filter(user=user).values_list("kind", "delivery"))
    profile_form = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial={"display_name": user.display_name, "email": user.email, "language": user.language},
    )
    prefs_form = PreferencesForm(
        request.POST if request.POST.get("form") == "notices" else None, current=current
    )
    new_token = None
    if request.method == "POST":
        if request.POST.get("form") == "token":
            # Shown once, on this answer only (never put in a message or cookie).
            new_token = core_services.token_issue(user=user)
        elif request.POST.get("form") == "profile" and profile_form.is_valid():
            try:
                services.profile_update(user=user, **profile_form.cleaned_data)
            except DomainError as exc:
                show_domain_error(profile_form, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                response = redirect("accounts:profile")
                response.set_cookie("django_language", user.language, samesite="Lax")
                return response
        elif request.POST.get("form") == "notices" and prefs_form.is_valid():
            chosen = {k: v for k, v in prefs_form.cleaned_data.items() if v}
            try:
                notices.preferences_set(user=user, choices=chosen)
            except DomainError as exc:
                show_domain_error(prefs_form, exc)
            else:
                messages.success(request, _("Your notice settings are saved."))
                return redirect(reverse("accounts:profile") + "#notices")
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form,
            "prefs_form": prefs_form,
            "roles": selectors.role_labels(user),
            "organisation": user.organisation,
            "tokens": selectors.tokens_of(user),
            "new_token": new_token,
            "token_days": settings.KYOTEN_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of one's own API tokens; anyone else's is answered 404."""
    try:
        core_services.token_revoke(user=request.user, token_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The token is revoked; programs using it can no longer sign in."))
    return redirect(reverse("accounts:profile") + "#tokens")


@login_required
def organisation(request):
    org = request.user.organisation
    if org is None:
        raise Http404
    members = selectors.members_of(org)
    if request.method == "POST":
        contact = members.filter(pk=request.POST.get("contact") or 0).first()
        try:
            if contact is None:
                raise DomainError(_("choose a member"), field="contact")
            services.billing_contact_set(organisation=org, contact=contact, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The billing contact is saved."))
            return redirect("accounts:organisation")
    return render(request, "accounts/organisation.html", {"org": org, "members": members})
