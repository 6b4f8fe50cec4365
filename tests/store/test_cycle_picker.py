"""The cycle picker and save status, driven as a coach would: typing (`.value`) and clicking."""

from __future__ import annotations

import pytest

from kit.apps.cycle_picker import CONFLICT, FAILED, READY, SAVED, VIEW_ONLY, CyclePicker
from kit.store import open_store


@pytest.fixture
def picker(store):
    return CyclePicker(store=store)


def _new_cycle(picker, name, focus=""):
    picker.name.value, picker.focus.value = name, focus
    picker.create_button.click()


def test_a_new_store_asks_for_a_first_cycle(picker):
    assert picker.cycle_id is None and picker.dropdown.options == ()
    assert picker.model.state == READY
    assert "No cycle yet: type a name and press \u201cNew cycle\u201d." in picker.status.value


def test_creating_a_cycle_saves_it_opens_it_and_says_when(picker, store):
    _new_cycle(picker, "Fall literacy", focus="Reading fluency")
    [cycle] = store.cycles.list()
    assert (cycle.name, cycle.focus, cycle.created_by) == ("Fall literacy", "Reading fluency", "ana")
    assert picker.cycle_id == cycle.id == picker.dropdown.value
    assert picker.model.state == SAVED and picker.model.saved_at == cycle.updated_at
    assert picker.model.message.startswith("Saved the cycle \u201cFall literacy\u201d at ")
    assert picker.name.value == "" and picker.focus.value == ""


def test_a_cycle_created_in_the_app_is_there_after_a_restart(store_url):
    first = CyclePicker(url=store_url)
    _new_cycle(first, "Fall literacy")
    first.store.close()
    restarted = CyclePicker(url=store_url)
    assert [label for label, _ in restarted.dropdown.options] == ["Fall literacy"]
    assert restarted.cycle_id == first.cycle_id
    restarted.store.close()


def test_choosing_a_cycle_tells_the_apps_that_observe_it(picker):
    _new_cycle(picker, "Fall literacy")
    _new_cycle(picker, "Spring maths")
    seen = []
    picker.observe(lambda change: seen.append(change.new), names="cycle_id")
    fall_id = picker.dropdown.options[0][1]
    picker.dropdown.value = fall_id
    assert seen == [fall_id] and picker.model.current.name == "Fall literacy"


def test_rename_and_archive_the_open_cycle(picker, store):
    _new_cycle(picker, "Fall literacy")
    _new_cycle(picker, "Spring maths")
    picker.name.value = "Spring maths, grades 6-8"
    picker.rename_button.click()
    assert store.cycles.get(picker.cycle_id).name == "Spring maths, grades 6-8"
    assert picker.model.message.startswith("Saved the cycle \u201cSpring maths, grades 6-8\u201d")

    picker.archive_button.click()
    assert [label for label, _ in picker.dropdown.options] == ["Fall literacy"]
    assert picker.model.message.startswith("Archived the cycle \u201cSpring maths, grades 6-8\u201d")
    assert picker.dropdown.label == "Fall literacy"

    picker.show_archived.value = True
    assert [label for label, _ in picker.dropdown.options] == ["Fall literacy", "Spring maths, grades 6-8 (archived)"]
    picker.dropdown.value = picker.dropdown.options[1][1]
    assert picker.archive_button.description == "Restore"
    picker.archive_button.click()
    assert not store.cycles.get(picker.cycle_id).archived
    assert picker.model.message.startswith("Restored the cycle")


def test_a_rename_after_another_coachs_rename_is_refused_and_the_text_kept(picker, store_url):
    _new_cycle(picker, "Fall literacy")
    with open_store(store_url, author="ben") as ben:
        ben.cycles.update(ben.cycles.get(picker.cycle_id), name="Fall literacy (Ben)")
    picker.name.value = "Fall literacy, grades 3-5"
    picker.rename_button.click()
    assert picker.model.state == CONFLICT
    assert "was changed by ben" in picker.model.message and "Your text is kept" in picker.model.message
    assert picker.name.value == "Fall literacy, grades 3-5"
    assert picker.model.unsaved == {"name": "Fall literacy, grades 3-5"}
    assert picker.store.cycles.get(picker.cycle_id).name == "Fall literacy (Ben)"

    picker.rename_button.click()  # having seen Ben's name, the coach saves hers again
    assert picker.model.state == SAVED and picker.store.cycles.get(picker.cycle_id).name == "Fall literacy, grades 3-5"


def test_a_cycle_without_a_name_is_refused_in_the_status_line(picker, store):
    picker.focus.value = "Reading"
    picker.create_button.click()
    assert picker.model.state == FAILED
    assert "The cycle was not saved: name is required." in picker.status.value
    assert store.cycles.list() == [] and picker.focus.value == "Reading"


def test_what_the_coach_typed_is_escaped_in_the_status_line(picker):
    _new_cycle(picker, "<script>alert(1)</script>")
    assert "<script>" not in picker.status.value and "&lt;script&gt;" in picker.status.value


def test_stage_apps_save_through_the_picker_and_the_status_says_what_and_when(picker, store):
    _new_cycle(picker, "Fall literacy")
    goal = picker.save("goal", lambda: store.goals.create(picker.cycle_id, goal_type="educator",
                                                          what="Use exit tickets"))
    assert store.goals.get(goal.id).what == "Use exit tickets"
    assert picker.model.message.startswith("Saved the goal \u201cUse exit tickets\u201d at ")
    assert picker.save("goal", lambda: store.goals.update(goal, what="")) is None
    assert picker.model.message == "The goal was not saved: what is required."
    assert picker.model.unsaved == {"what": ""}


def test_a_view_only_app_shows_cycles_and_saves_nothing(store, store_url):
    store.cycles.create(name="Fall literacy")
    viewer = CyclePicker(store=open_store(store_url, read_only=True))
    assert [label for label, _ in viewer.dropdown.options] == ["Fall literacy"]
    assert viewer.create_button.disabled and viewer.rename_button.disabled and viewer.archive_button.disabled
    assert viewer.model.state == VIEW_ONLY
    viewer.name.value = "Sneaky"
    viewer.create_button.click()  # a disabled button cannot be clicked in a browser; still refused here
    assert viewer.model.state == FAILED and "view-only" in viewer.model.message
    assert [c.name for c in store.cycles.list()] == ["Fall literacy"]
    viewer.store.close()


def test_the_store_location_can_be_changed_in_the_app(picker, tmp_path, store):
    _new_cycle(picker, "Fall literacy")
    picker.store_location.value = str(tmp_path / "elsewhere" / "team.sqlite")
    picker.use_store_button.click()
    assert picker.model.location == str(tmp_path / "elsewhere" / "team.sqlite")
    assert picker.cycle_id is None and picker.dropdown.options == ()
    picker.store_location.value = "postgresql+psycopg://user:secret@host:notaport/db"
    picker.use_store_button.click()
    assert picker.model.state == FAILED and "secret" not in picker.model.message
    assert picker.model.location == str(tmp_path / "elsewhere" / "team.sqlite")
    picker.store.close()
