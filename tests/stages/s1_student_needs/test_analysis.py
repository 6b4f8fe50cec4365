"""Stage 1 analysis on the sample district: it finds the gaps the generator planted, and never
shows a group under the threshold."""

import numpy as np
import pandas as pd
import pytest

from kit.stages.s1_student_needs import analysis as needs
from kit.analysis.windows import order_windows, window_key
from kit.io import open_sample


@pytest.fixture(scope="module")
def results():
    dataset = open_sample()
    return needs.prepare(dataset.table("students"), dataset.table("assessments"))


def test_windows_are_ordered_by_year_then_season():
    assert order_windows(["2025-26 fall", "2024-25 spring", "2024-25 fall", "2024-25 winter"]) == [
        "2024-25 fall", "2024-25 winter", "2024-25 spring", "2025-26 fall"]
    assert order_windows(["post", "mid", "pre"]) == ["pre", "mid", "post"]
    assert order_windows(["Unit B", "Unit A", "Unit B"]) == ["Unit B", "Unit A"]
    assert window_key("fall") == (0, 1)


def test_the_joined_frame_has_no_student_ids_in_any_result(results):
    chosen = needs.select(results, subject="math", window="2025-26 spring")
    for frame in (needs.results_by_group(chosen, "english_learner"), needs.distribution(chosen, "english_learner"),
                  needs.school_group_proficiency(chosen, "english_learner"), needs.priority_needs(results)):
        assert "student_id" not in frame.columns


def test_the_planted_gaps_are_the_top_needs(results):
    top = needs.priority_needs(results, subject="math", window="2025-26 spring")
    found = list(zip(top["group_column"], top["group"]))
    assert found[0] == ("disability", "yes")
    assert ("low_income", "yes") in found[:4] and ("english_learner", "yes") in found


def test_the_sample_ranks_its_clear_gaps_first_and_its_small_noisy_group_lower(results):
    for subject in ("math", "reading"):
        top = needs.priority_needs(results, subject=subject, window="2025-26 spring")
        found = list(zip(top["group_column"], top["group"]))
        assert found[:3] == [("disability", "yes"), ("low_income", "yes"), ("english_learner", "yes")]
        assert ("gender", "nonbinary") not in found[:3]  # about 60 students: a large gap, but not a clear one
        assert top["certainty"].head(2).eq(needs.CLEAR).all() and top.loc[2, "certainty"] == needs.NOT_CLEAR
        assert (top["gap_low"] < top["gap_points"]).all() and (top["gap_points"] < top["gap_high"]).all()


def test_a_small_noisy_group_with_a_large_gap_ranks_below_a_large_group_with_a_clear_gap():
    rng = np.random.default_rng(1)
    n = 400
    club = np.array(["yes"] * 12 + ["no"] * (n - 12))  # 12 students, widely spread, 8 points behind
    el = np.array(["yes"] * 150 + ["no"] * (n - 150))  # 150 students, 4 points behind
    score = 200 + rng.normal(0, 5, n) - 4 * (el == "yes")
    noise = rng.normal(0, 30, 12)
    score[:12] = 192 + noise - noise.mean()
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(n)], "school_id": "A", "grade": "3",
                             "english_learner": el == "yes", "club": club})
    assessments = pd.DataFrame({"student_id": students["student_id"], "subject": "math", "window": "spring",
                                "score": score})
    ranked = needs.priority_needs(needs.prepare(students, assessments)).set_index(["group_column", "group"])
    small, large = ranked.loc[("club", "yes")], ranked.loc[("english_learner", "yes")]
    assert small["gap_points"] < large["gap_points"]  # the small group trails by more points
    assert (small["certainty"], large["certainty"]) == (needs.NOT_CLEAR, needs.CLEAR)
    assert large["rank"] < small["rank"]
    assert "the gap is not clear" in small["need"] and "not clear" not in large["need"]


def test_the_english_learner_gap_narrows_in_year_two_and_the_disability_gap_stays(results):
    top = needs.priority_needs(results, subject="math", window="2025-26 spring", top=None).set_index(
        ["group_column", "group"])
    assert top.loc[("english_learner", "yes"), "since"] == "2025-26 fall"
    assert top.loc[("english_learner", "yes"), "gap_change"] > 3  # narrowed by several points
    assert top.loc[("english_learner", "yes"), "trend"] == "narrowed"
    assert abs(top.loc[("disability", "yes"), "gap_change"]) < 1.5  # about the same
    assert 0 < top.loc[("low_income", "yes"), "gap_change"] < 3  # narrows a little


