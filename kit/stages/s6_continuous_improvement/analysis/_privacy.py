"""The one place stage 6 withholds small groups, so a change of the kit's privacy policy is one edit.

Every series point, verdict figure and report table about students or educators passes through
`withhold` (kit.privacy's one policy: students 10, educators 5 unless the dataset says otherwise), and
every share it shows through `code_share_column` (kit.privacy's top and bottom coding, same unit).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import numpy as np

from kit.privacy import EDUCATORS, STUDENTS, Unit, as_unit, code_shares, withheld_words, withhold_small

__all__ = ["EDUCATORS", "STUDENTS", "Unit", "code_share_column", "unit_of", "withhold", "withheld_words"]


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


def code_share_column(table: pd.DataFrame, column: str, sizes, unit: Unit, *,
                      reveal: Sequence[str] = ()) -> pd.DataFrame:
    """`table` with `<column>_text` beside the share `column`: the share in words, top- or bottom-coded
    near 0% and 100% by the kit's one rule (`kit.privacy.code_shares`, for groups of `sizes` of `unit`),
    empty where the share is missing. A coded share's number is then missing, and so are the columns
    of `reveal` (counts, changes or intervals that would tell it more closely than its band); returns a
    new table.

    >>> table = pd.DataFrame({"educators": [12, 0], "share": [1.0, 0.0]})
    >>> coded = code_share_column(table, "share", [12, 12], EDUCATORS, reveal=["educators"])
    >>> coded["share_text"].tolist(), coded["educators"].isna().tolist()
    (['≥75%', '≤25%'], [True, True])
    """
    table = table.reset_index(drop=True).copy()
    share = pd.to_numeric(table[column], errors="coerce").astype(float)
    coded = code_shares(share, np.maximum(np.asarray(sizes, dtype=float), 1), unit)
    edge = coded["share_coded"].to_numpy(dtype=bool)
    table[column] = share.mask(edge)
    for other in reveal:
        table[other] = table[other].mask(edge)
    table.insert(table.columns.get_loc(column) + 1, f"{column}_text", coded["share_text"].to_numpy())
    return table
