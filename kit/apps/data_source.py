"""Which data the coach works on, remembered in the workspace so every app opens the same dataset.

The choice is one of: the bundled sample district, a folder of tables, or files the coach uploaded.
Uploaded files that load without errors are kept in the workspace (one per table); a file with
errors is never saved over a good one, and stays pending until the coach fixes or confirms it.

What the coach tells the kit about their files (which table a file holds, which column is which, what
codes mean, which columns are student groups, how a wide score file splits) is kept per file name and
header set (`kit.io.mapping`), and the order of windows per dataset: both in the workspace settings,
so every app reads the coach's files the same way. `DataChoice` is the model (no widgets); the
Start-here app is its view.

>>> choice = DataChoice()                                              # doctest: +SKIP
>>> choice.add_uploads(files)                                          # doctest: +SKIP
>>> choice.map_column("classes.csv", "Grade", "term")                  # doctest: +SKIP
>>> choice.explain_codes("students.csv", "low_income", {"F": "yes", "N": "no"})   # doctest: +SKIP
>>> choice.set_window_order("assessments", ["K", "1", "2", "3"])       # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from pathlib import Path

import pandas as pd
import traitlets

from kit import schema
from kit.analysis.windows import WindowOrder
from kit.errors import DataError
from kit.io import SAMPLE_FOLDER, Dataset, open_dataset
from kit.io.dataset import WIDE_SAMPLE_ROWS, folder_signature
from kit.io.headers import match_headers
from kit.io.mapping import LEAVE_OUT, FileMapping, Mappings
from kit.io.problems import Check
from kit.io.reading import EXCEL_SUFFIXES, TEXT_SUFFIXES, read_bytes, read_path
from kit.io.values import describe_values, needs_meanings, valid_meanings
from kit.store.engine import view_only_default
from kit.io.wide import WideLayout, check_layout, preview, propose_layout
from kit.workspace import load_settings, save_settings, uploads_dir, write_atomically

SAMPLE, FOLDER, UPLOADS = "sample", "folder", "uploads"
#: What each choice is called where the app says which data is in use.
IN_USE_WORDS = {SAMPLE: "the sample district (fictional)", UPLOADS: "your uploaded files"}


def folder_for(source: str, folder: str = "") -> Path:
    """The folder a data choice reads: the sample, the coach's folder, or the workspace's uploads."""
    if source == FOLDER and folder:
        return Path(folder)
    return uploads_dir() if source == UPLOADS else SAMPLE_FOLDER


def dataset_key(source: str, folder: str = "") -> str:
    """The name under which a dataset's window order is saved: one per choice (and per folder)."""
    return f"{FOLDER}:{folder}" if source == FOLDER else source


_opened: dict[tuple, Dataset] = {}


def open_folder(folder: Path, confirmed: dict, mappings: Mappings | None = None,
                window_orders: dict | None = None) -> Dataset:
    """`open_dataset(folder)`, kept while the folder's files and the coach's mappings are unchanged,
    so every app (and a preheated kernel warming up) opens the same data once. Each caller gets its
    own problem lists; the frames are shared and never modified."""
    mappings = mappings or Mappings()
    if not folder.is_dir():
        return open_dataset(folder, confirmed=confirmed)  # says the folder does not exist
    key = (str(folder.resolve()), json.dumps(confirmed, sort_keys=True), json.dumps(mappings.as_list(), sort_keys=True),
           json.dumps(window_orders or {}, sort_keys=True), folder_signature(folder))
    if key not in _opened:
        _opened.clear()
        _opened[key] = open_dataset(folder, confirmed=confirmed, mappings=mappings, window_orders=window_orders)
    kept = _opened[key]
    return dataclasses.replace(
        kept, problems=list(kept.problems),
        loaded={name: dataclasses.replace(table, problems=list(table.problems)) for name, table in kept.loaded.items()})


def saved_mappings(settings: dict | None = None) -> Mappings:
    """The coach's file mappings, as saved in the workspace."""
    return Mappings.from_list((settings if settings is not None else load_settings()).get("mappings", []))


#: What a team visitor (view-only) reads when the coach's data cannot be read: no path on the server.
TEAM_DATA_PROBLEM = ("The team's data cannot be read just now. Ask your coach to check the data they chose in "
                     "Start here (they can see where it is).")
