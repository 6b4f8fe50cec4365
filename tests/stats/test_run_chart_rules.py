"""Run-chart rules, each with its own scenarios (Perla, Provost & Murray 2011; Anhoej & Olesen 2014)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from kit.analysis import stats
from kit.errors import KitError


def rule(result, name):
    return result.rules.set_index("rule").loc[name]


# --- shift -------------------------------------------------------------------------------------

def test_a_clear_shift_flags_the_six_points_above_the_median():
    values = np.array([2.0, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9, 1])
    verdict = stats.shift_rule(values, median=5.0)
    assert verdict.signal and verdict.observed == 6
    assert verdict.positions == (5, 6, 7, 8, 9, 10)


def test_five_in_a_row_is_not_a_shift():
    assert not stats.shift_rule(np.array([1.0, 9, 9, 9, 9, 9, 1]), median=5.0).signal


def test_a_point_on_the_median_neither_breaks_nor_counts_toward_a_shift():
    broken_by_median = np.array([9.0, 9, 9, 5, 9, 9, 9])     # 6 above with one on the median between
    verdict = stats.shift_rule(broken_by_median, median=5.0)
    assert verdict.signal and verdict.observed == 6
    assert 3 not in verdict.positions
    only_five = np.array([9.0, 9, 5, 9, 9, 9])              # the median point does not make a sixth
    assert not stats.shift_rule(only_five, median=5.0).signal


def test_a_shift_below_the_median_is_found_in_a_whole_series():
    result = stats.run_chart_signals([7, 8, 7, 9, 8, 7, 3, 2, 3, 2, 3, 2, 8, 9], labels=[f"W{i}" for i in range(1, 15)],
                                     rules="all")
    shift = rule(result, "shift")
    assert shift["signal"] and shift["labels"] == ("W7", "W8", "W9", "W10", "W11", "W12")
    assert (result.points.loc[6:11, "flags"].str.contains("shift")).all()


# --- trend -------------------------------------------------------------------------------------

def test_five_rising_points_are_a_trend():
    verdict = stats.trend_rule(np.array([4.0, 1, 2, 3, 4, 5, 2]))
    assert verdict.signal and verdict.positions == (1, 2, 3, 4, 5)


def test_equal_neighbours_count_once_in_a_trend():
    with_tie = stats.trend_rule(np.array([1.0, 2, 3, 3, 4, 5]))          # counts as 1, 2, 3, 4, 5
    assert with_tie.signal and with_tie.observed == 5
    assert with_tie.positions == (0, 1, 2, 3, 4, 5)                     # both tied points are flagged
    too_short = stats.trend_rule(np.array([1.0, 2, 2, 3, 4]))           # counts as 1, 2, 3, 4
    assert not too_short.signal and too_short.observed == 4


def test_a_falling_trend_is_a_trend_too():
    assert stats.trend_rule(np.array([9.0, 8, 8, 6, 5, 1])).signal


def test_four_rising_points_are_not_a_trend():
    assert not stats.trend_rule(np.array([1.0, 2, 3, 4, 2, 3])).signal


# --- crossings (Perla) -------------------------------------------------------------------------

def test_too_few_crossings_signal():
    values = np.array([1.0] * 5 + [9.0] * 5 + [1.0] * 5 + [9.0] * 5)   # 3 crossings in 20 points
    verdict = stats.crossings_rule(values, median=5.0)
    assert verdict.signal and verdict.observed == 3 and verdict.note.startswith("too few crossings")


def test_too_many_crossings_signal():
    values = np.array([1.0, 9] * 10)                                   # 19 crossings in 20 points
    verdict = stats.crossings_rule(values, median=5.0)
    assert verdict.signal and verdict.note.startswith("too many crossings")


def test_crossings_need_ten_useful_points():
    verdict = stats.crossings_rule(np.array([1.0, 9] * 4), median=5.0)
    assert not verdict.signal and "at least 10" in verdict.note


def test_runs_limits_for_ten_points_match_perla_provost_murray_table():
    # Perla, Provost & Murray (2011), Table 1: 10 useful observations, 3 to 9 runs.
    assert stats.runs_limits(5, 5) == (3, 9)


@settings(max_examples=30, deadline=None)
@given(above=st.integers(1, 7), below=st.integers(1, 7))
def test_runs_distribution_matches_counting_every_arrangement(above, below):
    counts = {}
    for spots in itertools.combinations(range(above + below), above):
        sides = [1 if i in spots else -1 for i in range(above + below)]
        runs = 1 + sum(a != b for a, b in zip(sides, sides[1:]))
        counts[runs] = counts.get(runs, 0) + 1
    total = math.comb(above + below, above)
    for runs in range(0, above + below + 2):
        assert stats.runs_probability(runs, above, below) == pytest.approx(counts.get(runs, 0) / total, rel=1e-9, abs=1e-12)


# --- Anhoej rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("n, longest, crossings", [(10, 6, 2), (20, 7, 6), (30, 8, 10), (40, 8, 14)])
def test_anhoej_limits_match_the_published_formula(n, longest, crossings):
    # Anhoej & Olesen (2014): longest run > round(log2 n) + 3; crossings < qbinom(0.05, n - 1, 0.5).
    values = np.array([1.0, 9] * (n // 2))
    assert stats.anhoej_long_run_rule(values, 5.0).limit == longest
    assert stats.anhoej_crossings_rule(values, 5.0).limit == crossings


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.integers(0, 6), min_size=1, max_size=60))
def test_anhoej_rules_agree_with_scipy_binomial_on_random_series(values):
    series = np.array(values, dtype=float)
    median = float(np.median(series))
    useful = np.sign(series - median)
    useful = useful[useful != 0]
    long_run = stats.anhoej_long_run_rule(series, median)
    crossings = stats.anhoej_crossings_rule(series, median)
    if len(useful) == 0:
        assert not long_run.signal and not crossings.signal
        return
    observed_crossings = int((np.diff(useful) != 0).sum())
    assert crossings.limit == sps.binom.ppf(0.05, len(useful) - 1, 0.5)
    assert crossings.signal == (observed_crossings < crossings.limit)
    assert long_run.limit == round(math.log2(len(useful))) + 3
    longest = max(len(list(g)) for _, g in itertools.groupby(useful))
    assert long_run.observed == longest and long_run.signal == (longest > long_run.limit)


def test_an_unusually_long_run_is_flagged():
    values = np.array([1.0, 9, 1, 9] + [9.0] * 9 + [1.0, 9, 1, 9, 1, 9, 1])   # 20 points, a run of 10
    verdict = stats.anhoej_long_run_rule(values, 5.0)
    assert verdict.signal and verdict.observed == 10 and len(verdict.positions) == 10


# --- whole series ------------------------------------------------------------------------------

def test_a_series_with_no_signal():
    result = stats.run_chart_signals([5, 7, 4, 6, 5, 8, 4, 6, 7, 5, 6, 4, 7, 5, 6, 8])
    assert not result.any_signal
    assert (result.points["flags"] == "").all()
    assert result.reason == ""


def test_a_series_of_one_point_has_no_signal_and_says_why():
    result = stats.run_chart_signals([42])
    assert result.median == 42 and not result.any_signal
    assert len(result.rules) == 5 and result.reason == "every point equals the median, so no rule can signal"


def test_a_series_of_two_points_has_no_signal_and_says_why():
    result = stats.run_chart_signals([40, 44])
    assert result.median == 42 and not result.any_signal
    assert "only 2 points" in result.reason


def test_an_empty_series_has_no_median_and_says_so():
    result = stats.run_chart_signals([])
    assert math.isnan(result.median) and result.reason == "no points to chart" and not result.any_signal


def test_a_series_of_one_hundred_stable_points_rarely_signals_and_a_step_is_found():
    stable = np.random.default_rng(2024).normal(60, 3, 100)
    result = stats.run_chart_signals(stable)
    assert len(result.points) == 100 and result.rules["signal"].dtype == bool
    stepped = np.concatenate([stable[:50], stable[50:] + 12])
    signals = stats.run_chart_signals(stepped)
    assert rule(signals, "anhoej_long_run")["signal"] and not rule(signals, "shift")["signal"]   # shift is off
    assert rule(stats.run_chart_signals(stepped, rules="all"), "shift")["signal"]


def test_missing_values_are_skipped_but_keep_their_place():
    result = stats.run_chart_signals([1, None, 2, 3, float("nan"), 4, 5, 6], labels=list("ABCDEFGH"), rules=["trend"])
    assert result.points.loc[1, "side"] == "missing" and result.points.loc[4, "side"] == "missing"
    assert rule(result, "trend")["labels"] == ("A", "C", "D", "F", "G", "H")


def test_points_about_a_small_group_are_hidden_and_left_out():
    values = [60, 61, 59, 60, 58, 62, 66, 67, 65, 68, 69, 67]
    counts = [25, 25, 25, 25, 25, 4, 25, 25, 25, 25, 25, 25]
    result = stats.run_chart_signals(values, counts=counts)
    assert result.points.loc[5, "side"] == "suppressed" and math.isnan(result.points.loc[5, "value"])
    assert result.reason == "1 point left out: fewer than 10 students"
    assert result.median == float(np.median([v for v, c in zip(values, counts) if c >= 10]))


def test_a_fixed_baseline_median_can_be_given():
    result = stats.run_chart_signals([10, 11, 12, 13, 14, 15, 16], median=9.5, rules="all")
    assert result.median == 9.5 and rule(result, "shift")["signal"]


def test_points_and_rules_frames_have_the_documented_columns():
    result = stats.run_chart_signals([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert list(result.points.columns) == ["position", "label", "value", "side", "useful", "flags"]
    assert list(result.rules.columns) == ["rule", "signal", "observed", "limit", "positions", "labels", "note", "in_use"]
    assert result.rules["rule"].tolist() == ["shift", "trend", "crossings", "anhoej_long_run", "anhoej_crossings"]


def test_labels_of_the_wrong_length_are_refused():
    with pytest.raises(KitError, match="one label per point"):
        stats.run_chart_signals([1, 2, 3], labels=["fall", "winter"])


def test_words_in_the_series_are_refused_in_plain_words():
    with pytest.raises(KitError, match="'n/a' is not a number"):
        stats.run_chart_signals([1, "n/a", 3], value_label="attendance")
