"""The disclosure audit (tests/privacy/audit.py) on stage 5's student views together: growth by school,
grade and group, growth by group of educators, the comparisons' counts and the gap tables. An attacker
who collects every count they show cannot work out a withheld count, nor narrow it below the threshold."""

import pandas as pd
import pytest

from kit.stages.s5_student_results.analysis import growth_by, label_students, with_students
from kit.stages.s5_student_results.analysis.comparisons import IMPLEMENTATION_LEVELS, comparisons, growth_by_arm
from kit.stages.s5_student_results.analysis.evidence import educator_evidence
from kit.sample import generate_district
from tests.privacy.audit import Observation, attack

COLUMNS = ("school_id", "grade", "arm", "english_learner", "disability", "race_ethnicity")
GROUPS = ("english_learner", "disability", "race_ethnicity")


def students_and_cells(tables):
    evidence = educator_evidence(tables, "2025-26 fall", "2025-26 spring")
    links = evidence["links"][evidence["links"]["subject"] == "math"]
    labelled = with_students(label_students(links, "implementation", evidence["implementation"]), tables["students"])
    cells = labelled[list(COLUMNS)].astype(str).apply(tuple, axis=1)
    return labelled, cells, cells.value_counts().to_dict()


def members(cells: pd.Series, mask) -> tuple:
    return tuple(sorted(set(cells[mask.to_numpy()]), key=repr))


def observations(labelled, cells):
    from kit.stages.s5_student_results.analysis.gaps import gap_change_by_arm

    found = []
    everyone = labelled.drop_duplicates(["student_id"])
    everyone_cells = cells.loc[everyone.index]
    for column in ("school_id", "grade", *GROUPS):
        for _, row in growth_by(everyone, column).iterrows():
            mask = (everyone[column].astype(str) == row["group"]) if row["group"] != "all students" \
                else pd.Series(True, index=everyone.index)
            found.append(Observation(f"growth {column}={row['group']}", members(everyone_cells, mask),
                                     None if row["suppressed"] else row["n"]))
    arms = growth_by_arm(labelled, kind="implementation", order=IMPLEMENTATION_LEVELS)
    for _, row in arms.iterrows():
        found.append(Observation(f"arm {row['arm']}", members(cells, labelled["arm"] == row["arm"]),
                                 None if row["suppressed"] else row["students"]))
    for _, row in comparisons(labelled, kind="implementation", order=IMPLEMENTATION_LEVELS).iterrows():
        for arm, count in ((row["treatment"], row["students_treatment"]), (row["comparison_group"], row["students_comparison"])):
            found.append(Observation(f"compared {arm}", members(cells, labelled["arm"] == arm),
                                     None if pd.isna(count) else count))
    for column in GROUPS:
        table = gap_change_by_arm(labelled, column)
        for _, row in table.iterrows():
            in_arm = labelled["arm"] == row["arm"]
            group = in_arm & (labelled[column] == row["group"])
            found.append(Observation(f"gap {row['arm']} {column}={row['group']}", members(cells, group),
                                     None if row["suppressed"] else row["n_group"]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("students, seed", [(3000, 2026), (500, 3)])
def test_no_withheld_count_can_be_worked_out_from_stage_5s_views(students, seed):
    labelled, cells, truth = students_and_cells(generate_district(students, seed=seed))
    shown = observations(labelled, cells)
    report = attack(shown, truth, threshold=10)
    withheld = sum(o.value is None for o in shown)
    print(f"\n{students} students: {withheld} of {len(shown)} counts withheld, {len(report)} distinct; "
          f"exact {int(report['exact'].sum())}, narrowed {int(report['narrowed'].sum())}")
    assert withheld and not report["exact"].any(), report[report["exact"]].head().to_string()
    assert not report["narrowed"].any(), report[report["narrowed"]].head().to_string()
