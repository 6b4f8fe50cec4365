"""Stage 6 codes every share near 0% and 100% by the kit's one rule (kit.privacy.code_shares): the cycle
report's tables and each goal's figure show the band ("≥85%"), never "100%" or "0%", in the unit of the
people the share is about (educators 5 and a cover of 3: a group of 12 codes below 25% and above 75%;
students: a group of 20 codes below 15% and above 85%), and a goal is still judged on its exact figure."""

from dataclasses import replace

import pandas as pd

from kit.stages.s3_educator_learning import analysis as learning
from kit.stages.s6_continuous_improvement import analysis as a
from kit.stages.s6_continuous_improvement import report
from kit.stages.s6_continuous_improvement.analysis.evidence import (access_by_every_group,
                                                                     implementation_counts, participation)

from .test_analysis import hand_made_results, measures


def content(**evidence) -> report.CycleContent:
    return report.CycleContent(cycle={"name": "Cycle one"}, goals=[], review=pd.DataFrame(),
                               reflections=pd.DataFrame(), decision=None, evidence=evidence, charts={},
                               windows=("fall", "spring"))


def rows_of(section, caption_start: str) -> list[tuple[str, ...]]:
    return [row for table in section.tables if table.caption.startswith(caption_start) for row in table.rows]


def levels(at_or_above: int, below: int, not_observed: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"implementation": ["at or above the line"] * at_or_above + ["below the line"] * below
                         + ["not observed"] * not_observed})


def test_a_level_nearly_every_educator_is_at_reads_as_its_band_with_its_count_withheld():
    # A district that reports groups of 2 educators: 38 of 40 at the line (95%), 2 below. A band of
    # ceil(100 * 3 / 40) = 8% codes 95% as "≥92%". (With the default 5, a level this near 100% leaves the
    # others under 5 educators, and the whole table is withheld before any share is coded.)
    counts = implementation_counts(levels(38, 2), min_educators=2)
    at_line = counts.iloc[0]
    assert at_line["share_text"] == "≥92%" and pd.isna(at_line["share"]) and pd.isna(at_line["educators"])
    rows = report.practice_section(content(implementation_counts=counts)).tables[0].rows
    assert rows[0] == ("at or above the line", "withheld", "≥92%")
    assert all("95%" not in cell and "100%" not in cell for row in rows for cell in row)


def test_a_level_away_from_the_edges_keeps_its_count_and_share():
    counts = implementation_counts(levels(12, 20, 8))
    rows = report.practice_section(content(implementation_counts=counts)).tables[0].rows
    assert rows == (("at or above the line", "12", "30%"), ("below the line", "20", "50%"),
                    ("not observed", "8", "20%"))


def educators_at_maximum(n: int = 12) -> pd.DataFrame:
    """`n` educators from 9 to 16 of 16 on a skills rubric (56% to 100% of the maximum)."""
    return pd.DataFrame({"educator_id": [f"E{i}" for i in range(n)] * 2, "window": ["fall"] * n + ["spring"] * n,
                         "domain": "skills", "measure": "rubric", "score": [9.0] * n + [16.0] * n, "max_score": 16.0})


def test_a_measure_every_educator_ends_at_its_maximum_reads_as_its_band_and_hides_the_change():
    coded = learning.change_by_measure(educators_at_maximum(), "fall", "spring", min_group_size=5, coded=True)
    assert coded.loc[0, ["mean_before_text", "mean_after_text"]].tolist() == ["56%", "≥75%"]
    # 56% + the change would give 100% back: the change and its interval are withheld with it.
    assert coded.loc[0, ["mean_after", "mean_change", "ci_low", "ci_high"]].isna().all()
    section = report.learning_section(content(measure_change=coded, educator_windows=("fall", "spring")))
    row = rows_of(section, "Stage 3")[0]
    assert row[3:8] == ("56%", "≥75%", "withheld", "withheld", "withheld")
    assert "100%" not in " ".join(row)


def test_the_access_table_codes_a_group_whose_classes_are_all_at_the_line_for_students():
    rosters = pd.DataFrame({"student_id": [f"S{i}" for i in range(60)], "educator_id": ["E1"] * 20 + ["E2"] * 40})
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(60)], "school_id": "A",
                             "english_learner": ["yes"] * 20 + ["no"] * 40})
    implementation = pd.DataFrame({"educator_id": ["E1", "E2"], "implementation": ["at or above the line"] * 2})
    access = access_by_every_group({"rosters": rosters, "students": students}, implementation)
    by_group = access.set_index("group")
    # 20 English learners: ceil(100 * 3 / 20) = 15%, so "≥85%"; 40 others: 8%, so "≥92%".
    assert by_group.loc["english learner: yes", "share_text"] == "≥85%"
    assert by_group.loc["english learner: no", "share_text"] == "≥92%"
    assert access["share"].isna().all()
    rows = report.equity_section(content(access=access)).tables[0].rows
    assert [row[2] for row in rows] == ["≥92%", "≥85%"]
    assert all("100%" not in cell for row in rows for cell in row)


