"""Failure class 5: tampered backups. Every field of every record is checked before anything is
imported; the first bad record is named, and the store is left row for row as it was."""

from __future__ import annotations

import copy
import json

import pytest

from kit.store import BackupError, StoreVersionError, open_store
from kit.store.backup import export_data, import_data, import_store

AFTER = "Nothing was imported. The file may have been changed by hand or damaged: import an untouched copy."


@pytest.fixture(scope="module")
def backup(tmp_path_factory) -> dict:
    """A whole-store backup with a record of every kind (made on SQLite; imported on both back ends)."""
    with open_store(tmp_path_factory.mktemp("source") / "store.sqlite", author="ana") as source:
        cycle = source.cycles.create(name="Fall literacy", start_date="2025-09-01")
        source.goals.create(cycle.id, goal_type="student_learning", what="Read fluently", by_when="2025-12-12")
        source.standard_ratings.create(cycle.id, standard_id="learning-designs", rating=3)
        plan = source.plans.create(cycle.id, title="Fluency plan")
        source.plan_links.create(cycle.id, plan_id=plan.id, link_type="standard", ref="learning-designs")
        ic_map = source.ic_maps.create(cycle.id, name="Shared reading")
        source.ic_components.create(cycle.id, map_id=ic_map.id, name="Modelling", variations=["a", "b"],
                                    acceptable_line=1)
        source.observations.create(cycle.id, educator_id="E1", date="2025-10-02", component="Modelling", rating=2)
        source.coaching_sessions.create(cycle.id, educator_id="E1", date="2025-10-03", cycle_model="impact")
        source.reflections.create(cycle.id, stage=4, text="Modelling took hold.")
        source.decisions.create(cycle.id, decision="Continue")
        return export_data(source)


def _goal(data):
    return data["records"]["goals"][0]


def _set(path, value):
    def tamper(data):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    return tamper


def _goal_field(field, value):
    return lambda data: _goal(data).__setitem__(field, value)


def _goal_problem(data, field, problem):
    return (f"fall.json cannot be imported: its goal record 1 (id {_goal(data)['id']}) is not valid: {problem}. "
            f"{AFTER}")


RECORD_CASES = {
    "created_at is not a time": (_goal_field("created_at", "yesterday"), "created_at",
                                 "created at must be a date and time like 2025-09-01T08:30:00+00:00, not 'yesterday'"),
    "a naive timestamp": (_goal_field("updated_at", "2025-09-01T08:30:00"), "updated_at",
                          "updated at must say its time zone (like 2025-09-01T08:30:00+00:00), not '2025-09-01T08:30:00'"),
    "version is text": (_goal_field("version", "x"), "version", "version must be a whole number from 1, not 'x'"),
    "a negative version": (_goal_field("version", -3), "version", "version must be a whole number from 1, not -3"),
    "version 0": (_goal_field("version", 0), "version", "version must be a whole number from 1, not 0"),
    "version true": (_goal_field("version", True), "version", "version must be a whole number from 1, not True"),
    "archived as text": (_goal_field("archived", "false"), "archived", "archived must be true or false, not 'false'"),
    "archived as 0": (_goal_field("archived", 0), "archived", "archived must be true or false, not 0"),
    "an object as id": (_goal_field("id", {"id": 1}), "id",
                        "id must be an id such as 5f3e2a1c-..., not {'id': 1}"),
    "a numeric id": (_goal_field("id", 12345), "id", "id must be an id such as 5f3e2a1c-..., not 12345"),
    "an over-long id": (_goal_field("id", "a" * 37), "id",
                        "id must be an id such as 5f3e2a1c-..., not 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"),
    "a cycle id of no form": (_goal_field("cycle_id", None), "cycle_id",
                              "cycle id must be an id such as 5f3e2a1c-..., not None"),
    "a date of no form": (_goal_field("by_when", "next week"), "by_when",
                          "by when must be a date like 2025-09-15, not 'next week'"),
    "a NUL in a text": (_goal_field("what", "Read\x00 fluently"), "what",
                        "what cannot be saved as it is: it contains an invisible NUL character (at character 5); "
                        "remove it and save again"),
    "an unknown field": (_goal_field("mood", "good"), "mood", "it has fields a goal does not have ('mood')"),
    "a missing field": (lambda data: _goal(data).pop("who"), "who", "it lacks who"),
    "an empty author": (_goal_field("created_by", " "), "created_by", "created by cannot be used (it is empty)"),
}


