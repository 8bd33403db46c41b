"""Forms of the network's posting pages. They parse input only; the services decide who may
post where and what needs moderation."""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kyoten.core.reference import BLOCKS, prefectures
from kyoten.core.rules import is_officer
from kyoten.network.enums import Visibility
from kyoten.network.models import CompanyNeed, Expert, News, Project, Result
from kyoten.network.rules import is_company_user, operated_blocks, operated_hub_ids

# Kind in the URL → (model, the fields a person fills in, in order).
POST_KINDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "news": (News, ("title", "body", "field", "keywords")),
    "event": (News, ("title", "starts_at", "ends_at", "place", "body", "field", "keywords")),
    "project": (
        Project,
        ("title", "summary", "partners", "start_date", "end_date", "outcome", "field", "keywords"),
    ),
    "result": (Result, ("kind", "title", "year", "identifier", "summary", "field", "keywords")),
    "expert": (
        Expert,
        (
            "name",
            "name_kana",
            "role",
            "position",
            "affiliation",
            "profile",
            "erad_number",
            "orcid",
            "researchmap_id",
            "field",
            "keywords",
        ),
    ),
    "need": (CompanyNeed, ("title", "description", "field", "keywords")),
}
# An operator or officer posting a need on a company's behalf names the company.
NEED_FOR_COMPANY = ("company_name", "is_sme")

WIDGETS = {
    "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
}

NATIONWIDE = "nationwide"


def owner_choices(user, kind: str) -> list[tuple[str, str]]:
    """Where this user may post this kind: `hub:<id>`, `region:<block>` or `nationwide`.
    A company may address any hub; its own region's hubs come first (region first, R-14)."""
    from kyoten.hubs.models import Hub

    hubs = Hub.objects.select_related("lead_prefecture").order_by("lead_prefecture_id", "name")
    company = kind == "need" and is_company_user(user) and not operated_hub_ids(user)
    if is_officer(user) or company:
        blocks = list(BLOCKS)
    else:
        hubs = hubs.filter(pk__in=operated_hub_ids(user))
        blocks = [b for b in BLOCKS if b in operated_blocks(user)]
    home = ""
    org = getattr(user, "organisation", None) if company else None
    code = (org.prefecture_id if org else "") or getattr(user, "prefecture_id", "") or ""
    if code in prefectures():
        home = prefectures()[code].block
        codes = [p.code for p in prefectures().values() if p.block == home]
        hubs = hubs.annotate(
            away=Case(
                When(lead_prefecture_id__in=codes, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("away", "lead_prefecture_id", "name")
        blocks.sort(key=lambda b: b != home)
    choices = [(f"hub:{h.pk}", f"{h.name}（{h.lead_prefecture.name_ja}）") for h in hubs]
    choices += [(f"region:{b}", _("%(region)s region as a whole") % {"region": BLOCKS[b][0]})
                for b in blocks]  # fmt: skip
    if kind in ("news", "event") and is_officer(user):
        choices.append((NATIONWIDE, _("The whole network (nationwide)")))
    return choices


def owner_of(entry) -> str:
    if entry.hub_id:
        return f"hub:{entry.hub_id}"
    if entry.block:
        return f"region:{entry.block}"
    return NATIONWIDE


class PostForm(forms.Form):
    """One form for every kind: the model's own fields (labels and validators from the model),
    who the post belongs to, and who may read it."""

    def __init__(self, *args, kind: str, user, entry=None, **kwargs):
        model, names = POST_KINDS[kind]
        if kind == "need" and not (is_company_user(user) and not operated_hub_ids(user)):
            names = (*NEED_FOR_COMPANY, *names)
        initial = kwargs.pop("initial", {}) or {}
        if entry is not None:
            initial = {
                **{n: getattr(entry, n) for n in names},
                "owner": owner_of(entry),
                "visibility": Visibility.PUBLIC if entry.public else Visibility.MEMBERS,
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.kind = kind
        self.fields["owner"] = forms.ChoiceField(
            label=_("To the hub at") if kind == "need" else _("Belongs to"),
            choices=owner_choices(user, kind),
        )
        for name, field in fields_for_model(model, fields=names, widgets=WIDGETS).items():
            self.fields[name] = field
        if kind == "event":
            self.fields["starts_at"].required = True
        self.fields["visibility"] = forms.ChoiceField(
            label=_("Who may read it"),
            choices=Visibility.choices,
            initial=Visibility.PUBLIC,
            help_text=_(
                "Network members: people signed in with a role in the program (hubs, "
                "companies, ministries, the program office)."
            ),
        )

    def service_data(self, *, hub_lookup) -> dict:
        """What the services take: the model's fields plus the hub or region it belongs to."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("owner", "visibility")}
        data["public"] = self.cleaned_data["visibility"] == Visibility.PUBLIC
        owner = self.cleaned_data["owner"]
        if owner.startswith("hub:"):
            data["hub"] = hub_lookup(int(owner.split(":", 1)[1]))
            data["block"] = ""
        elif owner.startswith("region:"):
            data["hub"] = None
            data["block"] = owner.split(":", 1)[1]
        else:
            data["hub"] = None
            data["block"] = ""
        if self.kind in ("news", "event"):
            data["kind"] = self.kind
        return data


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is not approved (sent to the author)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )
