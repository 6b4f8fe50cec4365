"""The one place stage 4 withholds small groups of educators, through the kit's one disclosure
policy (`kit.privacy`), so a change of policy reaches every stage 4 figure at once."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kit import privacy

#: The smallest group of educators a count, share or mean may describe (`kit.privacy.EDUCATORS`).
MIN_EDUCATORS = privacy.EDUCATORS.min_group_size


def _educators(min_educators: int) -> privacy.Unit:
    return privacy.EDUCATORS.with_threshold(min_educators)


def withheld_words(min_educators: int = MIN_EDUCATORS) -> str:
    """What a withheld cell about educators says; every withheld cell reads alike."""
    return privacy.withheld_words(_educators(min_educators))


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
    return privacy.withhold_small(table, count_column, _educators(min_educators), value_columns, by=by)
