"""Change in knowledge, skills and dispositions: paired change, groups, participants against others."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from kit.errors import DataError
from kit.stages.s3_educator_learning.analysis import (change_by_measure, educator_groups, paired_shares,
                                                      participant_comparison, score_shares)


def measures_frame(before, after, *, measure="Quiz", domain="knowledge", maximum=20.0, windows=("fall", "spring"),
                   ids=None):
    ids = ids or [f"E{i:02d}" for i in range(len(before))]
    rows = []
    for window, scores in zip(windows, (before, after)):
        rows += [{"educator_id": e, "window": window, "domain": domain, "measure": measure, "score": float(s),
                  "max_score": maximum} for e, s in zip(ids, scores)]
    return pd.DataFrame(rows)


def test_scores_on_different_maximums_are_compared_as_shares():
    quiz = measures_frame([10, 12], [15, 16], maximum=20.0)
    rubric = measures_frame([8, 4], [12, 8], measure="Rubric", domain="skills", maximum=16.0)
    pairs = paired_shares(pd.concat([quiz, rubric]), "fall", "spring")
    assert pairs.loc[pairs["measure"] == "Quiz", "change"].tolist() == pytest.approx([0.25, 0.2])
    assert pairs.loc[pairs["measure"] == "Rubric", "change"].tolist() == [0.25, 0.25]


def test_a_maximum_of_zero_is_refused_by_measure_name():
    frame = measures_frame([1], [2], measure="Belief scale", maximum=0.0)
    with pytest.raises(DataError, match="'Belief scale' has a highest possible score"):
        score_shares(frame)


def test_an_unknown_window_names_the_windows_there_are():
    with pytest.raises(DataError, match="'winter' is not in the educator measures; the windows there are: fall, spring"):
        change_by_measure(measures_frame([1] * 6, [2] * 6), "winter", "spring")


def test_the_same_window_twice_is_refused():
    with pytest.raises(DataError, match="two different windows"):
        change_by_measure(measures_frame([1] * 6, [2] * 6), "fall", "fall")


def test_worked_example_of_paired_change_on_a_quiz_out_of_20():
    before = [10, 12, 9, 14, 11, 13, 10, 12, 15, 11]
    after = [13, 14, 9, 17, 12, 16, 12, 15, 18, 12]
    row = change_by_measure(measures_frame(before, after), "fall", "spring").iloc[0]
    # Mean change 2.1 points of 20 = 0.105; 9 of 10 improved.
    assert row["group"] == "all educators" and row["n"] == 10
    assert row["mean_change"] == pytest.approx(0.105)
    assert row["share_improved"] == pytest.approx(0.9)
    assert row["verdict"] == "higher"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=5, max_size=40))
def test_paired_interval_matches_scipy(pairs):
    before, after = zip(*pairs)
    d = np.subtract(after, before) / 20.0
    row = change_by_measure(measures_frame(before, after), "fall", "spring").iloc[0]
    assert row["mean_change"] == pytest.approx(d.mean(), abs=1e-12)
    if d.std(ddof=1) > 1e-9:
        low, high = scipy_stats.ttest_rel(np.divide(after, 20.0), np.divide(before, 20.0)).confidence_interval()
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_a_school_under_five_educators_is_withheld_with_a_partner_and_the_total_stays():
    ids = [f"E{i:02d}" for i in range(15)]
    before = list(range(15))
    after = [b + 2 + (i % 3) for i, b in enumerate(before)]
    groups = pd.DataFrame({"educator_id": ids, "school_id": ["S1"] * 3 + ["S2"] * 6 + ["S3"] * 6,
                           "role": ["teacher"] * 15})
    table = change_by_measure(measures_frame(before, after, ids=ids), "fall", "spring", groups=groups, by="school_id")
    shown = table.set_index("group")
    assert not shown.loc["all educators", "suppressed"] and shown.loc["all educators", "n"] == 15
    assert shown.loc["S1", "suppressed"] and pd.isna(shown.loc["S1", "mean_change"]) and pd.isna(shown.loc["S1", "n"])
    assert shown.loc["S1", "verdict"] == ""
    # S1 could be worked out from the total and the other two schools, so one more school goes too.
    assert shown.loc[["S2", "S3"], "suppressed"].sum() == 1
    assert set(shown.loc[shown["suppressed"], "note"]) == {"withheld to protect groups of fewer than 5 educators"}


def test_grouping_without_the_educators_table_says_what_is_needed():
    with pytest.raises(DataError, match="needs the educators table"):
        change_by_measure(measures_frame([1] * 6, [2] * 6), "fall", "spring", by="school_id")


def test_main_design_is_where_most_hours_went():
    educators = pd.DataFrame({"educator_id": ["E1", "E2", "E3"], "school_id": ["S"] * 3, "role": ["teacher"] * 3})
    activities = pd.DataFrame({"activity_id": ["A", "B", "C"], "design": ["workshop", "coaching cycle", "book study"]})
    attendance = pd.DataFrame({"activity_id": ["A", "B", "C", "A", "C"], "educator_id": ["E1", "E1", "E1", "E2", "E2"],
                               "hours_attended": [3.0, 6.0, 2.0, 2.0, 2.0]})
    designs = educator_groups(educators, activities, attendance).set_index("educator_id")["design"]
    assert designs.to_dict() == {"E1": "coaching cycle", "E2": "book study", "E3": "none"}


def hedges_g_by_hand(t, c):
    t, c = np.asarray(t, float), np.asarray(c, float)
    n = len(t) + len(c)
    pooled = math.sqrt(((len(t) - 1) * t.var(ddof=1) + (len(c) - 1) * c.var(ddof=1)) / (n - 2))
    return (1 - 3 / (4 * n - 9)) * (t.mean() - c.mean()) / pooled


def test_participants_against_others_follow_the_wwc_formulas():
    rng = np.random.default_rng(3)
    ids = [f"E{i:02d}" for i in range(20)]
    before = rng.integers(5, 12, 20)
    after = before + np.r_[rng.integers(3, 7, 12), rng.integers(0, 3, 8)]
    hours = pd.DataFrame({"educator_id": ids[:12], "hours": [6.0] * 12})
    row = participant_comparison(measures_frame(before, after, ids=ids), hours, "fall", "spring").iloc[0]
    g_before = hedges_g_by_hand(before[:12] / 20, before[12:] / 20)
    g_after = hedges_g_by_hand(after[:12] / 20, after[12:] / 20)
    assert (row["n_participants"], row["n_others"]) == (12, 8)
    assert row["baseline_effect"] == pytest.approx(g_before)
    assert row["effect_after"] == pytest.approx(g_after)
    assert row["adjusted_effect"] == pytest.approx(g_after - g_before)
    assert row["improvement_index"] == pytest.approx(100 * scipy_stats.norm.cdf(g_after) - 50)
    expected_baseline = ("equivalent" if abs(g_before) <= 0.05 else
                         "needs adjustment" if abs(g_before) <= 0.25 else "not equivalent")
    assert row["baseline_verdict"] == expected_baseline
    assert row["effect_of_change"] > 0


def test_too_few_non_participants_withholds_both_counts():
    ids = [f"E{i:02d}" for i in range(10)]
    hours = pd.DataFrame({"educator_id": ids[:7], "hours": [3.0] * 7})
    row = participant_comparison(measures_frame(range(10), range(2, 12), ids=ids), hours, "fall", "spring").iloc[0]
    assert pd.isna(row["n_participants"]) and pd.isna(row["n_others"]) and math.isnan(row["effect_after"])
    assert row["reason"] == "not compared: fewer than 5 educators in one group"


def test_when_everyone_took_part_there_is_no_comparison():
    ids = [f"E{i:02d}" for i in range(8)]
    hours = pd.DataFrame({"educator_id": ids, "hours": [3.0] * 8})
    row = participant_comparison(measures_frame(range(8), range(1, 9), ids=ids), hours, "fall", "spring").iloc[0]
    assert row["reason"] == "not compared: every educator measured took part in some learning"


def test_educators_without_a_recorded_school_are_never_a_published_group():
    ids = [f"E{i:02d}" for i in range(18)]
    groups = pd.DataFrame({"educator_id": ids[:12], "school_id": ["S1"] * 6 + ["S2"] * 6, "role": ["teacher"] * 12})
    table = change_by_measure(measures_frame(range(18), range(2, 20), ids=ids), "fall", "spring",
                              groups=educator_groups(groups), by="school_id").set_index("group")
    assert table.loc["not recorded", "suppressed"] and pd.isna(table.loc["not recorded", "n"])
    assert table.loc[["S1", "S2"], "suppressed"].sum() == 1   # a partner, so the total does not give it away


def test_a_blank_role_reads_not_recorded():
    educators = pd.DataFrame({"educator_id": ["E1", "E2"], "school_id": ["S1", "S1"], "role": ["teacher", None]})
    assert educator_groups(educators)["role"].tolist() == ["teacher", "not recorded"]
