"""Put window labels ("2024-25 fall", "pre", "K", "2025-03-01") in the order they happened.

Every stage that compares windows orders them here, so they always read the same way, whatever the
order of the rows in the coach's file:

>>> order_windows(["2025-26 spring", "2024-25 winter", "2025-26 fall", "2024-25 fall"])
['2024-25 fall', '2024-25 winter', '2025-26 fall', '2025-26 spring']
>>> order_windows(["post", "pre"])
['pre', 'post']
>>> order_windows(["1", "2", "3", "K"])            # grades used as time points
['K', '1', '2', '3']
>>> order_windows(["Unit 3", "Unit 1"])   # nothing to go by: first appearance
['Unit 3', 'Unit 1']

When a coach has set the order themselves, pass it: `order_windows(labels, order=[...])`. A column
that is an ordered categorical (the loader makes one when the coach saved an order) keeps its order.
`guess_window_order(labels)` also says what the order rests on and whether it is only a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

#: Words that place a window within a year, earliest first (a label may use any of them).
SEASON_ORDER = {
    "pre": 0, "baseline": 0, "beginning": 0, "boy": 0,
    "fall": 1, "autumn": 1,
    "mid": 2, "middle": 2, "moy": 2, "winter": 2,
    "spring": 3, "end": 4, "eoy": 4, "post": 4,
    "summer": 5,
}
#: Grades in school order; a window may be a grade when each year is one grade.
GRADE_ORDER = {"pk": -2, "prek": -2, "pre_k": -2, "tk": -1.5, "k": -1, "kg": -1, "kindergarten": -1}
_TERM_WORDS = {"term": 0, "t": 0, "semester": 0, "sem": 0, "s": 0, "quarter": 0, "q": 0, "trimester": 0,
               "tri": 0}

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SCHOOL_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-/]\s*(?:\d{2}|\d{4})(?!\d)")
#: Seasons that fall in the second calendar year of a school year ("Spring 2025" is 2024-25 spring).
_LATE_SEASONS = {2, 3, 5}
_WORD = re.compile(r"[a-z]+")
_DATE_ISO = re.compile(r"^\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\s*$")
_DATE_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\s*$")
_GRADE = re.compile(r"^\s*(?:grade|gr|g|year|yr)?\s*[-_ ]?\s*(pk|pre[-_ ]?k|tk|kg|kindergarten|k|\d{1,2})"
                    r"\s*(?:st|nd|rd|th)?\s*(?:grade)?\s*$")
_TERM = re.compile(r"(?<![a-z])(term|t|semester|sem|s|quarter|q|trimester|tri)\s*[-_ ]?\s*(\d{1,2})(?!\d)")

#: What an order rests on, in the words the app shows.
BY_YOUR_ORDER = "the order you set"
BY_GRADES = "grades (PK, K, 1 to 12)"
BY_DATES = "dates"
BY_YEARS_AND_SEASONS = "school years, seasons and terms"
BY_FIRST_APPEARANCE = "the order in which they first appear in your file"


def _date_key(text: str) -> tuple[int, float] | None:
    iso, us = _DATE_ISO.match(text), _DATE_US.match(text)
    if not (iso or us):
        return None
    year, month, day = ((int(iso.group(1)), int(iso.group(2)), int(iso.group(3))) if iso
                        else (int(us.group(3)), int(us.group(1)), int(us.group(2))))
    try:
        day_of_year = pd.Timestamp(year=year, month=month, day=day).day_of_year
    except ValueError:
        return None
    return year, 1000 + day_of_year


def _grade_place(text: str) -> float | None:
    found = _GRADE.match(text)
    if not found:
        return None
    grade = re.sub(r"[-_ ]", "", found.group(1))
    if grade.isdigit():
        return float(grade) if int(grade) <= 12 else None
    return float(GRADE_ORDER.get(grade, GRADE_ORDER.get(found.group(1))))


def grade_of(label: str) -> str | None:
    """The grade a window label names, as the schema writes grades (PK, K, 1 to 12), or None.

    >>> grade_of("Grade 3"), grade_of("Kindergarten"), grade_of("2024-25 fall")
    ('3', 'K', None)
    """
    place = _grade_place(str(label).strip().lower())
    if place is None or place == GRADE_ORDER["tk"]:
        return None
    return {-2: "PK", -1: "K"}.get(int(place), str(int(place)))


def _basis(label: str) -> str | None:
    """What a label's place in time is read from, or None when it gives nothing."""
    text = str(label).strip().lower()
    if _date_key(text):
        return BY_DATES
    if _grade_place(text) is not None:
        return BY_GRADES
    words = _WORD.findall(text)
    if _YEAR.search(text) or _TERM.search(text) or any(word in SEASON_ORDER for word in words):
        return BY_YEARS_AND_SEASONS
    return None


