"""Why a proposal is not funded, in the reader's language.

The solver records every unfunded proposal with a `reason_code` from SPEC §4's fixed list and
its numbers in `params` (and an English `reason` for JSON readers); pages, PDFs and sheets say it
through `reason_text`, which formats money, scores and block names at the edge.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.calls.program import category_label
from kyoten.core.money import format_yen
from kyoten.core.reference import BLOCKS

# Why a proposal is left out of a run's inputs (`excluded[].reason_code`): it takes no part in
# the optimisation, and adopting the run makes it not adopted for this reason.
EXCLUDED_REASONS = {
    "no_amount": gettext_lazy("no requested amount"),
    "above_cap": gettext_lazy("every plan is above the cap"),
    "not_recommended": gettext_lazy("not recommended by the review committee (不採択)"),
}


def _block(key: str) -> str:
    from django.utils.translation import get_language

    names = BLOCKS.get(key)
    if names is None:
        return key
    return names[0] if (get_language() or "ja").startswith("ja") else names[1]


def _score(value) -> str:
    return f"{float(value):.1f}"


def reason_text(miss: dict, categories=()) -> str:
    """One unfunded entry of a result (`{"id", "reason_code", "params", "reason"}`), or one
    entry the inputs left out (`excluded`), as a sentence;
    results stored before reason codes existed keep their English sentence. `categories`: the
    call's selection categories (`Call.categories`), to name a category rather than its key."""
    code, p = miss.get("reason_code"), miss.get("params") or {}
    if code in EXCLUDED_REASONS:  # left out of the run's inputs (`excluded`)
        return str(EXCLUDED_REASONS[code])
    try:
        if code == "below_min_score":
            return _("score %(score)s is below the minimum score %(min)s") % {
                "score": _score(p["score"]),
                "min": _score(p["min_score"]),
            }
        if code == "limits_infeasible":
            return _("not funded: the limits contradict each other (%(detail)s)") % {
                "detail": p["detail"]
            }
        if code == "block_limit":
            return _("the block %(block)s already has %(awards)d awards, its limit is %(max)d") % {
                "block": _block(p["block"]),
                "awards": p["awards"],
                "max": p["max"],
            }
        if code == "category_limit":
            return _(
                "the category %(category)s already has %(awards)d awards, its limit is %(max)d"
            ) % {
                "category": category_label(p["category"], categories),
                "awards": p["awards"],
                "max": p["max"],
            }
        if code == "over_budget":
            return _("every option is above the budget: %(short)s more would be needed") % {
                "short": format_yen(p["short_yen"])
            }
        if code == "no_value":
            return _("no option adds value")
        if code == "displaced":
            return _(
                "displaced by a better use of the money: its smallest option (%(smallest)s) "
                "would need %(short)s more than the %(left)s left"
            ) % {
                "smallest": format_yen(p["smallest_yen"]),
                "short": format_yen(p["short_yen"]),
                "left": format_yen(p["left_yen"]),
            }
        if code == "short_of_money":
            return _(
                "its smallest option is %(smallest)s and %(left)s is left: %(short)s more would "
                "be needed"
            ) % {
                "smallest": format_yen(p["smallest_yen"]),
                "short": format_yen(p["short_yen"]),
                "left": format_yen(p["left_yen"]),
            }
    except (KeyError, TypeError, ValueError):
        pass
    return miss.get("reason", "")
