"""Saved work that can be corrected: a list of a step's saved records with edit, archive, restore
and each record's history (who saved it and when), for every stage.

>>> view = saved_records_view(model, "goal", "goals", lambda g: {"goal": g.what},
...                           on_edit=fill_form, where={"goal_type": "student_learning"},
...                           watch=("goals",), read_only=shell.view_only)     # doctest: +SKIP
>>> editor = ReflectionEditor(reflection_model, PROMPTS, read_only=shell.view_only,
...                           guard=shell.guard)                             # doctest: +SKIP

`ReflectionEditor` is every stage's reflection step: the text is saved as the coach types, and the
saved reflections can be edited, archived and restored.

The model saves (archive and restore go through `StageModel.archive`/`restore`, so the status line
says what happened); the view only lists, chooses and asks. In view-only mode the list is shown
without any control.
"""

from __future__ import annotations

import html
from typing import Callable, Mapping, Sequence

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import guarded, html_table
from kit.apps.saving import AUTOSAVE_DELAY, Autosave, saved_mark
from kit.store import Record


def _when(moment) -> str:
    return f"{moment.astimezone():%d %b %Y, %H:%M}"


class SavedRecordsView(widgets.VBox):
    """The saved records of one table in the open cycle: a table (the record's own columns, then who
    saved it and when), and, unless `read_only`, a chooser with Edit, Archive or Restore, "show
    archived" and the chosen record's history."""

    def __init__(self, model, what: str, table: str, row: Callable[[Record], Mapping], *,
                 on_edit: Callable[[Record], None] | None = None, where: Mapping | Callable[[], Mapping | None] | None = None,
                 watch: tuple[str, ...] = (), read_only: bool = False, label: Callable[[Record], str] | None = None,
                 download: str | None = None, on_change: Callable[[Record], None] | None = None,
                 reload: Callable[[], None] | None = None):
        self.model, self.what, self.table_name, self.row = model, what, table, row
        # After an archive or restore: `reload` reads the model's records again (by default its whole
        # `load()`), then `on_change` tells the step (a form editing an archived record lets it go).
        self.on_change, self.reload = on_change, reload or model.load
        # `where` may be a function, for records filtered by something that changes (the cycle's map);
        # it returns None when there is nothing to list yet.
        self.where, self.on_edit, self.read_only = where if callable(where) else dict(where or {}), on_edit, read_only
        self.label = label or (lambda record: record.display_name)
        self.download = download
        guard = guarded(model.report_problem)
        self.table = widgets.HTML()
        self.chooser = widgets.Dropdown(description=f"Saved {what}", style={"description_width": "initial"},
                                        layout=widgets.Layout(width="100%", max_width="620px"))
        self.edit_button = widgets.Button(description="Edit", icon="pencil", tooltip=f"Put this {what} back in the form")
        self.archive_button = widgets.Button(description="Archive", icon="archive",
                                             tooltip=f"Take this {what} out of the figures (it stays in the store)")
        self.show_archived = widgets.Checkbox(description="Show archived", indent=False)
        self.history = widgets.HTML()
        self.history.add_class("kit-history")
        self.controls = widgets.VBox([self.chooser, widgets.HBox([self.edit_button, self.archive_button,
                                                                 self.show_archived]), self.history])
        self.edit_button.layout.display = None if on_edit else "none"
        if read_only:
            self.controls.layout.display = "none"
        super().__init__([self.table, self.controls])
        self.add_class("kit-saved-records")
        self.chooser.observe(guard(lambda _: self._show_chosen()), names="value")
        self.show_archived.observe(guard(lambda _: self.refresh()), names="value")
        self.edit_button.on_click(guard(lambda _: self.edit()))
        self.archive_button.on_click(guard(lambda _: self.toggle_archived()))
        for name in watch:
            model.observe(guard(lambda _: self.refresh()), names=name)
        self.refresh()

    # -- what a coach does ---------------------------------------------------------------------------
    @property
    def chosen(self) -> Record | None:
        return next((r for r in self.records if r.id == self.chooser.value), None)

    def edit(self) -> None:
        """Put the chosen record back in the step's form (its Save then changes this record)."""
        record = self.chosen
        if record is None:
            self.model.report_problem(f"Choose the {self.what} to edit first.")
        elif self.on_edit is not None:
            self.on_edit(record)
            self.model.report_ready(f"Editing the {self.what} \u201c{record.display_name}\u201d: change it in the "
                                    "form and save.")

    def toggle_archived(self) -> Record | None:
        """Archive the chosen record, or restore it when it is archived."""
        record = self.chosen
        if record is None:
            self.model.report_problem(f"Choose the {self.what} to archive or restore first.")
            return None
        saved = (self.model.restore(self.what, record) if record.archived else self.model.archive(self.what, record))
        if saved is not None:
            self.reload()
            self.refresh(keep=saved.id)
            if self.on_change is not None:
                self.on_change(saved)
        return saved

    # -- showing ----------------------------------------------------------------------------------------
    def refresh(self, keep: str | None = None) -> None:
        """List the records again (after a save the view did not see, or a new cycle)."""
        where = self.where() if callable(self.where) else self.where
        everything = [] if where is None else self.model.records_with_archived(self.table_name, **where)
        self.records = everything if self.show_archived.value else [r for r in everything if not r.archived]
        rows = [{**self.row(r), "saved by": r.updated_by, "saved at": _when(r.updated_at),
                 **({"archived": r.archived} if self.show_archived.value else {})} for r in self.records]
        self.table.value = (html_table(pd.DataFrame(rows), download=self.download) if rows else
                            f'<p class="kit-note">No {html.escape(self.what)} saved for this cycle yet.</p>')
        keep = keep or self.chooser.value
        self.chooser.options = [((("(archived) " if r.archived else "") + self.label(r))[:90], r.id)
                                for r in self.records]
        ids = [r.id for r in self.records]
        self.chooser.value = keep if keep in ids else (ids[-1] if ids else None)
        self._show_chosen()

    def _show_chosen(self) -> None:
        record = self.chosen
        enabled = record is not None and not self.read_only
        self.edit_button.disabled = not enabled or record.archived
        self.archive_button.disabled = not enabled
        self.archive_button.description = "Restore" if record is not None and record.archived else "Archive"
        self.archive_button.icon = "undo" if record is not None and record.archived else "archive"
        self.history.value = ("" if record is None else
                              f"<p class='kit-note'>History of this {html.escape(self.what)}:</p>"
                              + html_table(self.model.history(record), download=None))


