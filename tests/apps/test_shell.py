"""The frame every app shares: navigation, the error boundary, view-only mode, the remembered cycle."""

import ipywidgets as widgets

from kit.apps.shell import StageShell, app_entry, navigation, remembered_picker, view_only
from kit.errors import KitError
from kit.io import Dataset
from kit.workspace import load_settings


def test_navigation_links_every_available_stage_and_marks_the_current_one():
    from kit.registry import STAGES

    for current in STAGES:
        links = navigation(current.number)
        assert links.count("<b>") == 1 and f"{current.title}</b>" in links
        assert f'href="{current.notebook}"' not in links
        others = [s for s in STAGES if s is not current and s.available]
        assert all(f'href="{s.notebook}"' in links for s in others)


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


def preheated_app(monkeypatch, during_wait):
    """An app as a preheated Voila kernel runs it: built, then waiting for a visit during which
    `during_wait` happens; returns the shown view and how many times the app was built."""
    import kit.apps.shell as shell_module

    builds = []

    @app_entry
    def counted_app():
        builds.append(1)
        return widgets.HTML(f"build {len(builds)}")

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(shell_module, "wait_for_visitor", during_wait)
    return counted_app(), len(builds)


def test_a_preheated_app_is_built_before_the_visit_and_shown_as_is_when_nothing_changed(monkeypatch):
    shown, builds = preheated_app(monkeypatch, lambda: None)
    assert (shown.value, builds) == ("build 1", 1)


def test_a_preheated_app_is_built_again_when_the_coach_saved_something_meanwhile(monkeypatch):
    def another_app_saves_a_cycle():
        remembered_picker().model.create("Made in another tab")

    shown, builds = preheated_app(monkeypatch, another_app_saves_a_cycle)
    assert (shown.value, builds) == ("build 2", 2)


def test_a_preheated_app_is_built_again_when_the_data_choice_changed(monkeypatch, tmp_path):
    from kit.workspace import save_settings

    shown, builds = preheated_app(monkeypatch, lambda: save_settings(data_source="folder", data_folder=str(tmp_path)))
    assert builds == 2


def test_a_preheated_app_is_built_again_when_the_data_choice_changed_during_its_build(monkeypatch, tmp_path):
    """Start here switching the data while this kernel builds, and back before the visit, must not
    leave the visitor an app built on the choice in between."""
    import kit.apps.shell as shell_module
    from kit.workspace import save_settings

    builds = []

    @app_entry
    def app_whose_build_sees_a_switch():
        builds.append(1)
        if len(builds) == 1:
            save_settings(data_source="folder")
        return widgets.HTML(f"build {len(builds)}")

    save_settings(data_source="sample", data_folder=str(tmp_path))
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(shell_module, "wait_for_visitor", lambda: save_settings(data_source="sample"))
    assert app_whose_build_sees_a_switch().value == "build 2"


def test_a_remembered_cycle_that_is_not_in_the_store_opens_the_latest_one():
    """The settings may name a cycle of another store (the coach switched stores): the app opens."""
    from kit.workspace import save_settings

    remembered_picker().model.create("The only cycle here")
    save_settings(cycle_id="c4db2913-ae73-4c5a-94d4-34d8fbec2be7")
    picker = remembered_picker()
    assert picker.model.current.name == "The only cycle here"
    assert picker.model.state != "failed"
