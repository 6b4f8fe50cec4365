"""The one place stage 5 withholds small groups, so a change of the kit's privacy policy is one edit.

Students and educators each have their own threshold (DESIGN.md section 5: students 10,
educators 5); the dataset may set the students' one. Every table this stage shows about students
or educators passes through `withhold`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kit import privacy
from kit.analysis import equity

STUDENTS, EDUCATORS = "students", "educators"
#: Educators have their own, smaller threshold (DESIGN.md section 5), unless the policy sets one.
DEFAULT_MIN_EDUCATORS = 5


def threshold(unit: str, min_group_size: int | None = None) -> int:
    """The smallest group of `unit` a shown value may describe.

    >>> threshold("students"), threshold("educators"), threshold("students", 20)
    (10, 5, 20)
    """
    if min_group_size is not None:
        return int(min_group_size)
    if unit == EDUCATORS:
        return int(getattr(privacy, "DEFAULT_MIN_EDUCATORS", DEFAULT_MIN_EDUCATORS))
    return int(privacy.DEFAULT_MIN_GROUP_SIZE)


def withheld_words(unit: str, min_group_size: int | None = None) -> str:
    """What every withheld cell says; all read alike, so the note never tells which cells are small.

    >>> withheld_words("educators")
    'withheld: fewer than 5 educators, or a value that would reveal such a group'
    """
    return f"withheld: fewer than {threshold(unit, min_group_size)} {unit}, or a value that would reveal such a group"


def withhold(table: pd.DataFrame, count_column: str, value_columns: Sequence[str], *, unit: str = STUDENTS,
             min_group_size: int | None = None, by: Sequence[str] = (),
             lines: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
    """Primary and complementary suppression of a table of counts (see `kit.analysis.equity.suppress`);
    rows keep their place, values about a small group become missing, `suppressed` is True and every
    withheld row's `note` reads the same (`withheld_words`).

    >>> table = pd.DataFrame({"level": ["a", "b", "c"], "n": [3, 40, 25], "mean": [1.0, 2.0, 3.0]})
    >>> withhold(table, "n", ["mean"], unit="educators")["suppressed"].tolist()
    [True, False, True]
    """
    size = threshold(unit, min_group_size)
    shown = equity.suppress(table, count_column, value_columns, size, by=by, lines=lines)
    shown["note"] = shown["suppressed"].map({True: withheld_words(unit, size), False: ""})
    return shown
