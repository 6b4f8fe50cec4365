"""A dataset: the tables a coach has, loaded from a folder, from uploads or from frames, with the
checks that need more than one table (ids that link tables, hours that must agree).

What the coach told the kit about their files (`kit.io.mapping.Mappings`: which table a file holds,
which column is which, what codes mean, how a wide file splits) and the order of their windows are
applied here, so every stage sees the same tables.
"""

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import schema
from kit.analysis.windows import BY_GRADES, WindowOrder, grade_of, guess_window_order, order_with
from kit.errors import DataError
from kit.io.headers import HeaderMatch, match_headers, normalise_header
from kit.io.mapping import FileMapping, Mappings
from kit.io.problems import WARNING, Check, Problem, count_errors
from kit.io.reading import EXCEL_SUFFIXES, MAX_FILE_BYTES, TEXT_SUFFIXES, read_bytes, read_path
from kit.io.validation import ROWS_NAMED_PER_PROBLEM, check_table
from kit.io.wide import propose_layout, reshape
from kit.privacy import DEFAULT_MIN_GROUP_SIZE
from kit.workspace import SAMPLE_FOLDER



@dataclass
class LoadedTable:
    """One table as loaded: the typed frame (None when it has errors), its problems, and how its
    headers were matched (so an app can offer the proposed column names for confirmation)."""

    name: str
    file: str
    frame: pd.DataFrame | None
    problems: list[Problem]
    headers: HeaderMatch | None = None
    #: The key columns and the coach's extra columns (educators, rosters, students), on the frame's rows.
    attributes: pd.DataFrame | None = None
    #: Columns not used until the coach says what their codes mean.
    set_aside: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.frame is not None


#: Rows the kit looks at to tell a wide score file (enough to see which columns hold numbers).
WIDE_SAMPLE_ROWS = 500


@dataclass
class ReadFile:
    """One file as read: its name, its headers (empty when unreadable), the table it was taken to
    hold ("" when the kit cannot tell) and how the kit read a wide score file (None when not wide).
    The cells are not kept (a district's file may be large): `kit.io.reading` reads them again when
    the coach looks at a column's codes or a preview."""

    name: str
    headers: tuple[str, ...] = ()
    table: str = ""
    wide: object = None  # a kit.io.wide.WideLayout proposal


@dataclass
class Dataset:
    """The tables a coach has. `tables` holds only tables that loaded; `problems` holds everything found."""

    loaded: dict[str, LoadedTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    source: str = ""
    #: Every file read, by file name, whether or not it loaded.
    files: dict[str, ReadFile] = field(default_factory=dict)
    #: The order of each table's windows (the coach's, else the kit's reading of the labels).
    window_orders: dict[str, WindowOrder] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: table.frame for name, table in self.loaded.items() if table.ok}

    @property
    def missing(self) -> tuple[str, ...]:
        """The kit's tables this dataset does not have (a missing table is fine: stages say what they need)."""
        return tuple(name for name in schema.TABLE_NAMES if name not in self.loaded)

    @property
    def error_count(self) -> int:
        return count_errors(self.problems)

    def has(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str) -> pd.DataFrame:
        """The loaded table, or a DataError saying what to provide."""
        if name in self.tables:
            return self.tables[name]
        title = schema.table_by_name(name).title
        if name in self.loaded:
            raise DataError(f"The {title} table ({self.loaded[name].file}) has problems to fix before it can be used.")
        raise DataError(f"This needs the {title} table ({name}.csv); the template in data/templates shows its layout.")

    def attributes(self, name: str) -> pd.DataFrame:
        """The coach's own extra columns of a table, to compare by: the key columns, then each extra
        column as it was in the file (text; None when blank), on the rows of the loaded table.

        Educators' and rosters' extra columns (a program, a class type, a cohort) are kept here; so are
        students' extra columns, whether or not they are used as groups. Empty (key columns only) when
        the file has none.

        >>> dataset = open_dataset({"educators": pd.DataFrame({"educator_id": ["E1"], "school_id": ["S1"],
        ...                                                    "Program": ["mentoring"]})})
        >>> dataset.attributes("educators").to_dict("records")
        [{'educator_id': 'E1', 'Program': 'mentoring'}]
        """
        table = schema.table_by_name(name)
        frame = self.table(name)
        loaded = self.loaded[name]
        if loaded.attributes is None:
            return frame[[column for column in table.key if column in frame.columns]].reset_index(drop=True)
        return loaded.attributes.loc[loaded.attributes.index.isin(frame.index)].reset_index(drop=True)

    def window_order(self, name: str) -> WindowOrder:
        """The order of a table's windows, with what it rests on (`WindowOrder.explanation` says it in
        words, and whether it is only a guess)."""
        if name in self.window_orders:
            return self.window_orders[name]
        frame = self.tables.get(name)
        labels = frame["window"] if frame is not None and "window" in frame.columns else []
        return guess_window_order(labels)

    def data_check(self) -> pd.DataFrame:
        """One row per kit table: what was found, rows, errors, warnings and a status in words that
        agrees with the counts (a file with errors is never "not provided")."""
        rows = []
        for table in schema.TABLES:
            loaded = self.loaded.get(table.name)
            problems = [problem for problem in self.problems if problem.table == table.name]
            errors = count_errors(problems)
            files = list(dict.fromkeys(problem.file for problem in problems if problem.file))
            if loaded is None and errors:
                status = "not used: fix the errors below"
            elif loaded is None and problems:
                status = "not used: see the warnings below"
            elif loaded is None:
                status = "not provided"
            elif errors or not loaded.ok:
                status = "fix the errors below"
            elif loaded.set_aside:
                status = f"ready without {', '.join(loaded.set_aside)}: see the warnings"
            elif problems:
                status = "ready (see the warnings)"
            else:
                status = "ready"
            rows.append({
                "table": table.name, "holds": table.title,
                "file": loaded.file if loaded else ", ".join(files),
                "rows": len(loaded.frame) if loaded and loaded.ok else pd.NA,
                "errors": errors, "warnings": len(problems) - errors, "status": status,
            })
        frame = pd.DataFrame(rows)
        frame["rows"] = frame["rows"].astype("Int64")
        return frame


