"""A district export as it comes (kit/sample_export.py) loads through the data-source model's public
actions alone: table choice, column mapping, code confirmation, reshaping a wide file, window order.
Stage 1's figures on it equal an independent pandas computation on the export's own files."""

from pathlib import Path

import pandas as pd
import pytest

from kit.apps.data_source import DataChoice
from kit.io.problems import Check
from kit.sample_export import EXPORT_GRADES, FREE_LUNCH, write_export
from kit.stages.s1_student_needs import analysis as needs

STUDENTS = 600


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    write_export(folder, n_students=STUDENTS, seed=7)
    return folder


def uploads(export: Path, *names: str) -> list[dict]:
    return [{"name": f"{name}.csv", "content": memoryview((export / f"{name}.csv").read_bytes())} for name in names]


def file_holding(choice: DataChoice, table: str) -> str:
    [name] = [state.name for state in choice.files() if state.table == table]
    return name


def map_like_a_coach(choice: DataChoice) -> None:
    """What a coach does in the data check for this export: every step is a public action."""
    for table, header, column in [("students", "School", "school_id"), ("students", "Ethnicity", "race_ethnicity"),
                                  ("students", "Free Lunch", "low_income"), ("educators", "Teacher ID", "educator_id"),
                                  ("educators", "School", "school_id"), ("rosters", "Teacher ID", "educator_id"),
                                  ("rosters", "Grade", "term")]:
        choice.map_column(file_holding(choice, table), header, column)
    choice.explain_codes(file_holding(choice, "students"), "low_income", {FREE_LUNCH: "yes", "N": "no"})


@pytest.fixture(scope="module")
def long_workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def long_choice(export, long_workspace):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIT_WORKSPACE", str(long_workspace))
        choice = DataChoice()
        choice.add_uploads(uploads(export, "students", "teachers", "classes", "scores_long"))
        map_like_a_coach(choice)
        scores = file_holding(choice, "assessments")
        choice.map_column(scores, "Grade", "window")
        choice.map_column(scores, "Scale Score", "score")
        yield choice


