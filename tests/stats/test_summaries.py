"""Plain-language summaries: one sentence a coach can read aloud, never a claim of cause."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis import stats
from kit.analysis.stats.summaries import ordinal
from kit.errors import KitError

HIGH = [72, 75, 78, 80, 81, 83, 85, 86, 88, 90]
LOW = [65, 70, 71, 73, 74, 76, 77, 79, 80, 82]
DISCLAIMERS = ["not its cause", "not what caused it", "not proof that one caused the other"]
CAUSAL = re.compile(r"\b(because|caused|causes|led to|leads to|resulted in|due to|impact|thanks to)\b")


def assert_no_claim_of_cause(sentence: str) -> None:
    text = sentence.lower()
    for disclaimer in DISCLAIMERS:
        text = text.replace(disclaimer, "")
    assert not CAUSAL.search(text), sentence


def test_a_wide_interval_reads_as_a_promising_sign_not_proof():
    rng = np.random.default_rng(7)
    high = rng.normal(0.2, 1, 60)
    low = rng.normal(0.0, 1, 60)
    row = stats.hedges_g(high, low, treatment_label="students of educators with high fidelity",
                         comparison_label="students of educators with low fidelity")
    sentence = stats.summarise(row)
    assert sentence.startswith("Students of educators with high fidelity scored higher than students of educators with low fidelity")
    assert f"{ordinal(round(50 + row.loc[0, 'improvement_index']))} percentile of the second group" in sentence
    assert "treat this as a promising sign, not proof" in sentence
    assert "With only" not in sentence                       # 60 per group is not small
    assert_no_claim_of_cause(sentence)


def test_a_clear_difference_names_the_interval_and_notes_the_small_groups():
    sentence = stats.summarise(stats.hedges_g(HIGH, LOW))
    assert "89th percentile" in sentence and "above zero" in sentence
    assert sentence.endswith("With only 10 students in the smaller group, a few more students could change this result.")


def test_a_withheld_result_says_why():
    sentence = stats.summarise(stats.hedges_g([1, 2, 3], list(range(20)), treatment_label="grade 3 boys"))
    assert sentence == "Grade 3 boys and comparison group are not compared: fewer than 10 students in one group."


def test_proficiency_shares_are_stated_for_a_yes_no_outcome():
    sentence = stats.summarise(stats.cox_index([1] * 14 + [0] * 6, [1] * 10 + [0] * 10,
                                               treatment_label="participants", comparison_label="non-participants"))
    assert sentence.startswith("Participants reached proficiency more often than non-participants (70% against 50%)")


def test_baseline_sentence_says_what_to_do():
    sentence = stats.summarise(stats.baseline_equivalence(list(range(12, 32)), list(range(11, 31))))
    assert "take the starting scores into account" in sentence


def test_change_sentence_for_the_same_educators():
    pre = [10, 12, 9, 14, 11, 13, 10, 12, 15, 11]
    post = [13, 14, 9, 17, 12, 16, 12, 15, 18, 12]
    sentence = stats.summarise(stats.paired_change(pre, post, label="knowledge scores", unit="educators"))
    assert sentence.startswith("For the same 10 educators, knowledge scores rose by 2.10 on average")
    assert "90% of educators improved" in sentence and "With only 10 educators in all" in sentence


def test_association_sentence_is_never_causal():
    hours = [2, 4, 5, 6, 8, 9, 10, 12, 14, 15, 18, 20]
    change = [0.1, 0.0, 0.3, 0.2, 0.4, 0.3, 0.5, 0.6, 0.4, 0.7, 0.8, 0.9]
    sentence = stats.summarise(stats.rank_association(hours, change, x_label="learning hours", y_label="change in knowledge"))
    assert sentence.startswith("Educators with more learning hours tended to have more change in knowledge")
    assert "This is an association, not proof that one caused the other." in sentence


def test_run_chart_sentences_name_the_signal_and_the_windows():
    shifted = stats.run_chart_signals([7, 8, 7, 9, 8, 7, 3, 2, 3, 2, 3, 2, 8, 9],
                                      labels=[f"week {i}" for i in range(1, 15)], value_label="attendance",
                                      rules="all")
    sentence = stats.summarise(shifted)
    assert "a shift: 6 points in a row below the median (week 7 to week 12)" in sentence
    assert "not why" in sentence
    quiet = stats.run_chart_signals([5, 7, 4, 6, 5, 8, 4, 6, 7, 5, 6, 4, 7, 5, 6, 8], value_label="attendance")
    assert stats.summarise(quiet).startswith("Attendance moved around its median of 6")


def test_a_short_run_chart_notes_that_it_is_short():
    assert "only 2 points" in stats.summarise(stats.run_chart_signals([1, 2]))


def test_several_rows_become_several_sentences():
    both = pd.concat([stats.hedges_g(HIGH, LOW), stats.hedges_g([1, 2], LOW)], ignore_index=True)
    sentence = stats.summarise(both)
    assert sentence.count("not compared") == 1 and "89th percentile" in sentence


def test_something_that_is_not_a_result_is_refused():
    with pytest.raises(KitError, match="needs a result"):
        stats.summarise(pd.DataFrame({"score": [1, 2]}))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shift=st.floats(-2, 2), n=st.integers(4, 50), seed=st.integers(0, 10_000))
def test_no_summary_ever_claims_a_cause(shift, n, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(shift, 1, n), rng.normal(0, 1, n)
    results = [
        stats.hedges_g(a, b), stats.cox_index(a > 0, b > 0), stats.baseline_equivalence(a, b),
        stats.paired_change(b, a), stats.rank_association(a, a + rng.normal(0, 1, n), n_boot=100),
        stats.run_chart_signals(np.concatenate([b, a])),
    ]
    for result in results:
        sentence = stats.summarise(result)
        assert sentence and "nan" not in sentence
        assert_no_claim_of_cause(sentence)
        if n < 10 and not isinstance(result, stats.RunChartSignals):
            assert "fewer than 10" in sentence
