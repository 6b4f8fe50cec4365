"""Dose and response: did educators who spent more hours in learning change more?

Per educator, learning hours (from `attendance`) against the change in knowledge and skills (shares
of each measure's maximum). Reported as an association with its interval, never as a cause.

>>> import pandas as pd
>>> attendance = pd.DataFrame({"activity_id": ["A", "B", "A"], "educator_id": ["E1", "E1", "E2"],
...                            "hours_attended": [3.0, 2.0, 1.5]})
>>> educator_hours(attendance)
  educator_id  hours
0          E1    5.0
1          E2    1.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.analysis import stats
from kit.analysis.stats.distributions import t_ppf
from kit.analysis.stats.spread import has_spread
from kit.analysis.windows import window_key
from kit.stages.s2_professional_learning.analysis.participation import school_year
from kit.errors import DataError

from .change import measure_windows, paired_shares
from .withholding import EDUCATOR_MIN_GROUP_SIZE, code_edge_shares, withhold_small_groups

#: The domains whose change feeds the chain of evidence (dispositions are shown on their own).
LEARNING_DOMAINS = ("knowledge", "skills")
NONE, SOME, MANY = "none", "some", "many"


def educator_hours(attendance: pd.DataFrame) -> pd.DataFrame:
    """Hours attended per educator: one row for every educator with attendance (columns educator_id, hours)."""
    if attendance is None or not len(attendance):
        return pd.DataFrame({"educator_id": pd.Series(dtype=str), "hours": pd.Series(dtype=float)})
    hours = pd.to_numeric(attendance["hours_attended"], errors="coerce").astype(float).fillna(0.0)
    totals = hours.groupby(attendance["educator_id"].astype(str).to_numpy()).sum()
    return pd.DataFrame({"educator_id": totals.index.astype(str), "hours": totals.to_numpy().round(2)})


def hours_in_span(attendance: pd.DataFrame, activities: pd.DataFrame | None, before: str,
                  after: str) -> tuple[pd.DataFrame, str]:
    """Hours per educator (`educator_hours`) at the activities held in the school years from the
    `before` window to the `after` window, and a sentence saying what was counted. When the window
    labels name no school year ("pre", "post") or the activities have no dates, all attendance counts.

    >>> import pandas as pd
    >>> activities = pd.DataFrame({"activity_id": ["A", "B"], "date": pd.to_datetime(["2024-10-01", "2025-10-01"])})
    >>> attendance = pd.DataFrame({"activity_id": ["A", "B"], "educator_id": ["E1", "E1"], "hours_attended": [3.0, 2.0]})
    >>> hours, words = hours_in_span(attendance, activities, "2024-25 fall", "2024-25 spring")
    >>> hours["hours"].tolist(), words
    ([3.0], 'Hours count the learning held in 2024-25.')
    """
    first, last = window_key(before), window_key(after)
    named = all(key is not None and key[0] > 0 and key[1] < 100 for key in (first, last))
    if not named or activities is None or "date" not in activities or activities["date"].isna().all():
        return educator_hours(attendance), "Hours count all the learning in the attendance table."
    years = activities["date"].map(lambda date: int(school_year(date)[:4]) if not pd.isna(date) else -1)
    kept = activities.loc[years.between(first[0], last[0]).to_numpy(), "activity_id"].astype(str)
    span = school_year(f"{first[0]}-09-01") + ("" if first[0] == last[0] else f" to {school_year(f'{last[0]}-09-01')}")
    return (educator_hours(attendance[attendance["activity_id"].astype(str).isin(set(kept))]),
            f"Hours count the learning held in {span}.")


def educator_learning_change(measures: pd.DataFrame, before: str | None = None, after: str | None = None,
                             domains: tuple[str, ...] = LEARNING_DOMAINS) -> pd.DataFrame:
    """Each educator's mean change over the knowledge and skills measures, in shares of each measure's
    maximum, from `before` (default the first window) to `after` (default the last). One row per
    educator scored on at least one such measure in both windows: educator_id, learning_change,
    measures (how many measures the mean is over).

    >>> import pandas as pd
    >>> measures = pd.DataFrame({"educator_id": ["E1"] * 4, "window": ["fall", "spring"] * 2,
    ...     "domain": ["knowledge"] * 2 + ["skills"] * 2, "measure": ["quiz"] * 2 + ["rubric"] * 2,
    ...     "score": [10.0, 14.0, 8.0, 8.0], "max_score": [20.0, 20.0, 16.0, 16.0]})
    >>> educator_learning_change(measures)
      educator_id  learning_change  measures
    0          E1              0.1         2
    """
    before, after = _default_windows(measures, before, after)
    pairs = paired_shares(measures[measures["domain"].isin(domains)], before, after)
    per_educator = pairs.groupby("educator_id").agg(learning_change=("change", "mean"), measures=("change", "size"))
    return per_educator.reset_index()[["educator_id", "learning_change", "measures"]]


def dose_frame(hours: pd.DataFrame, change: pd.DataFrame) -> pd.DataFrame:
    """Hours against change per educator with a change; an educator without attendance has 0 hours."""
    frame = change[["educator_id", "learning_change"]].astype({"educator_id": str}).merge(
        hours.astype({"educator_id": str}), on="educator_id", how="left")
    frame["hours"] = frame["hours"].fillna(0.0)
    return frame[["educator_id", "hours", "learning_change"]]


def hours_association(dose: pd.DataFrame, *, min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Spearman's rank correlation of hours and change, with its seeded bootstrap interval
    (kit.analysis.stats.rank_association)."""
    return stats.rank_association(dose["hours"], dose["learning_change"], x_label="learning hours",
                                  y_label="change in knowledge and skills", unit="educators",
                                  min_group_size=min_group_size)