def test_a_gap_that_would_tell_a_coded_share_closely_reads_as_the_range_of_the_bands():
    # English learners' classes all at the line, others' none: a gap of +100 points says "100%".
    rosters = pd.DataFrame({"student_id": [f"S{i}" for i in range(40)], "educator_id": ["E1"] * 20 + ["E2"] * 20})
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(40)], "school_id": "A",
                             "english_learner": ["yes"] * 20 + ["no"] * 20})
    implementation = pd.DataFrame({"educator_id": ["E1", "E2"],
                                   "implementation": ["at or above the line", "below the line"]})
    access = access_by_every_group({"rosters": rosters, "students": students}, implementation)
    assert access["share_text"].tolist() == ["≤15%", "≥85%"] and access["gap"].isna().all()
    # 20 on each side, so each share's band is 15 points: the gap lies between 85 - 15 and 100 - 0 points.
    rows = report.equity_section(content(access=access)).tables[0].rows
    assert [row[2:] for row in rows] == [("≤15%", "-100 to -70 points"), ("≥85%", "+70 to +100 points")]


def test_the_funnel_shows_a_coded_share_and_withholds_its_counts():
    funnel = pd.DataFrame({"step": ["dose", "growth_vs_typical"], "words": ["hours", "growth"],
                           "educators": [12, 12], "moved": pd.array([pd.NA, 6], dtype="Int64"),
                           "through": pd.array([pd.NA, 6], dtype="Int64"), "share_through": [float("nan"), 0.5],
                           "share_through_text": ["≥75%", "50%"], "suppressed": False, "note": ""})
    rows = rows_of(report.chain_section(content(funnel=funnel, chain_words="")), "Educators through")
    assert rows == [("hours", "12", "withheld", "withheld", "≥75%"), ("growth", "12", "6", "6", "50%")]


def test_a_share_goal_every_student_of_the_group_meets_reads_coded_and_is_still_met():
    # 20 English learners: none proficient in fall, all in spring.
    results = hand_made_results(190.0, 201.0, n_el=20)
    goals = [{"goal_type": "student_learning", "what": "English learners in math", "target": "70% proficient"}]
    review = a.cycle_review(goals, results=results, result_windows=("fall", "spring"))
    row = review.iloc[0]
    assert row["verdict"] == "met" and row["figure_text"] == "≥85%"
    assert row["reason"] == "≥85% in spring (from ≤15% in fall) against a target of 70% (met)"
    assert pd.isna(row["figure"]) and pd.isna(row["baseline"])
    shown = report.review_section(replace(content(), review=review)).tables[0].rows[0]
    assert shown[4:6] == ("≥85%", "met") and not any("100%" in cell or " 0%" in cell for cell in shown)


def test_a_share_goal_is_judged_on_the_exact_share_not_on_its_band():
    # Every English learner proficient in spring (100%): shown as "≥85%", yet a 90% target is met.
    results = hand_made_results(190.0, 201.0, n_el=20)
    goals = [{"goal_type": "student_learning", "what": "English learners in math", "target": "90% proficient"}]
    row = a.cycle_review(goals, results=results, result_windows=("fall", "spring")).iloc[0]
    assert row["verdict"] == "met" and row["figure_text"] == "≥85%"


def test_a_share_goal_no_student_meets_reads_coded_and_is_not_met():
    results = hand_made_results(190.0, 189.0, n_el=20)
    goals = [{"goal_type": "student_learning", "what": "English learners in math", "target": "30% proficient"}]
    row = a.cycle_review(goals, results=results, result_windows=("fall", "spring")).iloc[0]
    assert row["verdict"] == "not met" and row["figure_text"] == "≤15%"


def test_an_educator_share_goal_is_coded_for_educators():
    # 6 educators at 13 of 16 (81%): with 6 educators the band is ceil(100 * 3 / 6) = 50%, so "≥50%";
    # with 20 educators (15%) the same mean is shown exactly.
    plans = [{"title": "P", "summary": '{"kit_plan": 1, "outcomes": {"skills": "Lead talk moves: 75%"}}'}]
    few = a.cycle_review([], plans, measures=measures(8.0, 13.0, n=6), educator_windows=("fall", "spring")).iloc[0]
    many = a.cycle_review([], plans, measures=measures(8.0, 13.0, n=20), educator_windows=("fall", "spring")).iloc[0]
    assert few["verdict"] == many["verdict"] == "met"
    assert few["figure_text"] == "≥50%" and many["figure_text"] == "81%"


def test_a_school_where_every_educator_took_part_reads_as_a_band_not_a_full_count():
    # 20 of 20 educators of SCH01 took part (100%: ceil(100 * 3 / 20) = 15%, so "≥85%"); 10 of 20 of SCH02.
    staff = pd.DataFrame({"educator_id": [f"E{i}" for i in range(40)], "school_id": ["SCH01"] * 20 + ["SCH02"] * 20})
    hours = pd.DataFrame({"educator_id": [f"E{i}" for i in range(40)], "hours": [4.0] * 20 + [2.0] * 10 + [0.0] * 10})
    table = participation(hours, staff)
    assert table["took_part_text"].tolist() == ["≥85%", "10"] and pd.isna(table.loc[0, "took_part"])
    rows = report.learning_section(content(participation=table)).tables[0].rows
    assert rows == (("SCH01", "20", "≥85%", "4.0"), ("SCH02", "20", "10", "2.0"))
