"""Intervals for a difference of two independent means from summary figures (n, mean, SD).

`welch_difference` is vectorised over rows, so a table of gaps (each group against its
reference) gets its intervals and p-values in one call. It returns a frame with the columns

difference, se, df, ci_low, ci_high, p_value, reason

`difference` is mean_1 - mean_2; the interval is Welch's (Welch 1947, the interval of
`scipy.stats.ttest_ind(equal_var=False)`); `p_value` is the two-sided p-value of the same test,
ready for `adjust_p_values` when many gaps are judged together; `reason` says why a row has no
interval (too few values, or no spread in either group, judged by `spread_is_zero`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from .distributions import t_ppf, t_sf

from .spread import spread_is_zero

WELCH_COLUMNS = ["difference", "se", "df", "ci_low", "ci_high", "p_value", "reason"]


def welch_difference(mean_1, sd_1, n_1, mean_2, sd_2, n_2, *, confidence: float = 0.95) -> pd.DataFrame:
    """Welch's interval and p-value for mean_1 - mean_2, one row per set of summary figures.

    SE = sqrt(sd_1^2/n_1 + sd_2^2/n_2); df = SE^4 / ((sd_1^2/n_1)^2/(n_1-1) + (sd_2^2/n_2)^2/(n_2-1))
    (Welch-Satterthwaite); interval difference -/+ t(0.975, df) * SE; p = 2 P(T_df > |difference| / SE)
    (Welch 1947, Biometrika 34). A row is left without interval when a group has fewer than two
    values or when neither group's scores vary (SE zero relative to the size of the means).

    >>> row = welch_difference(190.0, 5.0, 15, 200.0, 5.0, 20).iloc[0]
    >>> round(float(row["ci_low"]), 1), round(float(row["ci_high"]), 1), bool(row["p_value"] < 0.001)
    (-13.5, -6.5, True)
    >>> welch_difference(212.3, 3e-14, 12, 0.7, 2e-14, 13).loc[0, "reason"]
    'no spread in either group, so the difference has no interval'
    """
    m1, s1, k1, m2, s2, k2 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                                   for v in (mean_1, sd_1, n_1, mean_2, sd_2, n_2)))
    difference = m1 - m2
    with np.errstate(invalid="ignore", divide="ignore"):
        part_1, part_2 = s1**2 / k1, s2**2 / k2
        se = np.sqrt(part_1 + part_2)
        df = (part_1 + part_2) ** 2 / (part_1**2 / (k1 - 1) + part_2**2 / (k2 - 1))
        enough = (k1 > 1) & (k2 > 1)
        flat = spread_is_zero(se, np.maximum(np.abs(m1), np.abs(m2)))
        usable = enough & ~flat
        safe_df = np.where(usable, df, 1.0)
        half = np.where(usable, t_ppf(0.5 + confidence / 2, safe_df) * se, np.nan)
        p_value = np.where(usable, 2 * t_sf(np.abs(difference) / np.where(usable, se, 1.0), safe_df), np.nan)
    reason = np.where(~enough, "each group needs at least 2 values for an interval",
                      np.where(flat, "no spread in either group, so the difference has no interval", ""))
    return pd.DataFrame({
        "difference": difference, "se": np.where(usable, se, np.nan), "df": np.where(usable, df, np.nan),
        "ci_low": difference - half, "ci_high": difference + half, "p_value": p_value, "reason": reason,
    }, columns=WELCH_COLUMNS)
