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
from scipy import stats as scipy_stats

from kit.analysis import stats
from kit.analysis.stats.spread import has_spread
from kit.errors import DataError

from .change import measure_windows, paired_shares
from .withholding import EDUCATOR_MIN_GROUP_SIZE, withhold_small_groups

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
        half = scipy_stats.t.ppf(0.975, self.n - 2) * self.residual_sd * np.sqrt(
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
    half = scipy_stats.t.ppf(0.975, n - 2) * residual_sd / math.sqrt(sxx)
    return FittedLine(intercept, slope, float(slope - half), float(slope + half), n, residual_sd, float(xs.mean()), sxx)


def hours_bands(hours) -> pd.DataFrame:
    """The hours bands, chosen from the data: "none" is 0 hours; the educators with some hours are
    split at their median into "some" (up to the median) and "many" (above it). Columns: band,
    low, high (the cut points: 0, the median, the largest hours), label (the cut points in words,
    never one educator's own hours).

    >>> hours_bands([0, 0, 2, 4, 6, 8, 10])[["band", "label"]].values.tolist()
    [['none', 'no hours'], ['some', 'more than 0, up to 6 hours'], ['many', 'more than 6 hours']]
    """
    values = pd.Series(hours, dtype=float).dropna()
    positive = values[values > 0]
    median = float(positive.median()) if len(positive) else math.nan
    rows = [(NONE, values[values <= 0]), (SOME, positive[positive <= median]), (MANY, positive[positive > median])]
    bands = []
    for band, members in rows:
        if not len(members):
            continue
        low, high = {NONE: (0.0, 0.0), SOME: (0.0, median), MANY: (median, float(members.max()))}[band]
        label = {NONE: "no hours", SOME: f"more than 0, up to {_hours(median)} hours",
                 MANY: f"more than {_hours(median)} hours"}[band]
        bands.append({"band": band, "low": low, "high": high, "label": label, "median_of_some": median})
    return pd.DataFrame(bands, columns=["band", "low", "high", "label", "median_of_some"])


def band_of(hours: float, median_of_some: float) -> str:
    """Which band a number of hours is in, given the median of the educators with some hours."""
    if hours <= 0:
        return NONE
    return SOME if hours <= median_of_some else MANY


BAND_COLUMNS = ["band", "label", "n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high",
                "share_improved", "verdict"]


def change_by_hours_band(measures: pd.DataFrame, hours: pd.DataFrame, before: str | None = None,
                         after: str | None = None, *, min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Mean change in knowledge and skills (shares of the maximum) per hours band, with the paired t
    interval of each band (kit.analysis.stats.paired_change). Bands under `min_group_size`
    educators are withheld, with complementary suppression."""
    before, after = _default_windows(measures, before, after)
    pairs = paired_shares(measures[measures["domain"].isin(LEARNING_DOMAINS)], before, after)
    per_educator = pairs.groupby("educator_id")[["before", "after"]].mean().reset_index()
    per_educator = dose_frame(hours, per_educator.assign(learning_change=0.0)).drop(columns="learning_change").merge(
        per_educator, on="educator_id")
    bands = hours_bands(per_educator["hours"])
    if bands.empty:
        return pd.DataFrame(columns=BAND_COLUMNS + ["suppressed", "note"])
    median = float(bands["median_of_some"].iloc[0])
    per_educator["band"] = [band_of(h, median) for h in per_educator["hours"]]
    rows = []
    for band, label in zip(bands["band"], bands["label"]):
        members = per_educator[per_educator["band"] == band]
        result = stats.paired_change(members["before"], members["after"], label=label, unit="educators",
                                     min_group_size=min_group_size).iloc[0]
        rows.append({"band": band, "label": label, **{c: result[c] for c in BAND_COLUMNS[2:]}})
    numbers = ["n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high", "share_improved"]
    return withhold_small_groups(pd.DataFrame(rows, columns=BAND_COLUMNS), "n", numbers + ["verdict"], min_group_size)


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
