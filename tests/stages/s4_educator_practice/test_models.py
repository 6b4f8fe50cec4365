"""The stage 4 model without widgets: a fresh store per test, the sample district as the data."""

import datetime as dt

import pandas as pd
import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.io import open_sample
from kit.sample import BROKEN_CHAIN_SCHOOL, COMPONENTS
from kit.stages.s4_educator_practice.analysis.observations import FROM_APP
from kit.stages.s4_educator_practice.models import FRAME_PARTS, PracticeModel
from kit.store import open_store


def test_a_corrected_walkthrough_changes_its_records_and_archives_a_component_no_longer_seen(model):
    first = _walk(model, ratings={COMPONENTS[0]: 4, COMPONENTS[1]: 1}, note="first")
    visit = model.visit_of(first[0])
    assert sorted(r.component for r in visit) == sorted(COMPONENTS[:2])
    corrected = model.save_walkthrough("E002", dt.date(2026, 4, 21), "O9", None, {COMPONENTS[0]: 2}, "moved",
                                       editing=visit)
    assert [r.id for r in corrected] == [first[0].id]  # changed in place, not added
    everything = model.records_with_archived("observations")
    assert sorted((r.educator_id, r.component, r.archived) for r in everything) == sorted(
        [("E002", COMPONENTS[0], False), ("E001", COMPONENTS[1], True)])
    assert model.typed == [r for r in everything if not r.archived]


def test_a_corrected_coaching_session_is_changed_in_place_and_a_blanked_field_is_emptied(model):
    saved = model.save_coaching_session(educator_id="E001", date=dt.date(2026, 3, 2), focus="Pairs", next_step="Visit")
    changed = model.save_coaching_session(saved, educator_id="E001", date=dt.date(2026, 3, 2), focus="Pairs, again",
                                          next_step="")
    assert changed.id == saved.id and changed.version == 2
    assert [(s.focus, s.next_step) for s in model.sessions] == [("Pairs, again", None)]


def test_reflections_on_practice_are_their_own_model_and_saving_one_recomputes_nothing(picker, sample):
    from kit.stages.s4_educator_practice.models import PracticeReflectionModel

    practice, reflection = PracticeModel(picker, sample), PracticeReflectionModel(picker, sample)
    revision = practice.revision
    reflection.save_reflection("Practice rose where coaching was regular.")
    assert practice.revision == revision and [r.stage for r in reflection.reflections] == [4]
    practice.load()
    assert practice.reflection.text == "Practice rose where coaching was regular."


@pytest.fixture(scope="module")
def sample():
    return open_sample()


@pytest.fixture
def picker(tmp_path):
    model = CyclePicker(store=open_store(tmp_path / "kit.db")).model
    model.create("Discourse, 2025-26")
    return model


@pytest.fixture
def model(picker, sample):
    return PracticeModel(picker, sample)


def _walk(model, educator="E001", day=dt.date(2026, 4, 20), ratings=None, **kw):
    ratings = ratings if ratings is not None else {COMPONENTS[0]: 4, COMPONENTS[1]: 1}
    return model.save_walkthrough(educator, day, kw.get("observer", "O9"), kw.get("window"), ratings,
                                  kw.get("note", ""), kw.get("level_of_use"))


def test_without_a_map_the_sample_is_judged_against_the_assumed_line_and_the_break_is_named(model, sample):
    assert "assumed line: 3 or higher" in model.scale_note()
    school = sample.table("schools").set_index("school_id").loc[BROKEN_CHAIN_SCHOOL, "school_name"]
    assert model.broken_at == [school] and model.breaks[0].startswith(f"At {school},")


def test_a_walkthrough_is_saved_merged_counted_once_and_there_after_a_restart(model, picker, sample):
    before = len(model.observations)
    saved = _walk(model, note="Pairs <talked>", level_of_use="IVA")
    assert len(saved) == 2 and "Saved the walkthrough of E001" in picker.message
    typed = model.observations[model.observations["source"] == FROM_APP]
    assert len(model.observations) == before + 2 and len(typed) == 2
    assert set(typed["window"]) == {model.windows[-1]}  # the nearest window by date
    _walk(model, ratings={COMPONENTS[0]: 2})  # the same visit again: updated, not added
    assert len(model.observations) == before + 2
    restarted = PracticeModel(picker, sample)
    rows = restarted.observations[restarted.observations["source"] == FROM_APP].set_index("component")
    assert rows.loc[COMPONENTS[0], "rating"] == 2 and rows.loc[COMPONENTS[1], "note"] == "Pairs <talked>"
    assert rows.loc[COMPONENTS[1], "level_of_use"] == "IVA"
    latest = restarted.fidelity[restarted.fidelity["educator_id"] == "E001"].iloc[-1]
    assert latest["window"] == restarted.windows[-1]


def test_a_walkthrough_without_an_educator_or_a_rating_is_refused_in_words(model, picker):
    assert _walk(model, educator=" ") is None and picker.message == "Choose the educator you visited first."
    assert _walk(model, ratings={COMPONENTS[0]: None}) is None
    assert picker.message == "Choose a variation for at least one component you saw."
    assert model.typed == []


