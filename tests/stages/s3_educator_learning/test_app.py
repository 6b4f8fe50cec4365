"""The stage 3 app, driven as a coach would: change the filters, tag a measure, look at concerns, load a
norm table, save a reflection and find it after a restart; and what a team sees in view-only mode."""

import datetime
import re

import pytest

from kit.apps.shell import StageShell
from kit.io import Dataset, open_sample
from kit.stages.s3_educator_learning.app import STEP_TITLES, EducatorLearningApp

pytestmark = pytest.mark.slow  # each test builds the whole app on the sample district (about 10 s)


def make_app(cycle_name="Learning cycle", dataset=None) -> EducatorLearningApp:
    app = EducatorLearningApp(StageShell(3, dataset=dataset if dataset is not None else open_sample()))
    picker = app.shell.picker
    if cycle_name and picker.cycle_id is None:
        picker.name.value = cycle_name
        picker.create_button.click()
    return app


@pytest.fixture
def app():
    return make_app()


def status(app) -> str:
    return app.shell.picker.status.value


def test_the_app_opens_on_the_sample_with_five_steps(app):
    assert [title.split(". ", 1)[1].rstrip(" \u25cb\u2713!") for title in app.steps.titles] == list(STEP_TITLES)
    assert "3 of 3 measures rose" in app.change_summary.value
    assert "Content knowledge quiz" in app.change_table.value and app.change_image.value
    assert "not proof that the hours caused the change" in app.dose_summary.value and app.dose_image.value
    assert "Traceback" not in app.view.children[0].value


def test_changing_the_grouping_shows_schools_and_withholds_small_roles(app):
    app.by.value = "school_id"
    assert "SCH02" in app.change_table.value
    app.by.value = "role"
    assert "withheld to protect groups of fewer than 5 educators" in app.change_table.value
    assert "Showing change from" in status(app)


def test_changing_a_window_redraws_and_bad_windows_are_said(app):
    first_image = app.change_image.value
    app.after.value = app.model.windows[1]
    assert app.model.after == app.model.windows[1] and app.change_image.value != first_image
    app.after.value = app.before.value
    assert "two different windows" in status(app)


def test_tagging_an_equity_measure_shows_its_section(app):
    app.equity_tags.value = ("Beliefs about students survey",)
    app.keep_tags.click()
    assert "Kept 1 measure as equity-related" in status(app)
    assert app.equity_summary.value.startswith("<p><b>Beliefs about students survey rose by")
    assert "Beliefs about students survey" in app.equity_table.value


def test_concerns_show_group_profiles_peaks_and_moves(app):
    assert "raw-score profiles" in app.soc_summary.value and app.soc_image.value
    assert "Collaboration" in app.peaks_table.value
    app.educator.value = app.educator.options[0]
    assert app.individual_image.value


def test_a_norm_table_upload_switches_to_percentiles(app):
    rows = "\n".join(f"{raw}," + ",".join(str(min(99, 3 * raw)) for _ in range(7)) for raw in range(36))
    content = ("raw_score,stage_0,stage_1,stage_2,stage_3,stage_4,stage_5,stage_6\n" + rows).encode()
    app.norm_upload.value = ({"name": "norms.csv", "type": "text/csv", "size": len(content), "content": memoryview(content),
                              "last_modified": datetime.datetime(2026, 1, 5)},)
    assert "Percentiles now come from norms.csv" in status(app)
    assert "raw-score profiles" not in app.soc_summary.value


def test_a_reflection_is_saved_as_typed_corrected_archived_and_found_after_a_restart(app):
    editor = app.reflection_editor
    editor.text.value = "Gains were <largest> where coaching cycles ran."
    assert "not saved yet" in editor.mark.value  # saved after a pause, or by the button
    editor.save_button.click()
    assert "Saved the reflection" in status(app) and "saved at" in editor.mark.value
    editor.text.value = "Gains were <largest> where coaching cycles ran often."
    editor.autosave.flush()  # what the pause does
    saved = app.reflection.reflections
    assert [(r.text, r.version) for r in saved] == [("Gains were <largest> where coaching cycles ran often.", 2)]
    restarted = make_app(cycle_name=None)
    assert "Gains were &lt;largest&gt; where coaching cycles ran often." in restarted.reflection_editor.saved.table.value
    restarted.reflection_editor.saved.archive_button.click()
    assert restarted.reflection.reflections == [] and "Archived the reflection" in status(restarted)


def test_view_only_shows_groups_but_no_educator_and_no_editing(app, monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = EducatorLearningApp(StageShell(3, dataset=open_sample()))
    assert viewer.educator.options == ()
    hidden = [viewer.tag_form, viewer.norm_upload, viewer.reflection_editor.saved.controls,
              viewer.concerns_view.children[-1]]
    assert viewer.reflection_editor.form not in viewer.reflection_editor.children
    assert all(control.layout.display == "none" for control in hidden)
    assert "E0" not in viewer.view.children[0].value
    # The tables' text, not their CSV downloads' base64 (where "E0" may turn up by chance).
    shown = [re.sub(r'href="data:[^"]*"', "", table.value) for table in (viewer.peaks_table, viewer.change_table)]
    assert all("E0" not in text for text in shown)


def test_without_measures_the_app_says_which_table_to_add():
    app = EducatorLearningApp(StageShell(3, dataset=Dataset()))
    assert "educator_measures.csv" in app.view.children[-1].value


def test_without_concerns_the_other_steps_work_and_the_concerns_tab_says_what_to_add():
    sample = open_sample()
    tables = {name: frame for name, frame in sample.tables.items() if name != "concerns"}
    from kit.io import open_dataset

    app = EducatorLearningApp(StageShell(3, dataset=open_dataset(tables)))
    assert "concerns.csv" in app.concerns_view.value
    assert "3 of 3 measures rose" in app.change_summary.value
    assert "Showing change from" in status(app)
