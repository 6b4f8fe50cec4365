"""The base pieces that keep and correct a coach's work: the saved-at mark beside a button, typed
text saved after a pause, edit/archive/restore with history, the name on each record, busy buttons,
printable pages and table headers with help."""

import html

import ipywidgets as widgets
import pandas as pd
import pytest

from kit.apps.author import clean_author, saved_author
from kit.apps.base import StageModel
from kit.apps.components import busy, column_help, html_table, printable_page
from kit.apps.cycle_picker import CyclePicker
from kit.apps.records_view import saved_records_view
from kit.apps.saving import Autosave, saved_mark
from kit.errors import KitError
from kit.store import open_store


class GoalsModel(StageModel):
    stage_number, step, needs = 1, "goal", ()

    def load(self):
        self.goals = self.records("goals")


@pytest.fixture
def model(picker):
    return GoalsModel(picker.model)


def test_the_mark_beside_the_button_says_when_the_model_last_saved(model):
    mark = saved_mark(model)
    assert mark.value == ""
    record = model.upsert("goal", "goals", None, goal_type="student_learning", what="Read fluently")
    assert f"saved at {record.updated_at.astimezone():%H:%M}" in mark.value
    model.archive("goal", record)
    assert "archived at" in mark.value


def test_typed_text_waits_for_a_pause_then_saves_once_and_the_mark_says_so(model):
    saves = []
    autosave = Autosave(lambda: saves.append(1) or True, delay=60)  # no event loop here: waits for flush
    mark = saved_mark(model, autosave)
    autosave.touch()
    autosave.touch()
    assert autosave.pending and saves == [] and "not saved yet" in mark.value
    autosave.flush()
    assert saves == [1] and not autosave.pending and "not saved yet" not in mark.value
    autosave.flush()
    assert saves == [1]  # nothing waiting: nothing saved again


def test_a_save_that_fails_keeps_the_text_marked_unsaved():
    autosave = Autosave(lambda: None, delay=0)
    autosave.touch()
    assert autosave.pending


def test_filling_boxes_from_the_store_is_not_typing():
    saves = []
    autosave = Autosave(lambda: saves.append(1) or True, delay=0)
    autosave.paused = True
    autosave.touch()
    assert saves == [] and not autosave.pending


def test_history_names_who_created_and_who_changed_a_record_and_when(model, picker):
    record = model.upsert("goal", "goals", None, goal_type="student_learning", what="Read")
    picker.store.author = "Ben"
    record = model.upsert("goal", "goals", record, what="Read fluently")
    record = model.upsert("goal", "goals", record, what="Read fluently by May")
    history = model.history(record)
    assert history["change"].tolist() == ["created", "changed 2 times since; the last change"]
    assert history["by"].tolist() == ["Ana", "Ben"]
    model.archive("goal", record)
    assert model.history(record)["change"].iloc[-1] == "archived"


def test_saved_records_can_be_edited_archived_and_restored_from_the_list(model):
    first = model.upsert("goal", "goals", None, goal_type="student_learning", what="Read <b>fluently</b>")
    model.upsert("goal", "goals", None, goal_type="student_learning", what="Write arguments")
    edited = []
    view = saved_records_view(model, "goal", "goals", lambda g: {"goal": g.what}, on_edit=edited.append,
                              where={"goal_type": "student_learning"})
    assert "&lt;b&gt;" in view.table.value and "saved by" in view.table.value and "Ana" in view.table.value
    view.chooser.value = first.id
    view.edit_button.click()
    assert [g.id for g in edited] == [first.id]
    view.archive_button.click()
    assert [g.what for g in model.records("goals")] == ["Write arguments"]
    assert "Archived the goal" in model.picker.message
    view.show_archived.value = True
    view.chooser.value = first.id
    assert view.archive_button.description == "Restore" and view.edit_button.disabled
    assert "archived" in view.history.value
    view.archive_button.click()
    assert sorted(g.what for g in model.records("goals")) == ["Read <b>fluently</b>", "Write arguments"]


def test_view_only_lists_saved_records_without_any_control(model):
    model.upsert("goal", "goals", None, goal_type="student_learning", what="Read")
    view = saved_records_view(model, "goal", "goals", lambda g: {"goal": g.what}, read_only=True)
    assert view.controls.layout.display == "none" and "Read" in view.table.value


def test_the_name_on_saved_work_is_asked_once_and_remembered(monkeypatch):
    monkeypatch.delenv("KIT_AUTHOR", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    picker = CyclePicker(store=open_store("sqlite://"))
    assert saved_author() is None and picker.author_row.layout.display is None
    picker.author_name.value = "  Ana   Ruiz "
    picker.author_button.click()
    assert saved_author() == "Ana Ruiz" and picker.store.author == "Ana Ruiz"
    assert picker.author_row.layout.display == "none"
    record = picker.model.create("Spring")
    assert record.created_by == "Ana Ruiz"
    assert CyclePicker(store=open_store("sqlite://", author=saved_author())).author_row.layout.display == "none"
    with pytest.raises(KitError, match="Type your name"):
        clean_author("   ")


def test_the_jupyterhub_user_is_the_name_when_there_is_one(monkeypatch):
    monkeypatch.delenv("KIT_AUTHOR", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    assert saved_author() == "ben"


def test_the_status_line_shows_no_store_path_and_the_cycle_focus_is_shown(monkeypatch, tmp_path):
    picker = CyclePicker(store=open_store(tmp_path / "store.sqlite"))
    picker.model.create("Fall", focus="Fractions in grades 4-5")
    again = CyclePicker(store=open_store(tmp_path / "store.sqlite"))
    assert str(tmp_path) not in again.status.value and "Fall" in again.status.value
    assert "Fractions in grades 4-5" in again.focus_note.value


def test_a_busy_button_is_disabled_and_says_work_is_going_on(model):
    button = widgets.Button(description="Open")
    with busy(button, model, "Opening the folder\u2026"):
        assert button.disabled and "spin" in button.icon
        assert model.picker.message == "Opening the folder\u2026"
    assert not button.disabled and button.icon == ""
    with pytest.raises(ValueError):
        with busy(button):
            raise ValueError("boom")
    assert not button.disabled  # set back whatever happened


def test_headers_carry_help_from_the_schema_and_printable_pages_escape_text():
    shown = html_table(pd.DataFrame({"school_id": ["SCH01"], "rwg": [0.5]}))
    assert column_help("school_id") and f'title="{html.escape(column_help("school_id"))}"' in shown
    assert ">agreement (rwg, 0-1)</th>" in shown
    page = printable_page("Plan <x>", [("Notes", "line one\n<script>"), ("Table", pd.DataFrame({"a": [True]}))])
    assert "<script>" not in page and "&lt;script&gt;" in page and "<td>yes</td>" in page
