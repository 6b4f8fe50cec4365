"""The leave-page guard's two halves on the Python side: the saved mark carries `kit-unsaved` exactly
while typed text waits, and autosaved boxes carry `kit-autosaved`; the kit's page template holds the
guard and extends Voila's lab page (tests/browser/test_leaving_a_page.py checks it in Chromium)."""

import sys
from pathlib import Path

import ipywidgets as widgets
import jinja2

from kit.apps.base import StageModel
from kit.apps.saving import AUTOSAVED_CLASS, UNSAVED_CLASS, Autosave, saved_mark
from kit.serve import TEMPLATE_ROOT

PAGE_TEMPLATE = TEMPLATE_ROOT / "voila" / "templates" / "kit" / "index.html.j2"


class Quiet(StageModel):
    stage_number, needs = 1, ()


def test_the_mark_carries_the_unsaved_class_only_while_text_waits():
    saves = []
    autosave = Autosave(lambda: saves.append(1) or True, delay=60)  # no event loop: waits for flush
    box = widgets.Textarea()
    autosave.watch(box)
    mark = saved_mark(Quiet(), autosave)
    assert UNSAVED_CLASS not in mark.value and AUTOSAVED_CLASS in box._dom_classes
    box.value = "typed just now"
    assert UNSAVED_CLASS in mark.value and saves == []
    autosave.flush()
    assert UNSAVED_CLASS not in mark.value and saves == [1]


def test_a_failed_save_keeps_the_unsaved_class():
    autosave = Autosave(lambda: None, delay=0)
    mark = saved_mark(Quiet(), autosave)
    autosave.touch()
    assert UNSAVED_CLASS in mark.value


def test_the_page_template_guards_leaving_and_extends_voilas_lab_page():
    text = PAGE_TEMPLATE.read_text()
    jinja2.Environment().parse(text)  # a syntax error would stop every app's page
    assert text.startswith("{%- extends 'voila/templates/lab/index.html.j2' -%}")
    for needed in ('"beforeunload"', f'".{UNSAVED_CLASS}"', f'".{AUTOSAVED_CLASS}"', "stopImmediatePropagation",
                   '"pagehide"', "voila/api/shutdown/"):
        assert needed in text, needed
    voila_lab = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab"
    if voila_lab.exists():  # the block the guard fills must still be Voila's
        assert "block html_head_js" in (voila_lab / "index.html.j2").read_text()
