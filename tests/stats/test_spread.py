"""Zero spread is judged relative to the scores' scale, so rounding noise never becomes an effect."""

import math

import numpy as np
import pytest

from kit.analysis import stats


def test_twelve_copies_of_212_3_have_no_spread_although_their_sd_is_not_exactly_zero():
    scores = np.array([212.3] * 12)
    assert scores.std(ddof=1) != 0                        # the floating-point trap the issue found
    assert not stats.has_spread(scores)
    assert stats.spread_is_zero(scores.std(ddof=1), 212.3)


def test_a_tenth_of_a_point_is_real_spread_on_any_scale():
    assert stats.has_spread([212.3, 212.4, 212.3])
    assert stats.has_spread([1.1, 1.2, 1.1])
    assert stats.has_spread([0.0, 1e-6])                  # tiny scores, tiny but real differences


def test_all_zero_scores_and_single_or_missing_values_have_no_spread():
    assert not stats.has_spread([0.0, 0.0, 0.0])
    assert not stats.has_spread([5.0])
    assert not stats.has_spread([5.0, None, float("nan")])


def test_the_tolerance_is_relative_to_the_given_scale():
    sd = 1e-8
    assert stats.spread_is_zero(sd, 100.0)               # 1e-10 of the scale: noise
    assert not stats.spread_is_zero(sd, 1.0e-3)          # 1e-5 of the scale: real
    assert stats.SPREAD_RELATIVE_TOLERANCE == pytest.approx(1e-9)


def test_columns_of_sds_are_judged_row_by_row():
    zero = stats.spread_is_zero(np.array([3e-14, 2.5, np.nan, 0.0]), np.array([212.3, 212.3, 50.0, 0.0]))
    assert zero.tolist() == [True, False, True, True]


def test_hedges_g_of_two_constant_groups_is_not_reported_instead_of_ten_to_the_sixteenth():
    # Worked example from issue 11: hedges_g([212.3]*12, [0.7]*13) used to report g = 9.97e15, "higher".
    row = stats.hedges_g([212.3] * 12, [0.7] * 13).iloc[0]
    assert math.isnan(row["effect"]) and math.isnan(row["ci_low"])
    assert row["verdict"] == "not reported"
    assert "no spread" in row["reason"]
    assert "not compared: every score within each group is the same" in stats.summarise(stats.hedges_g([212.3] * 12, [0.7] * 13))


def test_paired_change_with_constant_before_scores_has_no_standardised_change_and_says_so():
    # Worked example from issue 11: constant before-scores used to give a standardised change of 1e16.
    before = [212.3] * 12
    after = [212.3 + 0.1 * k for k in range(12)]
    row = stats.paired_change(before, after).iloc[0]
    assert math.isnan(row["standardised_change"])
    assert row["mean_change"] == pytest.approx(0.55)
    assert "before scores are all the same" in row["reason"]
    sentence = stats.summarise(stats.paired_change(before, after))
    assert "no spread to put the change in standard deviations" in sentence
    assert "of the starting spread" not in sentence


def test_everyone_gaining_the_same_tenth_of_a_point_is_a_zero_width_interval_not_a_noise_interval():
    before = [212.3 + 0.1 * k for k in range(12)]
    row = stats.paired_change(before, [b + 0.1 for b in before]).iloc[0]
    assert row["se"] == 0 and row["ci_low"] == row["ci_high"] == pytest.approx(0.1)
    assert row["verdict"] == "higher" and "exactly the same amount" in row["reason"]


def test_an_association_with_a_constant_variable_is_not_ranked_on_rounding_noise():
    hours = [0.1 * 3] * 6 + [0.3] * 6                     # 0.30000000000000004 and 0.3: the same to a coach
    change = list(range(12))
    row = stats.rank_association(hours, change, x_label="hours").iloc[0]
    assert math.isnan(row["effect"]) and "every value of hours is the same" in row["reason"]


def test_words_given_to_has_spread_get_a_plain_message():
    from kit.errors import KitError

    with pytest.raises(KitError, match="'high' is not a number"):
        stats.has_spread([1.0, "high"])
