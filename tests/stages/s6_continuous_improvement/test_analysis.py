"""Stage 6 analysis: run-chart verdicts against published limits and hand-made series, and goal
verdicts against hand-made cycles."""

import numpy as np
import pandas as pd
import pytest

from kit.stages.s1_student_needs.analysis import prepare
from kit.stages.s6_continuous_improvement import analysis as a
from kit.stages.s6_continuous_improvement.analysis.goals import Target, student_figure


def series(values, n=30, unit="students"):
    return pd.DataFrame({"series": "score", "label": [f"w{i:02d}" for i in range(len(values))],
                         "value": values, "n": n, "unit": unit, "suppressed": False, "note": ""})


# -- run charts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_points, longest_allowed, fewest_crossings", [(10, 6, 2), (20, 7, 6), (30, 8, 10)])
def test_anhoej_limits_match_the_published_table(n_points, longest_allowed, fewest_crossings):
    """Anhoej & Olesen (2014), Table 1: the longest run allowed and the fewest crossings expected."""
    rng = np.random.default_rng(n_points)
    rules = a.judge_series(series(rng.normal(size=n_points))).rules.set_index("rule")
    assert rules.loc["anhoej_long_run", "limit"] == longest_allowed
    assert rules.loc["anhoej_crossings", "limit"] == fewest_crossings


def test_a_level_shift_is_a_signal_explained_in_words():
    result = a.judge_series(series([10.0] * 10 + [20.0] * 10))
    assert a.judged(result) and result.any_signal
    words = a.run_chart_words(result)
    assert words.startswith("A signal of change") and "10 points in a row" in words


def test_noise_with_many_crossings_is_everyday_ups_and_downs():
    result = a.judge_series(series([1.0, 3.0] * 6))
    assert a.judged(result) and not result.any_signal
    assert a.run_chart_words(result).startswith("Only everyday ups and downs")


def test_fewer_than_ten_points_are_described_not_judged():
    result = a.judge_series(series([1.0, 2, 3, 4, 5, 6, 7, 8, 9]))
    assert not a.judged(result)
    assert "too few to judge" in a.run_chart_words(result)
    assert not a.run_chart_summary({"s": result})["signal"].iloc[0]


def test_withheld_points_are_hidden_and_said():
    frame = series([1.0] * 12)
    frame["n"] = [30] * 11 + [4]
    result = a.judge_series(frame)
    assert result.points["side"].iloc[-1] == "suppressed" and np.isnan(result.points["value"].iloc[-1])
    assert "1 point is withheld" in a.run_chart_words(result)


def test_the_extra_rules_can_be_switched_on_and_the_default_is_anhoej():
    values = [60, 61, 59, 60, 58, 62, 66, 67, 65, 68, 69, 67, 70]
    default, every = a.judge_series(series(values)), a.judge_series(series(values), rules="all")
    assert set(default.rules.loc[default.rules["in_use"], "rule"]) == {"anhoej_long_run", "anhoej_crossings"}
    assert every.rules["signal"].sum() > default.rules["signal"].sum()
    assert "false alarms" in a.RULE_CHOICES["all"]


def test_educator_series_withhold_windows_with_few_educators():
    fidelity = pd.DataFrame({"educator_id": [f"E{i}" for i in range(6)] + ["E1", "E2"],
                             "window": ["fall"] * 6 + ["spring"] * 2, "fidelity": 0.5})
    shown = a.fidelity_series(fidelity)
    assert shown["suppressed"].tolist() == [True, True]  # spring has 2; fall would reveal it from the total


def test_by_cycle_keeps_the_latest_window_of_each_school_year():
    frame = series([1.0, 2.0, 3.0]).assign(label=["2024-25 fall", "2024-25 spring", "2025-26 fall"])
    assert a.by_cycle(frame)[["label", "value"]].values.tolist() == [["2024-25", 2.0], ["2025-26", 3.0]]


# -- goals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, value", [
    ("70% proficient", "share", 0.7), ("reach 85 percent at benchmark", "share", 0.85),
    ("+5 points", "points", 5.0), ("grow 3.5 scale points", "points", 3.5),
    ("gap under 4 points", "gap", 4.0), ("narrow the gap to 2", "gap", 2.0)])
def test_targets_are_read_from_the_goal_text(text, kind, value):
    target = a.parse_target(text)
    assert (target.kind, target.value) == (kind, pytest.approx(value))


@pytest.mark.parametrize("text", ["", "most students", "better than last year", "150%"])
def test_targets_without_a_usable_number_are_none(text):
    assert a.parse_target(text) is None


