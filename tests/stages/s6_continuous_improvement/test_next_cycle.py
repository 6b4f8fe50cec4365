"""The next cycle: copies, never shared records, and the old cycle unchanged after a round trip."""

import json

import pytest

from kit.store import open_store
from kit.stages.s6_continuous_improvement.next_cycle import CARRIED, create_next_cycle, cycle_snapshot


@pytest.fixture
def store():
    with open_store("sqlite://", author="coach") as opened:
        yield opened


@pytest.fixture
def old_cycle(store):
    cycle = store.cycles.create(name="Fall literacy", focus="Student talk in math")
    goal = store.goals.create(cycle.id, goal_type="student_learning", what="English learners explain reasoning",
                              target="70% proficient")
    store.goals.create(cycle.id, goal_type="educator", what="Teachers lead discourse", target="+2 points")
    plan = store.plans.create(cycle.id, title="Discourse plan",
                              summary=json.dumps({"kit_plan": 1, "student_goal_id": goal.id,
                                                  "outcomes": {"skills": "Lead talk moves: +2 points"}}))
    store.plan_links.create(cycle.id, plan_id=plan.id, link_type="activity", ref="A01")
    ic_map = store.ic_maps.create(cycle.id, name="Discourse map")
    store.ic_components.create(cycle.id, map_id=ic_map.id, name="Talk", position=0,
                               variations=["All explain", "Some explain", "Teacher explains"], acceptable_line=2)
    store.reflections.create(cycle.id, stage=6, text="Talk grew")
    store.decisions.create(cycle.id, decision="adapt", rationale="practice did not follow learning")
    return cycle


def test_every_carried_record_is_copied_as_a_new_record_of_the_new_cycle(store, old_cycle):
    new = create_next_cycle(store, old_cycle.id, "Spring literacy")
    assert new.focus == "Student talk in math"
    for table in CARRIED:
        old, copied = store.records(table).list(old_cycle.id), store.records(table).list(new.id)
        assert len(copied) == len(old) > 0
        assert not {r.id for r in old} & {r.id for r in copied}


def test_references_in_the_copies_point_to_the_copies(store, old_cycle):
    new = create_next_cycle(store, old_cycle.id, "Spring literacy")
    plan = store.plans.list(new.id)[0]
    goal_ids = {g.id for g in store.goals.list(new.id)}
    assert json.loads(plan.summary)["student_goal_id"] in goal_ids
    assert store.plan_links.list(new.id)[0].plan_id == plan.id
    assert store.ic_components.list(new.id)[0].map_id == store.ic_maps.list(new.id)[0].id


def test_evidence_of_the_old_cycle_is_not_carried(store, old_cycle):
    new = create_next_cycle(store, old_cycle.id, "Spring literacy")
    assert store.reflections.list(new.id) == [] and store.decisions.list(new.id) == []


def test_round_trip_create_next_edit_copies_reopen_old_changes_nothing(store, old_cycle):
    before = cycle_snapshot(store, old_cycle.id)
    new = create_next_cycle(store, old_cycle.id, "Spring literacy")
    for goal in store.goals.list(new.id):
        store.goals.update(goal, what=goal.what + " (next)", target="80% proficient")
    for component in store.ic_components.list(new.id):
        store.ic_components.update(component, variations=["A", "B"], acceptable_line=1)
    store.plans.update(store.plans.list(new.id)[0], title="Changed plan")
    store.ic_maps.archive(store.ic_maps.list(new.id)[0])
    store.cycles.update(new, focus="Writing")
    assert cycle_snapshot(store, old_cycle.id) == before
    assert store.goals.list(old_cycle.id)[0].target == "70% proficient"
