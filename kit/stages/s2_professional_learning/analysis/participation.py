"""Participation in professional learning: hours per educator, by school, role and design, who has
had none, and whether educators who teach the underserved student groups get their share.

Inputs are the typed frames of `kit.io.Dataset` (`learning_activities`, `attendance`, `educators`,
`rosters`, `students`). Every function returns a new frame and leaves its inputs alone.

>>> import pandas as pd
>>> educators = pd.DataFrame({"educator_id": ["E1", "E2"], "school_id": ["S1", "S1"], "role": ["teacher"] * 2})
>>> activities = pd.DataFrame({"activity_id": ["A1"], "date": [pd.Timestamp("2025-10-01")], "hours": [3.0],
...                            "design": ["workshop"]})
>>> attendance = pd.DataFrame({"activity_id": ["A1"], "educator_id": ["E1"], "hours_attended": [3.0]})
>>> hours_per_educator(educators, activities, attendance)["hours"].tolist()
[3.0, 0.0]
"""

from __future__ import annotations

import math

import pandas as pd

from kit.privacy import (DEFAULT_MIN_GROUP_SIZE, EDUCATORS, STUDENTS, Unit, as_unit, code_shares, share_band,
                         withhold_small)

ALL_YEARS = "all years"
BY_COLUMNS = {"school_id": "school", "role": "role"}


def school_year(date) -> str:
    """The school year (September to August) of a date: 2025-10-01 -> "2025-26", 2026-03-01 -> "2025-26"."""
    moment = pd.Timestamp(date)
    start = moment.year if moment.month >= 9 else moment.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def school_years(activities: pd.DataFrame) -> list[str]:
    """The school years the activities fall in, earliest first."""
    return sorted({school_year(date) for date in activities["date"].dropna()})


