"""The stage 2 app, driven as a coach would: rate the standards, plan backwards, look at participation,
build a practice map; and everything entered is there after a restart."""

import datetime as dt

import pandas as pd
import pytest

from kit.stages.s2_professional_learning.analysis.plan import EVALUATION_LEVELS, OUTCOME_KEYS
from kit.stages.s2_professional_learning.app import STEP_TITLES, ProfessionalLearningApp
from kit.apps.shell import StageShell
from kit.io import open_dataset, open_sample
from kit.standards import STANDARD_IDS
from kit.store import open_store
from kit.workspace import SAMPLE_FOLDER


def make_app(cycle_name="Fractions, 2025-26", dataset=None) -> ProfessionalLearningApp:
    app = ProfessionalLearningApp(StageShell(2, dataset=dataset))
    picker = app.shell.picker
    if cycle_name and picker.cycle_id is None:
        picker.name.value = cycle_name
        picker.create_button.click()
    return app


@pytest.fixture
def app():
    return make_app()


def rate(app, rater, standard_id, rating, evidence="Seen in our meeting notes"):
    step = app.assessment
    step.rater.value, step.standard.value = rater, standard_id
    step.rating.value, step.evidence.value = rating, evidence
    step.save_button.click()


def status(app) -> str:
    return app.shell.picker.status.value


# -- the app --------------------------------------------------------------------------------------
def test_the_app_opens_on_the_sample_with_four_steps(app):
    assert [title.split(". ", 1)[1].rstrip(" \u25cb\u2713!") for title in app.steps.titles] == list(STEP_TITLES)
    assert "Cedar Elementary" in app.participation.table.value and "SCH01" not in app.participation.table.value
    assert "kit-status-failed" not in status(app)


def test_view_only_hides_every_editing_control_and_shows_the_plan_as_text(monkeypatch):
    coach = make_app()  # a cycle and a plan to look at
    coach.plan.title.value, coach.plan.notes.value = "Our plan", "Meet <weekly>"
    coach.plan.save_button.click()
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = ProfessionalLearningApp()
    hidden = [viewer.assessment.view.children[1], viewer.plan.save_button, viewer.plan.goal_row, viewer.plan.title,
              viewer.plan.notes, *viewer.plan.outcomes.values(), *viewer.plan.evidence.values(),
              viewer.plan.add_activity, viewer.ic_map.view.children[1]]
    assert all(control.layout.display == "none" for control in hidden)
    assert viewer.plan.read_only.layout.display is None
    assert "Our plan" in viewer.plan.read_only.value and "Meet &lt;weekly&gt;" in viewer.plan.read_only.value


# -- step 1: standards self-assessment --------------------------------------------------------------
def test_a_rating_is_saved_with_its_rater_and_evidence_and_the_form_moves_on(app):
    rate(app, "Ana", "evidence", 3, "We look at exit tickets together")
    assert "Saved the rating" in status(app)
    [record] = app.shell.picker.store.standard_ratings.list(app.shell.picker.cycle_id)
    assert (record.standard_id, record.rater, record.rating, record.note) == ("evidence", "Ana", 3, "We look at exit tickets together")
    assert app.assessment.standard.value == "learning-designs"  # the next standard
    assert app.assessment.rating.value is None and app.assessment.evidence.value == ""


def test_rating_again_replaces_the_raters_earlier_rating(app):
    rate(app, "Ana", "evidence", 2)
    rate(app, "Ana", "evidence", 4, "Better now")
    records = app.shell.picker.store.standard_ratings.list(app.shell.picker.cycle_id)
    assert [(r.rating, r.note, r.version) for r in records] == [(4, "Better now", 2)]
    app.assessment.standard.value = "evidence"  # coming back to it shows the saved rating
    assert (app.assessment.rating.value, app.assessment.evidence.value) == (4, "Better now")


def test_several_raters_give_summaries_and_agreement(app):
    for rater, value in (("Ana", 3), ("Ben", 3), ("Cy", 4)):
        rate(app, rater, "evidence", value)
    for rater, value in (("Ana", 1), ("Ben", 2), ("Cy", 4)):
        rate(app, rater, "leadership", value)
    model = app.assessment.model
    assert model.raters == ["Ana", "Ben", "Cy"]
    overall = model.agreement().iloc[0]
    assert (overall["pairs"], overall["exact_agreement"], overall["within_one_agreement"]) == (6, 0.17, 0.67)
    assert model.strengths()["standard"].tolist() == ["Evidence", "Leadership"]
    assert 'src="data:image/png;base64,' in app.assessment.chart.value and 'alt="Standards self-assessment' in app.assessment.chart.value
    assert "How far the raters agree" in app.assessment.results.value


