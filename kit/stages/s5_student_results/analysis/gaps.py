"""Did gaps narrow more for students of some educators than of others?

For each group of educators (an "arm": at or above the line, below the line, ...) and each student
group (English learners, students with a disability, ...), the gap is the group's mean score minus
the mean of the other students of the same arm, in the earlier and the later window. For the same
students, the gap's change equals the group's mean growth minus the others' mean growth, so its 95%
interval is Welch's interval of that difference (`kit.analysis.stats.intervals.welch_difference`).
A gap "narrowed" or "widened" only beyond the kit's tolerance (`kit.analysis.stats.gap_change`:
0.05 of the scores' SD, the What Works Clearinghouse's negligible difference) and when the interval
leaves out no change. Arms are then set side by side: did the gap narrow more in one arm than the
other, beyond the same tolerance and with an interval that leaves out no difference?
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np
import pandas as pd

from kit.analysis.equity import NOT_RECORDED, group_label, order_groups
from kit.analysis.stats.gap_change import GAP_CHANGE_TOLERANCE_SD, SMALLEST_REPORTED_CHANGE, gap_change
from kit.analysis.stats.intervals import welch_difference

from ._privacy import EDUCATORS, STUDENTS, threshold, withheld_words, withhold

Z_95 = 1.959963984540054
GAP_COLUMNS = ["arm", "group_column", "group", "n_group", "gap_before", "gap_after", "change", "ci_low",
               "ci_high", "tolerance", "verdict", "words", "suppressed", "note"]


def gap_change_by_arm(students: pd.DataFrame, group_column: str, *, arms=None,
                      min_group_size: int | None = None, min_educators: int | None = None,
                      withheld: Collection[str] = ()) -> pd.DataFrame:
    """One row per arm and student group of `group_column` (blanks are not a group): `n_group`,
    `gap_before`, `gap_after` (group minus the rest of the arm), `change` (the gap's size
    after minus before; negative = narrower), its 95% interval `ci_low`/`ci_high`, the `tolerance`
    in points, `verdict` and `words` (from `kit.analysis.stats.gap_change`). `students` has one row per
    student: `arm`, `score_before`, `score_after`, `growth` and `group_column` as text labels.
    A group or rest under the students' threshold is withheld, with complementary cells in its arm,
    and so is every arm's row of a group `withheld` names (stage 1 withholds it: `withheld_in_stage_1`).

    >>> rng = np.random.default_rng(1)
    >>> frame = pd.DataFrame({"arm": "all", "el": ["yes"] * 40 + ["no"] * 60,
    ...                       "score_before": np.r_[rng.normal(190, 8, 40), rng.normal(200, 8, 60)]})
    >>> frame["growth"] = np.r_[np.full(40, 12.0), np.full(60, 6.0)] + rng.normal(0, 2, 100)
    >>> frame["score_after"] = frame["score_before"] + frame["growth"]
    >>> gap_change_by_arm(frame, "el").set_index("group").loc["yes", "verdict"]
    'narrowed'
    """
    size = threshold(STUDENTS, min_group_size)
    rows = []
    for arm in (arms or list(dict.fromkeys(students["arm"]))):
        members = students[(students["arm"] == arm) & (students[group_column] != NOT_RECORDED)]
        sd = float(members["score_before"].std(ddof=1)) if len(members) > 1 else math.nan
        for group in _groups_to_show(members[group_column]):
            inside = members[members[group_column] == group]
            rest = members[members[group_column] != group]
            rows.append(_gap_row(arm, group_column, group, inside, rest, sd))
    table = pd.DataFrame(rows, columns=[c for c in GAP_COLUMNS if c not in ("suppressed", "note")] + ["n_rest"])
    if table.empty:
        return table.drop(columns="n_rest").assign(suppressed=pd.Series(dtype=bool), note=pd.Series(dtype=str))
    few = _arms_with_few_educators(students, threshold(EDUCATORS, min_educators))
    table["_count"] = table["n_group"].where((table["n_rest"] >= size) & ~table["arm"].isin(few), 0)
    shown = withhold(table, "_count", ["gap_before", "gap_after", "change", "ci_low", "ci_high"], unit=STUDENTS,
                     min_group_size=size, lines=[["arm"], ["group_column", "group"]],
                     forced=table["group"].astype(str).isin([str(g) for g in withheld]).to_numpy())
    withheld = shown["suppressed"]
    shown["n_group"] = shown["n_group"].astype("Int64").mask(withheld)
    shown["verdict"] = shown["verdict"].mask(withheld, "not reported")
    shown["words"] = shown["words"].mask(withheld, withheld_words(STUDENTS, size))
    shown["suppressed"] = withheld
    shown["note"] = np.where(withheld, withheld_words(STUDENTS, size), "")
    return shown[GAP_COLUMNS]


def _arms_with_few_educators(students: pd.DataFrame, min_educators: int) -> list:
    if "educator_id" not in students.columns:
        return []
    educators = students.groupby("arm", sort=False)["educator_id"].nunique()
    return list(educators[educators < min_educators].index)


def _groups_to_show(labels: pd.Series) -> list[str]:
    """Every group of the column; of a yes/no column only "yes" (the "no" gap is its mirror image)."""
    groups = order_groups(labels.unique())
    return ["yes"] if set(groups) == {"no", "yes"} else groups


def _gap_row(arm, column: str, group: str, inside: pd.DataFrame, rest: pd.DataFrame, sd: float) -> dict:
    row = {"arm": arm, "group_column": column, "group": group, "n_group": len(inside), "n_rest": len(rest),
           "gap_before": math.nan, "gap_after": math.nan, "change": math.nan, "ci_low": math.nan,
           "ci_high": math.nan, "tolerance": math.nan, "verdict": "not reported", "words": "not reported"}
    if min(len(inside), len(rest)) < 2 or not sd > 0:
        return row
    before = inside["score_before"].mean() - rest["score_before"].mean()
    after = inside["score_after"].mean() - rest["score_after"].mean()
    # Same students in both windows: the gap's change is the difference in mean growth (Welch 1947).
    welch = welch_difference(inside["growth"].mean(), inside["growth"].std(ddof=1), len(inside),
                             rest["growth"].mean(), rest["growth"].std(ddof=1), len(rest)).iloc[0]
    judged = gap_change(before, after, sd=sd, change_interval=(welch["ci_low"], welch["ci_high"])).iloc[0]
    row.update(gap_before=before, gap_after=after, change=judged["change"], ci_low=judged["ci_low"],
               ci_high=judged["ci_high"], tolerance=judged["tolerance"], verdict=judged["verdict"],
               words=f"{group_label(column, group)}: the gap {judged['words']}")
    return row


def compare_arms(table: pd.DataFrame, first: str, second: str, phrases: dict[str, str] | None = None) -> pd.DataFrame:
    """For each student group shown in both arms: how much more the gap narrowed among students of
    `first` than of `second` (`difference` = second's change minus first's change, in points; positive
    means it narrowed more, or widened less, in `first`), its 95% interval (normal, from the two
    intervals, the arms being different students), and `words` (`phrases` names each arm's students,
    e.g. from `growth_by_arm`'s `words`). "About the same" unless the difference is beyond the tolerance
    and its interval leaves out zero.
    """
    phrases = phrases or {}
    names = (phrases.get(first, f"students of educators {first}"), phrases.get(second, f"students of educators {second}"))
    keys = ["group_column", "group"]
    a = table[(table["arm"] == first) & ~table["suppressed"]]
    b = table[(table["arm"] == second) & ~table["suppressed"]]
    both = a.merge(b, on=keys, suffixes=("_first", "_second"))
    rows = []
    for _, row in both.iterrows():
        se = math.hypot(_se(row["ci_low_first"], row["ci_high_first"]), _se(row["ci_low_second"], row["ci_high_second"]))
        difference = row["change_second"] - row["change_first"]
        tolerance = max(row["tolerance_first"], row["tolerance_second"], SMALLEST_REPORTED_CHANGE)
        low, high = difference - Z_95 * se, difference + Z_95 * se
        rows.append({**{k: row[k] for k in keys}, "first": first, "second": second, "difference": difference,
                     "ci_low": low, "ci_high": high, "tolerance": tolerance,
                     "words": _arm_words(group_label(row["group_column"], row["group"]), *names,
                                         difference, low, high, tolerance)})
    return pd.DataFrame(rows, columns=[*keys, "first", "second", "difference", "ci_low", "ci_high", "tolerance",
                                       "words"])


def _se(low: float, high: float) -> float:
    return (high - low) / (2 * Z_95) if pd.notna(low) and pd.notna(high) else math.nan


def _arm_words(group: str, first: str, second: str, difference: float, low: float, high: float,
               tolerance: float) -> str:
    interval = f"95% interval {low:.1f} to {high:.1f} points"
    if math.isnan(difference):
        return f"{group}: the two groups of educators cannot be compared."
    if abs(difference) <= tolerance or (pd.notna(low) and low <= 0 <= high):
        return (f"{group}: the gap changed about the same among {first} and among {second} "
                f"(a difference of {difference:.1f} points, {interval}).")
    way = "narrowed more (or widened less)" if difference > 0 else "widened more (or narrowed less)"
    return (f"{group}: the gap {way} among {first} than among {second}, by {abs(difference):.1f} "
            f"points ({interval}). An association, not proof of what caused it.")


GAP_TOLERANCE_WORDS = (f"A gap counts as narrowed or widened only when its size moved by more than "
                       f"{GAP_CHANGE_TOLERANCE_SD} of the scores' standard deviation and its interval leaves out "
                       "no change.")
