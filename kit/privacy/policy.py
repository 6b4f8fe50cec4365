"""The disclosure policy: who a figure is about, how few is too few, and the words for a withheld value.

One `Unit` per kind of person a figure counts (students, educators). Every count, mean, share, effect
and interval about fewer than `unit.min_group_size` of them is withheld, and every withheld value
reads the same (`withheld_words`), whether it is small itself or withheld to protect a small one:
different words would tell a reader which cells are the small ones.

>>> withheld_words(STUDENTS)
'withheld to protect groups of fewer than 10 students'
>>> withheld_words(EDUCATORS.with_threshold(3))
'withheld to protect groups of fewer than 3 educators'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kit.errors import KitError

#: FERPA practice (NCES 2011-603): no reported cell may describe fewer than 10 students.
DEFAULT_MIN_GROUP_SIZE = 10
#: Educators are fewer and better known to each other, but a figure about a handful is still about persons.
DEFAULT_EDUCATOR_MIN_GROUP_SIZE = 5
#: A share is shown exactly only when at least this many members are on each side of it (see `share_coding`).
DEFAULT_OUTCOME_COVER = 3


class PrivacySettingError(KitError):
    """A privacy setting that cannot be used (a threshold that is not a whole number of at least 1)."""


@dataclass(frozen=True)
class Unit:
    """The people a figure counts: `name` ("student"), `plural` ("students"), the smallest group a
    figure may describe (`min_group_size`) and how many members a top- or bottom-coded share must
    leave in doubt (`outcome_cover`).

    >>> STUDENTS.with_threshold(11).min_group_size
    11
    """

    name: str
    plural: str
    min_group_size: int
    outcome_cover: int = DEFAULT_OUTCOME_COVER

    def __post_init__(self):
        for label, value in (("smallest group", self.min_group_size), ("share cover", self.outcome_cover)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise PrivacySettingError(
                    f"The {label} for {self.plural} must be a whole number of at least 1, not {value!r}.")

    def with_threshold(self, min_group_size: int) -> Unit:
        """The same unit with another threshold (a district's own rule)."""
        return replace(self, min_group_size=_whole(min_group_size, self.plural))

    def count(self, n: int) -> str:
        """`n` people in words: "1 student", "12 students"."""
        return f"{n:,} {self.name if n == 1 else self.plural}"


def _whole(value, plural: str) -> int:
    try:
        import numpy as np

        if isinstance(value, np.integer):
            value = int(value)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PrivacySettingError(f"The smallest group for {plural} must be a whole number of at least 1, not {value!r}.")
    return value


STUDENTS = Unit("student", "students", DEFAULT_MIN_GROUP_SIZE)
EDUCATORS = Unit("educator", "educators", DEFAULT_EDUCATOR_MIN_GROUP_SIZE)


def as_unit(unit: Unit | int | None = None, default: Unit = STUDENTS) -> Unit:
    """A `Unit` from a unit, a bare threshold (the older `min_group_size=` arguments) or None.

    >>> as_unit(12).min_group_size, as_unit(None, EDUCATORS).plural
    (12, 'educators')
    """
    if unit is None:
        return default
    if isinstance(unit, Unit):
        return unit
    return default.with_threshold(unit)


def withheld_words(unit: Unit | int | None = STUDENTS) -> str:
    """The one note every withheld value carries, for every reason it is withheld."""
    unit = as_unit(unit)
    return f"withheld to protect groups of fewer than {unit.min_group_size} {unit.plural}"


def describe_suppressed(min_group_size: int | Unit = DEFAULT_MIN_GROUP_SIZE, unit: Unit | None = None) -> str:
    """The threshold in words, for guidance text ("groups of fewer than 10 students are withheld").

    >>> describe_suppressed(10), describe_suppressed(EDUCATORS)
    ('fewer than 10 students', 'fewer than 5 educators')
    """
    chosen = as_unit(min_group_size, unit or STUDENTS)
    return f"fewer than {chosen.min_group_size} {chosen.plural}"
