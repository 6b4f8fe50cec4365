"""Reading a backup file strictly: every field of every record, before anything is imported.

A backup is data from outside the store (it may have been edited by hand or damaged), so it gets
the same checks as a coach's typing, and more: saved types exactly (whole numbers as numbers,
`archived` as true/false, timestamps with their time zone), versions of 1 or more, ids of the
store's form, no unknown keys, and links that stay inside their cycle. The first problem stops
the import and is named: which record, which field, what is wrong.

>>> parse_backup({"format": "a shopping list"}, "list.json")   # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kit.store.errors.BackupError: list.json is not a coaching store backup ...
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from kit.store.errors import BackupError, RecordValueError, StoreVersionError
from kit.store.kinds import COMMON_COLUMNS, KINDS, Kind
from kit.store.limits import INTEGER_MAX, SHORT_MAX, is_record_id, short_id, text_problem
from kit.store.validate import clean_values

FORMAT = "coaching-kit-store-backup"
FORMAT_VERSION = 1
TOP_KEYS = ("format", "format_version", "schema_revision", "kit_version", "cycle_id", "records")
_AFTER = "Nothing was imported. The file may have been changed by hand or damaged: import an untouched copy."


def parse_backup(data: Any, source: str) -> dict[str, list[dict[str, Any]]]:
    """The backup's records per kind, checked and converted to the store's values; raises `BackupError`
    (or `StoreVersionError` for a backup from a newer kit) at the first problem."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise BackupError(f"{source} is not a coaching store backup (it was not made by the kit's export).", source)
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _file_problem(source, f"its format version must be a whole number from 1, not {_shown(version)}")
    if version > FORMAT_VERSION:
        raise StoreVersionError(f"{source} was made by a newer version of the kit (backup format "
                                f"{version}). Update the kit to import it.")
    unknown = [key for key in data if key not in TOP_KEYS]
    if unknown:
        raise _file_problem(source, f"it has parts a backup does not have ({', '.join(map(_shown, unknown))})")
    missing = [key for key in TOP_KEYS if key not in data]
    if missing:
        raise _file_problem(source, f"it lacks parts every backup has ({', '.join(missing)})")
    older = _older_schema(data["schema_revision"], source)
    if not isinstance(data["kit_version"], str):
        raise _file_problem(source, f"its kit version must be text, not {_shown(data['kit_version'])}")
    records = data["records"]
    if not isinstance(records, Mapping):
        raise _file_problem(source, "its records must be grouped by kind (goals, plans, ...), "
                                    f"not given as {type(records).__name__}")
    tables = {kind.table: kind for kind in KINDS.values()}
    strange = [key for key in records if key not in tables]
    if strange:
        raise _file_problem(source, f"it has records of kinds the store does not keep ({', '.join(map(_shown, strange))})")
    rows: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS.values():
        listed = records.get(kind.table, [])
        if not isinstance(listed, list):
            raise _file_problem(source, f"its {kind.table} must be a list of records, not {type(listed).__name__}")
        rows[kind.name] = [_parse_row(kind, row, n, source, older) for n, row in enumerate(listed, start=1)]
    _check_ids_and_cycle(rows, data["cycle_id"], source)
    return rows


def record_name(kind: Kind, number: int, row: Any) -> str:
    """How a message names a record of a backup: `goal record 3 (id 5f3e...)`."""
    record_id = row.get("id") if isinstance(row, Mapping) else None
    return f"{kind.label} record {number}" + (f" (id {short_id(record_id)})" if record_id is not None else "")


def _shown(value: Any) -> str:
    """A value for a message, quoted when it is text, short and printable."""
    return repr(short_id(value)) if isinstance(value, str) else short_id(repr(value))


def _file_problem(source: str, problem: str) -> BackupError:
    return BackupError(f"{source} cannot be imported: {problem}. {_AFTER}", source)


def _record_problem(source: str, kind: Kind, number: int, row: Any, field: str, problem: str) -> BackupError:
    name = record_name(kind, number, row)
    return BackupError(f"{source} cannot be imported: its {name} is not valid: {problem}. {_AFTER}",
                       source, name, field)


def _older_schema(revision: Any, source: str) -> bool:
    """True when the backup comes from an older store version (its records may lack later fields)."""
    from kit.store.engine import _known, head_revision

    if not isinstance(revision, str) or not revision:
        raise _file_problem(source, f"its store version must be text, not {_shown(revision)}")
    if revision == head_revision():
        return False
    if not _known(revision):
        raise StoreVersionError(f"{source} was made by a version of the kit this one does not know (store "
                                f"version {short_id(revision)}). Update the kit to import it.")
    return True


def _parse_row(kind: Kind, row: Any, number: int, source: str, older: bool) -> dict[str, Any]:
    def fail(field: str, problem: str):
        raise _record_problem(source, kind, number, row, field, problem)

    if not isinstance(row, Mapping):
        fail("", f"a record must be a set of named values, not {type(row).__name__}")
    common = [c for c in COMMON_COLUMNS if kind.in_cycle or c != "cycle_id"]
    unknown = [key for key in row if key not in common and key not in kind.field_names]
    if unknown:
        fail(str(unknown[0]), f"it has fields a {kind.label} does not have ({', '.join(map(_shown, unknown))})")
    may_lack = {f.name for f in kind.fields if not f.required} if older else set()
    missing = [name for name in (*common, *kind.field_names) if name not in row and name not in may_lack]
    if missing:
        fail(missing[0], f"it lacks {', '.join(missing)}")
    parsed: dict[str, Any] = {}
    for name in common:
        value = row[name]
        if name in ("id", "cycle_id") and not is_record_id(value):
            fail(name, f"{name.replace('_', ' ')} must be an id such as 5f3e2a1c-..., not {_shown(value)}")
        if name == "version" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INTEGER_MAX):
            fail(name, f"version must be a whole number from 1, not {_shown(value)}")
        if name == "archived" and not isinstance(value, bool):
            fail(name, f"archived must be true or false, not {_shown(value)}")
        if name in ("created_by", "updated_by"):
            problem = ("it is not text" if not isinstance(value, str) else "it is empty" if not value.strip()
                       else f"it is longer than {SHORT_MAX} characters" if len(value) > SHORT_MAX
                       else text_problem(value))
            if problem:
                fail(name, f"{name.replace('_', ' ')} cannot be used ({problem})")
        if name in ("created_at", "updated_at"):
            value = _moment(value, lambda problem: fail(name, f"{name.replace('_', ' ')} {problem}"))
        parsed[name] = value
    try:
        values = clean_values(kind, {name: row[name] for name in kind.field_names if name in row},
                              partial=False, strict=True)
    except RecordValueError as error:
        fail(error.field, error.message.split(": ", 1)[1].rstrip("."))
    return {**parsed, **values}


