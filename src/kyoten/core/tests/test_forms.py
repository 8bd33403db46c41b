"""A service's refusal lands on the field it names, with its rule id."""

from __future__ import annotations

from django import forms

from kyoten.core.errors import DomainError
from kyoten.core.forms import show_domain_error


class _Form(forms.Form):
    title = forms.CharField(required=False)
    funding = forms.CharField(required=False)
    owner = forms.CharField(required=False)


def _errors(exc, **kwargs):
    form = _Form(data={})
    form.is_valid()
    show_domain_error(form, exc, **kwargs)
    return dict(form.errors)


def test_the_named_field_gets_the_message_with_the_rule_id():
    assert _errors(DomainError("長すぎます", field="title", rule="R-4")) == {
        "title": ["R-4: 長すぎます"]
    }


def test_a_part_of_a_field_lands_on_the_field_and_says_which_part():
    assert _errors(DomainError("負の額", field="funding[3].amount")) == {
        "funding": ["funding[3].amount: 負の額"]
    }


def test_an_alias_maps_the_services_name_to_the_forms_field():
    got = _errors(
        DomainError("地域が違います", field="block", rule="R-14"), aliases={"block": "owner"}
    )
    assert got == {"owner": ["R-14: 地域が違います"]}


def test_an_unknown_field_is_an_error_of_the_whole_form_without_its_raw_name():
    assert _errors(DomainError("重複", field="slug", rule="R-1")) == {"__all__": ["R-1: 重複"]}
    assert _errors(DomainError("だめです")) == {"__all__": ["だめです"]}


def test_an_alias_to_none_is_the_whole_forms_error():
    got = _errors(DomainError("料金が不正です", field="fees"), aliases={"fees": None})
    assert got == {"__all__": ["料金が不正です"]}
