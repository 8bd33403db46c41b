"""The parameters of a run, as the officer or committee enters them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kyoten.core.reference import BLOCKS, block_label


class RunForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    budget_yen = forms.IntegerField(label=_("Budget (yen)"), min_value=0)
    cap_yen = forms.IntegerField(label=_("Cap per hub (yen)"), min_value=1)
    min_score = forms.FloatField(label=_("Minimum score"), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        # the call's selection categories: [{"key", "label_ja", ...}]
        self.categories = [c for c in categories if isinstance(c, dict) and c.get("key")]
        for c in self.categories:
            name = c.get("label_ja") or c["key"]
            self.fields[f"cat_min_{c['key']}"] = forms.IntegerField(
                label=_("%(category)s: at least (awards)") % {"category": name},
                min_value=0,
                required=False,
            )
            self.fields[f"cat_max_{c['key']}"] = forms.IntegerField(
                label=_("%(category)s: at most (awards)") % {"category": name},
                min_value=0,
                required=False,
            )
            self.fields[f"cat_yen_{c['key']}"] = forms.IntegerField(
                label=_("%(category)s: money reserved (yen)") % {"category": name},
                min_value=0,
                required=False,
            )
        for key, (ja, _en) in BLOCKS.items():
            self.fields[f"min_{key}"] = forms.IntegerField(
                label=_("%(block)s: at least") % {"block": ja}, min_value=0, required=False
            )
            self.fields[f"max_{key}"] = forms.IntegerField(
                label=_("%(block)s: at most") % {"block": ja}, min_value=0, required=False
            )

    def block_rows(self):
        return [(block_label(key), self[f"min_{key}"], self[f"max_{key}"]) for key in BLOCKS]

    def category_rows(self):
        return [
            (
                c.get("label_ja") or c["key"],
                self[f"cat_min_{c['key']}"],
                self[f"cat_max_{c['key']}"],
                self[f"cat_yen_{c['key']}"],
            )
            for c in self.categories
        ]

    def params(self) -> dict:
        data = self.cleaned_data
        params = {
            "budget_yen": data["budget_yen"],
            "cap_yen": data["cap_yen"],
            "min_score": data.get("min_score"),
        }
        for side in ("min", "max"):
            limits = {
                key: data[f"{side}_{key}"]
                for key in BLOCKS
                if data.get(f"{side}_{key}") is not None
            }
            if limits:
                params[f"{side}_per_block"] = limits
        for field, key in (
            ("cat_min", "min_per_category"),
            ("cat_max", "max_per_category"),
            ("cat_yen", "min_yen_per_category"),
        ):
            values = {
                c["key"]: data[f"{field}_{c['key']}"]
                for c in self.categories
                if data.get(f"{field}_{c['key']}") is not None
            }
            if values:
                params[key] = values
        return params

    @staticmethod
    def initial_from(run=None, call=None) -> dict:
        if run is not None:
            initial = {
                "budget_yen": run.budget_yen,
                "cap_yen": run.cap_yen,
                "min_score": run.min_score,
                "label": "",
            }
            for key, n in (run.min_per_block or {}).items():
                initial[f"min_{key}"] = n
            for key, n in (run.max_per_block or {}).items():
                initial[f"max_{key}"] = n
            reservations = run.category_reservations or {}
            for key, n in reservations.get("min_per_category", {}).items():
                initial[f"cat_min_{key}"] = n
            for key, n in reservations.get("max_per_category", {}).items():
                initial[f"cat_max_{key}"] = n
            for key, n in reservations.get("min_yen_per_category", {}).items():
                initial[f"cat_yen_{key}"] = n
            return initial
        return {"budget_yen": call.budget_yen, "cap_yen": call.cap_yen}
