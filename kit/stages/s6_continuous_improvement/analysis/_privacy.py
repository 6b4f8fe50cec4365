"""The one place stage 6 withholds small groups, so a change of the kit's privacy policy is one edit.

Every series point, verdict figure and report table about students or educators passes through
`withhold` (kit.privacy's one policy: students 10, educators 5 unless the dataset says otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kit.privacy import EDUCATORS, STUDENTS, Unit, as_unit, withheld_words, withhold_small

__all__ = ["EDUCATORS", "STUDENTS", "Unit", "unit_of", "withhold", "withheld_words"]


def unit_of(unit: Unit | str, min_group_size: int | None = None) -> Unit:
    """The privacy unit for `unit` ("students", "educators" or a `Unit`), with a dataset's own threshold.

    >>> unit_of("educators").min_group_size, unit_of("students", 12).min_group_size
    (5, 12)
    """
    base = unit if isinstance(unit, Unit) else (EDUCATORS if unit == "educators" else STUDENTS)
    return base if min_group_size is None else as_unit(min_group_size, base)


def withhold(table: pd.DataFrame, count_column: str, value_columns: Sequence[str], unit: Unit, *,
             by: Sequence[str] = ()) -> pd.DataFrame:
    """Primary and complementary suppression of `table` (see `kit.privacy.withhold_small`).

    >>> table = pd.DataFrame({"window": ["a", "b"], "n": [3, 40], "value": [1.0, 2.0]})
    >>> withhold(table, "n", ["value"], EDUCATORS, by=["window"])["value"].isna().tolist()
    [True, False]
    """
    return withhold_small(table, count_column, unit, value_columns, by=by)
