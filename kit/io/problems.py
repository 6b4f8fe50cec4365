"""Problems found in a coach's files, each one a record the coach can act on."""

from dataclasses import asdict, dataclass
from enum import Enum

import pandas as pd

ERROR = "error"      # the table cannot be used until this is fixed
WARNING = "warning"  # the table loads; the coach should still look


class Fix(Enum):
    """Where the coach fixes a problem: the file as a whole, its layout, or the values in it."""

    FILE = "the file"
    LAYOUT = "the column headers"
    VALUES = "the values"


class Check(Enum):
    """Every check the loader makes, with where its problems are fixed."""

    TOO_LARGE = ("file size", Fix.FILE)
    EMPTY = ("empty file", Fix.FILE)
    NOT_A_TABLE = ("not a table", Fix.FILE)
    UNREADABLE = ("unreadable rows", Fix.FILE)
    UNKNOWN_TABLE = ("which table", Fix.FILE)
    MISSING_COLUMN = ("missing column", Fix.LAYOUT)
    SUGGESTED_COLUMN = ("column name to confirm", Fix.LAYOUT)
    DUPLICATE_COLUMN = ("repeated column", Fix.LAYOUT)
    EXTRA_COLUMN = ("column not used", Fix.LAYOUT)
    NOT_A_GROUP = ("not a student group", Fix.LAYOUT)
    WIDE_FILE = ("wide score file", Fix.LAYOUT)
    TABLE_FROM_NAME = ("table read from the file name", Fix.FILE)
    MISSING_VALUE = ("missing value", Fix.VALUES)
    WRONG_TYPE = ("wrong kind of value", Fix.VALUES)
    OUT_OF_RANGE = ("out of range", Fix.VALUES)
    NOT_ALLOWED = ("value not allowed", Fix.VALUES)
    VALUES_TO_CONFIRM = ("codes to explain", Fix.VALUES)
    DUPLICATE_KEY = ("repeated row", Fix.VALUES)
    UNKNOWN_LINK = ("unknown id", Fix.VALUES)
    INCONSISTENT = ("values disagree", Fix.VALUES)

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def fix(self) -> Fix:
        return self.value[1]


@dataclass(frozen=True)
class Problem:
    """One problem: which table, which row (as numbered in the coach's spreadsheet), which column,
    what is wrong and how to fix it. `row` is None for problems with the whole file or a column."""

    table: str
    check: Check
    message: str
    how_to_fix: str
    severity: str = ERROR
    row: int | None = None
    column: str | None = None
    value: str | None = None
    file: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_record(self) -> dict:
        record = asdict(self)
        record["check"] = self.check.label
        record["fix_in"] = self.check.fix.value
        return record


PROBLEM_COLUMNS = ("severity", "table", "file", "row", "column", "value", "check", "message",
                   "how_to_fix", "fix_in")


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a tidy frame, errors first, ready for a table in the app."""
    frame = pd.DataFrame([problem.as_record() for problem in problems], columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({ERROR: 0, WARNING: 1})
    return frame.assign(_order=order).sort_values(["_order", "table"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def count_errors(problems: list[Problem]) -> int:
    return sum(problem.is_error for problem in problems)
