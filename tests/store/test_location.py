"""Where the store lives, and that what was saved is there after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from kit.store import StoreError, open_store
from kit.store.engine import store_url


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("KIT_STORE_URL", raising=False)
    return tmp_path / "ws"


def test_with_no_settings_the_store_is_store_sqlite_in_the_workspace(workspace):
    with open_store() as store:
        store.cycles.create(name="Fall literacy")
        assert store.location == str(workspace / "store.sqlite")
    assert (workspace / "store.sqlite").is_file()


def test_kit_store_url_moves_the_store(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_STORE_URL", f"sqlite:///{tmp_path / 'team' / 'shared.sqlite'}")
    with open_store() as store:
        assert store.location == str(tmp_path / "team" / "shared.sqlite")
    assert not (workspace / "store.sqlite").exists()


def test_an_app_setting_wins_over_the_environment_and_may_be_a_plain_path(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_STORE_URL", "sqlite:///ignored.sqlite")
    assert store_url(tmp_path / "mine.sqlite") == f"sqlite:///{tmp_path / 'mine.sqlite'}"
    assert store_url("~/x.sqlite") == f"sqlite:///{Path.home() / 'x.sqlite'}"


def test_a_url_the_kit_cannot_read_is_refused_in_plain_words():
    with pytest.raises(StoreError, match="is not a file path or database URL the kit understands"):
        open_store("postgresql+psycopg://bad url:x")


def test_what_was_saved_is_there_after_the_app_restarts(store_url):
    first = open_store(store_url)
    cycle = first.cycles.create(name="Fall literacy")
    first.goals.create(cycle.id, goal_type="educator", what="Use exit tickets")
    first.close()
    with open_store(store_url) as second:
        assert [c.name for c in second.cycles.list()] == ["Fall literacy"]
        assert [g.what for g in second.goals.list(cycle.id)] == ["Use exit tickets"]


def test_sqlite_is_in_wal_mode_with_full_sync_and_foreign_keys(tmp_path):
    with open_store(tmp_path / "s.sqlite") as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
