"""Match a coach's column headers to the schema's columns.

Headers equal to a column name once case, spaces and punctuation are set aside are taken as they
are ("Student ID" is `student_id`). Near misses and common alternative names ("stu_id") are only
proposed: the coach confirms them, and the confirmed mapping is passed back to the loader.
"""

import difflib
import re
from dataclasses import dataclass, field

from kit.schema import Table


def normalise_header(header: str) -> str:
    """`"  Student ID "` -> `"student_id"`."""
    return re.sub(r"[^0-9a-z]+", "_", str(header).strip().lower()).strip("_")


def _squeezed(header: str) -> str:
    return normalise_header(header).replace("_", "")


@dataclass
class HeaderMatch:
    """How a file's headers line up with a table: taken, proposed, and left over."""

    taken: dict[str, str] = field(default_factory=dict)      # header -> column
    proposed: dict[str, str] = field(default_factory=dict)   # header -> column, for the coach to confirm
    repeated: dict[str, list[str]] = field(default_factory=dict)  # column -> headers that all match it
    leftover: list[str] = field(default_factory=list)

    def missing(self, table: Table) -> list[str]:
        """Required columns that no header gives."""
        return [name for name in table.required_columns if name not in self.taken.values()]

    def proposal_for(self, column: str) -> str | None:
        return next((header for header, proposed in self.proposed.items() if proposed == column), None)


def match_headers(headers: list[str], table: Table, confirmed: dict[str, str] | None = None) -> HeaderMatch:
    """Line up `headers` with `table`'s columns; `confirmed` maps headers the coach has confirmed.

    >>> from kit.schema import table_by_name
    >>> match = match_headers(["Stu ID", "School ID", "Grade"], table_by_name("students"))
    >>> match.taken, match.proposed
    ({'School ID': 'school_id', 'Grade': 'grade'}, {'Stu ID': 'student_id'})
    """
    confirmed = {header: column for header, column in (confirmed or {}).items() if column in table.column_names}
    by_squeezed = {_squeezed(name): name for name in table.column_names}
    match = HeaderMatch()
    claimed: dict[str, list[str]] = {}
    for header in headers:
        column = confirmed.get(header) or by_squeezed.get(_squeezed(header))
        if column:
            claimed.setdefault(column, []).append(header)
    for column, claimants in claimed.items():
        match.taken[claimants[0]] = column
        if len(claimants) > 1:
            match.repeated[column] = claimants
    for header in headers:
        if header in match.taken or any(header in claimants for claimants in match.repeated.values()):
            continue
        column = _near_miss(header, table, set(match.taken.values()) | set(match.proposed.values()))
        if column:
            match.proposed[header] = column
        else:
            match.leftover.append(header)
    return match


def _near_miss(header: str, table: Table, already: set[str]) -> str | None:
    """The column a header most likely means: an alternative name, else a close spelling."""
    wanted = re.sub(r"(code|number|num|no|nbr)$", "id", _squeezed(header))  # "School code" means school_id
    if not wanted:
        return None
    candidates: dict[str, str] = {}
    for column in table.columns:
        if column.name in already:
            continue
        for name in (column.name, *column.aliases):
            candidates.setdefault(_squeezed(name), column.name)
    if wanted in candidates:
        return candidates[wanted]
    close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.8)
    return candidates[close[0]] if close else None
