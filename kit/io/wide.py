"""Wide score files (a column per subject and window, "Math K", "Math 1", ...) turned into the
long `assessments` shape: one row per student, subject and window.

The kit proposes which columns are ids and how a score column's name splits into subject and
window; the coach confirms it (with a preview of the first rows) before anything is reshaped.

>>> raw = pd.DataFrame({"Student ID": ["1", "2"], "Math K": ["400", "410"], "Math 1": ["450", ""],
...                     "Reading K": ["390", "405"]})
>>> layout = propose_layout(raw)
>>> layout.id_columns, layout.describe()
(('Student ID',), "Each score column's name is the subject, then the window, split at ' ' (for example 'Math K' is subject Math, window K).")
>>> reshape(raw, layout)[["Student ID", "subject", "window", "score"]].to_dict("records")[:2]
[{'Student ID': '1', 'subject': 'Math', 'window': 'K', 'score': '400'}, {'Student ID': '1', 'subject': 'Math', 'window': '1', 'score': '450'}]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from kit.analysis.windows import BY_FIRST_APPEARANCE, guess_window_order
from kit.errors import DataError
from kit.io.headers import normalise_header

#: Where a score column's name may split into subject and window, tried in this order.
SEPARATORS = (" ", "_", "-", ".", ":")
#: Parts of a score column's name: which one is the subject and which the window.
SUBJECT_FIRST, WINDOW_FIRST, WINDOW_ONLY, SUBJECT_ONLY = "subject, window", "window, subject", "window", "subject"
SPLITS = (SUBJECT_FIRST, WINDOW_FIRST, WINDOW_ONLY, SUBJECT_ONLY)
#: The long file's own columns.
LONG_COLUMNS = ("subject", "window", "score")
#: Rows shown in the preview.
PREVIEW_ROWS = 6


@dataclass(frozen=True)
class WideLayout:
    """How a wide file reads: the id columns kept on every row, the score columns, and how a score
    column's name splits. `subject` or `window` name the one value when the names leave it out."""

    id_columns: tuple[str, ...]
    score_columns: tuple[str, ...]
    split: str = SUBJECT_FIRST
    separator: str = " "
    subject: str = ""
    window: str = ""
    notes: tuple[str, ...] = field(default=())

    def parts(self, header: str) -> tuple[str, str]:
        """(subject, window) read from a score column's name."""
        if self.split == WINDOW_ONLY:
            return self.subject, header.strip()
        if self.split == SUBJECT_ONLY:
            return header.strip(), self.window
        first, _, rest = header.strip().partition(self.separator)
        first, rest = first.strip(), rest.strip()
        return (first, rest) if self.split == SUBJECT_FIRST else (rest, first)

    def describe(self) -> str:
        """The layout in words, with the first score column as the example."""
        example = self.score_columns[0] if self.score_columns else ""
        subject, window = self.parts(example) if example else ("", "")
        if self.split == WINDOW_ONLY:
            return f"Each score column's name is the window; the subject is {self.subject} (for example " \
                   f"'{example}' is window {window})."
        if self.split == SUBJECT_ONLY:
            return f"Each score column's name is the subject; the window is {self.window} (for example " \
                   f"'{example}' is subject {subject})."
        order = "the subject, then the window" if self.split == SUBJECT_FIRST else "the window, then the subject"
        return (f"Each score column's name is {order}, split at '{self.separator}' (for example '{example}' "
                f"is subject {subject}, window {window}).")

    def as_dict(self) -> dict:
        record = asdict(self)
        record.pop("notes")
        return {key: list(value) if isinstance(value, tuple) else value for key, value in record.items()}

    @classmethod
    def from_dict(cls, record: dict) -> WideLayout:
        return cls(tuple(record.get("id_columns", ())), tuple(record.get("score_columns", ())),
                   record.get("split", SUBJECT_FIRST), record.get("separator", " "),
                   record.get("subject", ""), record.get("window", ""))


def _is_number(values: pd.Series) -> bool:
    present = values[values.astype(str).str.strip() != ""]
    return bool(len(present)) and pd.to_numeric(present, errors="coerce").notna().mean() > 0.95


def _looks_like_id(header: str) -> bool:
    words = normalise_header(header).split("_")
    return "id" in words or normalise_header(header) in {"student", "student_number", "sid", "school", "name"}


