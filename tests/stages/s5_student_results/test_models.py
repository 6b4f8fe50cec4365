"""Stage 5 models without widgets: windows and choices, the chain, attributes, costs, view-only, reflections."""

import pandas as pd
import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.io import Dataset, open_dataset
from kit.sample import generate_district
from kit.stages.s5_student_results.models import COSTS_SETTING, ReflectionModel, StudentResultsModel
from kit.store import open_store
from kit.workspace import load_settings


@pytest.fixture(scope="module")
def model(sample):
    return StudentResultsModel(None, sample)


def picker_with_cycle(name="Stage 5 cycle"):
    picker = CyclePicker(store=open_store())
    picker.name.value = name
    picker.create_button.click()
    return picker.model


def test_the_model_opens_on_a_years_growth_of_the_first_subject(model):
    assert (model.before, model.after, model.subject) == ("2025-26 fall", "2025-26 spring", model.subjects[0])
    assert model.summary().startswith("3,000 students have math scores in both 2025-26 fall and 2025-26 spring")
    assert list(model.comparisons["treatment"]) == ["at or above the line"]
    assert "Maple Elementary" in " ".join(model.school_breaks)  # the planted school, by its name


def test_a_choice_recomputes_once_and_a_bad_window_is_said(sample):
    picker = picker_with_cycle()
    model = StudentResultsModel(picker, sample)
    revision = model.revision
    model.compare_by = "participation"
    assert model.revision == revision + 1
    assert model.comparisons.loc[0, "comparison"].startswith("students of educators with")
    model.after = model.before
    assert "two different windows" in picker.message


def test_an_educator_attribute_from_the_file_becomes_a_comparison():
    tables = generate_district(900, seed=5)
    educators = tables["educators"].copy()
    educators["cohort"] = ["first" if i % 2 else "second" for i in range(len(educators))]
    dataset = open_dataset({**tables, "educators": educators})
    model = StudentResultsModel(None, dataset)
    assert ("Educators' cohort", "educators:cohort") in model.comparison_options()
    model.compare_by = "educators:cohort"
    assert model.comparisons.loc[0, "comparison"] == ("students of educators whose cohort is first compared with "
                                                      "students of educators whose cohort is second")


def test_following_an_educator_and_their_class_growth_are_for_the_coach_only(sample, monkeypatch):
    coach = StudentResultsModel(None, sample)
    first = coach.educator_options()[0]
    assert list(coach.follow(first)["step"])[0] == "dose"
    coach.growth_view = "educator_id"
    assert coach.growth_table["group"].str.startswith("E").all() and coach.growth_table["n"].dropna().ge(10).all()
    coach.growth_view = "subject"
    assert set(coach.growth_table["group"]) == {*coach.subjects, "all students"}
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    team = StudentResultsModel(None, sample)
    assert team.educator_options() == [] and team.follow(first).empty
    assert "educator_id" not in {value for _, value in team.growth_view_options()}
    assert not team.enter_cost("A24D1", 100)


def test_an_entered_cost_is_kept_in_the_workspace_and_bad_costs_are_refused(sample):
    picker = picker_with_cycle()
    model = StudentResultsModel(picker, sample)
    activity = [value for _, value in model.activity_options() if value.startswith("A25")][0]  # shown year
    before = model.cost.loc[0, "total_cost"]
    assert model.enter_cost(activity, 5000)
    assert load_settings()[COSTS_SETTING] == {activity: 5000.0}
    assert model.cost.loc[0, "total_cost"] > before
    assert not model.enter_cost(activity, -3) and "at least 0" in picker.message
    assert not model.enter_cost("nope", 3) and "no learning activity 'nope'" in picker.message
    assert StudentResultsModel(None, sample).entered_costs == {activity: 5000.0}


def test_missing_rosters_need_data():
    model = StudentResultsModel(None, Dataset())
    assert model.state == "needs data" and "rosters.csv" in model.needs_data_message


def test_a_reflection_is_saved_with_stage_5():
    picker = picker_with_cycle()
    reflection = ReflectionModel(picker, Dataset())
    assert reflection.save_reflection("  ") is None and "Write the reflection first" in picker.message
    record = reflection.save_reflection("Growth followed practice, not hours.", "Where does the chain hold?")
    assert record.stage == 5 and [r.text for r in reflection.reflections] == ["Growth followed practice, not hours."]


def test_a_reflection_on_results_is_archived_out_of_the_list_and_restored():
    picker = picker_with_cycle()
    reflection = ReflectionModel(picker, Dataset())
    record = reflection.save_reflection("Growth followed practice.")
    reflection.archive("reflection", record)
    reflection.load()
    assert reflection.reflections == [] and [r.stage for r in reflection.records_with_archived("reflections")] == [5]
    reflection.restore("reflection", reflection.records_with_archived("reflections")[0])
    reflection.load()
    assert [r.text for r in reflection.reflections] == ["Growth followed practice."]


def test_a_class_attribute_from_the_rosters_file_becomes_a_comparison():
    tables = generate_district(900, seed=6)
    rosters = tables["rosters"].copy()
    rosters["class_type"] = ["co-taught" if i % 3 == 0 else "single teacher" for i in range(len(rosters))]
    model = StudentResultsModel(None, open_dataset({**tables, "rosters": rosters}))
    assert ("Classes' class type", "rosters:class_type") in model.comparison_options()
    model.compare_by = "rosters:class_type"
    row = model.comparisons.iloc[0]
    assert row["comparison"] == ("students in classes whose class type is co-taught compared with students in "
                                 "classes whose class type is single teacher")
    assert pd.notna(row["growth_g"]) or "fewer than" in row["reason"]
