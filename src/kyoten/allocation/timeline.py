"""Timeline of a call (see calls/timeline.py): the adopted decision and its publication."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.allocation.selectors import decision_for, runs_visible_to
from kyoten.core.money import format_yen


def events(call, user) -> list[dict]:
    decision = decision_for(call)
    if decision is None:
        return []
    run = decision.run
    visible = runs_visible_to(user, call).filter(pk=run.pk).exists()
    if not (decision.published or visible):
        return []  # before publication only those who may read the runs know of it
    url = reverse("allocation:run", args=[run.pk]) if visible else ""
    awards = run.result.get("awards", [])
    detail = _("%(n)d adopted, %(total)s in all") % {
        "n": len(awards),
        "total": format_yen(run.total_yen),
    }
    categories = run.result.get("categories") or {}
    names = {c.get("key"): c.get("label_ja") or c.get("key") for c in call.categories}
    if categories:
        detail += (
            " ("
            + "、".join(f"{names.get(key, key)} {row['awards']}" for key, row in categories.items())
            + ")"
        )
    out = [{"at": decision.adopted_at, "kind": "decision",
            "title": _("Decision adopted: %(label)s") % {"label": run.label or run.pk},
            "detail": detail, "url": url}]  # fmt: skip
    if decision.published and decision.published_at:
        out.append({"at": decision.published_at, "kind": "published_decision",
                    "title": _("Decision published"), "detail": "", "url": url})  # fmt: skip
    return out
