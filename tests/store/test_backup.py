"""Backup and move: export the store or one cycle to a file, import it back, exactly."""

from __future__ import annotations

import json

import pytest

from kit.store import StoreError, StoreVersionError, open_store
from kit.store.backup import ImportSummary, export_data, export_store, import_store


def _fill(store, name):
    cycle = store.cycles.create(name=name, focus="Fluency", start_date="2025-09-01", status="active")
    store.goals.create(cycle.id, goal_type="student_learning", what=f"{name}: read fluently",
                       by_when="2025-12-12", target="80%")
    plan = store.plans.create(cycle.id, title="Plan")
    store.plan_links.create(cycle.id, plan_id=plan.id, link_type="standard", ref="learning-designs")
    ic_map = store.ic_maps.create(cycle.id, name="Shared reading")
    store.ic_components.create(cycle.id, map_id=ic_map.id, name="Modelling",
                               variations=["thinks aloud", "reads aloud", "none"], acceptable_line=2)
    store.standard_ratings.create(cycle.id, standard_id="equity-practices", rating=2)
    store.observations.create(cycle.id, educator_id="E1", date="2025-10-01", component="Modelling", rating=1)
    session = store.coaching_sessions.create(cycle.id, educator_id="E1", date="2025-10-02", minutes=30)
    store.coaching_sessions.update(session, next_step="Echo reading \u2014 try it Tuesday", by="ben")
    store.reflections.create(cycle.id, stage=4, text="Line one\nLine two <i>&</i>")
    archived = store.decisions.create(cycle.id, decision="Stop")
    store.decisions.archive(archived)
    return cycle


def _records(data):
    return data["records"]


def test_the_whole_store_round_trips_exactly(store, tmp_path, backend):
    _fill(store, "Fall literacy")
    _fill(store, "Spring maths")
    path = export_store(store, tmp_path / "backup" / "all.json")

    with open_store(tmp_path / "elsewhere.sqlite") as other:
        summary = import_store(other, path)
        assert summary == ImportSummary(added=22, unchanged=0, replaced=0)
        assert _records(export_data(other)) == _records(json.loads(path.read_text()))
        for kind in ("goals", "coaching_sessions", "decisions"):
            for cycle in store.cycles.list():
                assert (other.records(kind).list(cycle.id, include_archived=True)
                        == store.records(kind).list(cycle.id, include_archived=True))


def test_one_cycle_exports_alone_and_imports_into_another_store(store, store_url, tmp_path):
    fall = _fill(store, "Fall literacy")
    _fill(store, "Spring maths")
    path = export_store(store, tmp_path / "fall.json", cycle_id=fall.id)
    data = json.loads(path.read_text())
    assert [c["name"] for c in data["records"]["cycles"]] == ["Fall literacy"]
    assert all(r["cycle_id"] == fall.id for kind, rows in data["records"].items() if kind != "cycles" for r in rows)

    with open_store(tmp_path / "laptop.sqlite") as laptop:
        assert import_store(laptop, path).added == 11
        assert [c.name for c in laptop.cycles.list()] == ["Fall literacy"]
        assert laptop.coaching_sessions.list(fall.id)[0].updated_by == "ben"


def test_importing_the_same_backup_twice_changes_nothing(store, tmp_path):
    _fill(store, "Fall literacy")
    path = export_store(store, tmp_path / "all.json")
    assert import_store(store, path) == ImportSummary(added=0, unchanged=11, replaced=0)


def test_an_import_that_would_overwrite_newer_work_stops_unless_asked_to_replace(store, tmp_path):
    cycle = _fill(store, "Fall literacy")
    path = export_store(store, tmp_path / "all.json")
    goal = store.goals.list(cycle.id)[0]
    store.goals.update(goal, target="90%")

    with pytest.raises(StoreError) as caught:
        import_store(store, path)
    assert str(caught.value) == (
        "Nothing was imported from all.json: 1 record(s) in it differ from the same record(s) in this "
        "store (goal \u201cFall literacy: read fluently\u201d). Import with replace to overwrite them "
        "with the backup's version.")
    assert store.goals.get(goal.id).target == "90%"
    assert import_store(store, path, replace=True) == ImportSummary(added=0, unchanged=10, replaced=1)
    assert store.goals.get(goal.id).target == "80%"


def test_a_file_that_is_not_a_backup_is_refused(store, tmp_path):
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    (tmp_path / "broken.json").write_text('{"format": ')
    with pytest.raises(StoreError, match="notes.json is not a coaching store backup"):
        import_store(store, tmp_path / "notes.json")
    with pytest.raises(StoreError, match="The backup file broken.json could not be read"):
        import_store(store, tmp_path / "broken.json")


def test_a_backup_from_a_newer_kit_is_refused(store, tmp_path):
    data = export_data(store)
    data["format_version"] = 99
    (tmp_path / "new.json").write_text(json.dumps(data))
    with pytest.raises(StoreVersionError, match="made by a newer version of the kit"):
        import_store(store, tmp_path / "new.json")


def test_a_view_only_store_refuses_an_import(store, store_url, tmp_path):
    _fill(store, "Fall literacy")
    path = export_store(store, tmp_path / "all.json")
    with open_store(tmp_path / "other.sqlite"):
        pass
    with open_store(tmp_path / "other.sqlite", read_only=True) as viewer:
        with pytest.raises(StoreError, match="view-only"):
            import_store(viewer, path)
