"""Charts of stage 4: ratings by component and window, fidelity before and after, the chain so far,
and access to effective practice by student group.

Data in (frames from this stage's `analysis`), a matplotlib Axes out; each title states the finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from kit.charts.style import HIGHLIGHT, MUTED, OKABE_ITO, REFERENCE, SERIES, WITHHELD, new_axes

from .analysis.access import ALL_SCHOOLS, CLEAR, gap_size_words
from .analysis.chain import step_words

ACCEPTABLE_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["sky_blue"], "#9CCFEF", "#C9E4F6")  # ideal first
UNACCEPTABLE_COLOURS = (OKABE_ITO["orange"], "#F2C96B", "#F6DDA3", "#FAEBC8")  # nearest the line first


# -- ratings by component and window --------------------------------------------------------------
def ratings_title(distribution: pd.DataFrame) -> str:
    """The finding: how the share of ratings at or above the line moved from the first window to the last.

    >>> table = pd.DataFrame({"component": ["Talk"] * 4, "window": ["fall", "fall", "spring", "spring"],
    ...     "acceptable": [False, True] * 2, "share": [0.8, 0.2, 0.3, 0.7], "suppressed": [False] * 4})
    >>> ratings_title(table)
    'Ratings at or above the line went from 20% (fall) to 70% (spring)'
    """
    if distribution.empty:
        return "No observation is rated against the practice map yet"
    windows = list(dict.fromkeys(distribution["window"]))
    first, last = windows[0], windows[-1]
    shares = []
    for window in (first, last):
        cells = distribution[(distribution["window"] == window) & distribution["acceptable"]]
        if cells["suppressed"].any() or cells["share"].isna().any():  # withheld, or coded near 0% or 100%
            return "Ratings by component and window (small groups withheld)"
        shares.append(cells["share"].sum() / distribution.loc[distribution["window"] == window, "component"].nunique())
    if first == last:
        return f"{shares[0]:.0%} of ratings are at or above the line ({first})"
    return f"Ratings at or above the line went from {shares[0]:.0%} ({first}) to {shares[1]:.0%} ({last})"


def ratings_chart(distribution: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Component x window: one bar per window within each component, stacked by rating, the
    unacceptable ratings left of zero and the acceptable ones right of it (the line at zero);
    withheld shares hatched grey at the end.

    >>> table = pd.DataFrame({"component": ["Talk"] * 2, "window": ["fall"] * 2, "rating": [1, 2],
    ...     "variation": [2, 1], "acceptable": [False, True], "share": [0.4, 0.6], "suppressed": [False, False]})
    >>> len(ratings_chart(table).patches)
    2
    """
    components = list(dict.fromkeys(distribution["component"]))
    windows = list(dict.fromkeys(distribution["window"]))
    height = max(3.0, 0.45 * len(components) * len(windows) + 1.2)
    ax = ax if ax is not None else new_axes((9.0, height))
    ticks, labels, y = [], [], 0.0
    drawn: set[str] = set()
    for component in components:
        for window in windows:
            cells = distribution[(distribution["component"] == component) & (distribution["window"] == window)]
            if cells.empty:
                continue
            _stacked_bar(ax, y, cells, drawn)
            ticks.append(y)
            labels.append(f"{component} - {window}" if len(windows) > 1 else component)
            y -= 1
        y -= 0.6
    ax.axvline(0, color=REFERENCE, linewidth=1.5)
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_xlim(-1.02, 1.02)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
    ax.set_xlabel("Share of educators: below the line (left) | at or above it (right)")
    ax.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    ax.set_title(title or ratings_title(distribution), loc="left")
    return ax


def _stacked_bar(ax: Axes, y: float, cells: pd.DataFrame, drawn: set[str]) -> None:
    shown = cells[~cells["suppressed"].astype(bool) & cells["share"].notna()]  # a coded share has no number
    good = shown[shown["acceptable"]].sort_values("variation", ascending=False)  # nearest the line first
    bad = shown[~shown["acceptable"]].sort_values("variation")
    for part, colours, sign in ((good, ACCEPTABLE_COLOURS, 1), (bad, UNACCEPTABLE_COLOURS, -1)):
        start = 0.0
        for _, cell in part.iterrows():
            label = f"variation {cell['variation']} (rating {cell['rating']})"
            colour = colours[min(int(cell["variation"]) - 1, len(colours) - 1)] if sign > 0 else \
                colours[min(len(bad) - 1 - list(bad["variation"]).index(cell["variation"]), len(colours) - 1)]
            ax.barh(y, sign * cell["share"], left=start, color=colour, height=0.8,
                    label=None if label in drawn else label)
            drawn.add(label)
            start += sign * cell["share"]
    hidden = 1 - shown["share"].sum()
    if len(shown) < len(cells) and hidden > 1e-9:
        ax.barh(y, hidden, left=good["share"].sum(), color=WITHHELD, hatch="///", edgecolor="white", height=0.8,
                label=None if "withheld" in drawn else "withheld (small group, or near 0% or 100%)")
        drawn.add("withheld")


