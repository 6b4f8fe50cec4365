"""A dataset: the tables a coach has, loaded from a folder, from uploads or from frames, with the
checks that need more than one table (ids that link tables, hours that must agree)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import schema
from kit.errors import DataError
from kit.io.headers import HeaderMatch, match_headers, normalise_header
from kit.io.problems import WARNING, Check, Problem, count_errors
from kit.io.reading import EXCEL_SUFFIXES, MAX_FILE_BYTES, TEXT_SUFFIXES, read_bytes, read_path
from kit.io.validation import ROWS_NAMED_PER_PROBLEM, validate_table
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

    @property
    def ok(self) -> bool:
        return self.frame is not None


@dataclass
class Dataset:
    """The tables a coach has. `tables` holds only tables that loaded; `problems` holds everything found."""

    loaded: dict[str, LoadedTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    source: str = ""

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

    def data_check(self) -> pd.DataFrame:
        """One row per kit table: what was found, rows, errors, warnings and a status in words."""
        rows = []
        for table in schema.TABLES:
            loaded = self.loaded.get(table.name)
            problems = [problem for problem in self.problems if problem.table == table.name]
            errors = count_errors(problems)
            if loaded is None:
                status = "not provided"
            elif errors:
                status = "fix the errors below"
            elif problems:
                status = "ready (see the warnings)"
            else:
                status = "ready"
            rows.append({
                "table": table.name, "holds": table.title, "file": loaded.file if loaded else "",
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
             confirmed: dict[str, str] | None) -> LoadedTable:
    if raw is None:
        return LoadedTable(table, file_name, None, problems)
    frame, found, headers = validate_table(raw, table, confirmed, file_name)
    return LoadedTable(table, file_name, frame, problems + found, headers)


def guess_table(file_name: str, headers: Iterable[str] = ()) -> str | None:
    """Which table a file holds: by its name (`students.csv`, `Student assessments 2025.xlsx`),
    else by its headers (the table whose required columns all appear)."""
    stem = normalise_header(Path(file_name).stem)
    by_name = {table.name: table.name for table in schema.TABLES}
    by_name.update({normalise_header(table.title): table.name for table in schema.TABLES})
    if stem in by_name:
        return by_name[stem]
    starts = [name for label, name in by_name.items() if stem.startswith(label) or label.startswith(stem + "_")]
    if len(set(starts)) == 1:
        return starts[0]
    headers = list(headers)
    fits = [table.name for table in schema.TABLES
            if not match_headers(headers, table).missing(table)]
    return fits[0] if len(fits) == 1 else None


def open_dataset(source, confirmed: Mapping[str, dict[str, str]] | None = None,
                 max_bytes: int = MAX_FILE_BYTES, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Dataset:
    """Open the tables in `source`, one call for all of them.

    `source` is a folder path, a sequence of uploads (ipywidgets 8 `FileUpload.value`), or a mapping
    of table name -> frame. `confirmed` holds column names a coach confirmed, per table:
    `{"rosters": {"stu_id": "student_id"}}`.

    >>> dataset = open_dataset(SAMPLE_FOLDER)
    >>> dataset.error_count, sorted(dataset.tables)[:2]
    (0, ['assessments', 'attendance'])
    """
    confirmed = confirmed or {}
    if isinstance(source, (str, Path)):
        dataset = _open_folder(Path(source), confirmed, max_bytes)
    elif isinstance(source, Mapping):
        dataset = _open_frames(source, confirmed)
    else:
        dataset = _open_uploads(source, confirmed, max_bytes)
    dataset.min_group_size = min_group_size
    _check_links(dataset)
    _check_attendance_hours(dataset)
    return dataset


def open_sample() -> Dataset:
    """The bundled sample district (fictional)."""
    return open_dataset(SAMPLE_FOLDER)


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


def _load_named(raw: pd.DataFrame | None, problems: list[Problem], file_name: str,
                confirmed: Mapping[str, dict[str, str]]) -> tuple[LoadedTable | None, list[Problem]]:
    """Work out which table a file holds, then check it."""
    table = guess_table(file_name, raw.columns if raw is not None else ())
    if table is None:
        return None, problems + [Problem(
            "", Check.UNKNOWN_TABLE, f"The kit cannot tell which table {file_name} holds.",
            "Name the file after its table (for example students.csv); the kit's tables are "
            + ", ".join(schema.TABLE_NAMES) + ".", file=file_name)]
    problems = [Problem(table, p.check, p.message, p.how_to_fix, p.severity, p.row, p.column, p.value, p.file)
                for p in problems]
    return _checked(raw, problems, file_name, table, confirmed.get(table)), []


def _open_folder(folder: Path, confirmed: Mapping[str, dict[str, str]], max_bytes: int) -> Dataset:
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
        _add(dataset, *_load_named(raw, problems, path.name, confirmed))
    return dataset


def _open_uploads(uploads, confirmed: Mapping[str, dict[str, str]], max_bytes: int) -> Dataset:
    dataset = Dataset(source="uploaded files")
    for upload in uploads:
        name = str(upload["name"])
        raw, problems = read_bytes(upload["content"], name, max_bytes=max_bytes)
        _add(dataset, *_load_named(raw, problems, name, confirmed))
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