@pytest.fixture(scope="module")
def wide_choice(export, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIT_WORKSPACE", str(tmp_path_factory.mktemp("workspace")))
        choice = DataChoice()
        choice.add_uploads(uploads(export, "students", "teachers", "classes", "scores_wide"))
        map_like_a_coach(choice)
        problem = next(p for p in choice.dataset.problems if p.check == Check.WIDE_FILE)
        assert problem.message == ("scores_wide.csv has a column for each subject or window (Math K, Math 1, Math 2, "
                                   "...): a wide score file. The kit can turn it into one row per student, subject "
                                   "and window.")
        layout = choice.wide_proposal("scores_wide.csv")
        assert layout.id_columns == ("Student ID",)
        preview = choice.wide_preview("scores_wide.csv", layout)
        assert list(preview.columns) == ["Student ID", "subject", "window", "score"]
        choice.set_wide_layout("scores_wide.csv", layout)
        yield choice


def independent_means(export: Path, subject: str, grade: str) -> pd.DataFrame:
    """Mean scale score and n by free lunch, straight from the export's files with pandas."""
    students = pd.read_csv(export / "students.csv", dtype=str)
    scores = pd.read_csv(export / "scores_long.csv", dtype=str)
    joined = scores.merge(students, on="Student ID")
    chosen = joined[(joined["Subject"] == subject) & (joined["Grade"] == grade)]
    chosen = chosen.assign(score=chosen["Scale Score"].astype(float),
                           group=chosen["Free Lunch"].map({FREE_LUNCH: "yes", "N": "no"}))
    by_group = chosen.groupby("group")["score"].agg(["count", "mean"])
    by_group.loc["all students"] = [len(chosen), chosen["score"].mean()]
    return by_group


@pytest.mark.parametrize("which", ["long_choice", "wide_choice"])
def test_the_export_loads_with_no_errors_and_nothing_left_to_explain(which, request):
    choice = request.getfixturevalue(which)
    dataset = choice.dataset
    assert dataset.error_count == 0
    assert set(dataset.tables) == {"students", "educators", "rosters", "assessments"}
    assert choice.codes_to_explain() == []
    assert dataset.tables["students"]["low_income"].notna().all()


@pytest.mark.parametrize("which", ["long_choice", "wide_choice"])
def test_grades_used_as_windows_are_in_school_order_though_k_rows_come_last(which, request):
    order = request.getfixturevalue(which).dataset.window_order("assessments")
    assert order.labels == EXPORT_GRADES and not order.guessed


@pytest.mark.parametrize("which", ["long_choice", "wide_choice"])
@pytest.mark.parametrize("subject, grade", [("Math", "3"), ("Reading", "K"), ("Math", "1")])
def test_stage_one_means_by_free_lunch_equal_an_independent_computation(which, subject, grade, request, export):
    dataset = request.getfixturevalue(which).dataset
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    shown = needs.results_by_group(needs.select(results, subject=subject, window=grade), "low_income",
                                   min_group_size=dataset.min_group_size).set_index("group")
    expected = independent_means(export, subject, grade)
    for group in ("no", "yes", "all students"):
        assert shown.loc[group, "n"] == expected.loc[group, "count"]
        assert shown.loc[group, "mean_score"] == pytest.approx(expected.loc[group, "mean"])


def test_a_need_since_an_earlier_grade_reads_forwards(long_choice):
    dataset = long_choice.dataset
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    assert needs.earlier_window(needs.options(results, "window"), "3") == "2"
    assert needs.options(results, "window") == list(EXPORT_GRADES)


def test_attributes_to_compare_by_are_kept(long_choice):
    dataset = long_choice.dataset
    rosters = dataset.attributes("rosters")
    assert set(rosters["Class Type"]) == {"small", "regular"}
    assert list(rosters.columns[:4]) == ["student_id", "educator_id", "subject", "term"]
    assert set(dataset.attributes("educators")["Degree"]) == {"Bachelors", "Masters"}
    assert "Birth Year" in dataset.attributes("students").columns


def test_a_birth_year_is_not_a_student_group_by_itself(long_choice):
    students = long_choice.dataset.table("students")
    assert "Birth Year" not in students.columns
    [problem] = [p for p in long_choice.dataset.problems if p.check == Check.NOT_A_GROUP]
    assert problem.message.startswith("Your column 'Birth Year' holds numbers with ")
    assert problem.message.endswith(" different values, so it is not used as a student group by itself.")


def test_each_student_is_in_a_different_class_each_grade(long_choice, export):
    rosters = long_choice.dataset.table("rosters")
    assert set(rosters["term"]) == set(EXPORT_GRADES)
    assert set(rosters["subject"]) == {"all subjects"}
    moved = rosters.groupby("student_id")["educator_id"].nunique()
    assert (moved > 1).mean() > 0.9


def test_the_mapping_and_codes_are_remembered_for_the_next_session(long_choice, long_workspace, monkeypatch):
    monkeypatch.setenv("KIT_WORKSPACE", str(long_workspace))
    fresh = DataChoice()  # a new session on the same workspace
    dataset = fresh.reopen()
    assert dataset.error_count == 0 and dataset.tables["students"]["low_income"].notna().all()
    words = [sentence for _, sentence, _, _ in fresh.mappings_in_words()]
    assert "Your column 'Free Lunch' is low_income." in words
    assert "In low_income, 'F' means yes and 'N' means no." in words


def test_each_students_grade_is_their_latest_window_when_the_windows_are_grades(long_choice, export):
    dataset = long_choice.dataset
    scores = pd.read_csv(export / "scores_long.csv", dtype=str)
    latest = scores.assign(place=scores["Grade"].map(EXPORT_GRADES.index)).sort_values("place") \
        .drop_duplicates("Student ID", keep="last").set_index("Student ID")["Grade"]
    students = dataset.table("students").set_index("student_id")["grade"]
    assert students.to_dict() == latest.reindex(students.index).to_dict()
    assert any(p.message == "The students table has no grade; each student's grade is taken from the assessments' "
               "windows, which are grades, in the latest window." for p in dataset.problems)
