"""Two coaches, one record; and view-only apps that must not write."""

from __future__ import annotations

import pytest

from kit.store import ConflictError, ReadOnlyStoreError, StoreError, open_store


def test_the_second_save_of_the_same_version_is_refused_and_keeps_the_coachs_text(store_url, store, cycle):
    opened_by_ana = store.goals.create(cycle.id, goal_type="educator", what="Use exit tickets daily")
    ben = open_store(store_url, author="ben")
    opened_by_ben = ben.goals.get(opened_by_ana.id)

    ben.goals.update(opened_by_ben, target="4 days a week")
    with pytest.raises(ConflictError) as caught:
        store.goals.update(opened_by_ana, target="every day", measure="Lesson plans")
    ben.close()

    conflict = caught.value
    assert conflict.unsaved == {"target": "every day", "measure": "Lesson plans"}
    assert conflict.current.target == "4 days a week" and conflict.current.version == 2
    assert str(conflict).startswith("The goal \u201cUse exit tickets daily\u201d was changed by ben at ")
    assert "after you opened it, so your changes were not saved. Your text is kept" in str(conflict)
    assert store.goals.get(opened_by_ana.id).target == "4 days a week"


def test_after_a_conflict_the_coach_reapplies_on_the_current_version(store, cycle):
    goal = store.goals.create(cycle.id, goal_type="educator", what="Use exit tickets")
    store.goals.update(goal, who="Grade 4 team", by="ben")
    with pytest.raises(ConflictError) as caught:
        store.goals.update(goal, target="every day")
    saved = store.goals.update(caught.value.current, **caught.value.unsaved)
    assert (saved.who, saved.target, saved.version) == ("Grade 4 team", "every day", 3)


def test_archiving_a_record_changed_since_it_was_opened_is_a_conflict(store, cycle):
    goal = store.goals.create(cycle.id, goal_type="educator", what="x")
    store.goals.update(goal, what="y")
    with pytest.raises(ConflictError):
        store.goals.archive(goal)
    assert not store.goals.get(goal.id).archived


def test_saving_by_id_needs_the_opened_version(store, cycle):
    goal = store.goals.create(cycle.id, goal_type="educator", what="x")
    with pytest.raises(StoreError, match="say which version was opened"):
        store.goals.update(goal.id, what="y")
    assert store.goals.update(goal.id, expected_version=1, what="y").what == "y"


def test_a_view_only_store_reads_but_refuses_every_write(store_url, store, cycle):
    goal = store.goals.create(cycle.id, goal_type="educator", what="x")
    viewer = open_store(store_url, read_only=True)
    assert [c.name for c in viewer.cycles.list()] == ["Fall literacy"]
    with pytest.raises(ReadOnlyStoreError) as caught:
        viewer.goals.update(viewer.goals.get(goal.id), what="changed")
    assert str(caught.value) == ("This app is view-only: the goal was not saved. Open the app in "
                                 "editing mode (without KIT_VIEW_ONLY) to make changes.")
    assert caught.value.unsaved == {"what": "changed"}
    for attempt in (lambda: viewer.cycles.create(name="New"),
                    lambda: viewer.goals.create(cycle.id, goal_type="educator", what="y"),
                    lambda: viewer.goals.archive(goal)):
        with pytest.raises(ReadOnlyStoreError):
            attempt()
    viewer.close()
    assert store.goals.get(goal.id).what == "x" and len(store.cycles.list()) == 1


def test_kit_view_only_makes_stores_view_only_by_default(store_url, store, monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    with open_store(store_url) as viewer:
        assert viewer.read_only
        with pytest.raises(ReadOnlyStoreError):
            viewer.cycles.create(name="New")
    with open_store(store_url, read_only=False) as editor:
        assert not editor.read_only
