"""Stage 1 charts: score distribution by group, gaps against a reference, and a school x group
heat map of proficiency.

Data in (frames from `kit.stages.s1_student_needs.analysis` / `kit.analysis.equity`, already suppressed), axes out.
A withheld group is drawn as withheld, with its note, never as a value; every chart with a
withheld cell says so under the plot. Titles state the finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from kit.analysis.equity import ALL_STUDENTS

from kit.charts.style import HIGHLIGHT, REFERENCE, SEQUENTIAL, SERIES, WITHHELD, new_axes


def withheld_note(table: pd.DataFrame) -> str:
    """The note under a chart with withheld cells ("" when none)."""
    withheld = table[table["suppressed"]]
    if withheld.empty:
        return ""
    reasons = "; ".join(sorted(set(withheld["note"])))
    count = len(withheld)
    return f"{count} value{'s' if count != 1 else ''} withheld ({reasons})."


def _note(ax: Axes, text: str) -> None:
    if text:
        ax.annotate(text, xy=(0, 0), xycoords="figure fraction", xytext=(6, 4), textcoords="offset points",
                    fontsize=8, color="#444444", ha="left", va="bottom", wrap=True)
        ax.figure.get_layout_engine().set(h_pad=0.25) if ax.figure.get_layout_engine() else None


def _height(rows: int) -> float:
    return min(2.0 + 0.38 * rows, 40.0)


def distribution_chart(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                       value_label: str = "Scale score") -> Axes:
    """Boxes from the 25th to the 75th percentile, lines from the 10th to the 90th and a tick at
    the median, one row per group (`needs.distribution`). Withheld groups show their note.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"group_column": "el", "group": ["no", "yes"], "n": [40, pd.NA],
    ...     "p10": [190, None], "p25": [200, None], "p50": [210, None], "p75": [220, None], "p90": [230, None],
    ...     "suppressed": [False, True], "note": ["", "fewer than 10 students"]})
    >>> distribution_chart(table).get_title()
    'Median scale score: 210.0 for no (1 group shown)'
    """
    ax = ax if ax is not None else new_axes((8.0, _height(len(table))))
    y = np.arange(len(table))[::-1]
    for position, (_, row) in zip(y, table.iterrows()):
        if row["suppressed"]:
            ax.text(0.01, position, _withheld_words(row["note"]), transform=ax.get_yaxis_transform(),
                    va="center", fontsize=9, color="#444444")
            continue
        colour = REFERENCE if row["group"] == ALL_STUDENTS else SERIES
        ax.hlines(position, row["p10"], row["p90"], color=colour, linewidth=1.5)
        ax.add_patch(Rectangle((row["p25"], position - 0.3), row["p75"] - row["p25"], 0.6, facecolor=colour,
                               alpha=0.35, edgecolor=colour))
        ax.vlines(row["p50"], position - 0.3, position + 0.3, color=colour, linewidth=2.5)
    ax.set_yticks(y, [f"{g} (n={n})" if pd.notna(n) else str(g) for g, n in zip(table["group"], table["n"])])
    ax.set_ylim(-1.0, len(table) - 0.3)  # room at the foot for the reference label
    ax.autoscale(axis="x")
    ax.set_xlabel(f"{value_label} (box: middle half of students; line: 10th to 90th percentile; tick: median)")
    group_name = str(table["group_column"].iloc[0]).replace("_", " ") if len(table) else "group"
    ax.set_ylabel(group_name.capitalize())
    ax.set_title(title if title is not None else distribution_title(table, value_label))
    ax.spines[["top", "right"]].set_visible(False)
    _note(ax, withheld_note(table))
    return ax


def distribution_title(table: pd.DataFrame, value_label: str = "Scale score") -> str:
    shown = table[~table["suppressed"] & (table["group"] != ALL_STUDENTS)]
    if shown.empty:
        return f"{value_label}: every group is withheld (too few students)"
    low, high = shown.loc[shown["p50"].idxmin()], shown.loc[shown["p50"].idxmax()]
    if len(shown) == 1:
        return f"Median {value_label.lower()}: {low['p50']:.1f} for {low['group']} (1 group shown)"
    return (f"Median {value_label.lower()} ranges from {low['p50']:.1f} ({low['group']}) "
            f"to {high['p50']:.1f} ({high['group']})")


def gap_chart(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
              value_label: str = "scale-score points") -> Axes:
    """Each group's gap (`equity.gaps`) as a bar from the reference line at zero: bars to the left
    trail the reference, bars to the right are ahead. Withheld groups show their note.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"group_column": "el", "group": ["no", "yes"], "gap": [4.0, -6.5],
    ...     "n": [90, 30], "reference": "all other students", "suppressed": [False, False], "note": ""})
    >>> gap_chart(table).get_title()
    'Largest gap: yes, 6.5 scale-score points below all other students'
    """
    ax = ax if ax is not None else new_axes((8.0, _height(len(table))))
    y = np.arange(len(table))[::-1]
    shown = ~table["suppressed"].to_numpy()
    gaps = table["gap"].astype(float).to_numpy()
    colours = [HIGHLIGHT if gap < 0 else SERIES for gap in np.nan_to_num(gaps)]
    ax.barh(y[shown], gaps[shown], color=np.array(colours, dtype=object)[shown], height=0.6)
    for position, (_, row) in zip(y, table.iterrows()):
        if row["suppressed"]:
            ax.text(0.01, position, _withheld_words(row["note"]), transform=ax.get_yaxis_transform(), va="center",
                    fontsize=9, color="#444444")
        else:
            ax.annotate(f"{row['gap']:+.1f}", (row["gap"], position), xytext=(4 if row["gap"] >= 0 else -4, 0),
                        textcoords="offset points", ha="left" if row["gap"] >= 0 else "right", va="center",
                        fontsize=8)
    reference = str(table["reference"].iloc[0]) if len(table) else "the reference"
    ax.axvline(0, color=REFERENCE, linewidth=1.5)
    # Inside the axes, at the foot of the line, so it never runs into the title above.
    ax.annotate(f"reference: {reference}", (0, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                textcoords="offset points", fontsize=8, va="bottom")
    limit = np.nanmax(np.abs(gaps[shown])) if shown.any() else 1.0
    ax.set_xlim(-1.35 * limit - 0.5, 1.35 * limit + 0.5)
    ax.set_yticks(y, [f"{g} (n={n})" if pd.notna(n) else str(g) for g, n in zip(table["group"], table["n"])])
    ax.set_ylim(-1.0, len(table) - 0.3)  # room at the foot for the reference label
    ax.set_xlabel(f"Gap in {value_label} (group minus {reference})")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title if title is not None else gap_title(table, value_label))
    _note(ax, withheld_note(table))
    return ax


def gap_title(table: pd.DataFrame, value_label: str = "scale-score points") -> str:
    shown = table[~table["suppressed"]]
    reference = str(table["reference"].iloc[0]) if len(table) else "the reference"
    if shown.empty:
        return "Every gap is withheld (too few students)"
    worst = shown.loc[shown["gap"].idxmin()]
    if worst["gap"] >= 0:
        return f"No group shown is below {reference}"
    return f"Largest gap: {worst['group']}, {abs(worst['gap']):.1f} {value_label} below {reference}"


def _withheld_words(note: str) -> str:
    return note if note.startswith("withheld") else f"withheld: {note}"


#: The most schools a heat map shows: more rows no longer read as a picture (and take long to draw).
MAX_SCHOOLS = 25


def largest_schools(cells: pd.DataFrame, limit: int | None = MAX_SCHOOLS) -> tuple[pd.DataFrame, int]:
    """The cells of the `limit` schools with the most students (counted over the cells shown, so a
    withheld count plays no part), in the table's order, and how many schools are left out.

    Suppression is already applied to the whole table, so choosing rows afterwards hides more but
    never lets a withheld value be worked out.

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"school_id": ["A", "B", "C"], "n": [40, 90, 60], "suppressed": False})
    >>> shown, left_out = largest_schools(cells, 2)
    >>> shown["school_id"].tolist(), left_out
    (['B', 'C'], 1)
    """
    schools = list(dict.fromkeys(cells["school_id"]))
    if limit is None or len(schools) <= limit:
        return cells, 0
    students = cells["n"].where(~cells["suppressed"].astype(bool)).astype(float).fillna(0)
    size = students.groupby(cells["school_id"], sort=False).sum().reindex(schools)
    chosen = set(size.sort_values(ascending=False, kind="stable").index[:limit])
    return cells[cells["school_id"].isin(chosen)], len(schools) - limit


def proficiency_heatmap(cells: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                        school_names: dict[str, str] | None = None, max_schools: int | None = MAX_SCHOOLS) -> Axes:
    """Share proficient for each school (rows) and group (columns), from
    `needs.school_group_proficiency`. Withheld cells are grey and hatched, as the note below says.
    With more than `max_schools` schools only the largest are drawn (`largest_schools`), and the
    note says how many are not shown; the title's finding is about every school.

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"school_id": ["A", "A", "B", "B"], "group_column": "el",
    ...     "group": ["no", "yes", "no", "yes"], "n": [40, 20, 50, 30], "share_proficient": [0.7, 0.4, 0.8, 0.6],
    ...     "suppressed": False, "note": ""})
    >>> proficiency_heatmap(cells).get_title()
    'Lowest share proficient: yes at A (40%)'
    """
    everything, (cells, left_out) = cells, largest_schools(cells, max_schools)
    schools = list(dict.fromkeys(cells["school_id"]))
    groups = list(dict.fromkeys(cells["group"]))
    ax = ax if ax is not None else new_axes((max(6.0, 1.3 * len(groups) + 3), _height(len(schools))))
    values = cells.pivot(index="school_id", columns="group", values="share_proficient").reindex(
        index=schools, columns=groups).to_numpy(dtype=float)
    withheld = cells.pivot(index="school_id", columns="group", values="suppressed").reindex(
        index=schools, columns=groups).fillna(True).to_numpy(dtype=bool)
    texts = cells.assign(_text=_share_texts(cells)).pivot(index="school_id", columns="group", values="_text").reindex(
        index=schools, columns=groups).fillna("").to_numpy(dtype=object)
    shown = np.ma.masked_where(withheld | np.isnan(values), values)
    mesh = ax.pcolormesh(shown, cmap=SEQUENTIAL, vmin=0, vmax=1, edgecolors="white", linewidth=0.5)
    rows, columns = np.nonzero(withheld)
    if len(rows):  # one collection: a hatched patch per cell took twice as long to draw (160 cells: 0.28 s, 0.13 s)
        corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
        ax.add_collection(PolyCollection(corners[None, :, :] + np.stack([columns, rows], axis=1)[:, None, :],
                                         facecolor=WITHHELD, hatch="///", edgecolor="white", linewidth=0))
    if len(schools) <= 40:  # a withheld cell says so by its hatching and the note, not a word in each cell
        for row, column in zip(*np.nonzero(~withheld)):
            colour = "white" if values[row, column] < 0.55 else "black"
            ax.text(column + 0.5, row + 0.5, texts[row, column], ha="center", va="center", fontsize=8, color=colour)
    names = school_names or {}
    ax.set_yticks(np.arange(len(schools)) + 0.5, [names.get(s, s) for s in schools], fontsize=8)
    ax.set_xticks(np.arange(len(groups)) + 0.5, groups, rotation=30 if len(groups) > 4 else 0, ha="right"
                  if len(groups) > 4 else "center", fontsize=8)
    ax.invert_yaxis()
    group_name = str(cells["group_column"].iloc[0]).replace("_", " ") if len(cells) else "group"
    ax.set_xlabel(group_name.capitalize())
    ax.set_ylabel("School")
    colourbar = ax.figure.colorbar(mesh, ax=ax, fraction=0.04)
    colourbar.set_label("Share proficient")
    ax.set_title(title if title is not None else heatmap_title(everything, shown=set(schools)))
    note = withheld_note(cells)
    note = (note + " Hatched grey cells are withheld.") if note else ""
    if left_out:
        note = (f"Showing the {len(schools)} schools with the most students; {left_out} more school"
                f"{'s are' if left_out != 1 else ' is'} not shown: choose one in the School filter to see its "
                f"results by group. {note}").strip()
    _note(ax, note)
    return ax


def heatmap_title(cells: pd.DataFrame, shown: set | None = None) -> str:
    """The lowest share proficient of any school x group cell; says so when its school is not in
    `shown` (the schools drawn)."""
    visible = cells[~cells["suppressed"] & cells["share_proficient"].notna()]
    if visible.empty:
        return "Every school x group cell is withheld (too few students)"
    low = visible.loc[visible["share_proficient"].idxmin()]
    where = "" if shown is None or low["school_id"] in shown else " (a school not drawn)"
    text = _share_texts(visible.loc[[low.name]]).iloc[0]
    return f"Lowest share proficient: {low['group']} at {low['school_id']}{where} ({text})"


def _share_texts(cells: pd.DataFrame) -> pd.Series:
    """Each cell's share as it may be shown: the coded text ("≤8%") from the analysis when given."""
    if "share_proficient_text" in cells.columns:
        return cells["share_proficient_text"].astype(str)
    return cells["share_proficient"].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")


__all__ = ["distribution_chart", "gap_chart", "proficiency_heatmap", "largest_schools", "withheld_note",
           "MAX_SCHOOLS"]
