"""Checking and normalising the values a coach typed, before they reach any database driver.

One check for both back ends (limits in `kit.store.limits`): a record saves on SQLite and on
PostgreSQL, or on neither, and a refusal names the field and says what to type instead.

>>> from kit.store.kinds import KINDS
>>> clean_values(KINDS["reflection"], {"stage": " 4 ", "text": "Went well"}, partial=False)
{'stage': 4, 'prompt': None, 'text': 'Went well'}
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Mapping

from kit.store.errors import RecordValueError
from kit.store.kinds import Field, Kind
from kit.store.limits import (INTEGER_MAX, INTEGER_MIN, LIST_MAX, SHORT_MAX, TEXT_MAX, is_record_id,
                              short_id, text_problem)

__all__ = ["clean_values", "clean_value", "SHORT_MAX"]


def clean_values(kind: Kind, values: Mapping[str, Any], *, partial: bool, strict: bool = False) -> dict[str, Any]:
    """`values` checked against `kind` and normalised (blank text -> None, "12" -> 12, ISO text -> date).

    With `partial`, only the given fields are checked (an update); otherwise every required
    field must be there (a new record), and absent ones are None. With `strict` (a backup), values
    must already have their saved type: whole numbers as numbers, dates as ISO text, lists as lists.
    Raises `RecordValueError` naming the field and keeping `values` as unsaved.
    """
    unknown = sorted((name for name in values if name not in kind.field_names), key=str)
    if unknown:
        name = short_id(unknown[0])
        raise RecordValueError(kind.label, name, f"it has no field called {name!r} "
                               f"(its fields are: {', '.join(kind.field_names)}).", values)
    cleaned = {}
    for f in kind.fields:
        if f.name not in values and partial:
            continue
        cleaned[f.name] = clean_value(kind, f, values.get(f.name, f.default), values, strict=strict)
    if kind.check is not None and not partial:
        problem = kind.check(cleaned)
        if problem:
            raise RecordValueError(kind.label, "", problem, values)
    return cleaned


def clean_value(kind: Kind, f: Field, value: Any, unsaved: Mapping[str, Any] | None = None, *,
                strict: bool = False) -> Any:
    """One field's value, checked and normalised (see `clean_values`); None for a blank optional one."""
    def fail(message: str):
        raise RecordValueError(kind.label, f.name, message, unsaved if unsaved is not None else {f.name: value})

    if isinstance(value, str) and f.type != "list":
        if not strict and f.type in ("short", "ref", "date", "int"):
            value = value.strip()
        if value.strip() == "":
            value = None
    if value is None:
        if f.required:
            fail(f"{f.label} is required.")
        return None
    cleaner = {"short": _text, "text": _text, "ref": _ref, "int": _whole_number, "date": _date, "list": _list}[f.type]
    return cleaner(f, value, fail, strict)


def _shown(value: Any) -> str:
    """A value for a message, quoted when it is text: short, printable, never a whole long text."""
    return repr(short_id(value)) if isinstance(value, str) else short_id(repr(value))


def _text(f: Field, value: Any, fail, strict: bool) -> str:
    if not isinstance(value, str):
        fail(f"{f.label} must be text, not {_shown(value)}.")
    limit = SHORT_MAX if f.type == "short" else TEXT_MAX
    if len(value) > limit:
        fail(f"{f.label} is {len(value):,} characters long; keep it to {limit:,} or fewer.")
    problem = text_problem(value)
    if problem:
        fail(f"{f.label} cannot be saved as it is: {problem}.")
    if f.choices:
        matches = [choice for choice in f.choices if choice.casefold() == value.casefold()]
        if not matches or (strict and value not in f.choices):
            fail(f"{f.label} must be one of {', '.join(f.choices)}, not {_shown(value)}.")
        return matches[0]
    return value


def _ref(f: Field, value: Any, fail, strict: bool) -> str:
    if not is_record_id(value):
        fail(f"{f.label} must be the id of a {f.ref.replace('_', ' ')} saved in this store, "  # type: ignore[union-attr]
             f"not {_shown(value)}.")
    return value


def _whole_number(f: Field, value: Any, fail, strict: bool) -> int:
    shown = _shown(value)
    if isinstance(value, bool) or (strict and not isinstance(value, int)):
        fail(f"{f.label} must be a whole number, not {shown}.")
    if isinstance(value, float) and not math.isfinite(value):
        fail(f"{f.label} must be a whole number, not {shown}.")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        fail(f"{f.label} must be a whole number, not {shown}.")
    if not isinstance(value, (int, str)) and value != number:
        fail(f"{f.label} must be a whole number, not {shown}.")
    low = INTEGER_MIN if f.low is None else f.low
    high = INTEGER_MAX if f.high is None else f.high
    if not low <= number <= high:
        if f.low is not None and f.high is not None:
            bounds = f"from {low} to {high}"
        else:
            bounds = f"at least {low:,}" if number < low else f"at most {high:,}"
        fail(f"{f.label} must be {bounds}, not {short_id(str(number))}.")
    return number


def _date(f: Field, value: Any, fail, strict: bool) -> date:
    if isinstance(value, datetime) and not strict:
        return value.date()
    if isinstance(value, date) and not isinstance(value, datetime) and not strict:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    fail(f"{f.label} must be a date like 2025-09-15, not {_shown(value)}.")
    raise AssertionError  # fail() raised


def _list(f: Field, value: Any, fail, strict: bool) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        fail(f"{f.label} must be a list of texts, not {_shown(value)}.")
    if len(value) > LIST_MAX:
        fail(f"{f.label} has {len(value)} entries; keep it to {LIST_MAX} or fewer.")
    for number, item in enumerate(value, start=1):
        if len(item) > SHORT_MAX * 10:
            fail(f"entry {number} of {f.label} is {len(item):,} characters long; keep it to {SHORT_MAX * 10:,} or fewer.")
        problem = text_problem(item)
        if problem:
            fail(f"entry {number} of {f.label} cannot be saved as it is: {problem}.")
    if f.required and not value:
        fail(f"{f.label} needs at least one entry.")
    return list(value)
