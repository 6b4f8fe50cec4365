"""What the codes in a coach's column mean: read only when sure, confirmed by the coach otherwise.

A yes/no column is read by itself only when every code is a whole word that cannot be misread (yes,
no, true, false). Single letters ("F" is free lunch in one district and false in another), 0/1 and
anything else are never guessed: until the coach says what each code means, the column is not used.

>>> values = pd.Series(["F", "N", "F", ""])
>>> unsure_codes(values, table_by_name("students").column("low_income"))
['F', 'N']
>>> describe_values(values, table_by_name("students").column("low_income"), {"F": "yes", "N": "no"})
  value  count       meaning            how
0     F      2           yes      you chose
1     N      1            no      you chose
2            1  not recorded  read as it is
"""

from __future__ import annotations

import pandas as pd

from kit.schema import CATEGORY, YES_NO, Column, table_by_name  # noqa: F401  (table_by_name: the doctests)

#: Codes a yes/no column may hold that read one way only.
SURE_YES = frozenset({"yes", "true"})
SURE_NO = frozenset({"no", "false"})
YES, NO, NOT_RECORDED = "yes", "no", ""
#: What a meaning looks like in the app's value table.
MEANING_WORDS = {YES: "yes", NO: "no", NOT_RECORDED: "not recorded"}
#: Most distinct values the app lists for a column (a column of ids or scores is not a code list).
MAX_LISTED_VALUES = 60
#: Kinds of column whose codes the coach may explain: yes/no and category columns.
_MAPPABLE_KINDS = (YES_NO, CATEGORY)


def needs_meanings(column: Column) -> bool:
    """True for the columns whose codes the kit reads (yes/no and category columns)."""
    return column.kind in _MAPPABLE_KINDS


def _lookup(meanings: dict[str, str] | None) -> dict[str, str]:
    return {str(code).strip().lower(): meaning for code, meaning in (meanings or {}).items()}


def kit_reading(code: str, column: Column) -> str | None:
    """What the kit takes `code` to mean by itself, or None when it cannot be sure.

    >>> low_income = table_by_name("students").column("low_income")
    >>> kit_reading("Yes", low_income), kit_reading("1", low_income), kit_reading("y", low_income)
    ('yes', None, None)
    """
    text = str(code).strip().lower()
    if text == "":
        return NOT_RECORDED
    if column.kind == YES_NO:
        return YES if text in SURE_YES else NO if text in SURE_NO else None
    if column.kind == CATEGORY:
        return next((allowed for allowed in column.allowed if allowed.lower() == text), None)
    return str(code).strip()


def unsure_codes(values: pd.Series, column: Column, meanings: dict[str, str] | None = None) -> list[str]:
    """The distinct codes of a yes/no column the kit would have to guess, most frequent first (the
    coach has not said what they mean, and they are not whole yes/no words). Empty for other kinds."""
    if column.kind != YES_NO:
        return []
    chosen = _lookup(meanings)
    counts = values.astype(str).str.strip().value_counts(sort=True)
    return [code for code in counts.index
            if code.lower() not in chosen and kit_reading(code, column) is None]


def describe_values(values: pd.Series, column: Column, meanings: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per distinct value, most frequent first: `value`, `count`, `meaning` (in words; "?" when
    not known yet) and `how` ("you chose", "read as it is", "to confirm", "not allowed")."""
    chosen = _lookup(meanings)
    counts = values.astype(str).str.strip().value_counts(sort=True).head(MAX_LISTED_VALUES)
    rows = []
    for code, count in counts.items():
        if code.lower() in chosen:
            meaning, how = chosen[code.lower()], "you chose"
        else:
            meaning = kit_reading(code, column)
            how = "read as it is" if meaning is not None else (
                "to confirm" if column.kind == YES_NO else "not allowed")
        rows.append({"value": code, "count": int(count),
                     "meaning": "?" if meaning is None else MEANING_WORDS.get(meaning, meaning), "how": how})
    return pd.DataFrame(rows, columns=["value", "count", "meaning", "how"])


def valid_meanings(column: Column) -> tuple[str, ...]:
    """What a code of this column may be taken to mean ("" is not recorded)."""
    if column.kind == YES_NO:
        return YES, NO, NOT_RECORDED
    if column.kind == CATEGORY:
        return column.allowed + (NOT_RECORDED,)
    return ()


def apply_meanings(values: pd.Series, meanings: dict[str, str] | None) -> pd.Series:
    """The column with each code the coach explained replaced by its meaning (matching ignores case
    and surrounding spaces); other cells are left as they are."""
    chosen = _lookup(meanings)
    if not chosen:
        return values
    lowered = values.astype(str).str.strip().str.lower()
    mapped = lowered.map(chosen)
    return mapped.where(mapped.notna(), values)
