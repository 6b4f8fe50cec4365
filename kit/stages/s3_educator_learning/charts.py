"""Charts of stage 3: change by measure with intervals, hours against change, Stages of Concern profiles.

Data in (frames from this stage's analysis), axes out; every title states the finding.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit.charts.style import CATEGORIES, HIGHLIGHT, MUTED, REFERENCE, SERIES, WITHHELD, new_axes

from .analysis.concerns import PERCENTILE_SCALE, STAGE_MAX, STAGE_NAMES
from .analysis.dose import FittedLine


def _wrapped(title: str) -> str:
    """Long findings on two or three lines, so a title is never cut at the figure's edge."""
    return textwrap.fill(title, width=72)


def change_title(table: pd.DataFrame) -> str:
    """The finding for all educators: how many measures rose, with the largest change."""
    everyone = table[table["group"] == "all educators"] if (table["group"] == "all educators").any() else table
    shown = everyone[~everyone["suppressed"] & everyone["mean_change"].notna()]
    if shown.empty:
        return "No measure has enough educators scored in both windows to show"
    rose = shown[shown["verdict"] == "higher"]
    largest = shown.loc[shown["mean_change"].idxmax()]
    head = f"{len(rose)} of {len(shown)} measures rose" if len(shown) > 1 else ("Rose" if len(rose) else "No clear rise")
    return f"{head}; largest change: {largest['measure']} ({largest['mean_change'] * 100:+.0f} points of 100)"


def change_chart(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Mean change (percentage points of each measure's maximum) with its 95% interval, one row per
    measure (and group), coloured by domain; withheld rows are marked, not drawn.

    >>> from kit.stages.s3_educator_learning.analysis import change_by_measure
    >>> m = pd.DataFrame({"educator_id": [f"E{i}" for i in range(6)] * 2, "window": ["pre"] * 6 + ["post"] * 6,
    ...     "domain": "knowledge", "measure": "Quiz", "score": [5, 6, 7, 5, 6, 7, 8, 9, 9, 8, 9, 10], "max_score": 10})
    >>> change_chart(change_by_measure(m, "pre", "post")).get_title()
    'Rose; largest change: Quiz (+28 points of 100)'
    """
    ax = ax if ax is not None else new_axes((8.0, max(2.5, 0.45 * len(table) + 1.2)))
    labels = [row["measure"] if row["group"] == "all educators" else f"{row['measure']}: {row['group']}"
              for _, row in table.iterrows()]
    y = np.arange(len(table))[::-1]
    domains = list(dict.fromkeys(table["domain"]))
    for position, (_, row) in zip(y, table.iterrows()):
        colour = CATEGORIES[domains.index(row["domain"]) % len(CATEGORIES)]
        if row["suppressed"] or pd.isna(row["mean_change"]):
            ax.text(0, position, " withheld", va="center", color=MUTED, fontsize=8,
                    bbox={"facecolor": WITHHELD, "edgecolor": "none", "hatch": "///"})
            continue
        ax.errorbar(row["mean_change"] * 100, position, color=colour, fmt="o", capsize=3,
                    xerr=[[(row["mean_change"] - row["ci_low"]) * 100], [(row["ci_high"] - row["mean_change"]) * 100]])
    for index, domain in enumerate(domains):
        ax.plot([], [], "o", color=CATEGORIES[index % len(CATEGORIES)], label=domain)
    ax.axvline(0, color=REFERENCE, linewidth=1)
    ax.set_yticks(y, labels)
    ax.set_xlabel("Change, percentage points of the measure's maximum (95% interval)")
    ax.legend(loc="best", fontsize=8, title="domain")
    ax.set_title(_wrapped(title or change_title(table)))
    return ax


def dose_title(association: pd.DataFrame) -> str:
    """The finding of the hours chart, as an association."""
    row = association.iloc[0]
    if row["verdict"] == "not reported":
        return f"Hours and change not compared: {row['reason']}"
    return {"positive": "More learning hours went with larger gains",
            "negative": "More learning hours went with smaller gains",
            "no clear association": "No clear link between learning hours and gains"}[row["verdict"]] + \
        f" (rank correlation {row['effect']:.2f})"


def dose_chart(dose: pd.DataFrame, association: pd.DataFrame, line: FittedLine | None = None, *,
               points: bool = True, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each educator's hours against their change (points, no labels; `points=False` for a team's
    view-only page, where no individual result is shown), the fitted line and its 95% band.
    `dose` is `dose_frame(...)`, `association` `hours_association(...)`, `line` `fit_line(...)`."""
    ax = ax if ax is not None else new_axes()
    if points:
        ax.scatter(dose["hours"], dose["learning_change"] * 100, s=14, color=SERIES, alpha=0.6, label="One educator")
    if line is not None:
        band = line.band(np.linspace(float(dose["hours"].min()), float(dose["hours"].max()), 50))
        ax.fill_between(band["hours"], band["low"] * 100, band["high"] * 100, color=HIGHLIGHT, alpha=0.2,
                        label="95% band of the line")
        ax.plot(band["hours"], band["fitted"] * 100, color=HIGHLIGHT, label="Fitted line")
    ax.axhline(0, color=REFERENCE, linewidth=0.8)
    ax.set_xlabel("Learning hours attended")
    ax.set_ylabel("Change in knowledge and skills\n(percentage points)")
    ax.legend(loc="best", fontsize=8)
    ax.set_title(_wrapped(title or dose_title(association)))
    return ax


def profile_title(profile: pd.DataFrame) -> str:
    """The finding: where the peak concern sits in each window drawn."""
    shown = profile[~profile["suppressed"]].dropna(subset=["intensity"]) if "suppressed" in profile else profile
    if shown.empty:
        return "No profile to show: withheld or no scored responses"
    peaks = shown.sort_values(["intensity", "stage"], ascending=[False, True]).drop_duplicates("window")
    order = list(dict.fromkeys(profile["window"]))
    peaks = peaks.set_index("window").reindex([w for w in order if w in set(peaks["window"])])
    parts = [f"{window}: stage {int(row['stage'])} ({STAGE_NAMES[int(row['stage'])]})" for window, row in peaks.iterrows()]
    return "Peak concern " + "; ".join(parts)


def profile_chart(profile: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Stages of Concern profile lines (stages 0-6 along the bottom), one line per window (and group).
    `profile` is `group_profiles(...)` or one educator's rows of `profiles(...)`."""
    ax = ax if ax is not None else new_axes()
    scale = profile["scale"].iloc[0] if len(profile) else ""
    key = ["window", "group"] if "group" in profile and profile["group"].nunique() > 1 else ["window"]
    for index, (name, part) in enumerate(profile.groupby(key, sort=False)):
        label = " - ".join(name) if isinstance(name, tuple) else str(name)
        if "suppressed" in part and part["suppressed"].all():
            ax.plot([], [], color=WITHHELD, label=f"{label}: withheld")
            continue
        ax.plot(part["stage"], part["intensity"], marker="o", color=CATEGORIES[index % len(CATEGORIES)], label=label)
    ax.set_xticks(range(7), [f"{stage}\n{STAGE_NAMES[stage]}" for stage in range(7)], fontsize=8)
    ax.set_ylim(0, 100 if scale == PERCENTILE_SCALE else STAGE_MAX)
    ax.set_ylabel("Percentile" if scale == PERCENTILE_SCALE else "Raw score (0-35), not a percentile")
    ax.legend(loc="best", fontsize=8)
    ax.set_title(_wrapped(title or profile_title(profile)))
    return ax
