"""Stage 1, student learning needs: where students are, and which groups are not yet served well.

Pure functions, frames in, frames out. `prepare` joins the students and their assessments once per
dataset; every other function works on (a filtered slice of) that joined frame, and every figure
about students passes through `kit.analysis.equity`, so groups under the dataset's threshold are
withheld everywhere. `prepare` also keeps one disclosure decision for the whole dataset
(`kit.privacy.cube`: school x grade x group, for each subject and window, made when first needed),
and a slice made by `select` remembers its filters, so every view of it withholds exactly what that
one decision says: no two views can be subtracted to recover a withheld group.

>>> from kit.io import open_sample
>>> dataset = open_sample()
>>> results = prepare(dataset.table("students"), dataset.table("assessments"))
>>> needs = priority_needs(results, subject="math", window="2025-26 spring")
>>> needs.loc[0, ["group_column", "group"]].tolist()
['disability', 'yes']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit.analysis import equity
from kit.analysis.windows import order_windows, window_key
from kit.privacy import DEFAULT_MIN_GROUP_SIZE, STUDENTS, as_unit, code_shares
from kit.privacy.cube import ALL, CubeDecisions, attach, attached

#: The filters a coach can set, as the joined frame's columns.
FILTER_COLUMNS = ("school_id", "grade", "subject", "window")
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)


# -- the joined frame -----------------------------------------------------------------------------
def prepare(students: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """One row per student, subject and window: school, grade, every group column (as text labels:
    yes/no, "not recorded"), score and proficient (1/0, missing when not given). Built once per
    dataset so filters are quick; the student id stays inside (for growth) and is never shown.
    The grade is the one at the assessment (`grade_when_assessed`) where the data gives it, so a
    student followed over several years is in the right grade in each window.
    """
    groups = equity.group_columns(students)
    people = students[["student_id", "school_id", "grade", *groups]].copy()
    for column in groups:
        people[column] = pd.Categorical(equity.group_values(people[column]))
    joined = assessments.drop(columns=["grade"], errors="ignore").merge(people, on="student_id", how="inner")
    if "grade_when_assessed" in joined.columns:
        joined["grade"] = joined["grade_when_assessed"].astype("string").fillna(joined["grade"].astype("string"))
    proficient = (joined["proficient"] if "proficient" in joined.columns
                  else pd.Series(pd.NA, index=joined.index, dtype="boolean"))
    frame = pd.DataFrame({
        "student_id": joined["student_id"].astype("category"),
        "school_id": joined["school_id"].astype("category"),
        "grade": joined["grade"].astype("category"),
        "subject": joined["subject"].astype("category"),
        "window": pd.Categorical(joined["window"].astype(str), categories=order_windows(joined["window"]),
                                 ordered=True),
        **{column: joined[column] for column in groups},
        "score": pd.to_numeric(joined["score"], errors="coerce").astype(float),
        "proficient": proficient.astype("Float64").astype(float),
    })
    frame.attrs["group_columns"] = groups
    return attach(frame, CubeDecisions(frame, filters=["school_id", "grade"], by=["subject", "window"],
                                       counted="score", unit=STUDENTS, unpublished=equity.NOT_RECORDED,
                                       people="student_id"))


def result_group_columns(results: pd.DataFrame) -> list[str]:
    """The group columns of a frame made by `prepare`."""
    known = {"student_id", "score", "proficient", *FILTER_COLUMNS}
    return [column for column in results.columns if column not in known]


def options(results: pd.DataFrame, column: str) -> list[str]:
    """The values a filter can take, in a sensible order (windows in time order)."""
    if column == "window":  # the coach's saved order travels as an ordered categorical
        return order_windows(results[column].dropna())
    values = results[column].cat.categories if hasattr(results[column], "cat") else results[column].unique()
    present = set(results[column].dropna().unique())
    values = [value for value in values if value in present]
    if column == "grade":
        return sorted(values, key=_grade_key)
    return sorted(str(value) for value in values)


def _grade_key(grade: str) -> tuple[int, str]:
    return ({"PK": -2, "K": -1}.get(grade, int(grade) if str(grade).isdigit() else 99), str(grade))


def decided_figures(results: pd.DataFrame, group_column: str | None = None, *,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Every figure stage 1 can show for `group_column` (None: only the totals of all students; none
    for a column stage 1 does not show), in every subject and window, with its fate in the dataset's
    one decision: `subject`, `window`, `school_id`, `grade`, `group` (`kit.privacy.cube.ALL` where
    summed over), `n`, `withheld`.
    Another stage that shows figures about the same students (growth in stage 5, access to good
    teaching in stage 4) follows these fates where its counts are the same, or the two stages
    together would give a withheld count back.

    >>> from kit.io import open_sample
    >>> sample = open_sample()
    >>> figures = decided_figures(prepare(sample.table("students"), sample.table("assessments")), "gender")
    >>> sorted(figures.columns), bool(figures["withheld"].any())
    (['grade', 'group', 'n', 'school_id', 'subject', 'window', 'withheld'], True)
    """
    decisions = attached(results).for_unit(as_unit(min_group_size))
    keys = results.loc[results["score"].notna(), ["subject", "window"]].astype(str).drop_duplicates()
    if group_column is not None and group_column not in result_group_columns(results):
        keys = keys.iloc[:0]  # not a column stage 1 shows: it decides nothing about it
    parts = []
    for subject, window in keys.itertuples(index=False):
        table = (decisions.groups((subject, window), group_column).table if group_column is not None
                 else decisions.totals((subject, window)).table.assign(group=ALL))
        parts.append(table.assign(subject=subject, window=window))
    columns = ["subject", "window", "school_id", "grade", "group", "n", "withheld"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def select(results: pd.DataFrame, *, school: str | None = None, grade: str | None = None,
           subject: str | None = None, window: str | None = None) -> pd.DataFrame:
    """The rows matching the filters; None means every value. The slice remembers its filters
    (`attrs["selection"]`), so the views of it follow the dataset's one disclosure decision."""
    mask = np.ones(len(results), dtype=bool)
    for column, value in zip(FILTER_COLUMNS, (school, grade, subject, window)):
        if value is not None:
            mask &= (results[column] == value).to_numpy()
    chosen = results[mask]
    chosen.attrs["selection"] = dict(zip(FILTER_COLUMNS, (school, grade, subject, window)))
    return chosen


# -- results by group -------------------------------------------------------------------------------
def results_by_group(selected: pd.DataFrame, group: str, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
                     by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean scale score and share proficient for each group of `group` (and all students).

    Columns: the `by` columns, `group_column`, `group`, `n`, `mean_score`, `share_proficient`
    (top- and bottom-coded by `kit.privacy.code_shares`: the edge of its band when coded),
    `share_proficient_text` ("42%", "≤8%"), `share_coded`, `suppressed`, `note`. A group withheld
    for either figure is withheld for both. Every published group of the column is listed (empty
    ones withheld), "not recorded" never is (its students count in "all students").
    """
    score = equity.disaggregate(selected, "score", group, by=by, min_group_size=min_group_size, total=True)
    share = equity.disaggregate(selected, "proficient", group, by=by, min_group_size=min_group_size, total=True)
    keys = [*by, "group_column", "group"]
    merged = score.merge(share[[*keys, "n", "mean", "suppressed", "note"]], on=keys, how="left", suffixes=("", "_p"))
    any_share = bool(selected["proficient"].notna().any())
    withheld = merged["suppressed"] | (any_share & merged["suppressed_p"].fillna(False).astype(bool))
    has_share = merged["mean_p"].notna() | merged["suppressed_p"].fillna(False).astype(bool)
    coded = code_shares(merged["mean_p"].where(has_share).mask(withheld), merged["n_p"].fillna(0), as_unit(min_group_size))
    words = equity.complementary_note(min_group_size)
    return pd.DataFrame({
        **{column: merged[column] for column in keys},
        "n": merged["n"].mask(withheld),
        "mean_score": merged["mean"].mask(withheld),
        "share_proficient": coded["share_shown"].to_numpy(),
        "share_proficient_text": coded["share_text"].to_numpy(),
        "share_coded": coded["share_coded"].to_numpy(),
        "suppressed": withheld,
        "note": np.where(withheld, words, ""),
    })


def distribution(selected: pd.DataFrame, group: str, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
                 by_group: pd.DataFrame | None = None) -> pd.DataFrame:
    """The spread of scale scores for each group: n and the 10th, 25th, 50th, 75th and 90th
    percentiles (`p10` ... `p90`), withheld exactly where `results_by_group` withholds. A caller
    that has `results_by_group(selected, group, min_group_size=...)` already passes it as `by_group`."""
    shown = by_group if by_group is not None else results_by_group(selected, group, min_group_size=min_group_size)
    labels = equity.group_values(selected[group]).to_numpy()
    data = pd.DataFrame({"group": labels, "score": selected["score"].to_numpy()}).dropna()
    everyone = data.assign(group=equity.ALL_STUDENTS)
    quantiles = (pd.concat([data, everyone]).groupby("group")["score"].quantile(list(QUANTILES)).unstack())
    quantiles.columns = [f"p{round(q * 100)}" for q in QUANTILES]
    result = shown[["group_column", "group", "n", "suppressed", "note"]].merge(
        quantiles, left_on="group", right_index=True, how="left")
    for column in quantiles.columns:
        result[column] = result[column].mask(result["suppressed"])
    return result[["group_column", "group", "n", *quantiles.columns, "suppressed", "note"]]


def growth(selected: pd.DataFrame, group: str, *, first: str, second: str,
           min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Growth in scale score from `first` to `second` for students with both scores (in each
    subject), by group: `group_column`, `group`, `n`, `mean_growth`, `sd`, `suppressed`, `note`."""
    keys = ["student_id", "subject"]
    before = selected[selected["window"] == first]
    after = selected[selected["window"] == second]
    paired = after[[*keys, group, "score"]].merge(before[[*keys, "score"]], on=keys, suffixes=("", "_first"))
    paired["growth"] = paired["score"] - paired["score_first"]
    table = equity.disaggregate(paired, "growth", group, min_group_size=min_group_size, total=True)
    return table.rename(columns={"mean": "mean_growth"})


def school_group_proficiency(selected: pd.DataFrame, group: str, *,
                             min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Share proficient for every school x group cell, one row per cell (empty cells included,
    with n 0): `school_id`, `group_column`, `group`, `n` (students with a score), `share_proficient`
    (top- and bottom-coded), `share_proficient_text`, `share_coded`, `suppressed`, `note`.

    For a slice made by `select` (every school, one subject and window) each cell is withheld exactly
    where the dataset's one decision withholds that school's figure for the group in every other
    view (a school's own table shows the same cell). Otherwise, schools' and groups' totals are both
    taken to be shown elsewhere, and suppression protects rows and columns together.
    """
    decided = equity.view_decision(selected, group, min_group_size)
    scores = equity.cell_sums(selected, "score", group, by=["school_id"])
    shares = equity.cell_sums(selected, "proficient", group, by=["school_id"])
    schools = sorted(scores["school_id"].astype(str).unique())
    groups = (equity.order_groups(decided[0].published_groups(group)) if decided is not None
              else equity.order_groups(scores["group"]))
    grid = pd.MultiIndex.from_product([schools, groups], names=["school_id", "group"]).to_frame(index=False)
    for frame in (scores, shares):
        frame["school_id"] = frame["school_id"].astype(str)
    cells = grid.merge(scores[["school_id", "group", "n"]], on=["school_id", "group"], how="left").merge(
        shares[["school_id", "group", "n", "total"]].rename(columns={"n": "n_p"}), on=["school_id", "group"], how="left")
    cells["group_column"] = group
    cells["n"] = cells["n"].fillna(0).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        cells["share_proficient"] = cells["total"] / cells["n_p"]
    table = cells[["school_id", "group_column", "group", "n", "share_proficient"]]
    if decided is None:
        table = equity.suppress(table, "n", ["share_proficient"], min_group_size, lines=[["school_id"], ["group"]])
    else:
        _, cube, where = decided
        withheld = np.array([cube.withheld(**{**where, "school_id": school}, group=label)
                             for school, label in zip(table["school_id"], table["group"])], dtype=bool)
        table = table.assign(n=table["n"].astype("Int64").mask(withheld),
                             share_proficient=table["share_proficient"].mask(withheld),
                             suppressed=withheld, note=np.where(withheld, equity.complementary_note(min_group_size), ""))
    coded = code_shares(table["share_proficient"], cells["n_p"].fillna(0), as_unit(min_group_size))
    table = table.assign(share_proficient=coded["share_shown"].to_numpy())
    table.insert(table.columns.get_loc("share_proficient") + 1, "share_proficient_text", coded["share_text"].to_numpy())
    table.insert(table.columns.get_loc("share_proficient_text") + 1, "share_coded", coded["share_coded"].to_numpy())
    return table


# -- candidate priority needs -----------------------------------------------------------------------------
def earlier_window(windows: Sequence[str], window: str) -> str | None:
    """The window to measure change from: the first window of the same school year (when labels
    carry a year), else the window just before; None when `window` is the first.

    >>> earlier_window(["2024-25 fall", "2025-26 fall", "2025-26 spring"], "2025-26 spring")
    '2025-26 fall'
    """
    ordered = order_windows(windows)
    if window not in ordered or ordered.index(window) == 0:
        return None
    key = window_key(window)
    same_year = [w for w in ordered if key and window_key(w) and window_key(w)[0] == key[0] and key[0]]
    if same_year and same_year[0] != window:
        return same_year[0]
    return ordered[ordered.index(window) - 1]


NEED_COLUMNS = ("rank", "subject", "window", "group_column", "group", "students", "mean_score", "gap_points",
                "gap_low", "gap_high", "certainty", "share_proficient", "gap_proficient_points", "effect_size", "since",
                "gap_change", "trend", "need")
#: The `certainty` of a gap: its 95% interval lies wholly below zero, or reaches zero.
CLEAR, NOT_CLEAR = "clear", "not clear: the interval includes no gap"


def priority_needs(results: pd.DataFrame, *, subject: str | None = None, window: str | None = None,
                   school: str | None = None, grade: str | None = None,
                   min_group_size: int = DEFAULT_MIN_GROUP_SIZE, top: int | None = 10) -> pd.DataFrame:
    """Candidate priority needs, most pressing first: groups whose results trail all other students.

    For each subject (or only `subject`), in `window` (default: the latest), every group of every
    group column is compared with all other students (`equity.gaps`, threshold applied). Groups
    behind on scale score are ranked by how sure the gap is, then by its size: first every gap whose
    95% interval lies wholly below zero (`certainty` "clear"), then those whose interval reaches zero
    (a small, noisy group can trail by chance). Within each, the gap weighed by its precision comes
    first: the end of its interval nearest zero (the smallest gap the results are consistent with),
    in standard deviations, then `effect_size` itself. Columns: `rank`, `subject`, `window`, `group_column`, `group`, `students`,
    `mean_score`, `gap_points`, `gap_low` and `gap_high` (its 95% interval, Welch's, from
    `equity.gap_interval`), `certainty`, `share_proficient`, `gap_proficient_points` (percentage
    points), `effect_size`, `since` (the earlier window), `gap_change` (points; positive =
    narrowing), `trend`, `need` (a sentence). Withheld groups are never listed.
    """
    chosen = select(results, school=school, grade=grade, subject=subject)
    windows = options(chosen, "window")
    if not windows:
        return pd.DataFrame(columns=NEED_COLUMNS)
    window = window or windows[-1]
    since = earlier_window(windows, window)
    rows = [_candidates(results, chosen, group, window, since, min_group_size, school=school, grade=grade)
            for group in result_group_columns(results)]
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if table.empty:
        return pd.DataFrame(columns=NEED_COLUMNS)
    table = table[(table["group"] != equity.NOT_RECORDED) & (table["gap_points"] < 0)]
    clear = table["gap_high"] < 0  # the whole interval is below zero (a missing interval is not clear)
    # The interval's end nearest zero, put in standard deviations like effect_size (g / gap = omega / pooled SD).
    sure = (table["gap_high"] * table["effect_size"] / table["gap_points"]).fillna(np.inf)
    table = table.assign(certainty=np.where(clear, CLEAR, NOT_CLEAR), _unclear=~clear, _sure=sure)
    table = (table.sort_values(["_unclear", "_sure", "effect_size", "subject", "group_column", "group"])
                  .drop(columns=["_unclear", "_sure"]).reset_index(drop=True))
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table["need"] = [need_sentence(row) for _, row in table.iterrows()]
    table = table[list(NEED_COLUMNS)]
    return table.head(top).reset_index(drop=True) if top else table


def _gaps_by_window(results: pd.DataFrame, chosen: pd.DataFrame, value: str, group: str, windows, min_group_size: int,
                    school, grade) -> pd.DataFrame:
    """`equity.gaps` for each subject and window, each through `select` (so the dataset's one disclosure
    decision applies), with `window` and `subject` columns."""
    parts = []
    for subject in options(chosen, "subject"):
        for window in windows:
            part = select(results, school=school, grade=grade, subject=subject, window=window)
            if not part[value].notna().any():  # e.g. no proficiency given: no share gaps, not withheld ones
                continue
            table = equity.gaps(part, value, group, min_group_size=min_group_size)
            parts.append(table.assign(window=window, subject=subject))
    if not parts:
        return pd.DataFrame(columns=["window", "subject", "group_column", "group", "n", "mean", "gap", "suppressed"])
    table = pd.concat(parts, ignore_index=True)
    return table[["window", "subject", *[c for c in table.columns if c not in ("window", "subject")]]]


def _candidates(results: pd.DataFrame, chosen: pd.DataFrame, group: str, window: str, since: str | None,
                min_group_size: int, *, school=None, grade=None) -> pd.DataFrame:
    windows = [since, window] if since is not None else [window]
    score_both = _gaps_by_window(results, chosen, "score", group, windows, min_group_size, school, grade)
    score = score_both[score_both["window"] == window].drop(columns="window").reset_index(drop=True)
    share = _gaps_by_window(results, chosen, "proficient", group, [window], min_group_size, school, grade)
    keys = ["subject", "group_column", "group"]
    table = score.merge(share[[*keys, "mean", "gap", "suppressed"]], on=keys, suffixes=("", "_p"), how="left")
    table = table[~table["suppressed"] & ~table["suppressed_p"].fillna(False).astype(bool)]
    out = pd.DataFrame({
        "subject": table["subject"].astype(str), "window": window, "group_column": group,
        "group": table["group"], "students": table["n"].astype("Int64"), "mean_score": table["mean"],
        "gap_points": table["gap"], "gap_low": table["gap_low"], "gap_high": table["gap_high"],
        "share_proficient": table["mean_p"],
        "gap_proficient_points": table["gap_p"] * 100, "effect_size": table["effect_size"], "since": since or "",
    })
    if since is None:
        return out.assign(gap_change=np.nan, trend="")
    change = equity.gap_change_between(score_both, first=since, second=window, by=["subject"])
    change = change.assign(subject=change["subject"].astype(str))
    out = out.merge(change[["subject", "group", "gap_first", "gap_second", "direction"]],
                    on=["subject", "group"], how="left")
    out["gap_change"] = out["gap_first"].abs() - out["gap_second"].abs()  # positive: the gap narrowed
    out["trend"] = out["direction"].fillna("")
    return out.drop(columns=["gap_first", "gap_second", "direction"])


def need_sentence(row: pd.Series) -> str:
    """A candidate need in plain words that describe results, not students' worth or effort."""
    who = equity.group_label(row["group_column"], row["group"])
    text = (f"In {row['subject']} ({row['window']}), students in the group {who} ({row['students']:,} students) "
            f"averaged {abs(row['gap_points']):.1f} scale-score points below all other students")
    if row.get("certainty") == NOT_CLEAR:
        text += (f", but the gap is not clear: its 95% interval ({row['gap_low']:+.1f} to {row['gap_high']:+.1f} "
                 "points) includes no gap, so it may be chance")
    if pd.notna(row["share_proficient"]):
        text += (f"; {row['share_proficient']:.0%} met the proficiency bar, "
                 f"{abs(row['gap_proficient_points']):.0f} percentage points "
                 f"{'below' if row['gap_proficient_points'] < 0 else 'above'} the others")
    if row["trend"] in ("narrowed", "widened"):
        text += f". Since {row['since']} the gap has {row['trend']} by {abs(row['gap_change']):.1f} points"
    elif row["trend"]:
        text += f". Since {row['since']} the gap is about the same"
    if row.get("certainty") == NOT_CLEAR:
        return text + ". Look at more evidence (student work, another assessment) before naming this a need."
    return text + ". Our instruction is not yet serving this group as well as others."


# -- the student learning goal ----------------------------------------------------------------------------
STUDENT_WORDS = ("student", "learner", "pupil", "child", "kids", "reader", "writer", "mathematician", "class",
                 "grader", "group", "english learner", "disabilit")
GOAL_QUALITIES = ("student-focused", "measurable", "a target", "a date")


def goal_checks(what: str, who: str = "", measure: str = "", target: str = "", by_when=None) -> pd.DataFrame:
    """What a good student learning goal has, checked: `quality`, `met` (bool), `advice`.

    >>> goal_checks("English learners explain their reasoning in math", "Grade 4 English learners",
    ...             "unit assessment", "70% proficient", "2026-05-15")["met"].tolist()
    [True, True, True, True]
    """
    words = f"{what} {who}".lower()
    rows = [
        ("student-focused", any(word in words for word in STUDENT_WORDS),
         "Name what students will know or do, and which students (not what adults will do)."),
        ("measurable", bool(str(measure).strip()),
         "Say how you will know: the assessment or student work you will look at."),
        ("a target", any(character.isdigit() for character in str(target)),
         "Give a number to reach, for example \"70% proficient\" or \"gap under 5 points\"."),
        ("a date", by_when not in (None, "") and not (isinstance(by_when, float) and np.isnan(by_when)),
         "Choose the date by which you expect to see it."),
    ]
    return pd.DataFrame(rows, columns=["quality", "met", "advice"])