def test_missing_rater_or_rating_is_explained_and_nothing_is_saved(app):
    rate(app, "", "evidence", 3, "kept")
    assert "Type the rater" in status(app) and app.assessment.evidence.value == "kept"
    rate(app, "Ana", "evidence", None)
    assert "Choose a rating" in status(app)
    assert app.shell.picker.store.standard_ratings.list(app.shell.picker.cycle_id) == []


def test_change_since_the_previous_cycle(app):
    rate(app, "Ana", "evidence", 2)
    picker = app.shell.picker
    picker.name.value = "Spring cycle"
    picker.create_button.click()
    rate(app, "Ana", "evidence", 4)
    change = app.assessment.model.change().set_index("standard_id")
    assert change.loc["evidence", "change"] == 2.0
    assert "Change since Fractions, 2025-26" in app.assessment.results.value


def test_evidence_is_escaped_where_it_is_shown(app):
    rate(app, "<img src=x onerror=alert(1)>", "evidence", 3, "<script>alert(2)</script>")
    shown = app.assessment.saved.table.value  # the ratings are listed once, where they can be corrected
    assert "<script>" not in shown and "<img" not in shown and "&lt;script&gt;" in shown
    assert "<script>" not in app.assessment.results.value


# -- step 2: the plan ---------------------------------------------------------------------------------
def fill_plan(app):
    plan = app.plan
    plan.title.value = "Fractions with models"
    for key in OUTCOME_KEYS:
        plan.outcomes[key].value = f"Outcome in {key}"
    plan.designs.value = ("workshop", "coaching cycle")
    plan.from_data.value = ("A25D1", "A25D2")
    plan.add_from_data.click()
    plan.activity_title.value = "Fraction lab <b>visit</b>"
    plan.activity_design.value = "lab classroom"
    plan.activity_date.value = dt.date(2026, 1, 12)
    plan.activity_hours.value = 2.5
    plan.activity_standards.value = ("evidence", "leadership")
    plan.add_activity.click()
    for level, _, _ in EVALUATION_LEVELS:
        plan.evidence[level].value = f"Evidence at level {level}"
    plan.save_button.click()


def test_without_a_student_goal_the_plan_says_so_and_takes_one_line(app):
    assert "no student learning goal yet" in app.plan.goal_shown.value
    assert "Write the students" in app.plan.checks.value
    app.plan.new_goal.value = "Grade 4 English learners add fractions with unlike denominators"
    app.plan.save_goal.click()
    [goal] = app.shell.picker.store.goals.list(app.shell.picker.cycle_id, goal_type="student_learning")
    assert goal.what.startswith("Grade 4 English learners")
    assert app.plan.goal_choice.value == goal.id and app.plan.goal_shown.value == ""
    assert app.participation.group.value == ("english_learner", "yes")  # the access view follows the goal's group


def test_a_stage_1_goal_is_offered_and_the_plan_is_complete_after_a_restart(app):
    picker = app.shell.picker
    goal = picker.store.goals.create(picker.cycle_id, goal_type="student_learning", what="Add fractions", who="grade 4")
    restarted = make_app()
    assert restarted.plan.goal_choice.value == goal.id
    fill_plan(restarted)
    assert "Saved the learning plan" in status(restarted)
    assert "The plan is complete" in restarted.plan.checks.value

    again = make_app()
    plan = again.plan.model.plan
    assert plan.title == "Fractions with models" and plan.student_goal_id == goal.id
    assert [a.activity_id for a in plan.activities] == ["A25D1", "A25D2", ""]
    assert plan.activities[2].date == "2026-01-12" and plan.activities[2].hours == 2.5
    assert again.plan.outcomes["skills"].value == "Outcome in skills"
    assert again.plan.evidence[5].value == "Evidence at level 5"
    assert again.plan.designs.value == ("workshop", "coaching cycle")
    assert "The plan is complete" in again.plan.checks.value
    assert "Fraction lab &lt;b&gt;visit&lt;/b&gt;" in again.plan.activity_table.value


def test_the_alignment_flags_standards_no_activity_touches(app):
    app.plan.activity_title.value = "Data meeting"
    app.plan.activity_standards.value = ("evidence",)
    app.plan.add_activity.click()
    shown = app.plan.alignment.value
    assert "Not addressed by any activity (10)" in shown and "Equity Practices" in shown
    matrix, gaps = app.plan.model.alignment(app.plan.current())
    assert "evidence" not in gaps["standard_id"].tolist() and len(gaps) == len(STANDARD_IDS) - 1


def test_an_activity_is_removed_and_the_plan_saved_at_once(app):
    app.plan.activity_title.value = "One"
    app.plan.add_activity.click()
    app.plan.activity_title.value = "Two"
    app.plan.add_activity.click()
    app.plan.remove_choice.value = 0
    app.plan.remove_activity.click()
    assert [a.title for a in app.plan.model.plan.activities] == ["Two"]