def share_at_line_title(fidelity: pd.DataFrame) -> str:
    """The finding from fidelity (`fidelity_by_educator`), for when small cells hide it in the chart:
    the share of ratings at or above the line in the first and the last window.

    >>> fidelity = pd.DataFrame({"window": ["fall", "spring"], "fidelity": [0.25, 0.75], "components_rated": [4, 4]})
    >>> share_at_line_title(fidelity)
    'Ratings at or above the line went from 25% (fall) to 75% (spring)'
    """
    if fidelity.empty:
        return "No observation is rated against the practice map yet"
    weighted = fidelity.assign(at=fidelity["fidelity"] * fidelity["components_rated"])
    sums = weighted.groupby("window", sort=False)[["at", "components_rated"]].sum()
    shares = sums["at"] / sums["components_rated"]
    first, last = shares.index[0], shares.index[-1]
    if first == last:
        return f"{shares[first]:.0%} of ratings are at or above the line ({first})"
    return f"Ratings at or above the line went from {shares[first]:.0%} ({first}) to {shares[last]:.0%} ({last})"


# -- fidelity before and after -------------------------------------------------------------------------
def fidelity_title(change: pd.DataFrame, label_column: str | None = None) -> str:
    """The finding: the mean fidelity before and after, and how many rose (educators or groups).

    >>> change = pd.DataFrame({"fidelity_before": [0.25, 0.5], "fidelity_after": [0.75, 0.5]})
    >>> fidelity_title(change)
    'Fidelity went from 38% to 62% on average; 1 of 2 educators rose'
    """
    if change.empty:
        return "No educator has fidelity in two windows yet"
    rose = int((change["fidelity_after"] > change["fidelity_before"] + 1e-9).sum())
    who = "groups" if label_column else "educators"
    text = (f"Fidelity went from {change['fidelity_before'].mean():.0%} to {change['fidelity_after'].mean():.0%} "
            f"on average; {rose} of {len(change)} {who} rose")
    if label_column:
        flat = change.loc[change["fidelity_after"] <= change["fidelity_before"] + 1e-9, label_column].astype(str)
        if 0 < len(flat) <= 3:
            text += f" ({', '.join(flat)} did not)"
    return text


def fidelity_slope_chart(change: pd.DataFrame, *, before: str = "before", after: str = "after",
                         label_column: str | None = None, ax: Axes | None = None, title: str | None = None) -> Axes:
    """A line per row from fidelity before to after (per educator unlabelled, or per group labelled
    with `label_column`), rises in blue, falls in vermillion, and the mean in black.

    >>> change = pd.DataFrame({"school_id": ["A", "B"], "fidelity_before": [0.2, 0.5], "fidelity_after": [0.8, 0.4]})
    >>> fidelity_slope_chart(change, label_column="school_id").get_title(loc="left")
    'Fidelity went from 35% to 60% on average; 1 of 2 groups rose (B did not)'
    """
    ax = ax if ax is not None else new_axes((6.5, 5.0))
    jitter = np.zeros(len(change)) if label_column else np.linspace(-0.02, 0.02, max(len(change), 1))[:len(change)]
    for (index, row), shift in zip(change.iterrows(), jitter):
        up = row["fidelity_after"] > row["fidelity_before"] + 1e-9
        ax.plot([0, 1], [row["fidelity_before"] + shift, row["fidelity_after"] + shift],
                color=SERIES if up else HIGHLIGHT, alpha=0.9 if label_column else 0.35, linewidth=1.5 if label_column else 1)
        if label_column:
            ax.text(1.03, row["fidelity_after"], str(row[label_column]), va="center", fontsize=8)
    if len(change):
        ax.plot([0, 1], [change["fidelity_before"].mean(), change["fidelity_after"].mean()], color=REFERENCE,
                linewidth=3, label="mean")
        ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.set_xticks([0, 1], [before, after])
    ax.set_xlim(-0.15, 1.3)
    ax.set_ylim(-0.05, 1.05)
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_ylabel("Fidelity: share of components at or above the line")
    ax.set_title(title or fidelity_title(change, label_column), loc="left", fontsize=10)
    return ax