def test_the_english_learner_gap_was_larger_in_year_one(results):
    year_one = needs.priority_needs(results, subject="math", window="2024-25 spring", top=None).set_index(
        ["group_column", "group"])
    year_two = needs.priority_needs(results, subject="math", window="2025-26 spring", top=None).set_index(
        ["group_column", "group"])
    assert year_one.loc[("english_learner", "yes"), "gap_points"] < year_two.loc[("english_learner", "yes"), "gap_points"] - 3


def test_results_by_group_end_with_all_students(results):
    table = needs.results_by_group(needs.select(results, subject="reading", window="2025-26 fall"), "low_income")
    assert table["group"].tolist() == ["no", "yes", "all students"]
    assert table["n"].iloc[-1] == 3000
    assert table["share_proficient"].between(0, 1).all()


def test_no_value_under_the_threshold_appears_in_any_view_of_a_small_school_grade(results):
    chosen = needs.select(results, school="SCH02", grade="3", subject="math", window="2025-26 spring")
    for frame in (needs.results_by_group(chosen, "race_ethnicity"), needs.distribution(chosen, "race_ethnicity")):
        assert (frame.loc[~frame["suppressed"], "n"] >= 10).all()
        assert frame["suppressed"].any() and (frame.loc[frame["suppressed"], "note"] != "").all()
    heat = needs.school_group_proficiency(needs.select(results, grade="3", subject="math", window="2025-26 spring"),
                                          "race_ethnicity")
    assert (heat.loc[~heat["suppressed"], "n"] >= 10).all()
    ranked = needs.priority_needs(results, school="SCH02", grade="3", subject="math", top=None)
    assert (ranked["students"] >= 10).all()


def test_a_larger_threshold_withholds_more(results):
    chosen = needs.select(results, school="SCH02", subject="math", window="2025-26 spring")
    at_10 = needs.results_by_group(chosen, "race_ethnicity")
    at_50 = needs.results_by_group(chosen, "race_ethnicity", min_group_size=50)
    assert at_50["suppressed"].sum() >= at_10["suppressed"].sum()
    assert (at_50["n"].dropna() >= 50).all() and at_50["n"].notna().any()


def test_growth_between_windows_is_larger_for_english_learners_in_year_two(results):
    table = needs.growth(needs.select(results, subject="math"), "english_learner", first="2025-26 fall",
                         second="2025-26 spring").set_index("group")
    assert table.loc["yes", "mean_growth"] > table.loc["no", "mean_growth"] + 3


def test_the_earlier_window_is_the_first_of_the_same_year():
    windows = ["2024-25 fall", "2024-25 spring", "2025-26 fall", "2025-26 spring"]
    assert needs.earlier_window(windows, "2025-26 spring") == "2025-26 fall"
    assert needs.earlier_window(windows, "2025-26 fall") == "2024-25 spring"
    assert needs.earlier_window(["pre", "post"], "pre") is None


def test_a_need_is_worded_about_results_not_students(results):
    sentence = needs.priority_needs(results, subject="math").loc[0, "need"]
    assert "below all other students" in sentence and "not yet serving" in sentence


@pytest.mark.parametrize("what, who, measure, target, by_when, missing", [
    ("Students explain their reasoning", "Grade 4", "unit test", "70% proficient", "2026-05-01", []),
    ("Teachers use number talks", "", "unit test", "70%", "2026-05-01", ["student-focused"]),
    ("Students read fluently", "", "", "more", None, ["measurable", "a target", "a date"]),
])
def test_goal_checks_name_what_a_goal_lacks(what, who, measure, target, by_when, missing):
    checks = needs.goal_checks(what, who, measure, target, by_when)
    assert checks.loc[~checks["met"], "quality"].tolist() == missing


def test_a_dataset_without_proficiency_still_gives_scores():
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(30)], "school_id": "A", "grade": "3",
                             "club": ["x", "y"] * 15})
    assessments = pd.DataFrame({"student_id": [f"S{i}" for i in range(30)], "subject": "math", "window": "pre",
                                "score": [float(i) for i in range(30)]})
    results = needs.prepare(students, assessments)
    assert needs.result_group_columns(results) == ["club"]
    table = needs.results_by_group(results, "club")
    assert table["share_proficient"].isna().all() and table["mean_score"].notna().all()


