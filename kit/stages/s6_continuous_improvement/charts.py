"""Stage 6's charts: the run chart of one key measure, titled with its finding (or with "too few
points to judge"), and the goals' verdicts. Data in, matplotlib Axes out (`ax=None` makes a Figure).
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes

from kit.analysis.stats import RunChartSignals
from kit.charts.run_chart import finding_title, run_chart
from kit.charts.style import new_axes

from .analysis.goals import VERDICTS
from .analysis.signals import MIN_POINTS_TO_JUDGE, judged, points_shown

_VERDICT_COLOURS = {"met": "#1b7837", "partly": "#e08214", "not met": "#b2182b", "not measurable yet": "#878787"}


def measure_run_chart(signals: RunChartSignals, *, ax: Axes | None = None, window_label: str = "Window") -> Axes:
    """The run chart of one series; the title states the finding, or that the points are too few.

    >>> from kit.analysis.stats import run_chart_signals
    >>> measure_run_chart(run_chart_signals([1.0, 2, 3], ["a", "b", "c"], value_label="score")).get_title()
    'Score: 3 points, too few to judge (10 needed)'
    """
    if judged(signals):
        title = finding_title(signals)
    else:
        title = f"{signals.value_label.capitalize()}: {points_shown(signals)} points, too few to judge ({MIN_POINTS_TO_JUDGE} needed)"
    ax = run_chart(signals, ax=ax, title="\n".join(textwrap.wrap(title, 70)), window_label=window_label)
    if not judged(signals):
        for line in ax.collections:  # no rule is read on so few points: do not ring any as flagged
            line.set_visible(False)
    return ax


def verdict_chart(review: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """How many goals got each verdict, as horizontal bars in the verdicts' order.

    >>> verdict_chart(pd.DataFrame({"verdict": ["met", "partly", "met"]})).get_title()
    'Goals: 2 of 3 met'
    """
    ax = ax if ax is not None else new_axes()
    counts = review["verdict"].value_counts() if len(review) else pd.Series(dtype=int)
    values = [int(counts.get(v, 0)) for v in VERDICTS]
    ax.barh(list(VERDICTS)[::-1], values[::-1], color=[_VERDICT_COLOURS[v] for v in VERDICTS][::-1])
    for position, value in enumerate(values[::-1]):
        ax.text(value + 0.05, position, str(value), va="center")
    ax.set_xlabel("Goals")
    ax.set_title(f"Goals: {values[0]} of {sum(values)} met")
    ax.spines[["top", "right"]].set_visible(False)
    return ax
