"""Check a table of text cells against the schema and turn it into typed columns.

Every problem is collected (never raised at the first one) as a `Problem` naming the row the
coach sees in their spreadsheet. Errors stop the table from loading; warnings do not.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import schema
from kit.io.headers import HeaderMatch, match_headers
from kit.io.problems import ERROR, WARNING, Check, Problem
from kit.io.values import apply_meanings, unsure_codes
from kit.standards import STANDARD_IDS, match_standard

#: Rows named one by one for each kind of problem in a column; the rest are counted in one more record.
ROWS_NAMED_PER_PROBLEM = 20

_YES = {"yes", "y", "true", "t", "1", "1.0"}
_NO = {"no", "n", "false", "f", "0", "0.0"}


class _Collector:
    """Gathers problems for one table, naming at most ROWS_NAMED_PER_PROBLEM rows per kind."""

    def __init__(self, table: str, file: str | None):
        self.table, self.file, self.problems = table, file, []

    def whole(self, check: Check, message: str, how_to_fix: str, severity: str = ERROR,
              column: str | None = None) -> None:
        self.problems.append(Problem(self.table, check, message, how_to_fix, severity, column=column,
                                     file=self.file))

    def rows(self, check: Check, column: str | None, bad: pd.Series, values: pd.Series | None,
             message, how_to_fix: str, severity: str = ERROR) -> None:
        """One problem per flagged row; `message(value)` words it for that row's value."""
        positions = np.flatnonzero(bad.to_numpy(dtype=bool))
        rows = bad.index[positions]
        for position in positions[:ROWS_NAMED_PER_PROBLEM]:  # by position: a reshaped wide file repeats rows
            value = None if values is None else str(values.iloc[position])
            self.problems.append(Problem(self.table, check, message(value), how_to_fix, severity,
                                         int(bad.index[position]), column, value, self.file))
        if len(rows) > ROWS_NAMED_PER_PROBLEM:
            more = len(rows) - ROWS_NAMED_PER_PROBLEM
            self.problems.append(Problem(
                self.table, check, f"{more:,} more rows have the same problem"
                f"{f' in column {column}' if column else ''} (the first is row {rows[ROWS_NAMED_PER_PROBLEM]}).",
                how_to_fix, severity, None, column, None, self.file))


@dataclass
class CheckedTable:
    """A table after its checks: the typed frame (None when it has errors), every problem, how the
    headers were matched, the extra columns kept as attributes (the key columns, then the coach's
    own columns, on the frame's rows) and the columns set aside until the coach explains them."""

    frame: pd.DataFrame | None
    problems: list[Problem]
    headers: HeaderMatch
    attributes: pd.DataFrame | None = None
    set_aside: tuple[str, ...] = ()


def validate_table(raw: pd.DataFrame, table_name: str, confirmed: dict[str, str] | None = None,
                   file: str | None = None) -> tuple[pd.DataFrame | None, list[Problem], HeaderMatch]:
    """Check `raw` (text cells, index = spreadsheet row) against the schema table `table_name`.

    Returns (typed frame or None when there are errors, problems, how headers were matched).
    `check_table` does the same with the coach's value meanings and group choices.
    """
    checked = check_table(raw, table_name, confirmed, file)
    return checked.frame, checked.problems, checked.headers


def check_table(raw: pd.DataFrame, table_name: str, confirmed: dict[str, str] | None = None,
                file: str | None = None, values: dict[str, dict[str, str]] | None = None,
                groups: dict[str, bool] | None = None) -> CheckedTable:
    """Check `raw` against the schema table `table_name`, reading codes with the coach's `values`
    (schema column -> {code: meaning}) and taking extra students columns as groups per `groups`.

    Extra columns are kept as student groups (students: columns of few values, or those the coach
    chose), as attributes (educators and rosters), or left out with a warning (other tables). A
    yes/no column with codes the kit would have to guess is set aside, with a warning, until the coach
    says what each code means.
    """
    table = schema.table_by_name(table_name)
    collect = _Collector(table_name, file)
    match = match_headers(list(raw.columns), table, confirmed)
    if not _check_headers(match, table, collect):
        return CheckedTable(None, collect.problems, match)
    group_extras = _group_extras(raw, match, table, groups or {}, collect)
    frame = raw[list(match.taken) + group_extras].rename(columns=match.taken)
    header_of = {column: header for header, column in match.taken.items()}
    typed, set_aside = {}, []
    for column in table.columns:
        if column.name in frame.columns:
            cells = apply_meanings(frame[column.name], (values or {}).get(column.name))
            if _unsure(cells, column, header_of.get(column.name, column.name), collect):
                set_aside.append(column.name)
                continue
            typed[column.name] = _check_column(cells, column, collect)
        elif column.default:
            typed[column.name] = pd.Series(column.default, index=frame.index, dtype=object)
    result = frame.drop(columns=set_aside).assign(**typed)
    _check_not_above(result, table, collect)
    _check_duplicate_keys(result, table, collect)
    attributes = _attributes(raw, match, table, result)
    if any(problem.is_error for problem in collect.problems):
        return CheckedTable(None, collect.problems, match, None, tuple(set_aside))
    return CheckedTable(result, collect.problems, match, attributes, tuple(set_aside))