def saved_records_view(model, what: str, table: str, row: Callable[[Record], Mapping], **options) -> SavedRecordsView:
    """The saved records of `table` (filtered by `where`) with edit, archive, restore and history;
    see `SavedRecordsView` for the options."""
    return SavedRecordsView(model, what, table, row, **options)


def _reflection_row(record: Record) -> dict:
    return {"reflection": record.text or "", "prompt": record.prompt or ""}


def _reflection_label(record: Record) -> str:
    text = " ".join((record.text or "").split())
    return text if len(text) <= 60 else text[:59] + "\u2026"


class ReflectionEditor(widgets.VBox):
    """A stage's reflections in the open cycle (`reflection` records carrying the stage's number):
    a prompt and a box saved as the coach types (the mark beside "Save the reflection" says when),
    "Start a new reflection", and the saved reflections with edit, archive, restore and history.
    In view-only mode only the saved reflections are listed, without any control.

    `model` is the step's `StageModel` (its `stage_number` tags the records); `reload` reads its
    reflections again after a save (by default `model.load()`; a stage whose `load()` recomputes
    everything gives a lighter one); `guard` wraps the autosave like every callback of the app.
    """

    def __init__(self, model, prompts: Sequence[str], *, read_only: bool, guard=None,
                 reload: Callable[[], None] | None = None, delay: float = AUTOSAVE_DELAY,
                 placeholder: str = "What you see, in your words"):
        self.model, self.read_only = model, read_only
        self.reload = reload or model.load
        self.editing: Record | None = None
        wide = widgets.Layout(width="100%", max_width="800px")
        self.prompt = widgets.Dropdown(description="Prompt", options=list(prompts), layout=wide)
        self.text = widgets.Textarea(description="Reflection", placeholder=placeholder,
                                     layout=widgets.Layout(width="100%", max_width="800px", height="120px"))
        self.save_button = widgets.Button(description="Save the reflection", icon="save", button_style="primary")
        self.new_button = widgets.Button(description="Start a new reflection", icon="plus",
                                         tooltip="Empty the box; what you type next is another reflection")
        self.autosave = Autosave(self._autosave, delay=delay, guard=guard)
        self.autosave.watch(self.prompt, self.text)
        self.mark = saved_mark(model, self.autosave)
        self.editing_note = widgets.HTML()
        self.form = widgets.VBox([self.prompt, self.editing_note, self.text,
                                  widgets.HBox([self.save_button, self.mark, self.new_button])])
        safe = guard or (lambda function: function)
        self.save_button.on_click(safe(lambda _: self.save()))
        self.new_button.on_click(safe(lambda _: self.start_new()))
        self.saved = saved_records_view(model, "reflection", "reflections", _reflection_row, on_edit=self.edit,
                                        where=self._where, read_only=read_only, label=_reflection_label,
                                        on_change=self._archived, reload=self.reload)
        model.observe(safe(lambda _: self._new_cycle()), names="cycle_id")
        heading = widgets.HTML("<h4>Reflections saved for this cycle</h4>")
        super().__init__([heading, self.saved] if read_only else [self.form, heading, self.saved])
        self.add_class("kit-reflections")

    def _where(self) -> Mapping | None:
        return None if self.model.cycle_id is None else {"stage": self.model.stage_number}

    # -- what a coach does ------------------------------------------------------------------------------
    def save(self) -> Record | None:
        """Save the box now (the button): a new reflection, or the one being edited."""
        if not self.text.value.strip():
            self.autosave._cancel()
            self.autosave.pending = False  # an empty box has nothing waiting
            self.model.report_problem("Write the reflection first.")
            return None
        return self.autosave.save_now(self._write)

    def start_new(self) -> None:
        """Keep what is typed (saved now), then empty the box for another reflection."""
        self.autosave.flush()
        self._clear()

    def edit(self, record: Record) -> None:
        """Put a saved reflection back in the box; what is typed then changes that reflection."""
        self.autosave.flush()
        with self.autosave.filling():
            if record.prompt in self.prompt.options:
                self.prompt.value = record.prompt
            self.text.value = record.text or ""
        self._editing(record)

    # -- saving -----------------------------------------------------------------------------------------
    def _autosave(self):
        """Typed text, saved after a pause (nothing to keep in view-only mode, without a cycle or
        while the box is empty)."""
        if self.read_only or self.model.cycle_id is None or not self.text.value.strip():
            return True
        return self._write()

    def _write(self) -> Record | None:
        record = self.model.upsert("reflection", "reflections", self.editing, stage=self.model.stage_number,
                                   prompt=self.prompt.value or None, text=self.text.value.strip())
        if record is not None:
            self._editing(record)
            self.reload()
            self.saved.refresh(keep=record.id)
        return record

    # -- showing ----------------------------------------------------------------------------------------
    def _editing(self, record: Record) -> None:
        self.editing = record
        self.editing_note.value = ("<p class='kit-note'>Changing the saved reflection \u201c"
                                   f"{html.escape(_reflection_label(record))}\u201d. To write another, press "
                                   "\u201cStart a new reflection\u201d.</p>")

    def _clear(self) -> None:
        with self.autosave.filling():
            self.text.value = ""
        self.editing, self.editing_note.value = None, ""

    def _archived(self, record: Record) -> None:
        if record.archived and self.editing is not None and self.editing.id == record.id:
            self._clear()  # typing on would change a reflection that is out of the figures

    def _new_cycle(self) -> None:
        self.autosave.flush()  # the text typed belongs to the cycle it was typed in (the record it edits)
        self._clear()
        self.saved.refresh()
