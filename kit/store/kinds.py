"""What a coach authors, declared as data: one `Kind` per record type, with its fields.

The tables (`kit.store.tables`), the validation and the backup format are all built from these
declarations. Every record also carries the common columns listed in `COMMON_COLUMNS`.

>>> KINDS["goal"].field("what").required
True
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Callable, Mapping

from kit import schema
from kit.standards import RATING_MAX, RATING_MIN

# Field types: short (one line), text (any length), int, date, list (of strings), ref (a record id).
FIELD_TYPES = ("short", "text", "int", "date", "list", "ref")
COMMON_COLUMNS = ("id", "cycle_id", "version", "archived", "created_at", "created_by", "updated_at", "updated_by")


@dataclass(frozen=True)
class Field:
    """One value a coach fills in. `ref` names the kind a `ref` field points to."""

    name: str
    type: str = "short"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    low: int | None = None
    high: int | None = None
    default: object = None

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class Kind:
    """A record type: its name, table, the words for it, its fields, and the field that titles it."""

    name: str
    table: str
    label: str
    fields: tuple[Field, ...]
    title_field: str
    in_cycle: bool = True
    check: Callable[[Mapping[str, object]], str | None] | None = dc_field(default=None, compare=False)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _check_ic_component(values: Mapping[str, object]) -> str | None:
    variations = values.get("variations") or []
    line = values.get("acceptable_line")
    if line is not None and not 1 <= int(line) <= len(variations):  # type: ignore[arg-type]
        return (f"the acceptable line ({line}) must be between 1 and the number of variations "
                f"({len(variations)}), counting from the ideal one.")  # type: ignore[arg-type]
    return None


# How a column of a data table (kit.schema) is kept when a coach types the same thing in an app.
_FIELD_TYPE_OF_COLUMN = {schema.ID: "short", schema.TEXT: "short", schema.CATEGORY: "short",
                         schema.INTEGER: "int", schema.DATE: "date"}


def fields_of_table(table_name: str, *, optional: tuple[str, ...] = ()) -> tuple[Field, ...]:
    """The fields of a kind that records rows of the data table `table_name`, derived from kit.schema:
    the same names, required columns, allowed values and whole-number bounds. `optional` names
    columns the store does not require (records saved before they were required).

    >>> [f.name for f in fields_of_table("observations")][:3]
    ['educator_id', 'date', 'observer_id']
    """
    def bound(value: float | None) -> int | None:
        return None if value is None else int(value)

    return tuple(
        Field(column.name, _FIELD_TYPE_OF_COLUMN[column.kind],
              required=column.required and column.name not in optional, choices=column.allowed,
              low=bound(column.minimum) if column.kind == schema.INTEGER else None,
              high=bound(column.maximum) if column.kind == schema.INTEGER else None)
        for column in schema.table_by_name(table_name).columns)


# In dependency order: a kind only refers to kinds listed before it (backup imports in this order).
_KIND_LIST = (
    Kind("cycle", "cycles", "cycle", in_cycle=False, title_field="name", fields=(
        Field("name", required=True),
        Field("focus", "text"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("status", choices=("planning", "active", "closed"), default="planning"),
    )),
    Kind("goal", "goals", "goal", title_field="what", fields=(
        Field("goal_type", required=True, choices=("student_learning", "educator")),
        Field("what", "text", required=True),
        Field("who", "text"),
        Field("by_when", "date"),
        Field("measure", "text"),
        Field("target", "text"),
        Field("educator_id"),
    )),
    Kind("standard_rating", "standard_ratings", "standards self-assessment rating",
         title_field="standard_id", fields=(
        Field("standard_id", required=True),
        Field("rating", "int", required=True, low=RATING_MIN, high=RATING_MAX),  # kit.standards' scale
        Field("window"),
        Field("rater"),
        Field("note", "text"),
    )),
    Kind("plan", "plans", "learning plan", title_field="title", fields=(
        Field("title", required=True),
        Field("summary", "text"),
    )),
    Kind("plan_link", "plan_links", "learning plan link", title_field="ref", fields=(
        Field("plan_id", "ref", required=True, ref="plan"),
        Field("link_type", required=True, choices=("activity", "standard")),
        Field("ref", required=True),
        Field("note", "text"),
    )),
    Kind("ic_map", "ic_maps", "Innovation Configuration map", title_field="name", fields=(
        Field("name", required=True),
        Field("innovation", "text"),
    )),
    Kind("ic_component", "ic_components", "IC map component", title_field="name",
         check=_check_ic_component, fields=(
        Field("map_id", "ref", required=True, ref="ic_map"),
        Field("name", required=True),
        Field("position", "int", low=0),
        Field("variations", "list", required=True),
        Field("acceptable_line", "int", required=True, low=1),
    )),
    # A walkthrough typed in the app is a row of the data table `observations`, plus a note. The
    # window stays optional: observations saved before it was asked for have none.
    Kind("observation", "observations", "observation", title_field="component", fields=(
        *fields_of_table("observations", optional=("window",)),
        Field("note", "text"),
    )),
    Kind("coaching_session", "coaching_sessions", "coaching session", title_field="focus", fields=(
        Field("educator_id", required=True),
        Field("date", "date", required=True),
        Field("minutes", "int", low=0),
        Field("focus", "text"),
        Field("next_step", "text"),
        Field("component"),                                        # of the practice map worked on
        Field("cycle_model", choices=("impact", "student_centred")),
        Field("student_target", "text"),                           # student-centred: the learning target
        Field("evidence_pre", "text"),                             # student work before ...
        Field("evidence_post", "text"),                            # ... and after
    )),
    Kind("reflection", "reflections", "reflection", title_field="text", fields=(
        Field("stage", "int", required=True, low=0, high=6),
        Field("prompt", "text"),
        Field("text", "text", required=True),
    )),
    Kind("decision", "decisions", "cycle decision", title_field="decision", fields=(
        Field("decision", "text", required=True),
        Field("rationale", "text"),
        Field("decided_on", "date"),
    )),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _KIND_LIST}
