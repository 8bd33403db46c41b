"""Forms of the equipment pages (parsing only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten.core.reference import BLOCKS, prefectures
from kyoten.equipment import photos
from kyoten.equipment.enums import Access, Category, Mode


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *Category.choices]
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False, choices=[])
    block = forms.ChoiceField(label=_("Regional block"), required=False, choices=[])
    max_fee = forms.IntegerField(label=_("Max. fee per hour (yen)"), required=False, min_value=0)
    access = forms.ChoiceField(
        label=_("Who may use it"), required=False, choices=[("", "—"), *Access.choices]
    )
    mode = forms.ChoiceField(
        label=pgettext_lazy("equipment", "Mode"), required=False, choices=[("", "—"), *Mode.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "—")] + [
            (code, f.name_ja) for code, f in prefectures().items()
        ]
        self.fields["block"].choices = [("", "—")] + [(k, v[0]) for k, v in BLOCKS.items()]


class BookingForm(forms.Form):
    start = forms.DateTimeField(
        label=pgettext_lazy("equipment", "Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label=pgettext_lazy("equipment", "End"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    mode = forms.ChoiceField(label=pgettext_lazy("equipment", "Mode"), choices=[])
    purpose = forms.CharField(
        label=pgettext_lazy("equipment", "Purpose"), required=False, max_length=300
    )
    repeat_weeks = forms.IntegerField(
        label=_("Repeat weekly (number of weeks, 1 = once)"), min_value=1, max_value=52, initial=1
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m, Mode(m).label) for m in modes]


class UsageForm(forms.Form):
    actual_start = forms.DateTimeField(
        label=pgettext_lazy("equipment", "Actual start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    actual_end = forms.DateTimeField(
        label=pgettext_lazy("equipment", "Actual end"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    will_acknowledge = forms.BooleanField(
        label=_("I will acknowledge the facility (and its grant number) in publications"),
        required=False,
    )
    publication_note = forms.CharField(label=_("Planned publication"), required=False)


class InvoiceRunForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2009, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"),
        widget=forms.FileInput(attrs={"accept": photos.ACCEPT}),
    )
    caption = forms.CharField(
        label=_("Description (alternative text)"),
        max_length=photos.CAPTION_MAX,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
