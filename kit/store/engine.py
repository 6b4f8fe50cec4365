"""Connecting to the store and keeping its schema current.

Where the store lives, first match wins: the `url` given to `open_store`, the environment variable
`KIT_STORE_URL` (any SQLAlchemy URL, e.g. PostgreSQL for a team), else the SQLite file
`store.sqlite` in the workspace folder (`kit.workspace.workspace_dir()`).

SQLite runs in WAL mode with `synchronous=FULL` (a save that returned is on disk), foreign keys on,
and writes start with `BEGIN IMMEDIATE` so concurrent writers queue instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from kit.store.errors import StoreError, StoreVersionError
from kit.workspace import workspace_dir

STORE_URL_ENV = "KIT_STORE_URL"
VIEW_ONLY_ENV = "KIT_VIEW_ONLY"
STORE_FILE = "store.sqlite"
MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_SECONDS = 30
_PG_MIGRATION_LOCK = 7_734_201  # any fixed number: serialises migrations of one database


def store_url(url: str | os.PathLike | None = None) -> str:
    """The store's SQLAlchemy URL: `url`, else `$KIT_STORE_URL`, else the workspace SQLite file.

    A plain file path (no `://`) means an SQLite file there.

    >>> store_url("/srv/team/store.sqlite")
    'sqlite:////srv/team/store.sqlite'
    """
    chosen = str(url or os.environ.get(STORE_URL_ENV) or workspace_dir() / STORE_FILE).strip()
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def view_only_default() -> bool:
    """True when `$KIT_VIEW_ONLY` asks for view-only apps (1, true, yes)."""
    return os.environ.get(VIEW_ONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def describe_url(url: str, safe: bool = False) -> str:
    """The store's location for a coach to read: a file path, or the server URL without password.
    With `safe`, a URL that cannot be parsed is shown without anything between `//` and `@`."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        if not safe:
            raise
        import re
        return re.sub(r"//[^/@]*@", "//***@", url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "(in memory)"
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the SQLite settings above when it is SQLite."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ValueError) as error:
        raise StoreError(f"The store location {describe_url(url, safe=True)!r} is not a file path or "
                         "database URL the kit understands.") from error
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
                           **({"poolclass": StaticPool} if in_memory else {}))
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        write = connection.get_execution_options().get("kit_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def write_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the write lock at once (SQLite); plain on other back ends."""
    return engine.connect().execution_options(kit_write=True)


# -- schema versions ---------------------------------------------------------------------------

def alembic_config(url: str | None = None):
    """An Alembic `Config` for the store's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s")  # new revision files are named by their id
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest schema revision this kit knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def current_revision(connection: Connection) -> str | None:
    """The store's schema revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, KeyError):
        return False


def _refuse_newer(revision: str, where: str) -> None:
    raise StoreVersionError(
        f"The coaching store at {where} was saved by a newer version of the kit (store version "
        f"{revision}; this kit knows up to {head_revision()}). Update the kit to open it. "
        "The store has not been changed.")


def prepare_schema(engine: Engine, url: str, read_only: bool) -> None:
    """Bring the store to this kit's schema: create it when empty, migrate it when older,
    refuse it (unchanged) when it comes from a newer kit."""
    where = describe_url(url)
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
        head = head_revision()
        if revision == head:
            return
        if revision is not None and not _known(revision):
            _refuse_newer(revision, where)
        if read_only:
            raise StoreVersionError(
                f"The coaching store at {where} needs "
                f"{'setting up' if revision is None else 'upgrading to this version of the kit'}, "
                "which a view-only app cannot do. Open it once in an editing app first.")
        _upgrade(engine, where)
    except OperationalError as error:
        raise StoreError(f"The coaching store at {where} could not be opened: {error.orig}") from error


def _upgrade(engine: Engine, where: str) -> None:
    from alembic import command

    with write_connection(engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        revision = current_revision(conn)  # again, under the lock: another process may have done it
        if revision is not None and not _known(revision):
            _refuse_newer(revision, where)
        if revision is None and inspect(conn).get_table_names():
            if "cycles" in inspect(conn).get_table_names():
                raise StoreError(f"The database at {where} has coaching tables but no schema version; "
                                 "the kit will not change it. Point the kit at a new database or file.")
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
