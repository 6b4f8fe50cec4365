"""Change within the same people: before and after scores for the same educators or students.

`paired_change` returns a one-row frame with these columns:

statistic ("paired_change"), label, unit, n, n_missing, mean_before, mean_after, sd_before,
sd_after, mean_change, sd_change, se, ci_low, ci_high, standardised_change, n_improved,
share_improved, verdict, reason

`ci_low`/`ci_high` are the 95% t interval of the mean change; `standardised_change` is the mean
change in before-score standard deviations, with a small-sample correction; `share_improved` is
the share whose after score is above their before score; `verdict` is "higher", "lower",
"no clear difference" or "not reported"; `reason` says why a number is missing.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from kit.privacy import DEFAULT_MIN_GROUP_SIZE

from .distributions import t_ppf
from ._inputs import check_min_group_size, interval_direction, paired_numeric, too_small_reason
from .spread import scale_of, spread_is_zero

PAIRED_COLUMNS = [
    "statistic", "label", "unit", "n", "n_missing", "mean_before", "mean_after", "sd_before",
    "sd_after", "mean_change", "sd_change", "se", "ci_low", "ci_high", "standardised_change",
    "n_improved", "share_improved", "verdict", "reason",
]


def paired_change(
    before: Iterable,
    after: Iterable,
    *,
    label: str = "",
    unit: str = "students",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Mean change from `before` to `after` for the same people, in the same order.

    mean change and its 95% interval: mean(d) -/+ t(0.975, n-1) * sd(d) / sqrt(n), d = after -
    before (the paired t interval, Student 1908). Standardised change: J * mean(d) / sd(before),
    J = 1 - 3 / (4(n-1) - 1) (Becker 1988, "Synthesizing standardized mean-change measures",
    British Journal of Mathematical and Statistical Psychology 41). A pair with either score
    missing is left out and counted in `n_missing`.

    >>> pre = [10, 12, 9, 14, 11, 13, 10, 12, 15, 11]
    >>> post = [13, 14, 9, 17, 12, 16, 12, 15, 18, 12]
    >>> row = paired_change(pre, post, label="knowledge check", unit="educators")
    >>> float(row.loc[0, "mean_change"]), float(row.loc[0, "share_improved"])
    (2.1, 0.9)
    """
    min_group_size = check_min_group_size(min_group_size)
    b, a, n_missing = paired_numeric(before, after, ("before scores", "after scores"))
    n = len(b)
    row = _describe(b, a, label, unit, n_missing)
    reason = too_small_reason({"group": n}, min_group_size, unit)
    if reason:
        return _frame({**row, "reason": reason, **_blank_description()})
    if n < 2:
        return _frame({**row, "reason": f"at least 2 {unit} with both scores are needed to measure change"})
    return _frame({**row, **_change_fields(a - b, b)})


def _change_fields(d: np.ndarray, b: np.ndarray) -> dict:
    n = len(d)
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    # Paired t interval (Student 1908): mean difference -/+ t(0.975, n-1) * SE.
    half_width = float(t_ppf(0.975, n - 1)) * se
    fields = {
        "mean_change": mean, "sd_change": sd, "se": se,
        "ci_low": mean - half_width, "ci_high": mean + half_width,
        "verdict": interval_direction(mean - half_width, mean + half_width), "reason": "",
    }
    scale = scale_of(d + b, b)
    if spread_is_zero(sd, scale):
        fields.update(sd_change=0.0, se=0.0, ci_low=mean, ci_high=mean, verdict=_direction_without_spread(mean, scale))
        fields["reason"] = "everyone changed by exactly the same amount, so the interval has no width"
    sd_before = float(b.std(ddof=1))
    if not spread_is_zero(sd_before, scale_of(b)):
        # Standardised mean change with Hedges' correction (Becker 1988).
        correction = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
        fields["standardised_change"] = correction * mean / sd_before
    else:
        fields["reason"] = _join(fields["reason"], "before scores are all the same, so there is no spread to put the change in standard deviations")
    return fields



def _direction_without_spread(mean: float, scale: float) -> str:
    """Everyone changed alike: the direction is the change itself, unless it is rounding noise."""
    if spread_is_zero(mean, scale):
        return "no clear difference"
    return "higher" if mean > 0 else "lower"


def _describe(b: np.ndarray, a: np.ndarray, label: str, unit: str, n_missing: int) -> dict:
    n = len(b)

    def sd(x: np.ndarray) -> float:
        return float(x.std(ddof=1)) if len(x) > 1 else math.nan

    improved = int((a > b).sum())
    return {
        "statistic": "paired_change", "label": label, "unit": unit, "n": n, "n_missing": n_missing,
        "mean_before": float(b.mean()) if n else math.nan, "mean_after": float(a.mean()) if n else math.nan,
        "sd_before": sd(b), "sd_after": sd(a),
        "mean_change": float((a - b).mean()) if n else math.nan, "sd_change": sd(a - b),
        "se": math.nan, "ci_low": math.nan, "ci_high": math.nan, "standardised_change": math.nan,
        "n_improved": improved, "share_improved": improved / n if n else math.nan,
        "verdict": "not reported", "reason": "",
    }


def _blank_description() -> dict:
    """Values that would describe a group under the threshold; the count `n` stays."""
    names = ["mean_before", "mean_after", "sd_before", "sd_after", "mean_change", "sd_change", "share_improved"]
    blank = {name: math.nan for name in names}
    blank["n_improved"] = pd.NA
    return blank


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def _frame(row: dict) -> pd.DataFrame:
    frame = pd.DataFrame([row], columns=PAIRED_COLUMNS)
    return frame.astype({"n": "int64", "n_missing": "int64", "n_improved": "Int64"})
