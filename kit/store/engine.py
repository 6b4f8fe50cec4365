"""Connecting to the store and keeping its schema current.

Where the store lives, first match wins: the `url` given to `open_store`, the environment variable
`KIT_STORE_URL` (any SQLAlchemy URL, e.g. PostgreSQL for a team), else the SQLite file
`store.sqlite` in the workspace folder (`kit.workspace.workspace_dir()`).

SQLite runs in WAL mode with `synchronous=FULL` (a save that returned is on disk), foreign keys on,
and writes start with `BEGIN IMMEDIATE` so concurrent writers queue instead of failing. A view-only
store is opened read-only (SQLite `mode=ro`; PostgreSQL read-only transactions): it never creates,
converts or writes anything. Every failure is a `StoreError` in a coach's words (see
`kit.store.failures`), naming the store without its password.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import QueuePool, StaticPool

from kit.errors import KitError
from kit.store.errors import StoreError, StoreOpenError, StoreVersionError
from kit.store.failures import explain
from kit.store.sqlite_file import check_before_open, damaged, opened_by_sqlite, read_only_uri
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


def sqlite_file(url: str) -> Path | None:
    """The SQLite file of a store URL; None for an in-memory store or another back end."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, read_only: bool = False) -> Engine:
    """An engine for `url`, with the SQLite settings above when it is SQLite. `read_only` opens the
    store so that nothing can be written (a missing SQLite file is refused, not created)."""
    where = describe_url(url, safe=True)
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            engine = create_engine(parsed, pool_pre_ping=True)
            if read_only:
                _read_only_server(engine)
            return engine
    except (ArgumentError, ValueError, TypeError, ImportError) as error:
        raise StoreOpenError(f"The store location {where!r} is not a file path or database URL the kit "
                             "understands. Give a file path, or a URL such as "
                             "postgresql+psycopg://user:password@server/database.", where) from error
    path = sqlite_file(url)
    settings = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    if path is not None:
        check_before_open(path, where, read_only)
    if path is not None and read_only:
        uri = read_only_uri(path)
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, **settings),
                               poolclass=QueuePool)
    else:
        engine = create_engine(parsed, connect_args=settings, **({"poolclass": StaticPool} if path is None else {}))
    _configure_sqlite(engine, wal=path is not None and not read_only)
    if path is not None:
        opened_by_sqlite(path, engine)
    return engine


def _read_only_server(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        dbapi_connection.commit()


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


@functools.cache
def _migration_scripts():
    """The store's migration scripts, read once per process: Alembic reads every revision file again
    for each `ScriptDirectory`, which made most of the cost of opening a store."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this kit knows."""
    return _migration_scripts().get_current_head()  # type: ignore[return-value]


def current_revision(connection: Connection) -> str | None:
    """The store's schema revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return _migration_scripts().get_revision(revision) is not None
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
            if sqlite_file(url) is not None:
                _check_whole(conn, url, where)
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
    except KitError:
        raise
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        raise open_failure(error, url) from error


def _check_whole(conn: Connection, url: str, where: str) -> None:
    """SQLite's quick structural check of every page (milliseconds for a coach's store)."""
    if conn.exec_driver_sql("PRAGMA quick_check(1)").scalar() != "ok":
        raise damaged(where, sqlite_file(url), "SQLite finds damaged pages in it")


def open_failure(error: BaseException, url: str) -> StoreError:
    """The coach's error for a failure to open (or keep using) the store at `url`."""
    where = describe_url(url, safe=True)
    reason = explain(error)
    if reason.key == "damaged":
        return damaged(where, sqlite_file(url), "the file is damaged or is not an SQLite database")
    return StoreOpenError(f"The coaching store at {where} could not be opened: {reason.what}. "
                          f"{reason.todo[0].upper()}{reason.todo[1:]}.", where)


def _upgrade(engine: Engine, where: str) -> None:
    from alembic.runtime.environment import EnvironmentContext

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
        # What `alembic.command.upgrade(config, "head")` does, with the scripts read once per process.
        scripts = _migration_scripts()
        config = alembic_config()
        config.attributes["connection"] = conn
        with EnvironmentContext(config, scripts, fn=lambda revision, _: scripts._upgrade_revs("head", revision),
                                destination_rev="head"):
            scripts.run_env()