def _unsure(cells: pd.Series, column: schema.Column, header: str, collect: _Collector) -> bool:
    """Warn and return True when a yes/no column holds codes the kit would have to guess."""
    codes = unsure_codes(cells, column)
    if not codes:
        return False
    counts = cells.astype(str).str.strip().value_counts()
    listed = ", ".join(f"'{code}' ({counts[code]:,} rows)" for code in codes[:6]) + (" ..." if len(codes) > 6 else "")
    named = column.name if header == column.name else f"{column.name} (your column '{header}')"
    collect.whole(Check.VALUES_TO_CONFIRM,
                  f"{named} holds codes the kit will not guess: {listed}. The column is not used until you "
                  "say what each code means.",
                  f"In the data check, say whether each code of {column.name} means yes, no or not recorded.",
                  WARNING, column=column.name)
    return True


def _not_a_group_by_itself(values: pd.Series) -> bool:
    """A column of numbers (a birth year, a score) or of very many different values is not a group
    of students unless the coach says so."""
    present = values[values.astype(str).str.strip() != ""]
    if not len(present):
        return False
    return bool(pd.to_numeric(present, errors="coerce").notna().all()
                or present.nunique() > schema.MAX_AUTOMATIC_GROUP_VALUES)


def _group_extras(raw: pd.DataFrame, match: HeaderMatch, table: schema.Table, groups: dict[str, bool],
                  collect: _Collector) -> list[str]:
    """The extra columns kept in the frame as student groups (students only)."""
    if table.name != "students":
        return []
    kept = []
    for header in match.leftover:
        chosen = groups.get(header)
        if chosen is None and _not_a_group_by_itself(raw[header]):
            kind = "numbers" if pd.to_numeric(raw[header].replace("", None).dropna(), errors="coerce").notna().all() \
                else "text"
            collect.whole(Check.NOT_A_GROUP,
                          f"Your column '{header}' holds {kind} with {raw[header].nunique():,} different values, so "
                          "it is not used as a student group by itself.",
                          f"Nothing to do, unless '{header}' is a group of students: then choose it as a group.",
                          WARNING, column=header)
        elif chosen is not False:
            kept.append(header)
    return kept


def _attributes(raw: pd.DataFrame, match: HeaderMatch, table: schema.Table,
                result: pd.DataFrame) -> pd.DataFrame | None:
    """The key columns and the coach's extra columns (educators, rosters and students)."""
    if not (table.keeps_attributes or table.name == "students"):
        return None
    extras = raw[list(match.leftover)].astype(object)
    extras = extras.where(extras != "", None)
    return pd.concat([result[[name for name in table.key if name in result.columns]], extras], axis=1)


def _check_headers(match: HeaderMatch, table: schema.Table, collect: _Collector) -> bool:
    for column, headers in match.repeated.items():
        collect.whole(Check.DUPLICATE_COLUMN, f"Columns {', '.join(headers)} all look like {column}.",
                      f"Keep one column named {column}, rename or remove the others.", column=column)
    missing = match.missing(table)
    for name in missing:
        column = table.column(name)
        proposal = match.proposal_for(name)
        if proposal:
            collect.whole(Check.MISSING_COLUMN, f"No column named {name}; your column '{proposal}' may be it.",
                          f"Confirm that '{proposal}' is {name} ({column.description}), or rename that "
                          f"header to {name}.", column=name)
        else:
            collect.whole(Check.MISSING_COLUMN, f"No column named {name} ({column.description}).",
                          f"Add a column with the header {name}; the template for {table.name} shows the "
                          "layout.", column=name)
    for header, name in match.proposed.items():
        if name not in missing:
            collect.whole(Check.SUGGESTED_COLUMN, f"Your column '{header}' may be {name}; it is not used until "
                          "you confirm it.", f"Confirm that '{header}' is {name}, or rename that header to {name}.",
                          WARNING, column=name)
    if table.name != "students" and not table.keeps_attributes:
        for header in match.leftover:
            collect.whole(Check.EXTRA_COLUMN, f"The kit does not use the column '{header}'; it is left out.",
                          "Nothing to do, unless it is a column of the table under another name: then rename it.",
                          WARNING, column=header)
    return not match.repeated and not missing


def _check_column(values: pd.Series, column: schema.Column, collect: _Collector) -> pd.Series:
    blank = values.eq("")
    if column.default and blank.any():
        values, blank = values.mask(blank, column.default), values.eq("") & False
    if column.required:
        collect.rows(Check.MISSING_VALUE, column.name, blank, None,
                     lambda _: f"{column.name} is empty.", f"Fill in {column.name} ({column.description}).")
    converter = _CONVERTERS[column.kind]
    return converter(values, blank, column, collect)


def _as_text(values, blank, column, collect):
    return values.where(~blank, None)


