"""The frame every app shares: navigation, the error boundary, view-only mode, the remembered cycle."""

import ipywidgets as widgets

from kit.apps.shell import StageShell, app_entry, navigation, remembered_picker, view_only
from kit.errors import KitError
from kit.io import Dataset
from kit.workspace import load_settings


def test_navigation_links_every_available_stage_and_marks_the_current_one():
    links = navigation(0)
    assert "<b>Start here</b>" in links
    assert 'href="00_start_here.ipynb"' not in links


def test_a_failure_while_building_an_app_becomes_a_message_and_a_log_entry(fresh_workspace):
    @app_entry
    def broken_app():
        raise ValueError("internal detail")

    shown = broken_app()
    assert isinstance(shown, widgets.HTML)
    assert "Something went wrong on our side" in shown.value and "internal detail" not in shown.value
    assert "ValueError: internal detail" in (fresh_workspace / "logs" / "kit.log").read_text()


def test_a_kit_error_while_building_an_app_shows_its_own_words():
    @app_entry
    def app_without_data():
        raise KitError("This needs the <Students> table.")

    assert "This needs the &lt;Students&gt; table." in app_without_data().value


def test_view_only_is_one_setting(monkeypatch):
    monkeypatch.delenv("KIT_VIEW_ONLY", raising=False)
    assert not view_only()
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    assert view_only()
    shell = StageShell(0, dataset=Dataset())
    assert shell.view_only
    assert shell.picker.store is None or shell.picker.store.read_only
    button = widgets.Button()
    shell.editing(button)
    assert button.layout.display == "none"


def test_the_chosen_cycle_carries_to_the_next_app():
    picker = remembered_picker()
    picker.model.create("Spring writing")
    assert load_settings()["cycle_id"] == picker.cycle_id
    assert remembered_picker().cycle_id == picker.cycle_id
