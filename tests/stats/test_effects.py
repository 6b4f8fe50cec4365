"""Two-group comparisons: Hedges' g, the Cox index, the improvement index, baseline equivalence.

Each statistic is checked against an independent computation (scipy / statsmodels) on many
random data sets, and against a hand-worked example whose formula source is named.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.meta_analysis import effectsize_smd

from kit.analysis import stats
from kit.errors import KitError

TIGHT = dict(rel=1e-9, abs=1e-9)
scores = st.lists(st.floats(min_value=-500, max_value=500, allow_nan=False, width=64), min_size=10, max_size=60)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spread_is_real(values) -> bool:
    return np.ptp(values) > 1e-3 * max(1.0, np.max(np.abs(values)))


# --- Hedges' g -------------------------------------------------------------------------------

@FAST
@given(treatment=scores, comparison=scores)
def test_hedges_g_matches_scipy_t_test_on_random_groups(treatment, comparison):
    assume(spread_is_real(treatment) and spread_is_real(comparison))
    row = stats.hedges_g(treatment, comparison).iloc[0]
    n_t, n_c = len(treatment), len(comparison)
    t_stat = sps.ttest_ind(treatment, comparison, equal_var=True).statistic
    omega = 1 - 3 / (4 * (n_t + n_c) - 9)
    expected_g = omega * t_stat * math.sqrt(1 / n_t + 1 / n_c)  # d = t * sqrt(1/n_T + 1/n_C)
    assert row["effect"] == pytest.approx(expected_g, **TIGHT)


@FAST
@given(treatment=scores, comparison=scores)
def test_hedges_g_and_its_interval_match_statsmodels_on_random_groups(treatment, comparison):
    assume(spread_is_real(treatment) and spread_is_real(comparison))
    row = stats.hedges_g(treatment, comparison).iloc[0]
    t, c = np.array(treatment), np.array(comparison)
    g, _ = effectsize_smd(t.mean(), t.std(ddof=1), len(t), c.mean(), c.std(ddof=1), len(c))
    total = len(t) + len(c)
    se = math.sqrt(total / (len(t) * len(c)) + g**2 / (2 * total))  # WWC v5.0 SE of g
    z = sps.norm.ppf(0.975)
    assert row["effect"] == pytest.approx(g, **TIGHT)
    assert row["se"] == pytest.approx(se, **TIGHT)
    assert row["ci_low"] == pytest.approx(g - z * se, **TIGHT)
    assert row["ci_high"] == pytest.approx(g + z * se, **TIGHT)
    assert row["improvement_index"] == pytest.approx(50 * math.erf(g / math.sqrt(2)), **TIGHT)


def test_hedges_g_hand_worked_example_from_the_wwc_formula():
    # WWC Procedures and Standards Handbook v5.0: g = omega (mean_T - mean_C) / pooled SD.
    # Means 81.8 and 74.7; variances 32.8444 and 26.6778; pooled SD sqrt((9*32.8444 + 9*26.6778)/18)
    # = 5.455375; omega = 1 - 3/(4*20 - 9) = 0.957746; g = 0.957746 * 7.1 / 5.455375 = 1.246477;
    # SE = sqrt(20/100 + 1.246477^2/40) = 0.488715.
    high = [72, 75, 78, 80, 81, 83, 85, 86, 88, 90]
    low = [65, 70, 71, 73, 74, 76, 77, 79, 80, 82]
    row = stats.hedges_g(high, low, treatment_label="high fidelity", comparison_label="low fidelity").iloc[0]
    assert (row["n_treatment"], row["n_comparison"]) == (10, 10)
    assert (row["mean_treatment"], row["mean_comparison"]) == pytest.approx((81.8, 74.7))
    assert row["effect"] == pytest.approx(1.246477, abs=1e-6)
    assert row["se"] == pytest.approx(0.488715, abs=1e-6)
    assert row["verdict"] == "higher"
    assert row["reason"] == ""


def test_hedges_g_returns_the_documented_columns_without_touching_the_input():
    frame = pd.DataFrame({"score": [float(v) for v in range(20)]})
    before = frame.copy()
    result = stats.hedges_g(frame["score"][:10], frame["score"][10:])
    assert list(result.columns) == [
        "statistic", "treatment", "comparison", "unit", "n_treatment", "n_comparison", "n_missing",
        "mean_treatment", "mean_comparison", "sd_treatment", "sd_comparison", "effect", "se",
        "ci_low", "ci_high", "improvement_index", "verdict", "reason",
    ]
    pd.testing.assert_frame_equal(frame, before)


def test_missing_scores_are_left_out_and_counted():
    with_gaps = [1, 2, None, 3, 4, 5, 6, 7, 8, 9, 10, float("nan")]
    row = stats.hedges_g(with_gaps, list(range(5, 15))).iloc[0]
    assert row["n_treatment"] == 10
    assert row["n_missing"] == 2
    assert math.isfinite(row["effect"])


def test_group_under_the_threshold_gets_a_reason_not_an_effect():
    row = stats.hedges_g([70, 80, 90], list(range(60, 80))).iloc[0]
    assert math.isnan(row["effect"]) and math.isnan(row["ci_low"])
    assert row["reason"] == "fewer than 10 students in one group"
    assert row["verdict"] == "not reported"
    assert math.isnan(row["mean_treatment"]) and math.isnan(row["sd_treatment"])
    assert row["mean_comparison"] == pytest.approx(69.5)  # the large group is still described


def test_threshold_can_be_lowered_and_names_the_unit():
    row = stats.hedges_g([1, 2, 3], [2, 3, 4, 5], unit="educators", min_group_size=5).iloc[0]
    assert row["reason"] == "fewer than 5 educators in both groups"
    row = stats.hedges_g([1, 2, 3], [2, 3, 4, 5], min_group_size=3).iloc[0]
    assert math.isfinite(row["effect"])


def test_all_scores_equal_gives_a_clear_reason():
    row = stats.hedges_g([5] * 12, [5] * 12).iloc[0]
    assert math.isnan(row["effect"])
    assert "no spread" in row["reason"]


def test_zero_spread_within_groups_but_different_means_gives_a_clear_reason():
    row = stats.hedges_g([6] * 12, [5] * 12).iloc[0]
    assert math.isnan(row["effect"]) and "no spread" in row["reason"]


def test_a_group_of_one_gives_a_clear_reason_even_with_no_threshold():
    row = stats.hedges_g([5], [4, 6, 5], min_group_size=1).iloc[0]
    assert math.isnan(row["effect"])
    assert row["reason"] == "each group needs at least 2 students to measure how much scores vary"


def test_an_empty_group_is_reported_as_too_small():
    row = stats.hedges_g([], list(range(12))).iloc[0]
    assert row["n_treatment"] == 0 and row["reason"] == "fewer than 10 students in one group"


def test_words_where_scores_belong_raise_a_kit_error_naming_the_value():
    with pytest.raises(KitError, match="'absent' is not a number"):
        stats.hedges_g([1, 2, "absent"], [1, 2, 3], treatment_label="grade 3")


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10"])
def test_a_nonsense_threshold_is_refused(bad):
    with pytest.raises(KitError, match="smallest reportable group"):
        stats.hedges_g(range(12), range(12), min_group_size=bad)


# --- Cox index -------------------------------------------------------------------------------

yes_no_groups = st.tuples(st.integers(10, 80), st.integers(0, 80), st.integers(10, 80), st.integers(0, 80))


@FAST
@given(sizes=yes_no_groups)
def test_cox_index_matches_statsmodels_log_odds_ratio_on_random_tables(sizes):
    n_t, yes_t, n_c, yes_c = sizes
    yes_t, yes_c = min(yes_t, n_t), min(yes_c, n_c)
    t = [1] * yes_t + [0] * (n_t - yes_t)
    c = [True] * yes_c + [False] * (n_c - yes_c)
    row = stats.cox_index(t, c).iloc[0]
    counts = np.array([[yes_t, n_t - yes_t], [yes_c, n_c - yes_c]], dtype=float)
    if (counts == 0).any():
        counts += 0.5  # Haldane-Anscombe: 0.5 added to every cell of a table with an empty cell
    table = Table2x2(counts, shift_zeros=False)
    omega = 1 - 3 / (4 * (n_t + n_c) - 9)
    assert row["effect"] == pytest.approx(omega * table.log_oddsratio / 1.65, **TIGHT)
    assert row["se"] == pytest.approx(omega * table.log_oddsratio_se / 1.65, **TIGHT)
    assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * sps.norm.ppf(0.975) * row["se"], **TIGHT)
    assert row["mean_treatment"] == pytest.approx(yes_t / n_t, **TIGHT)


def test_cox_index_hand_worked_example_from_the_wwc_formula():
    # WWC Procedures and Standards Handbook v5.0: d_Cox = omega * (logit p_T - logit p_C) / 1.65.
    # p_T = 14/20 = 0.7, p_C = 10/20 = 0.5: ln(0.7/0.3) - ln(1) = 0.847298; omega = 1 - 3/151 = 0.980132;
    # d_Cox = 0.980132 * 0.847298 / 1.65 = 0.503312; SE = 0.980132 * sqrt(1/14 + 1/6 + 1/10 + 1/10)
    # / 1.65 = 0.393174.
    row = stats.cox_index([1] * 14 + [0] * 6, [1] * 10 + [0] * 10).iloc[0]
    assert row["effect"] == pytest.approx(0.503312, abs=1e-6)
    assert row["se"] == pytest.approx(0.393174, abs=1e-6)
    assert row["verdict"] == "no clear difference"


def test_cox_index_with_everyone_proficient_in_one_group_says_it_corrected_the_counts():
    row = stats.cox_index([1] * 12, [1] * 6 + [0] * 6).iloc[0]
    assert math.isfinite(row["effect"]) and row["effect"] > 0
    assert "0.5 was added" in row["reason"]


def test_cox_index_refuses_values_that_are_not_yes_or_no():
    with pytest.raises(KitError, match="yes/no"):
        stats.cox_index([1, 0, 2], [1, 0, 1])


def test_cox_index_small_group_is_withheld():
    row = stats.cox_index([1, 0, 1], [1, 0] * 10).iloc[0]
    assert row["reason"] == "fewer than 10 students in one group" and math.isnan(row["effect"])


# --- Improvement index and baseline equivalence -----------------------------------------------

def test_improvement_index_hand_worked_values():
    # WWC v5.0: improvement index = 100 * Phi(g) - 50; Phi(0.25) = 0.598706, Phi(-0.5) = 0.308538.
    assert stats.improvement_index(0.25) == pytest.approx(9.8706, abs=1e-4)
    assert stats.improvement_index(-0.5) == pytest.approx(-19.1462, abs=1e-4)
    assert stats.improvement_index(0.0) == 0.0
    np.testing.assert_allclose(stats.improvement_index(np.array([0.25, -0.5])), [9.8706, -19.1462], atol=1e-4)


@pytest.mark.parametrize("effect, verdict", [
    (0.0, "equivalent"), (0.05, "equivalent"), (-0.05, "equivalent"), (0.0501, "needs adjustment"),
    (-0.2, "needs adjustment"), (0.25, "needs adjustment"), (0.2501, "not equivalent"),
    (-1.3, "not equivalent"), (float("nan"), "not reported"),
])
def test_baseline_thresholds_follow_the_wwc(effect, verdict):
    assert stats.classify_baseline(effect) == verdict


def test_baseline_equivalence_of_two_similar_groups():
    fall_high = [50, 52, 55, 57, 60, 61, 63, 65, 66, 70]
    fall_low = [49, 53, 54, 58, 59, 62, 62, 64, 67, 69]
    row = stats.baseline_equivalence(fall_high, fall_low).iloc[0]
    assert row["statistic"] == "baseline_equivalence"
    assert abs(row["effect"]) <= 0.05 and row["verdict"] == "equivalent"


def test_baseline_equivalence_of_groups_that_started_apart():
    row = stats.baseline_equivalence(list(range(20, 40)), list(range(10, 30))).iloc[0]
    assert row["verdict"] == "not equivalent"


def test_baseline_equivalence_on_a_yes_no_measure_uses_the_cox_index():
    row = stats.baseline_equivalence([1] * 11 + [0] * 9, [1] * 10 + [0] * 10, yes_no=True).iloc[0]
    cox = stats.cox_index([1] * 11 + [0] * 9, [1] * 10 + [0] * 10).iloc[0]
    assert row["effect"] == cox["effect"] and row["verdict"] == "needs adjustment"


def test_baseline_equivalence_with_a_small_group_is_not_reported():
    row = stats.baseline_equivalence([1, 2, 3], list(range(20))).iloc[0]
    assert row["verdict"] == "not reported" and row["reason"]


@FAST
@given(treatment=scores, comparison=scores)
def test_hedges_g_from_summary_figures_equals_hedges_g_on_the_raw_scores(treatment, comparison):
    assume(spread_is_real(treatment) and spread_is_real(comparison))
    t, c = np.array(treatment), np.array(comparison)
    raw = stats.hedges_g(t, c).iloc[0]
    summary = stats.hedges_g_from_summary(t.mean(), t.std(ddof=1), len(t), c.mean(), c.std(ddof=1), len(c)).iloc[0]
    for column in ("effect", "se", "ci_low", "ci_high"):
        assert summary[column] == pytest.approx(raw[column], **TIGHT)


def test_hedges_g_from_summary_has_no_effect_for_flat_or_single_groups():
    frame = stats.hedges_g_from_summary([212.3, 70.0], [3e-14, 5.0], [12, 1], [0.7, 60.0], [2e-14, 5.0], [13, 20])
    assert frame["effect"].isna().all()
    assert "no spread" in frame.loc[0, "reason"] and "at least 2" in frame.loc[1, "reason"]
