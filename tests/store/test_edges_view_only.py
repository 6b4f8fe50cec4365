"""Failure class 1: view-only must never write. A view-only open creates no file or folder, never
rewrites or converts a store, and works on read-only media."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kit.store import (DamagedStoreError, ReadOnlyStoreError, StoreOpenError, StoreVersionError, open_store)
from kit.store.backup import export_data, import_data


def _fill(store):
    cycle = store.cycles.create(name="Fall literacy", status="active")
    plan = store.plans.create(cycle.id, title="Fluency plan")
    store.plan_links.create(cycle.id, plan_id=plan.id, link_type="standard", ref="learning-designs")
    store.observations.create(cycle.id, educator_id="E1", date="2025-10-02", component="Modelling", rating=3)
    return cycle


def test_a_view_only_open_of_a_missing_store_creates_nothing(backend, store_url, tmp_path, unchanged):
    if backend == "sqlite":
        missing = tmp_path / "team" / "fall" / "store.sqlite"
        with pytest.raises(StoreOpenError) as caught:
            open_store(missing, read_only=True)
        assert str(caught.value) == (
            f"There is no coaching store at {missing}. A view-only app does not create one: open the store "
            "once in an editing app, or check the store's location (KIT_STORE_URL).")
        assert not (tmp_path / "team").exists()
        return
    with unchanged(store_url), pytest.raises(StoreVersionError, match="needs setting up, which a view-only app cannot do"):
        open_store(store_url, read_only=True)


def test_a_view_only_app_reads_everything_and_changes_nothing(store_url, store, unchanged, tmp_path):
    cycle = _fill(store)
    backup = export_data(store)
    store.close()
    with unchanged(store_url):
        with open_store(store_url, read_only=True) as viewer:
            assert [c.name for c in viewer.cycles.list()] == ["Fall literacy"]
            assert export_data(viewer)["records"] == backup["records"]
            link = viewer.plan_links.list(cycle.id)[0]
            for attempt in (lambda: viewer.cycles.create(name="New"),
                            lambda: viewer.plan_links.update(link, note="changed"),
                            lambda: viewer.plan_links.archive(link),
                            lambda: import_data(viewer, backup)):
                with pytest.raises(ReadOnlyStoreError):
                    attempt()


def test_a_view_only_connection_cannot_write_even_past_the_kit(store_url, store, backend, unchanged):
    _fill(store)
    store.close()
    with unchanged(store_url), open_store(store_url, read_only=True) as viewer:
        with pytest.raises(DBAPIError) as caught, viewer.engine.begin() as conn:
            conn.execute(text("DELETE FROM plan_links"))
        assert "read" in str(caught.value).lower()  # SQLite: readonly database; PostgreSQL: read-only transaction


def test_a_store_in_rollback_journal_mode_stays_in_it(tmp_path, unchanged):
    path = tmp_path / "store.sqlite"
    with open_store(path) as editor:
        _fill(editor)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    url = f"sqlite:///{path}"
    with unchanged(url):
        with open_store(path, read_only=True) as viewer, viewer.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "delete"
            assert len(viewer.cycles.list()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_an_empty_file_is_not_turned_into_a_store_when_viewing(tmp_path):
    path = tmp_path / "store.sqlite"
    path.touch()
    with pytest.raises(DamagedStoreError) as caught:
        open_store(path, read_only=True)
    assert str(caught.value).startswith(f"The coaching store at {path} cannot be used: the file is empty (0 bytes), "
                                        "so it holds no records. The kit has not changed the file.")
    assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_a_store_on_read_only_media_opens_view_only_and_says_why_it_cannot_be_edited(tmp_path, read_only_media):
    folder, make_read_only = read_only_media
    with open_store(tmp_path / "made.sqlite") as editor:
        cycle = _fill(editor)
    shutil.copy(tmp_path / "made.sqlite", folder / "store.sqlite")
    make_read_only()
    before = (folder / "store.sqlite").read_bytes()

    with open_store(folder / "store.sqlite", read_only=True) as viewer:
        assert [o.component for o in viewer.observations.list(cycle.id)] == ["Modelling"]
    with pytest.raises(StoreOpenError) as caught:
        open_store(folder / "store.sqlite")
    assert str(caught.value) == (
        f"The coaching store at {folder / 'store.sqlite'} can be read but not changed: its file or folder is "
        "read-only. Ask for write access to the folder, or open the app view-only.")
    assert (folder / "store.sqlite").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["store.sqlite"]
