"""The disclosure audit on the views stages 3 and 4 add: educators' change by group (stage 3, educators'
threshold) and students' access to effective practice by school and group (stage 4). Each view's
counts go to the same attacker as stage 1's (`tests.privacy.audit.attack`)."""

import pandas as pd

from kit.privacy import EDUCATORS, STUDENTS
from tests.privacy.audit import Observation, attack


def access_views(sample, group: str):
    """Stage 4's access view for one group column: every school's and the district's count per group,
    over microcells (school, group) of students with an observed educator."""
    from kit.stages.s4_educator_practice.analysis import access_by_group, student_access

    rosters, students = sample.table("rosters"), sample.table("students")
    educators = sorted(rosters["educator_id"].astype(str).unique())
    levels = pd.DataFrame({"educator_id": educators,
                           "implementation": ["at or above the line", "below the line"] * (len(educators) // 2)
                           + ["below the line"] * (len(educators) % 2)})
    frame = student_access(rosters, students, levels)
    from kit.analysis import equity

    labels = equity.group_values(frame[group])
    truth = pd.Series(1, index=frame.index).groupby([frame["school_id"].astype(str), labels]).sum().to_dict()
    every = sorted(set(labels))
    schools = sorted(frame["school_id"].astype(str).unique())
    table = access_by_group(rosters, students, levels, group)
    observations = []
    for school, label, n in zip(table["school_id"], table["group"], table["n"]):
        members = tuple((s, label) for s in (schools if school == "all schools" else [school]))
        observations.append(Observation(f"{school}/{group}={label}", members, None if pd.isna(n) else float(n), group))
    return observations, {key: int(v) for key, v in truth.items()}, every


def test_stage_4_access_by_school_gives_no_withheld_student_count_away(sample):
    found = []
    for group in ("english_learner", "disability", "race_ethnicity", "low_income", "gender"):
        observations, truth, _ = access_views(sample, group)
        report = attack(observations, truth, threshold=STUDENTS.min_group_size)
        found.append(report[report["exact"] | report["narrowed"]])
    leaks = pd.concat(found)
    assert leaks.empty, leaks.head(10).to_string()


def test_stage_3_change_by_group_gives_no_withheld_educator_count_away(sample):
    """Every grouping the coach can choose, every measure: groups' counts and all educators'."""
    from kit.stages.s3_educator_learning.analysis import GROUPINGS, change_by_measure, educator_groups, measure_windows
    from kit.stages.s3_educator_learning.analysis.change import ALL_EDUCATORS, paired_shares

    measures = sample.table("educator_measures")
    groups = educator_groups(sample.table("educators"), sample.table("learning_activities"), sample.table("attendance"))
    windows = measure_windows(measures)
    before, after = windows[0], windows[-1]
    pairs = paired_shares(measures, before, after).merge(groups, on="educator_id", how="left")
    found = []
    for by in GROUPINGS:
        table = change_by_measure(measures, before, after, groups=groups, by=by)
        labels = pairs[by].fillna("not recorded").astype(str)
        truth = pairs.groupby(["measure", labels]).size().to_dict()
        every = sorted(set(labels))
        observations = []
        for measure, label, n in zip(table["measure"], table["group"], table["n"]):
            members = tuple((measure, k) for k in (every if label == ALL_EDUCATORS else [label]))
            observations.append(Observation(f"{by}/{measure}={label}", members, None if pd.isna(n) else float(n), (by, measure)))
        report = attack(observations, {k: int(v) for k, v in truth.items()}, threshold=EDUCATORS.min_group_size)
        found.append(report[report["exact"] | report["narrowed"]])
    leaks = pd.concat(found)
    assert leaks.empty, leaks.head(10).to_string()
