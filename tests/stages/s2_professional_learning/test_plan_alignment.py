"""The learning plan: saved as text and read back exactly, its gaps named, its alignment to the standards."""

import pandas as pd

from kit.stages.s2_professional_learning.analysis.plan import (EVALUATION_LEVELS, LEARNING_DESIGNS, OUTCOME_KEYS, LearningPlan, PlannedActivity,
                               activities_from_data, alignment_gaps, alignment_matrix, plan_activities_frame,
                               plan_checks, unknown_standards)
from kit.io import open_sample
from kit.standards import STANDARD_IDS


def full_plan() -> LearningPlan:
    return LearningPlan(
        "Fractions, grades 4-5", student_goal_id="g1",
        outcomes={key: f"about {key} \u2013 \u00e9\u00e8 <b>" for key in OUTCOME_KEYS},
        designs=["workshop", "coaching cycle"],
        activities=[PlannedActivity("Fraction models workshop", "workshop", "2025-10-06", 3,
                                    ("curriculum-assessment-instruction", "learning-designs")),
                    PlannedActivity("Coaching cycles", "coaching cycle", "2025-11-03", 6.5, ("implementation",), "A1")],
        evidence={level: f"evidence {level}" for level, _, _ in EVALUATION_LEVELS}, notes="line one\nline two")


def test_a_plan_is_read_back_exactly_from_its_saved_text():
    plan = full_plan()
    assert LearningPlan.from_summary(plan.title, plan.to_summary()) == plan


def test_text_typed_elsewhere_is_kept_as_the_plans_notes():
    assert LearningPlan.from_summary("t", "We will meet weekly.") == LearningPlan("t", notes="We will meet weekly.")
    assert LearningPlan.from_summary("t", None) == LearningPlan("t")


def test_a_complete_plan_has_nothing_left_to_do():
    assert plan_checks(full_plan(), has_student_goal=True) == []


def test_an_empty_plan_lists_every_step_backwards_from_the_student_goal():
    missing = plan_checks(LearningPlan("t"), has_student_goal=False)
    assert missing[0] == "Write the students' learning goal this plan serves."
    assert len(missing) == 1 + len(OUTCOME_KEYS) + 2 + len(EVALUATION_LEVELS)
    assert "Name the evidence for level 5 (student learning outcomes)." in missing


def test_an_activity_without_date_or_hours_is_named():
    plan = full_plan()
    plan.activities.append(PlannedActivity("Lab visit", "lab classroom"))
    assert plan_checks(plan, True) == ["Give a date and hours to: Lab visit."]


def test_the_alignment_matrix_marks_each_activity_and_counts_per_standard():
    matrix = alignment_matrix(plan_activities_frame(full_plan()))
    assert list(matrix.columns) == list(STANDARD_IDS)
    assert matrix.loc["1. Fraction models workshop", "learning-designs"] is True
    assert matrix.loc["2. Coaching cycles", "learning-designs"] is False
    assert matrix.loc["activities"].tolist() == [0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0]


def test_a_plan_that_misses_standards_has_them_flagged_in_the_standards_order():
    gaps = alignment_gaps(plan_activities_frame(full_plan()))
    assert gaps["standard_id"].tolist() == [s for s in STANDARD_IDS if s not in
                                            {"curriculum-assessment-instruction", "learning-designs", "implementation"}]
    assert gaps.loc[0, "standard"] == "Equity Practices"


def test_a_plan_touching_every_standard_has_no_gaps_and_typing_slips_are_found():
    frame = pd.DataFrame({"title": ["All", "Slip"], "standards": [";".join(STANDARD_IDS), "evidnce"]})
    assert alignment_gaps(frame).empty
    assert unknown_standards(frame) == ["evidnce"]


def test_a_plan_with_no_activities_misses_every_standard():
    empty = plan_activities_frame(LearningPlan("t"))
    assert len(alignment_gaps(empty)) == 11
    assert alignment_matrix(empty).loc["activities"].sum() == 0


def test_the_sample_districts_activities_start_a_plan():
    activities = activities_from_data(open_sample().table("learning_activities"))
    assert len(activities) == 48 and activities[0].activity_id == "A24D1" and activities[0].date == "2024-11-25"
    assert {a.design for a in activities} <= set(LEARNING_DESIGNS)
    assert activities[0].standards == ("culture-of-collaborative-inquiry", "equity-practices")