def _as_category(values, blank, column, collect):
    canonical = {allowed.lower(): allowed for allowed in column.allowed}
    converted = values.str.lower().map(canonical)
    collect.rows(Check.NOT_ALLOWED, column.name, converted.isna() & ~blank, values,
                 lambda value: f"{column.name} '{value}' is not one of the allowed values.",
                 f"Use one of: {column.range_text}.")
    return converted.where(~blank, None)


def _as_number(values, blank, column, collect, whole: bool = False):
    numbers = pd.to_numeric(values.where(~blank, None), errors="coerce").astype("Float64")
    not_number = numbers.isna() & ~blank
    kind = "a whole number" if whole else "a number"
    collect.rows(Check.WRONG_TYPE, column.name, not_number, values,
                 lambda value: f"{column.name} '{value}' is not {kind}.",
                 f"Write {column.name} as {kind}, such as {column.example}, with no words or symbols.")
    if whole:
        fractional = (numbers.notna() & (numbers != numbers.round())).fillna(False)
        collect.rows(Check.WRONG_TYPE, column.name, fractional, values,
                     lambda value: f"{column.name} '{value}' is not a whole number.",
                     f"Write {column.name} as a whole number, such as {column.example}.")
    too_low = (numbers < column.minimum).fillna(False) if column.minimum is not None else None
    too_high = (numbers > column.maximum).fillna(False) if column.maximum is not None else None
    for outside in (too_low, too_high):
        if outside is not None:
            collect.rows(Check.OUT_OF_RANGE, column.name, outside, values,
                         lambda value: f"{column.name} {value} is outside the allowed range ({column.range_text}).",
                         f"Check the value; {column.name} runs from {column.range_text}.")
    return numbers.round().astype("Int64") if whole and not fractional.any() else numbers


def _as_whole_number(values, blank, column, collect):
    return _as_number(values, blank, column, collect, whole=True)


def _as_date(values, blank, column, collect):
    present = values.where(~blank, None)
    dates = pd.to_datetime(present, errors="coerce", format="ISO8601")
    us_style = pd.to_datetime(present, errors="coerce", format="%m/%d/%Y")
    dates = dates.fillna(us_style)
    collect.rows(Check.WRONG_TYPE, column.name, dates.isna() & ~blank, values,
                 lambda value: f"{column.name} '{value}' is not a date the kit can read.",
                 f"Write dates as year-month-day, such as {column.example}.")
    return dates


def _as_yes_no(values, blank, column, collect):
    lowered = values.str.lower()
    answers = pd.Series(pd.NA, index=values.index, dtype="boolean")
    answers[lowered.isin(_YES)] = True
    answers[lowered.isin(_NO)] = False
    collect.rows(Check.NOT_ALLOWED, column.name, answers.isna() & ~blank, values,
                 lambda value: f"{column.name} '{value}' is not yes or no.",
                 f"Write {column.name} as yes or no (or leave it empty when unknown).")
    return answers


def _as_standards(values, blank, column, collect):
    def canonical(cell: str) -> str | None:
        ids = [match_standard(part) for part in cell.replace(",", ";").split(";") if part.strip()]
        return None if None in ids else ";".join(ids)

    converted = values.map(lambda cell: canonical(cell) if cell else None)
    collect.rows(Check.NOT_ALLOWED, column.name, converted.isna() & ~blank, values,
                 lambda value: f"{column.name} '{value}' names a standard the kit does not know.",
                 "Use the standards' ids separated by ';': " + ", ".join(STANDARD_IDS) + ".")
    return converted


_CONVERTERS = {
    schema.ID: _as_text,
    schema.TEXT: _as_text,
    schema.CATEGORY: _as_category,
    schema.INTEGER: _as_whole_number,
    schema.NUMBER: _as_number,
    schema.DATE: _as_date,
    schema.YES_NO: _as_yes_no,
    schema.STANDARD_LIST: _as_standards,
}


def _check_not_above(frame: pd.DataFrame, table: schema.Table, collect: _Collector) -> None:
    for smaller, larger in table.not_above:
        if smaller in frame.columns and larger in frame.columns:
            above = (frame[smaller] > frame[larger]).fillna(False)
            collect.rows(Check.INCONSISTENT, smaller, above, frame[smaller],
                         lambda value: f"{smaller} {float(value):g} is more than {larger} on the same row.",
                         f"Check both values: {smaller} cannot be more than {larger}.")


def _check_duplicate_keys(frame: pd.DataFrame, table: schema.Table, collect: _Collector) -> None:
    key = [name for name in table.key if name in frame.columns]
    if not frame.duplicated(subset=key).any():
        return
    rows = pd.Series(frame.index, index=frame.index)
    first_row = rows.groupby([frame[name] for name in key], dropna=False).transform("min")
    described = " and ".join(key)
    collect.rows(Check.DUPLICATE_KEY, key[0], rows != first_row, first_row.astype(str),
                 lambda first: f"This row repeats row {first} (same {described}).",
                 f"Keep one row for each {described}; remove or correct the repeat.")
