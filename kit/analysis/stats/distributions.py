"""The few distribution functions the kit uses, from `scipy.special` instead of `scipy.stats`.

`scipy.stats` takes about a CPU-second to import (every served kernel and every test server paid it
to build an app), while `scipy.special`, which holds the functions `scipy.stats` itself calls for
these distributions, takes a third of that. Each function here gives the same value as the
`scipy.stats` call named beside it, bit for bit, edge cases included (q of 0 or 1, infinite or
missing values, degrees of freedom of 0 or less); `tests/stats/test_distributions.py` compares them.

>>> round(float(t_ppf(0.975, 10)), 4)  # scipy.stats.t.ppf(0.975, 10)
2.2281
>>> float(norm_cdf(0.0))  # scipy.stats.norm.cdf(0.0)
0.5
>>> int(binom_ppf(0.05, 19, 0.5))  # scipy.stats.binom.ppf(0.05, 19, 0.5)
6
"""

from __future__ import annotations

import numpy as np
from scipy import special
from scipy.special._ufuncs import _binom_ppf  # what scipy.stats.binom.ppf calls (no public name)


def _scalar_or_array(values: np.ndarray):
    """A 0-d result as a numpy scalar, as scipy.stats returns it."""
    return values[()] if values.ndim == 0 else values


def t_ppf(q, df):
    """Student's t quantile: `scipy.stats.t.ppf(q, df)` (which calls `special.stdtrit` for valid
    arguments; outside them it gives nan, and -inf / +inf at q = 0 / 1)."""
    q, df = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    valid = df > 0
    with np.errstate(invalid="ignore"):
        inside = valid & (q > 0) & (q < 1)
        values = np.where(inside, special.stdtrit(np.where(inside, df, 1.0), np.where(inside, q, 0.5)), np.nan)
    values = np.where(valid & (q == 0), -np.inf, np.where(valid & (q == 1), np.inf, values))
    return _scalar_or_array(np.asarray(values, dtype=float))


def t_sf(x, df):
    """Student's t survival function: `scipy.stats.t.sf(x, df)` (`special.stdtr(df, -x)` inside the
    support; 1 at -inf, 0 at +inf; nan for a missing x or df of 0 or less)."""
    x, df = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    valid = df > 0
    inside = valid & np.isfinite(x)
    values = np.where(inside, special.stdtr(np.where(inside, df, 1.0), -np.where(inside, x, 0.0)), 0.0)
    values = np.where(valid & (x == -np.inf), 1.0, values)
    values = np.where(~valid | np.isnan(x) | np.isnan(df), np.nan, values)
    return _scalar_or_array(np.asarray(values, dtype=float))


def norm_cdf(x):
    """The standard normal distribution function: `scipy.stats.norm.cdf(x)` (`special.ndtr`)."""
    return _scalar_or_array(np.asarray(special.ndtr(np.asarray(x, dtype=float)), dtype=float))


def binom_ppf(q: float, n: int, p: float) -> float:
    """The binomial quantile for one q in (0, 1), whole n >= 0 and p in [0, 1]:
    `scipy.stats.binom.ppf(q, n, p)`, which calls this same function of `scipy.special` (Boost's)."""
    if not (0 < q < 1 and n >= 0 and n == int(n) and 0 <= p <= 1):
        raise ValueError("binom_ppf takes 0 < q < 1, a whole n >= 0 and 0 <= p <= 1")
    return float(_binom_ppf(q, n, p))


class _StudentT:
    """`t_ppf` and `t_sf` under the names of `scipy.stats.t`'s methods, for code written against it."""

    @staticmethod
    def ppf(q, df):
        return t_ppf(q, df)

    @staticmethod
    def sf(x, df):
        return t_sf(x, df)


student_t = _StudentT()
