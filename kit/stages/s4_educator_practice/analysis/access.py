"""Equity of access to effective practice: through the rosters, the share of each student group's
classes taught by educators at or above the line, by school, and the gap to all other students.

Each student counts once: their value is the share of their classes (roster rows with an observed
educator) whose educator is at or above the line, so with one subject chosen it is 1 or 0. A gap
is named like a gap in results (stage 1): it is clear when its whole 95% interval lies below zero.
Every figure about fewer than the student threshold is withheld (`kit.analysis.equity`). A share near
0% or 100% shows only its band, and so does the share of all other students: beside either, the gap
is shown as the range the bands allow, never exactly (`kit.privacy.code_gaps`). A school's (and the
district's) students at the line are taken as known to a reader (any group column shown in full tells
them), so beside a coded share other shares are withheld until that total cannot give it back
(`_withhold_beside_coded_shares`).

>>> rosters = pd.DataFrame({"student_id": [f"S{i}" for i in range(40)], "educator_id": ["E1"] * 20 + ["E2"] * 20})
>>> students = pd.DataFrame({"student_id": [f"S{i}" for i in range(40)], "school_id": "A",
...                          "english_learner": ["yes"] * 20 + ["no"] * 20})
>>> levels = pd.DataFrame({"educator_id": ["E1", "E2"], "implementation": ["below the line", "at or above the line"]})
>>> table = access_by_group(rosters, students, levels, "english_learner")
>>> table[["school_id", "group", "n", "share_text", "gap_text"]].to_dict("records")[:2]
[{'school_id': 'A', 'group': 'no', 'n': 20, 'share_text': '≥85%', 'gap_text': '+70 to +100 points'}, \
{'school_id': 'A', 'group': 'yes', 'n': 20, 'share_text': '≤15%', 'gap_text': '-100 to -70 points'}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis import equity
from kit.privacy import (
    DEFAULT_MIN_GROUP_SIZE,
    STUDENTS,
    code_edge_shares,
    code_gaps,
    code_shares,
    withheld_words,
)
from kit.privacy.cube import ALL, protect_cube

from .fidelity import AT_OR_ABOVE, NOT_OBSERVED

ALL_SCHOOLS = "all schools"
CLEAR = "clear"
#: Why a gap reads as a range: one of its shares is shown only as its band.
BANDED_GAP_WORDS = "a share near 0% or 100% is shown only as its band, so the gap as a range"


def student_access(rosters: pd.DataFrame, students: pd.DataFrame, implementation: pd.DataFrame, *,
                   term: str | None = None, subject: str | None = None) -> pd.DataFrame:
    """One row per student with an observed educator: the students' columns plus `access`, the
    share of their classes taught by educators at or above the line (unpublished: student level)."""
    chosen = rosters
    if term is not None and "term" in rosters:
        chosen = chosen[chosen["term"].astype(str) == term]
    if subject is not None and "subject" in rosters:
        chosen = chosen[chosen["subject"].astype(str) == subject]
    levels = implementation[implementation["implementation"] != NOT_OBSERVED]
    classes = chosen[["student_id", "educator_id"]].astype(str).merge(levels, on="educator_id", how="inner")
    classes["effective"] = (classes["implementation"] == AT_OR_ABOVE).astype(float)
    share = classes.groupby("student_id", as_index=False)["effective"].mean().rename(columns={"effective": "access"})
    people = students.assign(student_id=students["student_id"].astype(str))
    return people.merge(share, on="student_id", how="inner")


def access_by_group(rosters: pd.DataFrame, students: pd.DataFrame, implementation: pd.DataFrame, group: str, *,
                    term: str | None = None, subject: str | None = None,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE, elsewhere: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per school (and for all schools) and group of `group`: students `n`, `share` of their classes
    taught at or above the line (its band's edge when coded), `share_text` (the share as it may be
    shown: top- and bottom-coded near 0% and 100%, `kit.privacy.code_shares`), `share_coded`, the
    reference (all other students) `reference_share`, `gap` with its 95% interval (`gap_low`,
    `gap_high`), `gap_text`, `gap_least` and `gap_most` (the gap, or the range shown instead beside a
    share in its band: `kit.privacy.code_gaps`, which also withholds the reference share and interval
    there), `certainty` ("clear" when the whole interval is below zero, judged on the range when
    only a range is shown), `suppressed`, `note`. `elsewhere` holds figures another stage shows about
    the same students (stage 1's `decided_figures` for `group`): a figure with the same count here
    takes the same fate (`_same_figures`)."""
    frame = student_access(rosters, students, implementation, term=term, subject=subject)
    columns = ["school_id", "group_column", "group", "n", "share", "share_text", "share_coded", "reference_share",
               "gap", "gap_low", "gap_high", "gap_text", "gap_least", "gap_most", "certainty", "suppressed", "note"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # Figures worked out in full, then withheld by one decision over the school x group cube
    # (kit.privacy.cube): each school's table and the district's row cannot be subtracted.
    by_school = equity.gaps(frame, "access", group, by=["school_id"], min_group_size=1)
    district = equity.gaps(frame, "access", group, min_group_size=1).assign(school_id=ALL_SCHOOLS)
    table = pd.concat([by_school, district], ignore_index=True)
    table = table.rename(columns={"mean": "share", "reference_mean": "reference_share"}).reset_index(drop=True)
    figures = table.copy()
    unit = STUDENTS.with_threshold(min_group_size)
    table = _withhold_by_decision(table, frame, group, unit, elsewhere)
    table = _withhold_beside_coded_shares(table, figures, unit)
    published = (table["group"] != equity.NOT_RECORDED).to_numpy()  # not a group to publish
    return _code_shares_and_gaps(table, figures, unit)[published][columns].reset_index(drop=True)


def _withhold_beside_coded_shares(table: pd.DataFrame, figures: pd.DataFrame, unit) -> pd.DataFrame:
    """Withhold shares beside a coded one where a total a reader knows would tell it more closely than its
    band (`kit.privacy.code_edge_shares`' line rule). A school's students at the line are told by any group
    column it shows in full, so the groups of each school (and of the district) form a line with that total,
    those not recorded a withheld member; one group across the schools forms a line whose total is the
    district's row. A withheld share keeps its count, whose fate is the school x group decision's."""
    recorded = (table["group"] != equity.NOT_RECORDED).to_numpy()
    in_schools = (table["school_id"] != ALL_SCHOOLS).to_numpy()
    labels = table.loc[in_schools, "group"].unique()
    across = [np.flatnonzero(in_schools & (table["group"] == label).to_numpy()) for label in labels]
    district = [int(np.flatnonzero((table["school_id"] == ALL_SCHOOLS).to_numpy() & (table["group"] == label).to_numpy())[0])
                for label in labels]
    lines = code_edge_shares(table.assign(suppressed=table["suppressed"] & recorded), ["share"], unit,
                             figures=figures, by=["school_id"], lines=across, line_totals=district,
                             unpublished=~recorded, bounded_by_total=True)
    beside = lines["suppressed"].to_numpy() & ~table["suppressed"].to_numpy()
    table = table.copy()
    for column in ("share", "reference_share", "gap", "gap_low", "gap_high"):
        table[column] = table[column].astype(float).mask(beside)
    table["suppressed"] = table["suppressed"].to_numpy() | beside
    table["note"] = np.where(beside, withheld_words(unit), table["note"])
    return table


def _code_shares_and_gaps(table: pd.DataFrame, figures: pd.DataFrame, unit) -> pd.DataFrame:
    """Each share as it may be shown, and each gap exactly only where neither share is in its band; beside
    a coded share, the gap's range lets the other students hold the rest of the school's total at the line,
    which a reader may know (so the range tells no more than the band)."""
    n = table["n"].astype(float).to_numpy()
    reference_n = table["reference_n"].astype(float).to_numpy()
    totals = (figures["n"].astype(float) * figures["share"].astype(float)
              + figures["reference_n"].astype(float) * figures["reference_share"].astype(float).fillna(0)).to_numpy()
    coded = code_shares(table["share"], n, unit)
    gaps = code_gaps(table["share"], n, table["reference_share"], reference_n, table["gap_high"], unit,
                     totals=totals)
    shown = gaps["gap_shown"].to_numpy()
    table = table.assign(share=coded["share_shown"].to_numpy(), share_text=coded["share_text"].to_numpy(),
                         share_coded=coded["share_coded"].to_numpy(), gap_text=gaps["gap_text"].to_numpy(),
                         gap_least=gaps["gap_least"].to_numpy(), gap_most=gaps["gap_most"].to_numpy(),
                         certainty=np.where(gaps["clear"], CLEAR, ""))
    for column in ("reference_share", "gap", "gap_low", "gap_high"):
        table[column] = table[column].astype(float).where(shown)
    return table


def _withhold_by_decision(table: pd.DataFrame, frame: pd.DataFrame, group: str, unit,
                          elsewhere: pd.DataFrame | None = None) -> pd.DataFrame:
    """Withhold every row the school x group decision withholds, and every gap whose reference (all
    other students of the school) is under the threshold. Figures with the same count `elsewhere`
    are decided there (`_same_figures`)."""
    labels = equity.group_values(frame[group]).to_numpy()
    counts = pd.DataFrame({"school_id": frame["school_id"].astype(str).to_numpy(), "group": labels})
    counts = counts.groupby(["school_id", "group"]).size().rename("n").reset_index()
    grid = pd.MultiIndex.from_product([sorted(counts["school_id"].unique()), sorted(set(labels))],
                                      names=["school_id", "group"]).to_frame(index=False)
    cells = grid.merge(counts, on=["school_id", "group"], how="left").fillna({"n": 0})
    decision = protect_cube(cells, ["school_id", "group"], unit, unpublished={"group": [equity.NOT_RECORDED]},
                            fixed=_same_figures(cells, elsewhere))
    withheld = np.array([label == equity.NOT_RECORDED
                         or decision.withheld(school_id=None if school == ALL_SCHOOLS else str(school), group=label)
                         for school, label in zip(table["school_id"], table["group"])], dtype=bool)
    reference_small = table["reference_n"].astype(float).fillna(0).to_numpy() < unit.min_group_size
    hidden = withheld | reference_small
    table = table.copy()
    table["n"] = table["n"].astype("Int64").mask(withheld)
    for column in ("share", "reference_share", "gap", "gap_low", "gap_high"):
        table[column] = table[column].astype(float).mask(hidden)
    table["suppressed"] = hidden
    table["note"] = np.where(hidden, withheld_words(unit), "")
    return table


def _same_figures(cells: pd.DataFrame, elsewhere: pd.DataFrame | None) -> pd.DataFrame | None:
    """The figures of the school x group cube (each school and all schools, each group and all groups)
    whose count is the same as a figure `elsewhere` (rows `school_id`, `group`, `n`, `withheld`, `ALL` where
    summed over; over every grade where it has a `grade`), with that figure's fate: withheld if it is
    withheld in any of them. Where every student here is counted there too (every student has a teacher
    observed), a reader takes the two counts to be the same figure; two fates would let them subtract.

    >>> cells = pd.DataFrame({"school_id": ["A", "A"], "group": ["x", "y"], "n": [4.0, 30.0]})
    >>> elsewhere = pd.DataFrame({"school_id": ["A", "A"], "group": ["y", "*"], "n": [30, 35], "withheld": [True, False]})
    >>> _same_figures(cells, elsewhere).to_dict("records")
    [{'school_id': 'A', 'group': 'y', 'withheld': True}]
    """
    if elsewhere is None or not len(elsewhere):
        return None
    if "grade" in elsewhere.columns:
        elsewhere = elsewhere[elsewhere["grade"].astype(str) == ALL]
    figures = [cells.groupby(keys, as_index=False)["n"].sum() if keys else pd.DataFrame({"n": [cells["n"].sum()]})
               for keys in (["school_id", "group"], ["school_id"], ["group"], [])]
    figures = pd.concat(figures, ignore_index=True).fillna({"school_id": ALL, "group": ALL})
    figures = figures.astype({"school_id": str, "group": str, "n": float})
    there = elsewhere[["school_id", "group", "n", "withheld"]].astype({"school_id": str, "group": str, "n": float})
    same = figures.merge(there, on=["school_id", "group", "n"])
    return same.groupby(["school_id", "group"], as_index=False)["withheld"].any()


def _share_words(row: pd.Series) -> str:
    return row["share_text"] if isinstance(row.get("share_text"), str) and row["share_text"] else f"{row['share']:.0%}"


def gap_size_words(row: pd.Series) -> str:
    """A gap below zero as a size in points: "30 points", or "30 to 40 points" where only its range is
    shown (`gap_least`, `gap_most`).

    >>> gap_size_words(pd.Series({"gap": float("nan"), "gap_least": -0.4, "gap_most": -0.3}))
    '30 to 40 points'
    """
    if pd.notna(row.get("gap")):
        return f"{-100 * row['gap']:.0f} points"
    return f"{-100 * row['gap_most']:.0f} to {-100 * row['gap_least']:.0f} points"


def access_gap_sentences(table: pd.DataFrame, names: dict[str, str] | None = None) -> list[str]:
    """The clear gaps in access, largest first (by the end nearest zero of what is shown), in words; a gap
    shown only as a range (beside a share near 0% or 100%) is said as that range, without an interval.

    >>> table = pd.DataFrame({"school_id": ["A", "B"], "group_column": ["english_learner"] * 2, "group": ["yes"] * 2,
    ...     "n": [20, 15], "share": [0.4, 0.2], "share_text": ["40%", "≤20%"], "gap": [-0.3, float("nan")],
    ...     "gap_low": [-0.5, float("nan")], "gap_high": [-0.1, float("nan")], "gap_least": [-0.3, -0.6],
    ...     "gap_most": [-0.3, -0.4], "certainty": ["clear"] * 2, "suppressed": [False] * 2})
    >>> print("\\n".join(access_gap_sentences(table)))
    At B, english learner: yes: ≤20% of their classes are taught by educators at or above the line, 40 to 60 points
    fewer than all other students (a share near 0% or 100% is shown only as its band, so the gap as a range).
    At A, english learner: yes: 40% of their classes are taught by educators at or above the line, 30 points fewer
    than all other students (95% interval 10 to 50 points fewer).
    """
    clear = table[(table["certainty"] == CLEAR) & ~table["suppressed"].astype(bool)]
    clear = clear.sort_values("gap_most" if "gap_most" in clear else "gap")
    sentences = []
    for _, row in clear.iterrows():
        where = ("Across all schools" if row["school_id"] == ALL_SCHOOLS
                 else f"At {(names or {}).get(row['school_id'], row['school_id'])}")
        how_sure = (f"95% interval {-100 * row['gap_high']:.0f} to {-100 * row['gap_low']:.0f} points fewer"
                    if pd.notna(row["gap"]) else BANDED_GAP_WORDS)
        sentences.append(
            f"{where}, {equity.group_label(row['group_column'], row['group'])}: {_share_words(row)} of their "
            f"classes are taught by educators at or above the line, {gap_size_words(row)} fewer than all "
            f"other students ({how_sure}).")
    return sentences
