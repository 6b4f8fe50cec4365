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
import os
import traceback

import ipywidgets as widgets

from kit.apps.components import APP_CSS, FAILED, UNEXPECTED, guarded, maintainer_log, status_html
from kit.apps.cycle_picker import CyclePicker
from kit.apps.data_source import open_saved_dataset
from kit.errors import KitError
from kit.io import Dataset
from kit.stages import STAGES, Stage
from kit.store import open_store
from kit.workspace import load_settings, save_settings

VIEW_ONLY_ENV = "KIT_VIEW_ONLY"


def view_only() -> bool:
    """True when the kit is served for a team to look at, not to edit (`KIT_VIEW_ONLY=1`)."""
    return os.environ.get(VIEW_ONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def wait_for_visitor() -> None:
    """In a preheated Voila kernel, pause until a visitor opens the page, so the app reads the
    workspace (chosen data, open cycle) as it is then, not as it was when the kernel was warmed.
    Elsewhere (JupyterLab, tests, plain Voila) it returns at once."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        from voila.utils import wait_for_request

        wait_for_request()


def warm_up() -> None:
    """Do the slow, visitor-independent work before the visitor arrives (in a preheated kernel):
    open the chosen data (kept while its files are unchanged) and the store (its first open loads
    the migration machinery). Failures are left for the app itself to report."""
    try:
        open_saved_dataset()
        open_store().close()
    except Exception:  # noqa: BLE001 - the app reports these properly once the visitor is there
        pass


def app_entry(build):
    """Decorate a notebook's one call: wait for the visitor, then build the app inside the error
    boundary, so a failure shows a short message (details in the workspace log), never a traceback."""
    @functools.wraps(build)
    def show():
        warm_up()
        wait_for_visitor()
        try:
            return build()
        except KitError as error:
            return widgets.HTML(APP_CSS + status_html(FAILED, error.message))
        except Exception:  # the boundary around building the whole app
            maintainer_log().error("Building %s:\n%s", build.__qualname__, traceback.format_exc())
            return widgets.HTML(APP_CSS + status_html(FAILED, UNEXPECTED))
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
        self.stage: Stage = STAGES[stage_number]
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
        stage = self.stage
        header = widgets.HTML(
            f"{APP_CSS}{navigation(stage.number)}<h2>{html.escape(stage.title)}</h2>"
            f'<p class="kit-question">{html.escape(stage.question)}</p>'
            + ('<p class="kit-note">View only: you can explore everything; changes are not saved here.</p>'
               if self.view_only else ""))
        view = widgets.VBox([header, self.picker, *body])
        view.add_class(f"kit-stage-{stage.number}")
        return view
