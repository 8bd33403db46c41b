"""Program settings form: every setting of a program, editable by an officer."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kyoten.calls import services
from kyoten.calls.models import CallStatus
from kyoten.calls.program import FORM_LABELS, FORMS
from kyoten.core.errors import DomainError
from kyoten.core.forms import show_domain_error


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


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-and-time picker; values are Japan time (the site's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CategoriesField(forms.CharField):
    """Categories of a call, one per line: `日本語 / English` (the English part optional).

    Keys are kept for lines whose Japanese label is unchanged; new lines get `c1`, `c2`, …
    """

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, existing=(), **kwargs):
        self.existing = list(existing or ())
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return "\n".join(
            c["label_ja"] if c.get("label_en") in (None, "", c["label_ja"])
            else f"{c['label_ja']} / {c['label_en']}"
            for c in value or ()
        )  # fmt: skip

    def to_python(self, value):
        keys = {c["label_ja"]: c["key"] for c in self.existing}
        taken = set(keys.values())
        out = []
        for line in (super().to_python(value) or "").splitlines():
            ja, _sep, en = line.partition("/")
            ja, en = ja.strip(), en.strip()
            if not ja:
                continue
            key = keys.get(ja)
            if key is None or key in {c["key"] for c in out}:
                n = 1
                while f"c{n}" in taken:
                    n += 1
                key = f"c{n}"
                taken.add(key)
            out.append({"key": key, "label_ja": ja, "label_en": en or ja})
        return out


class CallForm(forms.Form):
    """A call's settings. Budget, cap and forms left empty take the program's."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)
    code = forms.SlugField(
        label=_("Code (letters, digits and hyphens; used in addresses and exports)"),
        max_length=40,
    )
    title = forms.CharField(label=_("Title of the call"), max_length=200)
    title_en = forms.CharField(
        label=_("Title of the call (English)"), max_length=200, required=False
    )
    opens_at = forms.DateTimeField(label=_("Opens (Japan time)"), widget=DateTimeLocalInput)
    deadline = forms.DateTimeField(label=_("Deadline (Japan time)"), widget=DateTimeLocalInput)
    designated_city_reference_date = forms.DateField(
        label=_("Designated cities counted as of (R-4; empty: the opening day)"),
        required=False,
        widget=DateInput,
    )
    budget_yen = forms.IntegerField(
        label=_("Budget (yen; empty: the program's)"), min_value=1, required=False
    )
    cap_yen = forms.IntegerField(
        label=_("Cap per hub (yen; empty: the program's)"), min_value=1, required=False
    )
    allowed_forms = forms.MultipleChoiceField(
        label=_("Allowed forms (none ticked: the program's)"),
        choices=[(k, FORM_LABELS[k]) for k in FORMS], widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip
    categories = CategoriesField(
        label=_("Categories, one per line: 日本語 / English (optional)"), required=False
    )
    review_criteria = JSONTextField(label=_("Review criteria with weights (JSON)"))

    def __init__(self, *args, call=None, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        if call is None:
            # A new call copies the program's criteria; they are edited on the call afterwards.
            del self.fields["review_criteria"]
            self.fields["program"].queryset = programs
            return
        del self.fields["program"]
        self.fields["categories"].existing = call.categories
        for name in ("budget_yen", "cap_yen", "allowed_forms"):
            self.fields[name].required = True
        self.fields["budget_yen"].label = _("Budget (yen)")
        self.fields["cap_yen"].label = _("Cap per hub (yen)")
        self.fields["allowed_forms"].label = _("Allowed forms")
        if call.status != CallStatus.DRAFT:
            for name in list(self.fields):
                if name not in ("title", "title_en"):
                    del self.fields[name]

    def clean(self):
        """The service's checks across fields, each refusal on its field, so that the officer
        sees every error at once (the service checks again when it saves)."""
        data = super().clean()
        given = lambda *names: all(data.get(n) not in (None, "") for n in names)  # noqa: E731
        checks = []
        if given("code", "title"):
            pk = self.call.pk if self.call else None
            checks.append(lambda: services.check_call_names(
                code=data["code"], title=data["title"], pk=pk))  # fmt: skip
        if given("opens_at", "deadline"):
            checks.append(lambda: services.check_call_dates(
                opens_at=data["opens_at"], deadline=data["deadline"]))  # fmt: skip
        if given("budget_yen", "cap_yen"):
            checks.append(lambda: services.check_money(
                budget_yen=data["budget_yen"], cap_yen=data["cap_yen"]))  # fmt: skip
        for check in checks:
            try:
                check()
            except DomainError as exc:
                self.add_domain_error(exc)
        return data

    def add_domain_error(self, exc: DomainError) -> None:
        show_domain_error(self, exc)
