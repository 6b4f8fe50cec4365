"""Loading a coach's files: each kind of bad input gets its own clear message, good input loads."""

import io

import pandas as pd
import pytest

from kit.errors import DataError
from kit.io import Check, load_table, open_dataset, open_sample, problems_frame
from kit.io.reading import read_bytes

SCHOOLS = b"school_id,school_name,level\nSCH1,Cedar Elementary,elementary\nSCH2,Maple Middle,middle\n"
STUDENTS = (b"student_id,school_id,grade,english_learner\n"
            b"S1,SCH1,K,yes\nS2,SCH1,4,no\nS3,SCH2,7,\n")


def only_problem(loaded, check):
    found = [problem for problem in loaded.problems if problem.check == check]
    assert found, f"no {check} among {[p.message for p in loaded.problems]}"
    return found[0]


def test_the_sample_district_loads_with_no_problems_at_all():
    dataset = open_sample()
    assert dataset.problems == []
    assert set(dataset.data_check()["status"]) == {"ready"}
    assert len(dataset.table("students")) == 3000


def test_a_good_table_loads_with_typed_columns_and_spreadsheet_row_numbers():
    loaded = load_table(STUDENTS, "students.csv", "students")
    assert loaded.ok and loaded.problems == []
    frame = loaded.frame
    assert list(frame.index) == [2, 3, 4]
    assert frame.loc[2, "english_learner"] is True or frame.loc[2, "english_learner"] == True  # noqa: E712
    assert pd.isna(frame.loc[4, "english_learner"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_delimiters_a_spreadsheet_may_write(encoding, delimiter):
    text = f"school_id{delimiter}school_name{delimiter}level\nSCH1{delimiter}École Séverine{delimiter}high\n"
    loaded = load_table(text.encode(encoding), "schools.csv", "schools")
    assert loaded.ok, [problem.message for problem in loaded.problems]
    assert loaded.frame.loc[2, "school_name"] == "École Séverine"


def test_excel_workbook_loads_from_its_first_sheet():
    buffer = io.BytesIO()
    pd.DataFrame({"school_id": ["SCH1"], "school_name": ["Cedar"], "level": ["High"]}).to_excel(buffer, index=False)
    loaded = load_table(buffer.getvalue(), "schools.xlsx", "schools")
    assert loaded.ok
    assert loaded.frame.loc[2, "level"] == "high"


def test_empty_file():
    problem = only_problem(load_table(b"", "students.csv", "students"), Check.EMPTY)
    assert problem.message == "students.csv is empty."


def test_header_but_no_rows():
    problem = only_problem(load_table(b"student_id,school_id,grade\n\n", "students.csv", "students"), Check.EMPTY)
    assert problem.message == "students.csv has a header row but no rows of data."


@pytest.mark.parametrize("content, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
])
def test_a_document_or_image_renamed_to_csv(content, kind):
    problem = only_problem(load_table(content, "students.csv", "students"), Check.NOT_A_TABLE)
    assert problem.message == f"students.csv is {kind}, not a table."
    assert "save it as CSV" in problem.how_to_fix


def test_binary_noise_is_not_a_table():
    problem = only_problem(load_table(bytes(range(256)) * 20, "students.csv", "students"), Check.NOT_A_TABLE)
    assert "not a table" in problem.message


def test_a_zip_that_is_not_a_workbook():
    problem = only_problem(load_table(b"PK\x03\x04garbage", "students.xlsx", "students"), Check.NOT_A_TABLE)
    assert "not an Excel workbook" in problem.message


def test_missing_required_column_names_it_and_how_to_fix():
    loaded = load_table(b"student_id,grade\nS1,4\n", "students.csv", "students")
    assert not loaded.ok
    problem = only_problem(loaded, Check.MISSING_COLUMN)
    assert (problem.column, problem.message) == ("school_id", "No column named school_id (The school's code.).")
    assert "template" in problem.how_to_fix


def test_headers_match_ignoring_case_and_spaces():
    loaded = load_table(b" Student ID ,SCHOOL_ID,Grade\nS1,SCH1,4\n", "students.csv", "students")
    assert loaded.ok
    assert list(loaded.frame.columns[:3]) == ["student_id", "school_id", "grade"]


def test_a_near_miss_header_is_proposed_and_loads_once_confirmed():
    content = b"stu_id,school_id,grade\nS1,SCH1,4\n"
    loaded = load_table(content, "students.csv", "students")
    assert not loaded.ok
    assert loaded.headers.proposed == {"stu_id": "student_id"}
    assert only_problem(loaded, Check.MISSING_COLUMN).message == \
        "No column named student_id; your column 'stu_id' may be it."
    confirmed = load_table(content, "students.csv", "students", confirmed={"stu_id": "student_id"})
    assert confirmed.ok and confirmed.frame.loc[2, "student_id"] == "S1"


def test_a_misspelt_header_is_proposed():
    loaded = load_table(b"studnet_id,school_id,grade\nS1,SCH1,4\n", "students.csv", "students")
    assert loaded.headers.proposed == {"studnet_id": "student_id"}


def test_wrong_type_names_the_row_and_column():
    content = b"student_id,subject,window,score\nS1,math,fall,212\nS2,math,fall,twelve\n"
    problem = only_problem(load_table(content, "assessments.csv", "assessments"), Check.WRONG_TYPE)
    assert (problem.row, problem.column, problem.value) == (3, "score", "twelve")
    assert problem.message == "score 'twelve' is not a number."


def test_out_of_range_value():
    content = b"educator_id,window," + ",".join(f"q{n}" for n in range(1, 36)).encode() + b"\n"
    content += b"E1,fall," + b",".join([b"3"] * 34 + [b"9"]) + b"\n"
    problem = only_problem(load_table(content, "concerns.csv", "concerns"), Check.OUT_OF_RANGE)
    assert (problem.row, problem.column) == (2, "q35")
    assert problem.message == "q35 9 is outside the allowed range (0 to 7)."


def test_value_not_allowed_lists_what_is():
    content = b"school_id,school_name,level\nSCH1,Cedar,primary\n"
    problem = only_problem(load_table(content, "schools.csv", "schools"), Check.NOT_ALLOWED)
    assert problem.message == "level 'primary' is not one of the allowed values."
    assert problem.how_to_fix == "Use one of: elementary, middle, high, k-8, k-12, other."


def test_yes_no_and_standards_are_read_kindly():
    content = (b"activity_id,title,date,hours,design,standards\n"
               b"A1,Workshop,9/15/2025,3,Workshop,Learning Designs; implementation\n")
    loaded = load_table(content, "learning_activities.csv", "learning_activities")
    assert loaded.ok
    assert loaded.frame.loc[2, "standards"] == "learning-designs;implementation"
    assert loaded.frame.loc[2, "date"] == pd.Timestamp("2025-09-15")


def test_unknown_standard():
    content = b"activity_id,title,date,hours,design,standards\nA1,W,2025-09-15,3,workshop,Teamwork\n"
    problem = only_problem(load_table(content, "learning_activities.csv", "learning_activities"), Check.NOT_ALLOWED)
    assert problem.message == "standards 'Teamwork' names a standard the kit does not know."


def test_missing_required_value():
    content = b"student_id,school_id,grade\nS1,,4\n"
    problem = only_problem(load_table(content, "students.csv", "students"), Check.MISSING_VALUE)
    assert (problem.row, problem.column, problem.message) == (2, "school_id", "school_id is empty.")


def test_duplicate_key_points_at_the_first_row():
    content = b"student_id,subject,window,score\nS1,math,fall,200\nS2,math,fall,201\nS1,math,fall,205\n"
    problem = only_problem(load_table(content, "assessments.csv", "assessments"), Check.DUPLICATE_KEY)
    assert problem.row == 4
    assert problem.message == "This row repeats row 2 (same student_id and subject and window)."


def test_score_above_its_maximum_is_inconsistent():
    content = (b"educator_id,window,domain,measure,score,max_score\n"
               b"E1,fall,knowledge,Quiz,25,20\n")
    problem = only_problem(load_table(content, "educator_measures.csv", "educator_measures"), Check.INCONSISTENT)
    assert problem.message == "score 25 is more than max_score on the same row."


def test_file_over_the_size_limit_is_refused_before_reading():
    problem = only_problem(load_table(b"a,b\n" + b"1,2\n" * 1000, "students.csv", "students", max_bytes=1000),
                           Check.TOO_LARGE)
    assert problem.message.startswith("students.csv is 4 KB; the kit reads files up to 1 KB")


def test_ragged_rows_are_reported_with_their_line():
    content = b"student_id,school_id,grade\nS1,SCH1,4\nS2,SCH1,4,extra,cells\n"
    problem = only_problem(load_table(content, "students.csv", "students"), Check.UNREADABLE)
    assert problem.row == 3
    assert "row 3" in problem.message


def test_many_bad_rows_are_named_up_to_a_limit_then_counted():
    rows = b"".join(b"S%d,SCH1,99\n" % number for number in range(500))
    loaded = load_table(b"student_id,school_id,grade\n" + rows, "students.csv", "students")
    not_allowed = [problem for problem in loaded.problems if problem.check == Check.NOT_ALLOWED]
    assert len(not_allowed) == 21
    assert not_allowed[-1].message == "480 more rows have the same problem in column grade (the first is row 22)."


def write(folder, name, content):
    (folder / name).write_bytes(content)


def test_a_folder_holds_only_the_tables_the_coach_has(tmp_path):
    write(tmp_path, "schools.csv", SCHOOLS)
    write(tmp_path, "Students 2025.csv", STUDENTS)
    write(tmp_path, "notes.docx", b"whatever")
    dataset = open_dataset(tmp_path)
    assert sorted(dataset.tables) == ["schools", "students"]
    assert "assessments" in dataset.missing
    assert [problem.message for problem in dataset.problems] == ["notes.docx is not a CSV or Excel file; it is left out."]


def test_a_link_to_an_unknown_id_is_named_and_the_row_left_out(tmp_path):
    write(tmp_path, "schools.csv", SCHOOLS)
    write(tmp_path, "students.csv", STUDENTS)
    write(tmp_path, "assessments.csv", b"student_id,subject,window,score\nS1,math,fall,200\nS9,math,fall,180\n")
    dataset = open_dataset(tmp_path)
    problem = next(problem for problem in dataset.problems if problem.check == Check.UNKNOWN_LINK)
    assert problem.message == "student_id S9 is not in the students table (row 3); that row is left out."
    assert list(dataset.table("assessments")["student_id"]) == ["S1"]


def test_a_file_whose_table_cannot_be_told(tmp_path):
    write(tmp_path, "export.csv", b"a,b\n1,2\n")
    dataset = open_dataset(tmp_path)
    assert dataset.problems[0].message == "The kit cannot tell which table export.csv holds."


def test_a_file_named_otherwise_is_recognised_by_its_headers(tmp_path):
    write(tmp_path, "export.csv", b"student_id,subject,window,score\nS1,math,fall,200\n")
    assert open_dataset(tmp_path).has("assessments")


def test_uploads_in_the_ipywidgets_8_shape():
    uploads = ({"name": "schools.csv", "type": "text/csv", "size": len(SCHOOLS), "last_modified": 0,
                "content": memoryview(SCHOOLS)},)
    assert open_dataset(uploads).has("schools")


def test_frames_can_be_checked_too():
    dataset = open_dataset({"schools": pd.DataFrame({"school_id": ["A"], "school_name": ["x"], "level": ["HIGH"]})})
    assert dataset.table("schools").loc[2, "level"] == "high"


def test_asking_for_a_missing_table_says_what_to_provide():
    with pytest.raises(DataError, match=r"This needs the Student assessments table \(assessments.csv\)"):
        open_dataset({}).table("assessments")


def test_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(DataError, match="There is no folder"):
        open_dataset(tmp_path / "nope")


def test_problems_frame_is_tidy_with_errors_first():
    loaded = load_table(b"school_id,school_name,level,extra\nSCH1,Cedar,moon,1\n", "schools.csv", "schools")
    frame = problems_frame(loaded.problems)
    assert list(frame["severity"]) == ["error", "warning"]
    assert list(frame["fix_in"]) == ["the values", "the column headers"]


def test_reading_keeps_every_cell_as_text():
    frame, problems = read_bytes(b"id,code\n007,00123\n", "x.csv")
    assert problems == [] and frame.loc[2, "code"] == "00123"


def test_attendance_longer_than_its_activity_is_flagged(tmp_path):
    write(tmp_path, "learning_activities.csv", b"activity_id,title,date,hours,design\nA1,W,2025-09-15,3,workshop\n")
    write(tmp_path, "attendance.csv", b"activity_id,educator_id,hours_attended\nA1,E1,5\n")
    dataset = open_dataset(tmp_path)
    [problem] = dataset.loaded["attendance"].problems
    assert problem.message == "hours_attended 5 is more than the activity's 3 hours."
    assert dataset.problems == [problem]


# -- real exports: optional columns with defaults, grades per assessment, attributes, statuses ------
def test_educators_without_a_role_are_teachers_and_extra_columns_are_attributes():
    loaded = load_table(b"educator_id,school_id,Program\nE1,SCH1,mentoring\nE2,SCH1,\n", "educators.csv", "educators")
    assert loaded.frame["role"].tolist() == ["teacher", "teacher"]
    assert "Program" not in loaded.frame.columns
    assert loaded.attributes["Program"].tolist() == ["mentoring", None]
    assert not [p for p in loaded.problems if p.check == Check.EXTRA_COLUMN]


def test_rosters_without_subject_or_term_cover_all_subjects_and_terms():
    loaded = load_table(b"student_id,educator_id,term,Class Type\nS1,E1,,small\nS1,E2,2025-26,regular\n",
                        "rosters.csv", "rosters")
    assert loaded.frame["subject"].tolist() == ["all subjects", "all subjects"]
    assert loaded.frame["term"].tolist() == ["all terms", "2025-26"]
    assert loaded.attributes.columns.tolist() == ["student_id", "educator_id", "subject", "term", "Class Type"]


def test_a_students_grade_comes_from_the_assessments_latest_window():
    dataset = open_dataset({
        "students": pd.DataFrame({"student_id": ["S1", "S2"], "school_id": ["A", "A"]}),
        "assessments": pd.DataFrame({"student_id": ["S1", "S1", "S2"], "subject": "math",
                                     "window": ["2025 spring", "2024 fall", "2024 fall"], "score": [3, 2, 1],
                                     "grade_when_assessed": ["4", "3", "K"]})})
    assert dataset.table("students")["grade"].tolist() == ["4", "K"]
    [problem] = [p for p in dataset.problems if p.column == "grade"]
    assert problem.message == ("The students table has no grade; each student's grade is taken from the "
                               "assessments, in the latest window.")
    alone = open_dataset({"students": pd.DataFrame({"student_id": ["S1"], "school_id": ["A"]})})
    assert alone.table("students")["grade"].tolist() == [None]


def test_an_activity_cost_is_a_number_of_zero_or_more():
    content = b"activity_id,title,date,hours,design,cost\nA1,W,2025-09-15,3,workshop,-5\n"
    problem = only_problem(load_table(content, "learning_activities.csv", "learning_activities"), Check.OUT_OF_RANGE)
    assert problem.message == "cost -5 is outside the allowed range (0 or more)."


def test_a_file_named_as_districts_name_it_is_taken_with_a_note():
    dataset = open_dataset([{"name": "teachers.csv", "content": b"educator_id,school_id\nE1,SCH1\n"}])
    assert dataset.has("educators")
    [problem] = dataset.problems
    assert (problem.check, problem.severity) == (Check.TABLE_FROM_NAME, "warning")
    assert problem.message == "The kit took teachers.csv to hold the educators table, from its name."
    assert problem.how_to_fix == ("Nothing to do, unless it holds another table: then choose that table in the data "
                                  "check.")


def test_the_data_checks_status_agrees_with_its_counts():
    from kit.io.dataset import Dataset, LoadedTable
    from kit.io.problems import Problem

    warning = Problem("schools", Check.EXTRA_COLUMN, "m", "f", "warning", file="schools.csv")
    set_aside = LoadedTable("students", "students.csv", pd.DataFrame({"student_id": ["S1"]}), [], set_aside=("low_income",))
    check = Dataset(loaded={"students": set_aside}, problems=[warning]).data_check().set_index("table")["status"]
    assert check["schools"] == "not used: see the warnings below"
    assert check["students"] == "ready without low_income: see the warnings"
    assert check["rosters"] == "not provided"
