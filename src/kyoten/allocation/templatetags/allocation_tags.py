from __future__ import annotations

from django import template

from kyoten.core.templatetags import kyoten_tags

register = template.Library()

# Money through the site-wide filters (one format everywhere).
register.filter("yen", kyoten_tags.yen)
register.filter("oku", kyoten_tags.oku)


@register.filter
def plan(key) -> str:
    """A plan's name as people read it (`reduced` → 縮小案), never its key."""
    from kyoten.proposals.forms import option_label

    return option_label(key)
