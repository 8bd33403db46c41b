"""Forms of the committees page: create a committee, add a member, set a review phase."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kyoten.review.enums import MemberRole


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker; values are Japan time (the site's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name of the committee"), max_length=200)
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Term ends (optional)"), required=False, widget=DateInput)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [obj.username, obj.get_role_display()]
        if obj.organisation_id:
            parts.append(str(obj.organisation))
        return f"{obj} ({', '.join(parts)})"


class MemberForm(forms.Form):
    user = UserChoiceField(label=_("Person"), queryset=None, empty_label="—")
    role = forms.ChoiceField(label=_("Role on the committee"), choices=MemberRole.choices)
    keywords = forms.CharField(
        label=_("Fields of expertise (comma-separated, used to match reviewers to proposals)"),
        required=False,
        max_length=500,
    )
    max_load = forms.IntegerField(
        label=_("Own load limit (optional; empty: the call's limit)"),
        required=False,
        min_value=0,
        max_value=1000,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates

    def clean_keywords(self) -> list[str]:
        text = self.cleaned_data.get("keywords") or ""
        return [k.strip() for k in re.split(r"[,、，;；\n]", text) if k.strip()]


class PhaseForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Phase opens (Japan time)"), widget=DateTimeLocalInput)
    ends_at = forms.DateTimeField(label=_("Phase closes (Japan time)"), widget=DateTimeLocalInput)
