"""One suppression decision for figures cut many ways, so no combination of views gives a small group away.

A view that filters by school and grade and lists groups shows counts of one cube (school x grade x
group) summed in every way: each school, each grade, all schools, all grades, each group, all groups.
Suppressing each view on its own lets a visitor subtract one view from another ("all grades" minus
the shown grades) or solve all the shown counts together. `protect_cube` decides once, for every
aggregate of the cube a view can show, which ones are withheld; views then look their cells up in
that decision (`CubeDecision.withheld`), so every view agrees with every other.

The decision, step by step (each a small function):

1. `aggregates`: every sum of the cube a view can show, one row per distinct set of cells (the
   district's grade 10 and the only high school's grade 10 are the same figure and share a fate).
2. primary: every published aggregate about fewer than `unit.min_group_size` people (zero included);
   and a rare group (under the threshold in nearly every finest cell, like a third gender) is
   withheld with a partner in every figure below the district's own (`_RarePattern`): its tiny
   cells have no box of their own except through the district's totals, which used to withhold
   the district's rows of the common groups.
3. `_line_rule`: in every line (the members of one total, along one dimension), withheld members
   must be none, or at least two that together hold at least the threshold; otherwise the smallest
   shown member is withheld too. Unpublished members ("not recorded") count as withheld there, so
   they help protect a small group and never force a large one to be withheld.
4. `_box_protect`: every withheld aggregate needs a proof that no combination of shown figures
   narrows it: a box (`_Boxes`, the hypercube method) of withheld aggregates that can all move
   together by at least the threshold while every shown figure stays put. An aggregate without one
   gets the box that withholds the fewest more figures; a rare group's pattern is its own proof
   (students trade between the rare group and its partner). The proof holds whatever else is shown, so
   no solver is needed (the line rule alone was not enough: a school's grade could be worked out
   from the district, one school's and one grade's totals when every line holding it was withheld).
5. `_verify`: only for an aggregate no box can protect (every box would need a figure decided
   elsewhere), the bounds a visitor could still work out are found by linear programming (the
   attacker's own method: every shown total, counts >= 0); a narrowed one gets one more
   complementary cell, taken from the shown figures its bound is proved from, and steps 3-5 repeat.

>>> import pandas as pd
>>> cells = pd.DataFrame({"school": ["A", "A", "B", "B"], "group": ["x", "y", "x", "y"], "n": [4, 30, 25, 30]})
>>> decision = protect_cube(cells, ["school", "group"])
>>> decision.withheld(school="A", group="x"), decision.withheld(school="A", group="y")
(True, True)
>>> decision.withheld(school=ALL, group="x")
False
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import product

import numpy as np
import pandas as pd

from .policy import STUDENTS, Unit, as_unit

#: The value of a dimension summed over (all schools, all grades, all groups).
ALL = "*"


@dataclass
class CubeDecision:
    """Which aggregates of a cube are withheld. `table` has one row per aggregate a view can show:
    the dimensions (`ALL` where summed over), `n`, `withheld`."""

    dims: tuple[str, ...]
    table: pd.DataFrame

    @cached_property
    def _lookup(self) -> dict[tuple, bool]:
        return dict(zip(map(tuple, self.table[list(self.dims)].astype(str).to_numpy()),
                        self.table["withheld"].to_numpy(dtype=bool)))

    def withheld(self, **where) -> bool:
        """Whether the aggregate at `where` (a value or `ALL` for every dimension; None means `ALL`)
        is withheld. An aggregate the cube does not hold has no students: withheld."""
        key = tuple(ALL if where.get(d) is None else str(where[d]) for d in self.dims)
        return bool(self._lookup.get(key, True))

    def withheld_many(self, frame: pd.DataFrame, columns: Mapping[str, str | None]) -> np.ndarray:
        """`withheld` for every row of `frame`: `columns` maps each dimension to the frame's column
        holding it, or to None when the rows are summed over it."""
        keys = [frame[c].astype(str).to_numpy() if c is not None else np.full(len(frame), ALL)
                for c in (columns.get(d) for d in self.dims)]
        return np.array([self._lookup.get(key, True) for key in zip(*keys)], dtype=bool)

    def share_withheld(self) -> float:
        """The share of the aggregates a view can show that are withheld (the price in usefulness)."""
        return float(self.table["withheld"].mean()) if len(self.table) else 0.0


def aggregates(cells: pd.DataFrame, dims: Sequence[str]) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Every sum of `cells` over any subset of `dims`: a frame with the dims (`ALL` where summed),
    `n` and `level` (which dims are kept, as a tuple of booleans), and for each aggregate the
    positions of its cells (the rows of `cells`)."""
    coded = [pd.factorize(cells[d].astype(str).to_numpy()) for d in dims]  # labels in order of appearance
    counts = cells["n"].to_numpy(dtype=float)
    frames, members = [], []
    for level in product((True, False), repeat=len(dims)):
        kept = [j for j, keep in enumerate(level) if keep]
        if kept:
            shape = [len(coded[j][1]) for j in kept]
            flat = np.ravel_multi_index([coded[j][0] for j in kept], shape)
            unique, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
            appearance = np.argsort(first, kind="stable")  # number the aggregates as they first appear
            rank = np.empty(len(unique), dtype=int)
            rank[appearance] = np.arange(len(unique))
            ids, places = rank[inverse.ravel()], np.unravel_index(unique[appearance], shape)
        else:
            ids, places = np.zeros(len(cells), dtype=int), ()
        size = len(places[0]) if kept else 1
        order = np.argsort(ids, kind="stable")
        bounds = np.searchsorted(ids[order], np.arange(size + 1))
        frame = pd.DataFrame({d: np.full(size, ALL, dtype=object) for d in dims})
        for j, at in zip(kept, places):
            frame[dims[j]] = np.asarray(coded[j][1], dtype=object)[at]
        frame["n"] = np.bincount(ids, weights=counts, minlength=size)
        frame["level"] = [level] * size
        frames.append(frame)
        members.extend(order[bounds[i]:bounds[i + 1]] for i in range(size))
    return pd.concat(frames, ignore_index=True), members


