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
