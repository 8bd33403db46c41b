"""PNG charts of a run (matplotlib, Agg, with the embedded Japanese font)."""

from __future__ import annotations

import io
import threading

from django.utils.translation import gettext as _

from kyoten.allocation.models import AllocationRun
from kyoten.allocation.selectors import explain
from kyoten.core.fonts import matplotlib_font

_LOCK = threading.Lock()  # pyplot's state is global


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110, bbox_inches="tight")
    return out.getvalue()


def chart_compare(run: AllocationRun) -> bytes:
    """Optimal against the greedy baseline: total value and money used (億円)."""
    family = matplotlib_font()
    from matplotlib.figure import Figure

    base = run.result.get("baseline", {})
    with _LOCK:
        fig = Figure(figsize=(7, 3))
        ax1, ax2 = fig.subplots(1, 2)
        labels = [_("Optimal"), _("Greedy by score")]
        ax1.bar(labels, [run.objective, base.get("objective", 0.0)], color=["#2b6cb0", "#a0aec0"])
        ax1.set_title(_("Total value"), fontfamily=family)
        ax2.bar(
            labels,
            [run.total_yen / 1e8, base.get("total_yen", 0) / 1e8],
            color=["#2b6cb0", "#a0aec0"],
        )
        ax2.axhline(run.budget_yen / 1e8, color="#c53030", linestyle="--", linewidth=1)
        ax2.set_title(_("Money used (100 million yen)"), fontfamily=family)
        for ax in (ax1, ax2):
            for tick in ax.get_xticklabels():
                tick.set_fontfamily(family)
        return _png(fig)


def chart_blocks(run: AllocationRun) -> bytes:
    """Awards by regional block (億円), optimal beside greedy."""
    family = matplotlib_font()
    from matplotlib.figure import Figure

    blocks = explain(run)["blocks"]
    with _LOCK:
        fig = Figure(figsize=(7, 3.2))
        ax = fig.subplots()
        xs = range(len(blocks))
        ax.bar(
            [x - 0.2 for x in xs],
            [b["amount_yen"] / 1e8 for b in blocks],
            width=0.4,
            label=_("Optimal"),
            color="#2b6cb0",
        )
        ax.bar(
            [x + 0.2 for x in xs],
            [b["greedy_yen"] / 1e8 for b in blocks],
            width=0.4,
            label=_("Greedy by score"),
            color="#a0aec0",
        )
        ax.set_xticks(list(xs))
        ax.set_xticklabels([b["name"] for b in blocks], fontfamily=family)
        ax.set_title(_("Awards by regional block (100 million yen)"), fontfamily=family)
        ax.legend(prop={"family": family})
        return _png(fig)
