"""Association along the chain of evidence: Spearman's rho with a seeded bootstrap interval."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from kit.analysis import stats
from kit.errors import KitError

TIGHT = dict(rel=1e-9, abs=1e-9)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
paired_values = st.integers(10, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 12), min_size=n, max_size=n),   # ties, like whole learning hours
        st.lists(st.floats(-5, 5, allow_nan=False), min_size=n, max_size=n),
    )
)


@FAST
@given(data=paired_values)
def test_rho_matches_scipy_spearman_on_random_data_with_ties(data):
    x, y = np.array(data[0], dtype=float), np.array(data[1])
    assume(np.ptp(x) > 0 and np.ptp(y) > 0)
    row = stats.rank_association(x, y, n_boot=200).iloc[0]
    assert row["effect"] == pytest.approx(sps.spearmanr(x, y).statistic, **TIGHT)


@settings(max_examples=15, deadline=None)
@given(data=paired_values, seed=st.integers(0, 2**32 - 1))
def test_bootstrap_interval_matches_resampling_scipy_spearman_by_hand(data, seed):
    x, y = np.array(data[0], dtype=float), np.array(data[1])
    assume(np.ptp(x) > 0 and np.ptp(y) > 0)
    row = stats.rank_association(x, y, n_boot=200, seed=seed).iloc[0]
    rhos = []
    for rows in stats.bootstrap_indices(len(x), 200, seed):
        if np.ptp(x[rows]) > 0 and np.ptp(y[rows]) > 0:
            rhos.append(sps.spearmanr(x[rows], y[rows]).statistic)
    low, high = np.percentile(rhos, [2.5, 97.5])  # Efron & Tibshirani (1993) percentile interval
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), **TIGHT)


def test_hand_worked_rank_correlation():
    # Ranks of y: 1, 3, 2, 4 against 1, 2, 3, 4: sum of squared rank differences 2, so
    # rho = 1 - 6 * 2 / (4 * (16 - 1)) = 0.8 (Spearman 1904, no ties).
    assert stats.spearman_rho(np.array([1.0, 2, 3, 4]), np.array([10.0, 30, 20, 40])) == pytest.approx(0.8)


def test_same_seed_gives_the_same_interval_and_another_seed_another():
    rng = np.random.default_rng(5)
    hours = rng.integers(0, 30, 25)
    growth = hours * 0.1 + rng.normal(0, 1, 25)
    first = stats.rank_association(hours, growth, seed=11)
    again = stats.rank_association(hours, growth, seed=11)
    other = stats.rank_association(hours, growth, seed=12)
    assert first.equals(again)
    assert first.loc[0, "ci_low"] != other.loc[0, "ci_low"]


def test_a_clear_positive_link_is_called_positive():
    hours = [2, 4, 5, 6, 8, 9, 10, 12, 14, 15, 18, 20]
    change = [0.1, 0.0, 0.3, 0.2, 0.4, 0.3, 0.5, 0.6, 0.4, 0.7, 0.8, 0.9]
    row = stats.rank_association(hours, change, x_label="learning hours", y_label="change in knowledge").iloc[0]
    assert row["verdict"] == "positive" and 0 < row["ci_low"] < row["effect"] <= row["ci_high"] <= 1


def test_too_few_educators_are_not_reported():
    row = stats.rank_association([1, 2, 3], [3, 2, 1]).iloc[0]
    assert row["reason"] == "fewer than 10 educators" and math.isnan(row["effect"])


def test_a_variable_with_no_spread_gives_a_reason():
    row = stats.rank_association([5] * 12, list(range(12)), x_label="learning hours").iloc[0]
    assert math.isnan(row["effect"]) and "every value of learning hours is the same" in row["reason"]


def test_missing_pairs_are_dropped_and_counted():
    x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None, 12]
    y = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 11, float("nan")]
    row = stats.rank_association(x, y).iloc[0]
    assert (row["n"], row["n_missing"]) == (10, 2)


def test_too_few_bootstrap_samples_are_refused():
    with pytest.raises(KitError, match="bootstrap samples"):
        stats.rank_association(range(12), range(12), n_boot=10)


def test_tiny_values_still_have_their_spread():
    # Found by the property test above: the spread of values near 1e-210 underflowed to zero.
    x, y = np.array([0.0] * 9 + [1.0]), np.array([0.0] * 9 + [3.9179272546073e-210])
    assert stats.rank_association(x, y, n_boot=200).iloc[0]["effect"] == pytest.approx(1.0)


def test_mid_ranks_are_scipys_rankdata_with_ties_in_every_row():
    from scipy.stats import rankdata

    from kit.analysis.stats.association import mid_ranks

    rng = np.random.default_rng(5)
    for width in (1, 2, 7, 40):
        values = rng.integers(0, 4, size=(50, width)).astype(float)  # many ties
        assert np.array_equal(mid_ranks(values), rankdata(values, axis=1))
        spread = rng.normal(size=(20, width))
        assert np.array_equal(mid_ranks(spread), rankdata(spread, axis=1))
