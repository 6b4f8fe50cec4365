"""Is there any spread to divide by? Zero spread judged relative to the scores' scale.

Floating-point arithmetic rarely gives an exact zero: the standard deviation of twelve copies of
212.3 comes out near 3e-14, not 0, and dividing a difference of 200 points by it gives an
"effect" of 1e16. So a spread counts as zero when it is no bigger than a tiny share
(`SPREAD_RELATIVE_TOLERANCE`, one part in a billion) of the size of the scores themselves. Real
scores never vary that little: a spread of 0.0000002 points on a 200-point scale is rounding
noise, not a difference between students.

Every statistic in this package that divides by a spread asks `spread_is_zero` (or `has_spread`)
first, and other modules (equity's gap effect sizes and Welch intervals) can do the same.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ._inputs import numeric_values

#: A spread no bigger than this share of the scores' scale (their largest absolute value) is zero.
SPREAD_RELATIVE_TOLERANCE = 1e-9


def spread_is_zero(sd, scale):
    """True where the spread `sd` is zero for scores of size `scale` (vectorised).

    `sd` is a standard deviation (or variance-free spread such as a standard error); `scale` is
    the size of the scores it describes, usually the largest absolute score or mean involved. A
    missing `sd` (fewer than two values) counts as no spread. Scalars in, a bool out; arrays or
    columns in, a boolean array out.

    >>> spread_is_zero(3e-14, 212.3)
    True
    >>> spread_is_zero(0.5, 212.3)
    False
    >>> spread_is_zero([0.0, 4.2, float("nan")], [0.0, 60.0, 60.0]).tolist()
    [True, False, True]
    """
    sd_array = np.abs(np.asarray(sd, dtype=float))
    scale_array = np.abs(np.asarray(scale, dtype=float))
    with np.errstate(invalid="ignore"):
        zero = ~(sd_array > SPREAD_RELATIVE_TOLERANCE * scale_array)
    return bool(zero) if zero.ndim == 0 else zero


def has_spread(values: Iterable, scale: float | None = None) -> bool:
    """True when `values` vary by more than rounding noise (at least two values are needed).

    The spread is the sample standard deviation; `scale` defaults to the largest absolute value,
    so the test is the same whether the scores are on a 4-point or a 400-point scale. Missing
    values are ignored; words where numbers belong raise `StatsInputError`.

    >>> has_spread([212.3] * 12)
    False
    >>> has_spread([212.3, 212.4, 212.3])
    True
    """
    array, _ = numeric_values(values, "values")
    if len(array) < 2:
        return False
    size = float(np.max(np.abs(array))) if scale is None else scale
    if not size > 0:
        return not spread_is_zero(float(array.std(ddof=1)), size)
    # Divided by the scale first: the spread of tiny values (1e-200) must not underflow to zero.
    return not spread_is_zero(float((array / size).std(ddof=1)), 1.0)


def scale_of(*groups: np.ndarray) -> float:
    """The size of the scores in `groups`: the largest absolute value among them (0 when empty).

    >>> scale_of(np.array([3.0, -7.5]), np.array([2.0]))
    7.5
    """
    sizes = [float(np.max(np.abs(g))) for g in groups if len(g)]
    return max(sizes, default=0.0)