Upload = Mapping  # an ipywidgets 8 FileUpload entry: {"name": ..., "content": memoryview | bytes, ...}


def load_table(content: bytes, file_name: str, table: str, confirmed: dict[str, str] | None = None,
               max_bytes: int = MAX_FILE_BYTES) -> LoadedTable:
    """Read and check one file as the table `table`.

    >>> loaded = load_table(b"school_id,school_name,level\\nSCH1,Cedar,Elementary\\n", "schools.csv", "schools")
    >>> loaded.ok, loaded.frame.loc[2, "level"]
    (True, 'elementary')
    """
    raw, problems = read_bytes(content, file_name, table, max_bytes)
    return _checked(raw, problems, file_name, table, confirmed)


def _checked(raw: pd.DataFrame | None, problems: list[Problem], file_name: str, table: str,
             confirmed: dict[str, str] | None, mapping: FileMapping | None = None) -> LoadedTable:
    if raw is None:
        return LoadedTable(table, file_name, None, problems)
    mapping = mapping or FileMapping(file_name, "")
    columns = {**(confirmed or {}), **mapping.confirmed_columns()}
    kept = raw.drop(columns=[header for header in mapping.left_out() if header in raw.columns])
    checked = check_table(kept, table, columns, file_name, mapping.values, mapping.groups)
    return LoadedTable(table, file_name, checked.frame, problems + checked.problems, checked.headers,
                       checked.attributes, checked.set_aside)


#: How the kit knew which table a file holds.
BY_TABLE_NAME, BY_OTHER_NAME, BY_HEADERS = "table name", "other name", "headers"


def guess_table_how(file_name: str, headers: Iterable[str] = ()) -> tuple[str | None, str]:
    """(table, how the kit knew) for a file: by its name (`students.csv`, `Student assessments
    2025.xlsx`), by a name districts often use (`teachers.csv` is educators), else by its headers
    (the one table whose required columns all appear). (None, "") when it cannot tell.

    >>> guess_table_how("classes.csv"), guess_table_how("scores_long.csv")
    (('rosters', 'other name'), ('assessments', 'other name'))
    """
    stem = normalise_header(Path(file_name).stem)
    by_name = {table.name: table.name for table in schema.TABLES}
    by_name.update({normalise_header(table.title): table.name for table in schema.TABLES})
    if stem in by_name:
        return by_name[stem], BY_TABLE_NAME
    starts = [name for label, name in by_name.items() if stem.startswith(label) or label.startswith(stem + "_")]
    if len(set(starts)) == 1:
        return starts[0], BY_TABLE_NAME
    others = {other: table.name for table in schema.TABLES for other in table.file_names}
    if stem in others:
        return others[stem], BY_OTHER_NAME
    headers = list(headers)
    fits = [table.name for table in schema.TABLES
            if not match_headers(headers, table).missing(table)]
    return (fits[0], BY_HEADERS) if len(fits) == 1 else (None, "")


