"""The coaching store: everything a coach authors, saved as it is typed.

SQLite file in the workspace by default; any SQLAlchemy URL (PostgreSQL) for a team. See
docs/store.md.

>>> from kit.store import open_store
>>> store = open_store("sqlite://")          # in memory, for this example
>>> cycle = store.cycles.create(name="Fall literacy", focus="Reading fluency")
>>> [c.name for c in store.cycles.list()]
['Fall literacy']
"""

from kit.store.errors import (BackupError, ConflictError, DamagedStoreError, ReadOnlyStoreError,
                              RecordNotFoundError, RecordValueError, StoreAccessError, StoreError, StoreOpenError,
                              StoreVersionError)
from kit.store.kinds import KINDS
from kit.store.records import Record, Records
from kit.store.store import Store, open_store

__all__ = ["open_store", "Store", "Records", "Record", "KINDS", "StoreError", "ConflictError",
           "RecordNotFoundError", "RecordValueError", "ReadOnlyStoreError", "StoreVersionError",
           "StoreAccessError", "StoreOpenError", "DamagedStoreError", "BackupError"]
