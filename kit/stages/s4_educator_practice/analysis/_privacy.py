"""The one place stage 4 withholds small groups of educators, so a change of policy is one edit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit.analysis.equity import suppress

#: The smallest group of educators a count, share or mean may describe (DESIGN.md section 5).
MIN_EDUCATORS = 5


def withheld_words(min_educators: int = MIN_EDUCATORS) -> str:
    """What a withheld cell about educators says; every withheld cell reads alike."""
    return f"withheld to protect a group of fewer than {min_educators} educators"


def withhold_educators(table: pd.DataFrame, count_column: str, value_columns: Sequence[str] = (), *,
                       by: Sequence[str] = (), min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Withhold every row about fewer than `min_educators` educators, and any row that would let one
    be worked out from the line's total (rows sharing `by`); returns a new table.

    >>> table = pd.DataFrame({"school_id": ["A", "B", "C"], "educators": [3, 12, 9], "fidelity": [.5, .7, .8]})
    >>> withhold_educators(table, "educators", ["fidelity"])["suppressed"].tolist()
    [True, False, True]
    """
    if table.empty:
        return table.assign(suppressed=pd.Series(dtype=bool), note=pd.Series(dtype=object))
    shown = suppress(table, count_column, value_columns, min_educators, by=by)
    shown["note"] = np.where(shown["suppressed"], withheld_words(min_educators), "")
    return shown
