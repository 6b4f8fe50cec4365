"""What a coach told the kit about one of their files, kept for next time.

A `FileMapping` belongs to a file name and its set of headers: which table the file holds, which of
its columns is which schema column (or left out), what the codes in a column mean, which extra
columns are student groups, and how a wide score file splits. `Mappings` holds them all and is
saved in the workspace's settings; the loader finds a file's mapping by name and headers (or, when
the file was renamed, by its headers alone).

>>> mappings = Mappings()
>>> mappings = mappings.changed("Students 2024.csv", ["Student ID", "Free Lunch"], table="students",
...                             columns={"Free Lunch": "low_income"}, values={"low_income": {"F": "yes", "N": "no"}})
>>> mappings.find("Students 2024.csv", ["Student ID", "Free Lunch"]).in_words()
['Students 2024.csv holds the students table.', "Your column 'Free Lunch' is low_income.", "In low_income, 'F' means yes and 'N' means no."]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kit import schema
from kit.io.headers import normalise_header
from kit.io.values import MEANING_WORDS
from kit.io.wide import WideLayout

#: The column value that means "leave this column out".
LEAVE_OUT = ""


def header_signature(headers: Iterable[str]) -> str:
    """A short fingerprint of a set of headers (case, spaces and order set aside).

    >>> header_signature(["Student ID", "Grade"]) == header_signature(["grade", "student_id"])
    True
    """
    names = sorted({normalise_header(header) for header in headers})
    return hashlib.sha1("\x1f".join(names).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FileMapping:
    """Everything the coach said about one file (by name and header set)."""

    file: str
    signature: str
    table: str = ""                                   # "" = the kit's own guess
    columns: dict[str, str] = field(default_factory=dict)   # header -> schema column ("" = leave out)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # schema column -> {code: meaning}
    groups: dict[str, bool] = field(default_factory=dict)   # extra students header -> used as a group
    wide: dict | None = None                          # a WideLayout as a dict, for a wide score file

    @property
    def layout(self) -> WideLayout | None:
        return WideLayout.from_dict(self.wide) if self.wide else None

    @property
    def is_empty(self) -> bool:
        return not (self.table or self.columns or self.values or self.groups or self.wide)

    def confirmed_columns(self) -> dict[str, str]:
        """header -> schema column, for the columns the coach mapped (not those left out)."""
        return {header: column for header, column in self.columns.items() if column != LEAVE_OUT}

    def left_out(self) -> list[str]:
        return [header for header, column in self.columns.items() if column == LEAVE_OUT]

    def in_words(self) -> list[str]:
        """Each thing the coach said about the file, as one plain sentence."""
        lines = [f"{self.file} holds the {self.table} table."] if self.table else []
        if self.layout:
            lines.append(f"{self.file} is a wide score file: {self.layout.describe()}")
        for header, column in self.columns.items():
            lines.append(f"Your column '{header}' is left out." if column == LEAVE_OUT
                         else f"Your column '{header}' is {column}.")
        for column, meanings in self.values.items():
            told = [f"'{code}' means {MEANING_WORDS.get(meaning, meaning)}" for code, meaning in meanings.items()]
            lines.append(f"In {column}, " + (", ".join(told[:-1]) + " and " + told[-1] if len(told) > 1
                                             else told[0]) + ".")
        for header, used in self.groups.items():
            lines.append(f"Your column '{header}' is {'' if used else 'not '}a student group.")
        return lines

    def as_dict(self) -> dict:
        return {"file": self.file, "signature": self.signature, "table": self.table, "columns": dict(self.columns),
                "values": {column: dict(codes) for column, codes in self.values.items()},
                "groups": dict(self.groups), "wide": self.wide}

    @classmethod
    def from_dict(cls, record: dict) -> FileMapping:
        table = record.get("table", "")
        return cls(str(record.get("file", "")), str(record.get("signature", "")),
                   table if table in schema.TABLE_NAMES else "",
                   {str(h): str(c) for h, c in (record.get("columns") or {}).items()},
                   {str(c): {str(k): str(v) for k, v in codes.items()} for c, codes in (record.get("values") or {}).items()},
                   {str(h): bool(u) for h, u in (record.get("groups") or {}).items()},
                   record.get("wide") or None)


@dataclass(frozen=True)
class Mappings:
    """Every file's mapping; immutable, so a change is a new `Mappings` (and undo keeps the old one)."""

    files: tuple[FileMapping, ...] = ()

    def find(self, file: str, headers: Iterable[str]) -> FileMapping | None:
        """The mapping for this file name and header set, else the latest for the same header set
        under another name (a kept upload is renamed after its table), else None."""
        signature = header_signature(headers)
        exact = [mapping for mapping in self.files if mapping.file == file and mapping.signature == signature]
        same_headers = [mapping for mapping in self.files if mapping.signature == signature]
        found = exact or same_headers
        return found[-1] if found else None

    def changed(self, file: str, headers: Iterable[str], **changes) -> Mappings:
        """These mappings with the file's mapping changed: each keyword replaces that part
        (`table=...`, `columns=...`, `values=...`, `groups=...`, `wide=...`)."""
        headers = list(headers)
        signature = header_signature(headers)
        current = self.find(file, headers)
        current = replace(current, file=file) if current else FileMapping(file, signature)
        updated = replace(current, **changes)
        # Copies of the same file under another name (a kept upload) change with it.
        others = tuple(m if m.signature != signature else replace(m, **changes)
                       for m in self.files if not (m.file == file and m.signature == signature))
        return Mappings(tuple(m for m in others + (updated,) if not m.is_empty))

    def copied_to(self, file: str, headers: Iterable[str], new_name: str) -> Mappings:
        """These mappings with the file's mapping also kept under `new_name` (a kept upload's name)."""
        mapping = self.find(file, headers)
        if mapping is None or new_name == file:
            return self
        kept = tuple(m for m in self.files if not (m.file == new_name and m.signature == mapping.signature))
        return Mappings(kept + (replace(mapping, file=new_name),))

    def as_list(self) -> list[dict]:
        return [mapping.as_dict() for mapping in self.files]

    @classmethod
    def from_list(cls, records) -> Mappings:
        if not isinstance(records, list):
            return cls()
        return cls(tuple(FileMapping.from_dict(record) for record in records if isinstance(record, dict)))
