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

import pandas as pd

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
