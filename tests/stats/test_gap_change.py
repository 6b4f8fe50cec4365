"""Gap change: narrowed or widened only beyond a stated tolerance, and never 'by 0.0 points'."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.analysis import stats
from kit.errors import KitError


def test_the_issue_example_a_change_of_three_hundredths_is_about_the_same():
    # Issue 11: a change of -0.03 points used to read "widened by 0.0 points".
    row = stats.gap_change(-8.40, -8.43, sd=30.0).iloc[0]
    assert row["verdict"] == "about the same"
    assert row["words"] == "about the same (from 8.4 to 8.4)"
    assert row["change"] == pytest.approx(0.03)


def test_tolerance_is_five_hundredths_of_the_sd():
    # sd 30 gives a tolerance of 1.5 points: 1.4 is about the same, 1.6 narrowed.
    assert stats.GAP_CHANGE_TOLERANCE_SD == 0.05
    assert stats.gap_change(-10.0, -8.6, sd=30.0).loc[0, "verdict"] == "about the same"
    row = stats.gap_change(-10.0, -8.4, sd=30.0).iloc[0]
    assert row["tolerance"] == pytest.approx(1.5)
    assert (row["verdict"], row["words"]) == ("narrowed", "narrowed by 1.6 points (from 10.0 to 8.4)")


def test_a_widening_gap_in_the_other_direction_is_widened_too():
    row = stats.gap_change(4.0, 9.5, tolerance=1.0).iloc[0]      # a group ahead, further ahead
    assert (row["verdict"], row["words"]) == ("widened", "widened by 5.5 points (from 4.0 to 9.5)")


def test_an_interval_that_includes_no_change_keeps_a_big_move_about_the_same_and_says_why():
    # Windows treated as independent: SE of the change = sqrt(4^2 + 4^2) = 5.66, interval 6 -/+ 11.1.
    row = stats.gap_change(-12.0, -18.0, sd=30.0, se_before=4.0, se_after=4.0).iloc[0]
    assert row["verdict"] == "about the same"
    assert (round(row["ci_low"], 1), round(row["ci_high"], 1)) == (-5.1, 17.1)
    assert row["words"].startswith("about the same: 6.0 points wider (from 12.0 to 18.0), but the 95% interval")


def test_an_interval_that_excludes_no_change_and_a_change_beyond_tolerance_is_a_change():
    row = stats.gap_change(-12.0, -6.0, sd=30.0, change_interval=(2.0, 10.0)).iloc[0]
    assert row["verdict"] == "narrowed" and (row["ci_low"], row["ci_high"]) == (-10.0, -2.0)


def test_an_interval_away_from_zero_does_not_turn_a_negligible_change_into_one():
    # District scale: a 0.03-point change can have an interval that excludes zero; it is still negligible.
    row = stats.gap_change(-8.40, -8.43, sd=30.0, change_interval=(-0.04, -0.02)).iloc[0]
    assert row["verdict"] == "about the same"


def test_a_gap_that_changes_sides_is_judged_on_the_tolerance_and_says_so():
    row = stats.gap_change(5.0, -9.0, tolerance=1.0, se_before=1.0, se_after=1.0).iloc[0]
    assert row["verdict"] == "widened" and row["words"].endswith("(from 5.0 to 9.0, the other way round)")
    assert "changed sides" in row["reason"] and math.isnan(row["ci_low"])


def test_columns_of_gaps_are_judged_row_by_row_and_a_missing_gap_is_not_reported():
    frame = stats.gap_change([-10.0, -10.0, np.nan], [-5.0, -10.1, -4.0], sd=20.0)
    assert frame["verdict"].tolist() == ["narrowed", "about the same", "not reported"]
    assert frame.loc[2, "reason"] == "the gap is not reported in one of the windows"


@settings(max_examples=200, deadline=None)
@given(before=st.floats(-60, 60), after=st.floats(-60, 60), sd=st.floats(0.01, 80))
def test_the_words_never_say_a_change_of_zero(before, after, sd):
    row = stats.gap_change(before, after, sd=sd).iloc[0]
    assert "by 0.0" not in row["words"] and "by -0.0" not in row["words"]
    if row["verdict"] in ("narrowed", "widened"):
        assert abs(row["change"]) > max(0.05 * sd, stats.SMALLEST_REPORTED_CHANGE)


@pytest.mark.parametrize("kwargs, message", [
    (dict(), "standard deviation"),
    (dict(sd=0.0), "positive number"),
    (dict(tolerance=-1), "at least 0"),
])
def test_without_a_scale_or_with_a_bad_one_the_coach_is_told_what_to_give(kwargs, message):
    with pytest.raises(KitError, match=message):
        stats.gap_change(-10.0, -8.0, **kwargs)


def test_mismatched_columns_are_refused():
    with pytest.raises(KitError, match="one of each per group"):
        stats.gap_change([-10.0, -3.0], [-8.0], sd=10.0)


def test_the_help_text_states_the_rule():
    assert "0.05 of the scores' standard deviation" in stats.GAP_CHANGE_HELP
