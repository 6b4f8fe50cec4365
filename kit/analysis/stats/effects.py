"""Comparisons of two groups: Hedges' g, the Cox index, the improvement index, baseline equivalence.

"Treatment" is the group the question is about (students of educators with high fidelity,
participants) and "comparison" the group it is set against. Each function returns a one-row
frame with these columns, so rows from several comparisons stack into one table:

statistic, treatment, comparison, unit, n_treatment, n_comparison, n_missing, mean_treatment,
mean_comparison, sd_treatment, sd_comparison, effect, se, ci_low, ci_high, improvement_index,
verdict, reason

`effect` is Hedges' g or the Cox index (both in standard-deviation units); `ci_low`/`ci_high`
are its 95% interval; `verdict` is "higher", "lower", "no clear difference" or "not reported"
(for `baseline_equivalence`: "equivalent", "needs adjustment", "not equivalent" or
"not reported"); `reason` says why a number is missing, and is empty otherwise.

Formulas: What Works Clearinghouse, Procedures and Standards Handbook, Version 5.0 (2022),
chapter on effect sizes (the same equations as Appendix E of Version 4.1).
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from kit.privacy import DEFAULT_MIN_GROUP_SIZE

from .distributions import norm_cdf
from ._inputs import (
    Z_95,
    interval_direction,
    check_min_group_size,
    numeric_values,
    too_small_reason,
    yes_no_values,
)
from .spread import scale_of, spread_is_zero

#: The logistic-to-normal scaling constant of the Cox index (WWC Handbook v5.0).
COX_SCALE = 1.65

#: Baseline-equivalence limits on |effect| (WWC Handbook v5.0): up to 0.05 equivalent,
#: above 0.05 and up to 0.25 equivalent only with statistical adjustment, above 0.25 not equivalent.
EQUIVALENT_UP_TO = 0.05
ADJUSTABLE_UP_TO = 0.25

TWO_GROUP_COLUMNS = [
    "statistic", "treatment", "comparison", "unit", "n_treatment", "n_comparison", "n_missing",
    "mean_treatment", "mean_comparison", "sd_treatment", "sd_comparison", "effect", "se",
    "ci_low", "ci_high", "improvement_index", "verdict", "reason",
]


def small_sample_correction(total_n: int) -> float:
    """WWC's small-sample correction omega = 1 - 3 / (4N - 9), N = both groups together.

    Source: WWC Procedures and Standards Handbook v5.0 (Hedges 1981's approximation).

    >>> round(small_sample_correction(40), 4)
    0.9801
    """
    return 1.0 - 3.0 / (4.0 * total_n - 9.0)


def improvement_index(effect: float | np.ndarray) -> float | np.ndarray:
    """Percentile points the average treatment member sits above the comparison median.

    improvement index = 100 * Phi(g) - 50, Phi the standard normal distribution function
    (WWC Procedures and Standards Handbook v5.0).

    >>> round(improvement_index(0.2), 2)
    7.93
    """
    index = 100.0 * norm_cdf(effect) - 50.0
    return float(index) if np.ndim(index) == 0 else index


def classify_baseline(effect: float) -> str:
    """The WWC baseline-equivalence verdict for one standardised baseline difference.

    |effect| <= 0.05 equivalent; 0.05 < |effect| <= 0.25 needs adjustment; > 0.25 not equivalent
    (WWC Procedures and Standards Handbook v5.0). A missing effect gives "not reported".

    >>> classify_baseline(0.12)
    'needs adjustment'
    """
    if effect is None or not math.isfinite(effect):
        return "not reported"
    size = abs(effect)
    if size <= EQUIVALENT_UP_TO:
        return "equivalent"
    if size <= ADJUSTABLE_UP_TO:
        return "needs adjustment"
    return "not equivalent"


def hedges_g(
    treatment: Iterable,
    comparison: Iterable,
    *,
    treatment_label: str = "treatment group",
    comparison_label: str = "comparison group",
    unit: str = "students",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Hedges' g for two independent groups of scores, with its standard error and 95% interval.

    g = omega * (mean_T - mean_C) / pooled SD, pooled SD = sqrt(((n_T-1) s_T^2 + (n_C-1) s_C^2) /
    (n_T + n_C - 2)), omega = 1 - 3/(4N - 9); SE = sqrt(N/(n_T n_C) + g^2 / (2N)); interval
    g -/+ 1.96 SE (WWC Procedures and Standards Handbook v5.0). Missing scores are left out and
    counted in `n_missing`. A group under `min_group_size` gets no means, SDs or effect.

    >>> high = [72, 75, 78, 80, 81, 83, 85, 86, 88, 90]
    >>> low = [65, 70, 71, 73, 74, 76, 77, 79, 80, 82]
    >>> row = hedges_g(high, low, treatment_label="high fidelity", comparison_label="low fidelity")
    >>> round(float(row.loc[0, "effect"]), 3), row.loc[0, "verdict"]
    (1.246, 'higher')
    """
    min_group_size = check_min_group_size(min_group_size)
    t, t_missing = numeric_values(treatment, f"{treatment_label} scores")
    c, c_missing = numeric_values(comparison, f"{comparison_label} scores")
    row = _describe_groups(t, c, "hedges_g", treatment_label, comparison_label, unit, t_missing + c_missing)
    reason = too_small_reason({"treatment": len(t), "comparison": len(c)}, min_group_size, unit)
    if reason:
        return _withheld(row, reason, {"treatment": len(t), "comparison": len(c)}, min_group_size)
    reason = _why_no_spread(t, c, unit)
    if reason:
        return _frame({**row, "verdict": "not reported", "reason": reason})
    effect, se = _hedges_g_and_se(t, c)
    return _frame({**row, **_effect_fields(effect, se)})


def hedges_g_from_summary(mean_t, sd_t, n_t, mean_c, sd_c, n_c) -> pd.DataFrame:
    """Hedges' g, its SE and 95% interval from summary figures, vectorised over rows.

    The same formulas as `hedges_g` (WWC Procedures and Standards Handbook v5.0) for tables that
    hold n, mean and SD per group (equity's gaps). Returns columns effect, se, ci_low, ci_high and
    reason; a row where a group has fewer than 2 values, or where the pooled SD is zero relative
    to the size of the means (`spread_is_zero`), has no effect and says why.

    >>> g = hedges_g_from_summary([80.0, 212.3], [6.0, 3e-14], [10, 12], [74.0, 0.7], [6.0, 2e-14], [10, 13])
    >>> g["effect"].round(3).tolist(), g.loc[1, "reason"]
    ([0.958, nan], 'every score within each group is the same, so there is no spread to measure a difference against')
    """
    mt, st_, nt, mc, sc, nc = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                                    for v in (mean_t, sd_t, n_t, mean_c, sd_c, n_c)))
    total = nt + nc
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(((nt - 1) * st_**2 + (nc - 1) * sc**2) / (total - 2))
        enough = (nt > 1) & (nc > 1)
        flat = enough & spread_is_zero(pooled, np.maximum(np.abs(mt), np.abs(mc)))
        usable = enough & ~flat
        omega = 1.0 - 3.0 / (4.0 * total - 9.0)
        g = np.where(usable, omega * (mt - mc) / np.where(usable, pooled, 1.0), np.nan)
        se = np.sqrt(total / (nt * nc) + g**2 / (2 * total))
    reason = np.where(~enough, "each group needs at least 2 students to measure how much scores vary",
                      np.where(flat, "every score within each group is the same, so there is no spread to measure a difference against", ""))
    return pd.DataFrame({"effect": g, "se": se, "ci_low": g - Z_95 * se, "ci_high": g + Z_95 * se, "reason": reason})


