"""The stage 1 app, driven as a coach would: change a filter, pick a need, write and save a goal."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.stages.s1_student_needs.app import STEP_TITLES, StudentNeedsApp
from kit.stages.s1_student_needs.models import StudentNeedsModel
from kit.io import open_dataset, open_sample
from kit.store import open_store
from tests.stages.s1_student_needs.test_charts import hatched_cells


@pytest.fixture(scope="module")
def sample():
    return open_sample()


@pytest.fixture(scope="module")
def built_app(sample):
    return StudentNeedsApp(dataset=sample)


@pytest.fixture
def app(built_app):
    """The app built once for the module (charts take seconds), with its filters, goal form and tab
    set back after each test, so every test starts from the same page."""
    controls = [built_app.school, built_app.grade, built_app.subject, built_app.window, built_app.group,
                built_app.reference, built_app.goal_what]
    start = [control.value for control in controls]
    yield built_app
    for control, value in zip(controls, start):
        control.value = value
    built_app.tabs.selected_index = 0


def show_spread_tab(app) -> None:
    app.tabs.selected_index = STEP_TITLES.index("Spread and schools")


def show_tab(app, title: str) -> None:
    app.tabs.selected_index = STEP_TITLES.index(title)


def test_the_model_turns_filters_into_frames(sample):
    model = StudentNeedsModel(sample)
    assert (model.subject, model.window) == ("math", "2025-26 spring")
    before = model.revision
    model.school = "SCH02"
    assert model.revision == before + 1
    assert model.by_group["n"].iloc[-1] < 3000
    model.group = "english_learner"
    assert model.gaps["group"].tolist() == ["no", "yes"]
    model.reference = "no"
    assert model.gaps["group"].tolist() == ["yes"] and model.gaps["reference"].iloc[0] == "english learner: no"


def test_the_model_keeps_the_ranked_needs_of_a_selection_it_has_already_seen(sample):
    model = StudentNeedsModel(sample)
    first = model.needs
    model.group = "english_learner"  # the ranked needs cover every group column: nothing to redo
    assert model.needs is first
    model.school = "SCH02"
    assert model.needs is not first and (model.needs["students"] < 3000).all()
    model.school = None
    assert model.needs is first


def test_the_spread_and_school_charts_are_drawn_when_their_tab_is_first_shown(sample):
    app = StudentNeedsApp(dataset=sample)
    assert 'alt="Gap chart' in app.gap_image.value
    assert app.distribution_image.value == app.heatmap_image.value == "" and not app.spread_drawn
    app.school.value = "SCH02"
    assert app.distribution_image.value == ""  # still not shown: not drawn
    show_spread_tab(app)
    assert 'alt="Score spread by group, Maple Elementary' in app.distribution_image.value
    assert 'alt="Heat map' in app.heatmap_image.value and "Maple Elementary is marked" in app.heatmap_note.value
    drawn = app.heatmap_image.value
    app.tabs.selected_index = 0
    app.tabs.selected_index = 1
    assert app.heatmap_image.value is drawn  # shown again without a filter change: not drawn again
    assert app.needs_table.value == "" and not app.needs_shown
    show_tab(app, "Priority needs")
    assert "Maple Elementary" not in app.needs_table.value and "<table" in app.needs_table.value
    assert app.need_choice.options and app.need_choice.value == 1


def test_changing_a_filter_changes_the_charts_and_the_tables(app):
    show_spread_tab(app)
    images = (app.gap_image.value, app.distribution_image.value, app.heatmap_image.value)
    table = app.by_group_table.value
    app.school.value = "SCH02"
    assert app.gap_image.value != images[0] and app.distribution_image.value != images[1]
    assert app.by_group_table.value != table
    app.window.value = "2024-25 fall"
    assert app.heatmap_image.value != images[2]
    assert "Maple Elementary, all grades, math, 2024-25 fall" in app.status.value


def test_choosing_another_group_column_offers_its_groups_as_references(app):
    app.group.value = "english_learner"
    assert [value for _, value in app.reference.options] == ["rest", "all", "no", "yes"]
    app.reference.value = "no"
    assert app.model.reference == "no"


def test_no_small_group_appears_in_any_table(app):
    app.school.value, app.grade.value, app.group.value = "SCH02", "3", "race_ethnicity"
    for frame in (app.model.by_group, app.model.distribution, app.model.gaps, app.model.heatmap):
        assert (frame.loc[~frame["suppressed"], "n"] >= 10).all()
    assert "fewer than 10 students" in app.by_group_table.value
    assert (app.model.needs["students"] >= 10).all()


def test_the_planted_gaps_are_listed_as_needs(app):
    show_tab(app, "Priority needs")
    groups = list(zip(app.model.needs["group_column"], app.model.needs["group"]))
    assert ("disability", "yes") in groups[:2] and ("low_income", "yes") in groups
    assert "disability" in app.needs_table.value
    assert "95% interval" in app.needs_table.value and "not clear: the interval includes no gap" in app.needs_table.value


def test_saving_without_a_cycle_says_so(app):
    app.goal_what.value = "Students explain their reasoning"
    assert app.save() is None
    assert "No cycle is open" in app.status.value


def test_a_goal_started_from_a_need_is_checked_and_saved_for_the_cycle(sample):
    store = open_store()
    picker = CyclePicker(store=store)
    picker.model.create("Fall cycle")
    app = StudentNeedsApp(dataset=sample, picker=picker)
    assert app.need_choice.options == ()  # the needs are worked out when their tab or the goal is shown
    show_tab(app, "The goal")
    app.need_choice.value = 1
    app.use_need.click()
    assert "disability: yes" in app.goal_who.value
    app.goal_what.value += "explain their reasoning in writing <b>"
    app.goal_target.value = "70% proficient"
    app.goal_by_when.value = dt.date(2026, 5, 15)
    app.save_goal.click()
    assert "It has everything a good goal needs." in app.status.value
    saved = store.goals.list(picker.cycle_id, goal_type="student_learning")
    assert len(saved) == 1 and saved[0].target == "70% proficient"
    assert "&lt;b&gt;" in app.saved_goals.value and "<b>" not in app.saved_goals.value.split("</thead>")[1]


def test_a_saved_goal_survives_a_restart(sample, fresh_workspace):
    first = StudentNeedsApp(dataset=sample, picker=CyclePicker(store=open_store()))
    first.shell.picker.model.create("Spring cycle")
    first.goal_what.value = "Students use evidence from the text"
    first.save_goal.click()
    cycle = first.shell.picker.cycle_id
    again = StudentNeedsApp(dataset=sample, picker=CyclePicker(store=open_store(), cycle_id=cycle))
    assert [goal.what for goal in again.saved()] == ["Students use evidence from the text"]
    assert "Students use evidence from the text" in again.saved_goals.value


def test_the_goal_check_names_what_is_missing(app):
    app.goal_what.value = "Teachers plan together"
    app.check_goal.click()
    assert "student-focused" in app.goal_check.value and "&#9675;" in app.goal_check.value


def test_without_students_or_assessments_the_app_says_which_table_to_add():
    schools = pd.DataFrame({"school_id": ["A"], "school_name": ["Cedar"], "level": ["elementary"]})
    app = StudentNeedsApp(dataset=open_dataset({"schools": schools}))
    assert "needs the students.csv and assessments.csv tables" in app.status.value
    assert "needs the students.csv and assessments.csv tables" in app.view.children[-1].value


def test_a_coach_added_group_column_is_offered(sample):
    students = sample.table("students").assign(tutoring=lambda f: ["yes", "no", "no"] * 1000)
    dataset = open_dataset({"students": students, "assessments": sample.table("assessments")})
    app = StudentNeedsApp(dataset=dataset)
    assert "tutoring" in [value for _, value in app.group.options]
    app.group.value = "tutoring"
    assert set(app.model.by_group["group"]) == {"no", "yes", "all students"}


def test_a_district_heat_map_draws_the_25_largest_schools_and_says_how_many_are_left_out():
    from kit.analysis import equity
    from kit.stages.s1_student_needs.charts import proficiency_heatmap

    rng = np.random.default_rng(3)
    schools = [f"SCH{i:03d}" for i in range(60)]
    counts = rng.integers(0, 120, size=(60, 3))
    counts[:5, 2] = 4  # a few small cells, withheld with their partners
    full = pd.DataFrame({"school_id": np.repeat(schools, 3), "group_column": "el",
                         "group": ["no", "yes", "not recorded"] * 60, "n": counts.ravel(),
                         "share_proficient": rng.uniform(0.2, 0.9, 180)})
    cells = equity.suppress(full, "n", ["share_proficient"], 10, lines=[["school_id"], ["group"]])
    ax = proficiency_heatmap(cells)
    drawn = [label.get_text() for label in ax.get_yticklabels()]
    assert len(drawn) == 25
    shown_n = cells["n"].where(~cells["suppressed"], 0).groupby(cells["school_id"]).sum()
    assert set(drawn) == set(shown_n.sort_values(ascending=False, kind="stable").index[:25])
    note = " ".join(text.get_text() for text in ax.texts if "not shown" in text.get_text())
    assert "35 more schools are not shown" in note and "School filter" in note
    withheld_drawn = len(hatched_cells(ax))
    assert withheld_drawn == int(cells[cells["school_id"].isin(drawn)]["suppressed"].sum())  # as suppressed in full


def test_the_heat_map_names_schools_and_the_group_and_says_it_shows_every_school(app):
    show_spread_tab(app)
    app.group.value = "disability"
    assert "disability: " in app.heatmap_image.value and 'alt="Heat map' in app.heatmap_image.value
    names = app.model.school_names
    lowest = app.model.heatmap[~app.model.heatmap["suppressed"]].sort_values("share_proficient").iloc[0]
    assert f"at {names[lowest['school_id']]}" in app.heatmap_image.value  # the title names the school
    app.school.value = "SCH02"
    assert "Maple Elementary is marked" in app.heatmap_note.value and "shows every school" in app.heatmap_note.value
    show_tab(app, "Priority needs")
    assert "SCH0" not in app.by_group_table.value + app.needs_table.value


def test_a_goal_is_saved_as_typed_then_edited_archived_and_restored_from_the_list(sample):
    store = open_store()
    picker = CyclePicker(store=store)
    picker.model.create("Goal cycle")
    app = StudentNeedsApp(dataset=sample, picker=picker)
    app.goal_what.value = "Students compare fractions"
    assert app.autosave.pending and "not saved yet" in app.goal_saved_mark.value
    app.autosave.flush()  # what the pause does in a kernel
    [goal] = store.goals.list(picker.cycle_id)
    assert goal.what == "Students compare fractions" and "saved at" in app.goal_saved_mark.value
    app.goal_target.value = "80% proficient"
    app.autosave.flush()
    assert [(g.what, g.target, g.version) for g in store.goals.list(picker.cycle_id)] == [
        ("Students compare fractions", "80% proficient", 2)]  # the same goal, changed
    app.new_goal.click()
    app.goal_what.value = "Students explain"
    app.save_goal.click()
    assert len(store.goals.list(picker.cycle_id)) == 2
    view = app.goals_view
    view.chooser.value = goal.id
    view.edit_button.click()
    assert app.goal_what.value == "Students compare fractions" and app.editing_goal.id == goal.id
    view.archive_button.click()
    assert [g.what for g in store.goals.list(picker.cycle_id)] == ["Students explain"]
    assert "Students compare fractions" not in app.saved_goals.value and app.editing_goal is None
    view.show_archived.value = True
    view.chooser.value = goal.id
    view.archive_button.click()
    assert len(store.goals.list(picker.cycle_id)) == 2
    assert "Download the goal as a printable page" in app.goal_print.value


def test_without_a_proficiency_column_the_heat_map_says_so_instead_of_withholding_every_cell(sample):
    assessments = sample.table("assessments").drop(columns="proficient")
    app = StudentNeedsApp(dataset=open_dataset({"students": sample.table("students"), "assessments": assessments}))
    show_spread_tab(app)
    assert "have no <b>proficient</b> column" in app.heatmap_note.value
    assert app.heatmap_image.value == "" and "withheld" not in app.heatmap_note.value
