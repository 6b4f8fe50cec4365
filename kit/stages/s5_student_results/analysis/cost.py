"""The cost of the learning beside its results (the Resources standard): cost per educator hour and
per educator who reached fidelity.

Costs come from the `cost` column of `learning_activities` when the district's file has one, and
from costs the coach enters for an activity in the app (kept in the workspace settings, per
activity id; an entered cost replaces the file's). Activities with no cost are left out of the
figures, and the words say how many.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._privacy import EDUCATORS, threshold

COST_COLUMNS = ["total_cost", "activities", "activities_costed", "educator_hours", "cost_per_educator_hour",
                "educators_at_fidelity", "cost_per_educator_at_fidelity", "words"]


def activity_costs(activities: pd.DataFrame, entered: Mapping[str, float] | None = None) -> pd.Series:
    """Each activity's cost (indexed by activity id; missing when unknown): the coach's entry, else
    the file's `cost`.

    >>> activities = pd.DataFrame({"activity_id": ["A1", "A2", "A3"], "cost": [100.0, None, 50.0]})
    >>> activity_costs(activities, {"A2": 80}).tolist()
    [100.0, 80.0, 50.0]
    """
    ids = activities["activity_id"].astype(str)
    from_file = (pd.to_numeric(activities["cost"], errors="coerce").astype(float).to_numpy()
                 if "cost" in activities.columns else np.full(len(activities), np.nan))
    costs = pd.Series(from_file, index=ids.to_numpy(), name="cost")
    for activity, value in (entered or {}).items():
        if str(activity) in costs.index and value is not None and pd.notna(value):
            costs[str(activity)] = float(value)
    return costs


def learning_cost(activities: pd.DataFrame, attendance: pd.DataFrame, educators_at_fidelity: int | None = None,
                  entered: Mapping[str, float] | None = None, *, min_educators: int | None = None) -> pd.DataFrame:
    """One row: `total_cost` of the costed activities, `activities` and `activities_costed`,
    `educator_hours` attended at costed activities, `cost_per_educator_hour`, `educators_at_fidelity`
    (stage 4's "at or above the line"; withheld under the educators' threshold) and
    `cost_per_educator_at_fidelity`, with `words` a principal can read.

    >>> activities = pd.DataFrame({"activity_id": ["A1", "A2"], "cost": [600.0, 400.0]})
    >>> attendance = pd.DataFrame({"activity_id": ["A1", "A1", "A2"], "educator_id": ["E1", "E2", "E1"],
    ...                            "hours_attended": [3.0, 3.0, 4.0]})
    >>> row = learning_cost(activities, attendance, educators_at_fidelity=5).iloc[0]
    >>> float(row["cost_per_educator_hour"]), float(row["cost_per_educator_at_fidelity"])
    (100.0, 200.0)
    """
    costs = activity_costs(activities, entered)
    costed = costs.dropna()
    hours = pd.to_numeric(attendance["hours_attended"], errors="coerce").fillna(0.0)
    attended = hours[attendance["activity_id"].astype(str).isin(costed.index).to_numpy()].sum()
    total = float(costed.sum())
    size = threshold(EDUCATORS, min_educators)
    reached = educators_at_fidelity if educators_at_fidelity is not None and educators_at_fidelity >= size else None
    row = {"total_cost": total if len(costed) else np.nan, "activities": len(costs),
           "activities_costed": len(costed), "educator_hours": float(attended),
           "cost_per_educator_hour": total / attended if len(costed) and attended > 0 else np.nan,
           "educators_at_fidelity": reached,
           "cost_per_educator_at_fidelity": total / reached if len(costed) and reached else np.nan}
    row["words"] = _cost_words(row, educators_at_fidelity, size)
    frame = pd.DataFrame([row], columns=COST_COLUMNS)
    frame["educators_at_fidelity"] = frame["educators_at_fidelity"].astype("Int64")
    return frame


def _cost_words(row: dict, at_fidelity: int | None, size: int) -> str:
    if not row["activities_costed"]:
        return ("No activity has a cost yet: add a cost column to the learning activities, or enter what each "
                "activity cost, to see the cost beside the results.")
    sentences = [f"The learning cost {row['total_cost']:,.0f} for {row['activities_costed']} of "
                 f"{row['activities']} activities"]
    if row["activities_costed"] < row["activities"]:
        sentences[0] += f" ({row['activities'] - row['activities_costed']} have no cost and are left out)"
    if pd.notna(row["cost_per_educator_hour"]):
        sentences.append(f"that is {row['cost_per_educator_hour']:,.0f} per educator hour "
                         f"({row['educator_hours']:,.0f} hours attended)")
    if at_fidelity is None:
        tail = "Fidelity is not known yet (no observations), so there is no cost per educator at fidelity."
    elif row["educators_at_fidelity"] is None or pd.isna(row["educators_at_fidelity"]):
        tail = f"Fewer than {size} educators reached fidelity, so the cost per such educator is withheld."
    else:
        tail = (f"{row['educators_at_fidelity']} educators practise at or above the line: "
                f"{row['cost_per_educator_at_fidelity']:,.0f} per educator who reached fidelity.")
    return "; ".join(sentences) + ". " + tail
