"""Errors of the coaching store, each written for a coach and naming the record concerned."""

from __future__ import annotations

from typing import Any, Mapping

from kit.errors import KitError


class StoreError(KitError):
    """The store could not do what was asked. `unsaved` keeps any values that were not saved."""

    def __init__(self, message: str, unsaved: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.unsaved = dict(unsaved or {})


class RecordNotFoundError(StoreError):
    """No record of that kind has that id (it may belong to another store)."""

    def __init__(self, label: str, record_id: str):
        super().__init__(f"No {label} with id {record_id} is in this store.")
        self.label = label
        self.record_id = record_id


class RecordValueError(StoreError):
    """A value a coach typed cannot be saved as it is (required, wrong type, not one of the choices)."""

    def __init__(self, label: str, field: str, message: str, unsaved: Mapping[str, Any] | None = None):
        super().__init__(f"The {label} was not saved: {message}", unsaved)
        self.label = label
        self.field = field


class ConflictError(StoreError):
    """Someone saved the record after you opened it. `unsaved` holds your values, `current` the saved record."""

    def __init__(self, label: str, title: str, unsaved: Mapping[str, Any], current: Any):
        who = f" by {current.updated_by}" if current.updated_by else ""
        when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
        super().__init__(
            f"The {label} \u201c{title}\u201d was changed{who} at {when}, after you opened it, "
            "so your changes were not saved. Your text is kept: look at the saved version, "
            "then apply your changes again and save.",
            unsaved,
        )
        self.label = label
        self.current = current


class StoreVersionError(StoreError):
    """The store was made by a newer kit, or needs upgrading while it may not be changed."""


class ReadOnlyStoreError(StoreError):
    """The store was opened view-only, so nothing can be saved."""

    def __init__(self, label: str, unsaved: Mapping[str, Any] | None = None):
        super().__init__(
            f"This app is view-only: the {label} was not saved. "
            "Open the app in editing mode (without KIT_VIEW_ONLY) to make changes.",
            unsaved,
        )
        self.label = label


class StoreAccessError(StoreError):
    """The database could not be read or written (busy, full, unreachable, read-only, refused).
    `location` is where the store is, for a coach to read (never with a password)."""

    def __init__(self, message: str, location: str, unsaved: Mapping[str, Any] | None = None):
        super().__init__(message, unsaved)
        self.location = location


class StoreOpenError(StoreAccessError):
    """The store could not be opened: no store there (view-only), a folder that cannot be written,
    a server that cannot be reached, a login refused, a URL option the driver does not know."""


class DamagedStoreError(StoreAccessError):
    """The store's file is damaged or is not a coaching store (also a 0-byte file). The kit leaves it
    as it is; `backups` lists backup files found nearby, newest first, to restore from."""

    def __init__(self, message: str, location: str, backups: tuple[str, ...] = (),
                 unsaved: Mapping[str, Any] | None = None):
        super().__init__(message, location, unsaved)
        self.backups = tuple(backups)


class BackupError(StoreError):
    """A backup file cannot be written, or cannot be imported as it is (nothing was imported).
    `source` names the file; `record` and `field` say where the first problem is, when there is one."""

    def __init__(self, message: str, source: str, record: str = "", field: str = ""):
        super().__init__(message)
        self.source = source
        self.record = record
        self.field = field
