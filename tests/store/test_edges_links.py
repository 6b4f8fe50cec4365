"""Failure class 6: links stay inside their cycle, so every one-cycle export imports into an empty store."""

from __future__ import annotations

import copy

import pytest

from kit.store import BackupError, StoreError, open_store
from kit.store.backup import export_data, import_data


def _two_cycles(store):
    fall = store.cycles.create(name="Fall literacy")
    spring = store.cycles.create(name="Spring maths")
    plans = {c.id: store.plans.create(c.id, title=f"{c.name} plan") for c in (fall, spring)}
    maps = {c.id: store.ic_maps.create(c.id, name=f"{c.name} map") for c in (fall, spring)}
    return fall, spring, plans, maps


def test_a_link_to_another_cycles_plan_is_refused(store, store_url, unchanged):
    fall, spring, plans, maps = _two_cycles(store)
    with unchanged(store_url), pytest.raises(StoreError) as caught:
        store.plan_links.create(fall.id, plan_id=plans[spring.id].id, link_type="standard", ref="evidence")
    assert str(caught.value) == ("The learning plan link was not saved: its learning plan \u201cSpring maths plan\u201d "
                                 "belongs to another cycle. Choose a learning plan of this cycle.")
    assert caught.value.unsaved["ref"] == "evidence"
    with pytest.raises(StoreError, match="its Innovation Configuration map \u201cSpring maths map\u201d belongs to "
                                         "another cycle"):
        store.ic_components.create(fall.id, map_id=maps[spring.id].id, name="Modelling", variations=["a"],
                                   acceptable_line=1)


def test_moving_a_link_to_another_cycles_plan_is_refused(store, store_url, unchanged):
    fall, spring, plans, _ = _two_cycles(store)
    link = store.plan_links.create(fall.id, plan_id=plans[fall.id].id, link_type="activity", ref="A01")
    with unchanged(store_url), pytest.raises(StoreError, match="belongs to another cycle"):
        store.plan_links.update(link, plan_id=plans[spring.id].id)
    assert store.plan_links.get(link.id).plan_id == plans[fall.id].id


def test_every_one_cycle_export_imports_into_an_empty_store(store, tmp_path, backend):
    fall, spring, plans, maps = _two_cycles(store)
    for cycle in (fall, spring):
        store.plan_links.create(cycle.id, plan_id=plans[cycle.id].id, link_type="standard", ref="evidence")
        store.ic_components.create(cycle.id, map_id=maps[cycle.id].id, name="Modelling", variations=["a", "b"],
                                   acceptable_line=2)
    for cycle in (fall, spring):
        data = export_data(store, cycle.id)
        with open_store(tmp_path / f"empty-{cycle.name}.sqlite") as empty:
            assert import_data(empty, data).added == 5
            assert export_data(empty, cycle.id)["records"] == data["records"]


def test_a_backup_whose_link_crosses_cycles_is_refused(store, store_url, unchanged, tmp_path):
    with open_store(tmp_path / "source.sqlite") as source:
        fall, spring, plans, _ = _two_cycles(source)
        source.plan_links.create(fall.id, plan_id=plans[fall.id].id, link_type="standard", ref="evidence")
        data = export_data(source)
    tampered = copy.deepcopy(data)
    link = tampered["records"]["plan_links"][0]
    link["plan_id"] = plans[spring.id].id
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        import_data(store, tampered, source="all.json")
    assert str(caught.value) == (f"all.json cannot be imported: its learning plan link record 1 (id {link['id']}) is "
                                 "not valid: its learning plan belongs to another cycle. Nothing was imported.")
    link["plan_id"] = "0b7f1c9e-aaaa-4bbb-8ccc-123456789abc"
    with unchanged(store_url), pytest.raises(BackupError, match=r"its learning plan \(0b7f1c9e-aaaa-4bbb-8ccc-"
                                                                r"123456789abc\) is neither in the backup nor in this store"):
        import_data(store, tampered, source="all.json")