def hand_made_results(el_before, el_after, others_before=200.0, others_after=204.0, n_el=20, n_others=40):
    """A cycle of two windows: English learners and others, every student scored in both."""
    ids = [f"S{i:03d}" for i in range(n_el + n_others)]
    students = pd.DataFrame({"student_id": ids, "school_id": "A", "grade": "4",
                             "english_learner": [True] * n_el + [False] * n_others})
    rows = []
    for window, el, other in (("fall", el_before, others_before), ("spring", el_after, others_after)):
        for i, student in enumerate(ids):
            score = (el if i < n_el else other) + (i % 3 - 1)
            rows.append({"student_id": student, "subject": "math", "window": window, "score": score,
                         "proficient": score >= 200})
    return prepare(students, pd.DataFrame(rows))


@pytest.mark.parametrize("el_after, expected", [(201.0, "met"), (195.0, "partly"), (189.0, "not met")])
def test_a_gap_goal_is_met_partly_met_or_not_met(el_after, expected):
    results = hand_made_results(190.0, el_after)
    goals = [{"goal_type": "student_learning", "what": "English learners in math close the gap",
              "target": "gap under 5 points"}]
    review = a.cycle_review(goals, results=results, result_windows=("fall", "spring"))
    spring = results[results["window"] == "spring"]
    el = spring["english_learner"] == "yes"
    expected_gap = abs(spring.loc[el, "score"].mean() - spring.loc[~el, "score"].mean())
    assert review.loc[0, "verdict"] == expected
    assert review.loc[0, "figure"] == pytest.approx(expected_gap)


def test_a_share_goal_names_its_figure():
    results = hand_made_results(190.0, 199.0)
    spring = results[(results["window"] == "spring") & (results["english_learner"] == "yes")]
    share = float((spring["score"] >= 200).mean())
    goals = [{"goal_type": "student_learning", "what": "English learners in math", "target": "30% proficient"}]
    row = a.cycle_review(goals, results=results, result_windows=("fall", "spring")).iloc[0]
    assert row["figure"] == pytest.approx(share) and row["figure_text"] == f"{share:.0%}"
    assert row["verdict"] == ("met" if share >= 0.3 else "partly")
    assert "against a target of 30%" in row["reason"]


def test_a_goal_about_a_small_group_is_not_measurable_yet():
    results = hand_made_results(190.0, 201.0, n_el=6)
    target = Target("share", 0.6, "60%")
    figure = student_figure(results, target, "English learners in math", "fall", "spring")
    assert np.isnan(figure.figure) and "too few to report" in figure.reason


def test_a_goal_without_a_number_is_not_measurable_yet_with_the_reason():
    goals = [{"goal_type": "student_learning", "what": "Students love reading", "target": "more joy"}]
    row = a.cycle_review(goals, results=hand_made_results(190, 195), result_windows=("fall", "spring")).iloc[0]
    assert row["verdict"] == a.NOT_MEASURABLE and "no number" in row["reason"]


def measures(before, after, n=6, domain="skills"):
    return pd.DataFrame({"educator_id": [f"E{i}" for i in range(n)] * 2, "window": ["fall"] * n + ["spring"] * n,
                         "domain": domain, "measure": "rubric", "score": [before] * n + [after] * n,
                         "max_score": 16.0})


def test_plan_outcomes_are_judged_on_educator_measures():
    plans = [{"title": "P", "summary": '{"kit_plan": 1, "outcomes": {"skills": "Lead talk moves: 75%", '
                                       '"knowledge": "Know the progressions"}}'}]
    review = a.cycle_review([], plans, measures=measures(8.0, 13.0, n=20), educator_windows=("fall", "spring"))
    skills = review.set_index("source").loc["plan outcome (skills)"]
    assert skills["verdict"] == "met" and skills["figure_text"] == "81%"
    assert review.set_index("source").loc["plan outcome (knowledge)", "verdict"] == a.NOT_MEASURABLE


def test_educator_goal_with_few_educators_is_withheld_and_one_about_one_educator_is_internal_only():
    few = a.cycle_review([{"goal_type": "educator", "what": "skills grow", "target": "+1 points"}],
                         measures=measures(8.0, 10.0, n=3), educator_windows=("fall", "spring"))
    assert few.loc[0, "verdict"] == a.NOT_MEASURABLE and "too few" in few.loc[0, "reason"]
    one = [{"goal_type": "educator", "what": "skills grow", "target": "+1 points", "educator_id": "E1"}]
    shared = a.cycle_review(one, measures=measures(8.0, 10.0), educator_windows=("fall", "spring"))
    internal = a.cycle_review(one, measures=measures(8.0, 10.0), educator_windows=("fall", "spring"), internal=True)
    assert shared.loc[0, "verdict"] == a.NOT_MEASURABLE and "internal" in shared.loc[0, "reason"]
    assert internal.loc[0, "verdict"] == "met"


def test_reflections_are_gathered_stage_by_stage_in_order():
    frame = a.reflections_in_order([{"stage": 6, "text": "c", "created_at": 1}, {"stage": 1, "text": "b", "created_at": 5},
                                    {"stage": 1, "text": "a", "created_at": 2}], {1: "Student learning needs"})
    assert frame["text"].tolist() == ["a", "b", "c"] and frame["stage_title"].iloc[0] == "Student learning needs"
