"""The call's own events for the timeline of its page: published, deadline, amendments.

Every lifecycle app may add a `timeline.py` with `events(call, user)` returning dicts
`{"at": datetime, "kind": str, "title": str, "detail": str, "url": str}` (url empty when the
reader may not open the record); `kyoten.calls.selectors.call_timeline` merges them by date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.money import format_yen


def _changes(changes: dict) -> str:
    from kyoten.calls.program import form_label

    parts = []
    if "budget_yen" in changes:
        before, after = changes["budget_yen"]
        parts.append(_("budget %(before)s → %(after)s")
                     % {"before": format_yen(before), "after": format_yen(after)})  # fmt: skip
    if "cap_yen" in changes:
        before, after = changes["cap_yen"]
        parts.append(_("cap %(before)s → %(after)s")
                     % {"before": format_yen(before), "after": format_yen(after)})  # fmt: skip
    if "allowed_forms" in changes:
        parts.append(_("forms: %(forms)s")
                     % {"forms": "、".join(form_label(f) for f in changes["allowed_forms"][1])})  # fmt: skip
    if "categories" in changes:
        parts.append(_("categories: %(names)s") % {"names": "、".join(
            c.get("label_ja") or c.get("key", "") for c in changes["categories"][1])})  # fmt: skip
    return "; ".join(parts)


def first_deadline(call) -> dt.datetime:
    """The deadline before any amendment moved it."""
    first = call.amendments.order_by("round").first()
    if first and "deadline" in first.changes:
        return dt.datetime.fromisoformat(first.changes["deadline"][0])
    return call.deadline


def events(call, user) -> list[dict]:
    page = reverse("calls:detail", args=[call.pk])
    amendments = list(call.amendments.order_by("round"))
    out = []
    if call.status != "draft":
        budget = call.budget_yen
        if amendments and "budget_yen" in amendments[0].changes:
            budget = amendments[0].changes["budget_yen"][0]
        out.append({"at": call.opens_at, "kind": "published", "title": _("Call published"),
                    "detail": _("budget %(budget)s") % {"budget": format_yen(budget)},
                    "url": page})  # fmt: skip
    out.append({"at": first_deadline(call), "kind": "deadline", "title": _("Deadline for proposals"),
                "detail": "", "url": page})  # fmt: skip
    for a in amendments:
        out.append({"at": a.created_at, "kind": "amendment",
                    "title": _("Amendment (revision round %(n)d opens)") % {"n": a.round},
                    "detail": _changes(a.changes), "url": f"{page}#amendment-{a.round}"})  # fmt: skip
        out.append({"at": a.deadline, "kind": "revision",
                    "title": _("Revision round %(n)d closes") % {"n": a.round},
                    "detail": "", "url": f"{page}#amendment-{a.round}"})  # fmt: skip
    return out
