"""Charts of stage 2: the standards self-assessment, and hours of professional learning.

Data in (frames from this stage's `analysis.standards_assessment` and `analysis.participation`), axes out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit.standards import GROUPS, RATING_MAX, RATING_MIN, RATING_SCALE

from kit.charts.style import CATEGORIES, HIGHLIGHT, MUTED, REFERENCE, SERIES, new_axes


def self_assessment_title(summary: pd.DataFrame) -> str:
    """The finding: the highest- and lowest-rated standards, or that nothing is rated yet."""
    rated = summary.dropna(subset=["mean"]).sort_values("mean", kind="stable")
    if rated.empty:
        return "No standard has been rated yet"
    low, high = rated.iloc[0], rated.iloc[-1]
    if low["mean"] == high["mean"]:
        return f"Every rated standard averages {high['mean']:.1f} of {RATING_MAX}"
    return f"Strongest: {high['standard']} ({high['mean']:.1f}); weakest: {low['standard']} ({low['mean']:.1f})"


def self_assessment_chart(summary: pd.DataFrame, ratings: pd.DataFrame | None = None, *,
                          ax: Axes | None = None, title: str | None = None) -> Axes:
    """Mean rating per standard (bars coloured by group, standards in order), each rater's rating as
    a dot, and each group's mean as a dashed line across its standards.

    `summary` is `standard_summary(...)`; `ratings` the ratings it came from (for the dots).

    >>> from kit.stages.s2_professional_learning.analysis.standards_assessment import standard_summary
    >>> r = pd.DataFrame({"standard_id": ["evidence", "evidence"], "rater": ["a", "b"], "rating": [2, 4]})
    >>> self_assessment_chart(standard_summary(r), r).get_title()
    'Every rated standard averages 3.0 of 4'
    """
    ax = ax if ax is not None else new_axes((8.0, 5.5))
    y = np.arange(len(summary))[::-1]
    colours = [CATEGORIES[GROUPS.index(group)] for group in summary["group"]]
    ax.barh(y, summary["mean"].fillna(0), color=colours, height=0.6)
    if ratings is not None and len(ratings):
        position = dict(zip(summary["standard_id"], y))
        dots = ratings[ratings["standard_id"].isin(position)]
        offsets = dots.groupby("standard_id").cumcount() * 0.08 - 0.12
        ax.scatter(dots["rating"], dots["standard_id"].map(position) + offsets, color=REFERENCE, s=14, zorder=3,
                   label="One rater")
    for index, group in enumerate(GROUPS):
        rows = summary["group"] == group
        if rows.any() and summary.loc[rows, "mean"].notna().any():
            values = ratings[ratings["standard_id"].isin(summary.loc[rows, "standard_id"])]["rating"] \
                if ratings is not None else summary.loc[rows, "mean"]
            span = y[rows.to_numpy()]
            ax.vlines(float(values.mean()), span.min() - 0.4, span.max() + 0.4, colors=CATEGORIES[index],
                      linestyles="--", linewidth=1.5, label=f"{group}: mean {float(values.mean()):.1f}")
    unrated = summary["mean"].isna().to_numpy()
    for position in y[unrated]:
        ax.text(RATING_MIN, position, " not rated", va="center", color=MUTED, fontsize=8)
    ax.set_yticks(y, summary["standard"])
    ax.set_xlim(0, RATING_MAX + 0.3)
    ax.set_xticks([level.value for level in RATING_SCALE], [f"{level.value} {level.name}" for level in RATING_SCALE])
    ax.set_xlabel("Mean rating of how our professional learning meets the standard")
    ax.set_title(title if title is not None else self_assessment_title(summary))
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return ax


def hours_chart(table: pd.DataFrame, by: str, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Mean hours per educator for each row of `participation_by(...)` (`by` names its first column),
    the district-wide mean as a dashed line, rows below half of it highlighted.

    >>> t = pd.DataFrame({"school_id": ["S1", "S2"], "educators": [4, 4], "mean_hours": [10.0, 2.0]})
    >>> hours_chart(t, "school_id").get_title()
    'S2 has the fewest hours per educator (2.0, against 6.0 overall)'
    """
    ax = ax if ax is not None else new_axes()
    overall = float((table["mean_hours"] * table["educators"]).sum() / table["educators"].sum()) if len(table) else 0.0
    colours = [HIGHLIGHT if value < overall / 2 else SERIES for value in table["mean_hours"]]
    x = np.arange(len(table))
    ax.bar(x, table["mean_hours"], color=colours)
    ax.axhline(overall, color=REFERENCE, linestyle="--", linewidth=1.2, label=f"All educators ({overall:.1f})")
    ax.set_xticks(x, [str(label) for label in table[by]], rotation=30 if len(table) > 6 else 0)
    ax.set_xlabel(by.replace("_id", "").replace("_", " ").capitalize())
    ax.set_ylabel("Hours per educator")
    if title is None and len(table):
        low = table.sort_values("mean_hours", kind="stable").iloc[0]
        title = f"{low[by]} has the fewest hours per educator ({low['mean_hours']:.1f}, against {overall:.1f} overall)"
    ax.set_title(title or "No hours of professional learning yet")
    ax.legend(loc="best", frameon=False)
    return ax
