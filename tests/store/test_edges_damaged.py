"""Failure class 2: a damaged store. Every kind of damage is reported as damage, in a coach's words,
with the backup to restore from, and the file is left byte for byte as it was (editing and
view-only). An empty file is never silently turned into a new store."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from kit.store import DamagedStoreError, StoreAccessError, open_store
from kit.store.backup import export_store

PAGE = 4096


def _damaged(good: bytes, damage: str) -> bytes:
    rng = random.Random(damage)
    noise = lambda n: bytes(rng.randrange(256) for _ in range(n))  # noqa: E731
    return {
        "cut in half": good[: len(good) // 2],
        "cut to 50 bytes": good[:50],
        "garbage header": noise(100) + good[100:],
        "garbage pages": good[: 3 * PAGE] + noise(4 * PAGE) + good[7 * PAGE:],
        "zeroed page": good[: 5 * PAGE] + bytes(PAGE) + good[6 * PAGE:],
        "a text file": b"Notes from the fall walkthroughs\n" * 200,
        "a backup renamed": b'{"format": "coaching-kit-store-backup", "records": {}}',
        "empty": b"",
    }[damage]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "store.sqlite"
    with open_store(path, author="ana") as store:
        cycle = store.cycles.create(name="Fall literacy")
        for n in range(200):
            store.goals.create(cycle.id, goal_type="educator", what=f"Goal {n}: " + "use exit tickets " * 10)
    return path.read_bytes()


DAMAGE = ["cut in half", "cut to 50 bytes", "garbage header", "garbage pages", "zeroed page", "a text file",
          "a backup renamed", "empty"]


@pytest.mark.parametrize("read_only", [False, True], ids=["editing", "view-only"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_reported_as_damaged_and_left_as_it_is(tmp_path, good_store, damage, read_only):
    path = tmp_path / "store.sqlite"
    path.write_bytes(_damaged(good_store, damage))
    before = path.read_bytes()
    with pytest.raises(DamagedStoreError) as caught:
        with open_store(path, read_only=read_only) as store:
            for cycle in store.cycles.list():
                store.goals.list(cycle.id)
    message = str(caught.value)
    assert message.startswith(f"The coaching store at {path} cannot be used: ")
    assert "The kit has not changed the file. Restore your records from your newest backup file (made by the " \
           "kit's Export): open a new store and import it" in message
    assert "sqlite3" not in message and "SELECT" not in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_an_empty_file_is_not_silently_reused_for_editing(tmp_path):
    path = tmp_path / "store.sqlite"
    path.touch()
    with pytest.raises(DamagedStoreError) as caught:
        open_store(path)
    assert str(caught.value) == (
        f"The coaching store at {path} cannot be used: the file is empty (0 bytes), so it holds no records. The "
        "kit has not changed the file. Restore your records from your newest backup file (made by the kit's "
        "Export): open a new store and import it (Import in the kit, or kit.store.backup.import_store). Keep the "
        "damaged file: it may still be recoverable. If you meant to start a new store there, delete the empty "
        "file first.")
    assert path.read_bytes() == b""


def test_the_message_names_the_newest_backup_beside_the_store(tmp_path, good_store):
    path = tmp_path / "store.sqlite"
    path.write_bytes(good_store)
    with open_store(path) as store:
        export_store(store, tmp_path / "backup-october.json")
    path.write_bytes(_damaged(good_store, "zeroed page"))
    with pytest.raises(DamagedStoreError) as caught:
        open_store(path)
    assert caught.value.backups == (str(tmp_path / "backup-october.json"),)
    assert f"Restore your records from your newest backup, {tmp_path / 'backup-october.json'} (made " in str(caught.value)


def test_a_damaged_store_table_gives_the_kits_words_on_both_back_ends(store_url, store, cycle, backend):
    store.goals.create(cycle.id, goal_type="educator", what="Use exit tickets")
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE goals"))
    with pytest.raises(StoreAccessError) as caught:
        store.goals.list(cycle.id)
    message = str(caught.value)
    assert message.startswith("The goal records could not be read (coaching store at ")
    assert message.endswith(": the database reported a problem the kit did not expect. Nothing was changed. "
                            "Try again; if it happens again, tell whoever looks after the kit.")
    assert "goals" not in message and "SELECT" not in message and "kit-test-only" not in message
