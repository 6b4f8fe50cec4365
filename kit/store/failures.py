"""Database and file failures in a coach's words.

A driver's message may hold SQL and the coach's values, and means nothing to a coach; the kit
reads only the kind of failure (SQLite's error name, PostgreSQL's SQLSTATE, the OS error number)
and says what happened and what to do.

>>> import errno
>>> explain(OSError(errno.ENOSPC, "No space left on device")).what
'the disk is full'
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """Why something failed (`what`) and what the coach can do (`todo`), both in plain words."""

    key: str
    what: str
    todo: str


REASONS = {reason.key: reason for reason in (
    Reason("damaged", "its file is damaged or is not a coaching store",
           "restore your records from your newest backup"),
    Reason("busy", "other apps kept it busy for more than 30 seconds", "wait a minute, then try again"),
    Reason("full", "the disk is full", "free some space on the disk (or ask the server's administrator), "
           "then try again"),
    Reason("io", "the disk reported an error while reading or writing it",
           "check the disk, then try again; keep a backup of the store"),
    Reason("read_only", "its file or folder can be read but not written",
           "ask for write access to the folder (or open the store view-only to read it)"),
    Reason("cannot_open", "its file or folder cannot be opened",
           "check that the folder exists and that you may read and write it"),
    Reason("not_a_folder", "part of its path is a file, not a folder", "choose a path whose folders are folders"),
    Reason("unreachable", "the database server cannot be reached",
           "check the server's name and port in the store's URL and that the server is running, then try again"),
    Reason("login", "the database server refused the login", "check the user name and password in the store's URL"),
    Reason("no_database", "the database named in its URL does not exist on the server",
           "create the database (see docs/store.md), or correct its name in the URL"),
    Reason("bad_option", "its URL has an option the database driver does not know",
           "remove or correct the options after \u201c?\u201d in the URL"),
    Reason("permission", "the database server refused access to the store's tables",
           "ask the server's administrator for the rights listed in docs/store.md"),
    Reason("conflict", "another save reached the database at the same moment", "try again"),
    Reason("other", "the database reported a problem the kit did not expect",
           "try again; if it happens again, tell whoever looks after the kit"),
)}

_SQLITE = (("SQLITE_BUSY", "busy"), ("SQLITE_LOCKED", "busy"), ("SQLITE_FULL", "full"),
           ("SQLITE_CORRUPT", "damaged"), ("SQLITE_NOTADB", "damaged"), ("SQLITE_READONLY", "read_only"),
           ("SQLITE_PERM", "read_only"), ("SQLITE_CANTOPEN", "cannot_open"), ("SQLITE_IOERR", "io"))
_SQLSTATE = (("08", "unreachable"), ("57P", "unreachable"), ("28", "login"), ("3D", "no_database"),
             ("53", "full"), ("42501", "permission"), ("25006", "read_only"), ("40", "conflict"))
_CONNECTION_TEXT = (("invalid connection option", "bad_option"), ("invalid dsn", "bad_option"),
                    ("authentication", "login"), ("password", "login"), ("does not exist", "no_database"),
                    ("refused", "unreachable"), ("translate host", "unreachable"), ("timeout", "unreachable"),
                    ("timed out", "unreachable"), ("server closed", "unreachable"), ("connection", "unreachable"))
_ERRNO = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read_only", errno.EACCES: "read_only",
          errno.EPERM: "read_only", errno.ENOTDIR: "not_a_folder", errno.ENOENT: "cannot_open",
          errno.EIO: "io", errno.EISDIR: "cannot_open", errno.EEXIST: "not_a_folder"}


def explain(error: BaseException) -> Reason:
    """The reason behind a driver, SQLAlchemy or OS error (never its text)."""
    original = getattr(error, "orig", None) or error
    if isinstance(original, OSError) and original.errno in _ERRNO:
        return REASONS[_ERRNO[original.errno]]
    name = getattr(original, "sqlite_errorname", None)
    if name:
        return REASONS[next((key for prefix, key in _SQLITE if name.startswith(prefix)), "other")]
    state = getattr(original, "sqlstate", None)
    if state:
        return REASONS[next((key for prefix, key in _SQLSTATE if state.startswith(prefix)), "other")]
    if type(original).__module__.split(".")[0] == "psycopg":
        text = str(original).lower()
        return REASONS[next((key for words, key in _CONNECTION_TEXT if words in text), "other")]
    return REASONS["other"]
