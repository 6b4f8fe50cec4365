"""The disclosure audit on stage 1's and stage 2's views: no withheld count can be worked out, nor
narrowed to a range smaller than the threshold, from everything the views show together."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kit.stages.s1_student_needs import analysis as needs
from tests.privacy.audit import attack, collect_views, decision_observations, stage1_truth


def audit(results, **options):
    observations, links = collect_views(results, **options)
    report = attack(observations, stage1_truth(results), threshold=10, links=links)
    return observations, report


def test_the_sample_districts_decisions_give_no_withheld_count_away_in_any_window(sample):
    """Every window of the sample: every figure of the one decision the views take their
    counts from, with the links between group columns. The views themselves are audited on random
    districts below, and on the sample (every window) by `benchmarks/privacy_audit.py`."""
    results = needs.prepare(sample.table("students"), sample.table("assessments"))
    truth = stage1_truth(results)
    subjects, windows = needs.options(results, "subject"), needs.options(results, "window")
    # Every window of one subject, the latest of the others: each subject and window is decided alike.
    for subject, window in [(subjects[0], w) for w in windows] + [(s, windows[-1]) for s in subjects[1:]]:
        observations, links = decision_observations(results, subject, window)
        report = attack(observations, truth, threshold=10, links=links)
        assert len(report), (subject, window)
        assert not report["exact"].any(), report[report["exact"]].head().to_string()
        assert not report["narrowed"].any(), report[report["narrowed"]].head().to_string()


def random_district(seed: int, schools: int, missing: float, no_grade: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for school in range(schools):
        for grade in rng.choice(["3", "4", "5", "6"], size=rng.integers(1, 4), replace=False):
            size = int(rng.integers(5, 90))
            el = rng.choice(["yes", "no"], p=[0.15, 0.85], size=size).astype(object)
            el[rng.random(size) < missing] = "not recorded"
            race = rng.choice(["A", "B", "C", "D"], p=[0.5, 0.3, 0.15, 0.05], size=size)
            for index in range(size):
                rows.append({"student_id": f"{school}-{grade}-{index}", "school_id": f"S{school}", "grade": grade,
                             "english_learner": el[index], "race_ethnicity": race[index]})
    students = pd.DataFrame(rows)
    students["english_learner"] = students["english_learner"].replace("not recorded", None)
    students.loc[rng.random(len(students)) < no_grade, "grade"] = None  # a grade the export left out
    assessments = pd.DataFrame({"student_id": students["student_id"], "subject": "math", "window": "spring",
                                "score": rng.normal(200, 15, len(students)), "proficient": rng.random(len(students)) < 0.6})
    return needs.prepare(students, assessments)


DISTRICTS = dict(seed=st.integers(0, 10_000), schools=st.integers(2, 4), missing=st.sampled_from([0.0, 0.03, 0.1]),
                 no_grade=st.sampled_from([0.0, 0.05, 1.0]))


@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(**DISTRICTS)
@example(seed=11, schools=3, missing=0.03, no_grade=0.0).via("a grade's total given away by the district, a school and a grade")
@example(seed=11, schools=3, missing=0.03, no_grade=0.05).via("a few students with no grade")
@example(seed=12, schools=2, missing=0.0, no_grade=1.0).via("an export with no grade at all")
def test_random_districts_give_no_withheld_count_away(seed, schools, missing, no_grade):
    """Every view together (results, gaps with their reference counts, the heat map, links between
    group columns): slow, so a few districts; the decision itself is tried on many more below."""
    results = random_district(seed, schools, missing, no_grade)
    _, report = audit(results, with_needs=False)
    assert not report["exact"].any(), report[report["exact"]].head().to_string()
    assert not report["narrowed"].any(), report[report["narrowed"]].head().to_string()


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(**DISTRICTS)
@example(seed=11, schools=3, missing=0.03, no_grade=0.0).via("a grade's total given away by the district, a school and a grade")
def test_random_districts_decisions_give_no_withheld_count_away(seed, schools, missing, no_grade):
    """Every figure of the one decision the views take their counts from, shown or withheld, with
    the links between group columns: the attacker's linear program on more districts."""
    results = random_district(seed, schools, missing, no_grade)
    observations, links = decision_observations(results, "math", "spring")
    report = attack(observations, stage1_truth(results), threshold=10, links=links)
    assert len(report)
    assert not report["exact"].any(), report[report["exact"]].head().to_string()
    assert not report["narrowed"].any(), report[report["narrowed"]].head().to_string()


