"""The frame every stage app sits in: navigation, the stage's question, the cycle picker, the status line.

A stage app builds its own controls and hands them to `StageShell.page(...)`:

>>> shell = StageShell(1)                                     # doctest: +SKIP
>>> shell.page(filters, chart, goal_form)                     # doctest: +SKIP

The chosen cycle is remembered in the workspace, so the next app opens on the same cycle; the
dataset is the one chosen in Start here. In view-only mode (`KIT_VIEW_ONLY=1`) `editing(...)`
hides editing controls, and the store itself refuses every write.
"""

import functools
import html
import json
import os
import traceback

import ipywidgets as widgets

from kit.apps.base import STEP_MARKS
from kit.apps.components import APP_CSS, FAILED, UNEXPECTED, guarded, maintainer_log, status_html
from kit.apps.cycle_picker import CyclePicker
from kit.apps.data_source import SAMPLE, folder_for, folder_signature, open_saved_dataset
from kit.errors import KitError
from kit.io import Dataset
from kit.registry import STAGES, Stage, stage as stage_by_number
from kit.store import open_store
from kit.store.engine import view_only_default as view_only  # one reading of KIT_VIEW_ONLY for apps and store
from kit.workspace import load_settings, save_settings

def preheated() -> bool:
    """True in a kernel Voila started ahead of a visit (preheat_kernel in voila.json)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def wait_for_visitor() -> None:
    """In a preheated Voila kernel, pause until a visitor opens the page. Elsewhere (JupyterLab,
    tests, plain Voila) it returns at once."""
    if preheated():
        from kit.serve import wait_for_request  # Voila's own would load its whole server into the kernel

        wait_for_request()


def visitor_context() -> tuple:
    """Everything outside an app that decides what it shows: the saved settings (data choice, open
    cycle), the data files, the store's contents and the mode. Equal contexts give equal apps."""
    settings = load_settings()
    folder = folder_for(settings.get("data_source", SAMPLE), settings.get("data_folder", ""))
    try:
        with open_store() as store:
            records = store.last_change()
    except KitError as error:
        records = error.message
    return json.dumps(settings, sort_keys=True), folder_signature(folder), records, view_only()


def app_entry(build):
    """Decorate a notebook's one call, so that the app is built inside the error boundary and, in a
    preheated Voila kernel, before the visitor arrives: the kernel builds the app, waits for the
    visit, and shows the ready app if nothing it depends on changed meanwhile (else builds it anew).
    A failure shows a short message (details in the workspace log), never a traceback."""
    def safe_build():
        try:
            return build()
        except KitError as error:
            return widgets.HTML(APP_CSS + status_html(FAILED, error.message))
        except Exception:  # the boundary around building the whole app
            maintainer_log().error("Building %s:\n%s", build.__qualname__, traceback.format_exc())
            return widgets.HTML(APP_CSS + status_html(FAILED, UNEXPECTED))

    @functools.wraps(build)
    def show():
        if not preheated():
            return safe_build()
        # The context is read before and after the build: a coach who switches the data in Start
        # here while this kernel builds must not get an app built half on the old choice.
        before = visitor_context()
        ready = safe_build()
        after = visitor_context()
        wait_for_visitor()
        return ready if before == after == visitor_context() else safe_build()
    return show


def navigation(current: int) -> str:
    """Links to every stage that is in the kit, the current one in bold."""
    links = []
    for stage in STAGES:
        label = html.escape(f"{stage.number} {stage.title}" if stage.number else stage.title)
        if stage.number == current:
            links.append(f"<b>{label}</b>")
        elif stage.available:
            links.append(f'<a href="{stage.notebook}">{label}</a>')
    return f'<nav class="kit-nav">{" &rarr; ".join(links)}</nav>'


def remembered_picker() -> CyclePicker:
    """A cycle picker opened on the cycle chosen last, in any app; it remembers each new choice."""
    picker = CyclePicker(cycle_id=load_settings().get("cycle_id"), allow_store_change=not view_only())
    picker.observe(lambda change: change.new and save_settings(cycle_id=change.new), names="cycle_id")
    return picker


class StageShell:
    """What every stage app shares: its stage, the dataset, the cycle picker, the status line."""

    def __init__(self, stage_number: int, dataset: Dataset | None = None, picker: CyclePicker | None = None):
        self.stage: Stage = stage_by_number(stage_number)
        self.dataset = dataset if dataset is not None else open_saved_dataset()
        self.picker = picker if picker is not None else remembered_picker()
        self.status = self.picker.status  # one status line: saves, problems and the app's own news
        self.guard = guarded(lambda message: self.picker.model.report(FAILED, message))
        self.view_only = view_only() or self.picker.model.read_only

    def editing(self, *controls: widgets.Widget) -> None:
        """Hide editing controls in view-only mode (the store refuses writes there too)."""
        if self.view_only:
            for control in controls:
                control.layout.display = "none"

    def page(self, *body: widgets.Widget) -> widgets.VBox:
        """The stage's page: navigation, "Stage N: title", its question, the cycle picker, then `body`."""
        stage = self.stage
        header = widgets.HTML(
            f"{APP_CSS}{navigation(stage.number)}<h2>{html.escape(stage.heading)}</h2>"
            f'<p class="kit-question">{html.escape(stage.question)}</p>'
            + ('<p class="kit-note kit-view-only">View only: you can explore everything; changes are not saved here.</p>'
               if self.view_only else ""))
        view = widgets.VBox([header, self.picker, *body])
        view.add_class(f"kit-stage-{stage.number}")
        return view

    def needs_data_page(self, model) -> widgets.VBox:
        """The page of a stage whose data is missing: the one wording, said once, in the status line
        (through the model) and on the page."""
        message = model.needs_data_message
        model.report(FAILED, message)
        return self.page(widgets.HTML(f'<p class="kit-needs-data">{html.escape(message)}</p>'))

    def steps(self, steps) -> widgets.Tab:
        """Tabs for a stage with several steps: `steps` is a list of (title, model, view). Each tab's
        title shows its model's state (needs data, saved, failed) and follows it."""
        tabs = widgets.Tab(children=[view for _, _, view in steps])

        def title(number: int, name: str, model) -> str:
            mark = STEP_MARKS.get(model.state, "") if model is not None else ""
            return f"{number}. {name}" + (f" {mark}" if mark else "")

        def show(_change=None) -> None:
            tabs.titles = tuple(title(i + 1, name, model) for i, (name, model, _) in enumerate(steps))

        for _, model, _ in steps:
            if model is not None:
                model.observe(show, names="state")
        show()
        return tabs
