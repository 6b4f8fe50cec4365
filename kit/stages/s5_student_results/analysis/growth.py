"""Growth between two windows, per student, and the same growth seen by educator, school, grade,
subject and student group.

A student's growth is their score in the later window minus their score in the earlier one, in
one subject; only students with both scores count. Students reach their educators through the
rosters: the classes of the school year or term the two windows fall in (`roster_term`).

>>> import pandas as pd
>>> assessments = pd.DataFrame({"student_id": ["S1", "S1", "S2", "S2"], "subject": ["math"] * 4,
...                             "window": ["fall", "spring"] * 2, "score": [200.0, 210.0, 190.0, 194.0]})
>>> student_growth(assessments, "fall", "spring")[["student_id", "growth"]].to_dict("list")
{'student_id': ['S1', 'S2'], 'growth': [10.0, 4.0]}
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np
import pandas as pd

from kit.analysis import equity
from kit.analysis.windows import order_windows
from kit.errors import DataError
from kit.schema import ALL_SUBJECTS, ALL_TERMS

from ._privacy import STUDENTS, threshold, withheld_words, withhold

GROWTH_COLUMNS = ["student_id", "subject", "score_before", "score_after", "growth", "proficient_before",
                  "proficient_after"]
#: The views of growth a coach can choose, as the column each one groups by.
GROWTH_VIEWS = {"school_id": "school", "grade": "grade", "subject": "subject"}
_YES = {"yes", "y", "true", "t", "1", "1.0"}
_NO = {"no", "n", "false", "f", "0", "0.0"}


def yes_no_numbers(series: pd.Series) -> pd.Series:
    """A yes/no column as 1.0 / 0.0, missing where blank or not a yes/no answer.

    >>> yes_no_numbers(pd.Series(["yes", "no", None, True])).tolist()
    [1.0, 0.0, nan, 1.0]
    """
    text = series.astype(object).map(lambda v: str(v).strip().lower() if v is not None and v == v else "")
    return pd.Series(np.select([text.isin(_YES), text.isin(_NO)], [1.0, 0.0], np.nan), index=series.index)


def check_windows(assessments: pd.DataFrame, before: str, after: str) -> None:
    """Refuse windows the assessments do not have, or an earlier window that is not earlier."""
    present = order_windows(assessments["window"].astype(str))
    for label in (before, after):
        if label not in present:
            raise DataError(f"The assessments have no window called {label!r}. "
                            f"Choose one of: {', '.join(present)}.")
    if before == after:
        raise DataError("Choose two different windows: growth is the change from one window to a later one.")
    if present.index(before) > present.index(after):
        raise DataError(f"{before!r} comes after {after!r}. Choose the earlier window first.")


def student_growth(assessments: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """One row per student and subject with a score in both windows: `student_id`, `subject`,
    `score_before`, `score_after`, `growth` (after minus before), `proficient_before` and
    `proficient_after` (1.0/0.0, missing when not recorded). The windows are kept in
    `attrs["windows"]`. See the module's example.
    """
    check_windows(assessments, before, after)
    proficient = (yes_no_numbers(assessments["proficient"]) if "proficient" in assessments.columns
                  else pd.Series(np.nan, index=assessments.index))
    scores = pd.DataFrame({"student_id": assessments["student_id"].astype(str),
                           "subject": assessments["subject"].astype(str),
                           "window": assessments["window"].astype(str),
                           "score": pd.to_numeric(assessments["score"], errors="coerce").astype(float),
                           "proficient": proficient.to_numpy()})
    scores = scores[scores["score"].notna()]
    keys = ["student_id", "subject"]
    first = scores[scores["window"] == before].drop_duplicates(keys)
    second = scores[scores["window"] == after].drop_duplicates(keys)
    paired = first.merge(second, on=keys, suffixes=("_before", "_after"))
    paired["growth"] = paired["score_after"] - paired["score_before"]
    result = paired[GROWTH_COLUMNS].sort_values(keys, kind="stable").reset_index(drop=True)
    result.attrs["windows"] = (before, after)
    return result


def roster_term(rosters: pd.DataFrame, before: str, after: str) -> str | None:
    """The roster term whose classes the growth from `before` to `after` belongs to: the term named
    in the later window's label ("2025-26" in "2025-26 spring"), else in the earlier one's, else the
    only term there is; None when the rosters do not say (then every class counts).

    >>> rosters = pd.DataFrame({"term": ["2024-25", "2025-26"]})
    >>> roster_term(rosters, "2025-26 fall", "2025-26 spring"), roster_term(rosters, "pre", "post")
    ('2025-26', None)
    """
    if "term" not in rosters.columns:
        return None
    terms = [term for term in rosters["term"].dropna().astype(str).unique() if term.strip() and term != ALL_TERMS]
    for window in (after, before):
        named = [term for term in terms if _names(str(window), term)]
        if named:
            return max(named, key=len)
    return terms[0] if len(terms) == 1 else None


def _names(window: str, term: str) -> bool:
    """Whether a window label names a term as a whole word ("2025-26 fall" names "2025-26", not "2")."""
    pattern = rf"(?<![\w-]){re.escape(term.strip().lower())}(?![\w-])"
    return re.search(pattern, window.lower()) is not None


def class_links(growth: pd.DataFrame, rosters: pd.DataFrame, term: str | None = None) -> pd.DataFrame:
    """Each student result with the educator of the class it belongs to: the `growth` columns plus
    `educator_id` and the rosters' extra columns (class attributes). A class with no subject (or
    "all subjects") takes every subject; classes of other terms than `term` (default `roster_term`
    of the growth's windows) are left out. A student with two educators in a subject counts with each.
    """
    if term is None and "windows" in growth.attrs:
        term = roster_term(rosters, *growth.attrs["windows"])
    classes = rosters.copy()
    classes["student_id"] = classes["student_id"].astype(str)
    classes["educator_id"] = classes["educator_id"].astype(str)
    subject = classes["subject"].astype(str) if "subject" in classes.columns else pd.Series(ALL_SUBJECTS, index=classes.index)
    classes["subject"] = subject.where(subject.str.strip() != "", ALL_SUBJECTS).fillna(ALL_SUBJECTS)
    if term is not None and "term" in classes.columns:
        classes = classes[classes["term"].astype(str).isin([term, ALL_TERMS]) | classes["term"].isna()]
    classes = classes.drop(columns=[c for c in ("term",) if c in classes.columns])
    by_subject = growth.merge(classes[classes["subject"] != ALL_SUBJECTS], on=["student_id", "subject"])
    any_subject = growth.merge(classes[classes["subject"] == ALL_SUBJECTS].drop(columns="subject"), on="student_id")
    links = pd.concat([by_subject, any_subject], ignore_index=True).drop_duplicates(
        ["student_id", "subject", "educator_id"])
    links.attrs = dict(growth.attrs, term=term)
    return links.reset_index(drop=True)


def growth_by_educator(growth: pd.DataFrame, rosters: pd.DataFrame, term: str | None = None) -> pd.DataFrame:
    """Per educator: `educator_id`, `students` (distinct students with growth), `mean_growth`,
    `sd_growth`. Exact figures for the chain of evidence; pass them through `shown_by_educator`
    before anyone sees them.

    >>> growth = pd.DataFrame({"student_id": ["S1", "S2"], "subject": ["math"] * 2, "growth": [10.0, 4.0]})
    >>> rosters = pd.DataFrame({"student_id": ["S1", "S2"], "educator_id": ["E1", "E1"], "subject": ["math"] * 2})
    >>> growth_by_educator(growth, rosters).to_dict("records")[0]["mean_growth"]
    7.0
    """
    links = class_links(growth, rosters, term)
    table = (links.groupby("educator_id", sort=True)
                  .agg(students=("student_id", "nunique"), mean_growth=("growth", "mean"),
                       sd_growth=("growth", "std")).reset_index())
    return table


def shown_by_educator(by_educator: pd.DataFrame, min_group_size: int | None = None) -> pd.DataFrame:
    """`growth_by_educator` as a coach may see it: a class of fewer students than the threshold is
    withheld (each educator is a line of its own, so nothing else is needed to protect it)."""
    return withhold(by_educator, "students", ["mean_growth", "sd_growth"], unit=STUDENTS,
                    min_group_size=min_group_size, by=["educator_id"])


def with_students(growth: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    """The growth rows with each student's school, grade and group columns (as text labels)."""
    groups = equity.group_columns(students)
    people = students[["student_id", *[c for c in ("school_id", "grade") if c in students.columns], *groups]].copy()
    people["student_id"] = people["student_id"].astype(str)
    for column in groups:
        people[column] = equity.group_values(people[column]).to_numpy()
    joined = growth.merge(people, on="student_id", how="left")
    joined.attrs = dict(growth.attrs, group_columns=groups)
    return joined


def per_student(growth: pd.DataFrame) -> pd.DataFrame:
    """One row per student: with several subjects, a student's growth is their mean over subjects,
    so a count always counts students, never results."""
    if growth["subject"].nunique() <= 1:
        return growth
    numbers = ["score_before", "score_after", "growth", "proficient_before", "proficient_after"]
    others = [c for c in growth.columns if c not in numbers and c not in ("student_id", "subject")]
    averaged = growth.groupby("student_id", sort=False)[numbers].mean()
    firsts = growth.drop_duplicates("student_id").set_index("student_id")[others]
    result = firsts.join(averaged).reset_index()
    result["subject"] = "all subjects"
    result.attrs = dict(growth.attrs)
    return result


def growth_by(growth: pd.DataFrame, column: str, *, min_group_size: int | None = None,
              withheld: Collection[str] = ()) -> pd.DataFrame:
    """Mean growth for each value of `column` (a school, grade, subject or student group column of a
    frame from `with_students`), with an "all students" row: `group_column`, `group`, `n` (students),
    `mean_growth`, `sd`, `suppressed`, `note`. Groups under the students' threshold are withheld, and so
    are the values `withheld` names (stage 1 withholds them: `withheld_in_stage_1`).

    >>> frame = pd.DataFrame({"student_id": [f"S{i}" for i in range(24)], "subject": "math",
    ...                       "growth": [5.0] * 12 + [3.0] * 12, "el": ["no"] * 12 + ["yes"] * 12})
    >>> growth_by(frame, "el")[["group", "n", "mean_growth"]].to_dict("list")
    {'group': ['no', 'yes', 'all students'], 'n': [12, 12, 24], 'mean_growth': [5.0, 3.0, 4.0]}
    """
    if column not in growth.columns:
        raise DataError(f"There is no column {column!r} to show growth by.")
    frame = growth if column == "subject" else per_student(growth)
    size = threshold(STUDENTS, min_group_size)
    table = equity.disaggregate(frame, "growth", column, min_group_size=size, total=True, withheld=withheld)
    table["note"] = table["suppressed"].map({True: withheld_words(STUDENTS, size), False: ""})
    return table.rename(columns={"mean": "mean_growth"})
