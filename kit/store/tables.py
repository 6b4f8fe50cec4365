"""The store's tables, built from the record declarations in `kit.store.kinds`.

Every table has the common columns: `id` (a UUID string, so records can move between stores),
`cycle_id` (except cycles), `version` (raised by one on every save, for optimistic locking),
`archived`, and who wrote the record and when (`created_*`, `updated_*`, UTC).

These definitions are the *current* schema. The migrations in `kit/store/migrations/versions`
must arrive at exactly this; `tests/store/test_migrations.py` checks that they do.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, ForeignKey, Integer, MetaData,
                        String, Table, Text)
from sqlalchemy.types import TypeDecorator

from kit.store.kinds import KINDS, Field, Kind

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UTCDateTime(TypeDecorator):
    """A moment in time, kept as naive UTC in the database and returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("store timestamps must be timezone-aware")
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=timezone.utc) if isinstance(value, datetime) else value
        return value


def _column(field: Field) -> Column:
    nullable = not field.required
    if field.type == "ref":
        target = KINDS[field.ref].table  # type: ignore[index]
        return Column(field.name, String(36), ForeignKey(f"{target}.id"), nullable=nullable, index=True)
    sql_type = {"short": Text, "text": Text, "int": Integer, "date": Date, "list": JSON}[field.type]
    return Column(field.name, sql_type(), nullable=nullable)


def _table(kind: Kind) -> Table:
    cycle = ([Column("cycle_id", String(36), ForeignKey("cycles.id"), nullable=False, index=True)]
             if kind.in_cycle else [])
    return Table(
        kind.table, metadata,
        Column("id", String(36), primary_key=True),
        *cycle,
        *(_column(f) for f in kind.fields),
        Column("version", Integer, nullable=False),
        Column("archived", Boolean, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("created_by", Text, nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("updated_by", Text, nullable=False),
    )


TABLES: dict[str, Table] = {name: _table(kind) for name, kind in KINDS.items()}