def guess_table(file_name: str, headers: Iterable[str] = ()) -> str | None:
    """Which table a file holds, or None when the kit cannot tell (see `guess_table_how`)."""
    return guess_table_how(file_name, headers)[0]


def open_dataset(source, confirmed: Mapping[str, dict[str, str]] | None = None,
                 max_bytes: int = MAX_FILE_BYTES, min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
                 mappings: Mappings | None = None, window_orders: Mapping[str, list[str]] | None = None) -> Dataset:
    """Open the tables in `source`, one call for all of them.

    `source` is a folder path, a sequence of uploads (ipywidgets 8 `FileUpload.value`), or a mapping
    of table name -> frame. `confirmed` holds column names a coach confirmed, per table:
    `{"rosters": {"stu_id": "student_id"}}`; `mappings` what the coach said about each file (see
    `kit.io.mapping`); `window_orders` the coach's order of windows per table
    (`{"assessments": ["K", "1", "2", "3"]}`), which makes that table's window column an ordered
    categorical.

    >>> dataset = open_dataset(SAMPLE_FOLDER)
    >>> dataset.error_count, sorted(dataset.tables)[:2]
    (0, ['assessments', 'attendance'])
    """
    confirmed = confirmed or {}
    mappings = mappings or Mappings()
    if isinstance(source, (str, Path)):
        dataset = _open_folder(Path(source), confirmed, max_bytes, mappings)
    elif isinstance(source, Mapping):
        dataset = _open_frames(source, confirmed)
    else:
        dataset = _open_uploads(source, confirmed, max_bytes, mappings)
    dataset.min_group_size = min_group_size
    _derive_student_grade(dataset)
    _check_links(dataset)
    _check_attendance_hours(dataset)
    _apply_window_orders(dataset, window_orders or {})
    return dataset


