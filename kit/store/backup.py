"""Backup and move: the whole store, or one cycle, as one JSON file, and back.

>>> export_store(store, "fall-literacy.json", cycle_id=cycle.id)   # doctest: +SKIP
>>> import_store(other_store, "fall-literacy.json")                 # doctest: +SKIP
ImportSummary(added=12, unchanged=0, replaced=0)

The file keeps every record exactly: ids, versions, archived flags, who wrote it and when. Importing
is one transaction: everything is imported or nothing is. A record already in the store with the
same content is left alone; one with different content stops the import, unless `replace=True`.
Every record is checked first (`kit.store.backup_check`); the first problem is named in a
`BackupError`. Links stay inside their cycle, so a one-cycle export imports into an empty store.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import select

from kit import __version__
from kit.store.backup_check import FORMAT, FORMAT_VERSION, parse_backup, record_name
from kit.store.engine import head_revision
from kit.store.errors import BackupError, StoreError
from kit.store.failures import explain
from kit.store.kinds import COMMON_COLUMNS, KINDS, Kind
from kit.store.limits import is_record_id, short_id
from kit.store.records import to_record
from kit.store.store import Store
from kit.store.tables import TABLES
from kit.workspace import write_atomically

__all__ = ["export_data", "export_store", "import_data", "import_store", "ImportSummary", "FORMAT",
           "FORMAT_VERSION"]


@dataclass(frozen=True)
class ImportSummary:
    """How many records an import added, found already there unchanged, and replaced."""

    added: int
    unchanged: int
    replaced: int


def export_data(store: Store, cycle_id: str | None = None) -> dict[str, Any]:
    """The store (or one cycle and its records) as JSON-ready data, read in one consistent snapshot."""
    records: dict[str, list[dict[str, Any]]] = {}
    if cycle_id is not None and not is_record_id(cycle_id):
        raise StoreError(f"No cycle with id {short_id(cycle_id)} is in this store, so nothing was exported.")
    with store._reading("the records to export") as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if cycle_id is not None and conn.execute(select(TABLES["cycle"].c.id).where(
                    TABLES["cycle"].c.id == cycle_id)).first() is None:
                raise StoreError(f"No cycle with id {cycle_id} is in this store, so nothing was exported.")
            for kind in KINDS.values():
                table = TABLES[kind.name]
                query = select(table).order_by(table.c.created_at, table.c.id)
                if cycle_id is not None:
                    query = query.where((table.c.cycle_id if kind.in_cycle else table.c.id) == cycle_id)
                records[kind.table] = [_row_to_json(kind, row) for row in conn.execute(query).mappings()]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": head_revision(),
            "kit_version": __version__, "cycle_id": cycle_id, "records": records}


def export_store(store: Store, path: str | os.PathLike, cycle_id: str | None = None) -> Path:
    """Write the backup file (whole store, or one cycle) and return its path.
    The file appears complete or not at all (written aside, flushed to disk, then renamed)."""
    text = json.dumps(export_data(store, cycle_id), ensure_ascii=False, indent=1, sort_keys=True)
    path = Path(path)
    try:
        return write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        reason = explain(error)
        what = reason.what.replace("its file or folder", "the folder") if reason.key != "other" else "the system refused"
        raise BackupError(f"The backup could not be written to {path}: {what}. No backup file was made there, "
                          "and nothing in the store changed. Choose a folder you may write in, with free space, "
                          "and export again.", str(path)) from error


def import_store(store: Store, path: str | os.PathLike, *, replace: bool = False) -> ImportSummary:
    """Import a backup file into `store` in one transaction (see the module's docstring)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        what = "it does not exist" if isinstance(error, FileNotFoundError) else explain(error).what
        raise BackupError(f"The backup file {path.name} could not be read: {what}. Check the file's name and "
                          "folder, and that you may read it. Nothing was imported.", path.name) from error
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BackupError(f"The backup file {path.name} could not be read: it is not a complete JSON file (it may be "
                          "cut short or damaged). Nothing was imported; import an untouched copy.", path.name) from error
    return import_data(store, data, source=path.name, replace=replace)


def import_data(store: Store, data: Mapping[str, Any], *, source: str = "the backup",
                replace: bool = False) -> ImportSummary:
    """Import data made by `export_data` (see `import_store`)."""
    store._refuse_if_read_only("backup", {})
    rows = parse_backup(data, source)
    added = unchanged = replaced = 0
    different: list[str] = []
    with store._transaction("backup", {}, failure=f"Nothing was imported from {source}") as conn:
        _check_links(conn, rows, source)
        for kind in KINDS.values():
            table = TABLES[kind.name]
            for row in rows[kind.name]:
                existing = conn.execute(select(table).where(table.c.id == row["id"])).mappings().first()
                if existing is None:
                    conn.execute(table.insert().values(row))
                    added += 1
                elif to_record(kind, existing) == to_record(kind, row):
                    unchanged += 1
                elif replace:
                    conn.execute(table.update().where(table.c.id == row["id"]).values(row))
                    replaced += 1
                else:
                    different.append(f"{kind.label} \u201c{to_record(kind, row).display_name}\u201d")
        if different:
            shown = "; ".join(different[:5]) + (f"; and {len(different) - 5} more" if len(different) > 5 else "")
            raise BackupError(
                f"Nothing was imported from {source}: {len(different)} record(s) in it differ from the "
                f"same record(s) in this store ({shown}). Import with replace to overwrite them "
                "with the backup's version.", source)
    return ImportSummary(added, unchanged, replaced)


# -- conversion --------------------------------------------------------------------------------

def _row_to_json(kind: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
    names = [c for c in COMMON_COLUMNS if kind.in_cycle or c != "cycle_id"] + list(kind.field_names)
    return {name: _json_value(row[name]) for name in names}


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _check_links(conn, rows: Mapping[str, list[dict[str, Any]]], source: str) -> None:
    """Every record's cycle and parent are in the backup or the store, and in the record's own cycle."""
    in_backup = {row["id"]: (kind_name, row.get("cycle_id")) for kind_name, listed in rows.items() for row in listed}

    def find(kind_name: str, record_id: str) -> tuple[str, Any] | None:
        if record_id in in_backup:
            return in_backup[record_id]
        table = TABLES[kind_name]
        columns = [table.c.id] + ([table.c.cycle_id] if KINDS[kind_name].in_cycle else [])
        found = conn.execute(select(*columns).where(table.c.id == record_id)).first()
        return None if found is None else (kind_name, found[1] if len(found) > 1 else None)

    for kind in KINDS.values():
        links = ([("cycle_id", "cycle")] if kind.in_cycle else []) + [(f.name, f.ref) for f in kind.fields if f.type == "ref"]
        for number, row in enumerate(rows[kind.name], start=1):
            for column, target_kind in links:
                if row.get(column) is None:
                    continue
                target = find(target_kind, row[column])  # type: ignore[arg-type]
                label = KINDS[target_kind].label  # type: ignore[index]
                problem = (f"its {label} ({short_id(row[column])}) is neither in the backup nor in this store"
                           if target is None or target[0] != target_kind else
                           f"its {label} belongs to another cycle" if column != "cycle_id" and target[1] != row["cycle_id"]
                           else None)
                if problem:
                    raise BackupError(f"{source} cannot be imported: its {record_name(kind, number, row)} is not "
                                      f"valid: {problem}. Nothing was imported.", source, record_name(kind, number, row), column)
