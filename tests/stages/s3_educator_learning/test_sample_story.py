"""The sample district tells the planted story: more hours, more gain; the school whose practice will
not change (kit.sample.BROKEN_CHAIN_SCHOOL) still shows learning gains; concerns move toward impact."""

import pytest

from kit.io import open_sample
from kit.sample import BROKEN_CHAIN_SCHOOL
from kit.stages.s3_educator_learning.analysis import (change_by_hours_band, change_by_measure, dose_frame,
                                                      educator_groups, educator_hours, educator_learning_change,
                                                      fit_line, group_profiles, hours_association, measure_windows,
                                                      peak_stages, score_concerns)


@pytest.fixture(scope="module")
def sample():
    return open_sample()


@pytest.fixture(scope="module")
def windows(sample):
    windows = measure_windows(sample.table("educator_measures"))
    return windows[0], windows[-1]


def test_more_hours_go_with_more_gain(sample):
    hours = educator_hours(sample.table("attendance"))
    dose = dose_frame(hours, educator_learning_change(sample.table("educator_measures")))
    association = hours_association(dose).iloc[0]
    assert association["verdict"] == "positive" and association["ci_low"] > 0.3
    assert fit_line(dose["hours"], dose["learning_change"]).slope_low > 0
    bands = change_by_hours_band(sample.table("educator_measures"), hours).set_index("band")
    assert bands.loc["many", "mean_change"] > bands.loc["some", "ci_high"]


def test_the_broken_chain_school_still_learns(sample, windows):
    groups = educator_groups(sample.table("educators"), sample.table("learning_activities"), sample.table("attendance"))
    table = change_by_measure(sample.table("educator_measures"), *windows, groups=groups, by="school_id")
    school = table[(table["group"] == BROKEN_CHAIN_SCHOOL) & table["domain"].isin(["knowledge", "skills"])]
    assert len(school) == 2 and not school["suppressed"].any()
    assert (school["verdict"] == "higher").all() and (school["ci_low"] > 0).all()


def test_concerns_move_from_self_to_impact(sample):
    scores = score_concerns(sample.table("concerns"))
    assert scores["scored"].all()
    profile = group_profiles(scores, ["2024-25 fall", "2025-26 spring"])
    peaks = peak_stages(profile, keys=("window", "group")).set_index("window")["peak_stage"]
    assert peaks["2024-25 fall"] <= 2 and 3 <= peaks["2025-26 spring"] <= 5