#: The data in use, as a team visitor reads it (the coach reads the folder's path).
TEAM_FOLDER_WORDS = "the data folder your coach chose (on the server)"


def saved_window_orders(key: str, settings: dict | None = None) -> dict[str, list[str]]:
    """The coach's window order per table for the dataset `key` (see `dataset_key`)."""
    orders = (settings if settings is not None else load_settings()).get("window_orders", {})
    chosen = orders.get(key, {}) if isinstance(orders, dict) else {}
    return {str(table): [str(label) for label in labels] for table, labels in chosen.items()
            if isinstance(labels, list)} if isinstance(chosen, dict) else {}


def open_saved_dataset() -> Dataset:
    """The dataset the coach last chose (the sample district until they choose another), read with
    the coach's mappings and window order. In view-only mode a failure says nothing of where the
    data is (a team visitor reads `TEAM_DATA_PROBLEM`; the full message goes to the maintainer log)."""
    settings = load_settings()
    source, folder = settings.get("data_source", SAMPLE), settings.get("data_folder", "")
    try:
        return open_folder(folder_for(source, folder), settings.get("confirmed", {}), saved_mappings(settings),
                           saved_window_orders(dataset_key(source, folder), settings))
    except DataError as error:
        if not view_only_default():
            raise
        from kit.apps.components import maintainer_log

        maintainer_log().warning("A view-only app could not read the data: %s", error.message)
        raise DataError(TEAM_DATA_PROBLEM) from error


@dataclasses.dataclass(frozen=True)
class FileState:
    """One of the coach's files as the app lists it: its name, the table it holds ("" when the kit
    cannot tell), its headers, and whether it is kept (in use) or pending (it has errors)."""

    name: str
    table: str
    headers: tuple[str, ...]
    kept: bool
    wide: WideLayout | None = None


