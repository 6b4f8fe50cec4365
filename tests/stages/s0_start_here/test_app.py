"""The start-here app, driven as a coach would: choose data, upload files, confirm a column."""

import datetime as dt
import json

import pytest

from kit.apps.data_source import FOLDER, SAMPLE, UPLOADS, DataChoice, open_saved_dataset
from kit.stages.s0_start_here.app import StartHereApp
from kit.workspace import load_settings, uploads_dir

SCHOOLS = b"school_id,school_name,level\nSCH1,Cedar,elementary\n"


def upload(name, content):
    return {"name": name, "type": "text/csv", "size": len(content), "last_modified": dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
            "content": memoryview(content)}


@pytest.fixture
def app():
    return StartHereApp()


def test_opens_on_the_sample_district_with_a_clean_data_check(app):
    assert app.source.value == SAMPLE
    assert "Data checked: 10 tables ready, no errors." in app.status.value
    assert app.data_check.value.count("<td>ready</td>") == 10
    assert app.problems.value == "" and app.templates.value == ""


def test_uploading_a_bad_file_shows_the_kits_message_and_keeps_nothing(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("students.csv", b"%PDF-1.4 not a table"),)
    app.check_uploads.click()
    assert "problem to fix" in app.status.value
    assert "students.csv is a PDF document, not a table." in app.problems.value
    assert list(uploads_dir().iterdir()) == []