def with_two_subjects_and_windows(results: pd.DataFrame, seed: int, drop: float, untested_grade: str | None):
    """`results`' students with a score in math and reading, fall and spring, a share `drop` of the scores
    missing at random, and reading not tested in `untested_grade`."""
    rng = np.random.default_rng(seed)
    students = results[["student_id", "school_id", "grade", "english_learner", "race_ethnicity"]].astype(object)
    students = students.where(students != "not recorded", None).drop_duplicates("student_id")
    keys = [(subject, window) for subject in ("math", "reading") for window in ("fall", "spring")]
    scores = pd.concat([students[["student_id", "grade"]].assign(subject=subject, window=window) for subject, window in keys])
    scores = scores[(rng.random(len(scores)) >= drop) & ~((scores["subject"] == "reading") & (scores["grade"] == untested_grade))]
    scores = scores.drop(columns="grade").assign(score=rng.normal(200, 15, len(scores)), proficient=rng.random(len(scores)) < 0.6)
    return needs.prepare(students.astype({"grade": object}), scores), keys


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(**DISTRICTS, drop=st.sampled_from([0.02, 0.1, 0.3]), untested=st.sampled_from([None, "4"]))
def test_random_districts_decided_together_give_nothing_away_and_equal_counts_share_a_fate(
        seed, schools, missing, no_grade, drop, untested):
    """Subjects and windows with a few scores missing (and reading not tested in one grade) are decided
    together or, holding other grades, apart with equal counts forced alike: each one's figures give no
    withheld count away, and a figure with the same count in two of them has the same fate."""
    from itertools import combinations

    from kit.privacy.cube import attached

    results, keys = with_two_subjects_and_windows(random_district(seed, schools, missing, no_grade), seed, drop,
                                                  untested)
    decisions, truth = attached(results), stage1_truth(results)
    present = set(map(tuple, results.loc[results["score"].notna(), ["subject", "window"]].astype(str).to_numpy()))
    keys = [key for key in keys if key in present]
    for key in keys:
        observations, links = decision_observations(results, *key)
        report = attack(observations, truth, threshold=10, links=links)
        assert not report["exact"].any() and not report["narrowed"].any(), (key, report[report["narrowed"]].head())
    for column in ("english_learner", "race_ethnicity"):
        for one, other in combinations([decisions.groups(key, column).table for key in keys], 2):
            pair = one.merge(other, on=["school_id", "grade", "group"], suffixes=("_1", "_2"))
            same = pair[(pair["n_1"] == pair["n_2"]) & (pair["n_1"] > 0)]
            assert (same["withheld_1"] == same["withheld_2"]).all(), same[same["withheld_1"] != same["withheld_2"]]


def stage2_access_views(sample):
    """Stage 2's equity-of-access view for every group a coach can choose, as the audit's observations:
    microcells are the educators who teach the group and those who do not, for each choice; every
    rostered educator is counted once in each choice, a total stage 2 shows."""
    from kit.stages.s2_professional_learning.analysis import participation as access
    from tests.privacy.audit import Observation

    per_educator = access.hours_per_educator(sample.table("educators"), sample.table("learning_activities"),
                                             sample.table("attendance"))
    students, rosters = sample.table("students"), sample.table("rosters")
    observations, truth = [], {}
    rostered = per_educator[per_educator["educator_id"].isin(rosters["educator_id"].astype(str))]
    for label, column, value in access.group_choices(students):
        table = access.access_by_group(per_educator, students, rosters, column, value)
        teaching = access.educators_teaching(students, rosters, column, value, 10)
        joined = rostered.merge(teaching, on="educator_id")
        cells = ((label, "teach"), (label, "others"))
        truth[cells[0]], truth[cells[1]] = int(joined["teaches_group"].sum()), int((~joined["teaches_group"]).sum())
        observations.append(Observation(f"{label} total", cells, float(len(joined)), block=label))
        for cell, n in zip(cells, table["educators"]):
            observations.append(Observation(f"{label} {cell[1]}", (cell,), None if pd.isna(n) else float(n), block=label))
    return observations, truth


def test_stage_2_access_view_gives_no_withheld_educator_count_away(sample):
    observations, truth = stage2_access_views(sample)
    report = attack(observations, truth, threshold=5)
    assert not report["exact"].any() and not report["narrowed"].any()


