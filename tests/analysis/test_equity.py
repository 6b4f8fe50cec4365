"""Equity core: groups, disaggregation, gaps, gap change and small-group suppression, against
examples worked out by hand, plus property tests that no withheld value can be recovered."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from kit.analysis import equity
from kit.analysis.equity import (
    complementary_suppression,
    disaggregate,
    gap_change,
    gaps,
    group_columns,
    group_values,
    primary_suppression,
    recoverable_cells,
    suppress,
)

ONE_LINE = [np.zeros(4, dtype=int)]


def students(**columns):
    return pd.DataFrame({"student_id": ["S1", "S2"], "school_id": ["A", "A"], "grade": ["3", "4"], **columns})


# -- group columns --------------------------------------------------------------------------------
def test_group_columns_are_the_built_in_ones_present_then_the_coachs_extra_columns():
    frame = students(low_income=[True, False], gender=["female", "male"], home_language=["es", "en"])
    assert group_columns(frame) == ["gender", "low_income", "home_language"]


def test_a_built_in_group_column_left_blank_is_not_offered():
    assert group_columns(students(disability=pd.array([None, None], dtype="boolean"))) == []


def test_group_values_name_yes_no_and_blank_in_words():
    assert group_values(pd.Series([True, False, None], dtype="boolean")).tolist() == ["yes", "no", "not recorded"]
    assert group_values(pd.Series([" Asian", "", None])).tolist() == ["Asian", "not recorded", "not recorded"]


# -- one suppression step at a time ---------------------------------------------------------------
def test_primary_withholds_cells_under_the_threshold_and_keeps_the_threshold_itself():
    assert primary_suppression([9, 10, 0, 40], 10).tolist() == [True, False, True, False]


def test_complementary_withholds_the_next_smallest_cell_when_one_is_withheld():
    withheld = complementary_suppression([4, 50, 12, 30], [True, False, False, False], ONE_LINE, 10)
    assert withheld.tolist() == [True, False, True, False]


def test_complementary_keeps_going_while_the_withheld_cells_together_are_under_the_threshold():
    # 2 and 3 withheld: their sum (5) would be known from the total, so 11 is withheld as well.
    withheld = complementary_suppression([2, 3, 11, 30], [True, True, False, False], ONE_LINE, 10)
    assert withheld.tolist() == [True, True, True, False]


def test_complementary_leaves_a_line_with_nothing_withheld_alone():
    assert not complementary_suppression([20, 30, 40, 50], [False] * 4, ONE_LINE, 10).any()


def test_complementary_works_line_by_line_in_a_two_way_table():
    # 2 x 2 table: rows (schools) and columns (groups) both have shown totals.
    rows, columns = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    withheld = complementary_suppression([5, 40, 30, 60], [True, False, False, False], [rows, columns], 10)
    assert withheld.tolist() == [True, True, True, True]


def test_a_lone_withheld_cell_is_recoverable_and_two_are_not():
    counts = [4, 50, 12, 30]
    assert recoverable_cells(counts, [True, False, False, False], ONE_LINE).tolist() == [True, False, False, False]
    assert not recoverable_cells(counts, [True, False, True, False], ONE_LINE).any()


def test_withheld_cells_that_hold_nobody_are_recoverable():
    assert recoverable_cells([0, 0, 12, 30], [True, True, False, False], ONE_LINE).tolist() == [True, True, False, False]


def test_row_and_column_totals_with_counts_above_zero_can_pin_a_withheld_cell():
    # 3 x 3, threshold 3:   3 3 3 / 3 0 0 / 3 0 0. Withholding all but the corner is not enough:
    # row 1 sums to 3 and column 0 (minus the corner) to 6, so both 3s in column 0 are forced.
    rows, columns = np.repeat(np.arange(3), 3), np.tile(np.arange(3), 3)
    counts = [3, 3, 3, 3, 0, 0, 3, 0, 0]
    all_but_corner = np.array([False] + [True] * 8)
    assert recoverable_cells(counts, all_but_corner, [rows, columns])[1:].all()
    table = pd.DataFrame({"school": rows, "group": columns, "n": counts})
    assert suppress(table, "n", lines=[["school"], ["group"]], min_group_size=3)["suppressed"].all()


def test_a_two_by_two_block_of_withheld_cells_is_safe():
    rows, columns = np.repeat(np.arange(3), 3), np.tile(np.arange(3), 3)
    counts = [5, 6, 40, 7, 8, 40, 40, 40, 40]
    withheld = np.zeros(9, dtype=bool)
    withheld[[0, 1, 3, 4]] = True
    assert not recoverable_cells(counts, withheld, [rows, columns]).any()


def test_suppress_notes_read_alike_for_small_and_complementary_cells():
    table = pd.DataFrame({"group": ["a", "b", "c"], "n": [4, 30, 12], "mean": [1.0, 2.0, 3.0]})
    result = suppress(table, "n", ["mean"], 10)
    words = "withheld to protect groups of fewer than 10 students"
    assert result["note"].tolist() == [words, "", words]
    assert result["n"].isna().tolist() == [True, False, True]
    assert table["n"].tolist() == [4, 30, 12]  # the caller's table is untouched


def test_suppress_treats_each_by_line_separately():
    table = pd.DataFrame({"window": ["fall"] * 2 + ["spring"] * 2, "n": [5, 40, 20, 40]})
    assert suppress(table, "n", by=["window"])["suppressed"].tolist() == [True, True, False, False]


def test_the_threshold_is_configurable():
    table = pd.DataFrame({"n": [6, 7, 40]})
    assert not suppress(table, "n", min_group_size=5)["suppressed"].any()
    assert suppress(table, "n", min_group_size=20)["note"][0] == "withheld to protect groups of fewer than 20 students"


# -- disaggregation, by hand --------------------------------------------------------------------------
@pytest.fixture
def scores():
    # 12 non-EL students at 200 +/- 2, 10 EL students at 190, 5 with EL blank at 195.
    return pd.DataFrame({
        "score": [198.0, 202.0] * 6 + [190.0] * 10 + [195.0] * 5,
        "proficient": [True] * 9 + [False] * 3 + [True] * 2 + [False] * 8 + [False] * 5,
        "english_learner": pd.array([False] * 12 + [True] * 10 + [None] * 5, dtype="boolean"),
        "window": ["fall"] * 27,
    })


def test_disaggregate_gives_n_mean_and_sd_for_each_group(scores):
    table = disaggregate(scores, "score", "english_learner", min_group_size=5, total=True)
    assert table["group"].tolist() == ["no", "yes", "not recorded", "all students"]
    assert table["n"].tolist() == [12, 10, 5, 27]
    assert table["mean"].tolist() == pytest.approx([200.0, 190.0, 195.0, (2400 + 1900 + 975) / 27])
    assert table.loc[0, "sd"] == pytest.approx(np.std([198.0, 202.0] * 6, ddof=1))
    assert not table["suppressed"].any()


def test_disaggregate_of_a_yes_no_value_is_the_share_of_yes(scores):
    table = disaggregate(scores, "proficient", "english_learner", min_group_size=5)
    assert table["mean"].tolist() == pytest.approx([9 / 12, 2 / 10, 0.0])


def test_disaggregate_withholds_a_small_group_and_its_complement(scores):
    table = disaggregate(scores, "score", "english_learner")  # threshold 10: the 5 blanks are withheld
    assert table.set_index("group")["suppressed"].to_dict() == {"no": False, "yes": True, "not recorded": True}
    assert table.loc[1, "note"] == "withheld to protect groups of fewer than 10 students"
    assert np.isnan(table.loc[1, "mean"]) and np.isnan(table.loc[2, "sd"])


def test_the_all_students_row_is_withheld_when_the_whole_line_is_small(scores):
    table = disaggregate(scores.head(8), "score", "english_learner", total=True)
    assert table["suppressed"].all()


# -- gaps -------------------------------------------------------------------------------------------
def test_gap_against_all_other_students(scores):
    table = gaps(scores, "score", "english_learner", min_group_size=5).set_index("group")
    # EL: 190 against the other 17 students: (2400 + 975) / 17
    assert table.loc["yes", "reference_mean"] == pytest.approx(3375 / 17)
    assert table.loc["yes", "gap"] == pytest.approx(190 - 3375 / 17)
    assert table.loc["yes", "reference_n"] == 17
    assert table.loc["yes", "reference"] == "all other students"


def test_gap_against_all_students(scores):
    table = gaps(scores, "score", "english_learner", reference="all", min_group_size=5).set_index("group")
    assert table.loc["yes", "gap"] == pytest.approx(190 - 5275 / 27)
    assert table.loc["yes", "reference_n"] == 27


def test_gap_against_a_named_group_leaves_that_group_out(scores):
    table = gaps(scores, "score", "english_learner", reference="no", min_group_size=5)
    assert table["group"].tolist() == ["yes", "not recorded"]
    assert table["gap"].tolist() == pytest.approx([-10.0, -5.0])
    assert table.loc[0, "reference"] == "english learner: no"


def test_the_effect_size_is_hedges_g_of_the_two_groups(scores):
    from kit.analysis.stats import hedges_g

    table = gaps(scores, "score", "english_learner", reference="no", min_group_size=5)
    expected = hedges_g(scores["score"][12:22], scores["score"][:12], min_group_size=5).loc[0, "effect"]
    assert table.loc[0, "effect_size"] == pytest.approx(expected)


def test_every_gap_is_withheld_when_the_named_reference_group_is_small(scores):
    table = gaps(scores, "score", "english_learner", reference="not recorded")
    assert table["suppressed"].all() and table["gap"].isna().all()


def test_a_withheld_group_has_no_gap_anywhere(scores):
    table = gaps(scores, "score", "english_learner").set_index("group")
    assert table.loc["yes", "suppressed"] and np.isnan(table.loc["yes", "gap"])
    assert pd.isna(table.loc["yes", "n"]) and pd.isna(table.loc["yes", "reference_n"])


# -- gap change -----------------------------------------------------------------------------------------
def two_windows(el_fall, el_spring, n=15):
    return pd.DataFrame({
        "score": [200.0] * 20 + [el_fall] * n + [200.0] * 20 + [el_spring] * n,
        "el": (["no"] * 20 + ["yes"] * n) * 2,
        "window": ["fall"] * (20 + n) + ["spring"] * (20 + n),
    })


@pytest.mark.parametrize("fall, spring, direction", [
    (190.0, 196.0, "narrowed"), (195.0, 188.0, "widened"), (190.0, 190.0, "about the same")])
def test_gap_change_names_the_direction(fall, spring, direction):
    row = gap_change(two_windows(fall, spring), "score", "el", first="fall", second="spring").set_index("group").loc["yes"]
    assert row["direction"] == direction
    assert row["change"] == pytest.approx((spring - 200) - (fall - 200))


def test_gap_change_is_withheld_when_either_window_is_withheld():
    frame = two_windows(190.0, 196.0, n=15)
    frame = frame.drop(frame.index[(frame["window"] == "spring") & (frame["el"] == "yes")][:8])
    row = gap_change(frame, "score", "el", first="fall", second="spring").set_index("group").loc["yes"]
    assert row["suppressed"] and np.isnan(row["change"]) and row["note"] == "withheld to protect groups of fewer than 10 students"


# -- properties: nothing withheld can be worked out -----------------------------------------------------
def _determined(counts, withheld, line_ids):
    """Withheld cells whose value an attacker pins down exactly from shown cells, line totals and
    counts >= 0 (linear programming: the smallest and largest possible values are equal)."""
    counts = np.asarray(counts, dtype=float)
    hidden = np.flatnonzero(withheld)
    if not len(hidden):
        return []
    equations, totals = [], []
    for ids in line_ids:
        for line in np.unique(ids):
            members = ids == line
            if members[hidden].any():
                equations.append(members[hidden].astype(float))
                totals.append(counts[members & withheld].sum())
    found = []
    for position, cell in enumerate(hidden):
        objective = np.zeros(len(hidden))
        objective[position] = 1
        low = linprog(objective, A_eq=equations, b_eq=totals, bounds=(0, None)).fun
        high = -linprog(-objective, A_eq=equations, b_eq=totals, bounds=(0, None)).fun
        if high - low < 0.5:
            found.append(int(cell))
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=9), st.integers(1, 15))
def test_no_withheld_value_in_a_line_can_be_worked_out_from_the_total(counts, threshold):
    table = pd.DataFrame({"n": counts})
    result = suppress(table, "n", min_group_size=threshold)
    withheld = result["suppressed"].to_numpy()
    assert (result.loc[~withheld, "n"] >= threshold).all()
    if sum(counts) >= threshold:  # the total may be shown
        assert withheld.sum() != 1
        assert not withheld.any() or sum(np.array(counts)[withheld]) >= threshold
        assert _determined(counts, withheld, [np.zeros(len(counts), dtype=int)]) == []


@settings(max_examples=120, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data(), st.integers(3, 12))
def test_no_withheld_cell_of_a_two_way_table_can_be_worked_out_from_row_and_column_totals(
        n_rows, n_columns, data, threshold):
    counts = data.draw(st.lists(st.integers(0, 40), min_size=n_rows * n_columns, max_size=n_rows * n_columns))
    table = pd.DataFrame({"school": np.repeat(np.arange(n_rows), n_columns),
                          "group": np.tile(np.arange(n_columns), n_rows), "n": counts})
    result = suppress(table, "n", lines=[["school"], ["group"]], min_group_size=threshold)
    withheld = result["suppressed"].to_numpy()
    assert (result.loc[~withheld, "n"] >= threshold).all()
    line_ids = [table["school"].to_numpy(), table["group"].to_numpy()]
    # Lines whose total is itself under the threshold are withheld by whoever shows totals; the
    # attacker here sees every total, the strictest case.
    small_line = any(table.groupby(key)["n"].sum().lt(threshold).any() for key in ("school", "group"))
    if not small_line:
        assert _determined(counts, withheld, line_ids) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", None]), min_size=1, max_size=60), st.integers(2, 12))
def test_disaggregate_never_shows_a_small_group_or_one_that_gives_one_away(labels, threshold):
    frame = pd.DataFrame({"group": labels, "score": np.arange(len(labels), dtype=float)})
    table = disaggregate(frame, "score", "group", min_group_size=threshold)
    shown = table[~table["suppressed"]]
    assert (shown["n"] >= threshold).all()
    hidden_n = len(labels) - shown["n"].sum()
    if len(labels) >= threshold:
        assert table["suppressed"].sum() != 1 and (hidden_n == 0 or hidden_n >= threshold)


def test_module_names_the_references():
    assert equity.REFERENCE_WORDS == {"rest": "all other students", "all": "all students"}


def test_a_small_noisy_groups_gap_has_a_wide_interval_that_includes_no_gap():
    scores = [200.0, 230.0, 170.0, 215.0, 185.0] * 3 + [196.0, 204.0] * 10
    frame = pd.DataFrame({"score": [s - 8 for s in scores[:15]] + scores[15:],
                          "club": ["yes"] * 15 + ["no"] * 20})
    row = gaps(frame, "score", "club").set_index("group").loc["yes"]
    assert row["gap"] == pytest.approx(-8.0)
    assert row["gap_low"] < -8 < row["gap_high"] and row["gap_high"] > 0  # could be no gap at all


def test_groups_are_ordered_no_then_yes_then_alphabetically_with_not_recorded_and_all_students_last():
    assert equity.order_groups(["all students", "yes", "not recorded", "no", "yes"]) == [
        "no", "yes", "not recorded", "all students"]
    assert equity.order_groups(["White", "Asian", "not recorded"]) == ["Asian", "White", "not recorded"]
