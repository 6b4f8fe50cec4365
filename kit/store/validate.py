"""Checking and normalising the values a coach typed, before they are saved."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from kit.store.errors import RecordValueError
from kit.store.kinds import Field, Kind

SHORT_MAX = 200


def clean_values(kind: Kind, values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """`values` checked against `kind` and normalised (blank text -> None, "12" -> 12, ISO text -> date).

    With `partial`, only the given fields are checked (an update); otherwise every required
    field must be there (a new record). Raises `RecordValueError` keeping `values` as unsaved.
    """
    unknown = sorted(set(values) - set(kind.field_names))
    if unknown:
        raise RecordValueError(kind.label, unknown[0], f"it has no field called {unknown[0]!r} "
                               f"(its fields are: {', '.join(kind.field_names)}).", values)
    cleaned = {}
    for f in kind.fields:
        if f.name not in values and (partial or f.default is None):
            if not partial and f.required:
                raise RecordValueError(kind.label, f.name, f"{f.label} is required.", values)
            continue
        cleaned[f.name] = _clean(kind, f, values.get(f.name, f.default), values)
    if kind.check is not None:
        problem = kind.check(cleaned) if not partial else None
        if problem:
            raise RecordValueError(kind.label, "", problem, values)
    return cleaned


def _clean(kind: Kind, f: Field, value: Any, values: Mapping[str, Any]) -> Any:
    def fail(message: str):
        raise RecordValueError(kind.label, f.name, message, values)

    if isinstance(value, str) and f.type != "list":
        value = value.strip() if f.type in ("short", "ref", "date", "int") else value
        if value.strip() == "":
            value = None
    if value is None:
        if f.required:
            fail(f"{f.label} is required.")
        return None
    if f.type in ("short", "text", "ref"):
        if not isinstance(value, str):
            fail(f"{f.label} must be text, not {value!r}.")
        if f.type == "short" and len(value) > SHORT_MAX:
            fail(f"{f.label} is {len(value)} characters long; keep it to {SHORT_MAX} or fewer.")
        if f.choices and value not in f.choices:
            fail(f"{f.label} must be one of {', '.join(f.choices)}, not {value!r}.")
        return value
    if f.type == "int":
        try:
            number = int(value)
        except (TypeError, ValueError):
            fail(f"{f.label} must be a whole number, not {value!r}.")
        if isinstance(value, float) and value != number or isinstance(value, bool):
            fail(f"{f.label} must be a whole number, not {value!r}.")
        if (f.low is not None and number < f.low) or (f.high is not None and number > f.high):
            bounds = f"at least {f.low}" if f.high is None else f"from {f.low} to {f.high}"
            fail(f"{f.label} must be {bounds}, not {number}.")
        return number
    if f.type == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            fail(f"{f.label} must be a date like 2025-09-15, not {value!r}.")
    if f.type == "list":
        if isinstance(value, str) or not all(isinstance(item, str) for item in value):
            fail(f"{f.label} must be a list of texts, not {value!r}.")
        items = [item for item in value]
        if f.required and not items:
            fail(f"{f.label} needs at least one entry.")
        return items
    raise AssertionError(f"unknown field type {f.type}")  # a declaration error, not coach input