def protect_cube(cells: pd.DataFrame, dims: Sequence[str], unit: Unit | int | None = STUDENTS, *,
                 unpublished: Mapping[str, Collection[str]] | None = None,
                 fixed: pd.DataFrame | None = None, nested: str | None = None,
                 verify: bool = True) -> CubeDecision:
    """Decide which aggregates of `cells` (one row per cell of the cube: `dims` and `n`, empty cells
    included with n 0) are withheld. `unpublished` names values never shown as a group of their
    own (e.g. {"group": ["not recorded"]}); they still count in every total. `fixed` holds
    aggregates decided elsewhere (the dims with `ALL`, `withheld`), e.g. the totals every group
    column shares: their fate is kept and they are never chosen as complementary cells. When the
    total over `nested` (e.g. "group") is withheld, every member of it is withheld too.
    See the module's steps."""
    unit = as_unit(unit)
    dims = tuple(dims)
    cells = cells.reset_index(drop=True)
    table, members = aggregates(cells, dims)
    hidden_values = {d: {str(v) for v in vs} for d, vs in (unpublished or {}).items()}
    published = np.ones(len(table), dtype=bool)
    for d, values in hidden_values.items():
        published &= ~table[d].isin(values).to_numpy()
    canonical = _canonical(members, len(cells))
    withheld = published & (table["n"].to_numpy() < unit.min_group_size)
    withheld |= ~published
    frozen = np.zeros(len(table), dtype=bool) | ~published
    if fixed is not None and len(fixed):
        flags = fixed[list(dims)].astype(str).assign(_fate=fixed["withheld"].astype(bool).to_numpy())
        found = table[list(dims)].astype(str).reset_index().merge(flags, on=list(dims), how="inner")
        withheld[found["index"].to_numpy()] = found["_fate"].to_numpy(dtype=bool)
        frozen[found["index"].to_numpy()] = True
    # Only a published figure passes its fate to its copies: an unpublished one that equals a
    # published total ("no grade recorded" for a whole school) must not withhold that total.
    withheld = _spread(withheld & published, canonical) | ~published
    lines = _lines(table, dims)
    if nested is not None:
        withheld = _under_hidden_totals(table, dims, nested, withheld, published)
    pattern = (_RarePattern(table, dims, nested, published, unit.min_group_size, cells, members)
               if nested is not None else None)
    if pattern is not None and np.isin(canonical[pattern.rows], canonical[frozen & ~withheld]).any():
        pattern = None  # a figure of the pattern is a total decided shown elsewhere (everyone in one group)
    if pattern is not None:
        withheld |= _spread(pattern.rows, canonical)
    boxes = _Boxes(table, dims)
    for _ in range(200):
        withheld = _line_rule(table, lines, withheld, published, frozen, canonical, unit.min_group_size)
        if not verify:
            break
        proven = pattern.proven(withheld) if pattern is not None else None
        withheld, unproven = _box_protect(boxes, withheld, published, frozen, canonical, unit.min_group_size,
                                          proven=proven)
        if not unproven:
            break
        exposed = _verify(cells, table, members, withheld, published, canonical, unit.min_group_size, unproven)
        if not exposed:
            break
        partners = [p for p in (_complement(table, lines, withheld, frozen, cell, used) for cell, used in exposed.items())
                    if p is not None]
        if not partners:
            break
        withheld |= np.isin(canonical, canonical[partners])
    result = table.loc[published, [*dims, "n"]].assign(withheld=withheld[published]).reset_index(drop=True)
    return CubeDecision(dims, result)


def _canonical(members: list[np.ndarray], n_cells: int) -> np.ndarray:
    """For each aggregate, the number of the first aggregate made of exactly the same cells."""
    weights = np.random.default_rng(12345).random(n_cells)
    sizes = np.array([len(m) for m in members])
    sums = np.add.reduceat(weights[np.concatenate(members)], np.concatenate([[0], np.cumsum(sizes)[:-1]]))
    keys = zip(sizes.tolist(), np.round(sums, 9).tolist())
    first: dict = {}
    return np.array([first.setdefault(key, index) for index, key in enumerate(keys)])


def _spread(withheld: np.ndarray, canonical: np.ndarray) -> np.ndarray:
    """The same fate for every copy of one figure."""
    hidden_ids = np.unique(canonical[withheld])
    return np.isin(canonical, hidden_ids)