def cox_index(
    treatment: Iterable,
    comparison: Iterable,
    *,
    treatment_label: str = "treatment group",
    comparison_label: str = "comparison group",
    unit: str = "students",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """The Cox index for a yes/no outcome (proficient or not), with its 95% interval.

    d_Cox = omega * (logit p_T - logit p_C) / 1.65 and SE = omega * sqrt(1/(n_T p_T) +
    1/(n_T (1-p_T)) + 1/(n_C p_C) + 1/(n_C (1-p_C))) / 1.65 (WWC Procedures and Standards
    Handbook v5.0; the bracket is the usual standard error of a log odds ratio). When a group is
    all yes or all no the logit is infinite; then 0.5 is added to each of the four counts
    (the Haldane-Anscombe correction) and `reason` says so. `mean_*` are the shares answering yes.

    >>> t = [1] * 14 + [0] * 6        # 70% proficient
    >>> c = [1] * 10 + [0] * 10       # 50% proficient
    >>> round(float(cox_index(t, c).loc[0, "effect"]), 3)
    0.503
    """
    min_group_size = check_min_group_size(min_group_size)
    t, t_missing = yes_no_values(treatment, f"{treatment_label} results")
    c, c_missing = yes_no_values(comparison, f"{comparison_label} results")
    row = _describe_groups(t, c, "cox_index", treatment_label, comparison_label, unit, t_missing + c_missing)
    sizes = {"treatment": len(t), "comparison": len(c)}
    reason = too_small_reason(sizes, min_group_size, unit)
    if reason:
        return _withheld(row, reason, sizes, min_group_size)
    if len(t) == 0 or len(c) == 0:
        return _frame({**row, "verdict": "not reported", "reason": f"no {unit} in one group"})
    effect, se, corrected = _cox_and_se(int(t.sum()), len(t), int(c.sum()), len(c))
    note = "every answer in a group was the same, so 0.5 was added to each count" if corrected else ""
    return _frame({**row, **_effect_fields(effect, se), "reason": note})


def baseline_equivalence(
    treatment: Iterable,
    comparison: Iterable,
    *,
    yes_no: bool = False,
    treatment_label: str = "treatment group",
    comparison_label: str = "comparison group",
    unit: str = "students",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Were the two groups alike before the work began? The WWC baseline-equivalence verdict.

    Computes Hedges' g (or the Cox index when `yes_no`) on the baseline measure and classifies
    |effect|: <= 0.05 "equivalent", <= 0.25 "needs adjustment", otherwise "not equivalent"
    (WWC Procedures and Standards Handbook v5.0). `statistic` is "baseline_equivalence".

    >>> fall_high = [50, 52, 55, 57, 60, 61, 63, 65, 66, 70]
    >>> fall_low = [49, 53, 54, 58, 59, 62, 62, 64, 67, 69]
    >>> baseline_equivalence(fall_high, fall_low).loc[0, "verdict"]
    'equivalent'
    """
    compute = cox_index if yes_no else hedges_g
    frame = compute(
        treatment, comparison, treatment_label=treatment_label, comparison_label=comparison_label,
        unit=unit, min_group_size=min_group_size,
    )
    frame["statistic"] = "baseline_equivalence"
    frame["verdict"] = [classify_baseline(float(e)) for e in frame["effect"]]
    return frame


def _hedges_g_and_se(t: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    n_t, n_c = len(t), len(c)
    total = n_t + n_c
    # Pooled within-group SD (WWC Handbook v5.0).
    pooled_var = ((n_t - 1) * t.var(ddof=1) + (n_c - 1) * c.var(ddof=1)) / (total - 2)
    g = small_sample_correction(total) * (t.mean() - c.mean()) / math.sqrt(pooled_var)
    # Standard error of g (WWC Handbook v5.0; Hedges & Olkin 1985 large-sample variance).
    se = math.sqrt(total / (n_t * n_c) + g**2 / (2 * total))
    return float(g), se


def _cox_and_se(yes_t: int, n_t: int, yes_c: int, n_c: int) -> tuple[float, float, bool]:
    cells = np.array([yes_t, n_t - yes_t, yes_c, n_c - yes_c], dtype=float)
    corrected = bool((cells == 0).any())
    if corrected:
        cells = cells + 0.5  # Haldane-Anscombe correction for an empty cell.
    a, b, c, d = cells
    log_odds_ratio = math.log(a / b) - math.log(c / d)
    omega = small_sample_correction(n_t + n_c)
    # Cox index and its SE (WWC Handbook v5.0): the log odds ratio rescaled by 1.65.
    effect = omega * log_odds_ratio / COX_SCALE
    se = omega * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d) / COX_SCALE
    return effect, se, corrected


def _why_no_spread(t: np.ndarray, c: np.ndarray, unit: str) -> str:
    if len(t) < 2 or len(c) < 2:
        return f"each group needs at least 2 {unit} to measure how much scores vary"
    pooled_sd = math.sqrt(((len(t) - 1) * t.var(ddof=1) + (len(c) - 1) * c.var(ddof=1)) / (len(t) + len(c) - 2))
    if spread_is_zero(pooled_sd, scale_of(t, c)):
        return "every score within each group is the same, so there is no spread to measure a difference against"
    return ""


def _effect_fields(effect: float, se: float) -> dict:
    low, high = effect - Z_95 * se, effect + Z_95 * se
    return {
        "effect": effect, "se": se, "ci_low": low, "ci_high": high,
        "improvement_index": float(improvement_index(effect)), "verdict": interval_direction(low, high),
        "reason": "",
    }



def _describe_groups(t, c, statistic, t_label, c_label, unit, n_missing) -> dict:
    def sd(x: np.ndarray) -> float:
        return float(x.std(ddof=1)) if len(x) > 1 else math.nan

    return {
        "statistic": statistic, "treatment": t_label, "comparison": c_label, "unit": unit,
        "n_treatment": len(t), "n_comparison": len(c), "n_missing": n_missing,
        "mean_treatment": float(t.mean()) if len(t) else math.nan,
        "mean_comparison": float(c.mean()) if len(c) else math.nan,
        "sd_treatment": sd(t), "sd_comparison": sd(c),
        "effect": math.nan, "se": math.nan, "ci_low": math.nan, "ci_high": math.nan,
        "improvement_index": math.nan, "verdict": "not reported", "reason": "",
    }


def _withheld(row: dict, reason: str, sizes: dict[str, int], min_group_size: int) -> pd.DataFrame:
    """Blank every value that describes a group under the threshold, keep the counts."""
    row = dict(row, verdict="not reported", reason=reason)
    for group, n in sizes.items():
        if n < min_group_size:
            row[f"mean_{group}"] = math.nan
            row[f"sd_{group}"] = math.nan
    return _frame(row)


def _frame(row: dict) -> pd.DataFrame:
    frame = pd.DataFrame([row], columns=TWO_GROUP_COLUMNS)
    return frame.astype({"n_treatment": "int64", "n_comparison": "int64", "n_missing": "int64"})