def test_with_a_map_the_form_offers_its_variations_and_fidelity_uses_its_line(picker, sample):
    store, cycle = picker.store, picker.cycle_id
    practice_map = store.ic_maps.create(cycle, name="Discourse map")
    for position, name in enumerate(COMPONENTS):
        store.ic_components.create(cycle, map_id=practice_map.id, name=name, position=position,
                                   variations=["ideal", "good", "weak", "absent"], acceptable_line=1)
    model = PracticeModel(picker, sample)
    assert model.has_map and '"Discourse map"' in model.scale_note()
    name, choices = model.walkthrough_components()[0]
    assert name == COMPONENTS[0] and choices[:2] == [("1. ideal", 4), ("2. good", 3)]
    assert model.scale["acceptable_rating"].tolist() == [4] * len(COMPONENTS)  # only the ideal is acceptable
    at_line = model.observations.assign(ok=model.observations["rating"] >= 4)
    first = model.fidelity.iloc[0]
    expected = at_line[(at_line["educator_id"] == first["educator_id"]) & (at_line["window"] == first["window"])]
    assert first["fidelity"] == pytest.approx(expected["ok"].mean())


def test_a_coaching_session_is_saved_joins_the_dose_and_sets_the_next_defaults(model, picker):
    dose_before = model.per_educator.set_index("educator_id").loc["E003", "dose"]
    record = model.save_coaching_session(educator_id="E003", date=dt.date(2026, 3, 2), minutes=90,
                                         focus="Talk moves", component=COMPONENTS[0], cycle_model="student_centred",
                                         student_target="Explain a strategy", evidence_pre="6 of 24", next_step="")
    assert record is not None and record.minutes == 90
    assert model.per_educator.set_index("educator_id").loc["E003", "dose"] == pytest.approx(dose_before + 1.5)
    defaults = model.session_defaults()
    assert {k: defaults[k] for k in ("educator_id", "minutes", "component", "cycle_model", "student_target")} == {
        "educator_id": "E003", "minutes": 90, "component": COMPONENTS[0], "cycle_model": "student_centred",
        "student_target": "Explain a strategy"}
    assert defaults["date"] == dt.date.today()
    assert model.save_coaching_session(educator_id="", date=dt.date(2026, 3, 2)) is None
    assert picker.message == "Choose the educator you coached first."


def test_the_reflection_is_saved_with_stage_4_and_updated_in_place(model, picker):
    model.save_reflection("Practice rose, except where coaching was thin.")
    model.save_reflection("Practice rose; plan visits at the school where it did not.")
    saved = picker.store.reflections.list(picker.cycle_id)
    assert [(r.stage, r.text) for r in saved] == [(4, "Practice rose; plan visits at the school where it did not.")]


def test_view_only_names_no_educator(tmp_path, sample):
    path = tmp_path / "team.db"
    coach = CyclePicker(store=open_store(path)).model
    coach.create("Discourse, 2025-26")
    _walk(PracticeModel(coach, sample))
    team = CyclePicker(store=open_store(path, read_only=True), cycle_id=coach.cycle_id).model
    model = PracticeModel(team, sample)
    assert not model.names_educators
    assert model.unobserved.empty and model.typed_walkthroughs().empty
    assert len(model.observations[model.observations["source"] == FROM_APP]) == 2  # still in every figure


FRAMES = ("observations", "scale", "windows", "problems", "distribution", "fidelity", "change", "unobserved",
          "levels_of_use", "school_change", "log", "levels", "by_group", "per_educator", "links", "changes_by_school",
          "breaks", "broken_at", "access", "access_sentences")


def test_each_save_works_out_only_the_parts_it_can_change(model):
    from kit.stages.s4_educator_practice.models import PracticeReflectionModel

    assert set(model.computed) == {"observations", "coaching", "line"}  # the chain and access wait to be read
    model.links, model.access
    assert model.computed == {part: 1 for part in FRAME_PARTS}

    def worked_out(action) -> dict:
        before = model.computed.copy()
        action()
        model.links, model.access  # what the app's chain and access steps read
        return dict(model.computed - before)

    session = dict(educator_id="E003", date=dt.date(2026, 3, 2), minutes=90)
    assert worked_out(lambda: model.save_coaching_session(**session)) == {"coaching": 1, "chain": 1}
    assert worked_out(lambda: _walk(model, educator="E003")) == {"observations": 1, "line": 1, "chain": 1,
                                                                "access": 1}
    assert worked_out(lambda: setattr(model, "fidelity_line", 0.7)) == {"line": 1, "access": 1}
    assert worked_out(lambda: setattr(model, "fidelity_line", 0.74)) == {"line": 1}  # no educator crossed it
    assert worked_out(lambda: setattr(model, "group", model.student_groups[-1])) == {"access": 1}
    reflection = PracticeReflectionModel(model.picker, model.dataset)
    assert worked_out(lambda: reflection.save_reflection("Coaching was regular.")) == {}
    assert worked_out(model.load) == {}  # the same cycle read again: nothing changed


def test_the_frames_after_saves_are_those_of_a_model_built_afresh(model, picker, sample):
    _walk(model, educator="E003", ratings={COMPONENTS[0]: 1, COMPONENTS[2]: 4})
    model.links, model.access  # worked out with the walkthrough: the session and the line must move them again
    model.save_coaching_session(educator_id="E003", date=dt.date(2026, 3, 2), minutes=90)
    model.fidelity_line = 0.7
    fresh = PracticeModel(picker, sample)
    fresh.fidelity_line = 0.7
    for name in FRAMES:
        kept, afresh = getattr(model, name), getattr(fresh, name)
        if isinstance(kept, pd.DataFrame):
            pd.testing.assert_frame_equal(kept, afresh, obj=name)
        elif isinstance(kept, dict):
            assert kept.keys() == afresh.keys()
            for by in kept:
                pd.testing.assert_frame_equal(kept[by], afresh[by], obj=f"{name} by {by}")
        else:
            assert kept == afresh, name
