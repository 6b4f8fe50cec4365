"""The data-source model, without widgets: every action a coach takes in the data check, and every
message it gives."""

import pytest

from kit.apps.data_source import FOLDER, SAMPLE, UPLOADS, DataChoice, open_saved_dataset
from kit.errors import DataError
from kit.io.mapping import LEAVE_OUT
from kit.workspace import load_settings, uploads_dir

SCHOOLS = b"school_id,school_name,level\nSCH1,Cedar,elementary\n"
STUDENTS = b"Student ID,School,Free Lunch,Club\nS1,SCH1,F,chess\nS2,SCH1,N,\nS3,SCH1,F,chess\n"
SCORES = b"Student ID,Subject,Grade,Scale Score\nS1,math,1,400\nS1,math,K,380\nS2,math,K,390\n"


def upload(name: str, content: bytes) -> dict:
    return {"name": name, "content": memoryview(content)}


@pytest.fixture
def choice():
    return DataChoice()


def message(call) -> str:
    with pytest.raises(DataError) as raised:
        call()
    return raised.value.message


def test_a_bad_folder_path_changes_nothing_and_says_the_path_is_on_the_server(choice, tmp_path):
    choice.use_sample()
    before = choice.dataset
    assert message(lambda: choice.use_folder(str(tmp_path / "nope"))) == (
        f"There is no folder {tmp_path / 'nope'} on the server. Check the path (the folder must be on the machine "
        "that runs the kit). The data in use is still the sample district (fictional).")
    assert choice.source == SAMPLE and choice.dataset is before
    assert message(lambda: choice.use_folder("  ")) == "Type the path of the folder that holds your tables first."


def test_the_data_in_use_is_named(choice, tmp_path):
    assert choice.in_use == "the sample district (fictional)"
    choice.use_folder(str(tmp_path))
    assert choice.source == FOLDER and choice.in_use == f"the folder {tmp_path} (on the server)"


def test_a_file_with_errors_is_never_not_provided(choice):
    dataset = choice.add_uploads([upload("schools.csv", b"school_id,school_name,level\nSCH1,Cedar,moon\n")])
    row = dataset.data_check().set_index("table").loc["schools"]
    assert (row["errors"], row["status"], row["file"]) == (1, "not used: fix the errors below", "schools.csv")


def test_kept_uploads_are_listed_and_can_be_removed(choice):
    choice.add_uploads([upload("schools.csv", SCHOOLS)])
    [kept] = choice.kept_uploads()
    assert (kept["table"], kept["file"], kept["size"]) == ("schools", "schools.csv", len(SCHOOLS))
    dataset = choice.remove_upload("schools.csv")
    assert choice.kept_uploads() == [] and not dataset.has("schools")
    assert message(lambda: choice.remove_upload("schools.csv")) == "There is no kept upload called schools.csv."


def test_a_file_whose_name_does_not_tell_gets_its_table_chosen(choice):
    dataset = choice.add_uploads([upload("export 7.csv", SCHOOLS.replace(b"school_name", b"name"))])
    [problem] = [p for p in dataset.problems if p.file == "export 7.csv"]
    assert problem.message == "The kit cannot tell which table export 7.csv holds."
    assert problem.how_to_fix.startswith("Choose the table it holds in the data check, or name the file after")
    assert choice.file("export 7.csv").table == ""
    assert message(lambda: choice.column_options("export 7.csv", "name")) == "Choose which table export 7.csv holds first."
    choice.choose_table("export 7.csv", "schools")
    dataset = choice.map_column("export 7.csv", "name", "school_name")
    assert dataset.has("schools")  # kept as schools.csv, with its mapping
    assert [state.name for state in choice.files()] == ["schools.csv"]
    assert message(lambda: choice.choose_table("schools.csv", "pupils")).startswith("There is no table called pupils;")


