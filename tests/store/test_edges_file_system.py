"""Failure class 4: the file system says no (a read-only folder, a path through a file, a full disk).
Every refusal is the kit's own words naming the place, and nothing is half written."""

from __future__ import annotations

import pytest

from kit.store import BackupError, StoreAccessError, StoreOpenError, open_store
from kit.store.backup import export_store, import_store

from tests.store.conftest import fill_disk


def test_a_new_store_in_a_read_only_folder_is_refused_in_words(read_only_media):
    folder, make_read_only = read_only_media
    make_read_only()
    with pytest.raises(StoreOpenError) as caught:
        open_store(folder / "store.sqlite")
    assert str(caught.value) == (
        f"The coaching store at {folder / 'store.sqlite'} could not be created: its folder is read-only. Choose a "
        "folder you may write in, or ask for write access.")
    with pytest.raises(StoreOpenError) as caught:
        open_store(folder / "team" / "store.sqlite")
    assert str(caught.value) == (
        f"The coaching store at {folder / 'team' / 'store.sqlite'} could not be created: its file or folder can be "
        "read but not written. Ask for write access to the folder (or open the store view-only to read it).")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("under", ["notes.txt/store.sqlite", "notes.txt/fall/store.sqlite"])
def test_a_path_that_runs_through_a_file_is_refused_in_words(tmp_path, under):
    (tmp_path / "notes.txt").write_text("my notes")
    with pytest.raises(StoreOpenError) as caught:
        open_store(tmp_path / under)
    assert str(caught.value) == (
        f"The coaching store at {tmp_path / under} could not be created: part of its path is a file, not a "
        "folder. Choose a path whose folders are folders.")
    assert (tmp_path / "notes.txt").read_text() == "my notes"


def test_an_export_into_a_read_only_folder_says_so_and_changes_nothing(store, store_url, cycle, read_only_media,
                                                                      unchanged):
    folder, make_read_only = read_only_media
    make_read_only()
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        export_store(store, folder / "backup.json")
    assert str(caught.value) == (
        f"The backup could not be written to {folder / 'backup.json'}: the folder can be read but not written. "
        "No backup file was made there, and nothing in the store changed. Choose a folder you may write in, "
        "with free space, and export again.")
    assert list(folder.iterdir()) == []


def test_an_export_onto_a_full_disk_leaves_no_half_file(store, store_url, cycle, small_disk, unchanged):
    store.reflections.create(cycle.id, stage=6, text="A long reflection. " * 5000)
    fill_disk(small_disk)
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        export_store(store, small_disk / "backup.json")
    assert str(caught.value) == (
        f"The backup could not be written to {small_disk / 'backup.json'}: the disk is full. No backup file was "
        "made there, and nothing in the store changed. Choose a folder you may write in, with free space, and "
        "export again.")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_save_onto_a_full_disk_is_refused_and_keeps_the_coachs_text(small_disk):
    with open_store(small_disk / "store.sqlite") as store:
        cycle = store.cycles.create(name="Fall literacy")
        fill_disk(small_disk)
        text = "A long reflection. " * 20000
        with pytest.raises(StoreAccessError) as caught:
            for _ in range(20):  # the WAL may have room for the first few pages
                store.reflections.create(cycle.id, stage=6, text=text)
        assert str(caught.value) == (
            f"The reflection could not be saved (coaching store at {small_disk / 'store.sqlite'}): the disk is full. "
            "Nothing was changed; what you typed is kept, so you can save it again. Free some space on the disk "
            "(or ask the server's administrator), then try again.")
        assert caught.value.unsaved == {"stage": 6, "text": text}
        (small_disk / "filler").unlink()
        assert [c.name for c in store.cycles.list()] == ["Fall literacy"]


def test_importing_a_missing_file_says_so(store, store_url, tmp_path, unchanged):
    with unchanged(store_url), pytest.raises(BackupError) as caught:
        import_store(store, tmp_path / "backup.json")
    assert str(caught.value) == ("The backup file backup.json could not be read: it does not exist. Check the "
                                 "file's name and folder, and that you may read it. Nothing was imported.")
