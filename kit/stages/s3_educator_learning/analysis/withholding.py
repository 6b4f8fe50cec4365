"""The one place stage 3 withholds small groups of educators.

Every count, mean, share, effect and interval about fewer than the educator threshold (5 unless
the coach's settings say otherwise) is withheld, together with any other cell of the same line
that would let it be worked out from a shown total (complementary suppression, through
`kit.analysis.equity.suppress`). When kit.privacy offers one policy for every unit, this module
is the single edit that switches to it.

>>> import pandas as pd
>>> table = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 12, 8], "mean": [0.1, 0.2, 0.3]})
>>> shown = withhold_small_groups(table, "n", ["mean"])
>>> shown["mean"].tolist()[1], shown["suppressed"].tolist()
(0.2, [True, False, True])
>>> shown["note"].tolist()[0]
'fewer than 5 educators'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit.analysis import equity

#: The smallest group of educators a result may describe (DESIGN.md section 5: educators, default 5).
EDUCATOR_MIN_GROUP_SIZE = 5


def fewer_than(min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> str:
    """The words shown in place of a result about too few educators."""
    return f"fewer than {min_group_size} educators"


def withhold_small_groups(table: pd.DataFrame, count_column: str, value_columns: Sequence[str],
                          min_group_size: int = EDUCATOR_MIN_GROUP_SIZE, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """`table` with every cell about fewer than `min_group_size` educators withheld, and the cells
    that would reveal it. Rows sharing the values of `by` form one line whose total is shown.
    Withheld rows keep their place with `suppressed` True and a `note` about educators."""
    numeric = [c for c in value_columns if pd.api.types.is_numeric_dtype(table[c])]
    shown = equity.suppress(table, count_column, numeric, min_group_size, by=list(by))
    primary = shown["note"] == equity.describe_suppressed(min_group_size)
    shown["note"] = np.where(primary, fewer_than(min_group_size),
                             np.where(shown["suppressed"],
                                      f"withheld so that a group of {fewer_than(min_group_size)} cannot be worked out", ""))
    for column in value_columns:
        if column not in numeric:  # words that describe a withheld result go too
            shown[column] = shown[column].astype(object).mask(shown["suppressed"], "")
    return shown