def window_key(label: str) -> tuple[int, float] | None:
    """(year, place in the year) read from a label, or None when the label gives neither.

    A missing year counts as 0 and a missing season as -1, so "2024-25" sorts before "2024-25 fall";
    a term number places a window after its season ("2024-25 fall term 2" after "... term 1"), a grade
    counts as its number (PK -2, K -1), and a date as its day of the year.

    >>> window_key("2024-25 winter"), window_key("post"), window_key("Unit 1")
    ((2024, 2), (0, 4), None)
    >>> window_key("K"), window_key("Grade 3"), window_key("2025-03-01")
    ((0, 99.0), (0, 103.0), (2025, 1060))
    """
    text = str(label).strip().lower()
    date = _date_key(text)
    if date:
        return date
    grade = _grade_place(text)
    if grade is not None:
        return 0, 100 + grade
    year = _YEAR.search(text)
    season = next((SEASON_ORDER[word] for word in _WORD.findall(text) if word in SEASON_ORDER), None)
    term = _TERM.search(text)
    if year is None and season is None and term is None:
        return None
    place = -1 if season is None else season
    if term:
        place = (0 if season is None else place) + int(term.group(2)) / 100
    start = int(year.group(1)) if year else 0
    if year and season in _LATE_SEASONS and not _SCHOOL_YEAR.search(text):
        start -= 1  # a calendar year: spring 2025 belongs to the school year that began in 2024
    return start, place


@dataclass(frozen=True)
class WindowOrder:
    """An order of windows, what it rests on, and whether it is only the kit's guess.

    >>> guess_window_order(["2", "K", "1"]).explanation
    'Windows ordered by grades (PK, K, 1 to 12): K, 1, 2.'
    """

    labels: tuple[str, ...]
    basis: str
    guessed: bool

    @property
    def explanation(self) -> str:
        """The order in words, saying plainly when the kit could only guess it."""
        shown = ", ".join(self.labels)
        if self.basis == BY_YOUR_ORDER:
            return f"Windows in the order you set: {shown}."
        if self.guessed:
            return (f"The kit could not tell the order of the windows, so it took {self.basis}: {shown}. "
                    "Check it and set the order if it is wrong.")
        return f"Windows ordered by {self.basis}: {shown}."


def _distinct(labels: Iterable) -> list[str]:
    if isinstance(labels, (pd.Series, pd.Index)):
        labels = pd.unique(labels.dropna().astype(object))  # distinct first: a column may have a million rows
    return list(dict.fromkeys(str(label) for label in labels if label is not None and label == label))


def guess_window_order(labels: Iterable) -> WindowOrder:
    """The distinct labels in time order, with what the order rests on.

    Grades, dates, school years, seasons and terms are ordered by what they say; when any label gives
    nothing to go by (or labels mix kinds, grades with dates), every label keeps the order in which it
    first appears, and the order is marked as a guess.
    """
    distinct = _distinct(labels)
    bases = {_basis(label) for label in distinct}
    if not distinct or None in bases or len(bases) > 1:
        return WindowOrder(tuple(distinct), BY_FIRST_APPEARANCE, guessed=len(distinct) > 1)
    position = {label: index for index, label in enumerate(distinct)}
    ordered = sorted(distinct, key=lambda label: (window_key(label), position[label]))
    return WindowOrder(tuple(ordered), bases.pop(), guessed=False)


def order_with(labels: Iterable, order: Sequence[str]) -> WindowOrder:
    """The distinct labels in the coach's `order`; labels the order does not name follow in the
    kit's guessed order (and the whole is then marked as a guess)."""
    distinct = _distinct(labels)
    named = [label for label in order if label in set(distinct)]
    rest = [label for label in guess_window_order(distinct).labels if label not in set(named)]
    return WindowOrder(tuple(named + rest), BY_YOUR_ORDER if not rest else BY_FIRST_APPEARANCE, guessed=bool(rest))


def order_windows(labels: Iterable, order: Sequence[str] | None = None) -> list[str]:
    """The distinct labels in time order: the coach's `order` when given, the categories of an
    ordered categorical column as they stand, else the kit's reading of the labels (by grade, date,
    year, season and term; first appearance when a label gives nothing to go by)."""
    if order:
        return list(order_with(labels, order).labels)
    dtype = getattr(labels, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        present = set(_distinct(labels))
        return [str(label) for label in dtype.categories if str(label) in present]
    return list(guess_window_order(labels).labels)
