"""The store's limits, in one place: what a value must be to reach either back end unchanged.

Validation (`kit.store.validate`), backup import (`kit.store.backup_check`) and the tests read
these; nothing else retypes them. The bounds are those of the narrower back end, so a record that
saves on SQLite also saves on PostgreSQL, and a store moves between them.

>>> INTEGER_MIN, INTEGER_MAX
(-2147483648, 2147483647)
>>> is_record_id("3f2b6c1e-0d4a-4e3b-9a57-0c2f4c1d9e88"), is_record_id("a b")
(True, False)
"""

from __future__ import annotations

import re

INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1   # PostgreSQL INTEGER (SQLite's is wider)
SHORT_MAX = 200                                   # characters in a one-line field
TEXT_MAX = 1_000_000                              # characters in a long text (a reflection is far shorter)
LIST_MAX = 100                                    # entries in a list field (IC map variations)
ID_MAX = 36                                       # a UUID; the id columns are VARCHAR(36)
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,%d}" % (ID_MAX - 1))


def is_record_id(value: object) -> bool:
    """True for an id of the store's form: text of 1-36 letters, digits, `-` or `_` (the kit makes UUIDs)."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text on every back end, in a coach's words; None when it can.

    >>> text_problem("fine"), text_problem("a\\x00b")
    (None, 'it contains an invisible NUL character (at character 2); remove it and save again')
    """
    for position, character in enumerate(value, start=1):
        if character == "\x00":
            return f"it contains an invisible NUL character (at character {position}); remove it and save again"
        if "\ud800" <= character <= "\udfff":
            return (f"it contains a broken character (half of an emoji or symbol, at character {position}), "
                    "often left by copying part of a text; retype that part and save again")
    return None


def short_id(value: object) -> str:
    """An id (or what was given as one) shortened and quoted for a message."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(ch if ch.isprintable() and not "\ud800" <= ch <= "\udfff" else "?" for ch in text)
    return text if len(text) <= 40 else text[:39] + "\u2026"
