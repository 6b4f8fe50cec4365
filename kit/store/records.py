"""The record API: one `Records` accessor per kind on a `Store`.

>>> store = open_store("sqlite://")                     # doctest: +SKIP
>>> cycle = store.cycles.create(name="Fall literacy")    # doctest: +SKIP
>>> goal = store.goals.create(cycle.id, goal_type="student_learning", what="Read fluently")  # doctest: +SKIP
>>> goal = store.goals.update(goal, target="90% at benchmark")  # doctest: +SKIP
>>> [g.what for g in store.goals.list(cycle.id)]         # doctest: +SKIP
['Read fluently']

Every write is one transaction, committed before the method returns. Updates and archiving are
checked against the version the coach opened (`record.version`): if someone saved the record
since, `ConflictError` is raised, carrying the coach's values in `.unsaved`.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping

from sqlalchemy import Connection, Engine, Table, select, update
from sqlalchemy.exc import SQLAlchemyError

from kit.store.engine import describe_url, sqlite_file, write_connection
from kit.store.errors import (ConflictError, ReadOnlyStoreError, RecordNotFoundError, RecordValueError,
                              StoreAccessError, StoreError)
from kit.store.failures import explain
from kit.store.kinds import COMMON_COLUMNS, KINDS, Field, Kind
from kit.store.limits import INTEGER_MAX, SHORT_MAX, is_record_id, short_id, text_problem
from kit.store.sqlite_file import damaged
from kit.store.tables import TABLES
from kit.store.validate import clean_value, clean_values

TITLE_LENGTH = 60


@dataclass(frozen=True)
class Record:
    """One saved record: common columns plus `values` (the fields a coach fills), also readable
    as attributes (`goal.what`)."""

    kind: str
    id: str
    cycle_id: str | None
    version: int
    archived: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    values: Mapping[str, Any] = dc_field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"a {self.kind} record has no field {name!r}")

    @property
    def display_name(self) -> str:
        """A short name for the record, for messages and lists (its title field, cut to 60 characters)."""
        kind = KINDS[self.kind]
        text = str(self.values.get(kind.title_field) or f"{kind.label} {self.id[:8]}")
        text = " ".join(text.split())
        return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "\u2026"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def to_record(kind: Kind, row: Mapping[str, Any]) -> Record:
    return Record(
        kind=kind.name, id=row["id"], cycle_id=row.get("cycle_id"), version=row["version"],
        archived=bool(row["archived"]), created_at=row["created_at"], created_by=row["created_by"],
        updated_at=row["updated_at"], updated_by=row["updated_by"],
        values={name: row[name] for name in kind.field_names})


class Records:
    """Create, read, update, list and archive the records of one kind."""

    def __init__(self, store: "StoreBase", kind: Kind):
        self.store = store
        self.kind = kind
        self.table: Table = TABLES[kind.name]

    # -- reading -----------------------------------------------------------------------------
    def get(self, record_id: str) -> Record:
        """The record with this id, as saved now."""
        if not is_record_id(record_id):  # no record can have it: do not ask the database
            raise RecordNotFoundError(self.kind.label, short_id(record_id))
        with self.store._reading(f"the {self.kind.label}") as conn:
            row = conn.execute(select(self.table).where(self.table.c.id == record_id)).mappings().first()
        if row is None:
            raise RecordNotFoundError(self.kind.label, record_id)
        return to_record(self.kind, row)

    def list(self, cycle_id: str | None = None, *, include_archived: bool = False, **where: Any) -> list[Record]:
        """The records of one cycle (all cycles for kind `cycle`), oldest first.
        Keyword arguments filter on fields, e.g. `store.plan_links.list(cycle, plan_id=plan.id)`."""
        query = select(self.table)
        if self.kind.in_cycle:
            if cycle_id is None:
                raise StoreError(f"Choose a cycle to list its {self.kind.label} records.")
            if not is_record_id(cycle_id):
                return []  # no cycle can have that id
            query = query.where(self.table.c.cycle_id == cycle_id)
        if not include_archived:
            query = query.where(self.table.c.archived.is_(False))
        for name, value in where.items():
            wanted = self._filter_value(name, value)
            query = query.where(self.table.c[name] == wanted)
        query = query.order_by(self.table.c.created_at, self.table.c.id)
        with self.store._reading(f"the {self.kind.label} records") as conn:
            return [to_record(self.kind, row) for row in conn.execute(query).mappings()]

    def _filter_value(self, name: str, value: Any) -> Any:
        """A filter of `list`, checked like a saved value (a value no record can hold is refused)."""
        try:
            f = self.kind.field(name)
        except KeyError:
            raise StoreError(f"The {self.kind.label} records cannot be listed by {short_id(name)!r}: a "
                             f"{self.kind.label} has no such field (its fields are: "
                             f"{', '.join(self.kind.field_names)}).") from None
        if f.type == "list":
            raise StoreError(f"The {self.kind.label} records cannot be listed by {f.label}: it is a list. "
                             "List them all and choose among them.")
        if value is None:
            return None
        try:
            return clean_value(self.kind, Field(f.name, f.type, False, f.choices, f.ref, f.low, f.high), value)
        except RecordValueError as error:
            raise StoreError(f"The {self.kind.label} records cannot be listed that way: "
                             f"{error.message.split(': ', 1)[1]}") from None

    # -- writing -----------------------------------------------------------------------------
    def create(self, cycle_id: str | None = None, *, by: str | None = None, **values: Any) -> Record:
        """Save a new record and return it (version 1). Cycles take no `cycle_id`."""
        self.store._refuse_if_read_only(self.kind.label, values)
        if self.kind.in_cycle and not cycle_id:
            raise StoreError(f"Choose a cycle before saving a {self.kind.label}.", values)
        if self.kind.in_cycle and not is_record_id(cycle_id):
            raise StoreError(f"The {self.kind.label} was not saved: its cycle ({short_id(cycle_id)}) is not "
                             "in this store. Choose a cycle from the list.", values)
        cleaned = clean_values(self.kind, values, partial=False)
        now, author = _now(), self._author(by, values)
        row = dict(cleaned, id=str(uuid.uuid4()), version=1, archived=False,
                   created_at=now, created_by=author, updated_at=now, updated_by=author)
        if self.kind.in_cycle:
            row["cycle_id"] = cycle_id
        with self._writing(values) as conn:
            self._check_links(conn, row, values)
            conn.execute(self.table.insert().values(row))
        return to_record(self.kind, {name: row.get(name) for name in (*COMMON_COLUMNS, *self.kind.field_names)})

    def update(self, record: Record | str, *, expected_version: int | None = None, by: str | None = None,
               **changes: Any) -> Record:
        """Save changes to a record the coach opened. The version checked is `expected_version`,
        else `record.version`; a record changed since raises `ConflictError` (nothing is saved)."""
        record_id, version = self._id_and_version(record, expected_version)
        self.store._refuse_if_read_only(self.kind.label, changes)
        cleaned = clean_values(self.kind, changes, partial=True)
        if self.kind.check is not None:
            current = self.get(record_id)
            problem = self.kind.check({**current.values, **cleaned})
            if problem:
                raise RecordValueError(self.kind.label, "", problem, changes)
        return self._versioned_write(record_id, version, cleaned, changes, self._author(by, changes))

    def archive(self, record: Record | str, *, expected_version: int | None = None, by: str | None = None,
                archived: bool = True) -> Record:
        """Archive the record (it leaves lists, stays in the store and in backups); `archived=False`
        brings it back. Checked against the version like `update`."""
        record_id, version = self._id_and_version(record, expected_version)
        self.store._refuse_if_read_only(self.kind.label, {})
        if not isinstance(archived, bool):
            raise StoreError(f"To archive a {self.kind.label}, say archived=True or archived=False.")
        return self._versioned_write(record_id, version, {"archived": archived}, {}, self._author(by, {}))

    def restore(self, record: Record | str, **kwargs: Any) -> Record:
        """Bring an archived record back into lists."""
        return self.archive(record, archived=False, **kwargs)

    # -- helpers -----------------------------------------------------------------------------
    def _id_and_version(self, record: Record | str, expected_version: int | None) -> tuple[str, int]:
        if isinstance(record, Record):
            if record.kind != self.kind.name:
                raise StoreError(f"That record is a {KINDS[record.kind].label}, not a {self.kind.label}.")
            record_id, version = record.id, record.version if expected_version is None else expected_version
        else:
            if expected_version is None:
                raise StoreError(f"To save a {self.kind.label} by id, say which version was opened.")
            record_id, version = record, expected_version
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= INTEGER_MAX:
            raise StoreError(f"To save a {self.kind.label}, say which version was opened: a whole number "
                             f"from 1 (as in record.version), not {short_id(repr(version))}.")
        if not is_record_id(record_id):
            raise RecordNotFoundError(self.kind.label, short_id(record_id))
        return record_id, version

    def _author(self, by: Any, unsaved: Mapping[str, Any]) -> str:
        """Who is named on the save: `by`, else the store's author; a name that cannot be stored is refused."""
        author = self.store.author if by is None else by
        problem = ("it is empty" if isinstance(author, str) and not author.strip() else
                   "it is not text" if not isinstance(author, str) else
                   f"it is longer than {SHORT_MAX} characters" if len(author) > SHORT_MAX else text_problem(author))
        if problem:
            raise StoreError(f"The {self.kind.label} was not saved: the name of who saves it cannot be used "
                             f"({problem}). Set KIT_AUTHOR to your name or initials.", unsaved)
        return author

    def _versioned_write(self, record_id: str, version: int, cleaned: dict, unsaved: Mapping[str, Any],
                         author: str) -> Record:
        c = self.table.c
        statement = (update(self.table).where(c.id == record_id, c.version == version)
                     .values(**cleaned, version=c.version + 1, updated_at=_now(), updated_by=author))
        with self._writing(unsaved) as conn:
            if any(f.type == "ref" and cleaned.get(f.name) for f in self.kind.fields):
                current = conn.execute(select(self.table).where(c.id == record_id)).mappings().first()
                if current is not None:
                    self._check_links(conn, {**current, **cleaned}, unsaved)
            changed = conn.execute(statement).rowcount
            if changed == 1:
                return to_record(self.kind, conn.execute(select(self.table).where(c.id == record_id)).mappings().one())
            row = conn.execute(select(self.table).where(c.id == record_id)).mappings().first()
        if row is None:
            raise RecordNotFoundError(self.kind.label, record_id)
        current = to_record(self.kind, row)
        raise ConflictError(self.kind.label, current.display_name, unsaved, current)

    def _check_links(self, conn, row: Mapping[str, Any], unsaved: Mapping[str, Any]) -> None:
        """Refuse, in the coach's words, a record whose cycle or parent record is not in the store."""
        links = [("cycle_id", "cycle")] if self.kind.in_cycle else []
        links += [(f.name, f.ref) for f in self.kind.fields if f.type == "ref" and row.get(f.name)]
        for column, kind_name in links:
            target = TABLES[kind_name]  # type: ignore[index]
            found = conn.execute(select(target).where(target.c.id == row[column])).mappings().first()
            if found is None:
                raise StoreError(f"The {self.kind.label} was not saved: its {KINDS[kind_name].label} "
                                 f"({row[column]}) is not in this store.", unsaved)
            if column != "cycle_id" and found["cycle_id"] != row.get("cycle_id"):
                # Links stay inside their cycle, so that one cycle's export carries all it needs.
                raise StoreError(f"The {self.kind.label} was not saved: its {KINDS[kind_name].label} "
                                 f"\u201c{to_record(KINDS[kind_name], found).display_name}\u201d belongs to "
                                 f"another cycle. Choose a {KINDS[kind_name].label} of this cycle.", unsaved)

    def _writing(self, unsaved: Mapping[str, Any]):
        return self.store._transaction(self.kind.label, unsaved)