def test_every_subject_and_window_of_the_same_students_withholds_alike_when_a_few_scores_are_missing():
    """Each subject and window counts mostly the same students (the generated district keeps each
    student in one grade): a figure with the same count in two of them is withheld in both or in
    neither (else a reader taking the counts to be equal subtracts across subjects or windows), and
    each one's figures still give no withheld count away."""
    from itertools import combinations

    from kit.io import open_dataset
    from kit.privacy.cube import attached
    from kit.sample import generate_district

    tables = generate_district(1500, seed=2)
    assessments = tables["assessments"]
    missing = np.random.default_rng(2).random(len(assessments)) < 0.03
    dataset = open_dataset({"students": tables["students"], "assessments": assessments[~missing]})
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    decisions, windows = attached(results), needs.options(results, "window")
    keys = [(subject, window) for subject in needs.options(results, "subject") for window in windows]
    compared = 0
    for column in needs.result_group_columns(results):
        tables_ = {key: decisions.groups(key, column).table for key in keys}
        for one, other in combinations(keys, 2):
            pair = tables_[one].merge(tables_[other], on=["school_id", "grade", "group"], suffixes=("_1", "_2"))
            same = pair[pair["n_1"] == pair["n_2"]]
            assert (same["withheld_1"] == same["withheld_2"]).all(), (one, other, same[same["withheld_1"] != same["withheld_2"]])
            compared += len(same)
        assert any((tables_[keys[0]]["n"] != tables_[key]["n"]).any() for key in keys)  # the counts do differ
    assert compared
    truth = stage1_truth(results)
    for subject, window in [keys[0], keys[-1]]:
        observations, links = decision_observations(results, subject, window)
        report = attack(observations, truth, threshold=10, links=links)
        assert not report["exact"].any() and not report["narrowed"].any(), report[report["narrowed"]].head()


def test_windows_of_different_students_are_decided_apart():
    """Where each window's students are in another grade (a grade per assessment, a year apart), the
    windows share no cells and are decided apart; each subject of a window is still linked."""
    from kit.privacy.cube import CubeDecisions

    frame = pd.DataFrame({"student": [f"S{i}" for i in range(40)] * 4,
                          "school": "A", "grade": ["3"] * 40 + ["4"] * 40 + ["3"] * 40 + ["4"] * 40,
                          "subject": ["math"] * 80 + ["reading"] * 80,
                          "window": (["2024-25 spring"] * 40 + ["2025-26 spring"] * 40) * 2, "score": 1.0})
    decisions = CubeDecisions(frame, filters=["school", "grade"], by=["subject", "window"], counted="score",
                              people="student")
    assert decisions._linked_keys()[("math", "2024-25 spring")] == [("math", "2024-25 spring"),
                                                                     ("reading", "2024-25 spring")]


def test_linked_decisions_withhold_a_rare_group_with_the_same_partner():
    """A rare group (two nonbinary students a school) is withheld with a partner; where female and male
    are about the same size and swap places between the subjects, both subjects still take the same
    partner (deciding each apart, math took male and reading female, and a figure withheld in either
    is withheld in both: every school's row of all three), so the other group stays shown."""
    from kit.privacy.cube import CubeDecisions

    rows = []
    for school in "ABCDEF":  # 12 nonbinary students in all: the district's row is shown
        for number, gender in enumerate(["female"] * 30 + ["male"] * 30 + ["nonbinary"] * 2):
            student = f"{school}{number}"
            if not (gender == "male" and number == 30):  # one male a school without a math score
                rows.append((student, school, gender, "math"))
            if not (gender == "female" and number < 2):  # two females a school without a reading score
                rows.append((student, school, gender, "reading"))
    frame = pd.DataFrame(rows, columns=["student", "school", "gender", "subject"]).assign(window="fall", score=1.0)
    decisions = CubeDecisions(frame, filters=["school"], by=["subject", "window"], counted="score", people="student")
    for subject in ("math", "reading"):
        table = decisions.groups((subject, "fall"), "gender").table
        schools = table[(table["school"] != "*") & (table["group"] != "*")]
        withheld = schools.groupby("group")["withheld"].all()
        assert withheld["nonbinary"] and withheld.sum() == 2, (subject, withheld)
        assert (~schools.groupby("group")["withheld"].any()).sum() == 1, subject  # the other group: every school shown


