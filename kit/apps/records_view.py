"""Saved work that can be corrected: a list of a step's saved records with edit, archive, restore
and each record's history (who saved it and when), for every stage.

>>> view = saved_records_view(model, "goal", "goals", lambda g: {"goal": g.what},
...                           on_edit=fill_form, where={"goal_type": "student_learning"},
...                           watch=("goals",), read_only=shell.view_only)     # doctest: +SKIP

The model saves (archive and restore go through `StageModel.archive`/`restore`, so the status line
says what happened); the view only lists, chooses and asks. In view-only mode the list is shown
without any control.
"""

from __future__ import annotations

import html
from typing import Callable, Mapping

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import guarded, html_table
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
                 download: str | None = None):
        self.model, self.what, self.table_name, self.row = model, what, table, row
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
            self.model.load()
            self.refresh(keep=saved.id)
        return saved

    # -- showing ----------------------------------------------------------------------------------------
    def refresh(self, keep: str | None = None) -> None:
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