def test_any_column_can_be_mapped_the_kits_proposal_first_and_undone(choice):
    choice.add_uploads([upload("students.csv", STUDENTS)])
    options = choice.column_options("students.csv", "School")
    assert options[0] == ("school_id (the kit proposes it)", "school_id")
    assert options[-1] == ("leave this column out", LEAVE_OUT)
    assert {column for _, column in options} >= {"low_income", "grade", "gender"}
    choice.map_column("students.csv", "School", "school_id")
    dataset = choice.map_column("students.csv", "Free Lunch", "low_income")
    assert "low_income" not in dataset.table("students").columns  # F/N wait for the coach
    assert choice.codes_to_explain() == [("students.csv", "low_income")]
    assert choice.codes("students.csv", "low_income")["how"].tolist() == ["to confirm", "to confirm"]
    dataset = choice.explain_codes("students.csv", "low_income", {"F": "yes", "N": "no"})
    assert dataset.table("students")["low_income"].tolist() == [True, False, True]
    dataset = choice.undo()
    assert "low_income" not in dataset.table("students").columns
    dataset = choice.forget("students.csv", "columns", "Free Lunch")
    assert "Free Lunch" in dataset.table("students").columns  # an extra column again: a group


@pytest.mark.parametrize("action, expected", [
    (lambda c: c.map_column("students.csv", "Shoe", "grade"), "students.csv has no column 'Shoe'."),
    (lambda c: c.map_column("students.csv", "Club", "score"), "The students table has no column score."),
    (lambda c: c.explain_codes("students.csv", "low_income", {"F": "maybe"}),
     "'maybe' is not something low_income can mean; choose one of: yes, no, not recorded."),
    (lambda c: c.explain_codes("students.csv", "hours", {"F": "yes"}), "students.csv has no column hours to explain."),
    (lambda c: c.codes("students.csv", "disability"),
     "No column of students.csv is disability yet: say which one is, first."),
    (lambda c: c.choose_group("students.csv", "Shoe", True), "'Shoe' is not a column of a students file."),
    (lambda c: c.file("nothing.csv"), "There is no file called nothing.csv in the data in use."),
    (lambda c: c.forget("students.csv", "colours"), "There is nothing called colours to undo."),
    (lambda c: c.undo(), "There is nothing to undo."),
    (lambda c: c.window_order("assessments"), "The assessments table is not loaded, so it has no windows to order."),
])
def test_each_mistake_gets_a_message(choice, action, expected):
    choice.add_uploads([upload("students.csv", STUDENTS)])
    assert message(lambda: action(choice)) == expected


def test_a_student_group_can_be_chosen_or_dropped(choice):
    choice.add_uploads([upload("students.csv", STUDENTS)])
    choice.map_column("students.csv", "School", "school_id")
    dataset = choice.choose_group("students.csv", "Club", False)
    assert "Club" not in dataset.table("students").columns and "Club" in dataset.attributes("students").columns


def test_the_window_order_is_set_saved_for_this_dataset_and_used_by_every_app(choice):
    choice.add_uploads([upload("scores.csv", SCORES)])
    choice.map_column("scores.csv", "Grade", "window")
    choice.map_column("scores.csv", "Scale Score", "score")
    assert choice.window_order("assessments").labels == ("K", "1")
    assert message(lambda: choice.set_window_order("assessments", ["K", "2"])) == (
        "The assessments table has no window '2'; its windows are K, 1.")
    assert message(lambda: choice.set_window_order("assessments", ["K"])) == "Name each window of assessments once: K, 1."
    dataset = choice.set_window_order("assessments", ["1", "K"])
    assert list(dataset.table("assessments")["window"].cat.categories) == ["1", "K"]
    assert load_settings()["window_orders"] == {UPLOADS: {"assessments": ["1", "K"]}}
    assert open_saved_dataset().window_order("assessments").labels == ("1", "K")
    assert ("", "The windows of assessments are in the order you set: 1, K.", "window_order", "assessments") in \
        choice.mappings_in_words()
    assert choice.forget("", "window_order", "assessments").window_order("assessments").labels == ("K", "1")


