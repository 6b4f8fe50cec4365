"""Students cluster in schools: the intraclass correlation, the design effect, wider intervals.

Students in one school share teachers, timetables and neighbourhoods, so their scores are more
alike than scores of students drawn at random; a school's students carry less independent
information than their number suggests. The kit measures how much with the intraclass
correlation (ICC) and widens intervals by the design effect.

- ICC, one-way ANOVA estimator with unequal school sizes (Donner 1986, International
  Statistical Review 54; Snedecor & Cochran): ICC = (MSB - MSW) / (MSB + (m0 - 1) MSW), with
  MSB and MSW the between- and within-school mean squares and
  m0 = (N - sum(n_j^2) / N) / (J - 1) the adjusted school size (J schools, N students).
- Design effect = 1 + (m - 1) * ICC (Kish 1965, Survey Sampling), with m = sum(n_j^2) / N, the
  size-weighted mean school size. With equal schools m is the plain mean size N / J; with uneven
  schools it is larger, exactly as in Eldridge, Ashby & Kerry (2006, International Journal of
  Epidemiology 35), 1 + ((cv^2 + 1) mean size - 1) ICC. It is the exact variance ratio of a mean
  over all students under a common within-school correlation. A negative ICC estimate (less
  alike than chance) is reported as estimated but counts as 0 in the design effect.
- Adjusted interval: estimate -/+ t(0.975, J - 1) * SE * sqrt(design effect); with few schools
  the t quantile on J - 1 degrees of freedom keeps the interval honest (Cameron & Miller 2015,
  Journal of Human Resources 50).
- Cluster-robust SE, shown beside it: the sandwich estimator of the least-squares regression of
  the scores on a constant (and a group indicator for a difference), with the small-sample
  factor J/(J - 1) * (N - 1)/(N - k) (Liang & Zeger 1986; the CR1 estimator of Stata and of
  statsmodels' `cov_type="cluster"`).
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from kit.privacy import DEFAULT_MIN_GROUP_SIZE

from .distributions import t_ppf
from ._inputs import StatsInputError, _as_series, _strict_float, check_min_group_size, interval_direction, too_small_reason
from .spread import scale_of, spread_is_zero

CLUSTER_COLUMNS = [
    "statistic", "unit", "cluster_unit", "n", "n_clusters", "n_missing", "estimate", "se_independent", "icc",
    "weighted_cluster_size", "design_effect", "se", "ci_low", "ci_high", "se_cluster_robust", "verdict", "reason",
]


def intraclass_correlation(scores: Iterable, clusters: Iterable) -> dict:
    """The one-way ANOVA ICC of `scores` grouped by `clusters`, with the pieces it is built from.

    Returns a dict: n, n_clusters, ms_between, ms_within, m0, icc (nan with fewer than 2 clusters,
    no more students than clusters, or no spread at all). Missing scores are left out.

    >>> parts = intraclass_correlation([1, 2, 3, 4, 5, 6, 7, 8], ["a", "a", "a", "b", "b", "b", "b", "b"])
    >>> round(parts["m0"], 4), round(parts["icc"], 4)
    (3.75, 0.7887)
    """
    y, groups = _scores_and_clusters(scores, clusters)
    return _anova_icc(y, groups)


def design_effect(icc: float, cluster_sizes: Iterable) -> float:
    """Kish's design effect 1 + (m - 1) * ICC, m = sum(n_j^2) / N (the size-weighted mean size).

    A negative or missing ICC counts as 0 (design effect 1).

    >>> round(design_effect(0.1, [20, 20, 20]), 3)
    2.9
    >>> round(design_effect(0.1, [5, 15, 40]), 3)
    3.983
    """
    sizes = np.asarray(list(cluster_sizes), dtype=float)
    if len(sizes) == 0 or (sizes < 0).any() or sizes.sum() == 0:
        raise StatsInputError("The design effect needs the number of students in each school (positive counts).")
    weighted = float((sizes**2).sum() / sizes.sum())
    return 1.0 + (weighted - 1.0) * (max(icc, 0.0) if math.isfinite(icc) else 0.0)


def clustered_mean(
    scores: Iterable,
    clusters: Iterable,
    *,
    unit: str = "students",
    cluster_unit: str = "schools",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """The mean of `scores` with an interval widened for clustering in `clusters` (schools).

    `estimate` is the mean; `se_independent` the usual SD / sqrt(N); `se` = se_independent *
    sqrt(design effect); the interval is estimate -/+ t(0.975, J - 1) * se; `se_cluster_robust`
    is the CR1 sandwich SE for comparison. `verdict` is empty for a mean.

    >>> scores = [60, 62, 64, 70, 72, 74, 80, 82, 84, 66, 68, 70]
    >>> schools = ["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 3
    >>> row = clustered_mean(scores, schools).iloc[0]
    >>> round(float(row["icc"]), 3), round(float(row["design_effect"]), 3), bool(row["se"] > row["se_independent"])
    (0.945, 2.891, True)
    """
    min_group_size = check_min_group_size(min_group_size)
    y, groups, n_missing = _scores_and_clusters(scores, clusters, count_missing=True)
    row = _blank_row("clustered_mean", unit, cluster_unit, len(y), len(np.unique(groups)), n_missing)
    reason = too_small_reason({"group": len(y)}, min_group_size, unit) or _why_not(y, groups, cluster_unit)
    if reason:
        return _frame({**row, "reason": reason})
    se_independent = float(y.std(ddof=1) / math.sqrt(len(y)))
    robust = _cluster_robust_se(y, np.ones((len(y), 1)), groups)[0]
    return _frame({**row, **_widened(float(y.mean()), se_independent, y, groups, robust), "verdict": ""})


def clustered_difference(
    treatment: Iterable,
    comparison: Iterable,
    treatment_clusters: Iterable,
    comparison_clusters: Iterable,
    *,
    unit: str = "students",
    cluster_unit: str = "schools",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Mean of `treatment` minus mean of `comparison`, with an interval widened for clustering.

    `se_independent` is Welch's SE, sqrt(s_T^2/n_T + s_C^2/n_C); the ICC is estimated on both
    groups' scores after removing each group's mean, pooled over the schools of both; `se` =
    se_independent * sqrt(design effect), interval estimate -/+ t(0.975, J - 1) * se.
    `se_cluster_robust` is the CR1 SE of the group coefficient in the regression of the scores
    on a constant and a treatment indicator. `verdict`: "higher", "lower" or "no clear difference".

    >>> t = [70, 72, 74, 76, 78, 80, 71, 73, 75, 77, 79, 81]
    >>> c = [60, 62, 64, 66, 68, 70, 61, 63, 65, 67, 69, 71]
    >>> row = clustered_difference(t, c, ["A"] * 6 + ["B"] * 6, ["C"] * 6 + ["D"] * 6).iloc[0]
    >>> float(row["estimate"]), row["verdict"]
    (10.0, 'higher')
    """
    min_group_size = check_min_group_size(min_group_size)
    yt, gt, missing_t = _scores_and_clusters(treatment, treatment_clusters, count_missing=True, what="treatment")
    yc, gc, missing_c = _scores_and_clusters(comparison, comparison_clusters, count_missing=True, what="comparison")
    y, groups = np.concatenate([yt, yc]), np.concatenate([gt, gc])
    row = _blank_row("clustered_difference", unit, cluster_unit, len(y), len(np.unique(groups)), missing_t + missing_c)
    reason = (too_small_reason({"treatment": len(yt), "comparison": len(yc)}, min_group_size, unit)
              or _why_not(yt, gt, cluster_unit, need_clusters=False) or _why_not(yc, gc, cluster_unit, need_clusters=False)
              or _why_not(y, groups, cluster_unit))
    if reason:
        return _frame({**row, "reason": reason})
    estimate = float(yt.mean() - yc.mean())
    se_independent = math.sqrt(yt.var(ddof=1) / len(yt) + yc.var(ddof=1) / len(yc))
    residuals = np.concatenate([yt - yt.mean(), yc - yc.mean()])
    design = np.column_stack([np.ones(len(y)), np.r_[np.ones(len(yt)), np.zeros(len(yc))]])
    robust = _cluster_robust_se(y, design, groups)[1]
    fields = _widened(estimate, se_independent, residuals, groups, robust)
    return _frame({**row, **fields, "verdict": interval_direction(fields["ci_low"], fields["ci_high"])})


def _widened(estimate: float, se_independent: float, y_for_icc: np.ndarray, groups: np.ndarray, robust: float) -> dict:
    parts = _anova_icc(y_for_icc, groups)
    _, sizes = np.unique(groups, return_counts=True)
    deff = design_effect(parts["icc"], sizes)
    se = se_independent * math.sqrt(deff)
    # t quantile on J - 1 degrees of freedom (Cameron & Miller 2015).
    half = float(t_ppf(0.975, parts["n_clusters"] - 1)) * se
    return {
        "estimate": estimate, "se_independent": se_independent, "icc": parts["icc"],
        "weighted_cluster_size": float((sizes.astype(float) ** 2).sum() / sizes.sum()), "design_effect": deff,
        "se": se, "ci_low": estimate - half, "ci_high": estimate + half, "se_cluster_robust": robust,
        "reason": "the scores are less alike within schools than by chance, so no widening was applied"
        if parts["icc"] < 0 else "",
    }


def _anova_icc(y: np.ndarray, groups: np.ndarray) -> dict:
    labels, index, sizes = np.unique(groups, return_inverse=True, return_counts=True)
    n, j = len(y), len(labels)
    out = {"n": n, "n_clusters": j, "ms_between": math.nan, "ms_within": math.nan, "m0": math.nan, "icc": math.nan}
    if j < 2 or n <= j:
        return out
    means = np.bincount(index, weights=y) / sizes
    grand = y.mean()
    ms_between = float((sizes * (means - grand) ** 2).sum() / (j - 1))
    ms_within = float(((y - means[index]) ** 2).sum() / (n - j))
    # Adjusted mean cluster size for unequal clusters (Donner 1986).
    m0 = (n - float((sizes.astype(float) ** 2).sum()) / n) / (j - 1)
    denominator = ms_between + (m0 - 1) * ms_within
    icc = (ms_between - ms_within) / denominator if not spread_is_zero(math.sqrt(max(denominator, 0.0)), scale_of(y)) else math.nan
    return {**out, "ms_between": ms_between, "ms_within": ms_within, "m0": m0, "icc": float(icc)}


def _cluster_robust_se(y: np.ndarray, x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """CR1 sandwich standard errors of the least-squares coefficients (Liang & Zeger 1986)."""
    n, k = x.shape
    _, index = np.unique(groups, return_inverse=True)
    j = int(index.max()) + 1
    bread = np.linalg.inv(x.T @ x)
    residuals = y - x @ (bread @ (x.T @ y))
    scores = np.zeros((j, k))
    np.add.at(scores, index, x * residuals[:, None])
    meat = scores.T @ scores
    correction = j / (j - 1) * (n - 1) / (n - k)
    # The sandwich's diagonal is never negative; rounding can leave -1e-17 where it is zero.
    return np.sqrt(np.clip(np.diag(correction * bread @ meat @ bread), 0.0, None))


def _why_not(y: np.ndarray, groups: np.ndarray, cluster_unit: str, need_clusters: bool = True) -> str:
    if len(y) < 2:
        return "at least 2 scores are needed in each group"
    if need_clusters and len(np.unique(groups)) < 2:
        return f"the scores come from fewer than 2 {cluster_unit}, so clustering cannot be measured"
    if need_clusters and len(y) <= len(np.unique(groups)):
        return f"every one of the {cluster_unit} has a single score, so clustering cannot be measured"
    if spread_is_zero(float(y.std(ddof=1)), scale_of(y)):
        return "every score is the same, so there is no spread to measure"
    return ""


def _scores_and_clusters(scores, clusters, *, count_missing: bool = False, what: str = ""):
    label = f"{what} scores".strip()
    y = _strict_float(_as_series(scores, label), label)
    groups = _as_series(clusters, f"{what} {'school'} labels".strip())
    if len(groups) != len(y):
        raise StatsInputError(f"There are {len(y)} {label} but {len(groups)} school labels; give one school per score.")
    keep = ~np.isnan(y) & groups.notna().to_numpy()
    kept_y, kept_groups = y[keep], groups[keep].astype(str).to_numpy()
    return (kept_y, kept_groups, int((~keep).sum())) if count_missing else (kept_y, kept_groups)


def _blank_row(statistic: str, unit: str, cluster_unit: str, n: int, n_clusters: int, n_missing: int) -> dict:
    row = {name: math.nan for name in CLUSTER_COLUMNS}
    row.update(statistic=statistic, unit=unit, cluster_unit=cluster_unit, n=n, n_clusters=n_clusters,
               n_missing=n_missing, verdict="not reported", reason="")
    return row


def _frame(row: dict) -> pd.DataFrame:
    frame = pd.DataFrame([row], columns=CLUSTER_COLUMNS)
    return frame.astype({"n": "int64", "n_clusters": "int64", "n_missing": "int64"})
