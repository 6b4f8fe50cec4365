"""Schema versions: older stores are upgraded on open, newer ones refused unchanged."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from kit.store import StoreVersionError, open_store
from kit.store.engine import alembic_config, describe_url, current_revision, head_revision, make_engine, write_connection
from kit.store.tables import metadata

FIRST = "0001_initial"


def _make_store_at(url: str, revision: str) -> None:
    engine = make_engine(url)
    with write_connection(engine) as conn, conn.begin():
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        revision = current_revision(conn)
    engine.dispose()
    return revision


def test_a_store_made_at_the_first_schema_version_opens_after_an_upgrade(store_url):
    _make_store_at(store_url, FIRST)
    engine = make_engine(store_url)
    with engine.begin() as conn:  # what the first release of the kit wrote
        stamp = datetime(2025, 9, 1, 8, 30)
        conn.execute(text("INSERT INTO cycles (id, name, status, version, archived, created_at, created_by, "
                          "updated_at, updated_by) VALUES ('c1', 'Fall literacy', 'active', 1, false, :t, "
                          "'ana', :t, 'ana')"), {"t": stamp})
        conn.execute(text("INSERT INTO goals (id, cycle_id, goal_type, what, version, archived, created_at, "
                          "created_by, updated_at, updated_by) VALUES ('g1', 'c1', 'educator', 'Use exit "
                          "tickets', 1, false, :t, 'ana', :t, 'ana')"), {"t": stamp})
    engine.dispose()
    assert _revision(store_url) == FIRST

    with open_store(store_url) as store:
        assert [c.name for c in store.cycles.list()] == ["Fall literacy"]
        goal = store.goals.get("g1")
        assert goal.what == "Use exit tickets" and goal.created_at.isoformat() == "2025-09-01T08:30:00+00:00"
        store.goals.update(goal, target="every day")
    assert _revision(store_url) == head_revision() != FIRST


def test_the_migrations_arrive_at_exactly_the_current_tables(store):
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert differences == []


def test_a_store_from_a_newer_kit_is_refused_and_left_unchanged(store_url, store, cycle):
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    store.close()
    with pytest.raises(StoreVersionError) as caught:
        open_store(store_url)
    assert str(caught.value) == (
        f"The coaching store at {describe_url(store_url)} was saved "
        f"by a newer version of the kit (store version 0099_future; this kit knows up to {head_revision()}). "
        "Update the kit to open it. The store has not been changed.")
    assert _revision(store_url) == "0099_future"


def test_a_view_only_app_does_not_upgrade_an_older_store(store_url):
    _make_store_at(store_url, FIRST)
    with pytest.raises(StoreVersionError, match="needs upgrading to this version of the kit, which a view-only app cannot do"):
        open_store(store_url, read_only=True)
    assert _revision(store_url) == FIRST


def test_several_apps_opening_a_new_store_at_once_all_succeed(store_url):
    code = ("import sys; from kit.store import open_store; s = open_store(sys.argv[1]); "
            "s.cycles.create(name='from ' + sys.argv[2]); s.close()")
    workers = [subprocess.Popen([sys.executable, "-c", code, store_url, str(n)], stderr=subprocess.PIPE)
               for n in range(4)]
    errors = [w.communicate(timeout=60)[1].decode() for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], errors
    with open_store(store_url) as store:
        assert sorted(c.name for c in store.cycles.list()) == [f"from {n}" for n in range(4)]


def test_a_new_store_file_is_never_seen_empty(tmp_path):
    """SQLite alone leaves a 0-byte file until its first write; another app opening the new store
    then would refuse it as emptied. The kit puts a whole database in place in one step."""
    from kit.store.sqlite_file import HEADER, check_before_open

    path = tmp_path / "new" / "store.sqlite"
    check_before_open(path, str(path), read_only=False)
    assert path.read_bytes()[:len(HEADER)] == HEADER
    assert [p.name for p in path.parent.iterdir()] == ["store.sqlite"]
    check_before_open(path, str(path), read_only=False)  # a second app finds a store it can open
