"""The report's student tables against the disclosure audit (tests/privacy/audit.py): added to
everything stage 1's views show, they give no withheld count away, and a group withheld there has
no gap shown in the report."""

import pandas as pd

from kit.analysis import equity
from kit.stages.s6_continuous_improvement.analysis.evidence import gap_changes, results_by_every_group
from tests.privacy.audit import Observation, attack, collect_views, stage1_truth
from tests.privacy.test_stage_views import random_district


def with_two_windows(results: pd.DataFrame) -> pd.DataFrame:
    from kit.stages.s1_student_needs.analysis import prepare

    students = results[["student_id", "school_id", "grade", "english_learner", "race_ethnicity"]].astype(str)
    students = students.replace({"english_learner": {"not recorded": None}}).drop_duplicates("student_id")
    spring = results[["student_id", "subject", "score", "proficient"]].assign(window="spring")
    fall = spring.assign(window="fall", score=spring["score"] - 5)
    return prepare(students, pd.concat([fall, spring], ignore_index=True).astype({"student_id": str}))


def test_the_report_tables_add_nothing_an_attacker_can_use():
    results = with_two_windows(random_district(7, 3, 0.03))
    observations, links = collect_views(results, windows=["spring"], with_needs=False)
    table = results_by_every_group(results, "spring")
    groups = {c: sorted(results[c].astype(str).unique()) for c in ("english_learner", "race_ethnicity")}
    cells = {(r.subject, "spring", c, str(r.school_id), str(r.grade)) for r in results.itertuples() for c in groups}
    for row in table.itertuples():
        column, _, label = row.group.partition(": ")
        column = column.replace(" ", "_") if row.group != equity.ALL_STUDENTS else "english_learner"
        labels = groups[column] if row.group == equity.ALL_STUDENTS else [label]
        members = tuple((s, w, c, school, grade, k) for (s, w, c, school, grade) in sorted(cells)
                        if c == column and s == row.subject for k in labels)
        observations.append(Observation(f"report {row.group}", members, None if pd.isna(row.n) else float(row.n),
                                        (row.subject, "spring")))
    report = attack(observations, stage1_truth(results), threshold=10, links=links)
    assert table["suppressed"].any() and len(report)  # the report withholds counts too, and they are attacked
    assert not report["exact"].any() and not report["narrowed"].any()


def test_no_gap_is_shown_for_a_group_withheld_in_either_window():
    results = with_two_windows(random_district(11, 2, 0.0))
    changes = gap_changes(results, "fall", "spring")
    shown = results_by_every_group(results, "spring")
    withheld = set(shown.loc[shown["suppressed"], "group"])
    assert withheld, "the district should have a withheld group"
    rows = changes[changes["group"].isin(withheld)]
    assert len(rows) and rows["gap_second"].isna().all() and rows["suppressed"].all()
