"""The SQLite store file: checked before it is opened, opened read-only for view-only apps, and
described in a coach's words when it cannot be used.

Nothing here writes: a view-only app opens the file with SQLite's `mode=ro` (and `immutable=1`
on read-only media, where nobody can be writing it), and a file that is missing, empty or not an
SQLite database is refused before SQLite sees it, so it is never created or rewritten.

The file's first bytes are read with Python only while this process has no SQLite connection to it.
Closing any handle on a file drops every POSIX lock the process holds on it, SQLite's included
(SQLite's own opens guard against that; ours cannot); another app closing its last connection then
takes itself for the last one and deletes the write-ahead log this process is still writing to, so
its saves are reported done and lost. `opened_by_sqlite` records the files this process has open.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import weakref
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from kit.store.errors import DamagedStoreError, StoreOpenError
from kit.store.failures import explain

HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
_WAL_MODE = 2           # header byte 18 ("file format write version"): 2 means WAL
BACKUP_MARK = b'"coaching-kit-store-backup"'
_OPEN_HERE: dict[Path, weakref.WeakSet] = {}  # store file -> this process's engines on it
_IMMUTABLE: set[Path] = set()  # files opened here with immutable=1 (read-only media)


def opened_by_sqlite(path: Path, engine) -> None:
    """Note that `engine` (alive) may hold SQLite connections to `path` in this process."""
    _OPEN_HERE.setdefault(path.resolve(), weakref.WeakSet()).add(engine)


def open_here(path: Path) -> bool:
    """Whether this process may hold SQLite connections to `path` (so Python must not open it)."""
    return bool(_OPEN_HERE.get(path.resolve()))


def check_before_open(path: Path, where: str, read_only: bool) -> None:
    """Refuse, unchanged, a store file that cannot be used; for editing, make its folder if needed."""
    if path.is_dir():
        raise StoreOpenError(f"The coaching store at {where} is a folder, not a store file. "
                             "Give the path of the store file (for example store.sqlite inside it).", where)
    if not path.exists():
        if read_only:
            raise StoreOpenError(
                f"There is no coaching store at {where}. A view-only app does not create one: open the "
                "store once in an editing app, or check the store's location (KIT_STORE_URL).", where)
        _make_folder(path.parent, where)
        _create_whole(path, where)
        return
    if open_here(path):  # checked when this process first opened it; reading it now would drop its locks
        _check_writable(path, where, read_only)
        return
    size = path.stat().st_size
    if size == 0:
        raise damaged(where, path, "the file is empty (0 bytes), so it holds no records",
                      extra=" If you meant to start a new store there, delete the empty file first.")
    with path.open("rb") as file:
        header = file.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(HEADER):
        raise damaged(where, path, "the file is not a readable SQLite database (it may be damaged, cut short, "
                                   "or another kind of file)")
    if not _has_wal(path):
        if _cut_short(header, size):
            raise damaged(where, path, "the file is cut short (it may have been copied or downloaded only in part)")
        if read_only and not _whole_when_read_as_is(path):
            raise damaged(where, path, "SQLite finds damaged pages in it")
    _check_writable(path, where, read_only)


def _check_writable(path: Path, where: str, read_only: bool) -> None:
    if not read_only and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise StoreOpenError(f"The coaching store at {where} can be read but not changed: its file or folder "
                             "is read-only. Ask for write access to the folder, or open the app view-only.", where)


def _has_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _cut_short(header: bytes, size: int) -> bool:
    """True when the file is shorter than the pages its header counts (when that count is valid)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    count_is_valid = header[24:28] == header[92:96] and pages > 0
    return count_is_valid and size < page_size * pages


def _whole_when_read_as_is(path: Path) -> bool:
    """SQLite's quick check through an immutable connection, which creates no companion file: for a
    view-only open of a store no app has open (no -wal), before SQLite's ordinary read-only open."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            return conn.execute("PRAGMA quick_check(1)").fetchone() == ("ok",)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _make_folder(folder: Path, where: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError as error:
        raise _cannot_create(where, error) from error
    if not writable:
        raise StoreOpenError(f"The coaching store at {where} could not be created: its folder is read-only. "
                             "Choose a folder you may write in, or ask for write access.", where)


def _create_whole(path: Path, where: str) -> None:
    """Create an empty WAL store at `path` in one step: made under a private name, then linked into
    place. SQLite itself leaves a 0-byte file until its first write, which another app opening the
    same new store at that moment would take for an emptied store and refuse."""
    try:
        handle, private = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    except OSError as error:
        raise _cannot_create(where, error) from error
    os.close(handle)
    try:
        conn = sqlite3.connect(private)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the header: the file is a database from here
        finally:
            conn.close()
        os.link(private, path)
    except FileExistsError:
        pass  # another app created it first: theirs is as good
    except sqlite3.Error as error:
        raise _cannot_create(where, error) from error
    except OSError:
        pass  # a file system without hard links: SQLite creates the file itself, as before
    finally:
        Path(private).unlink(missing_ok=True)


def _cannot_create(where: str, error: BaseException) -> StoreOpenError:
    reason = explain(error)
    return StoreOpenError(f"The coaching store at {where} could not be created: {reason.what}. "
                          f"{reason.todo[0].upper()}{reason.todo[1:]}.", where)


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens `path` for reading only. On read-only media a WAL store has no
    shared-memory file and none can be made: `immutable=1` reads it without one."""
    uri = f"file:{quote(str(path))}?mode=ro"
    if open_here(path):
        return uri + "&immutable=1" if path.resolve() in _IMMUTABLE else uri
    with path.open("rb") as file:
        header = file.read(HEADER_SIZE)
    wal = len(header) > 18 and header[18] == _WAL_MODE
    if wal and not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        _IMMUTABLE.add(path.resolve())
        return uri + "&immutable=1"
    return uri


def find_backups(*folders: Path) -> tuple[str, ...]:
    """Backup files made by the kit's export in `folders` (not their subfolders), newest first."""
    found: dict[Path, float] = {}
    for folder in folders:
        try:
            candidates = list(folder.glob("*.json"))
        except OSError:
            continue
        for candidate in candidates:
            try:
                with candidate.open("rb") as file:
                    if BACKUP_MARK in file.read(400):
                        found[candidate.resolve()] = candidate.stat().st_mtime
            except OSError:
                continue
    return tuple(str(path) for path, _ in sorted(found.items(), key=lambda item: -item[1]))


def damaged(where: str, path: Path | None, why: str, extra: str = "") -> DamagedStoreError:
    """The error for a store file that cannot be used, naming the newest backup found beside it."""
    backups = find_backups(path.parent) if path is not None else ()
    if backups:
        made = datetime.fromtimestamp(Path(backups[0]).stat().st_mtime).strftime("%d %b %Y %H:%M")
        restore = (f"Restore your records from your newest backup, {backups[0]} (made {made}): open a new "
                   "store and import it (Import in the kit, or kit.store.backup.import_store).")
    else:
        restore = ("Restore your records from your newest backup file (made by the kit's Export): open a "
                   "new store and import it (Import in the kit, or kit.store.backup.import_store).")
    return DamagedStoreError(
        f"The coaching store at {where} cannot be used: {why}. The kit has not changed the file. {restore} "
        f"Keep the damaged file: it may still be recoverable.{extra}", where, backups)
