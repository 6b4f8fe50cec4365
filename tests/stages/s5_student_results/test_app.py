"""The stage 5 app, driven as a coach would: change windows and choices, follow an educator, enter a
cost, save a reflection and find it after a restart; and what a team sees in view-only mode."""

import re

import pytest

from kit.apps.shell import StageShell
from kit.io import Dataset, open_sample
from kit.stages.s5_student_results.app import STEP_TITLES, StudentResultsApp

pytestmark = pytest.mark.slow  # each test builds the whole app on the sample district (10 s or more)


def make_app(cycle_name="Results cycle", dataset=None) -> StudentResultsApp:
    app = StudentResultsApp(StageShell(5, dataset=dataset if dataset is not None else open_sample()))
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


def test_the_app_opens_on_the_sample_with_six_steps(app):
    assert [title.split(". ", 1)[1].rstrip(" \u25cb\u2713!") for title in app.steps.titles] == list(STEP_TITLES)
    assert "mean growth" in app.summary.value and "SCH02" in app.growth_table.value
    assert app.arms_image.value and "not its cause" in app.comparison_words.value
    assert app.chain_image.value and "not proof" in app.chain_words.value
    assert "Maple Elementary" in app.schools_words.value
    assert "per educator hour" in app.cost_words.value


def test_changing_the_comparison_and_the_window_redraws(app):
    app.compare_by.value = "participation"
    assert "hours or more" in app.comparison_table.value
    image = app.gap_image.value
    app.group.value = "disability"
    assert app.gap_image.value != image and "disability" not in app.gap_table.value.split("<td>")[0]
    app.before.value = "2025-26 winter"
    assert "2025-26 winter" in app.summary.value and "Showing math growth from 2025-26 winter" in status(app)
    app.after.value = app.before.value
    assert "two different windows" in status(app)


def test_following_an_educator_and_entering_a_cost(app):
    app.educator.value = app.educator.options[1]
    assert "median of all educators" in app.educator_table.value
    app.activity_cost.value = 2500
    app.keep_cost.click()
    assert "Kept the cost" in status(app)


def test_a_reflection_is_saved_as_typed_corrected_archived_and_found_after_a_restart(app):
    editor = app.reflection_editor
    editor.text.value = "Growth followed <practice>."
    assert "not saved yet" in editor.mark.value
    editor.autosave.flush()  # what the pause does
    assert "Saved the reflection" in status(app) and "saved at" in editor.mark.value
    editor.start_new()
    editor.text.value = "Growth was flat in one school."
    editor.save_button.click()
    assert editor.text.value == "Growth was flat in one school."  # the box keeps what it saved
    saved = editor.saved
    saved.chooser.value = next(r.id for r in saved.records if r.text.startswith("Growth followed"))
    saved.edit_button.click()
    assert editor.text.value == "Growth followed <practice>."
    editor.text.value = "Growth followed <practice>, mostly."
    editor.save_button.click()
    assert sorted(r.text for r in app.reflection.reflections) == ["Growth followed <practice>, mostly.",
                                                                 "Growth was flat in one school."]
    restarted = make_app(cycle_name=None)
    assert "Growth followed &lt;practice&gt;, mostly." in restarted.reflection_editor.saved.table.value


def test_view_only_names_no_educator_and_hides_editing(app, monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = StudentResultsApp(StageShell(5, dataset=open_sample()))
    assert viewer.coach_only.layout.display == "none" and list(viewer.educator.options) == ["(choose an educator)"]
    assert viewer.cost_form.layout.display == "none"
    assert viewer.reflection_editor.form not in viewer.reflection_editor.children
    assert viewer.reflection_editor.saved.controls.layout.display == "none"
    shown = " ".join(w.value for w in (viewer.growth_table, viewer.comparison_table, viewer.chain_words,
                                       viewer.links_table, viewer.schools_words, viewer.gap_table))
    assert not re.search(r"\bE\d{3}\b", shown)  # no educator id (the sample's are E001 ...)


def test_without_rosters_the_app_says_which_table_to_add():
    app = StudentResultsApp(StageShell(5, dataset=Dataset()))
    assert "rosters.csv" in app.view.children[-1].value
