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


def code_edge_shares(table: pd.DataFrame, share_columns: Sequence[str], *, by: Sequence[str],
                     figures: pd.DataFrame | None = None, sizes: Sequence[float] | None = None,
                     counts_with_share: Sequence[str] = (), min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Top- and bottom-code stage 4's educator shares (and means of 0-1 scores) by the kit's one rule,
    with rows withheld beside them (`kit.privacy.code_edge_shares`, educators' unit): a share's group is
    the row's `educators` (of `figures`, the table before any withholding, when given), or `sizes` (a
    distribution's line total); `counts_with_share` go missing with a coded share.

    >>> table = pd.DataFrame({"window": "fall", "school_id": ["A", "B", "C"], "educators": [20, 20, 40],
    ...                       "at_or_above": [1.0, 0.6, 0.5], "suppressed": False, "note": ""})
    >>> code_edge_shares(table, ["at_or_above"], by=["window"])["at_or_above_text"].tolist()
    ['≥85%', '', '50%']
    """
    return privacy.code_edge_shares(table, share_columns, _educators(min_educators), figures=figures,
                                    count_column="educators", sizes=sizes, by=by, counts_with_share=counts_with_share)