class DataChoice(traitlets.HasTraits):
    """The model behind the data loader: no widgets, so it is tested and reused directly."""

    source = traitlets.Unicode(SAMPLE)
    dataset = traitlets.Instance(Dataset, allow_none=True)
    #: Problems of uploaded files that were not kept (they had errors), shown beside the dataset's own.
    rejected = traitlets.List()
    #: Uploaded files with errors, kept in memory so a confirmed column name can re-check them.
    pending = traitlets.Dict()
    #: Column names the kit proposes in files not kept, as (table, the coach's header, the kit's column).
    pending_proposals = traitlets.List()
    #: What the coach told the kit about their files (saved in the workspace).
    mappings = traitlets.Instance(Mappings, ())
    #: True while an action runs; `progress` goes from 0 to 1 across it, `working_on` says what it does.
    busy = traitlets.Bool(False)
    progress = traitlets.Float(0.0)
    working_on = traitlets.Unicode("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        settings = load_settings()
        self.confirmed: dict[str, dict[str, str]] = settings.get("confirmed", {})
        self.folder = settings.get("data_folder", "")
        self.source = settings.get("data_source", SAMPLE)
        self.mappings = saved_mappings(settings)
        self._undo: list[Mappings] = []
        self._pending_checks: dict[str, Dataset] = {}
        self._last_read: tuple = (None, None)

    # -- which data -----------------------------------------------------------------------------------
    @property
    def in_use(self) -> str:
        """The data in use, in words: "the sample district (fictional)", "the folder ...", ...; a team
        visitor (view-only) is not shown the folder's path."""
        if self.source == FOLDER:
            return TEAM_FOLDER_WORDS if view_only_default() else f"the folder {self.folder} (on the server)"
        return IN_USE_WORDS[self.source]

    @property
    def window_orders(self) -> dict[str, list[str]]:
        """The coach's window order per table for the data in use."""
        return saved_window_orders(dataset_key(self.source, self.folder))

    def reopen(self) -> Dataset:
        with self._working("Reading your tables"):
            dataset = open_folder(folder_for(self.source, self.folder), self.confirmed, self.mappings,
                                  self.window_orders)
            dataset.problems.extend(self.rejected)
            self.dataset = dataset
        return dataset

    def proposals(self) -> list[tuple[str, str, str]]:
        """Every column name waiting for the coach to confirm: (table, their header, the kit's column)."""
        loaded = self.dataset.loaded.values() if self.dataset else []
        found = [(table.name, header, column) for table in loaded if table.headers
                 for header, column in table.headers.proposed.items()]
        return found + [proposal for proposal in self.pending_proposals if proposal not in found]

    def use_sample(self) -> Dataset:
        self.source, self.rejected, self.pending, self.pending_proposals = SAMPLE, [], {}, []
        self._pending_checks = {}
        save_settings(data_source=SAMPLE)
        return self.reopen()

    def use_folder(self, folder: str) -> Dataset:
        """Open a folder of tables on the server. A path that is not a folder changes nothing: the
        data in use stays what it was."""
        folder = folder.strip().strip('"').strip("'")
        if not folder:
            raise DataError("Type the path of the folder that holds your tables first.")
        if not Path(folder).expanduser().is_dir():
            raise DataError(f"There is no folder {folder} on the server. Check the path (the folder must be on "
                            f"the machine that runs the kit). The data in use is still {self.in_use}.")
        self.source, self.folder = FOLDER, str(Path(folder).expanduser())
        self.rejected, self.pending, self.pending_proposals, self._pending_checks = [], {}, [], {}
        save_settings(data_source=FOLDER, data_folder=self.folder)
        return self.reopen()

    def add_uploads(self, uploads) -> Dataset:
        """Check each uploaded file; keep the good ones in the workspace, hold the others as pending."""
        files = {str(upload["name"]): bytes(upload["content"]) for upload in uploads}
        if not files:
            raise DataError("Choose one or more files with the Upload button first.")
        self.source = UPLOADS
        save_settings(data_source=UPLOADS)
        return self._check_files({**self.pending, **files})

    # -- kept uploads -----------------------------------------------------------------------------------
    def kept_uploads(self) -> list[dict]:
        """The uploaded tables kept in the workspace: `table`, `file`, `size` (bytes), `saved` (time)."""
        kept = []
        for path in sorted(uploads_dir().iterdir()):
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                kept.append({"table": path.stem, "file": path.name, "size": stat.st_size,
                             "saved": pd.Timestamp(stat.st_mtime, unit="s").strftime("%Y-%m-%d %H:%M")})
        return kept

    def remove_upload(self, file: str) -> Dataset:
        """Remove one kept upload from the workspace (the coach's own copy elsewhere is untouched)."""
        names = {entry["file"] for entry in self.kept_uploads()}
        if file not in names:
            raise DataError(f"There is no kept upload called {file}.")
        (uploads_dir() / file).unlink()
        return self.reopen() if self.source == UPLOADS else self.dataset

    # -- the coach's files ------------------------------------------------------------------------------
    def files(self) -> list[FileState]:
        """Every file of the data in use and every pending upload, in name order."""
        states = {}
        if self.dataset is not None:
            for read in self.dataset.files.values():
                states[read.name] = FileState(read.name, read.table, tuple(read.headers), True, read.wide)
        for name, checked in self._pending_checks.items():
            read = checked.files.get(name)
            if read is not None:
                states[name] = FileState(name, read.table, tuple(read.headers), False, read.wide)
        return [states[name] for name in sorted(states)]

    def file(self, name: str) -> FileState:
        for state in self.files():
            if state.name == name:
                return state
        raise DataError(f"There is no file called {name} in the data in use.")

    def _read(self, name: str) -> pd.DataFrame:
        """The file's cells as text, read again from the pending upload or the folder in use (the last
        file read is kept, so a redraw does not read it twice)."""
        source = self.pending.get(name)
        path = folder_for(self.source, self.folder) / name
        stamp = (name, len(source)) if source is not None else (name, folder_signature(path.parent))
        if self._last_read[0] != stamp:
            raw, _ = read_bytes(source, name) if source is not None else (
                read_path(path) if path.is_file() else (None, []))
            if raw is None:
                raise DataError(f"There is no readable file called {name} in the data in use.")
            self._last_read = (stamp, raw)
        return self._last_read[1]

    def column_options(self, name: str, header: str) -> list[tuple[str, str]]:
        """What a header may be mapped to, as (words, schema column): the kit's proposal first, then
        every other column of the file's table, then "leave it out"."""
        state = self.file(name)
        if not state.table:
            raise DataError(f"Choose which table {name} holds first.")
        table = schema.table_by_name(state.table)
        match = match_headers(list(state.headers), table)
        first = [column for column in (match.taken.get(header), match.proposed.get(header)) if column]
        rest = [column for column in table.column_names if column not in first]
        options = [(f"{column} ({'the kit proposes it' if index == 0 else table.column(column).description})"
                    if column in first else f"{column} ({table.column(column).description})", column)
                   for index, column in enumerate(first + rest)]
        return options + [("leave this column out", LEAVE_OUT)]

    def mapping_for(self, name: str) -> FileMapping:
        """What the coach has said about a file so far (an empty mapping when nothing)."""
        state = self.file(name)
        return self.mappings.find(name, state.headers) or FileMapping(name, "")

    def codes(self, name: str, column: str) -> pd.DataFrame:
        """The distinct codes of a column in a file with their counts and what each will mean
        (`kit.io.values.describe_values`)."""
        state = self.file(name)
        table = schema.table_by_name(state.table)
        header = self._header_of(state, column)
        meanings = self.mapping_for(name).values.get(column)
        return describe_values(self._read(name)[header], table.column(column), meanings)

    def codes_to_explain(self) -> list[tuple[str, str]]:
        """(file, schema column) of every column set aside until the coach says what its codes mean."""
        waiting = []
        for state in self.files():
            checked = self._pending_checks.get(state.name)
            loaded = (checked.loaded.get(state.table) if checked is not None
                      else self.dataset.loaded.get(state.table) if self.dataset else None)
            if loaded is not None and loaded.file == state.name:
                waiting += [(state.name, column) for column in loaded.set_aside]
        return waiting

    def codes_not_allowed(self) -> list[tuple[str, str]]:
        """(file, schema column) of every category column holding values the kit does not allow (such
        as "Elem" for elementary): the coach can say what each means instead of editing the file."""
        problems = list(self.dataset.problems) if self.dataset else []
        found = []
        for problem in problems:
            if problem.check != Check.NOT_ALLOWED or not (problem.file and problem.column and problem.table):
                continue
            column = schema.table_by_name(problem.table).column(problem.column)
            if column.kind == schema.CATEGORY and (problem.file, column.name) not in found:
                found.append((problem.file, column.name))
        return found

    def code_columns(self, name: str) -> list[str]:
        """The schema columns of a file whose codes the coach may explain (yes/no and category)."""
        state = self.file(name)
        if not state.table:
            return []
        table = schema.table_by_name(state.table)
        mapped = set(match_headers(list(state.headers), table, self._columns_for(state)).taken.values())
        return [column.name for column in table.columns if column.name in mapped and needs_meanings(column)]

    def wide_proposal(self, name: str) -> WideLayout | None:
        """The kit's reading of a wide score file (the saved layout when the coach confirmed one)."""
        mapping = self.mapping_for(name)
        return mapping.layout or self.file(name).wide or propose_layout(self._read(name).head(WIDE_SAMPLE_ROWS))

    def wide_preview(self, name: str, layout: WideLayout) -> pd.DataFrame:
        """The first rows of the file reshaped with `layout`, for the coach to check."""
        return preview(self._read(name), layout)

    def window_order(self, table: str) -> WindowOrder:
        """The order of a table's windows in the data in use, with what it rests on."""
        if self.dataset is None or not self.dataset.has(table):
            raise DataError(f"The {table} table is not loaded, so it has no windows to order.")
        return self.dataset.window_order(table)

    def mappings_in_words(self) -> list[tuple[str, str, str, str]]:
        """Everything the coach has said about the files in use, as (file, sentence, part, item):
        `forget(file, part, item)` undoes that one sentence."""
        lines = []
        for state in self.files():
            mapping = self.mappings.find(state.name, state.headers)
            if mapping is None:
                continue
            if mapping.table:
                lines.append((state.name, f"{state.name} holds the {mapping.table} table.", "table", ""))
            if mapping.layout:
                lines.append((state.name, f"{state.name} is a wide score file: {mapping.layout.describe()}", "wide", ""))
            for header, column in mapping.columns.items():
                words = f"Your column '{header}' is left out." if column == LEAVE_OUT else \
                    f"Your column '{header}' is {column}."
                lines.append((state.name, words, "columns", header))
            for column in mapping.values:
                sentence = FileMapping(state.name, "", values={column: mapping.values[column]}).in_words()[0]
                lines.append((state.name, sentence, "values", column))
            for header, used in mapping.groups.items():
                lines.append((state.name, f"Your column '{header}' is {'' if used else 'not '}a student group.",
                              "groups", header))
        for table, labels in self.window_orders.items():
            lines.append(("", f"The windows of {table} are in the order you set: {', '.join(labels)}.", "window_order",
                          table))
        return lines

    # -- what the coach tells the kit -------------------------------------------------------------------
    def choose_table(self, name: str, table: str) -> Dataset:
        """Say which table a file holds (when its name does not tell)."""
        if table not in schema.TABLE_NAMES:
            raise DataError(f"There is no table called {table}; the kit's tables are {', '.join(schema.TABLE_NAMES)}.")
        return self._change(name, table=table)

    def map_column(self, name: str, header: str, column: str) -> Dataset:
        """Say that the file's column `header` is the schema's `column` ("" leaves it out)."""
        state = self.file(name)
        if header not in state.headers:
            raise DataError(f"{name} has no column '{header}'.")
        if not state.table:
            raise DataError(f"Choose which table {name} holds first.")
        if column != LEAVE_OUT and column not in schema.table_by_name(state.table).column_names:
            raise DataError(f"The {state.table} table has no column {column}.")
        mapping = self.mapping_for(name)
        columns = {old: new for old, new in mapping.columns.items() if new != column or column == LEAVE_OUT}
        return self._change(name, columns={**columns, header: column})

    def explain_codes(self, name: str, column: str, meanings: dict[str, str]) -> Dataset:
        """Say what each code of a yes/no or category column means (e.g. {"F": "yes", "N": "no"})."""
        state = self.file(name)
        table = schema.table_by_name(state.table) if state.table else None
        if table is None or column not in table.column_names:
            raise DataError(f"{name} has no column {column} to explain.")
        allowed = valid_meanings(table.column(column))
        wrong = [meaning for meaning in meanings.values() if allowed and meaning not in allowed]
        if wrong:
            raise DataError(f"'{wrong[0]}' is not something {column} can mean; choose one of: "
                            f"{', '.join(value or 'not recorded' for value in allowed)}.")
        mapping = self.mapping_for(name)
        codes = {**mapping.values.get(column, {}), **{str(code): str(meaning) for code, meaning in meanings.items()}}
        return self._change(name, values={**mapping.values, column: codes})

    def choose_group(self, name: str, header: str, used: bool) -> Dataset:
        """Say whether an extra column of the students file is a student group."""
        state = self.file(name)
        if state.table != "students" or header not in state.headers:
            raise DataError(f"'{header}' is not a column of a students file.")
        return self._change(name, groups={**self.mapping_for(name).groups, header: bool(used)})

    def set_wide_layout(self, name: str, layout: WideLayout) -> Dataset:
        """Confirm how a wide score file reads; it is then reshaped into the assessments table."""
        check_layout(self._read(name).head(WIDE_SAMPLE_ROWS), layout)
        return self._change(name, table="assessments", wide=layout.as_dict())

    def set_window_order(self, table: str, labels: list[str]) -> Dataset:
        """Set the order of a table's windows for the data in use (saved for this dataset)."""
        present = list(self.window_order(table).labels)
        labels = [str(label) for label in labels]
        unknown = [label for label in labels if label not in present]
        if unknown:
            raise DataError(f"The {table} table has no window '{unknown[0]}'; its windows are {', '.join(present)}.")
        if len(set(labels)) != len(labels) or set(labels) != set(present):
            raise DataError(f"Name each window of {table} once: {', '.join(present)}.")
        self._save_window_order(table, labels)
        return self.reopen()

    def forget(self, name: str, part: str, item: str = "") -> Dataset:
        """Undo one thing the coach said (one line of `mappings_in_words`)."""
        if part == "window_order":
            self._save_window_order(item, None)
            return self.reopen()
        mapping = self.mapping_for(name)
        if part in ("table", "wide"):
            return self._change(name, **{part: "" if part == "table" else None})
        if part not in ("columns", "values", "groups"):
            raise DataError(f"There is nothing called {part} to undo.")
        kept = {key: value for key, value in getattr(mapping, part).items() if key != item}
        return self._change(name, **{part: kept})

    def undo(self) -> Dataset:
        """Undo the last change to the mappings."""
        if not self._undo:
            raise DataError("There is nothing to undo.")
        self.mappings = self._undo.pop()
        save_settings(mappings=self.mappings.as_list())
        return self._recheck()

    # -- the old per-table confirmation -----------------------------------------------------------------
    def confirm(self, table: str, header: str, column: str) -> Dataset:
        """Record that the coach's column `header` is the schema's `column` in `table`, and re-check."""
        self.confirmed = {**self.confirmed, table: {**self.confirmed.get(table, {}), header: column}}
        save_settings(confirmed=self.confirmed)
        return self._recheck()

    # -- inside -----------------------------------------------------------------------------------------
    def _header_of(self, state: FileState, column: str) -> str:
        match = match_headers(list(state.headers), schema.table_by_name(state.table), self._columns_for(state))
        header = next((header for header, taken in match.taken.items() if taken == column), None)
        if header is None:
            raise DataError(f"No column of {state.name} is {column} yet: say which one is, first.")
        return header

    def _columns_for(self, state: FileState) -> dict[str, str]:
        mapping = self.mappings.find(state.name, state.headers)
        return {**self.confirmed.get(state.table, {}), **(mapping.confirmed_columns() if mapping else {})}

    def _change(self, name: str, **changes) -> Dataset:
        state = self.file(name)
        self._undo.append(self.mappings)
        self.mappings = self.mappings.changed(name, state.headers, **changes)
        save_settings(mappings=self.mappings.as_list())
        return self._recheck()

    def _recheck(self) -> Dataset:
        if self.source == UPLOADS:
            return self._check_files(dict(self.pending))
        return self.reopen()

    def _save_window_order(self, table: str, labels: list[str] | None) -> None:
        settings = load_settings()
        orders = settings.get("window_orders", {}) if isinstance(settings.get("window_orders"), dict) else {}
        key = dataset_key(self.source, self.folder)
        chosen = {t: order for t, order in orders.get(key, {}).items() if t != table}
        if labels:
            chosen[table] = labels
        save_settings(window_orders={**orders, key: chosen})

    @contextlib.contextmanager
    def _working(self, what: str):
        """Mark the model busy for the length of an action (nested actions keep the outer mark)."""
        outer = self.busy
        if not outer:
            self.progress, self.working_on = 0.0, what
            self.busy = True
        try:
            yield
        finally:
            if not outer:
                self.progress, self.working_on = 1.0, ""
                self.busy = False

    def _check_files(self, files: dict[str, bytes]) -> Dataset:
        rejected, pending, proposals, checks = [], {}, [], {}
        total = sum(len(content) for content in files.values()) or 1
        done = 0
        with self._working("Checking your files"):
            for index, (name, content) in enumerate(files.items()):
                self.working_on = f"Checking {name} ({index + 1} of {len(files)})"
                checked = open_dataset([{"name": name, "content": content}], confirmed=self.confirmed,
                                       mappings=self.mappings)
                good = [table for table in checked.loaded.values() if table.ok]
                if good and not checked.error_count:
                    self._keep(good[0].name, name, content, checked.files[name].headers)
                else:
                    rejected.extend(checked.problems)
                    pending[name] = content
                    checks[name] = checked
                    proposals.extend((table.name, header, column) for table in checked.loaded.values()
                                     if table.headers for header, column in table.headers.proposed.items())
                done += len(content)
                self.progress = 0.9 * done / total  # by size: a large file moves the bar further
            self.rejected, self.pending, self.pending_proposals = rejected, pending, proposals
            self._pending_checks = checks
            return self.reopen()

    def _keep(self, table: str, file_name: str, content: bytes, headers: list[str]) -> None:
        """Save an uploaded table as the workspace's copy of that table, replacing any earlier copy;
        the coach's mapping of the file goes with it under its new name."""
        folder = uploads_dir()
        suffix = Path(file_name).suffix.lower()
        suffix = suffix if suffix in TEXT_SUFFIXES + EXCEL_SUFFIXES else ".csv"
        kept = folder / f"{table}{suffix}"
        write_atomically(kept, content)
        for other in folder.glob(f"{table}.*"):
            if other != kept:
                other.unlink()
        copied = self.mappings.copied_to(file_name, headers, kept.name)
        if copied != self.mappings:
            self.mappings = copied
            save_settings(mappings=self.mappings.as_list())


__all__ = ["SAMPLE", "FOLDER", "UPLOADS", "DataChoice", "FileState", "open_saved_dataset", "open_folder",
           "folder_for", "folder_signature", "dataset_key", "saved_mappings", "saved_window_orders"]