class StoreBase:
    """Connection, author and view-only setting shared by every `Records` accessor."""

    def __init__(self, engine: Engine, url: str, author: str, read_only: bool):
        self.engine = engine
        self.url = url
        self.author = author
        self.read_only = read_only

    def _refuse_if_read_only(self, label: str, unsaved: Mapping[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(label, unsaved)

    def _transaction(self, label: str, unsaved: Mapping[str, Any], failure: str | None = None):
        """One committed write transaction; `failure` is the opening of the message if it fails."""
        return _Transaction(self, failure or f"The {label} could not be saved", unsaved)

    @contextmanager
    def _reading(self, what: str) -> Iterator[Connection]:
        """A connection for reading `what`; a database failure becomes the coach's StoreError."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as error:
            raise self._failure(error, f"{what[0].upper()}{what[1:]} could not be read", {},
                                "Nothing was changed.") from error

    def _failure(self, error: BaseException, opening: str, unsaved: Mapping[str, Any], after: str) -> StoreError:
        """`opening` (e.g. "The goal could not be saved"), why, and what to do; never the driver's text."""
        where = describe_url(self.url)
        reason = explain(error)
        if reason.key == "damaged":
            error = damaged(where, sqlite_file(self.url), "SQLite finds it damaged")
            error.unsaved = dict(unsaved)
            return error
        return StoreAccessError(f"{opening} (coaching store at {where}): {reason.what}. {after} "
                                f"{reason.todo[0].upper()}{reason.todo[1:]}.", where, unsaved)


class _Transaction:
    """`with` block: one committed write transaction; database failures become a coach's StoreError."""

    def __init__(self, store: StoreBase, opening: str, unsaved: Mapping[str, Any]):
        self.store, self.opening, self.unsaved = store, opening, unsaved
        self.after = ("Nothing was changed; what you typed is kept, so you can save it again." if unsaved
                      else "Nothing was changed.")

    def __enter__(self):
        try:
            self.conn = write_connection(self.store.engine)
            self.transaction = self.conn.begin()
        except SQLAlchemyError as error:
            raise self.store._failure(error, self.opening, self.unsaved, self.after) from error
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        except SQLAlchemyError as error:
            raise self.store._failure(error, self.opening, self.unsaved, self.after) from error
        finally:
            self.conn.close()
        if isinstance(exc, SQLAlchemyError):
            raise self.store._failure(exc, self.opening, self.unsaved, self.after) from exc
        return False