def in_school_year(activities: pd.DataFrame, attendance: pd.DataFrame,
                   year: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The activities of one school year and the attendance at them (all of both when `year` is None
    or `ALL_YEARS`)."""
    if year in (None, ALL_YEARS):
        return activities, attendance
    kept = activities[activities["date"].map(lambda d: not pd.isna(d) and school_year(d) == year)]
    return kept, attendance[attendance["activity_id"].isin(kept["activity_id"])]


def hours_per_educator(educators: pd.DataFrame, activities: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """One row per educator (all of them, in the educators table's order): educator_id, school_id,
    role, activities (attended), hours (attended, 0 for none). Attendance at activities not in
    `activities` is not counted, so filter both with `in_school_year` first."""
    counted = attendance[attendance["activity_id"].isin(activities["activity_id"])]
    totals = counted.groupby("educator_id", observed=True).agg(activities=("activity_id", "nunique"),
                                                               hours=("hours_attended", "sum"))
    frame = educators[["educator_id", "school_id", "role"]].reset_index(drop=True)
    frame["activities"] = frame["educator_id"].map(totals["activities"]).fillna(0).astype(int)
    frame["hours"] = frame["educator_id"].map(totals["hours"]).astype(float).fillna(0.0).round(2)
    return frame


def participation_by(per_educator: pd.DataFrame, by: str) -> pd.DataFrame:
    """Participation per school (`by="school_id"`) or role (`by="role"`), from `hours_per_educator`:
    the `by` column, educators, with_hours, without_hours, share_without (0 to 1), total_hours,
    mean_hours (per educator, counting those with none), median_hours. Sorted by `by`."""
    grouped = per_educator.groupby(by, observed=True, sort=True)["hours"]
    frame = pd.DataFrame({
        "educators": grouped.size(),
        "with_hours": grouped.apply(lambda hours: int((hours > 0).sum())),
        "total_hours": grouped.sum().round(1),
        "mean_hours": grouped.mean().round(1),
        "median_hours": grouped.median().round(1),
    })
    frame.insert(2, "without_hours", frame["educators"] - frame["with_hours"])
    frame.insert(3, "share_without", (frame["without_hours"] / frame["educators"]).round(2))
    return frame.reset_index()


def hours_by_design(activities: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """One row per learning design: design, activities (offered), educators (who took part in at
    least one), total_hours (attended), hours_per_participant. Largest total first."""
    joined = attendance.merge(activities[["activity_id", "design"]], on="activity_id", how="inner")
    offered = activities.groupby("design", observed=True)["activity_id"].nunique()
    took_part = joined.groupby("design", observed=True).agg(educators=("educator_id", "nunique"),
                                                            total_hours=("hours_attended", "sum"))
    frame = pd.DataFrame({"activities": offered}).join(took_part, how="left")
    frame["educators"] = frame["educators"].fillna(0).astype(int)
    frame["total_hours"] = frame["total_hours"].astype(float).fillna(0.0).round(1)
    frame["hours_per_participant"] = (frame["total_hours"] / frame["educators"].where(frame["educators"] > 0)).round(1)
    frame.index.name = "design"
    return frame.reset_index().sort_values(["total_hours", "design"], ascending=[False, True], kind="stable",
                                           ignore_index=True)


def without_learning(per_educator: pd.DataFrame) -> pd.DataFrame:
    """The educators with no hours: educator_id, school_id, role (sorted by school, then id)."""
    none = per_educator[per_educator["hours"] <= 0]
    return none[["educator_id", "school_id", "role"]].sort_values(["school_id", "educator_id"], ignore_index=True)


# -- equity of access ---------------------------------------------------------------------------
TEACH, OTHERS = "teach the group", "teach other students"


def group_choices(students: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Every student group a coach may ask about: (label, column, value), e.g. ("english learner:
    yes", "english_learner", "yes"); blanks ("not recorded") are left out."""
    from kit.analysis import equity

    choices = []
    for column in equity.group_columns(students):
        values = equity.group_values(students[column])
        for value in sorted(set(values) - {equity.NOT_RECORDED}, key=lambda v: ({"no": 0, "yes": 1}.get(v, 2), v)):
            choices.append((equity.group_label(column, value), column, value))
    return choices


def groups_named_in(text: str, students: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The groups of `group_choices` a coach's words name (e.g. a stage 1 goal's "who": "English
    learners in grade 4" names english learner: yes). Yes/no groups are named by their column's
    words, others by their value."""
    words = " ".join(str(text or "").lower().replace("_", " ").split())
    found = []
    for label, column, value in group_choices(students):
        if value in ("yes", "no"):
            if value == "yes" and column.replace("_", " ") in words:
                found.append((label, column, value))
        elif value.lower() in words:
            found.append((label, column, value))
    return found


def educators_teaching(students: pd.DataFrame, rosters: pd.DataFrame, column: str, value: str,
                       min_students: int) -> pd.DataFrame:
    """Each rostered educator: educator_id, group_students (distinct students of the group they
    teach), teaches_group (True when that is at least `min_students`)."""
    from kit.analysis import equity

    in_group = students.loc[equity.group_values(students[column]).to_numpy() == value, "student_id"]
    taught = rosters[["educator_id", "student_id"]].drop_duplicates()
    counts = taught[taught["student_id"].isin(in_group)].groupby("educator_id", observed=True).size()
    frame = pd.DataFrame({"educator_id": taught["educator_id"].astype(str).unique()})
    frame["group_students"] = frame["educator_id"].map(counts).fillna(0).astype(int)
    frame["teaches_group"] = frame["group_students"] >= min_students
    return frame


def access_by_group(per_educator: pd.DataFrame, students: pd.DataFrame, rosters: pd.DataFrame, column: str,
                    value: str, *, min_group_size: int | Unit = DEFAULT_MIN_GROUP_SIZE,
                    educators: Unit | int | None = None) -> pd.DataFrame:
    """Hours received by educators who teach a student group against the other rostered educators.

    An educator "teaches the group" when at least `min_group_size` of their rostered students are
    in it (the students' threshold, so no row describes fewer students than it); educators without
    a class roster are left out. Two rows, `educators teaching` "teach the group" and "teach other
    students", with columns `educators` (count), `mean_hours`, `median_hours`, `share_without`
    (top- and bottom-coded: the edge of its band when coded), `share_without_text` ("≤20%", "35%"),
    then `suppressed` and `note` from the policy for `educators` (`kit.privacy.EDUCATORS`, 5 unless
    given): a row about fewer educators is withheld, and so is the other (its count could be worked
    out from the total), both with the same note. Beside a coded share without hours, the row's mean
    and median hours are missing where they would tell it more closely than its band
    (`hours_tell_share_without`).
    """
    students_unit = as_unit(min_group_size, STUDENTS)
    educator_unit = as_unit(educators, EDUCATORS)
    teaching = educators_teaching(students, rosters, column, value, students_unit.min_group_size)
    joined = per_educator.merge(teaching, on="educator_id", how="inner")
    rows, telling = [], []
    for label, mask in ((TEACH, joined["teaches_group"]), (OTHERS, ~joined["teaches_group"])):
        hours = joined.loc[mask, "hours"]
        rows.append({"educators": label, "count": len(hours), "mean_hours": round(hours.mean(), 1) if len(hours) else float("nan"),
                     "median_hours": float(hours.median()) if len(hours) else float("nan"),
                     "share_without": float((hours <= 0).mean()) if len(hours) else float("nan")})
        telling.append(hours_tell_share_without(hours, educator_unit))
    table = withhold_small(pd.DataFrame(rows), "count", educator_unit, ["mean_hours", "median_hours", "share_without"])
    coded = code_shares(table["share_without"], table["count"].astype(float), educator_unit)
    table["share_without"] = coded["share_shown"].round(2)
    table.insert(table.columns.get_loc("share_without") + 1, "share_without_text", coded["share_text"])
    for column in ("mean_hours", "median_hours"):
        table[column] = table[column].mask(pd.Series(telling, index=table.index))
    return table.rename(columns={"educators": "educators teaching", "count": "educators"})


def hours_tell_share_without(hours: pd.Series, unit: Unit | int | None = EDUCATORS) -> bool:
    """Whether a group's mean (or median) hours would tell its share without hours more closely than the
    band it is coded to (`kit.privacy.code_shares`). Near all without: a mean of 0.0 says all, any other
    says not all. Near none without: the n educators' total hours, shared among those with some, each
    holding at most the group's most hours (a reader knows no less: the hours offered), leave at least
    n - total / most with hours; that may leave fewer counts without than the band holds.

    >>> hours_tell_share_without(pd.Series([0.0] * 11 + [2.0])), hours_tell_share_without(pd.Series([6.0] * 11 + [0.0]))
    (True, True)
    >>> hours_tell_share_without(pd.Series([6.0, 1.0, 2.0, 3.0] * 3)), hours_tell_share_without(pd.Series([0.0, 3.0] * 6))
    (False, False)
    """
    n = len(hours)
    without = float((hours <= 0).mean()) if n else float("nan")
    coded = code_shares([without], [max(n, 1)], unit)
    if not n or not coded["share_coded"].iloc[0]:
        return False
    if without >= 0.5:  # a coded share is in its top band (bands reach at most 50%): near all without
        return True
    band = float(share_band([n], unit)[0])
    most_without = math.floor(band * n + 1e-9)  # the band holds 0 ... most_without educators without hours
    at_most_without = math.floor(n - hours.sum() / hours.max() + 1e-9)
    return at_most_without < most_without


def access_gap(access: pd.DataFrame) -> float | None:
    """Mean hours of educators who teach the group minus those who do not (None when withheld)."""
    teach, others = access["mean_hours"].iloc[0], access["mean_hours"].iloc[1]
    return None if pd.isna(teach) or pd.isna(others) else round(float(teach - others), 1)
