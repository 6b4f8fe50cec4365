"""The one place stage 4 withholds small groups of educators, through the kit's one disclosure
policy (`kit.privacy`), so a change of policy reaches every stage 4 figure at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
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
    """Top- and bottom-code stage 4's educator shares (and means of 0-1 scores) by the kit's one rule
    (`kit.privacy.code_shares`, educators' unit), and withhold shares beside them where a line's total
    would narrow a coded or withheld share below what its coded text says; returns a new table.

    Each share column gets a text column `<column>_text` ("42%", "≥85%", "≤15%"; empty when withheld):
    a share in the coded band shows only its band, and the share column itself (with the columns of
    `counts_with_share`, which would give it away) is then missing. A share's group is the row's
    `educators` (of `figures`, the table before any withholding, when given), or `sizes` (a
    distribution's line total). Line by line (rows sharing `by`, whose total a reader is taken to know),
    the smallest shown row is withheld while a reader who works out the coded and withheld rows from
    the line's total could narrow one of them to a range narrower than its band: no coded share is
    told more closely than its band, no withheld one more closely than a coded one would be.

    >>> table = pd.DataFrame({"window": "fall", "school_id": ["A", "B", "C"], "educators": [20, 20, 40],
    ...                       "at_or_above": [1.0, 0.6, 0.5], "suppressed": False, "note": ""})
    >>> code_edge_shares(table, ["at_or_above"], by=["window"])["at_or_above_text"].tolist()
    ['≥85%', '', '50%']
    """
    unit = _educators(min_educators)
    table = table.reset_index(drop=True).copy()
    figures = table if figures is None else figures.reset_index(drop=True)
    counts = figures["educators"].astype(float).fillna(0).to_numpy()
    size = counts if sizes is None else np.asarray(sizes, dtype=float)
    band = privacy.share_band(np.maximum(size, 1), unit)
    small = table["suppressed"].to_numpy(dtype=bool)
    hidden = small.copy()
    values = {c: figures[c].astype(float).to_numpy() for c in share_columns}
    edge = {c: ~np.isnan(values[c]) & ((values[c] <= band + 1e-9) | (values[c] >= 1 - band - 1e-9))
            for c in share_columns}
    coded = {c: ~hidden & edge[c] for c in share_columns}
    lines = list(table.groupby(list(by), sort=False).indices.values()) if by else [np.arange(len(table))]
    for rows in lines:
        while True:
            narrowed = [c for c in share_columns
                        if _narrowed(rows, np.nan_to_num(values[c]) * size, size, band, coded[c], hidden,
                                     small | edge[c])]
            shown = [rows[~hidden[rows] & ~coded[c][rows]] for c in narrowed]
            shown = [part for part in shown if len(part)]
            if not shown:
                break
            candidates = np.concatenate(shown)
            # The smallest group, sparing one whose coded share another column shows.
            spared = np.logical_or.reduce([coded[c][candidates] for c in share_columns])
            hidden[candidates[np.lexsort((counts[candidates], spared))[0]]] = True
    for column in share_columns:
        code = coded[column] & ~hidden
        texts = privacy.code_shares(table[column].astype(float).mask(hidden), np.maximum(size, 1), unit)["share_text"]
        table[column] = table[column].astype(float).mask(hidden | code)
        table.insert(table.columns.get_loc(column) + 1, f"{column}_text", texts.to_numpy())
    any_coded = np.logical_or.reduce([coded[c] & ~hidden for c in share_columns]) if share_columns else hidden & False
    for column in counts_with_share:
        table[column] = table[column].astype("Int64").mask(hidden | any_coded)
    table["note"] = np.where(hidden, withheld_words(min_educators), table["note"])
    return table


def _narrowed(rows: np.ndarray, sums: np.ndarray, size: np.ndarray, band: np.ndarray, coded: np.ndarray,
              hidden: np.ndarray, guarded: np.ndarray) -> bool:
    """Whether a reader who knows the line's total, its shown rows and the coded rows' bands can narrow
    the sum of a coded row, or of a withheld row that is `guarded` (a small group, or a share in the
    band), to a range narrower than its band (`band * size`). A group withheld only beside others, its
    share away from the edges, may be worked out: it is withheld to protect them, not itself."""
    open_rows = rows[hidden[rows] | coded[rows]]
    if not len(open_rows):
        return False
    width = band[open_rows] * size[open_rows]
    share = sums[open_rows] / np.maximum(size[open_rows], 1e-12)
    top = coded[open_rows] & (share >= 1 - band[open_rows] - 1e-9)
    low = np.where(coded[open_rows], np.where(top, size[open_rows] - width, 0.0), 0.0)
    high = np.where(coded[open_rows], np.where(top, size[open_rows], width), size[open_rows])
    remainder = sums[open_rows].sum()  # the line's total minus its shown rows
    least = np.maximum(low, remainder - (high.sum() - high))
    most = np.minimum(high, remainder - (low.sum() - low))
    return bool(np.any((most - least < width - 1e-9) & (coded[open_rows] | guarded[open_rows])))
