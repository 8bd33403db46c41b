from __future__ import annotations

from django import template

from kyoten.core.templatetags import kyoten_tags

register = template.Library()

# Fiscal years and money through the site-wide filters (one format everywhere).
register.filter("hub_yen", kyoten_tags.yen)
register.filter("hub_oku", kyoten_tags.oku)
register.filter("hub_fy", kyoten_tags.fy)
