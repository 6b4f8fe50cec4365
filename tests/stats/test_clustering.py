"""Students clustered in schools: ICC (one-way ANOVA), design effect, widened and cluster-robust SEs."""

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.analysis import stats
from kit.errors import KitError


def test_icc_by_hand_for_two_schools_of_unequal_size():
    # School a: 1, 2, 3 (mean 2); school b: 4, 5, 6, 7, 8 (mean 6); grand mean 4.5.
    # MSB = (3 * 2.5^2 + 5 * 1.5^2) / 1 = 30; MSW = (2 + 10) / 6 = 2;
    # m0 = (8 - (9 + 25) / 8) / 1 = 3.75; ICC = (30 - 2) / (30 + 2.75 * 2) = 28 / 35.5.
    parts = stats.intraclass_correlation([1, 2, 3, 4, 5, 6, 7, 8], list("aaabbbbb"))
    assert (parts["ms_between"], parts["ms_within"], parts["m0"]) == pytest.approx((30.0, 2.0, 3.75))
    assert parts["icc"] == pytest.approx(28 / 35.5)


def test_design_effect_by_hand_for_equal_and_uneven_schools():
    assert stats.design_effect(0.1, [20, 20, 20]) == pytest.approx(1 + 19 * 0.1)
    # Uneven: m = (25 + 225 + 1600) / 60 = 30.83, so deff = 1 + 29.83 * 0.1 = 3.98 (not 1 + 19 * 0.1).
    assert stats.design_effect(0.1, [5, 15, 40]) == pytest.approx(1 + (1850 / 60 - 1) * 0.1)
    assert stats.design_effect(-0.05, [10, 30]) == 1.0


def test_icc_matches_the_variance_components_of_a_balanced_design():
    # Balanced: the ANOVA ICC equals sigma_b^2 / (sigma_b^2 + sigma_w^2) with
    # sigma_b^2 = (MSB - MSW) / m (Snedecor & Cochran), checked on simulated schools.
    rng = np.random.default_rng(7)
    schools = np.repeat(np.arange(12), 25)
    scores = 200 + rng.normal(0, 10, 12)[schools] + rng.normal(0, 15, len(schools))
    parts = stats.intraclass_correlation(scores, schools)
    between = (parts["ms_between"] - parts["ms_within"]) / 25
    assert parts["icc"] == pytest.approx(between / (between + parts["ms_within"]), rel=1e-12)
    assert 0.15 < parts["icc"] < 0.6


schools_strategy = st.lists(st.integers(2, 30), min_size=3, max_size=9)


@settings(max_examples=30, deadline=None)
@given(sizes=schools_strategy, seed=st.integers(0, 10_000))
def test_cluster_robust_se_of_a_mean_matches_statsmodels(sizes, seed):
    rng = np.random.default_rng(seed)
    schools = np.repeat(np.arange(len(sizes)), sizes)
    scores = rng.normal(0, 5, len(sizes))[schools] + rng.normal(60, 10, len(schools))
    row = stats.clustered_mean(scores, schools, min_group_size=1).iloc[0]
    fit = sm.OLS(scores, np.ones(len(scores))).fit(cov_type="cluster", cov_kwds={"groups": schools})
    assert row["se_cluster_robust"] == pytest.approx(fit.bse[0], rel=1e-9)
    assert row["estimate"] == pytest.approx(scores.mean())


@settings(max_examples=30, deadline=None)
@given(sizes=schools_strategy, seed=st.integers(0, 10_000))
def test_cluster_robust_se_of_a_difference_matches_statsmodels(sizes, seed):
    rng = np.random.default_rng(seed)
    schools = np.repeat(np.arange(len(sizes)), sizes)
    in_group = rng.random(len(schools)) < 0.5
    in_group[0], in_group[-1] = True, False
    scores = rng.normal(0, 5, len(sizes))[schools] + rng.normal(60, 10, len(schools)) + 4 * in_group
    row = stats.clustered_difference(scores[in_group], scores[~in_group], schools[in_group], schools[~in_group],
                                     min_group_size=1).iloc[0]
    fit = sm.OLS(scores, sm.add_constant(in_group.astype(float))).fit(cov_type="cluster", cov_kwds={"groups": schools})
    assert row["estimate"] == pytest.approx(fit.params[1], rel=1e-9)
    assert row["se_cluster_robust"] == pytest.approx(fit.bse[1], rel=1e-9)


def test_clustered_mean_by_hand_four_schools_of_three():
    # School means 62, 72, 82, 68 (grand 71): MSB = 3 * 212 / 3 = 212, MSW = 32 / 8 = 4, m0 = 3,
    # ICC = 208 / 220; deff = 1 + (3 - 1) * ICC; SE = SD / sqrt(12) * sqrt(deff); t on 3 df.
    scores = [60, 62, 64, 70, 72, 74, 80, 82, 84, 66, 68, 70]
    row = stats.clustered_mean(scores, ["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 3).iloc[0]
    icc = 208 / 220
    deff = 1 + 2 * icc
    se = np.std(scores, ddof=1) / math.sqrt(12) * math.sqrt(deff)
    assert (row["icc"], row["design_effect"], row["se"]) == pytest.approx((icc, deff, se))
    assert row["ci_high"] - row["estimate"] == pytest.approx(3.182446 * se, rel=1e-6)
    assert (row["n"], row["n_clusters"]) == (12, 4)


def test_clustering_widens_a_difference_that_looked_clear_for_independent_students():
    rng = np.random.default_rng(11)
    sizes = [40, 55, 35, 60]
    schools = np.repeat(["S1", "S2", "S3", "S4"], sizes)
    scores = np.array([0.0, 8.0, 6.0, 2.0]).repeat(sizes) + rng.normal(200, 6, sum(sizes))
    high = np.isin(schools, ["S2", "S4"])                      # two schools against two schools
    row = stats.clustered_difference(scores[high], scores[~high], schools[high], schools[~high]).iloc[0]
    independent = stats.welch_difference(scores[high].mean(), scores[high].std(ddof=1), high.sum(),
                                         scores[~high].mean(), scores[~high].std(ddof=1), (~high).sum()).iloc[0]
    assert independent["ci_low"] > 0                           # clear if students were independent
    assert row["design_effect"] > 10 and row["verdict"] == "no clear difference"


def test_fewer_than_two_schools_or_a_small_group_are_not_reported():
    one_school = stats.clustered_mean(list(range(20)), ["A"] * 20).iloc[0]
    assert one_school["verdict"] == "not reported" and "fewer than 2 schools" in one_school["reason"]
    small = stats.clustered_difference([1, 2, 3], list(range(20)), ["A"] * 3, ["B"] * 10 + ["C"] * 10).iloc[0]
    assert small["reason"] == "fewer than 10 students in one group" and math.isnan(small["estimate"])


def test_scores_and_schools_of_different_lengths_are_refused():
    with pytest.raises(KitError, match="one school per score"):
        stats.clustered_mean([1, 2, 3], ["A", "B"])


def test_the_summary_says_how_much_clustering_shrinks_the_information():
    scores = [60, 62, 64, 70, 72, 74, 80, 82, 84, 66, 68, 70, 61, 63, 71, 73, 81, 83, 67, 69]
    schools = ["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 3 + ["A", "A", "B", "B", "C", "C", "D", "D"]
    sentence = stats.summarise(stats.clustered_mean(scores, schools), outcome="reading scores")
    assert sentence.startswith("The mean of reading scores was 71.00 (95% interval")
    assert "students are grouped in 4 schools (design effect" in sentence
    assert "20 students carry about as much information as" in sentence