def test_a_good_upload_is_kept_in_the_workspace_and_offers_templates_for_the_rest(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", SCHOOLS),)
    app.check_uploads.click()
    assert "1 table ready" in app.status.value
    assert (uploads_dir() / "schools.csv").read_bytes() == SCHOOLS
    assert 'download="students.csv"' in app.templates.value
    assert open_saved_dataset().has("schools")  # the next app opens the same data


def test_a_bad_upload_never_replaces_a_good_one(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", SCHOOLS),)
    app.check_uploads.click()
    app.upload.value = (upload("schools.csv", b"school_id,school_name,level\nSCH1,Cedar,moon\n"),)
    app.check_uploads.click()
    assert (uploads_dir() / "schools.csv").read_bytes() == SCHOOLS
    assert "level &#x27;moon&#x27; is not one of the allowed values." in app.problems.value


def test_a_proposed_column_is_confirmed_with_one_click(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", b"school_code,school_name,level\nSCH1,Cedar,high\n"),)
    app.check_uploads.click()
    assert "No column named school_id" in app.problems.value
    [row] = app.confirmations.children
    question, button = row.children
    assert "school_code" in question.value and button.description == "Yes, use it as school_id"
    button.click()
    assert "1 table ready" in app.status.value
    assert load_settings()["confirmed"] == {"schools": {"school_code": "school_id"}}
    assert open_saved_dataset().table("schools").loc[2, "school_id"] == "SCH1"


def test_a_folder_path_that_does_not_exist_is_explained(app, tmp_path):
    app.source.value = FOLDER
    app.folder.value = str(tmp_path / "missing")
    app.open_folder.click()
    assert "There is no folder" in app.status.value
    assert app.folder.value == str(tmp_path / "missing")  # what the coach typed stays


def test_a_folder_of_tables_is_opened_and_remembered(app, tmp_path):
    (tmp_path / "schools.csv").write_bytes(SCHOOLS)
    app.source.value = FOLDER
    app.folder.value = str(tmp_path)
    app.open_folder.click()
    assert "1 table ready" in app.status.value
    assert load_settings()["data_folder"] == str(tmp_path)
    assert StartHereApp().source.value == FOLDER  # a restarted app comes back to the same choice


def test_what_an_upload_contains_is_escaped_wherever_it_is_shown(app):
    app.source.value = UPLOADS
    hostile = b"school_id,school_name,level\n<script>alert(1)</script>,x,<img src=x onerror=alert(2)>\n"
    app.upload.value = (upload("<b>schools</b>.csv", hostile),)
    app.check_uploads.click()
    shown = app.problems.value + app.data_check.value + app.status.value
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;img src=x onerror=alert(2)&gt;" in shown


def test_an_unexpected_failure_is_caught_logged_and_explained(app, fresh_workspace, monkeypatch):
    def broken(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(DataChoice, "use_sample", broken)
    app.source.value = UPLOADS
    app.source.value = SAMPLE
    assert "Something went wrong on our side" in app.status.value
    assert "RuntimeError: boom" in (fresh_workspace / "logs" / "kit.log").read_text()


def test_settings_survive_a_damaged_settings_file(fresh_workspace):
    fresh_workspace.mkdir(exist_ok=True)
    (fresh_workspace / "settings.json").write_text("{not json")
    assert StartHereApp().source.value == SAMPLE
    (fresh_workspace / "settings.json").write_text(json.dumps(["a list"]))
    assert StartHereApp().source.value == SAMPLE


def test_a_cycle_created_here_is_found_after_a_restart(app):
    picker = app.shell.picker
    picker.name.value = "Fractions, spring 2026"
    picker.create_button.click()
    assert "Saved the cycle" in picker.status.value
    restarted = StartHereApp()
    assert restarted.shell.picker.dropdown.label == "Fractions, spring 2026"


def test_the_stages_are_listed_in_order_with_where_each_stands(app):
    table = app.stage_links.value
    positions = [table.index(title) for title in ("1. Student learning needs", "2. Standards-based",
                                                  "5. Student results", "6. Continuous improvement")]
    assert positions == sorted(positions)


def test_view_only_hides_every_editing_control(monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = StartHereApp()
    hidden = [viewer.source, viewer.folder_row, viewer.upload_row, viewer.shell.picker.manage]
    assert all(control.layout.display == "none" for control in hidden)
    assert "View only" in viewer.view.children[0].value


# -- the data check tells the truth; busy sign; a real export explained through the app ------------
from pathlib import Path  # noqa: E402

from kit.sample_export import write_export  # noqa: E402
from kit.stages.s0_start_here.app import FOLDER_HELP  # noqa: E402


def test_the_folder_box_says_the_path_is_on_the_server(app):
    assert "C:\\" not in app.folder.placeholder and "on the server" in app.folder.placeholder
    assert app.folder.description == "Folder on the server:"
    assert FOLDER_HELP.startswith("The folder must be on the server that runs the kit, not on your own computer")


def test_a_bad_path_leaves_the_data_in_use_and_its_check_on_screen(app, tmp_path):
    shown = app.data_check.value
    app.source.value = FOLDER
    assert app.in_use.value == "<h3>Data check: the sample district (fictional)</h3>"
    app.folder.value = str(tmp_path / "missing")
    app.open_folder.click()
    assert "The data in use is still the sample district (fictional)." in app.status.value
    assert app.data_check.value == shown and app.in_use.value == "<h3>Data check: the sample district (fictional)</h3>"


def test_switching_to_uploads_says_which_data_is_still_in_use(app):
    app.source.value = UPLOADS
    assert "Until then the data in use is still the sample district (fictional)." in app.status.value


def test_buttons_are_disabled_and_a_bar_shows_while_files_load(app):
    seen = []
    app.check_uploads.observe(lambda change: seen.append((change.new, app.progress.layout.display)), names="disabled")
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", SCHOOLS),)
    app.check_uploads.click()
    assert seen[0] == (True, "flex") and seen[-1] == (False, "none")
    assert not app.open_folder.disabled and app.working.value == ""


def test_kept_uploads_are_listed_and_removed_from_the_app(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", SCHOOLS),)
    app.check_uploads.click()
    [header, row] = app.kept.children
    assert f"schools.csv (schools, {len(SCHOOLS)} bytes" in row.children[0].value
    row.children[1].click()
    assert app.kept.children == () and list(uploads_dir().iterdir()) == []
    assert "No tables found yet." in app.status.value


def file_box(app, table):
    return next(box for box in app.files.children[1:] if f"holds the <b>{table}</b> table" in box.children[0].value)


def map_in_app(app, table, header, column):
    box = file_box(app, table)
    headers, columns, use = box.children[2].children
    headers.value = header
    columns.value = column
    use.click()


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    write_export(folder, n_students=400, seed=11)
    return folder


def test_a_district_export_is_explained_through_the_app_alone(app, export):
    app.source.value = UPLOADS
    app.upload.value = tuple(upload(f"{name}.csv", (export / f"{name}.csv").read_bytes())
                             for name in ("students", "teachers", "classes", "scores_wide"))
    app.check_uploads.click()
    for table, header, column in [("students", "School", "school_id"), ("students", "Ethnicity", "race_ethnicity"),
                                  ("students", "Free Lunch", "low_income"), ("educators", "Teacher ID", "educator_id"),
                                  ("educators", "School", "school_id"), ("rosters", "Teacher ID", "educator_id"),
                                  ("rosters", "Grade", "term")]:
        map_in_app(app, table, header, column)
    assert "not used until you say what its codes mean" in app.status.value
    [_, codes] = app.codes.children
    assert "Free Lunch" not in codes.children[0].value and "low_income" in codes.children[0].value
    pickers = {picker.description: picker for picker in codes.children[1].children}
    pickers["'F' means"].value, pickers["'N' means"].value = "yes", "no"
    codes.children[2].click()
    assert app.codes.children == ()
    [_, wide] = app.wide.children
    assert "The first rows would read" in wide.children[4].value
    wide.children[5].children[1].click()  # Use this layout
    assert app.choice.dataset.error_count == 0
    assert "Data checked: 4 tables ready, no errors." in app.status.value
    [_, windows] = app.windows.children
    assert "Windows ordered by grades (PK, K, 1 to 12): K, 1, 2, 3." in windows.children[0].value
    told = [row.children[0].value for row in app.told.children[1:]]
    assert any("In low_income, &#x27;F&#x27; means yes and &#x27;N&#x27; means no." in line for line in told)


def test_a_window_order_is_set_and_undone_in_the_app(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("scores.csv", b"student_id,subject,window,score\nS1,math,Unit B,3\nS1,math,Unit A,4\n"),)
    app.check_uploads.click()
    [_, windows] = app.windows.children
    assert "could not tell the order" in windows.children[0].value and "kit-warning" in windows.children[0].value
    lines, (save, reset) = windows.children[1].children[0], windows.children[1].children[1].children
    assert reset.layout.display == "none"  # nothing of the coach's own to go back from yet
    lines.value = "Unit A\nUnit B"
    save.click()
    assert app.choice.dataset.window_order("assessments").labels == ("Unit A", "Unit B")
    [_, windows] = app.windows.children
    assert "Windows in the order you set: Unit A, Unit B." in windows.children[0].value
    [undo_row] = [row for row in app.told.children[1:] if "order you set" in row.children[0].value]
    undo_row.children[1].click()
    assert app.choice.dataset.window_order("assessments").labels == ("Unit B", "Unit A")


def test_a_level_the_kit_does_not_allow_is_explained_in_the_app(app):
    app.source.value = UPLOADS
    app.upload.value = (upload("schools.csv", b"school_id,school_name,level\nSCH1,Cedar,Elem\n"),)
    app.check_uploads.click()
    [_, codes] = app.codes.children
    assert "the rows with codes the kit does not allow are errors" in codes.children[0].value
    [picker] = codes.children[1].children
    picker.value = "elementary"
    codes.children[2].click()
    assert "1 table ready" in app.status.value