def test_stage_6_series_by_window_withhold_what_stage_1_withholds_in_each_window():
    """Stage 6 charts each group's results window by window; each point is stage 1's district figure
    for that window, so it is withheld exactly where stage 1's one decision withholds it (this district
    withholds two large race groups at district level to protect small cells below them: shown in
    stage 6, they would undo that)."""
    from kit.analysis import equity
    from kit.io import open_dataset
    from kit.sample import generate_district
    from kit.stages.s6_continuous_improvement.analysis import series

    tables = generate_district(3000, seed=1)
    dataset = open_dataset({"students": tables["students"], "assessments": tables["assessments"]})
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    compared = withheld = 0
    for column in needs.result_group_columns(results):
        shown = series.student_results_series(results, subject="math", group_column=column)
        for window in needs.options(results, "window"):
            stage1 = needs.results_by_group(needs.select(results, subject="math", window=window), column)
            for _, row in stage1.iterrows():
                name = f"math, {equity.group_label(column, row['group'])}: "
                point = shown[shown["series"].str.startswith(name) & (shown["label"] == window)]
                assert len(point) == 1 and bool(point["suppressed"].iloc[0]) == bool(row["suppressed"]), (column, window, row)
                compared += 1
                withheld += bool(row["suppressed"])
    assert compared and withheld


def test_stage_5_withholds_every_group_stage_1_withholds_for_all_schools_in_its_two_windows():
    """Stage 5's growth counts the students with both windows' scores: where every student has both,
    a group's count there is stage 1's count for that group. So a group stage 1 withholds for all
    schools and grades (here two large race groups, to protect small cells below them) is withheld in
    stage 5's growth by group and in every arm of its gap table too."""
    from kit.io import open_dataset
    from kit.sample import generate_district
    from kit.stages.s5_student_results.models import StudentResultsModel

    dataset = open_dataset(generate_district(3000, seed=1))
    model = StudentResultsModel(None, dataset)
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    stage_1 = set()
    for window in (model.before, model.after):
        table = needs.results_by_group(needs.select(results, subject=model.subject, window=window), "race_ethnicity")
        stage_1 |= set(table.loc[table["suppressed"] & (table["group"] != "all students"), "group"])
    assert stage_1  # the district this test is about
    model.group = model.growth_view = "race_ethnicity"
    growth = model.growth_table.set_index("group")
    assert growth.loc[sorted(stage_1), "suppressed"].all() and growth.loc[sorted(stage_1), "n"].isna().all()
    gaps = model.gaps[model.gaps["group"].isin(stage_1)]
    assert len(gaps) and gaps["suppressed"].all() and gaps["n_group"].isna().all()


def test_stage_4_access_counts_take_stage_1s_fate_where_the_counts_are_the_same():
    """In the sample every student has a teacher observed, so stage 4's access table counts each
    school's groups exactly as stage 1 does over all grades. A count shown in one and withheld in the
    other would let a reader subtract (SCH01: 504 students, 217 female in stage 1, 281 male in stage 4,
    so 6 nonbinary): each such figure now has stage 1's fate."""
    from kit.analysis import equity
    from kit.io import open_sample
    from kit.privacy.cube import ALL
    from kit.stages.s4_educator_practice import analysis as practice
    from kit.stages.s4_educator_practice.models import PracticeModel

    sample = open_sample()
    model = PracticeModel(dataset=sample)
    results = needs.prepare(sample.table("students"), sample.table("assessments"))
    frame = practice.student_access(sample.table("rosters"), sample.table("students"), model.levels, term=model.term)
    compared = 0
    for column in ("gender", "race_ethnicity"):
        model.group = column
        shown = model.access[model.access["school_id"] != "all schools"]
        counts = pd.DataFrame({"school_id": frame["school_id"].astype(str),
                               "group": equity.group_values(frame[column]).to_numpy()}).value_counts().rename("count")
        shown = shown.assign(hidden=shown["n"].isna())[["school_id", "group", "hidden"]].merge(
            counts.reset_index(), on=["school_id", "group"])
        figures = needs.decided_figures(results, column)
        figures = figures[(figures["grade"] == ALL) & (figures["school_id"] != ALL) & (figures["group"] != ALL)]
        same = shown.merge(figures, on=["school_id", "group"]).query("count == n")
        assert (same["hidden"] == same["withheld"]).all(), same[same["hidden"] != same["withheld"]].head()
        compared += len(same)
    assert compared