def test_the_heat_map_and_each_school_table_withhold_the_same_cells(results):
    heat = needs.school_group_proficiency(needs.select(results, grade="6", subject="math", window="2025-26 spring"),
                                          "race_ethnicity")
    for school, cells in heat.groupby("school_id"):
        own = needs.results_by_group(needs.select(results, school=school, grade="6", subject="math",
                                                  window="2025-26 spring"), "race_ethnicity")
        own = own[own["group"] != "all students"].set_index("group")["suppressed"]
        assert cells.set_index("group")["suppressed"].equals(own.rename("suppressed"))


def test_a_few_blanks_never_hide_a_large_group_and_are_never_listed():
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(200)], "school_id": "A", "grade": "3",
                             "low_income": [True] * 120 + [False] * 77 + [None] * 3})
    assessments = pd.DataFrame({"student_id": students["student_id"], "subject": "math", "window": "spring",
                                "score": np.linspace(180, 220, 200), "proficient": [True, False] * 100})
    results = needs.prepare(students, assessments)
    table = needs.results_by_group(needs.select(results, subject="math", window="spring"), "low_income")
    assert table["group"].tolist() == ["no", "yes", "all students"]
    assert table["n"].tolist() == [77, 120, 200] and not table["suppressed"].any()


def test_every_group_is_listed_in_every_selection_and_withheld_ones_read_alike(results):
    table = needs.results_by_group(needs.select(results, school="SCH01", grade="K", subject="math",
                                                window="2025-26 spring"), "race_ethnicity")
    assert len(table) == 8  # seven groups and all students, whether or not a group has students here
    assert table.loc[table["suppressed"], "note"].nunique() == 1


def test_the_window_filter_follows_the_coachs_saved_order_not_a_guess():
    from kit.stages.s1_student_needs.analysis import options

    coach_order = pd.CategoricalDtype(["spring A", "fall B", "winter C"], ordered=True)
    results = pd.DataFrame({"window": pd.Series(["winter C", "spring A", "fall B", "spring A"], dtype=coach_order)})
    assert options(results, "window") == ["spring A", "fall B", "winter C"]
    unordered = pd.DataFrame({"window": ["2025 spring", "2024 fall", "2025 winter"]})
    assert options(unordered, "window") == ["2024 fall", "2025 winter", "2025 spring"]


def test_the_grade_is_the_one_at_each_assessment_when_the_data_gives_it():
    from kit.stages.s1_student_needs.analysis import prepare

    students = pd.DataFrame({"student_id": ["S1", "S2"], "school_id": ["A", "A"], "grade": ["2", "3"]})
    assessments = pd.DataFrame({"student_id": ["S1", "S1", "S2"], "subject": "math", "window": ["K", "1", "1"],
                                "score": [400.0, 420.0, 430.0], "grade_when_assessed": ["K", "1", None]})
    grades = prepare(students, assessments).sort_values(["student_id", "window"])["grade"].astype(str).tolist()
    assert sorted(grades) == sorted(["K", "1", "3"])


def test_data_without_any_grade_is_read_as_one_grade_and_shown():
    """An export with no grade anywhere: every figure a grade filter would split is shown whole,
    equal to a plain pandas computation (issue 13: it used to withhold every figure)."""
    from kit.stages.s1_student_needs.analysis import options, prepare, priority_needs, results_by_group, select

    sample = open_sample()
    students = sample.table("students").assign(grade=pd.NA)
    assessments = sample.table("assessments").drop(columns=["grade_when_assessed"], errors="ignore")
    results = prepare(students, assessments)
    window = options(results, "window")[-1]
    assert options(results, "grade") == []
    table = results_by_group(select(results, school="SCH01", subject="math", window=window), "english_learner")
    joined = assessments.merge(students, on="student_id")
    chosen = joined[(joined["school_id"] == "SCH01") & (joined["subject"] == "math") & (joined["window"] == window)]
    expected = chosen.groupby(chosen["english_learner"].map({True: "yes", False: "no"}))["score"].agg(["size", "mean"])
    shown = table.set_index("group").loc[["yes", "no"]]
    assert not shown["suppressed"].any()
    assert shown["n"].astype(int).tolist() == expected.loc[["yes", "no"], "size"].tolist()
    assert np.allclose(shown["mean_score"].astype(float), expected.loc[["yes", "no"], "mean"])
    assert len(priority_needs(results, subject="math", window=window))
