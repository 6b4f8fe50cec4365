"""Top and bottom coding of shares: a share at or near 0% or 100% tells every member their outcome.

"0% proficient" in a group of 12 tells each family the result of each of the 12. NCES's SLDS Technical
Brief 3 (NCES 2011-603) reviews state practice and recommends coding such shares by fixed bands of
group size (for example at least 300 students: "<=1%" and ">=99%"). Fixed bands leave the protection
uneven: at 100 students a 2% band covers 2 students, at 299 it covers 5. The kit codes by the number
of members the band leaves in doubt instead:

    a share of a group of n is shown exactly only when it lies strictly between X% and (100 - X)%,
    where X is the smallest whole percent that covers at least `unit.outcome_cover` members
    (X = ceil(100 * cover / n)); otherwise it reads "<=X%" or ">=(100 - X)%".

So a coded share is consistent with 0, 1, ..., cover (or more) members meeting the bar, and a reader
cannot tell which. With the default cover of 3 students this gives the brief's 1% at 300 students,
and a wider band than the brief's for small groups (where it matters most).

>>> code_share(0.0, 12)
'≤25%'
>>> code_share(0.5, 12), code_share(1.0, 400), code_share(0.996, 400)
('50%', '≥99%', '≥99%')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .policy import STUDENTS, Unit, as_unit, withheld_words

#: The marks a coded share's text starts with ("≤8%", "≥97%"); `is_coded_text` reads them back.
AT_MOST, AT_LEAST = "≤", "≥"


def share_band(n, unit: Unit | int | None = STUDENTS) -> np.ndarray:
    """X for each group size `n`, as a fraction: the width of the bottom (and top) band.

    >>> share_band([12, 40, 100, 300]).tolist()
    [0.25, 0.08, 0.03, 0.01]
    """
    unit = as_unit(unit)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.ceil(np.round(100 * unit.outcome_cover / n, 9))
    return np.clip(np.nan_to_num(percent, nan=50.0, posinf=50.0), 0, 50) / 100


def _in_band(share: np.ndarray, band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bottom, top): which shares lie in their bottom or top band (false for a missing share)."""
    tolerance = 1e-9  # shares come from division: 0.97 may be 0.9699999999
    with np.errstate(invalid="ignore"):
        return share <= band + tolerance, share >= 1 - band - tolerance


def code_shares(shares, counts, unit: Unit | int | None = STUDENTS) -> pd.DataFrame:
    """Top- and bottom-coded shares, one row per share: `share_shown` (the share, or the edge of its
    band when coded), `share_text` ("42%", "≤3%", "≥97%"; empty when the share is missing) and
    `share_coded`. Missing shares (withheld groups) stay missing.

    >>> code_shares([0.0, 0.5, 0.99], [40, 40, 400])["share_text"].tolist()
    ['≤8%', '50%', '≥99%']
    """
    share = np.asarray(pd.to_numeric(pd.Series(shares), errors="coerce"), dtype=float)
    band = share_band(counts, unit)
    low, high = _in_band(share, band)
    shown = np.where(low, band, np.where(high, 1 - band, share))
    texts = np.where(np.isnan(share), "", np.where(
        low, [f"{AT_MOST}{b:.0%}" for b in band], np.where(high, [f"{AT_LEAST}{1 - b:.0%}" for b in band],
                                                     [f"{s:.0%}" if not np.isnan(s) else "" for s in share])))
    return pd.DataFrame({"share_shown": np.where(np.isnan(share), np.nan, shown), "share_text": texts,
                         "share_coded": (low | high) & ~np.isnan(share)})


def is_coded_text(texts) -> np.ndarray:
    """Which shown texts are coded shares (written by `code_shares`): a table that keeps only the text
    (a report, a sentence) tells from it that the share's number and count are not to be shown.

    >>> is_coded_text(["≥75%", "40%", "", None]).tolist()
    [True, False, False, False]
    """
    return np.array([isinstance(t, str) and t.startswith((AT_MOST, AT_LEAST)) for t in texts], dtype=bool)


def code_share(share: float, n: int, unit: Unit | int | None = STUDENTS) -> str:
    """One share as it may be shown (see the module's rule)."""
    return str(code_shares([share], [n], unit)["share_text"].iloc[0])


