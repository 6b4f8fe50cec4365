"""Every record kind: create, read, update, list per cycle, archive - as a coach's app uses them."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from kit.store import KINDS, RecordNotFoundError, RecordValueError, StoreError

# One realistic record per kind, and one change a coach might make to it.
EXAMPLES = {
    "goal": ({"goal_type": "student_learning", "what": "Students read grade-level text fluently",
              "who": "Grade 3 students in rooms 12 and 14", "by_when": "2025-12-12",
              "measure": "Oral reading fluency probe", "target": "80% at benchmark"},
             {"target": "85% at benchmark"}),
    "standard_rating": ({"standard_id": "equity-practices", "rating": 2, "window": "pre",
                         "rater": "team", "note": "We rarely look at data by group."},
                        {"rating": 3}),
    "plan": ({"title": "Fluency through shared reading", "summary": "Four sessions and coaching."},
             {"summary": "Five sessions, then coaching."}),
    "ic_map": ({"name": "Shared reading", "innovation": "Shared reading routine"},
               {"innovation": "Shared reading routine, grades 3-5"}),
    "observation": ({"educator_id": "E07", "date": "2025-10-02", "observer_id": "C01", "window": "fall",
                     "component": "modelling", "rating": 2, "note": "Modelled phrasing twice."},
                    {"rating": 3}),
    "coaching_session": ({"educator_id": "E07", "date": "2025-10-03", "minutes": 45,
                          "focus": "Planning the fluency block", "next_step": "Try echo reading"},
                         {"minutes": 50}),
    "reflection": ({"stage": 1, "prompt": "Which groups are underserved?",
                    "text": "English learners in grade 4 are furthest from the target."},
                   {"text": "English learners in grade 4, and students with disabilities."}),
    "decision": ({"decision": "Continue and adjust", "rationale": "Practice improved; results mixed.",
                  "decided_on": "2025-12-19"}, {"rationale": "Practice improved in 6 of 8 rooms."}),
}


def _parents(store, cycle) -> dict:
    plan = store.plans.create(cycle.id, title="Plan")
    ic_map = store.ic_maps.create(cycle.id, name="Map")
    return {"plan_link": ({"plan_id": plan.id, "link_type": "standard", "ref": "learning-designs"},
                          {"note": "Central to the plan"}),
            "ic_component": ({"map_id": ic_map.id, "name": "Modelling", "position": 1,
                              "variations": ["thinks aloud", "reads aloud", "no modelling"],
                              "acceptable_line": 2}, {"acceptable_line": 1})}


def _example(store, cycle, kind):
    return EXAMPLES[kind] if kind in EXAMPLES else _parents(store, cycle)[kind]


IN_CYCLE = [name for name, kind in KINDS.items() if kind.in_cycle]


def test_every_kind_has_an_example():
    assert set(IN_CYCLE) == set(EXAMPLES) | {"plan_link", "ic_component"}


@pytest.mark.parametrize("kind", IN_CYCLE)
def test_create_then_read_gives_back_what_the_coach_typed(store, cycle, kind):
    values, _ = _example(store, cycle, kind)
    records = store.records(kind)
    created = records.create(cycle.id, **values)
    read = records.get(created.id)
    assert read == created
    assert read.version == 1 and read.archived is False and read.cycle_id == cycle.id
    assert read.created_by == read.updated_by == "ana"
    assert read.created_at.tzinfo is timezone.utc
    for name, value in values.items():
        expected = date.fromisoformat(value) if KINDS[kind].field(name).type == "date" else value
        assert getattr(read, name) == expected


@pytest.mark.parametrize("kind", IN_CYCLE)
def test_update_saves_the_change_raises_the_version_and_names_the_editor(store, cycle, kind):
    values, change = _example(store, cycle, kind)
    records = store.records(kind)
    created = records.create(cycle.id, **values)
    updated = records.update(created, by="ben", **change)
    assert records.get(created.id) == updated
    assert updated.version == 2 and updated.updated_by == "ben" and updated.created_by == "ana"
    assert updated.updated_at >= created.updated_at
    for name, value in change.items():
        assert getattr(updated, name) == value
    untouched = set(values) - set(change)
    assert {n: updated.values[n] for n in untouched} == {n: created.values[n] for n in untouched}


@pytest.mark.parametrize("kind", IN_CYCLE)
def test_list_shows_one_cycles_records_oldest_first(store, cycle, kind):
    other = store.cycles.create(name="Spring maths")
    values, _ = _example(store, cycle, kind)
    records = store.records(kind)
    first = records.create(cycle.id, **values)
    second = records.create(cycle.id, **values)
    elsewhere = records.create(other.id, **_example(store, other, kind)[0])  # links stay in their cycle
    assert [r.id for r in records.list(cycle.id)] == [first.id, second.id]
    assert [r.id for r in records.list(other.id)] == [elsewhere.id]


@pytest.mark.parametrize("kind", IN_CYCLE)
def test_archive_hides_a_record_from_lists_and_restore_brings_it_back(store, cycle, kind):
    values, _ = _example(store, cycle, kind)
    records = store.records(kind)
    kept = records.create(cycle.id, **values)
    gone = records.archive(records.create(cycle.id, **values))
    assert gone.archived and gone.version == 2
    assert [r.id for r in records.list(cycle.id)] == [kept.id]
    assert {r.id for r in records.list(cycle.id, include_archived=True)} == {kept.id, gone.id}
    back = records.restore(gone)
    assert not back.archived and {r.id for r in records.list(cycle.id)} == {kept.id, gone.id}


def test_cycles_create_rename_list_and_archive(store):
    fall = store.cycles.create(name="Fall literacy", start_date=date(2025, 9, 1))
    spring = store.cycles.create(name="Spring maths")
    assert fall.status == "planning" and fall.start_date == date(2025, 9, 1)
    renamed = store.cycles.update(fall, name="Fall literacy, grades 3-5", status="active")
    assert store.cycles.get(fall.id).name == "Fall literacy, grades 3-5" and renamed.version == 2
    store.cycles.archive(spring)
    assert [c.name for c in store.cycles.list()] == ["Fall literacy, grades 3-5"]
    assert len(store.cycles.list(include_archived=True)) == 2


def test_plan_links_list_by_plan(store, cycle):
    plan = store.plans.create(cycle.id, title="Fluency plan")
    other = store.plans.create(cycle.id, title="Other plan")
    store.plan_links.create(cycle.id, plan_id=plan.id, link_type="activity", ref="A03")
    store.plan_links.create(cycle.id, plan_id=plan.id, link_type="standard", ref="learning-designs")
    store.plan_links.create(cycle.id, plan_id=other.id, link_type="activity", ref="A09")
    links = store.plan_links.list(cycle.id, plan_id=plan.id)
    assert [(link.link_type, link.ref) for link in links] == [("activity", "A03"), ("standard", "learning-designs")]


def test_a_missing_required_value_is_refused_naming_the_field_and_keeping_the_text(store, cycle):
    with pytest.raises(RecordValueError) as caught:
        store.goals.create(cycle.id, goal_type="educator", what="  ", measure="Walkthrough form")
    assert str(caught.value) == "The goal was not saved: what is required."
    assert caught.value.field == "what" and caught.value.unsaved["measure"] == "Walkthrough form"
    assert store.goals.list(cycle.id) == []


@pytest.mark.parametrize("values, message", [
    ({"stage": "seven", "text": "x"}, "The reflection was not saved: stage must be a whole number, not 'seven'."),
    ({"stage": 9, "text": "x"}, "The reflection was not saved: stage must be from 0 to 6, not 9."),
    ({"stage": 1, "text": "x", "mood": "good"},
     "The reflection was not saved: it has no field called 'mood' (its fields are: stage, prompt, text)."),
])
def test_wrong_values_are_refused_in_a_coachs_words(store, cycle, values, message):
    with pytest.raises(RecordValueError) as caught:
        store.reflections.create(cycle.id, **values)
    assert str(caught.value) == message


def test_a_choice_outside_the_list_and_a_bad_date_are_refused(store, cycle):
    with pytest.raises(RecordValueError, match="goal type must be one of student_learning, educator, not 'team'"):
        store.goals.create(cycle.id, goal_type="team", what="x")
    with pytest.raises(RecordValueError, match="by when must be a date like 2025-09-15, not '12/19/2025'"):
        store.goals.create(cycle.id, goal_type="educator", what="x", by_when="12/19/2025")


def test_an_ic_component_needs_its_acceptable_line_inside_the_variations(store, cycle):
    ic_map = store.ic_maps.create(cycle.id, name="Shared reading")
    with pytest.raises(RecordValueError, match=r"acceptable line \(4\) must be between 1 and .* \(3\)"):
        store.ic_components.create(cycle.id, map_id=ic_map.id, name="Modelling",
                                   variations=["a", "b", "c"], acceptable_line=4)


def test_a_record_needs_a_cycle_that_is_in_the_store(store):
    with pytest.raises(StoreError, match="Choose a cycle before saving a goal"):
        store.goals.create(None, goal_type="educator", what="x")
    with pytest.raises(StoreError, match=r"its cycle \(no-such-cycle\) is not in this store"):
        store.goals.create("no-such-cycle", goal_type="educator", what="x")


def test_a_link_needs_its_plan(store, cycle):
    with pytest.raises(StoreError, match=r"The learning plan link was not saved: its learning plan \(nope\)"):
        store.plan_links.create(cycle.id, plan_id="nope", link_type="activity", ref="A01")


def test_reading_an_unknown_id_says_so(store):
    with pytest.raises(RecordNotFoundError, match="No goal with id abc is in this store."):
        store.goals.get("abc")


def test_text_is_kept_exactly_as_typed(store, cycle):
    text = "Line one\n  indented <b>not bold</b> & \u00e9l\u00e8ves \U0001F4DA\n"
    saved = store.reflections.create(cycle.id, stage=6, text=text)
    assert store.reflections.get(saved.id).text == text


def test_saved_times_are_utc_and_ordered(store, cycle):
    before = datetime.now(timezone.utc)
    goal = store.goals.create(cycle.id, goal_type="educator", what="x")
    assert before <= store.goals.get(goal.id).created_at <= datetime.now(timezone.utc)