# -- the chain so far ---------------------------------------------------------------------------------------
def chain_title(links: pd.DataFrame, broken_at: list[str] | None = None) -> str:
    """The finding: where the chain breaks (across educators, or in a school), or that it holds.

    >>> links = pd.DataFrame({"from_step": ["hours"], "to_step": ["learning_change"], "low": [0.2], "high": [0.6]})
    >>> chain_title(links)
    'So far the chain holds: learning hours went with change in knowledge and skills'
    """
    shown = links.dropna(subset=["low"])
    if shown.empty:
        return "The chain cannot be shown yet: too few educators have two steps"
    broken = shown[shown["low"] <= 0]
    if len(broken):
        row = broken.iloc[0]
        return f"The chain breaks between {step_words(row['from_step'])} and {step_words(row['to_step'])}"
    if broken_at:
        return f"The chain holds across educators but breaks at {', '.join(map(str, broken_at))}"
    return "So far the chain holds: " + ", then ".join(
        f"{step_words(r['from_step'])} went with {step_words(r['to_step'])}" for _, r in shown.iterrows())


def chain_chart(links: pd.DataFrame, *, broken_at: list[str] | None = None, ax: Axes | None = None,
                title: str | None = None) -> Axes:
    """Each link's Spearman association with its 95% interval (a link whose interval reaches zero in
    vermillion: the chain breaks there), with the number of educators. `broken_at` names the
    groups (schools) where it breaks, for the title.

    >>> links = pd.DataFrame({"from_step": ["hours"], "to_step": ["learning_change"], "educators": [30],
    ...                       "association": [0.4], "low": [0.2], "high": [0.6]})
    >>> chain_chart(links).get_yticklabels()[0].get_text().splitlines()
    ['learning hours', '-> change in knowledge and skills', '(30 educators)']
    """
    ax = ax if ax is not None else new_axes((8.0, 1.4 + 0.9 * max(len(links), 1)))
    y = np.arange(len(links))[::-1]
    for position, (_, row) in zip(y, links.iterrows()):
        if pd.isna(row["association"]):
            ax.text(0, position, "withheld or not reported", ha="center", va="center", color=MUTED, fontsize=8)
            continue
        colour = SERIES if row["low"] > 0 else HIGHLIGHT
        ax.plot([row["low"], row["high"]], [position, position], color=colour, linewidth=3)
        ax.plot(row["association"], position, "o", color=colour, markersize=9)
    ax.axvline(0, color=REFERENCE, linewidth=1, linestyle="--")
    ax.set_yticks(y, [f"{step_words(r['from_step'])}\n-> {step_words(r['to_step'])}\n({r['educators']} educators)"
                      for _, r in links.iterrows()], fontsize=8)
    ax.set_xlim(-1, 1)
    ax.set_ylim(-0.7, len(links) - 0.3)
    ax.set_xlabel("Spearman's rank correlation with its 95% interval\n(an association, not proof of cause)")
    ax.set_title(title or chain_title(links, broken_at), loc="left", fontsize=10)
    return ax