def code_edge_shares(table: pd.DataFrame, share_columns: Sequence[str], unit: Unit | int | None, *,
                     figures: pd.DataFrame | None = None, count_column: str = "n", sizes: Sequence[float] | None = None,
                     by: Sequence[str] = (), lines: Sequence[Sequence[int]] = (), line_totals: Sequence[int] = (),
                     unpublished=None,
                     bounded_by_total: bool = False, telling: Mapping[str, Sequence[str]] | None = None,
                     counts_with_share: Sequence[str] = (), withheld_columns: Sequence[str] = ()) -> pd.DataFrame:
    """Code a table's shares (and means of 0-1 scores) near 0% and 100% by `code_shares`, and withhold
    rows beside them where a line's total would tell a coded or withheld share more closely than its
    band; returns a new table with `<column>_text` beside each share column ("42%", "≥85%"; '' when withheld).

    A share in its coded band shows only its band; its number is missing, with the columns `telling`
    names for it (a change beside an exact mean) and, for any coded share of the row, the columns of
    `counts_with_share` (a count that would give the share away). A share's group is the row's
    `count_column` in `figures` (the table before withholding, same row order; default `table`), or
    `sizes` (a distribution's line totals). Line by line (rows sharing `by`, whose total a reader knows),
    the smallest shown row is withheld whole (`suppressed`, with its `withheld_columns`) while a reader
    who works the coded and withheld rows out of the line's total could narrow one of them to a range
    narrower than its band. A row withheld only beside others, its share away from the edges, may be
    worked out: it is withheld to protect them, not itself. `lines` adds lines of row positions (a group
    across schools), each with the row that shows its total in `line_totals` (the district's row: the
    total is known as that row is shown, exactly, to its band, or not at all); lines that cross are also
    solved together, as a reader would (linear programming). Rows `unpublished` marks (a mask: students whose
    group is not recorded) are withheld members of their lines that help protect the others and are never
    protected themselves. With `bounded_by_total`, a line's total bounds each row by itself (a school with
    nobody at the line has every group at 0%): a row is then protected as far as its band reaches beyond
    what the total alone tells, which no withholding could change.

    Worked example: a school of 55 students, 24 at the line, which another group column tells in full:
    "≤20%" of 15 learners beside "60%" of 40 others gives the learners' 0 back, so the others' share goes.

    >>> school = pd.DataFrame({"school": "A", "group": ["yes", "no"], "n": [15, 40], "share": [0.0, 0.6],
    ...                        "suppressed": False, "note": ""})
    >>> code_edge_shares(school, ["share"], 10, by=["school"], bounded_by_total=True)["share_text"].tolist()
    ['≤20%', '']

    >>> table = pd.DataFrame({"window": "fall", "school": ["A", "B", "C"], "n": [20, 20, 40],
    ...                       "share": [1.0, 0.6, 0.5], "suppressed": False, "note": ""})
    >>> code_edge_shares(table, ["share"], 5, by=["window"])["share_text"].tolist()
    ['≥85%', '', '50%']
    """
    unit = as_unit(unit)
    table = table.reset_index(drop=True).copy()
    figures = table if figures is None else figures.reset_index(drop=True)
    counts = pd.to_numeric(figures[count_column], errors="coerce").astype(float).fillna(0).to_numpy()
    size = counts if sizes is None else np.asarray(sizes, dtype=float)
    band = share_band(np.maximum(size, 1), unit)
    small = table["suppressed"].to_numpy(dtype=bool)
    helper = np.zeros(len(table), dtype=bool) if unpublished is None else np.asarray(unpublished, dtype=bool)
    hidden = small | helper
    values = {c: pd.to_numeric(figures[c], errors="coerce").astype(float).to_numpy() for c in share_columns}
    edge = {c: np.logical_or(*_in_band(values[c], band)) for c in share_columns}
    coded = {c: ~hidden & edge[c] for c in share_columns}
    all_lines = list(table.groupby(list(by), sort=False).indices.values()) if by else [np.arange(len(table))]
    totals = [-1] * len(all_lines) + [int(row) for row in (line_totals or [-1] * len(lines))]
    all_lines += [np.asarray(rows, dtype=int) for rows in lines]
    alone = {c: {} for c in share_columns}  # what the lines' totals alone tell of each row
    grid = _box_grid(all_lines[:len(all_lines) - len(lines)], all_lines[len(all_lines) - len(lines):],
                     totals[len(all_lines) - len(lines):], len(table))
    settled: set[int] = set()
    while True:
        changed = True
        while changed:  # a row withheld for one line changes the others it is in
            changed = False
            for rows, total_row in zip(all_lines[:len(all_lines) - len(lines)], totals):
                while True:
                    narrowed = [c for c in share_columns
                                if _narrowed(rows, np.nan_to_num(values[c]) * size, size, band, coded[c], hidden,
                                             (small | edge[c]) & ~helper, bounded_by_total, total_row)]
                    shown = [part for part in (rows[~hidden[rows] & ~coded[c][rows]] for c in narrowed) if len(part)]
                    if bounded_by_total and not shown:  # two bands can tell each other through a total
                        shown = [part for part in (rows[~hidden[rows]] for c in narrowed) if len(part)]
                    if not shown:
                        break
                    candidates = np.concatenate(shown)
                    # The smallest group, sparing one whose coded share another column shows.
                    spared = np.logical_or.reduce([coded[c][candidates] for c in share_columns])
                    hidden[candidates[np.lexsort((counts[candidates], spared))[0]]] = True
                    changed = True
        if not len(lines):
            break  # lines that do not cross are read one at a time
        # Crossing lines are read together (a row withheld for one line may be worked out from another). A
        # row they tell too closely gets the cheapest box (`_cheapest_box`); failing that, the smallest
        # shown row of the lines through it goes too.
        told = next(((c, r) for c in share_columns for r in [_solved_narrowed(
            all_lines, totals, np.nan_to_num(values[c]) * size, size, band, coded[c], hidden,
            (small | edge[c]) & ~helper, bounded_by_total, alone[c], settled, grid)] if r is not None), None)
        if told is None:
            break
        column, row = told
        box = _cheapest_box(row, grid, np.nan_to_num(values[column]) * size, size, band, coded[column], hidden)
        if box:
            hidden[box] = True
            continue
        helps = _widening_rows(row, all_lines, totals, np.nan_to_num(values[column]) * size, size, band,
                               coded[column], hidden)
        if not len(helps):
            settled.add(row)  # nothing shown bounds it more than the totals alone do
            continue
        hidden[helps[np.argmin(counts[helps])]] = True
    any_coded = np.zeros(len(table), dtype=bool)
    for column in share_columns:
        code = coded[column] & ~hidden
        any_coded |= code
        shares = pd.to_numeric(table[column], errors="coerce").astype(float).mask(hidden)
        texts = code_shares(shares, np.maximum(size, 1), unit)["share_text"].to_numpy()
        table[column] = shares.mask(code)
        table.insert(table.columns.get_loc(column) + 1, f"{column}_text", texts)
        for other in (telling or {}).get(column, ()):
            table[other] = table[other].mask(code)
    for column in counts_with_share:
        table[column] = table[column].astype("Int64").mask(hidden | any_coded)
    for column in withheld_columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        table[column] = table[column].mask(hidden) if numeric else table[column].astype(object).mask(hidden, "")
    table["suppressed"] = hidden
    table["note"] = np.where(hidden & ~small, withheld_words(unit), table["note"])
    return table


