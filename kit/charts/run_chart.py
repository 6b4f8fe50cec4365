"""The run chart: the series in time order, its median, and the points a rule flagged.

Data in (a `RunChartSignals` from `kit.analysis.stats.run_chart_signals`), axes out.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from kit.analysis.stats import RunChartSignals

from .style import HIGHLIGHT, MUTED, REFERENCE, SERIES, new_axes

_RULE_NAMES = {
    "shift": "shift",
    "trend": "trend",
    "crossings": "crossings",
    "anhoej_long_run": "long run",
    "anhoej_crossings": "few crossings",
}


def run_chart(
    signals: RunChartSignals,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    window_label: str = "Window",
) -> Axes:
    """Draw the run chart of `signals` on `ax` (a new Figure's axes when None) and return it.

    The series is a line with points, the median a dashed line, and points flagged by a rule
    are ringed in a contrasting colour; the legend names the rules that signalled. The default
    title states the finding.

    >>> from kit.analysis.stats import run_chart_signals
    >>> ax = run_chart(run_chart_signals([3, 4, 3, 5, 6, 7, 8, 9, 8, 9, 9, 10]))
    >>> ax.get_title()
    'Value: a signal of change (few crossings)'
    """
    ax = ax if ax is not None else new_axes()
    points = signals.points
    x = np.arange(len(points))
    ax.plot(x, points["value"], color=SERIES, marker="o", linewidth=1.8, label=signals.value_label.capitalize())
    if np.isfinite(signals.median):
        ax.axhline(signals.median, color=REFERENCE, linestyle="--", linewidth=1.2, label=f"Median ({signals.median:.4g})")
    flagged = points["flags"] != ""
    if flagged.any():
        ax.scatter(x[flagged], points.loc[flagged, "value"], s=140, facecolors="none", edgecolors=HIGHLIGHT,
                   linewidths=2.2, zorder=3, label="Flagged by a rule")
    hidden = points["side"] == "suppressed"
    for i, position in enumerate(x[hidden]):
        ax.axvspan(position - 0.4, position + 0.4, color=MUTED, alpha=0.15, linewidth=0,
                   label="Hidden (small group)" if i == 0 else None)
    ax.set_xticks(x, [str(label) for label in points["label"]], rotation=45 if len(x) > 12 else 0)
    ax.set_xlabel(window_label)
    ax.set_ylabel(signals.value_label.capitalize())
    ax.set_title(title if title is not None else finding_title(signals))
    ax.legend(loc="best", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def finding_title(signals: RunChartSignals) -> str:
    """A short title that states what the chart shows."""
    name = signals.value_label.capitalize()
    if signals.points["useful"].sum() == 0:
        return f"{name}: not enough points to judge"
    fired = [
        rule.note.split(" (")[0] if rule.rule == "crossings" else _RULE_NAMES[rule.rule]
        for rule in signals.rules[signals.rules["signal"]].itertuples()
    ]
    if fired:
        return f"{name}: a signal of change ({', '.join(fired)})"
    return f"{name}: only everyday ups and downs, no signal"
