"""Forms of the equipment pages (parsing only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoten.core.money import format_yen
from kyoten.core.reference import BLOCKS, block_label, prefectures
from kyoten.equipment import photos
from kyoten.equipment.enums import Access, Category, Mode, UserClass
from kyoten.equipment.fees import pct_factor
from kyoten.equipment.slots import WEEKDAY_LABELS, SlotError, parse_hhmm


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
        self.fields["block"].choices = [("", "—")] + [(k, block_label(k)) for k in BLOCKS]


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
    samples = forms.IntegerField(
        label=_("Number of samples"), min_value=0, max_value=999, initial=0, required=False,
    )  # fmt: skip
    private = forms.BooleanField(
        label=_("I keep the results unpublished (non-publish price)"), required=False
    )

    def __init__(self, *args, modes=(), equipment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m, Mode(m).label) for m in modes]
        # Asked only where the machine prices them.
        if equipment is None or not equipment.per_sample_yen:
            del self.fields["samples"]
        else:
            self.fields["samples"].help_text = _("%(rate)s a sample.") % {
                "rate": format_yen(equipment.per_sample_yen)
            }
        if equipment is None or equipment.private_pct <= 100:
            del self.fields["private"]
        else:
            self.fields["private"].help_text = _(
                "Users who do not publish their results pay the machine and sample fees "
                "×%(factor)s."
            ) % {"factor": pct_factor(equipment.private_pct)}

    def fee_choices(self) -> dict:
        """samples and private as the booking services take them (0 and False when not asked)."""
        data = self.cleaned_data
        return {"samples": data.get("samples") or 0, "private": bool(data.get("private"))}


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


class TrainingFilterForm(forms.Form):
    """Filters of the training list (parsing only; the selector filters)."""

    equipment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    hub = forms.ChoiceField(label=_("Hub"), required=False, choices=[])
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False, choices=[])
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, hubs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].choices = [("", "—")] + [(str(h.pk), h.name) for h in hubs]
        self.fields["prefecture"].choices = [("", "—")] + [
            (code, f.name_ja) for code, f in prefectures().items()
        ]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    equipment = forms.ChoiceField(label=_("Machine"), required=False, choices=[])
    category = forms.ChoiceField(
        label=_("or a category of the hub's machines"),
        required=False,
        choices=[("", "—"), *Category.choices],
    )
    hours = forms.IntegerField(label=_("Length (hours)"), min_value=1, max_value=100, initial=3)
    validity_months = forms.IntegerField(
        label=_("Certificate valid for (months)"),
        required=False,
        min_value=1,
        max_value=120,
        initial=24,
        help_text=_("Empty: the certificate does not expire."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args, machines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].choices = [("", "—")] + [(str(m.pk), m.name) for m in machines]


class SessionForm(forms.Form):
    course = forms.ChoiceField(label=_("Course"), choices=[])
    start = forms.DateTimeField(
        label=pgettext_lazy("equipment", "Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label=pgettext_lazy("equipment", "End"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=200, initial=6)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    instructor = forms.ChoiceField(label=_("Instructor"), required=False, choices=[])

    def __init__(self, *args, courses=(), instructors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(str(c.pk), c.title) for c in courses]
        self.fields["instructor"].choices = [("", "—")] + [(str(u.pk), str(u)) for u in instructors]


def _fee_field_name(user_class: str, mode: str) -> str:
    return f"fee_{user_class}_{mode}"


class EquipmentForm(forms.Form):
    """A machine as its hub's operators describe it: what it is, who may use it how, when it
    is open, and its fee per hour for each user class and mode (empty: not offered)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    maker = forms.CharField(label=_("Maker"), max_length=100, required=False)
    model_name = forms.CharField(label=_("Model"), max_length=100, required=False)
    specs = forms.CharField(label=_("Specifications"), required=False, widget=forms.Textarea)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    access = forms.ChoiceField(label=_("Who may use it"), choices=Access.choices)
    requires_approval = forms.BooleanField(label=_("Bookings need approval"), required=False)
    acknowledgement_required = forms.BooleanField(
        label=_("Users must acknowledge the facility in publications"), required=False
    )
    open_weekdays = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=[(str(d), label) for d, label in WEEKDAY_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    opens = forms.CharField(label=_("Opens (HH:MM)"), max_length=5, initial="09:00")
    closes = forms.CharField(label=_("Closes (HH:MM, up to 24:00)"), max_length=5, initial="17:00")
    slot_minutes = forms.IntegerField(label=_("Calendar slot (minutes)"), min_value=5, initial=30)
    min_booking_minutes = forms.IntegerField(
        label=_("Shortest booking (minutes)"), min_value=5, initial=30
    )
    max_booking_minutes = forms.IntegerField(
        label=_("Longest booking (minutes)"), min_value=5, initial=480
    )
    lead_time_minutes = forms.IntegerField(
        label=_("Book at least (minutes ahead)"), min_value=0, initial=60
    )
    acquired_fy = forms.IntegerField(
        label=_("Acquired (fiscal year)"), required=False, min_value=1990, max_value=2100
    )
    # Optional parts of the fee (empty or 0: not used; 100 %: one price for everyone).
    per_day_yen = forms.IntegerField(
        label=_("Day rate (yen)"), required=False, min_value=0, max_value=10_000_000,
        widget=forms.NumberInput(attrs={"class": "yen", "step": 1}),
        help_text=_("Empty: no day rate. Otherwise the hourly machine fee is capped at this "
                    "amount per started day."),
    )  # fmt: skip
    day_hours = forms.IntegerField(
        label=_("Hours of a billed day"), required=False, min_value=1, max_value=24, initial=8,
        help_text=_("1 to 24 hours; 8 usually."),
    )  # fmt: skip
    per_sample_yen = forms.IntegerField(
        label=_("Fee per sample (yen)"), required=False, min_value=0, max_value=10_000_000,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "yen", "step": 1}),
        help_text=_("0: no fee per sample. Users give the number of samples when they book."),
    )  # fmt: skip
    base_fee_yen = forms.IntegerField(
        label=_("Base fee (yen)"), required=False, min_value=0, max_value=10_000_000,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "yen", "step": 1}),
        help_text=_("0: no base fee. Each user pays it once a fiscal year, with their first "
                    "booking of this machine in that year."),
    )  # fmt: skip
    private_pct = forms.IntegerField(
        label=_("Non-publish price (%)"), required=False, min_value=100, max_value=1000,
        initial=100,
        help_text=_("Users who keep their results unpublished pay this percentage of the "
                    "machine and sample fees (200 = ×2). 100: the same price for everyone."),
    )  # fmt: skip

    FEE_PART_DEFAULTS = {"day_hours": 8, "per_sample_yen": 0, "base_fee_yen": 0,
                         "private_pct": 100}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for user_class, class_label in UserClass.choices:
            for mode, mode_label in Mode.choices:
                self.fields[_fee_field_name(user_class, mode)] = forms.IntegerField(
                    label=f"{class_label} / {mode_label}", required=False, min_value=0,
                    widget=forms.NumberInput(attrs={"class": "yen", "step": 1}),
                )  # fmt: skip

    @classmethod
    def initial_for(cls, equipment) -> dict:
        initial = {
            name: getattr(equipment, name)
            for name in ("name", "name_en", "category", "maker", "model_name", "specs",
                         "location", "access", "requires_approval", "acknowledgement_required",
                         "slot_minutes", "min_booking_minutes", "max_booking_minutes",
                         "lead_time_minutes", "acquired_fy", "per_day_yen", "day_hours",
                         "per_sample_yen", "base_fee_yen", "private_pct")
        }  # fmt: skip
        initial["open_weekdays"] = list(equipment.open_weekdays)
        initial["opens"], initial["closes"] = equipment.opens, equipment.closes
        for fee in equipment.fees.all():
            initial[_fee_field_name(fee.user_class, fee.mode)] = fee.hourly_yen
        return initial

    def clean(self):
        data = super().clean()
        for name in ("opens", "closes"):
            if name in data:
                try:
                    data[f"{name}_minute"] = parse_hhmm(data[name], field=name)
                except SlotError as exc:
                    self.add_error(name, exc.message)
        return data

    def fee_table(self) -> list[tuple[str, list]]:
        """Rows of the fee grid: (user class label, [bound field per mode])."""
        return [
            (label, [self[_fee_field_name(user_class, mode)] for mode in Mode.values])
            for user_class, label in UserClass.choices
        ]

    def about_fields(self) -> list:
        names = ("name", "name_en", "category", "maker", "model_name", "specs", "location",
                 "acquired_fy")  # fmt: skip
        return [self[n] for n in names]

    def fee_part_fields(self) -> list:
        names = ("per_day_yen", "day_hours", "per_sample_yen", "base_fee_yen", "private_pct")
        return [self[n] for n in names]

    def rule_fields(self) -> list:
        names = ("opens", "closes", "slot_minutes", "min_booking_minutes", "max_booking_minutes",
                 "lead_time_minutes")  # fmt: skip
        return [self[n] for n in names]

    def machine_fields(self) -> dict:
        """The cleaned values as the services take them."""
        data = self.cleaned_data
        out = {
            name: data[name]
            for name in ("name", "name_en", "category", "maker", "model_name", "specs",
                         "location", "access", "requires_approval", "acknowledgement_required",
                         "slot_minutes", "min_booking_minutes", "max_booking_minutes",
                         "lead_time_minutes", "acquired_fy")
        }  # fmt: skip
        out["open_weekdays"] = "".join(sorted(data["open_weekdays"]))
        out["opens_minute"], out["closes_minute"] = data["opens_minute"], data["closes_minute"]
        out["per_day_yen"] = data.get("per_day_yen")
        for name, default in self.FEE_PART_DEFAULTS.items():
            value = data.get(name)
            out[name] = default if value is None else value
        return out

    def cleared(self) -> list[str]:
        """The nullable fields left empty (no day rate, no year of acquisition), for editing."""
        return [n for n in ("per_day_yen", "acquired_fy") if self.cleaned_data.get(n) is None]

    def fees(self) -> dict[tuple[str, str], int]:
        data = self.cleaned_data
        return {
            (c, m): data[_fee_field_name(c, m)]
            for c in UserClass.values
            for m in Mode.values
            if data.get(_fee_field_name(c, m)) is not None
        }

    # The service's field names → this form's fields (for errors).
    SERVICE_FIELDS = {"opens_minute": "opens", "closes_minute": "closes", "fees": None}


class HubSettingsForm(forms.Form):
    """A hub's billing and booking rules (parsed here, checked by the service)."""

    def __init__(self, *args, **kwargs):
        from kyoten.equipment.models import HubEquipmentSettings

        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(HubEquipmentSettings, exclude=["hub"]))
