"""Backup and move: the whole store, or one cycle, as one JSON file, and back.

>>> export_store(store, "fall-literacy.json", cycle_id=cycle.id)   # doctest: +SKIP
>>> import_store(other_store, "fall-literacy.json")                 # doctest: +SKIP
ImportSummary(added=12, unchanged=0, replaced=0)

The file keeps every record exactly: ids, versions, archived flags, who wrote it and when. Importing
is one transaction: everything is imported or nothing is. A record already in the store with the
same content is left alone; one with different content stops the import, unless `replace=True`.
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
from kit.store.engine import head_revision
from kit.store.errors import StoreError, StoreVersionError
from kit.store.kinds import COMMON_COLUMNS, KINDS, Kind
from kit.store.records import to_record
from kit.store.store import Store
from kit.store.tables import TABLES
from kit.store.validate import clean_values
from kit.workspace import write_atomically

FORMAT = "coaching-kit-store-backup"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ImportSummary:
    """How many records an import added, found already there unchanged, and replaced."""

    added: int
    unchanged: int
    replaced: int


def export_data(store: Store, cycle_id: str | None = None) -> dict[str, Any]:
    """The store (or one cycle and its records) as JSON-ready data, read in one consistent snapshot."""
    records: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
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
    return write_atomically(Path(path), text.encode("utf-8"))


def import_store(store: Store, path: str | os.PathLike, *, replace: bool = False) -> ImportSummary:
    """Import a backup file into `store` in one transaction (see the module's docstring)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(f"The backup file {path.name} could not be read: {error}.") from error
    return import_data(store, data, source=path.name, replace=replace)


def import_data(store: Store, data: Mapping[str, Any], *, source: str = "the backup",
                replace: bool = False) -> ImportSummary:
    """Import data made by `export_data` (see `import_store`)."""
    rows = _parse(data, source)
    store._refuse_if_read_only("backup", {})
    added = unchanged = replaced = 0
    different: list[str] = []
    with store._transaction("backup", {}) as conn:
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
            raise StoreError(
                f"Nothing was imported from {source}: {len(different)} record(s) in it differ from the "
                f"same record(s) in this store ({shown}). Import with replace to overwrite them "
                "with the backup's version.")
    return ImportSummary(added, unchanged, replaced)


# -- conversion --------------------------------------------------------------------------------

def _row_to_json(kind: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
    names = [c for c in COMMON_COLUMNS if kind.in_cycle or c != "cycle_id"] + list(kind.field_names)
    return {name: _json_value(row[name]) for name in names}


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _parse(data: Mapping[str, Any], source: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise StoreError(f"{source} is not a coaching store backup (it was not made by the kit's export).")
    if int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise StoreVersionError(f"{source} was made by a newer version of the kit (backup format "
                                f"{data['format_version']}). Update the kit to import it.")
    records = data.get("records") or {}
    return {kind.name: [_parse_row(kind, row, source) for row in records.get(kind.table, [])]
            for kind in KINDS.values()}


def _parse_row(kind: Kind, row: Mapping[str, Any], source: str) -> dict[str, Any]:
    expected = {c for c in COMMON_COLUMNS if kind.in_cycle or c != "cycle_id"} | set(kind.field_names)
    if set(row) != expected:
        raise StoreError(f"{source} has a {kind.label} record with unexpected fields "
                         f"({', '.join(sorted(set(row) ^ expected))}); nothing was imported.")
    values = clean_values(kind, {name: row[name] for name in kind.field_names}, partial=False)
    common = {name: row[name] for name in expected - set(kind.field_names)}
    for name in ("created_at", "updated_at"):
        common[name] = datetime.fromisoformat(common[name])
    common["archived"] = bool(common["archived"])
    common["version"] = int(common["version"])
    return {**common, **values}
