"""The cycle picker and save status every stage app shows at its top.

Model and view apart: `CyclePickerModel` holds the state and calls the store; `CyclePicker` only
builds the controls and links them. Apps observe `cycle_id` and save through `save`, so the status
line always says what was saved and when, or why it was not:

>>> picker = CyclePicker()                                             # doctest: +SKIP
>>> picker.observe(lambda change: show_goals(change.new), names="cycle_id")   # doctest: +SKIP
>>> picker.save("goal", lambda: picker.store.goals.update(goal, target=box.value))  # doctest: +SKIP
>>> widgets.VBox([picker, my_stage_widgets])                          # doctest: +SKIP
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Callable

import ipywidgets as widgets
from traitlets import Bool, Dict, HasTraits, Instance, List, Unicode, link

from kit.apps.author import remember_author, saved_author
from kit.apps.components import CONFLICT, FAILED, READY, SAVED, VIEW_ONLY, guarded, maintainer_log, status_html
from kit.errors import KitError
from kit.store import ConflictError, Record, Store, open_store
from kit.store.engine import view_only_default
from kit.store.errors import DamagedStoreError, RecordNotFoundError, StoreVersionError


def team_message(error: KitError) -> str:
    """What a team visitor (view-only) reads when the store cannot be opened: what happened and whom
    to ask, never the store's path or database URL (those are for the coach, and the maintainer log).

    >>> from kit.store.errors import StoreOpenError
    >>> missing = StoreOpenError("There is no coaching store at /srv/kit/store.sqlite.", "/srv/kit/store.sqlite")
    >>> "/srv" in team_message(missing), team_message(missing)[:50]
    (False, "The team's coaching records cannot be opened just ")
    """
    if isinstance(error, DamagedStoreError):
        return ("The team's coaching records cannot be read: the store looks damaged. Nothing was changed; "
                "tell your coach, who can restore it from a backup.")
    if isinstance(error, StoreVersionError):
        return ("The team's coaching records were saved by a newer version of the kit than this one. "
                "Ask your coach to update the kit.")
    return ("The team's coaching records cannot be opened just now. Ask your coach to check the kit's store "
            "(they can see where it is).")

def _when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local:%H:%M:%S} on {local.day} {local:%b %Y}"


class CyclePickerModel(HasTraits):
    """Which cycle is open, the cycles to choose from, and what the last save did.

    Every action catches the kit's own errors and puts them in `state`/`message`; values a coach
    could not save stay in `unsaved` (and in the widgets) so they can be applied again.
    """

    cycle_id = Unicode(None, allow_none=True, help="id of the open cycle, None when there is none")
    cycles = List(help="(label, id) pairs of the cycles to choose from")
    show_archived = Bool(False)
    state = Unicode(READY)
    message = Unicode("")
    saved_at = Instance(datetime, allow_none=True)
    unsaved = Dict(help="values of the last save that failed")
    location = Unicode("", help="where the store is, in words a coach can read")
    author = Unicode("", help="whose name goes on what is saved (\"\" until the coach gives one)")
    store = Instance(Store, allow_none=True)

    def __init__(self, store: Store | None = None, url: str | None = None, cycle_id: str | None = None):
        super().__init__()
        self.observe(self._on_cycle, names="cycle_id")
        if store is None:
            try:
                store = open_store(url, author=saved_author())
            except KitError as error:
                self._report_open_failure(error, view_only_default())
                return
        self._use(store, cycle_id)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.store is None or self.store.read_only

    @property
    def current(self) -> Record | None:
        """The open cycle as saved (None when no cycle is open, or when the remembered one is not in
        this store: another store was chosen since, or it was restored from an older backup)."""
        if not (self.store and self.cycle_id):
            return None
        try:
            return self.store.cycles.get(self.cycle_id)
        except RecordNotFoundError:
            return None

    def refresh(self) -> None:
        """Re-read the list of cycles (someone else may have added one)."""
        if self.store is None:
            return
        found = self.store.cycles.list(include_archived=self.show_archived)
        self.cycles = [(f"{c.name} (archived)" if c.archived else c.name, c.id) for c in found]
        if self.cycle_id not in {c.id for c in found}:
            self.cycle_id = found[-1].id if found else None

    # -- cycle actions ---------------------------------------------------------------------------
    def create(self, name: str, focus: str = "", start_date: Any = None, end_date: Any = None) -> Record | None:
        """Create a cycle and open it."""
        record = self.save("cycle", lambda: self.store.cycles.create(
            name=name, focus=focus, start_date=start_date, end_date=end_date))
        if record is not None:
            self.refresh()
            self.cycle_id = record.id
        return record

    def rename(self, name: str) -> Record | None:
        """Rename the open cycle (refused with a conflict if it changed since it was opened)."""
        if not self._needs_cycle("rename"):
            return None
        record = self.save("cycle", lambda: self.store.cycles.update(self._opened, name=name))
        self.refresh()
        return record

    def archive(self) -> Record | None:
        """Archive the open cycle: it leaves the list (its records stay in the store and in backups).
        An archived cycle (shown with "show archived") is restored instead."""
        if not self._needs_cycle("archive"):
            return None
        restoring = self._opened is not None and self._opened.archived
        record = self.save("cycle", lambda: self.store.cycles.archive(self._opened, archived=not restoring),
                           verb="Restored" if restoring else "Archived")
        self.refresh()
        return record

    def use_store(self, url: str) -> bool:
        """Switch to the store at `url` (a file path or database URL); the current one stays on failure."""
        try:
            read_only = self.read_only if self.store else None
            store = open_store(url, read_only=read_only, author=saved_author())
        except KitError as error:
            self._report_open_failure(error, view_only_default() if read_only is None else read_only)
            return False
        if self.store is not None:
            self.store.close()
        self._use(store, None)
        return True

    # -- saving for every app ----------------------------------------------------------------------
    def save(self, what: str, action: Callable[[], Record], verb: str = "Saved") -> Record | None:
        """Run one save (`action` returns the saved record) and say in the status line what was
        saved and when, or why not. Returns the record, or None when nothing was saved."""
        if self.store is None:
            self._report(FAILED, f"The {what} was not saved: no store is open.")
            return None
        try:
            record = action()
        except ConflictError as conflict:
            self.unsaved = conflict.unsaved
            if conflict.current.kind == "cycle" and conflict.current.id == self.cycle_id:
                self._opened = conflict.current
            self._report(CONFLICT, conflict.message)
            return None
        except KitError as error:
            self.unsaved = getattr(error, "unsaved", {})
            self._report(FAILED, error.message)
            return None
        if record.kind == "cycle" and record.id == self.cycle_id:
            self._opened = record
        self.unsaved = {}
        self.saved_at = record.updated_at
        self._report(SAVED, f"{verb} the {what} \u201c{record.display_name}\u201d at {_when(record.updated_at)}.")
        return record

    def report_problem(self, message: str) -> None:
        """Show a problem found by an app (not a save) in the status line."""
        self._report(FAILED, message)

    def set_author(self, name: str) -> bool:
        """Put `name` on everything saved from now on, and remember it in the workspace."""
        try:
            cleaned = remember_author(name)
        except KitError as error:
            self._report(FAILED, error.message)
            return False
        if self.store is not None:
            self.store.author = cleaned
        self.author = cleaned
        self._report(READY, f"What you save from now on is saved as \u201c{cleaned}\u201d.")
        return True

    @property
    def focus(self) -> str:
        """The open cycle's focus, as the coach wrote it ("" when none)."""
        try:
            current = self.current
        except KitError:  # the list is being re-read from another store
            return ""
        return (current.focus or "") if current is not None else ""

    # -- internals -------------------------------------------------------------------------------
    _opened: Record | None = None

    def _report_open_failure(self, error: KitError, view_only: bool) -> None:
        """The coach reads where the store is and what to do; a team visitor reads `team_message`
        (the full message goes to the maintainer log)."""
        if view_only:
            maintainer_log().warning("A view-only app could not open the store: %s", error.message)
            self._report(FAILED, team_message(error))
        else:
            self._report(FAILED, error.message)

    def _use(self, store: Store, cycle_id: str | None) -> None:
        self.store = store
        self.location = store.location
        self.author = saved_author() or ""
        if cycle_id:
            self.cycle_id = cycle_id
        self.refresh()
        self._on_cycle(None)
        if store.read_only:  # the page's banner says "view only" once; the line only says what is open
            self._report(VIEW_ONLY, f"Showing the cycle \u201c{self._opened.name}\u201d." if self._opened else
                         "No cycle has been saved yet.")
        elif not self.cycles:
            self._report(READY, "No cycle yet: type a name and press \u201cNew cycle\u201d.")
        else:
            self._report(READY, f"Cycle \u201c{self._opened.name if self._opened else ''}\u201d is open; "
                         "what you save goes into it.")

    def _on_cycle(self, _change) -> None:
        self._opened = self.current if self.cycle_id else None

    def _needs_cycle(self, action: str) -> bool:
        if self.cycle_id is None:
            self._report(FAILED, f"Choose a cycle to {action} first.")
            return False
        return True

    def report(self, state: str, message: str) -> None:
        """Show `message` in the status line (apps use it too, so there is one status line)."""
        if (state, message) == (self.state, self.message):
            self.message = ""  # the same words again still redraw the line another writer may have changed
        self.state, self.message = state, message

    _report = report


