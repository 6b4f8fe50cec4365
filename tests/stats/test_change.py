"""Change within the same people: mean change, its t interval, standardised change, share improved."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.weightstats import DescrStatsW

from kit.analysis import stats
from kit.errors import KitError

TIGHT = dict(rel=1e-9, abs=1e-9)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pairs = st.integers(10, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-200, 200, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(-200, 200, allow_nan=False), min_size=n, max_size=n),
    )
)


@FAST
@given(data=pairs)
def test_mean_change_and_interval_match_scipy_and_statsmodels(data):
    before, after = np.array(data[0]), np.array(data[1])
    change = after - before
    assume(np.ptp(change) > 1e-6 and np.ptp(before) > 1e-6)
    row = stats.paired_change(before, after).iloc[0]
    scipy_ci = sps.ttest_rel(after, before).confidence_interval(0.95)
    sm_low, sm_high = DescrStatsW(change).tconfint_mean(alpha=0.05)
    assert row["mean_change"] == pytest.approx(change.mean(), **TIGHT)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((scipy_ci.low, scipy_ci.high), **TIGHT)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((sm_low, sm_high), **TIGHT)
    n = len(change)
    becker = (1 - 3 / (4 * (n - 1) - 1)) * change.mean() / DescrStatsW(before).std * math.sqrt((n - 1) / n)
    assert row["standardised_change"] == pytest.approx(becker, **TIGHT)
    assert row["share_improved"] == pytest.approx(np.mean(after > before), **TIGHT)


def test_hand_worked_change_for_ten_educators():
    # Differences 3, 2, 0, 3, 1, 3, 2, 3, 3, 1: mean 2.1, squared deviations sum to 10.9, so
    # SD = sqrt(10.9 / 9) = 1.100505 and SE = 1.100505 / sqrt(10) = 0.348010; t(0.975, 9) =
    # 2.262157, so the interval is 2.1 -/+ 0.787254 (Student's paired t interval).
    # SD before = sqrt(32.1 / 9) = 1.888562; Becker (1988) J = 1 - 3/(4*9 - 1) = 0.914286;
    # standardised change = 0.914286 * 2.1 / 1.888562 = 1.016646.
    pre = [10, 12, 9, 14, 11, 13, 10, 12, 15, 11]
    post = [13, 14, 9, 17, 12, 16, 12, 15, 18, 12]
    row = stats.paired_change(pre, post, label="knowledge check", unit="educators").iloc[0]
    assert row["n"] == 10 and row["mean_change"] == pytest.approx(2.1)
    assert row["ci_low"] == pytest.approx(2.1 - 0.787254, abs=1e-6)
    assert row["ci_high"] == pytest.approx(2.1 + 0.787254, abs=1e-6)
    assert row["standardised_change"] == pytest.approx(1.016646, abs=1e-6)
    assert (row["n_improved"], row["share_improved"]) == (9, 0.9)
    assert row["verdict"] == "higher"


def test_pairs_with_a_missing_score_are_dropped_and_counted():
    pre = [1, 2, 3, None, 5, 6, 7, 8, 9, 10, 11, 12]
    post = [2, 3, 5, 6, None, 7, 9, 9, 10, 12, 12, 14]
    row = stats.paired_change(pre, post).iloc[0]
    assert (row["n"], row["n_missing"]) == (10, 2)


def test_fewer_people_than_the_threshold_are_not_reported():
    row = stats.paired_change([1, 2, 3], [2, 3, 4], unit="educators").iloc[0]
    assert row["reason"] == "fewer than 10 educators"
    assert math.isnan(row["mean_change"]) and math.isnan(row["ci_low"]) and math.isnan(row["mean_before"])


def test_everyone_changing_by_the_same_amount_gives_a_zero_width_interval_and_says_so():
    row = stats.paired_change(range(12), [v + 3 for v in range(12)]).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == (3.0, 3.0)
    assert "exactly the same amount" in row["reason"]


def test_all_values_equal_before_gives_no_standardised_change_with_a_reason():
    row = stats.paired_change([5] * 12, [5, 6] * 6).iloc[0]
    assert math.isnan(row["standardised_change"]) and "before scores are all the same" in row["reason"]
    assert math.isfinite(row["ci_low"])


def test_one_person_with_no_threshold_gets_a_clear_reason():
    row = stats.paired_change([3], [4], min_group_size=1).iloc[0]
    assert math.isnan(row["ci_low"]) and "at least 2" in row["reason"]


def test_before_and_after_of_different_lengths_are_refused():
    with pytest.raises(KitError, match="same length"):
        stats.paired_change([1, 2, 3], [1, 2])