def folder_signature(folder: Path) -> tuple:
    """The folder's files with their sizes and times: it changes when any table file changes."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                        for path in folder.iterdir() if path.is_file()))


_sample: dict[tuple, Dataset] = {}


def open_sample() -> Dataset:
    """The bundled sample district (fictional): read once per process while its files are unchanged;
    each call gets its own copy, free to change.

    >>> open_sample() is not open_sample(), open_sample().tables["schools"] is not open_sample().tables["schools"]
    (True, True)
    """
    key = folder_signature(SAMPLE_FOLDER)
    if key not in _sample:
        _sample.clear()
        _sample[key] = open_dataset(SAMPLE_FOLDER)
    return copy.deepcopy(_sample[key])


def _add(dataset: Dataset, loaded: LoadedTable | None, problems: list[Problem]) -> None:
    if loaded is not None and loaded.name in dataset.loaded:
        first = dataset.loaded[loaded.name].file
        problems = problems + [Problem(loaded.name, Check.UNKNOWN_TABLE,
                                       f"Two files hold the {loaded.name} table: {first} and {loaded.file}. "
                                       f"{loaded.file} is left out.",
                                       "Keep one file for each table (combine them in your spreadsheet).",
                                       WARNING, file=loaded.file)]
        loaded = None
    if loaded is not None:
        dataset.loaded[loaded.name] = loaded
        problems = problems + loaded.problems
    dataset.problems.extend(problems)


def _wide_problem(table: str, file_name: str, layout) -> Problem:
    return Problem(table, Check.WIDE_FILE,
                   f"{file_name} has a column for each subject or window ({', '.join(layout.score_columns[:3])}, ...): "
                   "a wide score file. The kit can turn it into one row per student, subject and window.",
                   "In the data check, confirm which columns are ids and how a column name splits into subject "
                   "and window.", file=file_name)


def _load_named(raw: pd.DataFrame | None, problems: list[Problem], file_name: str,
                confirmed: Mapping[str, dict[str, str]], mappings: Mappings | None = None,
                dataset: Dataset | None = None) -> tuple[LoadedTable | None, list[Problem]]:
    """Work out which table a file holds (the coach's choice first), reshape it when the coach said
    it is a wide score file, then check it."""
    mapping = mappings.find(file_name, raw.columns) if mappings is not None and raw is not None else None
    read = ReadFile(file_name, tuple(str(header) for header in raw.columns) if raw is not None else ())
    if dataset is not None:
        dataset.files[file_name] = read
    layout = mapping.layout if mapping else None
    if layout is not None:
        try:
            raw = reshape(raw, layout)
        except DataError as error:
            return None, problems + [Problem("assessments", Check.WIDE_FILE, f"{file_name}: {error.message}",
                                             "Check how the wide file's columns split, in the data check.",
                                             file=file_name)]
    table, how = ((mapping.table, "your choice") if mapping and mapping.table else ("assessments", "wide")
                  if layout is not None else guess_table_how(file_name, raw.columns if raw is not None else ()))
    read.table = table or ""
    if raw is not None and layout is None:
        read.wide = propose_layout(raw.head(WIDE_SAMPLE_ROWS))
    if table is None:
        if read.wide is not None:
            return None, problems + [_wide_problem("", file_name, read.wide)]
        return None, problems + [Problem(
            "", Check.UNKNOWN_TABLE, f"The kit cannot tell which table {file_name} holds.",
            "Choose the table it holds in the data check, or name the file after its table (for example "
            "students.csv); the kit's tables are " + ", ".join(schema.TABLE_NAMES) + ".", file=file_name)]
    problems = [Problem(table, p.check, p.message, p.how_to_fix, p.severity, p.row, p.column, p.value, p.file)
                for p in problems]
    if how == BY_OTHER_NAME:
        problems.append(Problem(table, Check.TABLE_FROM_NAME,
                                f"The kit took {file_name} to hold the {table} table, from its name.",
                                "Nothing to do, unless it holds another table: then choose that table in the "
                                "data check.", WARNING, file=file_name))
    table_confirmed = confirmed.get(table)
    if raw is not None and table == "assessments" and read.wide is not None and layout is None:
        columns = {**(table_confirmed or {}), **(mapping.confirmed_columns() if mapping else {})}
        if match_headers(list(raw.columns), schema.table_by_name(table), columns).missing(schema.table_by_name(table)):
            return LoadedTable(table, file_name, None, problems + [_wide_problem(table, file_name, read.wide)]), []
    return _checked(raw, problems, file_name, table, table_confirmed, mapping), []


def _open_folder(folder: Path, confirmed: Mapping[str, dict[str, str]], max_bytes: int,
                 mappings: Mappings | None = None) -> Dataset:
    if not folder.is_dir():
        raise DataError(f"There is no folder {folder}. Check the path (copy it from your file manager).")
    dataset = Dataset(source=str(folder))
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        if not path.name.lower().endswith(TEXT_SUFFIXES + EXCEL_SUFFIXES):
            dataset.problems.append(Problem("", Check.NOT_A_TABLE, f"{path.name} is not a CSV or Excel file; "
                                            "it is left out.", "Save tables as CSV or .xlsx.", WARNING,
                                            file=path.name))
            continue
        raw, problems = read_path(path, max_bytes=max_bytes)
        _add(dataset, *_load_named(raw, problems, path.name, confirmed, mappings, dataset))
    return dataset


def _open_uploads(uploads, confirmed: Mapping[str, dict[str, str]], max_bytes: int,
                  mappings: Mappings | None = None) -> Dataset:
    dataset = Dataset(source="uploaded files")
    for upload in uploads:
        name = str(upload["name"])
        raw, problems = read_bytes(upload["content"], name, max_bytes=max_bytes)
        _add(dataset, *_load_named(raw, problems, name, confirmed, mappings, dataset))
    return dataset


def _open_frames(frames: Mapping[str, pd.DataFrame], confirmed: Mapping[str, dict[str, str]]) -> Dataset:
    dataset = Dataset(source="tables")
    for name, frame in frames.items():
        if name not in schema.TABLE_NAMES:
            raise DataError(f"There is no table called {name}; the kit's tables are {', '.join(schema.TABLE_NAMES)}.")
        raw = frame.astype(str).replace({"nan": "", "<NA>": "", "None": "", "NaT": ""})
        raw.index = pd.RangeIndex(2, len(raw) + 2, name="row")
        _add(dataset, _checked(raw, [], f"{name} (table)", name, confirmed.get(name)), [])
    return dataset


def _derive_student_grade(dataset: Dataset) -> None:
    """When the students table has no grade, take each student's grade in their latest window from
    the assessments (their grade_when_assessed, or the windows themselves when the windows are grades);
    with neither, the grade column is there and empty (not recorded)."""
    if not dataset.has("students") or "grade" in dataset.tables["students"].columns:
        return
    loaded = dataset.loaded["students"]
    grade = pd.Series(None, index=loaded.frame.index, dtype=object)
    scores = dataset.tables.get("assessments")
    order = guess_window_order(scores["window"]) if scores is not None else None
    if scores is not None and ("grade_when_assessed" in scores.columns or order.basis == BY_GRADES):
        from_windows = "grade_when_assessed" not in scores.columns
        graded = scores.assign(grade=scores["window"].astype(str).map(grade_of) if from_windows
                               else scores["grade_when_assessed"])
        graded = graded.dropna(subset=["grade"])
        place = {label: index for index, label in enumerate(order.labels)}
        latest = graded.assign(_place=graded["window"].astype(str).map(place)).sort_values("_place", kind="stable")
        by_student = latest.drop_duplicates("student_id", keep="last").set_index("student_id")["grade"]
        grade = loaded.frame["student_id"].map(by_student).astype(object)
        source = "the assessments' windows, which are grades" if from_windows else "the assessments"
        loaded.problems.append(Problem("students", Check.MISSING_COLUMN,
                                       f"The students table has no grade; each student's grade is taken from {source}, "
                                       "in the latest window.",
                                       "Nothing to do, unless you want another grade: then add a grade column.",
                                       WARNING, column="grade", file=loaded.file))
        dataset.problems.append(loaded.problems[-1])
    loaded.frame = loaded.frame.assign(grade=grade.where(grade.notna(), None))


def _apply_window_orders(dataset: Dataset, saved: Mapping[str, list[str]]) -> None:
    """Record each table's window order; where the coach set one, the window column becomes an
    ordered categorical in that order, so every stage reads it the same way."""
    for name, frame in dataset.tables.items():
        if "window" not in frame.columns:
            continue
        labels = frame["window"]
        if saved.get(name):
            order = order_with(labels, saved[name])
            dataset.loaded[name].frame = frame.assign(window=pd.Categorical(
                frame["window"].astype(str), categories=list(order.labels), ordered=True))
        else:
            order = guess_window_order(labels)
        dataset.window_orders[name] = order


def _check_links(dataset: Dataset) -> None:
    """Rows naming an id that is not in the linked table are left out, with a warning per id."""
    for table_name, column, target in schema.links():
        if not (dataset.has(table_name) and dataset.has(target)):
            continue
        frame = dataset.tables[table_name]
        key = schema.table_by_name(target).key[0]
        unknown = frame[column].notna() & ~frame[column].isin(dataset.tables[target][key])
        if not unknown.any():
            continue
        loaded = dataset.loaded[table_name]
        problems = []
        for identifier, rows in frame.index[unknown].to_series().groupby(frame.loc[unknown, column]):
            row_list = ", ".join(str(row) for row in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
            problems.append(Problem(table_name, Check.UNKNOWN_LINK,
                                    f"{column} {identifier} is not in the {target} table (row {row_list}); "
                                    f"{'that row is' if len(rows) == 1 else 'those rows are'} left out.",
                                    f"Add {identifier} to {target}, or correct the id.", WARNING,
                                    int(rows.iloc[0]), column, str(identifier), loaded.file))
        if len(problems) > ROWS_NAMED_PER_PROBLEM:
            more = len(problems) - ROWS_NAMED_PER_PROBLEM
            problems = problems[:ROWS_NAMED_PER_PROBLEM] + [Problem(
                table_name, Check.UNKNOWN_LINK, f"{more:,} more ids in {column} are not in the {target} table; "
                "their rows are left out.", f"Check that {target} is complete.", WARNING, None, column,
                None, loaded.file)]
        _report(dataset, table_name, problems)
        loaded.frame = frame[~unknown]


def _check_attendance_hours(dataset: Dataset) -> None:
    if not (dataset.has("attendance") and dataset.has("learning_activities")):
        return
    attendance = dataset.tables["attendance"]
    hours = attendance["activity_id"].map(dataset.tables["learning_activities"].set_index("activity_id")["hours"])
    over = (attendance["hours_attended"] > hours).fillna(False)
    _report(dataset, "attendance", [Problem(
        "attendance", Check.INCONSISTENT,
        f"hours_attended {attendance.loc[row, 'hours_attended']:g} is more than the activity's {hours.loc[row]:g} hours.",
        "Check the hours in attendance and in learning_activities.", WARNING, int(row), "hours_attended",
        str(attendance.loc[row, "hours_attended"]), dataset.loaded["attendance"].file)
        for row in attendance.index[over][:ROWS_NAMED_PER_PROBLEM]])


def _report(dataset: Dataset, table_name: str, problems: list[Problem]) -> None:
    """Record problems found across tables on the dataset and on the table they concern."""
    dataset.problems.extend(problems)
    dataset.loaded[table_name].problems.extend(problems)
