from __future__ import annotations

from django import template

from kyoten.core.templatetags import kyoten_tags

register = template.Library()

# Fiscal years and money through the site-wide filters (one format everywhere).
register.filter("yen", kyoten_tags.yen)
register.filter("oku", kyoten_tags.oku)
register.filter("fy", kyoten_tags.fy)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def status_of(context, proposal) -> str:
    """The proposal's status as the viewer may know it (審査中 until a decision is published)."""
    from kyoten.proposals.selectors import status_label

    return status_label(context["request"].user, proposal)


@register.simple_tag(takes_context=True)
def decision_letter(context, proposal) -> str:
    """The decision letter's address once the viewer may know the outcome ("" before)."""
    from django.urls import NoReverseMatch, reverse

    from kyoten.proposals.models import ProposalStatus
    from kyoten.proposals.selectors import may_know_outcome

    if proposal.status not in (ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED):
        return ""
    if not may_know_outcome(context["request"].user, proposal):
        return ""
    try:  # the letter is the allocation app's page (pages sit on top of the apps)
        return reverse("allocation:letter", args=[proposal.pk])
    except NoReverseMatch:
        return ""


@register.filter
def field_label(path):
    """A rule finding's field path in words (`funding_plan[2].jst_operating_yen` → 運営資金計画 ›
    3行目 › JSTが負担する運営費)."""
    from kyoten.proposals.eligibility import field_label as label

    return label(path)


@register.filter
def source_label(key):
    """A funding-plan line (`usage_fees` → 利用料収入) in the active language."""
    from django.utils.translation import get_language

    from kyoten.proposals.forms import SOURCE_LABELS

    names = SOURCE_LABELS.get(key)
    if names is None:
        return key or ""
    return names[0] if (get_language() or "ja").startswith("ja") else names[1]
