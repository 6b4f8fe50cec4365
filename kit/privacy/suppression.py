"""Suppression of a table of counts: primary cells (too few), then complementary cells until no
withheld cell can be worked out from the shown cells and the totals shown beside them.

Each step is one small function: `primary_suppression`, `complementary_suppression`,
`recoverable_cells`, `suppression_mask`; `withhold_small` applies them to a frame. For figures that
are cut many ways (school x grade x group, with every total), use `kit.privacy.cube`, which decides
once for every view.

>>> import pandas as pd
>>> counts = pd.DataFrame({"group": ["a", "b", "c"], "n": [4, 30, 12], "mean": [1.0, 2.0, 3.0]})
>>> withhold_small(counts, "n", STUDENTS, ["mean"])[["group", "n", "mean", "suppressed"]]
  group     n  mean  suppressed
0     a  <NA>   NaN        True
1     b    30   2.0       False
2     c  <NA>   NaN        True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .policy import DEFAULT_MIN_GROUP_SIZE, STUDENTS, Unit, as_unit, withheld_words


def primary_suppression(counts: Sequence[int] | np.ndarray, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> np.ndarray:
    """Cells about fewer than `min_group_size` students (zero included) are withheld.

    >>> primary_suppression([3, 10, 25]).tolist()
    [True, False, False]
    """
    return np.asarray(counts, dtype=float) < min_group_size


def _line_ids(table: pd.DataFrame, lines: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """For each family of lines, the line number of every row (rows with equal values share a line)."""
    ids = []
    for columns in lines:
        if columns:
            ids.append(table.groupby(list(columns), sort=False, observed=True, dropna=False).ngroup().to_numpy())
        else:
            ids.append(np.zeros(len(table), dtype=int))
    return ids


def complementary_suppression(counts, withheld, line_ids: Sequence[np.ndarray],
                              min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> np.ndarray:
    """Withhold more cells until, in every line whose total is shown, the withheld cells are none,
    or at least two that together hold at least `min_group_size` students; each time the smallest
    shown cell of the line is added. A line left with every cell withheld is as safe as it can be
    (its total must then be withheld by whoever shows it, if under the threshold).

    >>> complementary_suppression([3, 40, 12], [True, False, False], [np.zeros(3, dtype=int)]).tolist()
    [True, False, True]
    """
    counts = np.asarray(counts, dtype=float)
    withheld = np.array(withheld, dtype=bool)
    changed = True
    while changed:
        changed = False
        for ids in line_ids:
            for line in np.unique(ids[withheld]):
                members = np.flatnonzero(ids == line)
                hidden = members[withheld[members]]
                shown = members[~withheld[members]]
                if len(shown) and (len(hidden) == 1 or counts[hidden].sum() < min_group_size):
                    withheld[shown[np.argmin(counts[shown])]] = True
                    changed = True
    return withheld


def recoverable_cells(counts, withheld, line_ids: Sequence[np.ndarray]) -> np.ndarray:
    """Withheld cells whose value someone could work out from the shown cells and the line totals,
    knowing that no count is below zero.

    With one family of lines, a withheld cell is exposed when it is alone in its line, or when its
    line's withheld cells hold no student at all. With row and column totals (two families) the
    lines' sums are solved together, as an attacker would: a cell is exposed when its smallest and
    largest possible values (linear programming) leave only one whole number.

    >>> one_way = [np.zeros(3, dtype=int)]
    >>> recoverable_cells([4, 30, 12], [True, False, False], one_way).tolist()
    [True, False, False]
    >>> recoverable_cells([4, 30, 12], [True, False, True], one_way).tolist()
    [False, False, False]
    """
    counts = np.asarray(counts, dtype=float)
    withheld = np.asarray(withheld, dtype=bool)
    result = np.zeros(len(withheld), dtype=bool)
    hidden = np.flatnonzero(withheld)
    if not len(hidden):
        return result
    if len(line_ids) == 1:
        lines = pd.DataFrame({"line": line_ids[0][hidden], "n": counts[hidden]})
        per_line = lines.groupby("line")["n"].agg(["size", "sum"])
        exposed = (per_line["size"] == 1) | (per_line["sum"] == 0)
        result[hidden] = lines["line"].map(exposed).to_numpy(dtype=bool)
        return result
    return _recoverable_by_programming(counts, hidden, line_ids, result)


def _recoverable_by_programming(counts, hidden, line_ids, result) -> np.ndarray:
    from scipy.optimize import linprog

    equations, totals = [], []
    for ids in line_ids:
        for line in np.unique(ids[hidden]):
            members = ids[hidden] == line
            equations.append(members.astype(float))
            totals.append(counts[hidden][members].sum())
    equations, totals = np.vstack(equations), np.asarray(totals)
    truth = counts[hidden]

    def solve(objective):
        found = linprog(objective, A_eq=equations, b_eq=totals, bounds=(0, None), method="highs")
        return found.x if found.status == 0 else None

    # Cheap first pass: any solution that moves a cell away from its true value shows it is not exposed.
    free = np.zeros(len(hidden), dtype=bool)
    rng = np.random.default_rng(0)
    for _ in range(3):
        direction = rng.normal(size=len(hidden))
        for sign in (1, -1):
            solution = solve(sign * direction)
            if solution is not None:
                free |= np.abs(solution - truth) > 0.5
    for position in np.flatnonzero(~free):  # the rest: smallest and largest possible value, exactly
        objective = np.zeros(len(hidden))
        objective[position] = 1
        low, high = solve(objective), solve(-objective)
        if low is None or high is None or np.floor(high[position] + 1e-6) <= np.ceil(low[position] - 1e-6):
            result[hidden[position]] = True
    return result


def _smallest_partner(counts, withheld, exposed, line_ids) -> int | None:
    """The smallest shown cell sharing a line with an exposed cell (first family of lines first)."""
    for cell in np.flatnonzero(exposed):
        for ids in line_ids:
            partners = np.flatnonzero((ids == ids[cell]) & ~withheld)
            if len(partners):
                return int(partners[np.argmin(counts[partners])])
    return None


def suppression_mask(counts, line_ids: Sequence[np.ndarray], min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
                     forced=None) -> tuple[np.ndarray, np.ndarray]:
    """(withheld, primary): the primary cells (and the `forced` ones), then complementary cells until
    no withheld cell can be recovered from the shown cells and the line totals."""
    counts = np.asarray(counts, dtype=float)
    primary = primary_suppression(counts, min_group_size)
    if forced is not None:
        primary = primary | np.asarray(forced, dtype=bool)
    withheld = complementary_suppression(counts, primary, line_ids, min_group_size)
    exposed = recoverable_cells(counts, withheld, line_ids)
    while exposed.any():
        partner = _smallest_partner(counts, withheld, exposed, line_ids)
        if partner is None:
            break  # every line of every exposed cell is withheld already: only the totals could tell
        withheld[partner] = True
        withheld = complementary_suppression(counts, withheld, line_ids, min_group_size)
        exposed = recoverable_cells(counts, withheld, line_ids)
    return withheld, primary


def withhold_small(frame: pd.DataFrame, count_column: str, unit: Unit | int | None = STUDENTS,
                   value_columns: Sequence[str] = (), *, by: Sequence[str] = (),
                   lines: Sequence[Sequence[str]] | None = None, forced=None) -> pd.DataFrame:
    """Withhold every row about fewer than `unit.min_group_size` people (and every row `forced` marks:
    a figure another view withholds), and every other row that would let one be worked out from the
    totals; returns a new frame.

    Each row is a cell about `count_column` people. Rows sharing the values of `by` form a line whose
    total is taken to be shown somewhere (one line for the whole frame when `by` is empty); for a
    two-way table give `lines`, e.g. `[["school_id"], ["group"]]`. Withheld rows keep their place:
    the count and `value_columns` become missing, `suppressed` is True and `note` is
    `withheld_words(unit)`, the same for every withheld row. See the module's example.
    """
    unit = as_unit(unit)
    lines = [list(by)] if lines is None else [list(columns) for columns in lines]
    result = frame.reset_index(drop=True).copy()
    withheld, _ = suppression_mask(result[count_column].fillna(0).to_numpy(dtype=float),
                                   _line_ids(result, lines), unit.min_group_size, forced)
    result[count_column] = result[count_column].astype("Int64").mask(withheld)
    for column in value_columns:
        result[column] = result[column].astype(float).mask(withheld)
    result["suppressed"] = withheld
    result["note"] = np.where(withheld, withheld_words(unit), "")
    return result
