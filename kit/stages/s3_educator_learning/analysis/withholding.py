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

import pandas as pd

from kit.privacy import DEFAULT_EDUCATOR_MIN_GROUP_SIZE, EDUCATORS, describe_suppressed, withhold_small
from kit.privacy import code_edge_shares as privacy_code_edge_shares

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
    """Top- and bottom-code educator shares (and means of 0-1 scores) by the kit's one rule, with rows
    withheld beside them (`kit.privacy.code_edge_shares`, educators' unit): `figures` is the table
    before withholding, `telling` the columns that would give a coded share away, `withheld_columns`
    those that go with a withheld row.

    >>> figures = pd.DataFrame({"measure": "quiz", "group": ["A", "B", "C"], "n": [20, 20, 40],
    ...                         "share_improved": [1.0, 0.6, 0.5]})
    >>> table = figures.assign(suppressed=False, note="")
    >>> code_edge_shares(table, ["share_improved"], figures=figures, by=["measure"])["share_improved_text"].tolist()
    ['≥85%', '', '50%']
    """
    return privacy_code_edge_shares(table, share_columns, EDUCATORS.with_threshold(min_group_size), figures=figures,
                                    count_column=count_column, by=by, telling=telling,
                                    withheld_columns=withheld_columns)
