"""Dose and response: hours per educator, learning change, the fitted line and band, hours bands."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from kit.errors import DataError
from kit.stages.s3_educator_learning.analysis import (change_by_hours_band, dose_frame, dose_response_words,
                                                      educator_hours, educator_learning_change, fit_line,
                                                      hours_association, hours_bands, hours_in_span)


def test_hours_are_summed_per_educator_with_attendance():
    attendance = pd.DataFrame({"activity_id": ["A", "B", "A", "C"], "educator_id": ["E2", "E2", "E1", "E2"],
                               "hours_attended": [3.0, 1.5, 2.0, 0.5]})
    hours = educator_hours(attendance)
    assert list(hours.columns) == ["educator_id", "hours"]
    assert hours.set_index("educator_id")["hours"].to_dict() == {"E1": 2.0, "E2": 5.0}


def test_no_attendance_gives_no_rows():
    assert educator_hours(pd.DataFrame(columns=["activity_id", "educator_id", "hours_attended"])).empty


def learning_measures():
    rows = []
    for educator, scores in {"E1": (10, 12, 14, 16, 4, 8), "E2": (10, 10, 10, 10, 8, 8)}.items():
        quiz = scores[:4]
        for window, score in zip(("2024-25 fall", "2024-25 spring", "2025-26 fall", "2025-26 spring"), quiz):
            rows.append((educator, window, "knowledge", "Quiz", score, 20))
        rows.append((educator, "2024-25 fall", "skills", "Rubric", scores[4], 16))
        rows.append((educator, "2025-26 spring", "skills", "Rubric", scores[5], 16))
        rows.append((educator, "2024-25 fall", "dispositions", "Beliefs", 10, 30))
        rows.append((educator, "2025-26 spring", "dispositions", "Beliefs", 30, 30))
    rows.append(("E3", "2024-25 fall", "knowledge", "Quiz", 5, 20))  # never measured again
    return pd.DataFrame(rows, columns=["educator_id", "window", "domain", "measure", "score", "max_score"])


def test_learning_change_is_the_mean_share_change_over_knowledge_and_skills_first_to_last():
    change = educator_learning_change(learning_measures())
    assert list(change.columns) == ["educator_id", "learning_change", "measures"]
    by_educator = change.set_index("educator_id")
    # E1: quiz 10 -> 16 of 20 (0.30), rubric 4 -> 8 of 16 (0.25); dispositions are not counted.
    assert by_educator.loc["E1", "learning_change"] == pytest.approx(0.275)
    assert by_educator.loc["E2", "learning_change"] == pytest.approx(0.0)
    assert by_educator["measures"].tolist() == [2, 2]
    assert "E3" not in by_educator.index


def test_learning_change_between_chosen_windows():
    change = educator_learning_change(learning_measures(), "2024-25 fall", "2024-25 spring").set_index("educator_id")
    assert change.loc["E1", "learning_change"] == pytest.approx(0.1)
    assert change.loc["E1", "measures"] == 1


def test_one_window_is_not_enough():
    only_fall = learning_measures().query("window == '2024-25 fall'")
    with pytest.raises(DataError, match="at least two windows"):
        educator_learning_change(only_fall)


def test_an_educator_without_attendance_counts_as_zero_hours():
    dose = dose_frame(pd.DataFrame({"educator_id": ["E1"], "hours": [4.0]}),
                      pd.DataFrame({"educator_id": ["E1", "E2"], "learning_change": [0.2, 0.1], "measures": [2, 2]}))
    assert dose["hours"].tolist() == [4.0, 0.0]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 60, allow_nan=False), st.floats(-0.5, 0.5, allow_nan=False)),
                min_size=6, max_size=40))
def test_rank_association_matches_scipy(points):
    dose = pd.DataFrame(points, columns=["hours", "learning_change"])
    row = hours_association(dose).iloc[0]
    if row["verdict"] != "not reported":
        assert row["effect"] == pytest.approx(scipy_stats.spearmanr(dose["hours"], dose["learning_change"])[0])
        assert row["ci_low"] <= row["ci_high"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.floats(-0.5, 0.5, allow_nan=False)), min_size=4, max_size=40))
def test_line_and_band_match_statsmodels(points):
    x = np.array([p[0] for p in points], float)
    y = np.array([p[1] for p in points], float)
    if len(set(x)) < 2:
        with pytest.raises(DataError, match="hours differ"):
            fit_line(x, y)
        return
    line = fit_line(x, y)
    model = sm.OLS(y, sm.add_constant(x)).fit()
    assert (line.intercept, line.slope) == (pytest.approx(model.params[0], abs=1e-9), pytest.approx(model.params[1], abs=1e-9))
    assert (line.slope_low, line.slope_high) == tuple(pytest.approx(v, abs=1e-9) for v in model.conf_int()[1])
    grid = np.array([0.0, 10.0, 35.0, 60.0])
    band = line.band(grid)
    expected = model.get_prediction(sm.add_constant(grid, has_constant="add")).conf_int()
    assert np.allclose(band[["low", "high"]].to_numpy(), expected, atol=1e-9)


def test_hours_bands_are_chosen_from_the_data():
    bands = hours_bands([0, 0, 2, 4, 6, 8, 10])
    assert bands["band"].tolist() == ["none", "some", "many"]
    assert bands["label"].tolist() == ["no hours", "more than 0, up to 6 hours", "more than 6 hours"]
    assert bands[["low", "high"]].values.tolist() == [[0, 0], [0, 6], [6, 10]]
    assert bands["median_of_some"].iloc[0] == 6


def test_equal_hours_for_everyone_make_one_band():
    assert hours_bands([3, 3, 3])["band"].tolist() == ["some"]


def band_measures(changes):
    rows = []
    for i, change in enumerate(changes):
        rows.append((f"E{i:02d}", "fall", "knowledge", "Quiz", 10, 20))
        rows.append((f"E{i:02d}", "spring", "knowledge", "Quiz", 10 + change, 20))
    return pd.DataFrame(rows, columns=["educator_id", "window", "domain", "measure", "score", "max_score"])


def test_a_few_educators_without_hours_join_the_some_band():
    changes = [0, 1, 1, 2, 1, 2, 3, 2, 5, 6, 5, 7, 6]
    hours = pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(2, 13)],
                          "hours": [2, 3, 4, 5, 6, 7, 20, 22, 24, 26, 30]})
    table = change_by_hours_band(band_measures(changes), hours).set_index("band")
    assert table.index.tolist() == ["some", "many"] and not table["suppressed"].any()
    assert table.loc["some", "label"] == "up to 7 hours" and table.loc["some", "n"] == 8   # 2 without hours + 6


def test_a_small_band_is_withheld_with_a_partner():
    changes = [1] * 6 + [2] * 6 + [5, 6]
    hours = pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(6, 14)],
                          "hours": [2, 2, 2, 2, 2, 2, 30, 40]})
    table = change_by_hours_band(band_measures(changes), hours).set_index("band")
    assert table.index.tolist() == ["none", "some", "many"]
    assert table.loc["many", "suppressed"]                       # 2 educators with many hours
    assert table.loc[["none", "some"], "suppressed"].sum() == 1  # and one partner, so it cannot be worked out
    assert set(table.loc[table["suppressed"], "note"]) == {"withheld to protect groups of fewer than 5 educators"}


def test_change_by_band_worked_example():
    changes = [1, 1, 2, 2, 2, 6, 6, 6, 8, 8]
    hours = pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(10)], "hours": [1, 2, 3, 4, 5, 10, 11, 12, 13, 14]})
    table = change_by_hours_band(band_measures(changes), hours).set_index("band")
    assert table.loc["some", "label"] == "more than 0, up to 7.5 hours" and table.loc["many", "label"] == "more than 7.5 hours"
    assert table.loc["some", "mean_change"] == pytest.approx(8 / 5 / 20)
    assert table.loc["many", "mean_change"] == pytest.approx(34 / 5 / 20)


def test_words_say_association_not_cause():
    dose = pd.DataFrame({"hours": [1, 2, 3, 4, 5, 6, 7, 8], "learning_change": [0.0, 0.1, 0.1, 0.2, 0.3, 0.2, 0.4, 0.5]})
    words = dose_response_words(hours_association(dose), fit_line(dose["hours"], dose["learning_change"]))
    assert words.startswith("Educators with more learning hours tended to gain more")
    assert "not proof that the hours caused the change" in words


def test_words_for_too_few_educators():
    dose = pd.DataFrame({"hours": [1, 2, 3], "learning_change": [0.1, 0.2, 0.3]})
    assert dose_response_words(hours_association(dose), None) == \
        "Hours and change are not compared: fewer than 5 educators."


def test_hours_count_only_the_school_years_between_the_windows():
    activities = pd.DataFrame({"activity_id": ["A", "B", "C"],
                               "date": pd.to_datetime(["2024-10-01", "2025-03-01", "2025-10-01"])})
    attendance = pd.DataFrame({"activity_id": ["A", "B", "C"], "educator_id": ["E1"] * 3, "hours_attended": [3.0, 2.0, 4.0]})
    one_year, words = hours_in_span(attendance, activities, "2024-25 fall", "2024-25 spring")
    assert one_year["hours"].tolist() == [5.0] and words == "Hours count the learning held in 2024-25."
    both, words = hours_in_span(attendance, activities, "2024-25 fall", "2025-26 spring")
    assert both["hours"].tolist() == [9.0] and words == "Hours count the learning held in 2024-25 to 2025-26."
    unnamed, words = hours_in_span(attendance, activities, "pre", "post")
    assert unnamed["hours"].tolist() == [9.0] and words == "Hours count all the learning in the attendance table."