def test_a_load_marks_the_model_busy_and_reports_progress(choice):
    busy, progress = [], []
    choice.observe(lambda change: busy.append(change.new), names="busy")
    choice.observe(lambda change: progress.append((change.new, choice.busy)), names="progress")
    choice.add_uploads([upload("schools.csv", SCHOOLS), upload("students.csv", STUDENTS)])
    assert busy == [True, False]
    assert [value for value, _ in progress] == sorted(value for value, _ in progress)
    assert any(0 < value < 1 and during for value, during in progress) and progress[-1] == (1.0, True)


def test_an_empty_upload_is_explained(choice):
    assert message(lambda: choice.add_uploads([])) == "Choose one or more files with the Upload button first."
    assert list(uploads_dir().iterdir()) == []


def test_category_codes_the_kit_does_not_allow_can_be_explained(choice):
    dataset = choice.add_uploads([upload("schools.csv", b"school_id,school_name,level\nSCH1,Cedar,Elem\nSCH2,Oak,high\n")])
    assert dataset.error_count == 1 and choice.codes_not_allowed() == [("schools.csv", "level")]
    assert choice.codes("schools.csv", "level")["how"].tolist() == ["not allowed", "read as it is"]
    dataset = choice.explain_codes("schools.csv", "level", {"Elem": "elementary"})
    assert dataset.table("schools")["level"].tolist() == ["elementary", "high"]
    assert choice.codes_not_allowed() == []


def test_a_column_cannot_be_mapped_before_the_file_has_a_table(choice):
    choice.add_uploads([upload("export 7.csv", b"a,b\n1,2\n")])
    assert message(lambda: choice.map_column("export 7.csv", "a", "school_id")) == (
        "Choose which table export 7.csv holds first.")
    assert message(lambda: choice.codes("gone.csv", "level")) == "There is no file called gone.csv in the data in use."


def test_a_saved_wide_layout_that_no_longer_fits_is_explained():
    from kit.io import open_dataset
    from kit.io.mapping import Mappings
    from kit.io.wide import WideLayout

    content = b"Student ID,Math K,Math 1,Math 2\n1,400,450,500\n"
    layout = WideLayout(("Student ID",), ("Math K", "Science 9"))
    mappings = Mappings().changed("scores_wide.csv", ["Student ID", "Math K", "Math 1", "Math 2"], wide=layout.as_dict())
    dataset = open_dataset([upload("scores_wide.csv", content)], mappings=mappings)
    [problem] = dataset.problems
    assert problem.message == "scores_wide.csv: The file has no column 'Science 9'; choose among its columns."
    assert problem.how_to_fix == "Check how the wide file's columns split, in the data check."


def test_a_column_of_very_many_words_is_not_a_group_by_itself(choice):
    rows = "".join(f"S{i},SCH1,note {i}\n" for i in range(20)).encode()
    dataset = choice.add_uploads([upload("students.csv", b"student_id,school_id,Comment\n" + rows)])
    [problem] = [p for p in dataset.problems if p.column == "Comment"]
    assert problem.message == ("Your column 'Comment' holds text with 20 different values, so it is not used as a "
                               "student group by itself.")
    assert problem.how_to_fix == "Nothing to do, unless 'Comment' is a group of students: then choose it as a group."


def test_the_progress_bar_moves_by_the_size_of_each_file(choice):
    progress = []
    choice.observe(lambda change: progress.append(change.new), names="progress")
    big = b"school_id,school_name,level\n" + b"".join(f"S{i},School {i},high\n".encode() for i in range(2000))
    choice.add_uploads([upload("schools.csv", SCHOOLS), upload("more.csv", big)])
    small_step, big_step = [value for value in progress if 0 < value < 1][:2]
    assert small_step < 0.05 < 0.85 < big_step