@pytest.mark.parametrize("case", list(RECORD_CASES))
def test_a_tampered_record_is_named_and_nothing_is_imported(store, store_url, unchanged, backup, case):
    tamper, field, problem = RECORD_CASES[case]
    data = copy.deepcopy(backup)
    tamper(data)
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        import_data(store, data, source="fall.json")
    assert str(caught.value) == _goal_problem(data, field, problem)
    assert caught.value.record.startswith("goal record 1") and caught.value.field == field


FILE_CASES = {
    "format version as text": (_set(["format_version"], "abc"),
                               "its format version must be a whole number from 1, not 'abc'"),
    "format version missing": (_set(["format_version"], None),
                               "its format version must be a whole number from 1, not None"),
    "records as a list": (_set(["records"], []), "its records must be grouped by kind (goals, plans, ...), not given as list"),
    "an unknown kind": (_set(["records", "notes"], []), "it has records of kinds the store does not keep ('notes')"),
    "an unknown part": (_set(["comment"], "hi"), "it has parts a backup does not have ('comment')"),
    "a kind that is not a list": (_set(["records", "goals"], {"a": 1}), "its goals must be a list of records, not dict"),
    "a cycle id naming no cycle": (_set(["cycle_id"], "0b7f1c9e-aaaa-4bbb-8ccc-123456789abc"),
                                   "it says it holds one cycle, but its cycles do not match that cycle"),
    "a store version of no form": (_set(["schema_revision"], 7), "its store version must be text, not 7"),
}


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_a_tampered_file_is_refused_and_nothing_is_imported(store, store_url, unchanged, backup, case):
    tamper, problem = FILE_CASES[case]
    data = copy.deepcopy(backup)
    tamper(data)
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        import_data(store, data, source="fall.json")
    assert str(caught.value) == f"fall.json cannot be imported: {problem}. {AFTER}"


def test_a_record_given_as_a_list_is_refused(store, store_url, unchanged, backup):
    data = copy.deepcopy(backup)
    data["records"]["plans"][0] = ["Fluency plan"]
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        import_data(store, data, source="fall.json")
    assert str(caught.value) == ("fall.json cannot be imported: its learning plan record 1 is not valid: a record "
                                 f"must be a set of named values, not list. {AFTER}")


def test_a_whole_number_given_as_text_is_refused_in_a_backup(store, backup):
    data = copy.deepcopy(backup)
    data["records"]["standard_ratings"][0]["rating"] = "3"
    with pytest.raises(BackupError, match="rating must be a whole number, not '3'"):
        import_data(store, data, source="fall.json")


def test_two_records_with_one_id_are_refused(store, backup):
    data = copy.deepcopy(backup)
    data["records"]["decisions"][0]["id"] = _goal(data)["id"]
    with pytest.raises(BackupError, match=r"its cycle decision record 1 \(id .*\) is not valid: its id is used by "
                                          "another record of the backup"):
        import_data(store, data, source="fall.json")


def test_a_store_version_this_kit_does_not_know_is_refused(store, backup):
    data = copy.deepcopy(backup)
    data["schema_revision"] = "0099_future"
    with pytest.raises(StoreVersionError, match="made by a version of the kit this one does not know"):
        import_data(store, data, source="fall.json")


def test_a_backup_from_the_previous_store_version_lacks_the_new_fields_and_imports(store, backup):
    data = copy.deepcopy(backup)
    data["schema_revision"] = "0002_cycle_indexes"
    for row in data["records"]["coaching_sessions"]:
        for name in ("component", "cycle_model", "student_target", "evidence_pre", "evidence_post"):
            row.pop(name)
    for row in data["records"]["observations"]:
        row.pop("level_of_use")
    assert import_data(store, data).added == 11
    assert store.coaching_sessions.list(data["cycle_id"] or store.cycles.list()[0].id)[0].cycle_model is None


def test_a_clean_backup_file_imports_and_messages_never_say_your_text_is_kept(store, backup, tmp_path):
    (tmp_path / "fall.json").write_text(json.dumps(backup))
    assert import_store(store, tmp_path / "fall.json").added == 11
    data = copy.deepcopy(backup)
    _goal(data)["what"] = "Changed"
    with pytest.raises(BackupError) as caught:
        import_data(store, data, source="fall.json")
    assert "your text is kept" not in str(caught.value)
