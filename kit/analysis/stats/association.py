"""Association along the chain of evidence: does more of one thing go with more of another?

`rank_association` returns a one-row frame with these columns:

statistic ("spearman"), x, y, unit, n, n_missing, effect, ci_low, ci_high, n_boot, seed,
verdict, reason

`effect` is Spearman's rank correlation; `ci_low`/`ci_high` a 95% percentile bootstrap interval
from `n_boot` resamples of whole pairs drawn with `seed`, so the same data always give the same
interval; `verdict` is "positive", "negative", "no clear association" or "not reported".
An association is never evidence of cause, and the summaries say so.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from kit.privacy import DEFAULT_MIN_GROUP_SIZE

from ._inputs import StatsInputError, check_min_group_size, interval_direction, paired_numeric, too_small_reason
from .spread import has_spread

DEFAULT_BOOTSTRAP_SAMPLES = 2000
DEFAULT_SEED = 20240607

ASSOCIATION_COLUMNS = [
    "statistic", "x", "y", "unit", "n", "n_missing", "effect", "ci_low", "ci_high", "n_boot",
    "seed", "verdict", "reason",
]


def spearman_rho(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation: the Pearson correlation of the mid-ranks (Spearman 1904).

    >>> spearman_rho(np.array([1.0, 2, 3, 4]), np.array([10.0, 30, 20, 40]))
    0.8
    """
    return float(_rowwise_spearman(x[np.newaxis, :], y[np.newaxis, :])[0])


def bootstrap_indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    """The resampled positions, one row per bootstrap sample: `n_boot` x `n` draws with
    replacement from numpy's default generator seeded with `seed`.

    >>> bootstrap_indices(3, 2, seed=1).shape
    (2, 3)
    """
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def rank_association(
    x: Iterable,
    y: Iterable,
    *,
    x_label: str = "x",
    y_label: str = "y",
    unit: str = "educators",
    n_boot: int = DEFAULT_BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Spearman's rank correlation of paired values with a seeded percentile bootstrap interval.

    The interval is the 2.5th and 97.5th percentiles of rho over resamples of whole pairs
    (Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13). Resamples in which one
    variable has no spread have no rho and are left out. Pairs with a missing value are dropped.

    >>> hours = [2, 4, 5, 6, 8, 9, 10, 12, 14, 15, 18, 20]
    >>> change = [0.1, 0.0, 0.3, 0.2, 0.4, 0.3, 0.5, 0.6, 0.4, 0.7, 0.8, 0.9]
    >>> row = rank_association(hours, change, x_label="learning hours", y_label="change in knowledge")
    >>> round(float(row.loc[0, "effect"]), 3), row.loc[0, "verdict"]
    (0.937, 'positive')
    """
    min_group_size = check_min_group_size(min_group_size)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 100:
        raise StatsInputError(f"The number of bootstrap samples must be a whole number of at least 100, not {n_boot!r}.")
    xs, ys, n_missing = paired_numeric(x, y, (x_label, y_label))
    row = {
        "statistic": "spearman", "x": x_label, "y": y_label, "unit": unit, "n": len(xs),
        "n_missing": n_missing, "effect": math.nan, "ci_low": math.nan, "ci_high": math.nan,
        "n_boot": int(n_boot), "seed": int(seed), "verdict": "not reported", "reason": "",
    }
    reason = too_small_reason({"pairs": len(xs)}, min_group_size, unit) or _why_no_spread(xs, ys, x_label, y_label)
    if reason:
        return _frame({**row, "reason": reason})
    rho = spearman_rho(xs, ys)
    low, high, used = _percentile_interval(xs, ys, int(n_boot), int(seed))
    note = "" if used == n_boot else f"{n_boot - used} resamples without spread were left out"
    verdict = interval_direction(low, high, ("positive", "negative", "no clear association"))
    return _frame({**row, "effect": rho, "ci_low": low, "ci_high": high, "verdict": verdict, "reason": note})


def _percentile_interval(x: np.ndarray, y: np.ndarray, n_boot: int, seed: int) -> tuple[float, float, int]:
    rows = bootstrap_indices(len(x), n_boot, seed)
    rhos = _rowwise_spearman(x[rows], y[rows])
    rhos = rhos[np.isfinite(rhos)]
    # Percentile bootstrap interval (Efron & Tibshirani 1993).
    low, high = np.percentile(rhos, [2.5, 97.5])
    return float(low), float(high), len(rhos)


def mid_ranks(values: np.ndarray) -> np.ndarray:
    """The 1-based rank of each value within its row, tied values sharing the mean of their ranks
    (what `scipy.stats.rankdata(values, axis=1)` gives, without importing scipy.stats).

    >>> mid_ranks(np.array([[10.0, 30, 30, 20]])).tolist()
    [[1.0, 3.5, 3.5, 2.0]]
    """
    values = np.atleast_2d(values)
    width = values.shape[1]
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)  # where a run of equal values starts
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends = np.ones(ordered.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    positions = np.arange(width)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, positions, width - 1)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty(ordered.shape)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return ranks


def _rowwise_spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho for each row of two equally shaped 2-D arrays (nan where a row is flat)."""
    rx = mid_ranks(x)
    ry = mid_ranks(y)
    rx = rx - rx.mean(axis=1, keepdims=True)
    ry = ry - ry.mean(axis=1, keepdims=True)
    denominator = np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rx * ry).sum(axis=1) / denominator
    rho[denominator == 0] = np.nan
    return np.clip(rho, -1.0, 1.0)


def _why_no_spread(x: np.ndarray, y: np.ndarray, x_label: str, y_label: str) -> str:
    for values, label in ((x, x_label), (y, y_label)):
        if not has_spread(values):
            return f"every value of {label} is the same, so there is nothing to rank"
    return ""



def _frame(row: dict) -> pd.DataFrame:
    frame = pd.DataFrame([row], columns=ASSOCIATION_COLUMNS)
    return frame.astype({"n": "int64", "n_missing": "int64", "n_boot": "int64", "seed": "int64"})
