"""Stage 6's model without widgets, on a small slice of the sample district (one school, two
subjects, every window) and a fresh store per test."""

from collections import OrderedDict
from dataclasses import replace

import pytest

from kit.apps.cycle_picker import CyclePickerModel
from kit.charts import pictures
from kit.io import Dataset, open_sample
from kit.store import open_store
from kit.stages.s6_continuous_improvement import charts, models
from kit.stages.s6_continuous_improvement.models import ContinuousImprovementModel, default_windows, report_file_name

SCHOOL = "SCH01"


@pytest.fixture(scope="module")
def small():
    """Students, assessments, educators and their tables for one school of the sample."""
    sample = open_sample()
    students = sample.table("students")
    kept = set(students.loc[students["school_id"] == SCHOOL, "student_id"])
    educators = sample.table("educators")
    staff = set(educators.loc[educators["school_id"] == SCHOOL, "educator_id"])
    frames = {"students": students[students["student_id"].isin(kept)],
              "assessments": sample.table("assessments")[sample.table("assessments")["student_id"].isin(kept)],
              "educators": educators[educators["educator_id"].isin(staff)]}
    for name in ("educator_measures", "observations", "attendance"):
        frames[name] = sample.table(name)[sample.table(name)["educator_id"].isin(staff)]
    for name in ("learning_activities", "schools"):
        frames[name] = sample.table(name)
    frames["rosters"] = sample.table("rosters")[sample.table("rosters")["student_id"].isin(kept)]
    loaded = {name: replace(sample.loaded[name], frame=frame.reset_index(drop=True)) for name, frame in frames.items()}
    return Dataset(loaded=loaded, min_group_size=sample.min_group_size)


@pytest.fixture
def picker():
    model = CyclePickerModel(store=open_store("sqlite://", author="coach"))
    model.create("Cycle one", focus="Talk")
    return model


@pytest.fixture
def model(picker, small):
    return ContinuousImprovementModel(picker, small)


def test_the_cycle_windows_default_to_the_latest_school_year(model):
    assert (model.before, model.after) == default_windows(model.windows) == ("2025-26 fall", "2025-26 spring")


def test_goals_saved_in_the_cycle_are_judged_when_the_cycle_changes(model, picker, small):
    scores = small.table("assessments")
    math = scores[scores["subject"] == "math"].groupby("window")["score"].mean()
    gain = math["2025-26 spring"] - math["2025-26 fall"]
    for target in (gain - 1, gain + 1):
        picker.store.goals.create(picker.cycle_id, goal_type="student_learning", what="math for all students",
                                  target=f"+{target:.2f} points")
    model.load()
    assert model.review["figure"].tolist() == pytest.approx([gain, gain])
    assert model.review["verdict"].tolist() == ["met", "partly" if gain > 0 else "not met"]


def test_a_decision_is_refused_without_reasons_and_replaced_not_duplicated(model, picker):
    assert model.save_decision("keep", "x") is None and "adopt, adapt or abandon" in picker.message
    assert model.save_decision("adopt", "  ") is None and "reasons" in picker.message
    model.save_decision("adopt", "It worked")
    model.save_decision("adapt", "It worked for some groups")
    saved = picker.store.decisions.list(picker.cycle_id)
    assert [(d.decision, d.rationale, d.version) for d in saved] == [("adapt", "It worked for some groups", 2)]


def test_an_archived_decision_leaves_the_cycle_and_a_corrected_one_changes_in_place(model, picker):
    first = model.save_decision("adopt", "It worked")
    model.archive("decision", first)
    model.load_decision()
    assert model.decision is None
    second = model.save_decision("adapt", "It worked for some groups")
    assert second.id != first.id  # the archived decision is not changed by the next one
    corrected = model.save_decision("adapt", "It worked for English learners", existing=second)
    assert corrected.id == second.id and model.decision.rationale == "It worked for English learners"
    model.restore("decision", next(d for d in model.records_with_archived("decisions") if d.archived))
    kept = picker.store.decisions.list(picker.cycle_id)
    assert sorted(d.rationale for d in kept) == ["It worked", "It worked for English learners"]


