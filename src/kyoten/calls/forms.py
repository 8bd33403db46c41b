"""Program settings form: every setting of a program, editable by an officer."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kyoten.calls.program import FORM_LABELS, FORMS


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6, "class": "mono"})

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=1)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return json.loads(value or "null")
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(e)s") % {"e": exc}) from None


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year of the budget"), min_value=1989, max_value=2200
    )
    budget_yen = forms.IntegerField(label=_("Program budget (yen)"), min_value=1)
    cap_yen = forms.IntegerField(label=_("Cap per hub (yen)"), min_value=1)
    allowed_forms = forms.MultipleChoiceField(
        label=_("Allowed forms"), choices=[(k, FORM_LABELS[k]) for k in FORMS],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    horizon_years = forms.IntegerField(
        label=_("Planning horizon (years)"), min_value=1, max_value=30
    )
    near_goal_from = forms.IntegerField(label=_("Near goal from year"), min_value=1, max_value=30)
    near_goal_to = forms.IntegerField(label=_("Near goal to year"), min_value=1, max_value=30)
    require_electronic_signatures = forms.BooleanField(
        label=_("Signatories must confirm with their own login"), required=False
    )
    review_criteria = JSONTextField(label=_("Review criteria with weights (JSON)"))
    kpi_catalogue = JSONTextField(label=_("KPI catalogue (JSON: key → [Japanese, English])"))
    required_sections = JSONTextField(label=_("Required sections (JSON list)"))
