"""Growth per student, students linked to their educators through the rosters, growth by group."""

import pandas as pd
import pytest

from kit.errors import KitError
from kit.stages.s5_student_results.analysis import (class_links, growth_by, growth_by_educator, roster_term,
                                                    shown_by_educator, student_growth)


def scores(rows):
    return pd.DataFrame(rows, columns=["student_id", "subject", "window", "score", "proficient"])


ASSESSMENTS = scores([
    ("S1", "math", "2025-26 fall", 200, "no"), ("S1", "math", "2025-26 spring", 212, "yes"),
    ("S2", "math", "2025-26 fall", 190, "no"), ("S2", "math", "2025-26 spring", 195, "no"),
    ("S3", "math", "2025-26 spring", 230, "yes"),                      # no earlier score: no growth
    ("S1", "reading", "2025-26 spring", 205, "yes"), ("S1", "reading", "2025-26 fall", 201, None),
])


def test_growth_is_the_later_score_minus_the_earlier_for_students_with_both():
    growth = student_growth(ASSESSMENTS, "2025-26 fall", "2025-26 spring")
    assert growth[["student_id", "subject", "growth"]].values.tolist() == [
        ["S1", "math", 12.0], ["S1", "reading", 4.0], ["S2", "math", 5.0]]
    assert growth["proficient_after"].tolist() == [1.0, 1.0, 0.0]
    assert growth["proficient_before"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize("before, after, words", [
    ("2025-26 winter", "2025-26 spring", "no window called '2025-26 winter'"),
    ("2025-26 spring", "2025-26 fall", "comes after"),
    ("2025-26 fall", "2025-26 fall", "two different windows"),
])
def test_windows_that_cannot_give_growth_are_refused_in_words(before, after, words):
    with pytest.raises(KitError, match=words):
        student_growth(ASSESSMENTS, before, after)


def test_the_roster_term_is_the_one_the_windows_name():
    rosters = pd.DataFrame({"term": ["2024-25", "2025-26"]})
    assert roster_term(rosters, "2025-26 fall", "2025-26 spring") == "2025-26"
    assert roster_term(rosters, "2024-25 spring", "2025-26 fall") == "2025-26"
    assert roster_term(pd.DataFrame({"term": ["all terms"]}), "pre", "post") is None


def test_students_reach_educators_of_their_subject_and_term_and_classes_of_all_subjects():
    growth = student_growth(ASSESSMENTS, "2025-26 fall", "2025-26 spring")
    rosters = pd.DataFrame({"student_id": ["S1", "S2", "S1", "S2"], "educator_id": ["E1", "E1", "E2", "E9"],
                            "subject": ["math", "math", "all subjects", "math"],
                            "term": ["2025-26", "2025-26", "2025-26", "2024-25"]})
    links = class_links(growth, rosters)
    assert sorted(map(tuple, links[["educator_id", "student_id", "subject"]].values.tolist())) == [
        ("E1", "S1", "math"), ("E1", "S2", "math"), ("E2", "S1", "math"), ("E2", "S1", "reading")]
    by_educator = growth_by_educator(growth[growth["subject"] == "math"], rosters).set_index("educator_id")
    assert by_educator.loc["E1", "students"] == 2 and by_educator.loc["E1", "mean_growth"] == pytest.approx(8.5)
    assert "E9" not in by_educator.index  # last year's class


def test_a_small_class_is_withheld_when_shown():
    table = pd.DataFrame({"educator_id": ["E1", "E2"], "students": [9, 25], "mean_growth": [4.0, 6.0],
                          "sd_growth": [1.0, 2.0]})
    shown = shown_by_educator(table)
    assert shown["suppressed"].tolist() == [True, False]
    assert pd.isna(shown.loc[0, "mean_growth"]) and pd.isna(shown.loc[0, "students"])
    assert shown.loc[1, "mean_growth"] == 6.0


def test_growth_by_group_counts_students_not_results_and_withholds_small_groups():
    rows = [(f"S{i}", subject, 5.0 if i < 8 else 3.0, "yes" if i < 8 else "no")
            for i in range(30) for subject in ("math", "reading")]
    frame = pd.DataFrame(rows, columns=["student_id", "subject", "growth", "el"])
    for column in ("score_before", "score_after", "proficient_before", "proficient_after"):
        frame[column] = 0.0
    table = growth_by(frame, "el").set_index("group")
    # 8 English learners with two results each are still 8 students: withheld, and so is its partner.
    assert table.loc["yes", "suppressed"] and table.loc["no", "suppressed"]
    assert table.loc["all students", "n"] == 30
    assert table["note"][table["suppressed"]].nunique() == 1  # every withheld cell reads alike


def test_a_term_is_named_only_as_a_whole_word():
    rosters = pd.DataFrame({"term": ["1", "2"]})
    assert roster_term(rosters, "1", "2") == "2"
    assert roster_term(pd.DataFrame({"term": ["2", "5"]}), "2025-26 fall", "2025-26 spring") is None
