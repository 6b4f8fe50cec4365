"""The one place stage 3 withholds small groups of educators, through kit.privacy's one policy.

Every count, mean, share, effect and interval about fewer than the educator threshold (5 unless
the coach's settings say otherwise) is withheld, together with any other cell of the same line
that would let it be worked out from a shown total (complementary suppression). Every withheld
cell reads alike, so a note never tells which group was the small one.

>>> import pandas as pd
>>> table = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 12, 8], "mean": [0.1, 0.2, 0.3]})
>>> shown = withhold_small_groups(table, "n", ["mean"])
>>> shown["mean"].tolist()[1], shown["suppressed"].tolist()
(0.2, [True, False, True])
>>> shown["note"].tolist()[0]
'withheld to protect groups of fewer than 5 educators'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kit.privacy import (DEFAULT_EDUCATOR_MIN_GROUP_SIZE, EDUCATORS, code_shares, describe_suppressed, share_band,
                         withhold_small)
from kit.privacy import withheld_words as privacy_withheld_words

#: The label of educators whose school, role or design is not in the data: never a group to publish.
NOT_RECORDED = "not recorded"

#: The smallest group of educators a result may describe (DESIGN.md section 5: educators, default 5).
EDUCATOR_MIN_GROUP_SIZE = DEFAULT_EDUCATOR_MIN_GROUP_SIZE


def fewer_than(min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> str:
    """The threshold in words, for guidance text: 'fewer than 5 educators'."""
    return describe_suppressed(EDUCATORS.with_threshold(min_group_size))


def withhold_small_groups(table: pd.DataFrame, count_column: str, value_columns: Sequence[str],
                          min_group_size: int = EDUCATOR_MIN_GROUP_SIZE, *, by: Sequence[str] = (),
                          group_column: str | None = None) -> pd.DataFrame:
    """`table` with every cell about fewer than `min_group_size` educators withheld, and the cells
    that would reveal it. Rows sharing the values of `by` form one line whose total is shown.
    Withheld rows keep their place with `suppressed` True; words in `value_columns` become ''.
    Rows whose `group_column` is NOT_RECORDED are never published (DESIGN.md section 5), so they are
    withheld like a small group, with a partner where needed."""
    numeric = [c for c in value_columns if pd.api.types.is_numeric_dtype(table[c])]
    counts = table[count_column]
    if group_column is not None:
        unpublished = (table[group_column] == NOT_RECORDED).to_numpy()
        table = table.assign(**{count_column: counts.where(~unpublished, counts.clip(upper=min_group_size - 1))})
    shown = withhold_small(table, count_column, EDUCATORS.with_threshold(min_group_size), numeric, by=list(by))
    for column in value_columns:
        if column not in numeric:  # words that describe a withheld result go too
            shown[column] = shown[column].astype(object).mask(shown["suppressed"], "")
    return shown


def code_edge_shares(table: pd.DataFrame, share_columns: Sequence[str], *, figures: pd.DataFrame,
                     count_column: str = "n", by: Sequence[str] = (), withheld_columns: Sequence[str] = (),
                     telling: Mapping[str, Sequence[str]] | None = None,
                     min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Top- and bottom-code educator shares (and means of 0-1 scores) by the kit's one rule
    (`kit.privacy.code_shares`, educators' unit); returns a new table with `<column>_text` beside each
    share column ("42%", "≥85%", "≤15%"; empty when withheld).

    A share in its coded band shows only its band; its number is missing. Line by line (rows sharing
    `by`, whose total a reader is taken to know), the smallest shown row is withheld whole (`suppressed`)
    while a reader who works out the coded and withheld rows from the line's total could narrow one of
    them below its band; its `withheld_columns` go with it (words become ''). `telling` names, per share
    column, the columns that would give a coded share away (a change beside an exact mean before): they
    are missing where it is coded. `figures` is the table before withholding, in the same row order. The same rule
    as stage 4's `code_edge_shares`, which stage 3 cannot import (a later stage).

    >>> figures = pd.DataFrame({"measure": "quiz", "group": ["A", "B", "C"], "n": [20, 20, 40],
    ...                         "share_improved": [1.0, 0.6, 0.5]})
    >>> table = figures.assign(suppressed=False, note="")
    >>> code_edge_shares(table, ["share_improved"], figures=figures, by=["measure"])["share_improved_text"].tolist()
    ['≥85%', '', '50%']
    """
    unit = EDUCATORS.with_threshold(min_group_size)
    table, figures = table.reset_index(drop=True).copy(), figures.reset_index(drop=True)
    size = pd.to_numeric(figures[count_column], errors="coerce").astype(float).fillna(0).to_numpy()
    band = share_band(np.maximum(size, 1), unit)
    small = table["suppressed"].to_numpy(dtype=bool)
    hidden = small.copy()
    values = {c: pd.to_numeric(figures[c], errors="coerce").astype(float).to_numpy() for c in share_columns}
    edge = {c: ~np.isnan(values[c]) & ((values[c] <= band + 1e-9) | (values[c] >= 1 - band - 1e-9))
            for c in share_columns}
    coded = {c: ~small & edge[c] for c in share_columns}
    lines = list(table.groupby(list(by), sort=False).indices.values()) if by else [np.arange(len(table))]
    for rows in lines:
        while True:
            narrowed = [c for c in share_columns if _narrowed(rows, np.nan_to_num(values[c]) * size, size, band,
                                                               coded[c], hidden, small | edge[c])]
            shown = [part for part in (rows[~hidden[rows] & ~coded[c][rows]] for c in narrowed) if len(part)]
            if not shown:
                break
            candidates = np.concatenate(shown)
            spared = np.logical_or.reduce([coded[c][candidates] for c in share_columns])
            hidden[candidates[np.lexsort((size[candidates], spared))[0]]] = True
    for column in share_columns:
        code = coded[column] & ~hidden
        shares = pd.to_numeric(table[column], errors="coerce").astype(float).mask(hidden)
        texts = code_shares(shares, np.maximum(size, 1), unit)["share_text"].to_numpy()
        table[column] = shares.mask(code)
        table.insert(table.columns.get_loc(column) + 1, f"{column}_text", texts)
        for other in (telling or {}).get(column, ()):
            table[other] = table[other].mask(code)
    for column in withheld_columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        table[column] = table[column].mask(hidden) if numeric else table[column].astype(object).mask(hidden, "")
    table["suppressed"] = hidden
    table["note"] = np.where(hidden & ~small, privacy_withheld_words(unit), table["note"])
    return table


def _narrowed(rows: np.ndarray, sums: np.ndarray, size: np.ndarray, band: np.ndarray, coded: np.ndarray,
              hidden: np.ndarray, guarded: np.ndarray) -> bool:
    """Whether a reader who knows the line's total, its shown rows and the coded rows' bands can narrow
    the sum of a coded row, or of a withheld row that is `guarded` (small, or its share in the band), to
    a range narrower than its band (`band * size`)."""
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
