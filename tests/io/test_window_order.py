"""Windows are ordered by what their labels say, whatever the order of the rows; the coach's own
order wins; a guess says it is one."""

import pandas as pd
import pytest

from kit.analysis.windows import (BY_DATES, BY_FIRST_APPEARANCE, BY_GRADES, BY_YEARS_AND_SEASONS, BY_YOUR_ORDER,
                                  guess_window_order, order_windows, order_with, window_key)


@pytest.mark.parametrize("shuffled, expected, basis", [
    (["3", "1", "K", "2"], ["K", "1", "2", "3"], BY_GRADES),
    (["Grade 2", "PK", "Kindergarten", "Grade 1"], ["PK", "Kindergarten", "Grade 1", "Grade 2"], BY_GRADES),
    (["12", "9", "10", "11"], ["9", "10", "11", "12"], BY_GRADES),
    (["spring", "winter", "fall"], ["fall", "winter", "spring"], BY_YEARS_AND_SEASONS),
    (["Spring 2025", "Fall 2024", "Fall 2025", "Winter 2025"],
     ["Fall 2024", "Winter 2025", "Spring 2025", "Fall 2025"], BY_YEARS_AND_SEASONS),
    (["2025-26", "2023-2024", "2024-25"], ["2023-2024", "2024-25", "2025-26"], BY_YEARS_AND_SEASONS),
    (["2024-25 term 2", "2024-25 term 1", "2023-24 term 3"],
     ["2023-24 term 3", "2024-25 term 1", "2024-25 term 2"], BY_YEARS_AND_SEASONS),
    (["Q3", "Q1", "Q2"], ["Q1", "Q2", "Q3"], BY_YEARS_AND_SEASONS),
    (["3/1/2025", "2024-10-05", "1/15/2025"], ["2024-10-05", "1/15/2025", "3/1/2025"], BY_DATES),
])
def test_labels_are_ordered_by_what_they_say_regardless_of_row_order(shuffled, expected, basis):
    order = guess_window_order(shuffled)
    assert list(order.labels) == expected and order.basis == basis and not order.guessed
    assert order_windows(pd.Series(shuffled * 3)) == expected


def test_labels_that_say_nothing_keep_their_first_appearance_and_say_it_is_a_guess():
    order = guess_window_order(["Unit 3", "Unit 1", "Unit 3"])
    assert order.labels == ("Unit 3", "Unit 1") and order.guessed and order.basis == BY_FIRST_APPEARANCE
    assert order.explanation == ("The kit could not tell the order of the windows, so it took the order in which "
                                 "they first appear in your file: Unit 3, Unit 1. Check it and set the order if it "
                                 "is wrong.")


def test_grades_mixed_with_dates_are_not_sorted_together():
    assert guess_window_order(["2025-01-01", "K"]).guessed


def test_an_order_read_from_the_labels_is_explained():
    assert guess_window_order(["1", "K"]).explanation == "Windows ordered by grades (PK, K, 1 to 12): K, 1."


def test_the_coachs_order_wins_and_unnamed_labels_follow_as_a_guess():
    assert order_windows(["pre", "post", "mid"], order=["post", "pre", "mid"]) == ["post", "pre", "mid"]
    mine = order_with(["b", "a"], ["b", "a"])
    assert mine.basis == BY_YOUR_ORDER and mine.explanation == "Windows in the order you set: b, a."
    partial = order_with(["K", "1", "2"], ["2"])
    assert partial.labels == ("2", "K", "1") and partial.guessed


def test_an_ordered_categorical_keeps_its_order():
    column = pd.Series(pd.Categorical(["b", "a", "b"], categories=["b", "a", "c"], ordered=True))
    assert order_windows(column) == ["b", "a"]


def test_window_key_reads_grades_dates_and_calendar_seasons():
    assert window_key("K") < window_key("1") < window_key("Grade 12")
    assert window_key("Spring 2025") == (2024, 3)  # the school year that began in 2024
    assert window_key("2024-25 spring") == (2024, 3)
    assert window_key("Unit 2") is None