class CyclePicker(widgets.VBox):
    """The picker's controls: a cycle drop-down; a name box with New cycle, Rename and Archive;
    "show archived"; where the work is saved; and `status`, the save status line.

    Other apps observe `cycle_id` and call `save(what, action)`.
    """

    cycle_id = Unicode(None, allow_none=True)
    _syncing = False

    def __init__(self, model: CyclePickerModel | None = None, *, store: Store | None = None,
                 url: str | None = None, cycle_id: str | None = None, allow_store_change: bool = True,
                 **kwargs):
        self.model = model or CyclePickerModel(store=store, url=url, cycle_id=cycle_id)
        m = self.model
        box = dict(width="100%", max_width="420px")
        self.dropdown = widgets.Dropdown(description="Cycle", options=m.cycles, value=m.cycle_id,
                                         layout=widgets.Layout(**box))
        self.name = widgets.Text(description="Name", placeholder="Name of a new cycle, or a new name for this one",
                                 layout=widgets.Layout(**box))
        self.focus = widgets.Text(description="Focus", placeholder="What the cycle is about (optional)",
                                  layout=widgets.Layout(**box))
        self.create_button = widgets.Button(description="New cycle", button_style="primary", icon="plus")
        self.rename_button = widgets.Button(description="Rename", icon="pencil")
        self.archive_button = widgets.Button(description="Archive", icon="archive")
        self.show_archived = widgets.Checkbox(description="Show archived cycles", indent=False)
        self.focus_note = widgets.HTML()
        self.author_name = widgets.Text(description="Your name", value=m.author,
                                        placeholder="Your name or initials, shown on what you save",
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="100%", max_width="420px"))
        self.author_button = widgets.Button(description="Save my name", icon="user")
        self.author_row = widgets.HBox([self.author_name, self.author_button])
        self.status = widgets.HTML(layout=widgets.Layout(margin="6px 0"))
        self.status.add_class("kit-status")
        self.store_location = widgets.Text(description="Store", value=m.location,
                                           layout=widgets.Layout(width="100%", max_width="520px"))
        self.use_store_button = widgets.Button(description="Use this store")
        where = widgets.VBox([widgets.HTML('<span class="kit-note">A file path, or a team database URL '
                                           "given by your kit maintainer.</span>"),
                              widgets.HBox([self.store_location, self.use_store_button])])
        self.where = widgets.Accordion(children=[where], titles=("Where your work is saved",), selected_index=None)
        self.where.layout.display = None if allow_store_change else "none"
        edit = widgets.HBox([self.create_button, self.rename_button, self.archive_button])
        # Cycle management stays folded away, so every stage opens on the cycle and its status.
        self.manage = widgets.Accordion(
            children=[widgets.VBox([self.name, self.focus, edit, self.show_archived, self.where])],
            titles=("New cycle, rename, archive",), selected_index=None if m.cycles else 0)
        super().__init__([self.dropdown, self.focus_note, self.author_row, self.manage, self.status], **kwargs)
        self.add_class("kit-cycle-picker")
        self._connect()

    # -- what other apps use ----------------------------------------------------------------------
    @property
    def store(self) -> Store | None:
        return self.model.store

    def save(self, what: str, action: Callable[[], Record]) -> Record | None:
        """Save through the picker so the status line reports it (see `CyclePickerModel.save`)."""
        return self.model.save(what, action)

    # -- wiring ----------------------------------------------------------------------------------
    def _connect(self) -> None:
        m = self.model
        link((m, "cycle_id"), (self, "cycle_id"))
        link((m, "show_archived"), (self.show_archived, "value"))
        m.observe(self._show_cycles, names="cycles")
        m.observe(self._show_cycle, names="cycle_id")
        m.observe(self._show_status, names=["state", "message"])
        m.observe(lambda change: setattr(self.store_location, "value", change.new), names="location")
        m.observe(lambda change: m.refresh(), names="show_archived")
        self.dropdown.observe(self._choose, names="value")
        self.create_button.on_click(self._guard(self._create))
        self.rename_button.on_click(self._guard(self._rename))
        self.archive_button.on_click(self._guard(lambda _: m.archive()))
        self.use_store_button.on_click(self._guard(lambda _: m.use_store(self.store_location.value)))
        self.author_button.on_click(self._guard(lambda _: m.set_author(self.author_name.value)))
        m.observe(lambda change: self._show_editing(), names="author")
        m.observe(lambda change: self._show_focus(), names=["cycle_id", "cycles"])
        self._show_focus()
        m.observe(lambda change: self._show_editing(), names=["store", "cycle_id", "cycles"])
        self._show_status()
        self._show_editing()

    def _create(self, _button) -> None:
        if self.model.create(self.name.value, focus=self.focus.value) is not None:
            self.name.value = self.focus.value = ""

    def _rename(self, _button) -> None:
        if self.model.rename(self.name.value) is not None:
            self.name.value = ""

    def _choose(self, change) -> None:
        if not self._syncing and change.new != self.model.cycle_id:
            self.model.cycle_id = change.new

    def _show_cycles(self, _change=None) -> None:
        self._syncing = True
        try:
            self.dropdown.options = self.model.cycles
            ids = [cycle_id for _, cycle_id in self.model.cycles]
            self.dropdown.value = self.model.cycle_id if self.model.cycle_id in ids else None
        finally:
            self._syncing = False

    def _show_cycle(self, change) -> None:
        if self.dropdown.value != change.new and change.new in [v for _, v in self.model.cycles]:
            self.dropdown.value = change.new

    def _show_status(self, _change=None) -> None:
        self.status.value = status_html(self.model.state, self.model.message)

    def _show_focus(self) -> None:
        focus = self.model.focus if self.model.store is not None else ""
        self.focus_note.value = (f'<p class="kit-note">Focus of this cycle: {html.escape(focus)}</p>' if focus else "")

    def _show_editing(self) -> None:
        view_only = self.model.read_only
        # Asked once: the row shows until a name is remembered (never in view-only mode).
        self.author_row.layout.display = "none" if view_only or self.model.author else None
        for control in (self.name, self.focus, self.create_button, self.rename_button, self.archive_button,
                        self.use_store_button, self.store_location):
            control.disabled = view_only
        self.manage.layout.display = "none" if view_only else None
        opened = self.model._opened
        self.archive_button.description = "Restore" if opened is not None and opened.archived else "Archive"

    def _guard(self, callback: Callable[[Any], Any]) -> Callable[[Any], None]:
        """No exception escapes a click (Voila would show nothing): it goes to the status line."""
        return guarded(self.model.report_problem)(callback)
