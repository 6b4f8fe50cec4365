"""Welch's interval and p-value from summary figures, against scipy on random groups."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from kit.analysis import stats

groups = st.lists(st.floats(min_value=100, max_value=300, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=40, deadline=None)
@given(first=groups, second=groups)
def test_welch_difference_matches_scipy_ttest_ind_unequal_variances(first, second):
    a, b = np.array(first), np.array(second)
    assume(np.ptp(a) > 1e-3 or np.ptp(b) > 1e-3)
    row = stats.welch_difference(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b)).iloc[0]
    test = sps.ttest_ind(a, b, equal_var=False)
    interval = test.confidence_interval(0.95)
    assert row["p_value"] == pytest.approx(test.pvalue, rel=1e-9, abs=1e-12)
    assert row["ci_low"] == pytest.approx(interval.low, rel=1e-9)
    assert row["ci_high"] == pytest.approx(interval.high, rel=1e-9)


def test_worked_example_two_groups_of_equal_spread():
    # Welch (1947): SE = sqrt(25/15 + 25/20) = 1.7078; df = 2.9167^2 / (1.6667^2/14 + 1.25^2/19) = 30.31;
    # t(0.975, 30.31) = 2.0418, so the interval is -10 -/+ 3.49.
    row = stats.welch_difference(190.0, 5.0, 15, 200.0, 5.0, 20).iloc[0]
    assert row["se"] == pytest.approx(math.sqrt(25 / 15 + 25 / 20))
    assert row["df"] == pytest.approx(30.31, abs=0.01)
    assert (round(row["ci_low"], 2), round(row["ci_high"], 2)) == (-13.49, -6.51)


def test_rows_are_vectorised_and_a_flat_or_tiny_group_has_no_interval():
    frame = stats.welch_difference([190.0, 212.3, 50.0], [5.0, 3e-14, 4.0], [15, 12, 1],
                                   [200.0, 0.7, 52.0], [5.0, 2e-14, 4.0], [20, 13, 30])
    assert frame["ci_low"].notna().tolist() == [True, False, False]
    assert frame.loc[1, "reason"] == "no spread in either group, so the difference has no interval"
    assert frame.loc[2, "reason"] == "each group needs at least 2 values for an interval"
    assert frame["difference"].tolist() == pytest.approx([-10.0, 211.6, -2.0])