def chain_by_group_chart(changes: pd.DataFrame, by: str = "school_id", *, names: dict | None = None,
                         ax: Axes | None = None, title: str | None = None) -> Axes:
    """Per group (school), each change step's mean with its 95% interval, side by side: a school
    where learning rises and practice does not stands out. `changes` is `change_by_group`'s table.

    >>> changes = pd.DataFrame({"school_id": ["A", "A"], "step": ["learning_change", "practice_change"],
    ...     "mean": [0.2, 0.0], "low": [0.1, -0.1], "high": [0.3, 0.1], "direction": ["rose", "no clear change"],
    ...     "suppressed": [False, False]})
    >>> chain_by_group_chart(changes).get_title(loc="left")
    'Where the chain breaks: A (the later step did not rise)'
    """
    groups = list(dict.fromkeys(changes[by]))
    steps = list(dict.fromkeys(changes["step"]))
    ax = ax if ax is not None else new_axes((8.0, 1.5 + 0.55 * max(len(groups), 1)))
    broken = []
    for row_index, group in enumerate(groups):
        rows = changes[changes[by] == group].set_index("step")
        directions = [rows.at[s, "direction"] if s in rows.index else "" for s in steps]
        if any(a == "rose" and b != "rose" and b != "withheld" for a, b in zip(directions[:-1], directions[1:])):
            broken.append((names or {}).get(group, group))
        for step_index, step in enumerate(steps):
            if step not in rows.index:
                continue
            row, y = rows.loc[step], -row_index + 0.18 * (step_index - (len(steps) - 1) / 2)
            colour = (SERIES, OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"])[step_index % 3]
            if row["suppressed"]:
                ax.text(0, y, "withheld", fontsize=7, color=MUTED, va="center")
                continue
            if pd.notna(row["low"]):
                ax.plot([row["low"], row["high"]], [y, y], color=colour, linewidth=2)
            ax.plot(row["mean"], y, "o", color=colour, label=step_words(step) if row_index == 0 else None)
    ax.axvline(0, color=REFERENCE, linewidth=1, linestyle="--")
    ax.set_yticks(-np.arange(len(groups)), [str((names or {}).get(g, g)) for g in groups], fontsize=8)
    ax.set_xlabel("Mean change (share of the maximum score, or of the map's components) with its 95% interval")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    found = (f"Where the chain breaks: {', '.join(map(str, broken))} (the later step did not rise)" if broken
             else "In every school shown, each step rose with the one before")
    ax.set_title(title or found, loc="left", fontsize=10)
    return ax


# -- access to effective practice -----------------------------------------------------------------------
def access_title(table: pd.DataFrame, school: str = ALL_SCHOOLS) -> str:
    """The finding for one school (or all schools): the largest clear gap in access, or none; a gap
    shown only as a range beside a coded share (`kit.privacy.code_gaps`) is named as that range.

    >>> table = pd.DataFrame({"school_id": ["all schools"] * 2, "group_column": ["english_learner"] * 2,
    ...     "group": ["no", "yes"], "share": [0.7, 0.4], "gap": [0.3, -0.3], "certainty": ["", "clear"],
    ...     "suppressed": [False, False]})
    >>> access_title(table)
    'english learner: yes: 30 points less access to effective practice than other students'
    """
    rows = table[(table["school_id"] == school) & ~table["suppressed"].astype(bool)]
    clear = rows[rows["certainty"] == CLEAR]
    clear = clear.sort_values("gap_most" if "gap_most" in clear else "gap")  # a range by its end nearest zero
    if len(clear):
        worst = clear.iloc[0]
        from kit.analysis.equity import group_label
        return (f"{group_label(worst['group_column'], worst['group'])}: {gap_size_words(worst)} less "
                f"access to effective practice than other students")
    if rows.empty:
        return "Access by group cannot be shown: every group is small"
    return "No clear gap in access to effective practice between groups"


def access_chart(table: pd.DataFrame, school: str = ALL_SCHOOLS, *, ax: Axes | None = None,
                 title: str | None = None) -> Axes:
    """Per group, the share of their classes taught by educators at or above the line (a coded share
    drawn to its band's edge and labelled with its band); withheld groups drawn hatched grey.

    >>> table = pd.DataFrame({"school_id": ["all schools"] * 2, "group_column": ["el"] * 2, "group": ["no", "yes"],
    ...     "share": [0.7, np.nan], "gap": [0.0, np.nan], "certainty": ["", ""], "suppressed": [False, True]})
    >>> len(access_chart(table).patches)
    2
    """
    rows = table[table["school_id"] == school].reset_index(drop=True)
    ax = ax if ax is not None else new_axes((7.5, 1.2 + 0.45 * max(len(rows), 1)))
    y = np.arange(len(rows))[::-1]
    for position, (_, row) in zip(y, rows.iterrows()):
        if row["suppressed"]:
            ax.barh(position, 1, color=WITHHELD, hatch="///", edgecolor="white", height=0.7)
            # The policy's one note: "small group" would mark the rows withheld only to protect another.
            ax.text(0.02, position, row.get("note") or "withheld", va="center", fontsize=8)
            continue
        ax.barh(position, row["share"], color=HIGHLIGHT if row["certainty"] == CLEAR else SERIES, height=0.7)
        text = row["share_text"] if isinstance(row.get("share_text"), str) and row["share_text"] else f"{row['share']:.0%}"
        ax.text(row["share"] + 0.01, position, text, va="center", fontsize=8)
    ax.set_yticks(y, [str(g) for g in rows["group"]], fontsize=8)
    ax.set_xlim(0, 1.1)
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_xlabel("Share of the group's classes taught by educators at or above the line")
    ax.set_title(title or access_title(table, school), loc="left", fontsize=10)
    return ax
