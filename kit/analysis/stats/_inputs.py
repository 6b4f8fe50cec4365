"""Shared input handling for the statistics: clean numbers in, clear refusals out.

Every statistic in this package reads its data through these helpers so that missing values,
words where numbers belong and groups too small to report are treated the same way everywhere.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.privacy import describe_suppressed

#: Groups smaller than this are reported, but the summary adds a note that the result is fragile.
SMALL_SAMPLE_NOTE_BELOW = 30

#: The two-sided 95% normal quantile, kept exact rather than rounded to 1.96.
Z_95 = 1.959963984540054


class StatsInputError(KitError):
    """The numbers given to a statistic cannot be used (not numbers, mismatched lengths, ...)."""


def numeric_values(values: Iterable, what: str) -> tuple[np.ndarray, int]:
    """`values` as a float array without missing entries, and how many were missing.

    >>> numeric_values([1, None, 3], "scores")
    (array([1., 3.]), 1)
    """
    floats = _strict_float(_as_series(values, what), what)
    kept = floats[~np.isnan(floats)]
    return kept, int(len(floats) - len(kept))


def yes_no_values(values: Iterable, what: str) -> tuple[np.ndarray, int]:
    """`values` as a 0/1 float array (True/False or 1/0), and how many were missing.

    >>> yes_no_values([True, False, None], "proficient")
    (array([1., 0.]), 1)
    """
    series = _as_series(values, what)
    present = series[series.notna()]
    allowed = {True, False, 0, 1}
    wrong = [v for v in present.tolist() if not _is_yes_no(v, allowed)]
    if wrong:
        raise StatsInputError(
            f"The {what} must be yes/no values (True/False or 1/0), but {wrong[0]!r} is neither. "
            "Correct that value and try again."
        )
    return present.astype(float).to_numpy(copy=True), int(len(series) - len(present))


def paired_numeric(first: Iterable, second: Iterable, what: tuple[str, str]) -> tuple[np.ndarray, np.ndarray, int]:
    """Two equally long series as float arrays, keeping only pairs where both are present."""
    a, b = _as_series(first, what[0]), _as_series(second, what[1])
    if len(a) != len(b):
        raise StatsInputError(
            f"The {what[0]} ({len(a)} values) and the {what[1]} ({len(b)} values) must come in pairs "
            "for the same people, so they must be the same length."
        )
    a_float = _strict_float(a, what[0])
    b_float = _strict_float(b, what[1])
    keep = ~(np.isnan(a_float) | np.isnan(b_float))
    return a_float[keep], b_float[keep], int((~keep).sum())


def check_min_group_size(min_group_size: int) -> int:
    """The suppression threshold, refused if it is not a positive whole number."""
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer)) or min_group_size < 1:
        raise StatsInputError(
            f"The smallest reportable group must be a whole number of at least 1, not {min_group_size!r}."
        )
    return int(min_group_size)


def too_small_reason(sizes: dict[str, int], min_group_size: int, unit: str) -> str:
    """Why a result is withheld, or '' when every group is large enough.

    The wording matches `kit.privacy.describe_suppressed`, so the equity tables and these
    statistics say the same thing about the same group.

    >>> too_small_reason({"treatment": 4, "comparison": 30}, 10, "students")
    'fewer than 10 students in one group'
    """
    small = [name for name, n in sizes.items() if n < min_group_size]
    if not small:
        return ""
    words = _fewer_than(min_group_size, unit)
    if len(sizes) == 1:
        return words
    return f"{words} in {'one group' if len(small) == 1 else 'both groups'}"


def _fewer_than(min_group_size: int, unit: str) -> str:
    if unit == "students":
        return describe_suppressed(min_group_size)
    return f"fewer than {min_group_size} {unit}"


def _strict_float(series: pd.Series, what: str) -> np.ndarray:
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise StatsInputError(
            f"The {what} must be numbers, but {series[bad].iloc[0]!r} is not a number. "
            "Correct or remove that value and try again."
        )
    out = converted.astype(float).to_numpy(copy=True)
    if np.isinf(out).any():
        raise StatsInputError(f"The {what} contain an infinite value; replace it with a real score.")
    return out


def _as_series(values: Iterable, what: str) -> pd.Series:
    if isinstance(values, (str, bytes)) or values is None:
        raise StatsInputError(f"The {what} must be a list or column of values, not {values!r}.")
    if isinstance(values, pd.DataFrame):
        raise StatsInputError(f"The {what} must be one column of values, not a whole table.")
    try:
        series = pd.Series(values if isinstance(values, pd.Series) else list(values), dtype=object)
    except TypeError as error:
        raise StatsInputError(f"The {what} must be a list or column of values.") from error
    return series.reset_index(drop=True).where(series.notna().to_numpy(), None)


def _is_yes_no(value: object, allowed: set) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, (int, float, np.integer, np.floating)):
        return value in allowed
    return False


def interval_direction(low: float, high: float, words: tuple[str, str, str] = ("higher", "lower",
                                                                               "no clear difference")) -> str:
    """Which side of zero a 95% interval lies on, in `words` (above, below, spanning zero)."""
    above, below, spanning = words
    if low > 0:
        return above
    if high < 0:
        return below
    return spanning
