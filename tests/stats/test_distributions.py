"""The kit's distribution functions (scipy.special) give exactly what scipy.stats gives."""

import warnings

import numpy as np
import pytest
from scipy import stats

from kit.analysis.stats.distributions import binom_ppf, norm_cdf, student_t, t_ppf, t_sf

EDGES = [-np.inf, -1e300, -40.0, -2.5, -1.0, -0.0, 0.0, 1e-12, 0.3, 1.0, 1.96, 7.5, 40.0, 1e300, np.inf, np.nan]
DEGREES = [-1.0, 0.0, 1e-3, 0.5, 1.0, 1.5, 2.0, 3.7, 9.0, 29.0, 120.0, 1e6, 1e12, np.inf, np.nan]
PROBABILITIES = [-0.1, 0.0, 1e-300, 1e-9, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999999, 1.0, 1.1, np.nan]


def same(ours, theirs) -> None:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)  # nan equals nan here; every other value bit for bit


def grid(first, second):
    return np.meshgrid(np.array(first), np.array(second), indexing="ij")


def test_t_quantiles_are_scipy_stats_values_edges_included():
    q, df = grid(PROBABILITIES, DEGREES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(t_ppf(q, df), stats.t.ppf(q, df))
        same(student_t.ppf(0.975, df[0]), stats.t.ppf(0.975, df[0]))
    for value, degrees in [(0.975, 10), (0.5, 3.0), (0.025, np.float64(4.2))]:
        ours, theirs = t_ppf(value, degrees), stats.t.ppf(value, degrees)
        assert type(ours) is type(theirs) and ours == theirs


def test_t_survival_is_scipy_stats_values_edges_included():
    x, df = grid(EDGES, DEGREES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(t_sf(x, df), stats.t.sf(x, df))
        same(student_t.sf(np.abs(x[:, 5]), 7.0), stats.t.sf(np.abs(x[:, 5]), 7.0))
    assert type(t_sf(2.0, 5)) is type(stats.t.sf(2.0, 5)) and t_sf(2.0, 5) == stats.t.sf(2.0, 5)


def test_normal_distribution_function_is_scipy_stats_values():
    values = np.array(EDGES + list(np.linspace(-9, 9, 721)))
    same(norm_cdf(values), stats.norm.cdf(values))
    assert norm_cdf(0.2) == stats.norm.cdf(0.2) and np.ndim(norm_cdf(0.2)) == 0


@pytest.mark.parametrize("q,p", [(0.05, 0.5), (0.025, 0.5), (0.5, 0.3)])
def test_binomial_quantiles_are_scipy_stats_values_for_every_run_chart_length(q, p):
    ours = [binom_ppf(q, n, p) for n in range(0, 3001)]
    theirs = stats.binom.ppf(q, np.arange(0, 3001), p).tolist()
    assert ours == theirs


def test_binomial_quantile_refuses_what_it_does_not_compute():
    for q, n, p in [(0.0, 5, 0.5), (1.0, 5, 0.5), (0.05, -1, 0.5), (0.05, 2.5, 0.5), (0.05, 5, 1.5)]:
        with pytest.raises(ValueError):
            binom_ppf(q, n, p)
