"""Trend charts (target against actual) drawn with matplotlib and the IPAex Gothic font.

The font is the `ipaexg.ttf` inside the japanize_matplotlib package, registered once with
matplotlib's font manager; the Agg backend draws without a display. The same file is embedded
in the PDFs (kyoten.monitoring.pdf), so a chart and its report use one typeface.
"""

from __future__ import annotations

import io
import threading

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from kyoten.core.fonts import matplotlib_font
from kyoten.monitoring import kpis  # noqa: E402

_lock = threading.Lock()

STATUS_COLOURS = {
    kpis.ON_TRACK: "#2e7d32",
    kpis.AT_RISK: "#f9a825",
    kpis.OFF_TRACK: "#c62828",
    kpis.NO_DATA: "#9e9e9e",
    kpis.NO_TARGET: "#bdbdbd",
}
STATUS_JA = {
    kpis.ON_TRACK: "順調",
    kpis.AT_RISK: "要注意",
    kpis.OFF_TRACK: "遅れ",
    kpis.NO_DATA: "実績なし",
    kpis.NO_TARGET: "目標なし",
}


def _num(value) -> float | None:
    return None if value is None else float(value)


def trend_png(
    series, *, title: str | None = None, width: float = 6.0, height: float = 3.2
) -> bytes:
    """A PNG of one KPI of one hub: target line, actual bars coloured by status."""
    family = matplotlib_font()
    kpi = series.kpi
    scale, unit = (1e8, "億円") if kpi.unit == kpis.YEN else (1.0, kpi.unit_label)
    xs = series.years
    targets = [None if t is None else float(t) / scale for t in series.targets]
    actuals = [None if a is None else float(a) / scale for a in series.actuals]
    with _lock:  # matplotlib's font cache is not thread-safe
        fig = Figure(figsize=(width, height), dpi=100)
        ax = fig.add_subplot()
        bars_x = [x for x, a in zip(xs, actuals, strict=True) if a is not None]
        bars_y = [a for a in actuals if a is not None]
        colours = [
            STATUS_COLOURS[s]
            for s, a in zip(series.statuses, actuals, strict=True)
            if a is not None
        ]
        ax.bar(bars_x, bars_y, color=colours, width=0.6, label="実績")
        tx = [x for x, t in zip(xs, targets, strict=True) if t is not None]
        ty = [t for t in targets if t is not None]
        ax.plot(tx, ty, color="#1565c0", marker="o", linewidth=2, label="目標")
        ax.set_title(title or kpi.label_ja, fontfamily=family)
        ax.set_xlabel("年度", fontfamily=family)
        ax.set_ylabel(unit, fontfamily=family)
        ax.set_xticks(xs)
        ax.set_xticklabels([str(x) for x in xs], rotation=45, fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(prop={"family": family, "size": 8}, loc="upper left")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def block_status_png(by_block: list[dict], *, title: str = "地方ブロック別の状況") -> bytes:
    """Stacked bars: hubs per regional block by overall status (the program-wide chart)."""
    family = matplotlib_font()
    names = [b["name_ja"] for b in by_block]
    with _lock:
        fig = Figure(figsize=(7.0, 3.4), dpi=100)
        ax = fig.add_subplot()
        bottom = [0] * len(by_block)
        for status in (kpis.ON_TRACK, kpis.AT_RISK, kpis.OFF_TRACK, kpis.NO_DATA):
            values = [b.get(status, 0) for b in by_block]
            ax.bar(names, values, bottom=bottom, color=STATUS_COLOURS[status],
                   label=STATUS_JA[status])  # fmt: skip
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        ax.set_title(title, fontfamily=family)
        ax.set_ylabel("拠点数", fontfamily=family)
        ax.yaxis.get_major_locator().set_params(integer=True)
        for label in ax.get_xticklabels():
            label.set_fontfamily(family)
        ax.legend(prop={"family": family, "size": 8})
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()