def _narrowed(rows: np.ndarray, sums: np.ndarray, size: np.ndarray, band: np.ndarray, coded: np.ndarray,
              hidden: np.ndarray, guarded: np.ndarray, bounded: bool = False, total_row: int = -1) -> bool:
    """Whether a reader who knows the line's total, its shown rows and the coded rows' bands can narrow
    the sum of a coded row, or of a withheld row that is `guarded` (small, or its share in the band), to
    a range narrower than its band (`band * size`), or with `bounded` than what the total alone leaves
    of it. A `total_row` tells the total as it is shown (not at all when withheld)."""
    open_rows = rows[hidden[rows] | coded[rows]]
    slack = _total_slack(sums, size, band, coded, hidden, total_row)
    if not len(open_rows) or slack is None:
        return False
    width = _width_left(open_rows, rows, sums, size, band, coded, bounded)
    low, high = _open_ranges(open_rows, sums, size, band, coded)
    remainder = sums[open_rows].sum()  # the line's total minus its shown rows
    below, above = slack
    least = np.maximum(low, remainder - below - (high.sum() - high))
    most = np.minimum(high, remainder + above - (low.sum() - low))
    return bool(np.any((most - least < width - 1e-9) & (coded[open_rows] | guarded[open_rows])))


def _width_left(open_rows: np.ndarray, rows: np.ndarray, sums: np.ndarray, size: np.ndarray, band: np.ndarray,
                coded: np.ndarray, bounded: bool) -> np.ndarray:
    """How wide each open row's range must stay: its band, or with `bounded` the part of its band (of 0 to
    its size when withheld) that the line's total alone leaves open."""
    width = band[open_rows] * size[open_rows]
    if not bounded:
        return width
    low, high = _open_ranges(open_rows, sums, size, band, coded)
    low, high = np.where(coded[open_rows], low, 0.0), np.where(coded[open_rows], high, size[open_rows])
    total, line_size = sums[rows].sum(), size[rows].sum()
    told_low = np.maximum(low, total - (line_size - size[open_rows]))
    told_high = np.minimum(high, total)
    return np.minimum(width, np.maximum(told_high - told_low, 0.0))