def test_a_plan_changed_by_someone_else_is_not_overwritten_and_the_text_stays(app):
    app.plan.title.value = "Mine"
    app.plan.save_button.click()
    picker = app.shell.picker
    other = open_store(picker.store.url, author="ben")
    other.plans.update(other.plans.list(picker.cycle_id)[0], title="Ben's")
    app.plan.notes.value = "My long note"
    app.plan.save_button.click()
    assert "kit-status-conflict" in status(app)
    assert app.plan.notes.value == "My long note"
    assert picker.store.plans.list(picker.cycle_id)[0].title == "Ben's"


# -- step 3: participation and access -----------------------------------------------------------------
def test_participation_by_school_role_and_design(app):
    step = app.participation
    assert 'src="data:image/png;base64,' in step.chart.value and 'alt="Hours per educator by school' in step.chart.value
    step.year.value = "2025-26"
    by_school = step.model.by("school_id")
    assert by_school["educators"].sum() == len(app.shell.dataset.table("educators"))
    step.by.value = "role"
    assert "specialist" in step.table.value
    step.by.value = "design"
    assert "coaching cycle" in step.table.value and step.chart.layout.display == "none"


def test_the_access_view_compares_educators_who_teach_the_group(app):
    step = app.participation
    step.year.value = "2025-26"
    step.group.value = ("english_learner", "yes")
    table = step.model.access("english_learner", "yes")
    # Independently, from the CSV files: an educator teaches the group with at least 10 distinct
    # students of it on a 2025-26 roster.
    rosters = pd.read_csv(SAMPLE_FOLDER / "rosters.csv", dtype=str)
    students = pd.read_csv(SAMPLE_FOLDER / "students.csv", dtype=str)
    taught = rosters[rosters["term"] == "2025-26"][["educator_id", "student_id"]].drop_duplicates()
    taught = taught.merge(students, on="student_id")
    teaching = (taught["english_learner"] == "yes").groupby(taught["educator_id"]).sum()
    assert table["educators"].tolist() == [int((teaching >= 10).sum()), int((teaching < 10).sum())]
    hours = step.model.per_educator().set_index("educator_id")["hours"]
    fewer = hours[teaching.index[teaching >= 10]].mean() < hours[teaching.index[teaching < 10]].mean()
    assert ("fewer per person" if fewer else "more per person") in step.access.value
    step.group.value = ("race_ethnicity", "Asian")
    assert "Withheld" in step.access.value and "fewer than 10 educators" in step.access.value


def test_missing_tables_are_named_instead_of_failing():
    sample = open_sample()
    partial = open_dataset({name: sample.table(name) for name in ("educators", "schools")})
    app = make_app(dataset=partial)
    assert "participation step needs the learning_activities.csv and attendance.csv tables" in app.participation.needs.value
    assert app.participation.table.value == ""


# -- step 4: the practice map -----------------------------------------------------------------------
def build_map(app):
    step = app.ic_map
    step.map_name.value, step.innovation.value = "Number talks", "Daily talk about <i>strategies</i>"
    step.save_map.click()
    for name, lines, line in (("Student talk", "Most explain\nSome explain\nTeacher explains", 2),
                              ("Representations", "Several models\nOne model\nNo model\nWrong model", 3)):
        step.choice.value = "new"
        step.component.value, step.variations.value, step.line.value = name, lines, line
        step.save_component.click()


def test_a_practice_map_is_built_and_found_after_a_restart(app):
    build_map(app)
    assert "Saved the practice map component" in status(app)
    again = make_app()
    model = again.ic_map.model
    assert (model.map_name, model.innovation) == ("Number talks", "Daily talk about <i>strategies</i>")
    assert [(c.name, c.variations, c.acceptable_line, c.position) for c in model.components] == [
        ("Student talk", ["Most explain", "Some explain", "Teacher explains"], 2, 1),
        ("Representations", ["Several models", "One model", "No model", "Wrong model"], 3, 2)]
    assert "Representations" in again.ic_map.table.value
    assert 'download="number-talks.html"' in again.ic_map.download.value


def test_a_component_is_edited_and_removed(app):
    build_map(app)
    step = app.ic_map
    first = step.model.components[0]
    step.choice.value = first.id
    assert step.component.value == "Student talk" and step.line.value == 2
    step.line.value = 1
    step.save_component.click()
    assert step.model.components[0].acceptable_line == 1 and len(step.model.components) == 2
    step.choice.value = step.model.components[1].id
    step.remove.click()
    assert [c.name for c in step.model.components] == ["Student talk"]