def _lines(table: pd.DataFrame, dims: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each dimension, (rows, line number, the row of the line's total) for every aggregate that
    has a value in that dimension: the members of one line share every other value."""
    codes, shape = [], []
    for d in dims:
        values = table[d].astype(str).to_numpy()
        labels = np.array([ALL, *sorted(set(values) - {ALL})], dtype=object)
        index = {label: position for position, label in enumerate(labels)}
        codes.append(np.array([index[v] for v in values], dtype=np.int64))
        shape.append(len(labels))
    where = np.full(shape, -1, dtype=np.int64)
    where[tuple(codes)] = np.arange(len(table))
    lines = []
    for j in range(len(dims)):
        rows = np.flatnonzero(codes[j] != 0)
        others = [codes[k][rows] for k in range(len(dims)) if k != j]
        if others:
            flat = np.ravel_multi_index(others, [shape[k] for k in range(len(dims)) if k != j])
            line = np.unique(flat, return_inverse=True)[1].ravel()
        else:
            line = np.zeros(len(rows), dtype=int)
        totals = where[tuple(np.zeros(len(rows), dtype=np.int64) if k == j else codes[k][rows] for k in range(len(dims)))]
        lines.append((rows, line, totals))
    return lines


def _under_hidden_totals(table, dims, nested, withheld, published) -> np.ndarray:
    """A member shown under a withheld total would narrow that total: withhold the members too."""
    withheld = withheld.copy()
    others = [d for d in dims if d != nested]
    keys = np.full(len(table), "", dtype=object)
    for d in others:
        keys = keys + "|" + table[d].astype(str).to_numpy(dtype=object)
    is_total = table[nested].astype(str).to_numpy() == ALL
    hidden_totals = set(keys[is_total & withheld])
    if hidden_totals:
        withheld |= np.isin(keys, list(hidden_totals)) & ~is_total & published
    return withheld


def _line_rule(table, lines, withheld, published, frozen, canonical, threshold) -> np.ndarray:
    """Step 3 of the module's steps, repeated until every line passes."""
    counts = table["n"].to_numpy(dtype=float)
    withheld = withheld.copy()
    changed = True
    while changed:
        changed = False
        for rows, line, totals in lines:
            size = np.bincount(line)
            hidden = withheld[rows]
            n_hidden = np.bincount(line, weights=hidden)
            n_published_hidden = np.bincount(line, weights=hidden & published[rows])
            hidden_sum = np.bincount(line, weights=np.where(hidden, counts[rows], 0.0))
            total_shown = np.zeros(len(size), dtype=bool)
            total_shown[line] = ~withheld[np.asarray(totals, dtype=int)]  # an empty line has no int dtype
            bad = total_shown & (size > 1) & (n_published_hidden > 0) & ((n_hidden < 2) | (hidden_sum < threshold))
            if not bad.any():
                continue
            open_rows = np.flatnonzero(bad[line] & ~hidden & ~frozen[rows])
            if not len(open_rows):
                continue
            order = np.lexsort((rows[open_rows], counts[rows[open_rows]], line[open_rows]))
            ordered = open_rows[order]
            first = np.ones(len(ordered), dtype=bool)
            first[1:] = line[ordered][1:] != line[ordered][:-1]
            chosen = rows[ordered[first]]
            withheld[np.isin(canonical, canonical[chosen])] = True
            changed = True
    return withheld


def _verify(cells, table, members, withheld, published, canonical, threshold, only=None) -> dict[int, list[int]]:
    """Withheld published aggregates whose possible values (given every shown aggregate and counts
    >= 0) span less than `threshold`, found by linear programming, cheapest proofs first: for each,
    the shown aggregates its proof uses (the equations with a nonzero dual value in the solver's
    bound), so a complementary cell can be taken from them."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    counts = cells["n"].to_numpy(dtype=float)
    targets = [row for row in (np.flatnonzero(withheld & published) if only is None else only) if canonical[row] == row]
    equations = [row for row in np.flatnonzero(~withheld) if canonical[row] == row]
    if not targets or not equations:
        return {}

    def matrix(rows):
        indptr = np.cumsum([0, *(len(members[row]) for row in rows)])
        indices = np.concatenate([members[row] for row in rows])
        return csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(cells)))

    a_eq = matrix(equations)
    b_eq = a_eq @ counts
    forms = matrix(targets)
    truth = forms @ counts
    low, high = truth.copy(), truth.copy()
    if a_eq.shape[1] <= 600:  # small problems: a dense matrix spares the solver's sparse bookkeeping
        a_eq = a_eq.toarray()

    def solve(objective):
        return linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")

    rng = np.random.default_rng(0)
    for _ in range(8):  # random corners of the attacker's solutions: most figures move far at once
        open_ = np.flatnonzero(high - low < threshold - 1e-6)
        if not len(open_):
            break
        weights = np.zeros(len(targets))
        weights[open_] = rng.choice([-1.0, 1.0], size=len(open_))
        direction = forms.T @ weights
        for sign in (1, -1):
            found = solve(sign * direction)
            if found.status == 0:
                values = forms @ found.x
                low, high = np.minimum(low, values), np.maximum(high, values)
    exposed = {}
    for position in np.flatnonzero(high - low < threshold - 1e-6):
        objective = forms[position].toarray().ravel()
        lowest, highest = solve(objective), solve(-objective)
        if lowest.status != 0 or highest.status != 0:
            continue
        if objective @ highest.x - objective @ lowest.x < threshold - 1e-6:
            used = np.abs(lowest.eqlin.marginals) + np.abs(highest.eqlin.marginals) > 1e-9
            exposed[targets[position]] = [equations[i] for i in np.flatnonzero(used)]
    return exposed


def _complement(table, lines, withheld, frozen, cell: int, used: Sequence[int]) -> int | None:
    """The complementary cell for an exposed `cell`: the smallest shown aggregate among those its
    exposure is proved from (`used`; withholding one breaks that proof), else the smallest shown
    aggregate sharing a line with it (`_partner`)."""
    counts = table["n"].to_numpy(dtype=float)
    candidates = [row for row in used if not withheld[row] and not frozen[row]]
    if candidates:
        return int(min(candidates, key=lambda row: (counts[row], row)))
    return _partner(table, lines, withheld, frozen, cell)


def _partner(table, lines, withheld, frozen, cell: int) -> int | None:
    """The smallest shown aggregate sharing a line with `cell`, or None when every line is withheld."""
    counts = table["n"].to_numpy(dtype=float)
    best = None
    for rows, line, _ in lines:
        where = np.flatnonzero(rows == cell)
        if not len(where):
            continue
        same = rows[line == line[where[0]]]
        candidates = same[~withheld[same] & ~frozen[same]]
        if len(candidates):
            pick = candidates[np.argmin(counts[candidates])]
            if best is None or counts[pick] < counts[best]:
                best = pick
    return None if best is None else int(best)


def _other_corners(where: np.ndarray, moved_to: list, staying: list, signs: list):
    """Every corner of a box but the figure's own: the rows it lands on (`where` at `moved_to` in
    the dimensions it moves in, `staying` in the others) and its sign (+1 moves with the figure's
    value, -1 against it)."""
    for subset in list(product((False, True), repeat=len(staying)))[1:]:
        rows = where[tuple(moved_to[d] if moved else staying[d] for d, moved in enumerate(subset))]
        sign = 1
        for d, moved in enumerate(subset):
            if moved:
                sign = sign * signs[d]
        yield rows, sign


def _smallest_by_side(same, opposite, n, sign):
    """The smallest count so far among the corners moving with the figure (`same`) and against it,
    with corner counts `n` of sign `sign` taken in."""
    return np.where(sign > 0, np.minimum(same, n), same), np.where(sign < 0, np.minimum(opposite, n), opposite)


class _Boxes:
    """Proofs that a withheld aggregate cannot be narrowed, without a solver: boxes (the hypercube
    method of Repsilber 1994, used by tau-ARGUS). Pick, in every dimension, the aggregate's own
    value and one other (another value, or `ALL`): the 2^d aggregates at the corners, all withheld,
    can move together (+z on some corners, -z on others, alternating across two values and equal
    across a value and its total) while every other aggregate of the cube keeps its value. So the
    attacker cannot tell the aggregate apart within the smallest counts of the two signs' corners
    added together; a box whose range is at least the threshold protects all its corners at once.
    """

    def __init__(self, table: pd.DataFrame, dims: Sequence[str]):
        codes, shape = [], []
        for d in dims:
            values = table[d].astype(str).to_numpy()
            labels = [ALL, *sorted(set(values) - {ALL})]
            index = {label: position for position, label in enumerate(labels)}
            codes.append(np.array([index[v] for v in values], dtype=int))
            shape.append(len(labels))
        self.codes = np.stack(codes, axis=1)
        self.where = np.full(shape, -1, dtype=int)
        self.where[tuple(codes)] = np.arange(len(table))
        self.counts = table["n"].to_numpy(dtype=float)

    def best(self, row: int, hidden: np.ndarray, can_hide: np.ndarray, threshold: float, limit: int | None = None):
        """The box for `row` whose corners are all withheld or can be (`hidden`, `can_hide`) with a
        range of at least `threshold` that withholds the fewest new corners (then the smallest), as
        the rows of its corners, or None. `limit` keeps, in each dimension, only that many other
        values (the already withheld first, then the smallest; the largest when all are withheld
        already, which gives the widest range)."""
        own = self.codes[row]
        ndim = len(own)
        choices, signs = [], []
        for d in range(ndim):
            line = self.where[tuple(slice(None) if k == d else own[k] for k in range(ndim))]
            other = np.flatnonzero(line >= 0)
            other = other[(other != own[d]) & can_hide[line[other]]]
            if limit is not None and len(other) > limit:  # withheld first; the largest when all are
                counts = self.counts[line[other]]
                other = other[np.lexsort((counts if can_hide is not hidden else -counts, ~hidden[line[other]]))[:limit]]
            if not len(other):
                return None
            shape = [1] * ndim
            shape[d] = len(other)
            choices.append(other.reshape(shape))
            signs.append(np.where((own[d] == 0) | (other == 0), 1, -1).reshape(shape))
        witness_only = can_hide is hidden
        shape = tuple(len(c.ravel()) for c in choices)
        valid = np.ones(shape, dtype=bool)
        same, opposite = np.full(shape, self.counts[row]), np.full(shape, np.inf)
        new = np.zeros(shape)
        new_n = np.zeros(shape)
        corners = [np.full(shape, row)]
        for rows, sign in _other_corners(self.where, choices, own, signs):
            safe = np.where(rows >= 0, rows, 0)
            valid &= (rows >= 0) & can_hide[safe]
            n = self.counts[safe]
            same, opposite = _smallest_by_side(same, opposite, n, sign)
            if not witness_only:
                fresh = ~hidden[safe]
                new = new + fresh
                new_n = new_n + np.where(fresh, n, 0.0)
            corners.append(rows)
        valid &= same + opposite >= threshold - 1e-6
        if not valid.any():
            return None
        chosen = np.unravel_index(int(np.argmin(np.where(valid, new * 1e9 + new_n, np.inf))), shape)
        return [int(rows[tuple(min(i, n - 1) for i, n in zip(chosen, np.shape(rows)))]) if np.ndim(rows) else int(rows)
                for rows in corners]

    def witnessed(self, rows: np.ndarray, hidden: np.ndarray, threshold: float, limit: int) -> np.ndarray:
        """`best` among withheld corners only (`hidden`), for many rows at once: for each row the
        rows of a box's corners (one column per corner, `row` first), or -1 where none is found
        among the `limit` largest withheld alternatives per dimension."""
        rows = np.asarray(rows, dtype=int)
        own = self.codes[rows]
        ndim = own.shape[1]
        choices, signs, usable = [], [], []
        for d in range(ndim):
            size = self.where.shape[d]
            line = self.where[tuple(np.arange(size)[None, :] if k == d else own[:, k][:, None] for k in range(ndim))]
            safe = np.where(line >= 0, line, 0)
            good = (line >= 0) & (np.arange(size)[None, :] != own[:, d][:, None]) & hidden[safe]
            keep = min(limit, size)
            pick = np.argsort(np.where(good, -self.counts[safe], np.inf), axis=1, kind="stable")[:, :keep]
            shape = [len(rows)] + [1] * ndim
            shape[d + 1] = keep
            choices.append(pick.reshape(shape))
            usable.append(np.take_along_axis(good, pick, axis=1).reshape(shape))
            signs.append(np.where((own[:, d][:, None] == 0) | (pick == 0), 1, -1).reshape(shape))
        fixed = [own[:, d].reshape([len(rows)] + [1] * ndim) for d in range(ndim)]
        full = (len(rows), *(c.shape[d + 1] for d, c in enumerate(choices)))
        valid = np.ones(full, dtype=bool)
        for good in usable:
            valid &= good
        same = np.broadcast_to(self.counts[rows].reshape(fixed[0].shape), full).copy()
        opposite = np.full(full, np.inf)
        corners = [np.broadcast_to(rows.reshape(fixed[0].shape), full)]
        for at, sign in _other_corners(self.where, choices, fixed, signs):
            safe = np.where(at >= 0, at, 0)
            valid &= (at >= 0) & hidden[safe]
            n = self.counts[safe]
            same, opposite = _smallest_by_side(same, opposite, n, sign)
            corners.append(np.broadcast_to(at, full))
        valid &= same + opposite >= threshold - 1e-6
        flat = valid.reshape(len(rows), -1)
        first = np.argmax(flat, axis=1)
        result = np.stack([c.reshape(len(rows), -1)[np.arange(len(rows)), first] for c in corners], axis=1)
        result[~flat.any(axis=1)] = -1
        return result


def _box_protect(boxes: _Boxes, withheld, published, frozen, canonical, threshold, proven=None
                 ) -> tuple[np.ndarray, list[int]]:
    """Step 4 of the module's steps: every withheld aggregate gets a box (`_Boxes`) of withheld
    corners, the cheapest one when it has none yet, unless `proven` already (a rare group's pattern,
    `_RarePattern`); returns those no box can protect (every box would need a shown figure decided
    elsewhere)."""
    withheld = withheld.copy()
    copies = _Copies(canonical)
    targets = [row for row in np.flatnonzero(withheld & published) if canonical[row] == row]
    proven = np.zeros(len(withheld), dtype=bool) if proven is None else proven.copy()  # a box's corner, or proved
    unproven = []
    # Boxes among the already withheld, for every figure at once (what most figures need); a box
    # proves each of its corners, so their own search is skipped, as in the loop below.
    targets = sorted((row for row in targets if not proven[row]), key=lambda r: (boxes.counts[r], r))
    for start in range(0, len(targets), 2000):  # in chunks: the search's arrays grow with the figures
        chunk = np.array(targets[start:start + 2000], dtype=int)
        for limit in (3, 10):  # a few alternatives find most boxes; the wider search only for the rest
            found = boxes.witnessed(chunk, withheld, threshold, limit=limit)
            boxed = found[found[:, 0] >= 0]
            proven[copies.of(boxed.ravel()) if len(boxed) else []] = True
            chunk = chunk[found[:, 0] < 0]
            if not len(chunk):
                break
    for row in targets:
        if proven[row]:
            continue
        found = boxes.best(row, withheld, withheld, threshold, limit=10)
        if found is None:
            can_hide = withheld | (published & ~frozen)
            found = boxes.best(row, withheld, can_hide, threshold, limit=6) or boxes.best(row, withheld, can_hide, threshold)
        if found is None:
            unproven.append(row)
            continue
        corners = copies.of(found)
        withheld[corners] = True
        proven[corners] = True
    return withheld, unproven


#: A group is rare when at least this share of its finest cells (school and grade) are under the threshold.
RARE_SHARE = 0.9


class _RarePattern:
    """A rare group withheld together with a partner, and the proof that neither can be narrowed.

    A value of the group dimension under the threshold in (nearly) every finest cell (a third gender with a
    few students in each school and grade) has no box of its own: a box through its tiny cells moves
    too little, so the only boxes went through the district's totals, and the district's rows of the
    common values were withheld. Instead the rare value and its partner (the largest other value)
    are withheld in every figure below the district's own. Students can then trade between the two
    anywhere: the rare value's figure `a` gains z where its partner's loses z, and the reverse
    happens in cells outside `a`, so the district's rows and every other value stay put. A visitor
    cannot tell `a` apart within min(partner(a), R - rare(a)) + min(rare(a), P - partner(a)) (R and P
    the district's counts of the two); a figure whose range reaches the threshold is proved, any
    other gets a box as usual.
    """

    def __init__(self, table: pd.DataFrame, dims, nested: str, published: np.ndarray, threshold: float,
                 cells: pd.DataFrame, members: list[np.ndarray]):
        self.threshold = threshold
        others = [d for d in dims if d != nested]
        group = table[nested].astype(str).to_numpy()
        placed = table[others].astype(str).to_numpy()
        counts = table["n"].to_numpy(dtype=float)
        below = ~(placed == ALL).all(axis=1)  # every figure but the district's own
        finest = (placed != ALL).all(axis=1) & (group != ALL) & published
        district = ~below & (group != ALL) & published
        sizes = dict(zip(group[district], counts[district]))
        rare = [v for v in sizes if finest[group == v].any()
                and (counts[finest & (group == v)] < threshold).mean() >= RARE_SHARE]
        common = [v for v in sizes if v not in rare]
        self.rows = np.zeros(len(table), dtype=bool)
        self.range = np.zeros(len(table))
        if not rare or not common:
            return
        partner = max(common, key=lambda v: (sizes[v], v))
        at = {tuple(key): row for row, key in enumerate(placed) if group[row] == partner and published[row]}
        anchored = placed[:, 0] != ALL  # figures that name a value of the first filter (a school)
        for value in rare:
            pairs = [(row, at[tuple(placed[row])]) for row in np.flatnonzero((group == value) & below & published)
                     if tuple(placed[row]) in at]
            spread = self._within_columns(value, partner, cells, nested, others, members, pairs)
            # Trading within each column (e.g. between the schools of one grade) leaves the column's
            # own figures shown; possible when those are all large and every anchored figure is proved.
            unanchored_small = ((group == value) & ~anchored & below & published & (counts < threshold)).any()
            narrow = any(spread[row] < threshold - 1e-6 for row, _ in pairs if anchored[row])
            if not unanchored_small and not narrow and len(others) > 1:
                pairs = [(row, other) for row, other in pairs if anchored[row]]
            else:
                spread = {row: min(counts[other], sizes[value] - counts[row])
                          + min(counts[row], sizes[partner] - counts[other]) for row, other in pairs}
            for row, other in pairs:
                self.rows[[row, other]] = True
                self.range[row] = max(self.range[row], spread[row])
                self.range[other] = max(self.range[other], spread[row])

    @staticmethod
    def _within_columns(value, partner, cells, nested, others, members, pairs) -> dict[int, float]:
        """For each figure of the rare `value`, how far it can move when students trade with the
        partner only between cells of one column (the same values of every filter but the first):
        per finest cell min(partner, column's rare - rare) up and min(rare, column's partner - partner)
        down, added over the figure's cells."""
        labels = cells[nested].astype(str).to_numpy()
        place = pd.MultiIndex.from_frame(cells[others].astype(str))
        position, _ = pd.factorize(place)
        column, _ = pd.factorize(pd.MultiIndex.from_frame(cells[others[1:]].astype(str))) if len(others) > 1 else (
            np.zeros(len(cells), dtype=int), None)
        n = cells["n"].to_numpy(dtype=float)
        size = position.max() + 1 if len(position) else 0
        rare_at = np.bincount(position[labels == value], weights=n[labels == value], minlength=size)
        partner_at = np.bincount(position[labels == partner], weights=n[labels == partner], minlength=size)
        column_of = np.zeros(size, dtype=int)
        column_of[position] = column
        rare_column = np.bincount(column_of, weights=rare_at)
        partner_column = np.bincount(column_of, weights=partner_at)
        moves = (np.minimum(partner_at, rare_column[column_of] - rare_at)
                 + np.minimum(rare_at, partner_column[column_of] - partner_at))
        return {row: float(moves[position[members[row]]].sum()) for row, _ in pairs}

    def proven(self, withheld: np.ndarray) -> np.ndarray:
        """The pattern's figures proved: wide enough, with every figure of the pattern withheld."""
        if not self.rows.any() or not withheld[self.rows].all():
            return np.zeros(len(withheld), dtype=bool)
        return self.rows & (self.range >= self.threshold - 1e-6)


class _Copies:
    """The rows of every copy of a figure (aggregates made of the same cells), found without a scan."""

    def __init__(self, canonical: np.ndarray):
        self.canonical = canonical
        order = np.argsort(canonical, kind="stable")
        self.order = order
        self.starts = np.searchsorted(canonical[order], np.arange(len(canonical) + 1))

    def of(self, rows) -> np.ndarray:
        firsts = np.unique(self.canonical[np.asarray(rows, dtype=int)])
        return np.concatenate([self.order[self.starts[f]:self.starts[f + 1]] for f in firsts])


class CubeDecisions:
    """The decisions for every slice of a frame of people, made when first asked for and kept.

    `frame` has one row per person and figure (e.g. per student, subject and window); `filters`
    are the columns a view filters by (e.g. school_id, grade), `by` the columns each view fixes
    (e.g. subject, window), `counted` the column whose non-missing rows are the people counted.
    Group columns hold text labels; `unpublished` is the label never shown ("not recorded").
    `people` names the column that identifies each person (e.g. student_id): slices that count
    mostly the same people in the same cells (`_linked_keys`: each subject of a window, each window of
    a school year, every window when a student keeps one grade throughout) are decided together, so a
    figure withheld in one of them is withheld in all (`_decided_together`).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"school": ["A"] * 14 + ["B"] * 30, "el": ["yes"] * 4 + ["no"] * 40,
    ...                       "window": "fall", "score": 1.0})
    >>> decisions = CubeDecisions(frame, filters=["school"], by=["window"], counted="score")
    >>> decisions.groups(("fall",), "el").withheld(school="A", group="yes")
    True
    """

    def __init__(self, frame: pd.DataFrame, *, filters: Sequence[str], by: Sequence[str], counted: str,
                 unit: Unit | int | None = STUDENTS, unpublished: str = "not recorded", people: str | None = None):
        self.frame, self.filters, self.by, self.counted = frame, list(filters), list(by), counted
        self.unit, self.unpublished, self.people = as_unit(unit), unpublished, people
        self._totals: dict[tuple, CubeDecision] = {}
        self._groups: dict[tuple, CubeDecision] = {}
        self._slices: dict[tuple, np.ndarray] = {}
        self._counted: np.ndarray | None = None
        self._codes: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._combinations: dict[tuple, tuple[np.ndarray, list[np.ndarray]]] = {}
        self._siblings: dict[int, CubeDecisions] = {self.unit.min_group_size: self}
        self._links: dict[tuple, list[tuple]] = {}  # each key's linked keys (`_linked_keys`), found once

    def for_unit(self, unit: Unit | int) -> CubeDecisions:
        """The decisions for another threshold over the same frame (made once, then kept)."""
        unit = as_unit(unit, self.unit)
        if unit.min_group_size not in self._siblings:
            sibling = CubeDecisions(self.frame, filters=self.filters, by=self.by, counted=self.counted, unit=unit,
                                    unpublished=self.unpublished, people=self.people)
            sibling._slices, sibling._siblings = self._slices, self._siblings
            sibling._codes, sibling._combinations, sibling._links = self._codes, self._combinations, self._links
            self._siblings[unit.min_group_size] = sibling
        return self._siblings[unit.min_group_size]

    def published_groups(self, group: str) -> list[str]:
        """Every label of the column `group` a view lists (all but the unpublished one)."""
        labels = self.frame[group]
        every = {str(v) for v in (labels.cat.categories if hasattr(labels, "cat") else labels.dropna().unique())}
        return sorted(every - {self.unpublished})

    def _counted_rows(self) -> np.ndarray:
        """Which rows of the frame count a person (their `counted` value is there), worked out once."""
        if self._counted is None:
            self._counted = self.frame[self.counted].notna().to_numpy()
        return self._counted

    def _slice(self, key: tuple) -> np.ndarray:
        """The positions of the frame's rows counted in `key`'s slice (its values of `by`)."""
        if key not in self._slices:
            mask = self._counted_rows().copy()
            for column, value in zip(self.by, key):
                values = self.frame[column]
                if hasattr(values, "cat"):  # compare the few categories, not every row's text
                    matching = [c for c in values.cat.categories if str(c) == str(value)]
                    mask &= values.isin(matching).to_numpy()
                else:
                    mask &= (values.astype(str) == str(value)).to_numpy()
            self._slices[key] = np.flatnonzero(mask)
        return self._slices[key]

    def _coded(self, rows: np.ndarray, column: str, missing: str) -> tuple[np.ndarray, np.ndarray]:
        """A column at `rows` as codes into its text labels (each label once), a missing value as the
        label `missing`: integer work instead of grouping a hundred thousand texts."""
        if (column, missing) not in self._codes:
            values = self.frame[column]
            if hasattr(values, "cat"):
                codes, labels = values.cat.codes.to_numpy().astype(np.int64), [str(c) for c in values.cat.categories]
            else:
                codes, uniques = pd.factorize(values)
                labels = [str(u) for u in uniques]
            codes = np.where(codes < 0, len(labels), codes)
            unique, inverse = np.unique(np.array([*labels, missing], dtype=object), return_inverse=True)
            self._codes[(column, missing)] = (inverse.ravel()[codes], unique)
        codes, labels = self._codes[(column, missing)]
        return codes[rows], labels

    def _filter_codes(self, key: tuple) -> tuple[np.ndarray, list[np.ndarray]]:
        """For every row of `key`'s slice the number of its combination of the filters, in the order
        each combination first appears; and each combination's labels (one array per filter). A
        missing filter value (no grade recorded) is one more value: no view offers it as a filter,
        but it is protected like any other, so a few students without a grade cannot be worked out
        from a school's total minus its grades."""
        if key not in self._combinations:
            rows = self._slice(key)
            coded = [self._coded(rows, column, self.unpublished) for column in self.filters]
            shape = [len(labels) for _, labels in coded]
            flat = np.ravel_multi_index([codes for codes, _ in coded], shape) if len(rows) else np.zeros(0, dtype=int)
            unique, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
            order = np.argsort(first, kind="stable")
            rank = np.empty(len(order), dtype=int)
            rank[order] = np.arange(len(order))
            places = np.unravel_index(unique[order], shape)
            self._combinations[key] = (rank[inverse.ravel()], [labels[at] for (_, labels), at in zip(coded, places)])
        return self._combinations[key]

    def _filter_cells(self, key: tuple) -> pd.DataFrame:
        combination, labels = self._filter_codes(key)
        cells = pd.DataFrame(dict(zip(self.filters, labels)))
        cells["n"] = np.bincount(combination, minlength=len(cells)).astype(np.int64)
        return cells

    def totals(self, key: tuple) -> CubeDecision:
        """Everyone in each combination of the filters (the "all students" rows every group column shares)."""
        key = tuple(str(k) for k in key)
        if key not in self._totals:
            self._totals.update(self._decided_with_families(
                key, self._filter_cells, lambda k, cells, forced: protect_cube(cells, self.filters, self.unit,
                                                                               fixed=forced)))
        return self._totals[key]

    def _families(self, key: tuple) -> list[list[tuple]]:
        """Every family of linked keys (`_linked_keys`) in one order, `key`'s among them; `key` alone
        when no people are named."""
        links = self._linked_keys()
        if key not in links:
            return [[key]]
        return sorted({tuple(family) for family in links.values()}, key=lambda family: family[0])

    def _decided_with_families(self, key: tuple, cells_of, decide) -> dict[tuple, CubeDecision]:
        """A decision for every key of every family (`_decided_together` for each), such that a figure
        with the same count for keys of two families has the same fate in both: families are keys that
        hold different schools and grades (a subject tested in fewer grades) or count other people, and
        a reader may still take two equal counts for the same figure. A figure withheld in one family is
        forced withheld in each family that shows it with the same count, and those families are
        decided again until none does (forced rows only withhold: a small figure is never forced shown)."""
        families = [list(family) for family in self._families(key)]
        cells = [{k: cells_of(k) for k in family} for family in families]
        forced: list[pd.DataFrame | None] = [None] * len(families)
        decided: dict[tuple, CubeDecision] = {}
        again = range(len(families))
        for _ in range(10):
            for i in again:
                decided.update(_decided_together(cells[i], lambda k, c, rows=forced[i]: decide(k, c, rows)))
            exposed = _equal_count_conflicts(decided, families) if len(families) > 1 else {}
            if not exposed:
                break
            for i, rows in exposed.items():
                forced[i] = rows if forced[i] is None else pd.concat([forced[i], rows]).drop_duplicates()
            again = list(exposed)
        return decided

    def _linked_keys(self) -> dict[tuple, list[tuple]]:
        """For each key with people counted, every key in its family: two keys are linked when they hold
        the same combinations of the filters (schools and grades) and at least half of the smaller one's
        people are counted in both, in the same combination (a reader may then take a figure's count to
        be the same in both); a family is every key reached through links. Worked out once, from integer
        codes (a district has a million rows)."""
        if self.people is None or self._links:
            return self._links
        from scipy import sparse  # imported when first needed: a served app starts without it
        from scipy.sparse.csgraph import connected_components

        rows = np.flatnonzero(self._counted_rows())
        if not len(rows):
            return self._links
        grouped = self.frame.iloc[rows][self.by].groupby(self.by, observed=True, sort=False)
        key_of = grouped.ngroup().to_numpy()
        firsts = np.unique(key_of, return_index=True)[1]
        values = self.frame.iloc[rows[firsts]][self.by].astype(str).to_numpy()
        keys = [tuple(v) for v in values]
        coded = [self._coded(rows, column, self.unpublished) for column in [self.people, *self.filters]]
        place = np.ravel_multi_index([codes for codes, _ in coded], [len(labels) for _, labels in coded])
        pairs = np.sort(place * len(keys) + key_of)  # sorted, not np.unique: its hashing takes seconds here
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]  # each person's place once per key
        places = pairs // len(keys)
        cell = np.cumsum(np.concatenate([[0], places[1:] != places[:-1]]))
        present = sparse.csr_matrix((np.ones(len(pairs)), (cell, pairs % len(keys))), shape=(cell[-1] + 1, len(keys)))
        shared = (present.T @ present).toarray()
        sizes = np.diag(shared)
        # Keys are linked only where they hold the same combinations of the filters: one decision for
        # both then holds for each (`_decided_together`); a subject tested in fewer grades, or a school
        # that opened a year later, is decided on its own.
        filter_place = np.ravel_multi_index([codes for codes, _ in coded[1:]], [len(labels) for _, labels in coded[1:]])
        held = np.unique(filter_place * len(keys) + key_of)
        supports = [held[held % len(keys) == k] // len(keys) for k in range(len(keys))]
        same = np.array([[np.array_equal(a, b) for b in supports] for a in supports])
        linked = same & (shared >= 0.5 * np.minimum.outer(sizes, sizes))
        _, family = connected_components(sparse.csr_matrix(linked), directed=False)
        for number in np.unique(family):
            members = [keys[i] for i in np.flatnonzero(family == number)]
            self._links.update(dict.fromkeys(members, members))
        return self._links

    def decided(self, key: tuple, group: str) -> bool:
        """Whether `groups(key, group)` has been worked out already (it is then only looked up)."""
        return (tuple(str(k) for k in key), group) in self._groups

    def groups(self, key: tuple, group: str) -> CubeDecision:
        """Each group of the column `group` in each combination of the filters (dimension "group")."""
        key = tuple(str(k) for k in key)
        if (key, group) not in self._groups:
            dims = [*self.filters, "group"]

            def decide(k: tuple, cells: pd.DataFrame, forced: pd.DataFrame | None) -> CubeDecision:
                fixed = self.totals(k).table.assign(group=ALL)[[*dims, "withheld"]]
                if forced is not None:  # the totals' own fates come from `totals`, decided the same way
                    fixed = pd.concat([fixed, forced[forced["group"] != ALL]], ignore_index=True)
                return protect_cube(cells, dims, self.unit, unpublished={"group": [self.unpublished]}, fixed=fixed,
                                    nested="group")

            decided = self._decided_with_families(key, lambda k: self._group_cells(k, group), decide)
            self._groups.update({(k, group): decision for k, decision in decided.items()})
        return self._groups[(key, group)]

    def _group_cells(self, key: tuple, group: str) -> pd.DataFrame:
        """The cube's cells for `key`: each combination of the filters and each label of `group`, with `n`."""
        labels = self.frame[group]
        every = sorted({str(v) for v in (labels.cat.categories if hasattr(labels, "cat") else labels.unique())}
                       | {str(v) for v in labels.dropna().unique()})
        combination, places = self._filter_codes(key)
        codes, names = self._coded(self._slice(key), group, "nan")
        position = {name: at for at, name in enumerate(every)}
        column = np.array([position.get(name, -1) for name in names], dtype=int)[codes]
        listed = column >= 0  # a missing label (no group value at all) is in no group's cell
        counts = np.bincount(combination[listed] * len(every) + column[listed], minlength=len(places[0]) * len(every))
        cells = pd.DataFrame({f: np.repeat(values, len(every)) for f, values in zip(self.filters, places)})
        cells["group"] = np.tile(np.array(every, dtype=object), len(places[0]))
        cells["n"] = counts.astype(float)
        return cells


def _decided_together(cells: Mapping[tuple, pd.DataFrame], decide) -> dict[tuple, CubeDecision]:
    """One decision per key (`decide(key, cells)` makes one), the same fates for every key: linked keys
    (each subject of a window, each window of a school year) count mostly the same students, and a
    figure shown for one key and withheld for another would undo the protection for a reader who takes
    the two counts to be equal. Keys with the same cells share one decision; otherwise the decision is
    made once on the cube of each cell's smallest count over the keys (a cell missing from a key counts
    0), and each key's table keeps its own counts. That decision holds for every key: a figure small
    for any key is small there, and a proof (a box, a rare group's trades) that moves counts no lower
    than 0 in the smallest cube moves them no lower than 0 in a larger one.

    >>> cells = {("math",): pd.DataFrame({"school": ["A", "B", "C"], "n": [4, 30, 25]}),
    ...          ("reading",): pd.DataFrame({"school": ["A", "B", "C"], "n": [12, 30, 24]})}
    >>> decided = _decided_together(cells, lambda k, c: protect_cube(c, ["school"]))
    >>> [decided[k].withheld(school="A") for k in cells], [int(decided[k].table["n"].iloc[0]) for k in cells]
    ([True, True], [4, 12])
    """
    frames = [frame.reset_index(drop=True) for frame in cells.values()]
    first_key, first = next(iter(cells)), frames[0]
    if all(len(frame) == len(first) and frame.equals(first) for frame in frames[1:]):
        return dict.fromkeys(cells, decide(first_key, first))
    dims = [column for column in first.columns if column != "n"]
    every = pd.concat(frames, ignore_index=True)
    found = every.groupby(dims, sort=False, observed=True)["n"].agg(["min", "size"]).reset_index()
    smallest = found[dims].assign(n=np.where(found["size"] == len(frames), found["min"], 0.0))
    together = decide(first_key, smallest)
    fates = together.table[[*dims, "withheld"]].astype({d: str for d in dims})
    decided = {}
    for key, frame in zip(cells, frames):
        own = aggregates(frame, dims)[0][[*dims, "n"]].astype({d: str for d in dims})
        table = fates.merge(own, on=dims, how="left").fillna({"n": 0.0})
        decided[key] = CubeDecision(together.dims, table[[*dims, "n", "withheld"]])
    return decided


def _equal_count_conflicts(decided: Mapping[tuple, CubeDecision], families: Sequence[Sequence[tuple]]
                           ) -> dict[int, pd.DataFrame]:
    """For each family (its place in `families`) the figures it shows that a key of another family
    withholds with the same count (a count of 0 is withheld everywhere): the dims as text, `withheld`."""
    family_of = {k: i for i, family in enumerate(families) for k in family}
    dims = list(next(iter(decided.values())).dims)
    every = pd.concat([d.table.assign(_family=family_of[k]) for k, d in decided.items()], ignore_index=True)
    every = every[every["n"] > 0]
    hidden_somewhere = every.groupby([*dims, "n"], sort=False)["withheld"].transform("any").to_numpy(dtype=bool)
    exposed = every[hidden_somewhere & ~every["withheld"].to_numpy(dtype=bool)]
    return {int(i): rows[dims].astype(str).drop_duplicates().assign(withheld=True).reset_index(drop=True)
            for i, rows in exposed.groupby("_family")}


class _Kept:
    """Holds an object in a frame's `attrs` without copying it when pandas copies the attrs."""

    def __init__(self, value):
        self.value = value

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def attach(frame: pd.DataFrame, decisions: CubeDecisions) -> pd.DataFrame:
    """Keep `decisions` with `frame` (and with every slice pandas makes of it); returns `frame`."""
    frame.attrs["cube_decisions"] = _Kept(decisions)
    return frame


def attached(frame: pd.DataFrame) -> CubeDecisions | None:
    """The decisions kept with `frame` by `attach`, or None."""
    kept = frame.attrs.get("cube_decisions")
    return kept.value if isinstance(kept, _Kept) else None
