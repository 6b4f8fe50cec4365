"""Results for each group of students, gaps between groups, and small-group suppression.

Every stage that shows a result by student group goes through this module, so the privacy rule is
the same everywhere (`kit.privacy`): a value about fewer than `min_group_size` students (10 unless
the dataset says otherwise) is withheld, and so is any other value that would let someone work it
out from a total (complementary suppression). A withheld value is not dropped: its row stays, with
`suppressed` True, the numbers missing and the policy's one `note`. A frame sliced by stage 1's
`select` follows the dataset's one decision for every view (`view_decision`, `kit.privacy.cube`);
then every published group is listed and "not recorded" never is.

>>> import pandas as pd
>>> frame = pd.DataFrame({"score": [200.0] * 30 + [190.0] * 12 + [180.0] * 3,
...                       "english_learner": [False] * 30 + [True] * 12 + [None] * 3})
>>> table = disaggregate(frame, "score", "english_learner")
>>> table[["group", "n", "mean", "suppressed"]]
          group     n   mean  suppressed
0            no    30  200.0       False
1           yes  <NA>    NaN        True
2  not recorded  <NA>    NaN        True
>>> table["note"].tolist()[1]
'withheld to protect groups of fewer than 10 students'

The public functions (all pure; none changes the frame it is given):

- `group_columns(students)`: the student group columns a students table has (built-in and extra).
- `group_values(series)`: a group column as text labels ("yes"/"no", "not recorded" for blanks).
- `order_groups(values)`: group labels in the order tables and charts show them.
- `disaggregate(frame, value, group, ...)`: n, mean and SD of `value` for each group.
- `gaps(frame, value, group, reference=...)`: each group against all other students, all students
  or a named group, with the gap's 95% interval (`gap_interval`).
- `gap_change(frame, value, group, first=..., second=...)`: how each gap changed between windows.
- `suppress(table, count_column, value_columns, min_group_size, ...)`: `kit.privacy.withhold_small`
  for students (`primary_suppression`, `complementary_suppression`, `recoverable_cells` live there).
- `view_decision(frame, group, min_group_size)`: the cube decision a view of a `select`ed slice follows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from kit import schema
from kit.analysis.stats import hedges_g_from_summary, welch_difference
from kit.privacy import DEFAULT_MIN_GROUP_SIZE, Unit, as_unit, withheld_words, withhold_small
from kit.privacy.cube import attached
from kit.privacy.suppression import (  # noqa: F401  (public here too: the stage code and tests use these names)
    complementary_suppression,
    primary_suppression,
    recoverable_cells,
    suppression_mask,
)

#: The label of students whose group column is blank.
NOT_RECORDED = "not recorded"
#: The label of the row that holds every student of a line (`disaggregate(..., total=True)`).
ALL_STUDENTS = "all students"
#: References a gap can be measured against (or the label of one group, such as "no").
REST, ALL = "rest", "all"
REFERENCE_WORDS = {REST: "all other students", ALL: "all students"}


def complementary_note(min_group_size: int | Unit = DEFAULT_MIN_GROUP_SIZE) -> str:
    """The words of any withheld value: the same as a small group's, so the notes never tell which
    withheld cells are the small ones (`kit.privacy.withheld_words`)."""
    return withheld_words(as_unit(min_group_size))


# -- group columns --------------------------------------------------------------------------------
def group_columns(students: pd.DataFrame) -> list[str]:
    """The student group columns in `students`: the kit's own (`schema.STUDENT_GROUP_COLUMNS`) that
    hold any value, then every extra column a coach added (each extra column is a group).

    >>> group_columns(pd.DataFrame(columns=["student_id", "school_id", "grade", "low_income", "club"]))
    ['low_income', 'club']
    """
    table = schema.table_by_name("students")
    built_in = [column for column in schema.STUDENT_GROUP_COLUMNS if column in students.columns]
    extra = ([column for column in students.columns if column not in table.column_names]
             if table.extra_columns_are else [])
    return [column for column in built_in + extra if students[column].notna().any() or students.empty]


def group_values(series: pd.Series) -> pd.Series:
    """The group column as text: yes/no for true/false, "not recorded" for blanks.

    >>> group_values(pd.Series([True, None, False], dtype="boolean")).tolist()
    ['yes', 'not recorded', 'no']
    """
    if isinstance(series.dtype, pd.CategoricalDtype):  # label the few categories, not every row
        labels = group_values(pd.Series(series.cat.categories, dtype=series.cat.categories.dtype))
        codes = series.cat.codes.to_numpy()
        return pd.Series(np.append(labels.to_numpy(), NOT_RECORDED)[codes], index=series.index)
    present = series.dropna()
    if series.dtype == object and len(present) and all(isinstance(v, (bool, np.bool_)) for v in present):
        series = series.astype("boolean")
    if pd.api.types.is_bool_dtype(series.dtype):
        text = series.map({True: "yes", False: "no"}, na_action="ignore")
    else:
        text = series.astype("string").str.strip().replace("", pd.NA)
    return text.astype(object).where(text.notna(), NOT_RECORDED).astype(str)


def group_label(column: str, value: str) -> str:
    """A group in words: `group_label("english_learner", "yes") == "english learner: yes"`."""
    return ALL_STUDENTS if value == ALL_STUDENTS else f"{column.replace('_', ' ')}: {value}"


def order_groups(values) -> list[str]:
    """Distinct group labels in the order every table and chart shows them: "no" before "yes",
    other labels alphabetically, then "not recorded", then "all students".

    >>> order_groups(["yes", "not recorded", "no", "yes"])
    ['no', 'yes', 'not recorded']
    >>> order_groups(["White", "all students", "Asian"])
    ['Asian', 'White', 'all students']
    """
    preferred = {"no": 0, "yes": 1}
    return sorted(set(values), key=lambda v: (v == ALL_STUDENTS, v == NOT_RECORDED, preferred.get(v, 2), v))


# -- suppression (the policy's own functions, kept here under their old names) ------------------------
def suppress(table: pd.DataFrame, count_column: str = "n", value_columns: Sequence[str] = (),
             min_group_size: int | Unit = DEFAULT_MIN_GROUP_SIZE, *, by: Sequence[str] = (),
             lines: Sequence[Sequence[str]] | None = None, forced=None) -> pd.DataFrame:
    """`kit.privacy.withhold_small` for students (or the `Unit` given as `min_group_size`).

    >>> counts = pd.DataFrame({"group": ["a", "b", "c"], "n": [4, 30, 12], "mean": [1.0, 2.0, 3.0]})
    >>> suppress(counts, "n", ["mean"], 10)[["group", "n", "mean", "suppressed"]]
      group     n  mean  suppressed
    0     a  <NA>   NaN        True
    1     b    30   2.0       False
    2     c  <NA>   NaN        True
    """
    return withhold_small(table, count_column, as_unit(min_group_size), value_columns, by=by, lines=lines,
                          forced=forced)


# -- one decision for every view ----------------------------------------------------------------------
def view_decision(frame: pd.DataFrame, group: str, min_group_size: int | Unit = DEFAULT_MIN_GROUP_SIZE):
    """The cube decision a view of `frame` must follow, and where in the cube the view sits, or None.

    A frame made by stage 1's `prepare` carries its `kit.privacy.cube.CubeDecisions` and a slice made
    by its `select` says which filters made it (`frame.attrs["selection"]`); every view of such a
    slice then shows or withholds exactly what the one decision for the whole dataset says.
    """
    decisions = attached(frame)
    selection = frame.attrs.get("selection")
    if decisions is None or selection is None or group not in decisions.frame.columns:
        return None
    if any(selection.get(column) is None for column in decisions.by):
        return None
    decisions = decisions.for_unit(as_unit(min_group_size))
    key = tuple(selection[column] for column in decisions.by)
    where = {column: selection.get(column) for column in decisions.filters}
    return decisions, decisions.groups(key, group), where


def _cells_are_views(frame: pd.DataFrame, group: str, by: Sequence[str]) -> bool:
    """Whether each cell of `by` is itself a view the frame's cube decision covers: a slice of stage 1's
    frame for one subject, tabled by window (stage 6's series and goals). Each cell must then follow
    the decision, as the same figure does in stage 1, or the two views together would give away what
    the decision withholds."""
    decisions, selection = attached(frame), frame.attrs.get("selection")
    if not by or decisions is None or selection is None or group not in decisions.frame.columns or not len(frame):
        return False
    return set(by) <= set(decisions.by) and all(selection.get(c) is not None or c in by for c in decisions.by)


def _each_cell(frame: pd.DataFrame, by: Sequence[str], view) -> pd.DataFrame:
    """`view(part)` for each cell of `by` (its selection naming the cell), with the `by` columns in front.

    >>> frame = pd.DataFrame({"window": ["fall", "spring", "spring"], "score": [1.0, 2.0, 4.0]})
    >>> frame.attrs["selection"] = {"window": None}
    >>> _each_cell(frame, ["window"], lambda part: pd.DataFrame({"mean": [part["score"].mean()]}))
       window  mean
    0    fall   1.0
    1  spring   3.0
    """
    tables = []
    for values, part in frame.groupby(list(by), observed=True, sort=True):
        values = values if isinstance(values, tuple) else (values,)
        part = part.copy()
        part.attrs = {**frame.attrs, "selection": {**frame.attrs["selection"], **dict(zip(by, map(str, values)))}}
        table = view(part)
        for column, value in reversed(list(zip(by, values))):
            table.insert(0, column, value)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def _withhold_rows(table: pd.DataFrame, count_column: str, value_columns: Sequence[str], min_group_size,
                   by: Sequence[str], decided, withheld: Collection[str] = ()) -> pd.DataFrame:
    """`suppress` for a table of groups (and an optional "all students" row), the groups `withheld`
    names withheld whatever their size; or the cube decision's verdict for each row when the view has
    one (`view_decision`)."""
    if decided is None:
        forced = table["group"].astype(str).isin([str(g) for g in withheld]).to_numpy() if len(withheld) else None
        return suppress(table, count_column, value_columns, min_group_size, by=by, forced=forced)
    _, cube, where = decided
    result = table.reset_index(drop=True).copy()
    withheld = np.array([cube.withheld(**where, group=None if label == ALL_STUDENTS else label)
                         for label in result["group"]], dtype=bool)
    result[count_column] = result[count_column].astype("Int64").mask(withheld)
    for column in value_columns:
        result[column] = result[column].astype(float).mask(withheld)
    result["suppressed"] = withheld
    result["note"] = np.where(withheld, withheld_words(as_unit(min_group_size)), "")
    return result


def _every_group(sums: pd.DataFrame, group: str, decided) -> pd.DataFrame:
    """With a decision, every published group of the column, empty ones too (n 0), and never "not
    recorded": which groups are listed then tells nothing about the selection."""
    if decided is None:
        return sums
    decisions = decided[0]
    labels = order_groups(decisions.published_groups(group))
    frame = pd.DataFrame({"group": labels})
    merged = frame.merge(sums.drop(columns="group_column"), on="group", how="left")
    merged[["n", "total", "total2"]] = merged[["n", "total", "total2"]].fillna(0)
    merged.insert(0, "group_column", group)
    return merged


# -- disaggregation ---------------------------------------------------------------------------------
def _numeric(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("Float64").astype(float)
    return pd.to_numeric(series, errors="coerce").astype(float)


def cell_sums(frame: pd.DataFrame, value: str, group: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Unpublished building block: n, sum and sum of squares of `value` for each group (and `by` cell).
    These exact counts must pass through `suppress` before anyone sees them."""
    data = pd.DataFrame({column: frame[column] for column in by})
    data["group"] = group_values(frame[group]).to_numpy()
    data["x"] = _numeric(frame[value]).to_numpy()
    data = data[data["x"].notna()]
    data["x2"] = data["x"] ** 2
    sums = (data.groupby([*by, "group"], observed=True, sort=False)
                .agg(n=("x", "size"), total=("x", "sum"), total2=("x2", "sum")).reset_index())
    order = {label: index for index, label in enumerate(order_groups(sums["group"]))}
    line = sums.groupby(list(by), sort=False, observed=True).ngroup() if by else 0  # lines in first-seen order
    sums = (sums.assign(_line=line, _order=sums["group"].map(order)).sort_values(["_line", "_order"])
                .drop(columns=["_line", "_order"]))
    sums.insert(len(by), "group_column", group)
    return sums.reset_index(drop=True)


def _moments(n, total, total2) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.asarray(total, dtype=float) / n
        variance = (np.asarray(total2, dtype=float) - n * mean ** 2) / (n - 1)
    return mean, np.sqrt(np.clip(variance, 0, None))


def _with_totals(sums: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    if by:
        totals = sums.groupby(list(by), observed=True, sort=False)[["n", "total", "total2"]].transform("sum")
    else:
        totals = pd.DataFrame({c: np.full(len(sums), sums[c].sum()) for c in ("n", "total", "total2")},
                              index=sums.index)
    return totals


def disaggregate(frame: pd.DataFrame, value: str, group: str, *, by: Sequence[str] = (),
                 min_group_size: int = DEFAULT_MIN_GROUP_SIZE, total: bool = False,
                 withheld: Collection[str] = ()) -> pd.DataFrame:
    """The mean and SD of `value` for each group of `group`, one row per group (and per `by` cell).

    `frame` has one row per student (per `by` cell, e.g. per window), the `value` column (a number,
    or yes/no: its mean is then the share of yes) and the `group` column. Blank values are left
    out; a blank group is the group "not recorded". Columns: the `by` columns, `group_column`,
    `group`, `n`, `mean`, `sd`, `suppressed`, `note`. With `total=True` each line ends with an
    "all students" row (withheld under the threshold too). The groups `withheld` names (figures
    another view withholds) are withheld whatever their size, with complements as for a small one
    (a view that follows stage 1's decision takes every fate from it). See the module's example.
    """
    if _cells_are_views(frame, group, by):
        return _each_cell(frame, by, lambda part: disaggregate(part, value, group, min_group_size=min_group_size,
                                                               total=total, withheld=withheld))
    decided = None if by else view_decision(frame, group, min_group_size)
    everyone = cell_sums(frame, value, group, by)  # "not recorded" included: it counts in every total
    sums = _every_group(everyone, group, decided)
    mean, sd = _moments(sums["n"], sums["total"], sums["total2"])
    table = sums[[*by, "group_column", "group", "n"]].assign(mean=mean, sd=sd)
    result = _withhold_rows(table, "n", ["mean", "sd"], min_group_size, by, decided, withheld)
    if total:
        totals = _total_rows(everyone, by, group, min_group_size, decided)
        result = pd.concat([result, totals], ignore_index=True)
        if by:
            line = result.groupby(list(by), sort=False, observed=True).ngroup()
            result = result.iloc[np.argsort(line.to_numpy(), kind="stable")].reset_index(drop=True)
    return result


def _total_rows(sums: pd.DataFrame, by: Sequence[str], group: str, min_group_size: int, decided=None) -> pd.DataFrame:
    grouped = (sums.groupby(list(by), observed=True, sort=False)[["n", "total", "total2"]].sum().reset_index()
               if by else pd.DataFrame({c: [sums[c].sum()] for c in ("n", "total", "total2")}))
    mean, sd = _moments(grouped["n"], grouped["total"], grouped["total2"])
    rows = grouped[list(by)].assign(group_column=group, group=ALL_STUDENTS, n=grouped["n"], mean=mean, sd=sd)
    if decided is not None:
        return _withhold_rows(rows, "n", ["mean", "sd"], min_group_size, by, decided)
    return suppress(rows, "n", ["mean", "sd"], min_group_size, lines=[[*by, "group"]])


# -- gaps ---------------------------------------------------------------------------------------------
def _standardised(mean, n1, sd1, reference_mean, n2, sd2) -> np.ndarray:
    """Hedges' g of each row's gap from summary figures (`stats.hedges_g_from_summary`: WWC's formula,
    missing where either group has fewer than 2 values or no spread relative to the means' size)."""
    return hedges_g_from_summary(mean, sd1, n1, reference_mean, sd2, n2)["effect"].to_numpy()


def gap_interval(gap, n1, sd1, n2, sd2, *, reference_mean=None) -> tuple[np.ndarray, np.ndarray]:
    """The 95% interval of a difference of two independent means from summary figures: Welch's
    interval (Welch 1947, as in `scipy.stats.ttest_ind(equal_var=False)`), gap -/+ t(0.975, df) * SE
    with SE = sqrt(sd1^2/n1 + sd2^2/n2) and the Welch-Satterthwaite df (`stats.welch_difference`).
    Vectorised over rows; missing where either group has fewer than two values or no spread at all,
    judged by `stats.spread_is_zero` relative to the size of the means (`reference_mean`, the
    reference group's; without it, the gap's own size).

    >>> low, high = gap_interval([-10.0], [15], [5.0], [20], [5.0], reference_mean=[200.0])
    >>> [round(float(low[0]), 1), round(float(high[0]), 1)]
    [-13.5, -6.5]
    >>> gap_interval([-9.6], [12], [3e-14], [13], [2e-14], reference_mean=[221.9])[0].tolist()
    [nan]
    """
    gap = np.asarray(gap, dtype=float)
    reference = np.zeros_like(gap) if reference_mean is None else np.asarray(reference_mean, dtype=float)
    welch = welch_difference(gap + reference, sd1, n1, reference, sd2, n2)
    half = (welch["ci_high"] - welch["difference"]).to_numpy()
    return gap - half, gap + half


def gaps(frame: pd.DataFrame, value: str, group: str, *, reference: str = REST, by: Sequence[str] = (),
         min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Each group's mean of `value` against a reference: `"rest"` (all other students, the default),
    `"all"` (all students) or the label of one group (e.g. `"no"`, `"White"`).

    Columns: the `by` columns, `group_column`, `group`, `n`, `mean`, `reference`, `reference_n`,
    `reference_mean`, `gap` (group mean minus reference mean; negative means behind),
    `effect_size` (the gap in pooled standard deviations, Hedges' g), `gap_low` and `gap_high` (its
    95% interval, `gap_interval`), `suppressed`, `note`.
    A group withheld by `disaggregate` is withheld here too, and so is every gap whose reference is
    under the threshold. A named reference group has no row of its own.

    >>> frame = pd.DataFrame({"score": [200.0] * 20 + [190.0] * 15, "el": ["no"] * 20 + ["yes"] * 15})
    >>> gaps(frame, "score", "el")[["group", "n", "reference_n", "gap"]]
      group   n  reference_n   gap
    0    no  20           15  10.0
    1   yes  15           20 -10.0
    """
    if _cells_are_views(frame, group, by):
        return _each_cell(frame, by, lambda part: gaps(part, value, group, reference=reference,
                                                       min_group_size=min_group_size))
    decided = None if by else view_decision(frame, group, min_group_size)
    everyone = cell_sums(frame, value, group, by)
    sums = _every_group(everyone, group, decided)
    mean, sd = _moments(sums["n"], sums["total"], sums["total2"])
    shown = _withhold_rows(sums[[*by, "group_column", "group", "n"]].assign(mean=mean), "n", ["mean"], min_group_size,
                           by, decided)
    if reference in (REST, ALL):
        totals = _with_totals(sums, by) if decided is None else pd.DataFrame(
            {c: np.full(len(sums), everyone[c].sum()) for c in ("n", "total", "total2")})
        if reference == REST:
            ref = totals - sums[["n", "total", "total2"]].to_numpy()
        else:
            ref = totals
        ref_label = REFERENCE_WORDS[reference]
    else:
        ref = _named_reference(sums, by, reference)
        ref_label = group_label(group, reference)
    ref_mean, ref_sd = _moments(ref["n"], ref["total"], ref["total2"])
    result = shown[[*by, "group_column", "group", "n", "mean"]].copy()
    result["reference"] = ref_label
    result["reference_n"] = pd.array(ref["n"].to_numpy(), dtype="Int64")
    result["reference_mean"] = ref_mean
    result["gap"] = result["mean"] - ref_mean
    result["effect_size"] = _standardised(mean, sums["n"], sd, ref_mean, ref["n"], ref_sd)
    result["gap_low"], result["gap_high"] = gap_interval(mean - ref_mean, sums["n"], sd, ref["n"], ref_sd,
                                                         reference_mean=ref_mean)
    ref_small = (ref["n"].to_numpy(dtype=float) < as_unit(min_group_size).min_group_size)
    if reference not in (REST, ALL):
        ref_small = ref_small | _named_reference_withheld(shown, by, reference)
    elif decided is not None:  # the total is one of the cube's figures: withheld where the decision says
        ref_small = ref_small | decided[1].withheld(**decided[2], group=None)
    withheld = shown["suppressed"].to_numpy() | ref_small
    note = np.where(shown["suppressed"], shown["note"],
                    np.where(ref_small, withheld_words(as_unit(min_group_size)), ""))
    for column in ("reference_n",):
        result[column] = result[column].mask(withheld)
    for column in ("mean", "reference_mean", "gap", "effect_size", "gap_low", "gap_high"):
        result[column] = result[column].astype(float).mask(withheld)
    result["n"] = result["n"].mask(shown["suppressed"].to_numpy())
    result["suppressed"] = withheld
    result["note"] = note
    if reference not in (REST, ALL):
        result = result[result["group"] != reference].reset_index(drop=True)
    if decided is not None:
        result = result[result["group"] != NOT_RECORDED].reset_index(drop=True)
    return result


def _named_reference(sums: pd.DataFrame, by: Sequence[str], reference: str) -> pd.DataFrame:
    chosen = sums[sums["group"] == reference]
    if by:
        ref = sums[list(by)].merge(chosen[[*by, "n", "total", "total2"]], on=list(by), how="left")
    else:
        ref = pd.DataFrame({c: np.full(len(sums), chosen[c].sum() if len(chosen) else np.nan)
                            for c in ("n", "total", "total2")})
    return ref[["n", "total", "total2"]].fillna(0).reset_index(drop=True)


def _named_reference_withheld(shown: pd.DataFrame, by: Sequence[str], reference: str) -> np.ndarray:
    chosen = shown.loc[shown["group"] == reference, [*by, "suppressed"]]
    if by:
        flags = shown[list(by)].merge(chosen, on=list(by), how="left")["suppressed"]
    else:
        flags = pd.Series([bool(chosen["suppressed"].any()) if len(chosen) else True] * len(shown))
    return flags.fillna(True).astype(bool).to_numpy()


def gap_change(frame: pd.DataFrame, value: str, group: str, *, first: str, second: str,
               window: str = "window", reference: str = REST, by: Sequence[str] = (),
               min_group_size: int = DEFAULT_MIN_GROUP_SIZE, tolerance: float = 0.0) -> pd.DataFrame:
    """How each group's gap changed from the `first` window to the `second`.

    Columns: the `by` columns, `group_column`, `group`, `reference`, `first_window`, `second_window`,
    `n_first`, `n_second`, `gap_first`, `gap_second`, `change` (second minus first), `direction`
    ("narrowed", "widened" or "about the same" when the gap's size moved by `tolerance` or less),
    `suppressed` (either window withheld) and `note`.

    >>> frame = pd.DataFrame({"score": [200.0] * 20 + [190.0] * 15 + [200.0] * 20 + [196.0] * 15,
    ...                       "el": (["no"] * 20 + ["yes"] * 15) * 2, "window": ["fall"] * 35 + ["spring"] * 35})
    >>> gap_change(frame, "score", "el", first="fall", second="spring").loc[1, ["gap_first", "gap_second", "direction"]]
    gap_first        -10.0
    gap_second        -4.0
    direction     narrowed
    Name: 1, dtype: object
    """
    both = frame[frame[window].isin([first, second])]
    table = gaps(both, value, group, reference=reference, by=[window, *by], min_group_size=min_group_size)
    return gap_change_between(table, first=first, second=second, window=window, by=by, tolerance=tolerance)


def gap_change_between(table: pd.DataFrame, *, first: str, second: str, window: str = "window",
                       by: Sequence[str] = (), tolerance: float = 0.0) -> pd.DataFrame:
    """`gap_change` from a `gaps` table already worked out with `by=[window, *by]`, so a caller that
    needs the gaps too computes them once. Same columns as `gap_change`."""
    keys = [*by, "group_column", "group"]
    parts = []
    for label in (first, second):
        part = table[table[window] == label]
        parts.append(part[[*keys, "reference", "n", "gap", "suppressed", "note"]].reset_index(drop=True))
    merged = parts[0].merge(parts[1], on=[*keys, "reference"], how="outer", suffixes=("_first", "_second"))
    withheld = ~(merged["suppressed_first"].eq(False) & merged["suppressed_second"].eq(False))
    result = merged[[*keys, "reference"]].assign(first_window=first, second_window=second)
    result["n_first"] = merged["n_first"].mask(withheld)
    result["n_second"] = merged["n_second"].mask(withheld)
    result["gap_first"] = merged["gap_first"].mask(withheld)
    result["gap_second"] = merged["gap_second"].mask(withheld)
    result["change"] = result["gap_second"] - result["gap_first"]
    size_change = result["gap_second"].abs() - result["gap_first"].abs()
    result["direction"] = np.select([withheld, size_change < -tolerance, size_change > tolerance],
                                    ["", "narrowed", "widened"], "about the same")
    result["suppressed"] = withheld.to_numpy()
    result["note"] = [_first_note(a, b) for a, b in zip(merged["note_first"], merged["note_second"])]
    result.loc[withheld & (result["note"] == ""), "note"] = "not in both windows"
    return result.reset_index(drop=True)


def _first_note(*notes) -> str:
    return next((note for note in notes if isinstance(note, str) and note), "")
