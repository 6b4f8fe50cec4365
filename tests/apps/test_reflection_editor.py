"""Every stage's reflection step (`ReflectionEditor`): text saved as typed beside its mark, corrected
through the saved list, a new one started, an archived one let go by the form, view-only without any
control; and a form's own saved mark (`saved_mark(..., own=True)`)."""

import pytest

from kit.apps.base import ReflectionModel
from kit.apps.records_view import ReflectionEditor
from kit.apps.saving import Autosave, saved_mark

PROMPTS = ("What changed?", "For whom?")


class PracticeReflection(ReflectionModel):
    stage_number = 4


@pytest.fixture
def editor(picker):
    return ReflectionEditor(PracticeReflection(picker.model), PROMPTS, read_only=False, delay=60)  # waits for flush


def test_typed_text_is_saved_after_the_pause_then_changed_in_place(editor):
    editor.prompt.value, editor.text.value = "For whom?", "Talk grew for <English learners>."
    assert "not saved yet" in editor.mark.value and editor.model.reflections == []
    editor.autosave.flush()
    editor.text.value = "Talk grew for <English learners> most."
    editor.autosave.flush()
    [saved] = editor.model.reflections
    assert (saved.stage, saved.prompt, saved.text, saved.version) == (4, "For whom?", editor.text.value, 2)
    assert "saved at" in editor.mark.value and "&lt;English learners&gt;" in editor.saved.table.value


def test_a_new_reflection_then_editing_the_first_changes_only_the_first(editor):
    editor.text.value = "First."
    editor.save_button.click()
    editor.new_button.click()
    assert editor.text.value == "" and editor.editing is None
    editor.text.value = "Second."
    editor.save()
    first = next(r for r in editor.saved.records if r.text == "First.")
    editor.saved.chooser.value = first.id
    editor.saved.edit_button.click()
    assert editor.text.value == "First." and "Changing the saved reflection" in editor.editing_note.value
    editor.text.value = "First, corrected."
    editor.save()
    assert sorted(r.text for r in editor.model.reflections) == ["First, corrected.", "Second."]


def test_an_empty_box_is_not_saved_and_says_what_to_do(editor, picker):
    editor.text.value = "   "
    assert editor.save() is None and "Write the reflection first" in picker.model.message
    assert not editor.autosave.pending and editor.model.reflections == []


def test_archiving_the_reflection_being_edited_empties_the_form_and_restore_brings_it_back(editor):
    editor.text.value = "Out of date."
    editor.save()
    editor.saved.archive_button.click()
    assert editor.text.value == "" and editor.editing is None and editor.model.reflections == []
    editor.saved.show_archived.value = True
    editor.saved.archive_button.click()  # "Restore"
    assert [r.text for r in editor.model.reflections] == ["Out of date."]


def test_view_only_lists_reflections_without_the_form_or_any_control(picker):
    PracticeReflection(picker.model).save_reflection("Seen by the team.")
    viewer = ReflectionEditor(PracticeReflection(picker.model), PROMPTS, read_only=True)
    assert viewer.form not in viewer.children and viewer.saved.controls.layout.display == "none"
    assert "Seen by the team." in viewer.saved.table.value


def test_a_forms_own_mark_follows_its_own_saves_not_the_models(picker):
    model = PracticeReflection(picker.model)
    autosave = Autosave(lambda: model.save_reflection("typed"), delay=60)
    own, shared = saved_mark(model, autosave, own=True), saved_mark(model)
    model.save_reflection("saved by another form")
    assert own.value == "" and "saved at" in shared.value
    assert autosave.save_now() is not None and "saved at" in own.value
