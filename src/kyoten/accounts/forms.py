from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyoten.core.enums import OrganisationKind
from kyoten.core.models import Prefecture
from kyoten.notices.enums import MANDATORY, Delivery, NoticeKind


class Form(forms.Form):
    """Labels without a trailing colon, as the site's other forms write them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class InviteForm(Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    what = forms.ChoiceField(label=_("Invited as"))

    def __init__(self, *args, choices: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for value, purpose, target in choices:
            groups.setdefault(purpose, []).append((value, target or purpose))
        self.fields["what"].choices = [("", "—"), *groups.items()]


class AcceptForm(Form):
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    username = forms.CharField(
        label=_("User name"), max_length=150, help_text=_("You log in with it.")
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not a common password nor like your name."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


KIND_CHOICES = [
    (k.value, k.label)
    for k in (
        OrganisationKind.COMPANY,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.COLLEGE,
        OrganisationKind.KOSEN,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.OTHER,
    )
]


class RegisterForm(AcceptForm):
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=KIND_CHOICES)
    prefecture = forms.ChoiceField(label=_("Prefecture of the organisation"))
    is_sme = forms.TypedChoiceField(
        label=_("Size of the company"),
        choices=[
            ("1", _("Small or medium-sized enterprise (中小企業)")),
            ("0", _("Large enterprise, or not a company")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )

    field_order = [
        "display_name", "email", "organisation", "kind", "prefecture", "is_sme",
        "username", "password", "password2",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "—")] + [
            (p.code, p.name) for p in Prefecture.objects.all()
        ]


class ProfileForm(Form):
    display_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class PreferencesForm(Form):
    """One choice per kind of notice; the mandatory kinds are shown fixed."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NoticeKind:
            field = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, Delivery.EMAIL),
                required=False,
            )
            if kind in MANDATORY:
                field.disabled = True
                field.initial = Delivery.EMAIL
                field.help_text = _("Always sent by e-mail.")
            self.fields[kind.value] = field
