"""Many gaps at once: Holm and Benjamini-Hochberg adjusted p-values, against statsmodels."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from kit.analysis import stats
from kit.errors import KitError

p_lists = st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=40)


@settings(max_examples=8, deadline=None)  # statsmodels' Holm takes about 0.6 s a call
@given(p=p_lists)
def test_holm_matches_statsmodels(p):
    reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
    result = stats.adjust_p_values(p, method="holm")
    assert result["adjusted_p"].to_numpy() == pytest.approx(adjusted, rel=1e-12, abs=1e-15)
    assert result["clear"].tolist() == reject.tolist()


@settings(max_examples=40, deadline=None)
@given(p=p_lists)
def test_benjamini_hochberg_matches_statsmodels(p):
    reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    result = stats.adjust_p_values(p, method="bh")
    assert result["adjusted_p"].to_numpy() == pytest.approx(adjusted, rel=1e-12, abs=1e-15)
    assert result["clear"].tolist() == reject.tolist()


def test_a_gap_clear_on_its_own_is_not_clear_among_twenty():
    # One gap at p = 0.03 among 20 gaps in a school view (the "group of 13" case):
    # alone it is clear at 5%, adjusted for 20 comparisons it is not.
    p = [0.03] + [0.5] * 19
    assert stats.adjust_p_values([0.03])["clear"].tolist() == [True]
    view = stats.adjust_p_values(p)
    assert not view["clear"].any() and view.loc[0, "adjusted_p"] == pytest.approx(0.6)
    assert view["n_compared"].iloc[0] == 20


def test_worked_example_of_both_methods():
    # Four p-values; Holm multiplies the smallest by 4, then 3, 2, 1 with a running maximum;
    # BH multiplies the i-th smallest by 4 / i with a running minimum from the top.
    p = [0.01, 0.04, 0.03, 0.005]
    holm = stats.adjust_p_values(p, method="holm")
    bh = stats.adjust_p_values(p, method="bh")
    assert holm["adjusted_p"].tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert bh["adjusted_p"].tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert bh["clear"].tolist() == [True, True, True, True] and holm["clear"].tolist() == [True, False, False, True]


def test_missing_p_values_are_not_part_of_the_family_and_the_index_is_kept():
    p = pd.Series([0.01, None, 0.04], index=["EL", "SWD", "Low income"])
    result = stats.adjust_p_values(p)
    assert list(result.index) == ["EL", "SWD", "Low income"]
    assert math.isnan(result.loc["SWD", "adjusted_p"]) and not result.loc["SWD", "clear"]
    assert result.loc["EL", "adjusted_p"] == pytest.approx(0.02) and result["n_compared"].iloc[0] == 2


def test_the_help_text_names_each_method():
    assert "Holm" in stats.ADJUSTMENT_HELP["holm"]
    assert "Benjamini-Hochberg" in stats.ADJUSTMENT_HELP["bh"]
    assert stats.DEFAULT_ADJUSTMENT == "holm"
    assert stats.adjust_p_values([0.2], method="fdr_bh")["method"].iloc[0] == "bh"


@pytest.mark.parametrize("bad, message", [
    (dict(p_values=[0.2, 1.5]), "between 0 and 1"),
    (dict(p_values=[0.2, "small"]), "'small' is not a number"),
    (dict(p_values=[0.2], method="bonferroni"), "'holm' or 'bh'"),
    (dict(p_values=[0.2], alpha=5), "share between 0 and 1"),
])
def test_bad_input_gets_a_plain_message(bad, message):
    with pytest.raises(KitError, match=message):
        stats.adjust_p_values(**bad)


def test_an_empty_family_gives_an_empty_table():
    assert stats.adjust_p_values(np.array([])).empty