def _open_ranges(open_rows: np.ndarray, sums: np.ndarray, size: np.ndarray, band: np.ndarray,
                 coded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The range a reader is told each open row's sum lies in: its band when coded, else 0 to its size."""
    width = band[open_rows] * size[open_rows]
    share = sums[open_rows] / np.maximum(size[open_rows], 1e-12)
    top = coded[open_rows] & _in_band(share, band[open_rows])[1]
    low = np.where(coded[open_rows], np.where(top, size[open_rows] - width, 0.0), 0.0)
    high = np.where(coded[open_rows], np.where(top, size[open_rows], width), size[open_rows])
    return low, high


def _total_slack(sums: np.ndarray, size: np.ndarray, band: np.ndarray, coded: np.ndarray, hidden: np.ndarray,
                 total_row: int = -1) -> tuple[float, float] | None:
    """How far below and above its true value a reader may take a line's total: (0, 0) when it is known
    (no `total_row`, or one shown exactly), its band's room when its total row is coded, None when withheld."""
    if total_row < 0 or not (hidden[total_row] or coded[total_row]):
        return 0.0, 0.0
    if hidden[total_row]:
        return None
    low, high = _open_ranges(np.array([total_row]), sums, size, band, coded)
    return float(sums[total_row] - low[0]), float(high[0] - sums[total_row])


def _box_grid(lines: list[np.ndarray], crossing: list[np.ndarray], crossing_totals: list[int], count: int) -> dict:
    """Where each row sits for `_cheapest_box`: its line, its crossing line (as member or total) and the
    row at each line and crossing line."""
    line_of, group_of, is_total = [-1] * count, [-1] * count, [False] * count
    for number, rows in enumerate(lines):
        for i in rows:
            line_of[int(i)] = number
    for number, (rows, total_row) in enumerate(zip(crossing, crossing_totals)):
        for i in rows:
            group_of[int(i)] = number
        if total_row >= 0:
            group_of[total_row], is_total[total_row] = number, True
    where = {(line_of[i], group_of[i]): i for i in range(count) if line_of[i] >= 0 and group_of[i] >= 0}
    in_group = {}
    for i in range(count):
        if line_of[i] >= 0 and group_of[i] >= 0:
            in_group.setdefault(group_of[i], []).append(i)
    return {"lines": [[int(i) for i in rows] for rows in lines], "line_of": line_of, "group_of": group_of,
            "is_total": is_total, "where": where, "in_group": in_group}


def _cheapest_box(row: int, grid: dict, sums: np.ndarray, size: np.ndarray, band: np.ndarray, coded: np.ndarray,
                  hidden: np.ndarray, need: float | None = None, free_only: bool = False) -> list[int] | None:
    """The shown rows to withhold so that `row` can move over its band (or `need`) with every line's total
    kept: a box of four rows (the row, another row of its line, the row of its crossing line in another
    line, and the row where those meet), moving +z and -z in turn, as in the cube's decision
    (`kit.privacy.cube`, Repsilber's hypercube method). The box that withholds the fewest rows (then the
    smallest) wins; [] when a box needs nothing more (the row is safe whatever else is shown), None when
    no box can (or, with `free_only`, none needs nothing)."""
    line_of, group_of, is_total, where = grid["line_of"], grid["group_of"], grid["is_total"], grid["where"]
    if line_of[row] < 0 or group_of[row] < 0:
        return None
    open_rows = np.flatnonzero(hidden | coded)
    low, high = np.zeros(len(sums)), size.astype(float).copy()  # a row withheld may be anything up to its size
    low[open_rows], high[open_rows] = _open_ranges(open_rows, sums, size, band, coded)
    low, high, value, full = low.tolist(), high.tolist(), sums.tolist(), size.astype(float).tolist()
    shown = (~hidden & ~coded).tolist()
    need = band[row] * size[row] if need is None else need
    best, best_key = None, None
    for partner in grid["lines"][line_of[row]]:
        if partner == row or group_of[partner] < 0:
            continue
        for other in grid["in_group"][group_of[row]]:
            if line_of[other] == line_of[row]:
                continue
            corner = where.get((line_of[other], group_of[partner]))
            if corner is None:
                continue
            other_sign = 1 if is_total[row] != is_total[other] else -1
            withheld = [i for i in (partner, other, corner) if shown[i]]
            if free_only and withheld:
                continue
            up = down = float("inf")
            for i, sign in ((row, 1), (partner, -1), (other, other_sign), (corner, -other_sign)):
                floor, ceiling = (0.0, full[i]) if shown[i] else (low[i], high[i])
                rise, fall = ceiling - value[i], value[i] - floor
                up, down = min(up, rise if sign > 0 else fall), min(down, fall if sign > 0 else rise)
            if up + down < need - 1e-9:
                continue
            key = (len(withheld), sum(full[i] for i in withheld))
            if best_key is None or key < best_key:
                best, best_key = withheld, key
                if not withheld:
                    return best
    return best


def _solved_narrowed(lines: list[np.ndarray], totals: list[int], sums: np.ndarray, size: np.ndarray,
                     band: np.ndarray, coded: np.ndarray, hidden: np.ndarray, guarded: np.ndarray,
                     bounded: bool, told: dict | None = None, settled: set[int] = frozenset(),
                     grid: dict | None = None) -> int | None:
    """The first coded row (or `guarded` withheld row) that a reader who solves every line together
    (linear programming: each line's total, each open row's range; a line's total row enters as a row
    of its own) can tell more closely than its band; with `bounded`, than the part of its band that the
    totals alone tell (every row withheld), kept in `told` from one call to the next. Rows `settled`
    (that nothing shown bounds more) are not read again, nor rows a box of `grid` proves safe whatever
    else is shown (no linear program needed)."""
    open_rows = np.flatnonzero(hidden | coded)
    low, high = np.zeros(len(sums)), size.astype(float).copy()
    low[open_rows], high[open_rows] = _open_ranges(open_rows, sums, size, band, coded)
    solve = _line_solver(lines, totals, sums, hidden | coded, low, high)
    if solve is None:
        return None
    told = {} if told is None else told
    everything = None
    for row in open_rows:
        if not (coded[row] or guarded[row]) or row in settled:
            continue
        if grid is not None and grid["line_of"][row] >= 0:
            line = np.asarray(grid["lines"][grid["line_of"][row]])
            need = float(_width_left(np.array([row]), line, sums, size, band, coded, bounded)[0])
            if _cheapest_box(row, grid, sums, size, band, coded, hidden, need, free_only=True) == []:
                continue
        width = band[row] * size[row]
        if bounded:
            if row not in told:
                everything = everything or _line_solver(lines, totals, sums, np.ones(len(sums), dtype=bool),
                                                        np.zeros(len(sums)), size.astype(float))
                told[row] = everything(row)
            least, most = told[row]
            width = min(width, max(0.0, min(most, high[row]) - max(least, low[row])))
        least, most = solve(row)
        if most - least < width - 1e-6:
            return int(row)
    return None


def _widening_rows(row: int, lines: list[np.ndarray], totals: list[int], sums: np.ndarray, size: np.ndarray,
                   band: np.ndarray, coded: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """The smallest shown row whose withholding would widen what a reader who solves every line can tell
    of `row` (exact rows first; coded ones only when no exact one would), as an array of one or none."""
    def reach(withheld: np.ndarray) -> float:
        open_rows = np.flatnonzero(withheld | coded)
        low, high = np.zeros(len(sums)), size.astype(float).copy()
        low[open_rows], high[open_rows] = _open_ranges(open_rows, sums, size, band, coded & ~withheld)
        solve = _line_solver(lines, totals, sums, withheld | coded, low, high)
        least, most = solve(row) if solve is not None else (0.0, float(size[row]))
        return most - least

    now = reach(hidden)
    for exact in (True, False):
        shown = np.flatnonzero(~hidden & (~coded if exact else coded))
        for i in shown[np.argsort(size[shown], kind="stable")]:
            if reach(hidden | (np.arange(len(sums)) == i)) > now + 1e-6:
                return np.array([i])
    return np.array([], dtype=int)


def _line_solver(lines: list[np.ndarray], totals: list[int], sums: np.ndarray, open_mask: np.ndarray,
                 low: np.ndarray, high: np.ndarray):
    """A function giving the least and most a row's sum can be, given every line's total, the rows shown
    (not in `open_mask`) and the open rows' ranges (`low`, `high`); None when no line has an open row."""
    from scipy.optimize import linprog

    open_rows = np.flatnonzero(open_mask)
    position = np.full(len(sums), -1)
    position[open_rows] = np.arange(len(open_rows))
    equations, constants = [], []
    for rows, total_row in zip(lines, totals):
        members = np.append(rows, total_row) if total_row >= 0 else rows
        signs = np.append(np.ones(len(rows)), -1.0) if total_row >= 0 else np.ones(len(rows))
        free = position[members] >= 0
        if not free.any():
            continue
        line = np.zeros(len(open_rows))
        line[position[members][free]] = signs[free]
        constant = float((signs[free] * sums[members][free]).sum())  # the open part's true value
        equations += [line, -line]
        constants += [constant + 1e-7, -constant + 1e-7]
    if not equations:
        return None
    bounds = list(zip(low[open_rows], high[open_rows]))

    def solve(row: int) -> tuple[float, float]:
        objective = np.zeros(len(open_rows))
        objective[position[row]] = 1.0
        least = linprog(objective, A_ub=np.array(equations), b_ub=constants, bounds=bounds)
        most = linprog(-objective, A_ub=np.array(equations), b_ub=constants, bounds=bounds)
        if least.status != 0 or most.status != 0:
            return float(low[row]), float(high[row])
        return float(least.fun), float(-most.fun)
    return solve


def code_gaps(shares, counts, reference_shares, reference_counts, gap_highs=None,
              unit: Unit | int | None = STUDENTS, *, totals=None) -> pd.DataFrame:
    """Which gaps between a group's share and its reference's share (all other students) may be shown,
    one row per gap, so that nothing shown tells either share more closely than its band.

    A share in its coded band (`code_shares`; the reference is a group too, of its reference count) plus
    an exact gap gives the other share back, and an interval around the gap gives the gap back. So a
    gap is shown exactly (`gap_shown`) only when neither share is in its band; otherwise it is shown as
    the range the two shares' shown values allow (each coded share its whole band, each other share its
    value), rounded outwards to whole points: `gap_least` and `gap_most` (equal to the gap when shown),
    `gap_text` ("-30 points", "-60 to -40 points", '' when a share is missing). `clear` says whether the
    gap's 95% interval lies below zero: from `gap_highs` for an exact gap; for a range, only when it
    would be clear for any shares the range allows (the widest interval of 0-1 values with those means,
    Student's t at the smaller group's degrees of freedom), so the verdict tells nothing the range does
    not. `reference_coded` says whether the reference's share is in its band.

    `totals` (the members at the bar of the group and its reference together: a school's students at the
    line) are what a reader may know from elsewhere; beside a coded share the reference then holds the rest
    of the total, so the range lets it move with the share (the total itself only known to its band when
    its share is in it), and the range tells nothing a reader with the total and the band does not know.

    >>> coded = code_gaps([0.0, 0.4], [15, 20], [0.6, 0.7], [40, 40], [-0.3, -0.1])
    >>> coded["gap_text"].tolist(), coded["clear"].tolist()
    (['-60 to -40 points', '-30 points'], [True, True])
    >>> code_gaps([0.0], [15], [0.6], [40], totals=[24])["gap_text"].tolist()  # others 24/40 down to 21/40
    ['-60 to -32 points']
    """
    unit = as_unit(unit)
    share, reference, n, reference_n = (np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
                                        for values in (shares, reference_shares, counts, reference_counts))
    n, reference_n = np.maximum(np.nan_to_num(n), 1), np.maximum(np.nan_to_num(reference_n), 1)
    low, high, coded = _shown_range(share, n, unit)
    reference_low, reference_high, reference_coded = _shown_range(reference, reference_n, unit)
    if totals is not None:
        total = np.asarray(pd.to_numeric(pd.Series(totals), errors="coerce"), dtype=float)
        total_low, total_high, _ = _shown_range(total / (n + reference_n), n + reference_n, unit)
        moves = coded & ~np.isnan(total)
        with np.errstate(invalid="ignore"):
            # The reference's own band stays inside the range too, for a reader without the total.
            reference_low = np.where(moves, np.minimum(reference_low, np.clip(
                ((n + reference_n) * total_low - n * high) / reference_n, 0, 1)), reference_low)
            reference_high = np.where(moves, np.maximum(reference_high, np.clip(
                ((n + reference_n) * total_high - n * low) / reference_n, 0, 1)), reference_high)
    missing = np.isnan(share) | np.isnan(reference)
    exact = ~coded & ~reference_coded & ~missing
    gap = share - reference
    with np.errstate(invalid="ignore"):
        least = np.where(exact, gap, np.floor(np.round(100 * (low - reference_high), 6)) / 100)
        most = np.where(exact, gap, np.ceil(np.round(100 * (high - reference_low), 6)) / 100)
    texts = np.where(missing, "", np.where(exact, [f"{100 * g:+.0f} points" for g in np.nan_to_num(gap)],
                                           [f"{100 * a:+.0f} to {100 * b:+.0f} points"
                                            for a, b in zip(np.nan_to_num(least), np.nan_to_num(most))]))
    exact_high = np.full(len(share), np.nan) if gap_highs is None else np.asarray(gap_highs, dtype=float)
    widest = _widest_half_interval(low, high, n, reference_low, reference_high, reference_n)
    clear = np.where(exact, exact_high < 0, most + widest < 0) & ~missing
    return pd.DataFrame({"gap_shown": exact, "gap_least": np.where(missing, np.nan, least),
                         "gap_most": np.where(missing, np.nan, most), "gap_text": texts, "clear": clear,
                         "reference_coded": reference_coded & ~np.isnan(reference)})


def _shown_range(share: np.ndarray, n: np.ndarray, unit: Unit) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The range a reader is told a share lies in: its band when coded, else the share itself."""
    band = share_band(n, unit)
    bottom, top = _in_band(share, band)
    low = np.where(bottom, 0.0, np.where(top, 1 - band, share))
    high = np.where(bottom, band, np.where(top, 1.0, share))
    return low, high, (bottom | top) & ~np.isnan(share)


def _widest_half_interval(low, high, n, reference_low, reference_high, reference_n) -> np.ndarray:
    """The largest half-width of a 95% Welch interval for the difference of two means of values between
    0 and 1 (a sample variance of at most m(1 - m) n / (n - 1) at mean m), over means in the two ranges."""
    # scipy.stats would cost a served app about a CPU-second to import; imported here, not at the top:
    # kit.analysis.stats imports kit.privacy.
    from kit.analysis.stats.distributions import t_ppf

    def most_variance(a, b):  # m(1 - m) peaks at m = 1/2
        return np.where((a <= 0.5) & (b >= 0.5), 0.25, np.maximum(a * (1 - a), b * (1 - b)))

    with np.errstate(divide="ignore", invalid="ignore"):
        spread = (most_variance(low, high) / np.maximum(n - 1, 1e-12)
                  + most_variance(reference_low, reference_high) / np.maximum(reference_n - 1, 1e-12))
        t = t_ppf(0.975, np.maximum(np.minimum(n, reference_n) - 1, 1))
    return np.where((n < 2) | (reference_n < 2), np.inf, t * np.sqrt(spread))