@dataclass(frozen=True)
class FittedLine:
    """Least-squares line change = intercept + slope * hours, with what its band needs."""

    intercept: float
    slope: float
    slope_low: float
    slope_high: float
    n: int
    residual_sd: float
    mean_x: float
    sum_squares_x: float

    def band(self, x) -> pd.DataFrame:
        """The line and its 95% confidence band for the mean change at each `x`: fitted -/+
        t(0.975, n-2) * s * sqrt(1/n + (x - mean x)^2 / Sxx) (Draper & Smith 1998, Applied
        Regression Analysis, section 3.1)."""
        x = np.asarray(x, dtype=float)
        fitted = self.intercept + self.slope * x
        half = t_ppf(0.975, self.n - 2) * self.residual_sd * np.sqrt(
            1 / self.n + (x - self.mean_x) ** 2 / self.sum_squares_x)
        return pd.DataFrame({"hours": x, "fitted": fitted, "low": fitted - half, "high": fitted + half})


def fit_line(x, y) -> FittedLine:
    """Ordinary least squares of `y` on `x` with the slope's 95% t interval.

    >>> line = fit_line([0, 1, 2, 3, 4], [1.0, 3.1, 4.9, 7.2, 8.8])
    >>> round(line.slope, 2), round(line.intercept, 2)
    (1.97, 1.06)
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xs)
    sxx = float(((xs - xs.mean()) ** 2).sum())
    if n < 3 or not has_spread(xs):
        raise DataError("A line needs at least 3 educators whose learning hours differ.")
    slope = float(((xs - xs.mean()) * (ys - ys.mean())).sum() / sxx)
    intercept = float(ys.mean() - slope * xs.mean())
    residuals = ys - (intercept + slope * xs)
    residual_sd = math.sqrt(float((residuals**2).sum()) / (n - 2))
    half = t_ppf(0.975, n - 2) * residual_sd / math.sqrt(sxx)
    return FittedLine(intercept, slope, float(slope - half), float(slope + half), n, residual_sd, float(xs.mean()), sxx)


def hours_bands(hours, min_group_size: int | None = None) -> pd.DataFrame:
    """The hours bands, chosen from the data: "none" is 0 hours; the educators with some hours are
    split at their median into "some" (up to the median) and "many" (above it). When fewer than
    `min_group_size` educators have no hours, they join "some" (then "up to" the median), so a
    tiny band does not force a large one to be withheld beside it. Columns: band, low, high (the
    cut points: 0, the median, the largest hours), label (the cut points in words, never one
    educator's own hours), median_of_some, none_joins_some.

    >>> hours_bands([0, 0, 2, 4, 6, 8, 10])[["band", "label"]].values.tolist()
    [['none', 'no hours'], ['some', 'more than 0, up to 6 hours'], ['many', 'more than 6 hours']]
    >>> hours_bands([0, 2, 4, 6, 8, 10], min_group_size=5)[["band", "label"]].values.tolist()
    [['some', 'up to 6 hours'], ['many', 'more than 6 hours']]
    """
    values = pd.Series(hours, dtype=float).dropna()
    positive = values[values > 0]
    median = float(positive.median()) if len(positive) else math.nan
    zero = values[values <= 0]
    joins = bool(min_group_size) and 0 < len(zero) < min_group_size and len(positive) > 0
    some = pd.concat([zero, positive[positive <= median]]) if joins else positive[positive <= median]
    rows = [(NONE, zero.iloc[0:0] if joins else zero), (SOME, some), (MANY, positive[positive > median])]
    bands = []
    for band, members in rows:
        if not len(members):
            continue
        low, high = {NONE: (0.0, 0.0), SOME: (0.0, median), MANY: (median, float(members.max()))}[band]
        label = {NONE: "no hours", SOME: f"{'up to' if joins else 'more than 0, up to'} {_hours(median)} hours",
                 MANY: f"more than {_hours(median)} hours"}[band]
        bands.append({"band": band, "low": low, "high": high, "label": label, "median_of_some": median,
                      "none_joins_some": joins})
    return pd.DataFrame(bands, columns=["band", "low", "high", "label", "median_of_some", "none_joins_some"])


def band_of(hours: float, median_of_some: float, none_joins_some: bool = False) -> str:
    """Which band a number of hours is in, given the median of the educators with some hours."""
    if hours <= 0 and not none_joins_some:
        return NONE
    return SOME if hours <= median_of_some else MANY


BAND_COLUMNS = ["band", "label", "n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high",
                "share_improved", "verdict"]


def change_by_hours_band(measures: pd.DataFrame, hours: pd.DataFrame, before: str | None = None,
                         after: str | None = None, *, min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Mean change in knowledge and skills (shares of the maximum) per hours band, with the paired t
    interval of each band (kit.analysis.stats.paired_change). Bands under `min_group_size`
    educators are withheld, with complementary suppression. The share improved near 0% or 100% of a
    band reads only as its band in `share_improved_text` ("≥75%"), its number missing."""
    before, after = _default_windows(measures, before, after)
    pairs = paired_shares(measures[measures["domain"].isin(LEARNING_DOMAINS)], before, after)
    per_educator = pairs.groupby("educator_id")[["before", "after"]].mean().reset_index()
    per_educator = dose_frame(hours, per_educator.assign(learning_change=0.0)).drop(columns="learning_change").merge(
        per_educator, on="educator_id")
    bands = hours_bands(per_educator["hours"], min_group_size)
    if bands.empty:
        columns = BAND_COLUMNS[:BAND_COLUMNS.index("share_improved") + 1] + ["share_improved_text", "verdict"]
        return pd.DataFrame(columns=columns + ["suppressed", "note"])
    median = float(bands["median_of_some"].iloc[0])
    joins = bool(bands["none_joins_some"].iloc[0])
    per_educator["band"] = [band_of(h, median, joins) for h in per_educator["hours"]]
    rows = []
    for band, label in zip(bands["band"], bands["label"]):
        members = per_educator[per_educator["band"] == band]
        result = stats.paired_change(members["before"], members["after"], label=label, unit="educators",
                                     min_group_size=min_group_size).iloc[0]
        rows.append({"band": band, "label": label, **{c: result[c] for c in BAND_COLUMNS[2:]}})
    numbers = ["n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high", "share_improved"]
    figures = pd.DataFrame(rows, columns=BAND_COLUMNS)
    table = withhold_small_groups(figures, "n", numbers + ["verdict"], min_group_size)
    # Each band alone: no view shows the number improved over all bands, so no line total narrows one.
    return code_edge_shares(table, ["share_improved"], figures=figures, by=["band"], min_group_size=min_group_size)


def dose_response_words(association: pd.DataFrame, line: FittedLine | None) -> str:
    """The finding in words: the association and its interval, the slope per 10 hours, and that
    this is an association, not proof that the hours caused the change."""
    row = association.iloc[0]
    if row["verdict"] == "not reported":
        return f"Hours and change are not compared: {row['reason']}."
    direction = {"positive": "Educators with more learning hours tended to gain more",
                 "negative": "Educators with more learning hours tended to gain less",
                 "no clear association": "There is no clear link between learning hours and gains"}[row["verdict"]]
    text = (f"{direction} (rank correlation {row['effect']:.2f}, 95% interval {row['ci_low']:.2f} to "
            f"{row['ci_high']:.2f}, {int(row['n'])} educators).")
    if line is not None:
        text += (f" On the fitted line, 10 more hours go with {10 * line.slope * 100:+.1f} percentage points of "
                 "change.")
    return text + " This is an association, not proof that the hours caused the change."


def _default_windows(measures: pd.DataFrame, before: str | None, after: str | None) -> tuple[str, str]:
    windows = measure_windows(measures)
    if len(windows) < 2:
        raise DataError("Change needs educator measures from at least two windows (for example fall and spring).")
    return before or windows[0], after or windows[-1]


def _hours(value: float) -> str:
    return f"{round(value, 1):g}"