def test_a_bad_acceptable_line_is_explained_and_the_text_kept(app):
    build_map(app)
    step = app.ic_map
    step.component.value, step.variations.value, step.line.value = "Tasks", "Rich\nThin", 5
    step.save_component.click()
    assert "acceptable line (5)" in status(app)
    assert step.variations.value == "Rich\nThin"


def test_components_need_a_saved_map_first(app):
    app.ic_map.component.value, app.ic_map.variations.value = "Talk", "a\nb"
    app.ic_map.save_component.click()
    assert "Save the map" in status(app)


def test_the_map_escapes_what_the_coach_typed(app):
    build_map(app)
    step = app.ic_map
    step.choice.value = "new"
    step.component.value, step.variations.value = "<script>x</script>", "<b>ideal</b>\nnot"
    step.save_component.click()
    assert "<script>" not in step.table.value and "&lt;b&gt;ideal" in step.table.value
    page = step.model.page()
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


# -- correcting and keeping what is typed ------------------------------------------------------------
def test_a_rating_needs_its_evidence_and_raters_are_picked_from_those_used(app):
    rate(app, "Ana", "evidence", 3, "   ")
    assert "one line of evidence" in status(app)
    assert app.shell.picker.store.standard_ratings.list(app.shell.picker.cycle_id) == []
    rate(app, "Ana", "evidence", 3)
    rate(app, "Ben", "leadership", 2)
    assert app.assessment.rater.options == ("Ana", "Ben")


def test_a_saved_rating_is_edited_archived_and_restored_with_its_history(app):
    rate(app, "Ana", "evidence", 2, "First look")
    step, store = app.assessment, app.shell.picker.store
    [record] = store.standard_ratings.list(app.shell.picker.cycle_id)
    step.saved.chooser.value = record.id
    step.saved.edit_button.click()
    assert (step.rater.value, step.standard.value, step.rating.value, step.evidence.value) == (
        "Ana", "evidence", 2, "First look")
    step.rating.value, step.evidence.value = 3, "Second look"
    step.save_button.click()
    [record] = store.standard_ratings.list(app.shell.picker.cycle_id)
    assert (record.rating, record.note, record.version) == (3, "Second look", 2)
    assert "changed 1 time" in step.saved.history.value and "saved at" in step.saved_mark.value
    step.saved.chooser.value = record.id
    step.saved.archive_button.click()
    assert store.standard_ratings.list(app.shell.picker.cycle_id) == [] and step.model.ratings.empty
    step.saved.show_archived.value = True
    step.saved.chooser.value = record.id
    step.saved.archive_button.click()
    assert len(step.model.ratings) == 1


def test_plan_text_is_saved_as_typed_and_the_mark_beside_save_plan_says_so(app):
    plan = app.plan
    plan.outcomes["skills"].value = "Teachers model fractions on a number line"
    assert plan.autosave.pending and "not saved yet" in plan.saved_mark.value
    plan.autosave.flush()
    [saved] = app.shell.picker.store.plans.list(app.shell.picker.cycle_id)
    assert "number line" in saved.summary and "saved at" in plan.saved_mark.value
    assert "Download the plan as a printable page" in plan.print_link.value


def test_negative_hours_are_refused_in_words(app):
    plan = app.plan
    plan.activity_title.value, plan.activity_hours.value = "Workshop", -5
    plan.add_activity.click()
    assert "Hours must be between 0 and 200" in status(app) and plan.activities == []


def test_view_only_shows_the_plan_once_and_no_form(monkeypatch):
    coach = make_app()
    coach.plan.title.value = "Our plan"
    coach.plan.save_button.click()
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = ProfessionalLearningApp()
    shown = viewer.plan.view.children
    assert viewer.plan.read_only in shown and viewer.plan.title not in shown and viewer.plan.save_button not in shown
    assert sum("Our plan" in getattr(child, "value", "") for child in shown) == 1
    assert viewer.assessment.saved.controls.layout.display == "none"


def test_the_list_the_note_the_guidance_and_the_notebook_agree_which_standard_names_came_later():
    import json
    import re

    from kit.registry import stage
    from kit.stages.s2_professional_learning.app.assessment import GUIDANCE, standard_choice
    from kit.standards import STANDARDS
    from kit.workspace import PROJECT_ROOT

    renamed = [s for s in STANDARDS if s.later_label]  # the data's second name: given after 2022
    assert renamed
    notebook = json.loads((PROJECT_ROOT / "notebooks" / stage(2).notebook).read_text())
    text = " ".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    sentence = next(part for part in re.split(r"(?<=\.) ", text) if "new names" in part)
    assert "later" in sentence and "earlier" not in sentence
    for standard in renamed:
        assert standard.later_label in sentence
        assert standard_choice(standard) == f"{standard.label} (later: {standard.later_label})"
        assert f"{standard.label} is now also called {standard.later_label}" in GUIDANCE