def test_a_reflection_on_the_cycle_is_listed_with_every_stages_at_once(model, picker, small):
    from kit.stages.s6_continuous_improvement.models import CycleReflectionModel

    picker.store.reflections.create(picker.cycle_id, stage=2, text="Plan held.")
    reflection = CycleReflectionModel(picker, small)
    reflection.save_reflection("The cycle worked for some groups.")
    model.load_reflections()
    assert model.reflections["stage"].tolist() == [2, 6]


def test_windows_in_the_wrong_order_are_refused_in_words(model, picker):
    model.before, model.after = "2025-26 spring", "2025-26 fall"
    assert "before the last window" in picker.message


def test_a_chart_is_drawn_again_only_when_what_it_shows_changes(model):
    title = next(iter(model.charts))
    first = model.chart_png(title)
    assert model.chart_png(title) is first and first.startswith(b"\x89PNG")
    revision = model.revision
    model.load()  # what opening another cycle does: the same windows, the same charts
    assert model.revision > revision and model.chart_png(title) is first
    model.rules = "all"
    assert model.chart_png(title) is not first


def test_a_model_built_again_in_the_same_kernel_draws_no_chart_again(model, picker, small, monkeypatch):
    pictures = [model.chart_png(title) for title in model.charts]
    monkeypatch.setattr(charts, "measure_run_chart", lambda *_, **__: pytest.fail("a chart was drawn again"))
    again = ContinuousImprovementModel(picker, small)  # e.g. a preheated kernel's app, built again at the visit
    assert [again.chart_png(title) for title in again.charts] == pictures


def test_only_the_newest_pictures_are_kept(model, monkeypatch):
    monkeypatch.setattr(pictures, "PICTURES_KEPT", 2)
    monkeypatch.setattr(pictures, "_KEPT", OrderedDict())
    for title in model.charts:
        model.chart_png(title)
    assert list(pictures._KEPT) == [("run chart", model._chart_keys[title]) for title in list(model.charts)[-2:]]


def test_the_report_is_written_to_the_workspace_reports_folder(model, fresh_workspace):
    page = model.make_report()
    assert page.startswith("<!DOCTYPE html>")
    assert (fresh_workspace / "reports" / report_file_name("Cycle one", False)).read_text(encoding="utf-8") == page


def test_a_next_cycle_needs_a_name_and_opens_when_made(model, picker):
    assert model.create_next("  ") is None and "name" in picker.message
    old = picker.cycle_id
    made = model.create_next("Cycle two")
    assert made is not None and picker.cycle_id == made.id != old and model.cycle_id == made.id
    assert picker.store.cycles.get(made.id).focus == "Talk"


def test_without_a_cycle_nothing_is_saved(small):
    picker = CyclePickerModel(store=open_store("sqlite://"))
    model = ContinuousImprovementModel(picker, small)
    assert model.save_decision("adopt", "why") is None and "No cycle is open" in picker.message


def test_the_reports_evidence_waits_for_a_report_and_is_worked_out_once_per_windows(model, monkeypatch,
                                                                                   fresh_workspace):
    assert "gap_changes" not in model.evidence  # the run charts and the review read none of it
    asked = []
    real = models.report_evidence
    monkeypatch.setattr(models, "report_evidence", lambda tables, before, after, *rest, **options: (
        asked.append((before, after)) or real(tables, before, after, *rest, **options)))
    model.make_report()
    model.internal = True
    internal = model.make_report()
    assert asked == [(model.before, model.after)] and len(model.evidence["gap_changes"])
    assert model.evidence["educators"] is None and '<section id="educators">' in internal  # internal only
    model.before = model.windows[0]
    model.make_report()
    assert asked[-1] == (model.windows[0], model.after) and len(asked) == 2
