"""Why a proposal is not funded, in the reader's language.

The solver records every unfunded proposal with a `reason_code` from SPEC §4's fixed list and
its numbers in `params` (and an English `reason` for JSON readers); pages, PDFs and sheets say it
through `reason_text`, which formats money, scores and block names at the edge.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kyoten.core.money import format_yen
from kyoten.core.reference import BLOCKS


def _block(key: str) -> str:
    from django.utils.translation import get_language

    names = BLOCKS.get(key)
    if names is None:
        return key
    return names[0] if (get_language() or "ja").startswith("ja") else names[1]


def _score(value) -> str:
    return f"{float(value):.1f}"


def reason_text(miss: dict) -> str:
    """One unfunded entry of a result (`{"id", "reason_code", "params", "reason"}`) as a sentence;
    results stored before reason codes existed keep their English sentence."""
    code, p = miss.get("reason_code"), miss.get("params") or {}
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
            ) % {"category": p["category"], "awards": p["awards"], "max": p["max"]}
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
