"""`Store` (one accessor per record kind) and `open_store`."""

from __future__ import annotations

import getpass
import os

from kit.store.engine import describe_url, make_engine, prepare_schema, store_url, view_only_default
from kit.store.errors import StoreError
from kit.store.kinds import KINDS
from kit.store.limits import short_id
from kit.store.records import Records, StoreBase

AUTHOR_ENV = "KIT_AUTHOR"


def default_author() -> str:
    """Who is writing: `$KIT_AUTHOR`, else the JupyterHub user, else the login name."""
    for name in (os.environ.get(AUTHOR_ENV), os.environ.get("JUPYTERHUB_USER")):
        if name:
            return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "coach"


class Store(StoreBase):
    """A coaching store: `store.cycles`, `store.goals`, ... each a `Records` accessor.

    >>> store = open_store("sqlite://")
    >>> store.cycles.create(name="Fall literacy").name
    'Fall literacy'
    """

    cycles: Records
    goals: Records
    standard_ratings: Records
    plans: Records
    plan_links: Records
    ic_maps: Records
    ic_components: Records
    observations: Records
    coaching_sessions: Records
    reflections: Records
    decisions: Records

    def __init__(self, engine, url: str, author: str, read_only: bool):
        super().__init__(engine, url, author, read_only)
        for kind in KINDS.values():
            setattr(self, kind.table, Records(self, kind))

    def records(self, kind: str) -> Records:
        """The accessor for a kind by name (`"goal"`) or table (`"goals"`)."""
        for declared in KINDS.values():
            if kind in (declared.name, declared.table):
                return getattr(self, declared.table)
        raise StoreError(f"The store keeps no records of the kind {short_id(kind)!r}; its kinds are: "
                         f"{', '.join(KINDS)}.")

    @property
    def location(self) -> str:
        """Where the store is, for a coach to read (file path, or server URL without password)."""
        return describe_url(self.url)

    def last_change(self) -> tuple:
        """A stamp that changes whenever any record is created, changed or archived: (count, latest
        change) per table. Apps compare stamps to know whether what they show is still current."""
        from sqlalchemy import func, select

        from kit.store.tables import TABLES

        with self._reading("the store's latest changes") as connection:
            return tuple(tuple(connection.execute(select(func.count(), func.max(table.c.updated_at))).one())
                         for table in TABLES.values())

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.location}{' (view-only)' if self.read_only else ''}>"


def open_store(url: str | os.PathLike | None = None, *, read_only: bool | None = None,
               author: str | None = None) -> Store:
    """Open the coaching store, creating or upgrading its tables when needed.

    `url`: an SQLAlchemy URL or an SQLite file path; default `$KIT_STORE_URL`, else
    `store.sqlite` in the workspace folder. `read_only`: refuse every write (default: `$KIT_VIEW_ONLY`).
    `author`: whose name goes on what is saved (default: `$KIT_AUTHOR`, the JupyterHub user,
    or the login name). Raises `StoreVersionError` for a store from a newer kit (left unchanged),
    `DamagedStoreError` for a damaged or empty file, `StoreOpenError` when the store cannot be
    reached or (view-only) does not exist; a view-only open never writes anything.
    """
    url = store_url(url)
    read_only = view_only_default() if read_only is None else read_only
    engine = make_engine(url, read_only=read_only)
    try:
        prepare_schema(engine, url, read_only)
    except Exception:
        engine.dispose()
        raise
    return Store(engine, url, author or default_author(), read_only)
