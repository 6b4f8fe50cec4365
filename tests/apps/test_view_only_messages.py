"""A team visitor (view-only) is never shown where the store or the data is kept: a store that
cannot be opened and data that cannot be read are said in words without a path or database URL,
while the coach's own app still names the path (they can fix it)."""

import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.apps.data_source import TEAM_FOLDER_WORDS, DataChoice, open_saved_dataset
from kit.errors import DataError
from kit.workspace import save_settings


@pytest.fixture
def view_only(monkeypatch):
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")


def test_a_team_visitor_is_not_shown_the_path_of_a_missing_store(view_only, tmp_path):
    picker = CyclePicker(url=str(tmp_path / "store.sqlite"))
    assert picker.store is None and "coaching records cannot be opened" in picker.model.message
    assert str(tmp_path) not in picker.model.message and str(tmp_path) not in picker.status.value


def test_a_team_visitor_is_told_a_damaged_store_is_damaged_without_its_path(view_only, tmp_path):
    damaged = tmp_path / "store.sqlite"
    damaged.write_bytes(b"not a database " * 200)
    picker = CyclePicker(url=str(damaged))
    assert "looks damaged" in picker.model.message and str(tmp_path) not in picker.model.message


def test_a_team_visitor_is_not_shown_a_database_url_or_its_server(view_only):
    picker = CyclePicker(url="nonsense-driver://kit:secret@db.example.org/kit")
    message = picker.model.message
    assert "cannot be opened" in message and "db.example.org" not in message and "secret" not in message


def test_the_coach_still_reads_where_the_store_is(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    picker = CyclePicker(url=str(folder))  # a folder, not a store file
    assert str(folder) in picker.model.message


def test_a_team_visitor_is_not_shown_the_path_of_the_coachs_data_folder(view_only, tmp_path):
    gone = tmp_path / "district-tables"
    save_settings(data_source="folder", data_folder=str(gone))
    with pytest.raises(DataError) as raised:
        open_saved_dataset()
    assert str(gone) not in raised.value.message and "Ask your coach" in raised.value.message
    assert DataChoice().in_use == TEAM_FOLDER_WORDS


def test_the_coach_reads_the_data_folders_path(tmp_path):
    gone = tmp_path / "district-tables"
    save_settings(data_source="folder", data_folder=str(gone))
    with pytest.raises(DataError) as raised:
        open_saved_dataset()
    assert str(gone) in raised.value.message
    assert str(gone) in DataChoice().in_use
