"""Stage 3 models without widgets: filters, frames, tags, concerns, norms, view-only, reflections."""

import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.io import Dataset, open_dataset, open_sample
from kit.stages.s3_educator_learning.models import ConcernsModel, LearningChangeModel, ReflectionModel
from kit.store import open_store


@pytest.fixture(scope="module")
def sample():
    return open_sample()


def picker_with_cycle(name="Stage 3 cycle"):
    picker = CyclePicker(store=open_store())
    picker.name.value = name
    picker.create_button.click()
    return picker.model


def test_the_model_opens_on_the_first_and_last_windows(sample):
    model = LearningChangeModel(None, sample)
    assert (model.before, model.after) == (model.windows[0], model.windows[-1])
    assert set(model.change["group"]) == {"all educators"}
    assert model.summary().startswith(f"From {model.before} to {model.after}, 3 of 3 measures rose")


def test_changing_a_filter_recomputes_once(sample):
    model = LearningChangeModel(None, sample)
    revision = model.revision
    model.by = "school_id"
    assert model.revision == revision + 1
    assert "SCH02" in set(model.change["group"])


def test_the_same_window_twice_is_said_in_the_status_line(sample):
    picker = picker_with_cycle()
    model = LearningChangeModel(picker, sample)
    model.after = model.before
    assert "two different windows" in picker.message


def test_missing_measures_need_data():
    model = LearningChangeModel(None, Dataset())
    assert model.missing == ["educator_measures"] and model.state == "needs data"
    assert "educator_measures.csv" in model.needs_data_message


def test_without_attendance_the_hours_step_says_what_to_add(sample):
    tables = {name: frame for name, frame in sample.tables.items() if name != "attendance"}
    model = LearningChangeModel(None, open_dataset(tables))
    assert model.dose is None and model.dose_words() == "Add the attendance table to see learning hours against change."
    assert [value for _, value in model.grouping_options()] == [None, "school_id", "role"]


def test_equity_tags_are_kept_and_shown(sample):
    picker = picker_with_cycle()
    model = LearningChangeModel(picker, sample)
    assert model.suggested_tags() == ["Beliefs about students survey"]
    assert model.set_equity_tags(["Beliefs about students survey"])
    assert model.equity_section()["measure"].unique().tolist() == ["Beliefs about students survey"]
    assert LearningChangeModel(None, sample).tagged == ["Beliefs about students survey"]   # kept for the next visit
    assert not model.set_equity_tags(["No such scale"])
    assert "no measure called 'No such scale'" in picker.message


def test_view_only_cannot_tag_or_see_individuals(sample, monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    model = LearningChangeModel(None, sample)
    assert not model.set_equity_tags(["Beliefs about students survey"])
    concerns = ConcernsModel(None, sample)
    assert concerns.individuals_hidden and concerns.educator_options() == []
    assert concerns.individual("E001") is None
    assert concerns.unscored().empty


def test_concerns_group_profiles_and_peaks(sample):
    model = ConcernsModel(None, sample)
    assert set(model.profile["window"]) == {model.before, model.after}
    assert model.peaks_after["educators"].sum() > 0
    assert "raw-score profiles" in model.summary()
    one = model.individual(model.educator_options()[0])
    assert set(one["window"]) <= {model.before, model.after} and len(one) in (7, 14)


def test_a_norm_table_switches_to_percentiles_and_a_bad_one_is_listed(sample):
    picker = picker_with_cycle()
    model = ConcernsModel(picker, sample)
    rows = "\n".join(f"{raw}," + ",".join(str(min(99, 3 * raw)) for _ in range(7)) for raw in range(36))
    good = ("raw_score,stage_0,stage_1,stage_2,stage_3,stage_4,stage_5,stage_6\n" + rows).encode()
    assert model.load_norms(good, "norms.csv")
    assert set(model.profile["scale"]) == {"percentile (from your norm table)"}
    assert not model.load_norms(good.replace(b"\n35,", b"\n36,"), "norms.csv")
    assert "not a whole number from 0 to 35" in " ".join(model.norm_problems)
    assert "was not used" in picker.message
    assert model.norms is not None            # the good table stays in use


def test_a_reflection_is_saved_attributed_and_read_back(sample):
    picker = picker_with_cycle()
    model = ReflectionModel(picker, sample)
    record = model.save_reflection("  Knowledge rose most where coaching cycles ran.  ", "What did educators learn?")
    assert record.stage == 3 and record.text == "Knowledge rose most where coaching cycles ran."
    assert record.created_by
    again = ReflectionModel(picker, sample)
    assert [r.text for r in again.reflections] == ["Knowledge rose most where coaching cycles ran."]


def test_a_reflection_is_corrected_archived_and_restored_with_its_history():
    picker = picker_with_cycle()
    model = ReflectionModel(picker, Dataset())
    first = model.save_reflection("Knowledge rose.")
    corrected = model.upsert("reflection", "reflections", first, stage=3, text="Knowledge rose, skills less.")
    assert corrected.id == first.id and [r.text for r in model.records("reflections", stage=3)] == [corrected.text]
    model.archive("reflection", corrected)
    model.load()
    assert model.reflections == [] and [r.archived for r in model.records_with_archived("reflections")] == [True]
    restored = model.restore("reflection", model.records_with_archived("reflections")[0])  # as the list holds it
    model.load()
    assert [r.id for r in model.reflections] == [first.id]
    assert model.history(restored)["change"].tolist() == ["created", "changed 3 times since; the last change"]


def test_an_empty_reflection_is_refused(sample):
    picker = picker_with_cycle()
    assert ReflectionModel(picker, sample).save_reflection("   ") is None
    assert "Write the reflection first" in picker.message


def test_a_reflection_needs_an_open_cycle(sample):
    picker = CyclePicker(store=open_store()).model
    assert ReflectionModel(picker, sample).save_reflection("Something") is None
    assert "No cycle is open" in picker.message
