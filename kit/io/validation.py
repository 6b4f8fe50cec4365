"""Check a table of text cells against the schema and turn it into typed columns.

Every problem is collected (never raised at the first one) as a `Problem` naming the row the
coach sees in their spreadsheet. Errors stop the table from loading; warnings do not.
"""

import pandas as pd

from kit import schema
from kit.io.headers import HeaderMatch, match_headers
from kit.io.problems import ERROR, WARNING, Check, Problem
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
        rows = bad[bad].index
        for row in rows[:ROWS_NAMED_PER_PROBLEM]:
            value = None if values is None else str(values.loc[row])
            self.problems.append(Problem(self.table, check, message(value), how_to_fix, severity, int(row),
                                         column, value, self.file))
        if len(rows) > ROWS_NAMED_PER_PROBLEM:
            more = len(rows) - ROWS_NAMED_PER_PROBLEM
            self.problems.append(Problem(
                self.table, check, f"{more:,} more rows have the same problem"
                f"{f' in column {column}' if column else ''} (the first is row {rows[ROWS_NAMED_PER_PROBLEM]}).",
                how_to_fix, severity, None, column, None, self.file))


def validate_table(raw: pd.DataFrame, table_name: str, confirmed: dict[str, str] | None = None,
                   file: str | None = None) -> tuple[pd.DataFrame | None, list[Problem], HeaderMatch]:
    """Check `raw` (text cells, index = spreadsheet row) against the schema table `table_name`.

    Returns (typed frame or None when there are errors, problems, how headers were matched).
    Columns the schema does not know are kept as text (in `students` they are extra student groups).
    """
    table = schema.table_by_name(table_name)
    collect = _Collector(table_name, file)
    match = match_headers(list(raw.columns), table, confirmed)
    if not _check_headers(match, table, collect):
        return None, collect.problems, match
    frame = raw[list(match.taken) + _kept_extras(match, table)].rename(columns=match.taken)
    typed = {}
    for column in table.columns:
        if column.name in frame.columns:
            typed[column.name] = _check_column(frame[column.name], column, collect)
    result = frame.assign(**typed)
    _check_not_above(result, table, collect)
    _check_duplicate_keys(result, table, collect)
    if any(problem.is_error for problem in collect.problems):
        return None, collect.problems, match
    return result, collect.problems, match


def _kept_extras(match: HeaderMatch, table: schema.Table) -> list[str]:
    return list(match.leftover) if table.extra_columns_are else []


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
    if not table.extra_columns_are:
        for header in match.leftover:
            collect.whole(Check.EXTRA_COLUMN, f"The kit does not use the column '{header}'; it is left out.",
                          "Nothing to do, unless it is a column of the table under another name: then rename it.",
                          WARNING, column=header)
    return not match.repeated and not missing


def _check_column(values: pd.Series, column: schema.Column, collect: _Collector) -> pd.Series:
    blank = values.eq("")
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