def looks_wide(raw: pd.DataFrame) -> bool:
    """True when a file has an id column and three or more score columns whose names share a part
    ("Math K", "Math 1", "Math 2"): a score file with a column per subject or window."""
    return propose_layout(raw) is not None


def _split_for(headers: list[str]) -> tuple[str, str] | None:
    """(separator, split) that reads every header as two parts, the window part being window-like."""
    for separator in SEPARATORS:
        if not all(separator in header.strip() for header in headers):
            continue
        firsts = [header.strip().partition(separator)[0].strip() for header in headers]
        rests = [header.strip().partition(separator)[2].strip() for header in headers]
        if guess_window_order(rests).basis != BY_FIRST_APPEARANCE:
            return separator, SUBJECT_FIRST
        if guess_window_order(firsts).basis != BY_FIRST_APPEARANCE:
            return separator, WINDOW_FIRST
        if len(set(firsts)) < len(headers):
            return separator, SUBJECT_FIRST
    return None


def propose_layout(raw: pd.DataFrame) -> WideLayout | None:
    """The kit's reading of a wide file, or None when it does not look like one. The coach confirms
    (or changes) it before the file is reshaped."""
    headers = [str(header) for header in raw.columns]
    ids = [header for header in headers if _looks_like_id(header) or not _is_number(raw[header])]
    scores = [header for header in headers if header not in ids]
    if not ids or len(scores) < 3:
        return None
    split = _split_for(scores)
    if split:
        return WideLayout(tuple(ids), tuple(scores), split[1], split[0])
    if guess_window_order(scores).basis != BY_FIRST_APPEARANCE:
        return WideLayout(tuple(ids), tuple(scores), WINDOW_ONLY, subject="all subjects")
    return None


def check_layout(raw: pd.DataFrame, layout: WideLayout) -> None:
    """A DataError naming what is wrong with a layout for this file (a column it does not have, no
    score columns, a name that does not split), else nothing."""
    headers = set(map(str, raw.columns))
    unknown = [header for header in (*layout.id_columns, *layout.score_columns) if header not in headers]
    if unknown:
        raise DataError(f"The file has no column {', '.join(repr(h) for h in unknown)}; choose among its columns.")
    if not layout.id_columns:
        raise DataError("Choose at least one id column (the column with the student's code).")
    if not layout.score_columns:
        raise DataError("Choose the columns that hold scores.")
    if layout.split in (SUBJECT_FIRST, WINDOW_FIRST):
        unsplit = [header for header in layout.score_columns if not all(layout.parts(header))]
        if unsplit:
            raise DataError(f"The name '{unsplit[0]}' does not split at '{layout.separator}' into a subject and a "
                            "window. Choose another split, or leave that column out.")
    if layout.split == WINDOW_ONLY and not layout.subject.strip():
        raise DataError("Type the subject these scores are for (the column names give only the window).")
    if layout.split == SUBJECT_ONLY and not layout.window.strip():
        raise DataError("Type the window these scores are from (the column names give only the subject).")


def reshape(raw: pd.DataFrame, layout: WideLayout) -> pd.DataFrame:
    """The wide file as text cells in the long shape: the id columns, then `subject`, `window` and
    `score`, one row per filled score cell, in the file's row order (index = the spreadsheet row of
    the wide file, so a problem still names the coach's row)."""
    check_layout(raw, layout)
    parts = []
    for order, header in enumerate(layout.score_columns):
        subject, window = layout.parts(header)
        scores = raw[header].astype(str).str.strip()
        filled = scores != ""
        part = raw.loc[filled, list(layout.id_columns)].assign(subject=subject, window=window, score=scores[filled],
                                                                _order=order)
        parts.append(part)
    long = pd.concat(parts) if parts else pd.DataFrame(columns=[*layout.id_columns, *LONG_COLUMNS, "_order"])
    long = long.rename_axis("row").reset_index().sort_values(["row", "_order"], kind="stable")
    return long.drop(columns="_order").set_index("row")


def preview(raw: pd.DataFrame, layout: WideLayout, rows: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first `rows` rows of the reshaped file, for the coach to check before confirming."""
    return reshape(raw.head(max(1, rows)), layout).head(rows).reset_index(drop=True)