def test_an_attacker_with_stages_1_4_and_5_together_recovers_no_withheld_count():
    """The attacker reads every count of stage 1's decision for one subject and window, every count
    stage 4's access table shows and every count of stage 5's growth by group, school and grade, as sums
    of the same students (in the sample each is a stage 1 count: the test checks it), and solves them
    together."""
    from kit.io import open_sample
    from kit.stages.s4_educator_practice.models import PracticeModel
    from kit.stages.s5_student_results.models import StudentResultsModel
    from tests.privacy.audit import Observation

    sample = open_sample()
    results = needs.prepare(sample.table("students"), sample.table("assessments"))
    growth = StudentResultsModel(None, sample)
    subject, window = growth.subject, growth.after
    observations, links = decision_observations(results, subject, window)
    truth = stage1_truth(results)
    places = sorted({key[3:5] for key in truth if key[:2] == (subject, window)})  # each school's grades
    labels = {column: sorted({key[5] for key in truth if key[2] == column}) for column in ("gender", "race_ethnicity")}

    def observe(stage, column, school, grade, group, n):
        members = tuple((subject, window, column, *place, label) for place in places
                        for label in (labels[column] if group is None else [group])
                        if school in (None, place[0]) and grade in (None, place[1]))
        assert sum(truth.get(key, 0) for key in members) == n  # the same students as stage 1's figure
        observations.append(Observation(f"{stage} {school}/{grade}/{column}={group}", members, float(n), (subject, window)))

    access = PracticeModel(dataset=sample)
    for column in labels:
        access.group = column
        for school, group, n in access.access[["school_id", "group", "n"]].itertuples(index=False):
            if pd.notna(n):
                observe("stage 4", column, None if school == "all schools" else school, None, group, n)
        growth.growth_view = column
        for group, n in growth.growth_table[["group", "n"]].itertuples(index=False):
            if pd.notna(n) and group != "all students":
                observe("stage 5", column, None, None, group, n)
    for view in ("school_id", "grade"):
        growth.growth_view = view
        for value, n in growth.growth_table[["group", "n"]].itertuples(index=False):
            if pd.notna(n) and value != "all students":
                observe("stage 5", "gender", value if view == "school_id" else None,
                        value if view == "grade" else None, None, n)
    assert len(observations) > 600
    report = attack(observations, truth, threshold=10, links=links)
    assert not report["exact"].any() and not report["narrowed"].any(), report[report["narrowed"]].head()


def test_a_subject_tested_in_fewer_grades_is_decided_on_its_own():
    """Science tested in grade 4 only holds other schools and grades than math: one decision for both
    would hold no proof for math's grade 3 (science has none of it), so each subject is decided alone,
    and math's grade 3 stays shown."""
    from kit.privacy.cube import CubeDecisions

    math = pd.DataFrame({"student": [f"S{i}" for i in range(80)], "grade": ["3"] * 40 + ["4"] * 40, "subject": "math"})
    science = math[math["grade"] == "4"].assign(subject="science")
    frame = pd.concat([math, science], ignore_index=True).assign(school="A", window="spring", score=1.0)
    decisions = CubeDecisions(frame, filters=["school", "grade"], by=["subject", "window"], counted="score",
                              people="student")
    assert decisions._linked_keys()[("math", "spring")] == [("math", "spring")]
    assert not decisions.totals(("math", "spring")).withheld(school="A", grade="3")


def test_figures_with_the_same_count_in_a_subject_tested_in_fewer_grades_have_the_same_fate():
    """Reading tested in grades 3, 5 and 8 only is decided apart from math (other schools and grades),
    but its students are math's in those grades: a figure with the same count in both is withheld in
    both or in neither (144 English-learner figures differed before), and each one's figures still
    give no withheld count away."""
    from itertools import combinations

    from kit.io import open_dataset
    from kit.privacy.cube import attached
    from kit.sample import generate_district

    tables = generate_district(3000, seed=3)
    scores = tables["assessments"].merge(tables["students"][["student_id", "grade"]], on="student_id")
    kept = ~((scores["subject"] == "reading") & ~scores["grade"].astype(str).isin(["3", "5", "8"]))
    dataset = open_dataset({"students": tables["students"], "assessments": scores[kept].drop(columns="grade")})
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    decisions, window = attached(results), needs.options(results, "window")[-1]
    assert decisions._linked_keys()[("math", window)] != decisions._linked_keys()[("reading", window)]
    keys = [(subject, window) for subject in ("math", "reading")]
    compared = 0
    for column in ("english_learner", "disability"):
        for one, other in combinations([decisions.groups(key, column).table for key in keys], 2):
            pair = one.merge(other, on=["school_id", "grade", "group"], suffixes=("_1", "_2"))
            same = pair[(pair["n_1"] == pair["n_2"]) & (pair["n_1"] > 0)]
            assert (same["withheld_1"] == same["withheld_2"]).all(), same[same["withheld_1"] != same["withheld_2"]]
            compared += len(same)
    assert compared
    truth = stage1_truth(results)
    for subject, window_ in keys:
        observations, links = decision_observations(results, subject, window_)
        report = attack(observations, truth, threshold=10, links=links)
        assert not report["exact"].any() and not report["narrowed"].any(), report[report["narrowed"]].head()
