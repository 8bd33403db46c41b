"""Forms of the hub pages. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kyoten.core.models import Organisation
from kyoten.hubs.enums import (
    AssetKind,
    AssetOwner,
    ContactRole,
    FundingSource,
    HubCategory,
    HubForm,
    LandProvider,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"})


class OperatorHubForm(forms.Form):
    """What a hub's own operators may change (services.OPERATOR_FIELDS)."""

    summary = forms.CharField(label=_("What the hub offers"), widget=forms.Textarea, required=False)
    how_to_use = forms.CharField(label=_("How to use it"), widget=forms.Textarea, required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    land_address = forms.CharField(label=_("Land address"), required=False, max_length=300)
    land_area_m2 = forms.IntegerField(label=_("Land area (m²)"), required=False, min_value=1)
    land_provided_by = forms.ChoiceField(
        label=_("Land provided by"),
        choices=[("", "—"), *LandProvider.choices],
        required=False,
    )
    land_campus = forms.CharField(label=_("Campus"), required=False, max_length=200)


class OfficerHubForm(OperatorHubForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    form = forms.ChoiceField(label=_("Form"), choices=HubForm.choices)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *HubCategory.choices], required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    award_yen = forms.IntegerField(label=_("Award (yen)"), min_value=0)
    operation_start_fy = forms.IntegerField(
        label=_("Operation start (fiscal year)"), required=False, min_value=1900, max_value=2200
    )
    representative_name = forms.CharField(label=_("Representative"), required=False)

    field_order = ["name", "form", "category", "stage", "award_yen", "operation_start_fy"]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE)
    budget_yen = forms.IntegerField(label=_("Budget (yen)"), min_value=0, initial=0)
    spent_yen = forms.IntegerField(label=_("Spent (yen)"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False)


class AssetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    acquisition_cost_yen = forms.IntegerField(label=_("Acquisition cost (yen)"), min_value=1)
    acquired_on = forms.DateField(label=_("Acquired on"), widget=DATE)
    useful_life_years = forms.IntegerField(
        label=_("Useful life (years)"), min_value=1, max_value=100
    )
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    owner = forms.ChoiceField(label=_("Owner"), choices=AssetOwner.choices)
    location = forms.CharField(label=_("Location within the hub"), required=False)


class TransferForm(forms.Form):
    to_location = forms.CharField(label=_("New location"), max_length=200)
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False)


class DisposeForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"))


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.CharField(label=_("Position"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    is_chair = forms.BooleanField(label=_("Chair (the representative)"), required=False)
    term_start = forms.DateField(label=_("Term start"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("Term end"), required=False, widget=DATE)


class ContactForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=100)
    area_m2 = forms.IntegerField(label=_("Area (m²)"), required=False, min_value=1)


class TenantForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=None)
    venture = forms.CharField(label=_("Venture"), max_length=200)
    entered_on = forms.DateField(label=_("Entry date"), widget=DATE)
    graduated_on = forms.DateField(label=_("Graduation date"), required=False, widget=DATE)

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = hub.rooms.all()


class GraduateForm(forms.Form):
    on = forms.DateField(label=_("Graduation date"), widget=DATE)