def _moment(value: Any, fail) -> datetime:
    if not isinstance(value, str):
        fail(f"must be a date and time like 2025-09-01T08:30:00+00:00, not {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"must be a date and time like 2025-09-01T08:30:00+00:00, not {_shown(value)}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        fail(f"must say its time zone (like 2025-09-01T08:30:00+00:00), not {_shown(value)}")
    return moment


def _check_ids_and_cycle(rows: dict[str, list[dict[str, Any]]], cycle_id: Any, source: str) -> None:
    """No id twice; links inside one cycle; a one-cycle backup holds that cycle and only its records."""
    seen: set[str] = set()
    for kind in KINDS.values():
        for number, row in enumerate(rows[kind.name], start=1):
            if row["id"] in seen:
                raise _record_problem(source, kind, number, row, "id", "its id is used by another record of the backup")
            seen.add(row["id"])
    if cycle_id is None:
        return
    if not is_record_id(cycle_id):
        raise _file_problem(source, f"the cycle it was exported for must be an id, not {_shown(cycle_id)}")
    cycles = [row["id"] for row in rows["cycle"]]
    if cycles != [cycle_id]:
        raise _file_problem(source, "it says it holds one cycle, but its cycles do not match that cycle")
    for kind in KINDS.values():
        for number, row in enumerate(rows[kind.name], start=1):
            if kind.in_cycle and row["cycle_id"] != cycle_id:
                raise _record_problem(source, kind, number, row, "cycle_id",
                                      "it belongs to another cycle than the one the backup holds")
