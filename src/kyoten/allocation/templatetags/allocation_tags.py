from __future__ import annotations

from django import template

from kyoten.core.templatetags import kyoten_tags

register = template.Library()

# Money through the site-wide filters (one format everywhere).
register.filter("yen", kyoten_tags.yen)
register.filter("oku", kyoten_tags.oku)
