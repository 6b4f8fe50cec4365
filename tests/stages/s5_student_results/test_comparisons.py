"""Comparisons of students by their educators' group: effect sizes against independent computations."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from kit.sample_export import generate_export
from kit.stages.s5_student_results.analysis import (class_links, compare, comparisons, extra_columns,
                                                    label_students, participation_levels, student_growth)


def independent_hedges_g(t, c):
    """WWC v5: g = omega (mean_T - mean_C) / pooled SD, omega = 1 - 3 / (4N - 9)."""
    t, c = np.asarray(t, float), np.asarray(c, float)
    n_t, n_c = len(t), len(c)
    pooled = math.sqrt(((n_t - 1) * t.var(ddof=1) + (n_c - 1) * c.var(ddof=1)) / (n_t + n_c - 2))
    g = (1 - 3 / (4 * (n_t + n_c) - 9)) * (t.mean() - c.mean()) / pooled
    se = math.sqrt((n_t + n_c) / (n_t * n_c) + g ** 2 / (2 * (n_t + n_c)))
    return g, g - 1.959964 * se, g + 1.959964 * se


def independent_cox(p_t, n_t, p_c, n_c):
    """WWC v5: Cox index = omega (logit p_T - logit p_C) / 1.65."""
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    return (1 - 3 / (4 * (n_t + n_c) - 9)) * (logit(p_t) - logit(p_c)) / 1.65


def students(arms, growth, before, proficient, educators):
    n = len(arms)
    return pd.DataFrame({"student_id": [f"S{i}" for i in range(n)], "subject": "math", "arm": arms,
                         "growth": growth, "score_before": before, "score_after": np.add(before, growth),
                         "proficient_after": proficient, "educator_id": educators})


def test_a_worked_example_gives_the_handbook_figures():
    high = [72, 75, 78, 80, 81, 83, 85, 86, 88, 90]
    low = [65, 70, 71, 73, 74, 76, 77, 79, 80, 82]
    frame = students(["at or above the line"] * 10 + ["below the line"] * 10, high + low, [200.0] * 10 + [201.0] * 10,
                     [1.0] * 7 + [0.0] * 3 + [1.0] * 5 + [0.0] * 5, [f"E{i % 5}" for i in range(10)] * 2)
    frame.loc[frame.index[::2], "score_before"] += 3.0
    row = compare(frame, "at or above the line", "below the line", kind="implementation").iloc[0]
    assert row["growth_g"] == pytest.approx(1.246, abs=5e-4)  # the stats module's documented example
    assert row["improvement_index"] == pytest.approx(100 * scipy_stats.norm.cdf(row["growth_g"]) - 50)
    assert row["cox_index"] == pytest.approx(independent_cox(0.7, 10, 0.5, 10))
    assert row["comparison"] == ("students of educators at or above the line compared with students of "
                                 "educators below the line")
    assert "not its cause" in row["words"] and "effect of" not in row["words"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-20, 40, allow_nan=False), min_size=10, max_size=40),
       st.lists(st.floats(-20, 40, allow_nan=False), min_size=10, max_size=40),
       st.lists(st.floats(150, 250, allow_nan=False), min_size=80, max_size=80))
def test_growth_and_baseline_effects_equal_the_handbook_formula(t, c, before):
    if np.std(t) < 1e-3 or np.std(c) < 1e-3 or np.std(before[: len(t)]) < 1e-3 or np.std(before[40:40 + len(c)]) < 1e-3:
        return
    frame = students(["a"] * len(t) + ["b"] * len(c), t + c, before[: len(t)] + before[40:40 + len(c)],
                     [np.nan] * (len(t) + len(c)), [f"E{i % 6}" for i in range(len(t))] + [f"F{i % 6}" for i in range(len(c))])
    row = compare(frame, "a", "b", kind="attribute", column="cohort").iloc[0]
    g, low, high = independent_hedges_g(t, c)
    assert row["growth_g"] == pytest.approx(g, abs=1e-9)
    assert row["growth_low"] == pytest.approx(low, abs=1e-5) and row["growth_high"] == pytest.approx(high, abs=1e-5)
    baseline, _, _ = independent_hedges_g(before[: len(t)], before[40:40 + len(c)])
    assert row["baseline_g"] == pytest.approx(baseline, abs=1e-9)
    expected = "equivalent" if abs(baseline) <= 0.05 else "needs adjustment" if abs(baseline) <= 0.25 else "not equivalent"
    assert row["baseline_verdict"] == expected


def test_groups_of_too_few_educators_or_students_are_withheld_whole():
    rng = np.random.default_rng(4)
    frame = students(["a"] * 30 + ["b"] * 30, rng.normal(5, 2, 60), rng.normal(200, 10, 60), [np.nan] * 60,
                     ["E1"] * 15 + ["E2"] * 15 + [f"F{i % 6}" for i in range(30)])
    row = compare(frame, "a", "b", kind="attribute", column="program").iloc[0]
    assert "fewer than 5 educators" in row["reason"] and pd.isna(row["growth_g"])
    assert pd.isna(row["students_treatment"]) and pd.isna(row["mean_growth_treatment"])
    few = students(["a"] * 9 + ["b"] * 30, rng.normal(5, 2, 39), rng.normal(200, 10, 39), [np.nan] * 39,
                   [f"E{i}" for i in range(39)])
    assert "fewer than 10 students" in compare(few, "a", "b", kind="attribute", column="x").loc[0, "reason"]


def test_a_student_whose_educators_fall_in_two_groups_is_left_out_and_counted():
    links = pd.DataFrame({"student_id": ["S1", "S1", "S2"], "subject": "math", "educator_id": ["E1", "E2", "E1"],
                          "growth": [3.0, 3.0, 4.0]})
    levels = pd.DataFrame({"educator_id": ["E1", "E2"], "implementation": ["at or above the line", "below the line"]})
    labelled = label_students(links, "implementation", levels)
    assert labelled["student_id"].tolist() == ["S2"] and labelled.attrs["left_out"] == 1


def test_participation_levels_split_at_the_median_of_educators_with_hours():
    hours = pd.DataFrame({"educator_id": ["E1", "E2", "E3", "E4"], "hours": [1.0, 3.0, 5.0, 0.0]})
    levels = participation_levels(hours, ["E5"]).set_index("educator_id")["participation"]
    assert levels.to_dict() == {"E1": "fewer than 3 hours", "E2": "3 hours or more", "E3": "3 hours or more",
                                "E4": "no learning hours", "E5": "no learning hours"}


def test_comparing_by_a_class_attribute_of_a_generated_export_equals_an_independent_computation():
    files = generate_export(1200, seed=7)
    classes = files["classes"].rename(columns={"Student ID": "student_id", "Teacher ID": "educator_id",
                                               "Grade": "term", "Class Type": "class_type"})
    scores = files["scores_long"].rename(columns={"Student ID": "student_id", "Subject": "subject",
                                                  "Grade": "window", "Scale Score": "score"})
    assert extra_columns(classes, "rosters") == ["class_type"]
    scores["score"] = pd.to_numeric(scores["score"])
    math_scores = scores[scores["subject"] == "Math"]
    growth = student_growth(math_scores, "1", "2")
    labelled = label_students(class_links(growth, classes), "class_type")
    result = comparisons(labelled, kind="class", column="class_type").iloc[0]

    # Independently: pandas only, the grade-2 class, the handbook formula.
    wide = math_scores.pivot_table(index="student_id", columns="window", values="score")[["1", "2"]].dropna()
    wide["growth"] = wide["2"] - wide["1"]
    grade_two = classes[classes["term"] == "2"].drop_duplicates("student_id").set_index("student_id")["class_type"]
    wide = wide.join(grade_two, how="inner")
    first, second = sorted(wide["class_type"].unique())
    g, low, high = independent_hedges_g(wide.loc[wide["class_type"] == first, "growth"],
                                        wide.loc[wide["class_type"] == second, "growth"])
    assert (result["treatment"], result["comparison_group"]) == (first, second)
    assert result["students_treatment"] == (wide["class_type"] == first).sum()
    assert result["growth_g"] == pytest.approx(g, abs=1e-9)
    assert result["growth_low"] == pytest.approx(low, abs=1e-5)
    assert result["comparison"] == f"students in classes whose class type is {first} compared with students in classes whose class type is {second}"


def test_the_clustered_interval_widens_g_by_the_classes_design_effect():
    rng = np.random.default_rng(8)
    educators = [f"E{i}" for i in range(12)]
    class_effect = dict(zip(educators, rng.normal(0, 3, 12)))
    rows = [(f"S{e}{k}", "a" if int(e[1:]) < 6 else "b", e) for e in educators for k in range(15)]
    frame = pd.DataFrame(rows, columns=["student_id", "arm", "educator_id"])
    frame["growth"] = [class_effect[e] + rng.normal(5, 2) for e in frame["educator_id"]]
    frame = frame.assign(subject="math", score_before=rng.normal(200, 10, len(frame)), proficient_after=np.nan)
    row = compare(frame, "a", "b", kind="attribute", column="cohort").iloc[0]
    # Independently: the one-way ANOVA ICC with equal classes of 15, Kish's 1 + (m - 1) ICC.
    groups = frame.groupby("educator_id")["growth"]
    msb = 15 * ((groups.mean() - frame["growth"].mean()) ** 2).sum() / 11
    msw = ((frame["growth"] - groups.transform("mean")) ** 2).sum() / (len(frame) - 12)
    icc = (msb - msw) / (msb + 14 * msw)
    assert row["design_effect"] == pytest.approx(1 + 14 * icc)
    se = (row["growth_high"] - row["growth_low"]) / (2 * 1.959964)
    assert row["clustered_high"] - row["clustered_low"] == pytest.approx(2 * 1.959964 * se * math.sqrt(1 + 14 * icc), rel=1e-5)
    assert "Students share classes" in row["words"]
