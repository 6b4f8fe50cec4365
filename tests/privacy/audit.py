"""A disclosure audit: an attacker who collects every count the views can show and solves for the
withheld ones by linear programming (scipy.optimize.linprog: counts >= 0, every shown count, and the
fact that every group column splits the same students).

The audit is generic: an `Observation` is a count a view shows (or withholds) as a sum of
"microcells" (the finest counts, e.g. students of one school, grade and group), and `attack` bounds
every withheld observation. `collect_views` gathers stage 1's and stage 2's views; stages 3-6 build
their own observations (same microcell ids for the same people) and call `attack`.

>>> cells = {("A", "x"): 4, ("A", "y"): 30, ("B", "x"): 25, ("B", "y"): 30}
>>> shown = [Observation("A total", (("A", "x"), ("A", "y")), 34), Observation("A x", (("A", "x"),), None)]
>>> report = attack(shown, cells, threshold=10)
>>> report[["label", "truth", "low", "high", "exact"]].values.tolist()
[['A x', 4, 0.0, 34.0, False]]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Observation:
    """A count a view shows (`value`) or withholds (`value` None), as the sum of `members` (microcell
    ids). `block` groups observations that share microcells (e.g. one subject and window)."""

    label: str
    members: tuple
    value: float | None
    block: Hashable = None


@dataclass(frozen=True)
class Link:
    """Two sums of microcells an attacker knows are equal (every group column splits the same students)."""

    left: tuple
    right: tuple
    block: Hashable = None


def attack(observations: Iterable[Observation], truth: dict, *, threshold: int,
           links: Iterable[Link] = ()) -> pd.DataFrame:
    """The attacker's bounds on every distinct withheld observation: `block`, `label`, `truth`,
    `low`, `high` (the smallest and largest values the shown counts allow), `exact` (only one whole
    number fits) and `narrowed` (the range is narrower than `threshold`)."""
    observations, links = list(observations), list(links)
    rows = []
    for block in dict.fromkeys(o.block for o in observations):
        mine = [o for o in observations if o.block == block]
        rows.extend(_attack_block(block, mine, [k for k in links if k.block == block], truth, threshold))
    columns = ["block", "label", "truth", "low", "high", "exact", "narrowed"]
    return pd.DataFrame(rows, columns=columns)


def _attack_block(block, observations: Sequence[Observation], links: Sequence[Link], truth: dict, threshold: int):
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    cells = sorted({m for o in observations for m in o.members} | {m for k in links for m in (*k.left, *k.right)},
                   key=repr)
    index = {cell: position for position, cell in enumerate(cells)}

    def row(members, sign=1.0):
        vector = np.zeros(len(cells))
        for member in members:
            vector[index[member]] += sign
        return vector

    shown = {}
    for o in observations:
        if o.value is not None:
            shown.setdefault(o.members, o.value)
    equations = [row(members) for members in shown] + [row(k.left) - row(k.right) for k in links]
    totals = list(shown.values()) + [0.0] * len(links)
    a_eq = csr_matrix(np.vstack(equations)) if equations else None
    b_eq = np.asarray(totals, dtype=float) if equations else None
    hidden = {}
    for o in observations:
        if o.value is None and o.members not in shown:
            hidden.setdefault(o.members, o.label)
    if not hidden:
        return []
    forms = np.vstack([row(members) for members in hidden])
    truths = forms @ np.array([truth.get(cell, 0) for cell in cells], dtype=float)
    low, high = truths.copy(), truths.copy()

    def solve(objective):
        found = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        return found.x if found.status == 0 else None

    rng = np.random.default_rng(1)
    for _ in range(6):  # random corners first: each solution the attacker cannot rule out widens the range
        direction = forms.T @ rng.choice([-1.0, 1.0], size=len(forms))
        for sign in (1, -1):
            x = solve(sign * direction)
            if x is not None:
                values = forms @ x
                low, high = np.minimum(low, values), np.maximum(high, values)
    for position in np.flatnonzero(high - low < threshold):  # then exact bounds where still narrow
        lowest, highest = solve(forms[position]), solve(-forms[position])
        if lowest is not None:
            low[position] = min(low[position], forms[position] @ lowest)
        if highest is not None:
            high[position] = max(high[position], forms[position] @ highest)
        elif linprog(-forms[position], A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs").status == 3:
            high[position] = np.inf  # nothing shown bounds it from above
    results = []
    for position, (members, label) in enumerate(hidden.items()):
        span = high[position] - low[position]
        results.append((block, label, int(round(truths[position])), round(float(low[position]), 6),
                        round(float(high[position]), 6), bool(np.floor(high[position] + 1e-6) - np.ceil(low[position] - 1e-6) < 1),
                        bool(span < threshold - 1e-6)))
    return results


# -- stage 1's views ---------------------------------------------------------------------------------
#: The label of a missing grade: a cell of every total that no view offers as a filter.
NO_GRADE = "(no grade)"


def _labels(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), NO_GRADE).astype(str)


def stage1_truth(results: pd.DataFrame) -> dict:
    """The true count of every microcell: (subject, window, group column, school, grade, group)."""
    from kit.stages.s1_student_needs.analysis import result_group_columns

    scored = results[results["score"].notna()]
    truth = {}
    for column in result_group_columns(results):
        counts = scored.groupby([_labels(scored[c]) for c in ("subject", "window", "school_id", "grade", column)],
                                observed=True).size()
        for (subject, window, school, grade, group), n in counts.items():
            truth[(subject, window, column, school, grade, group)] = int(n)
    return truth


def collect_views(results: pd.DataFrame, *, min_group_size: int = 10, subjects=None, windows=None,
                  with_needs: bool = True) -> tuple[list[Observation], list[Link]]:
    """Every count stage 1's views show for every filter combination the app offers: results by
    group (with "all students"), the gaps (their counts and reference counts: against all other
    students in every selection, and against all students and each named group for the district;
    elsewhere those are the same figures again), the school x group heat map, and the ranked needs
    (`with_needs`); plus the links that every group column splits the same students."""
    from kit.analysis import equity
    from kit.stages.s1_student_needs import analysis as needs

    groups_of = {c: sorted(results[c].astype(str).unique()) for c in needs.result_group_columns(results)}
    scored = results[results["score"].notna()]
    pairs = pd.DataFrame({"school_id": _labels(scored["school_id"]), "grade": _labels(scored["grade"])}).drop_duplicates()
    offered_grades = [str(grade) for grade in needs.options(results, "grade")]
    schools_of_grade = pairs.groupby("grade")["school_id"].apply(set).to_dict()
    grades_of_school = pairs.groupby("school_id")["grade"].apply(set).to_dict()
    observations, links = [], []
    for subject in subjects or needs.options(results, "subject"):
        for window in windows or needs.options(results, "window"):
            block = (subject, window)

            def members(column, school, grade, labels):
                schools = [school] if school is not None else sorted(schools_of_grade.get(grade, set()) if grade
                                                                     else grades_of_school)
                return tuple((subject, window, column, s, g, k) for s in schools
                             for g in sorted(grades_of_school.get(s, set()) if grade is None else
                                             ({grade} & grades_of_school.get(s, set())))
                             for k in labels)

            def add(label, column, school, grade, labels, value):
                cells = members(column, school, grade, labels)
                if cells:
                    observations.append(Observation(label, cells, None if pd.isna(value) else float(value), block))

            for column, labels in groups_of.items():
                every = labels
                for school in [None, *sorted(grades_of_school)]:
                    for grade in [None, *offered_grades]:
                        if school is not None and grade is not None and grade not in grades_of_school[school]:
                            continue
                        chosen = needs.select(results, school=school, grade=grade, subject=subject, window=window)
                        where = f"{school or 'all'}/{grade or 'all'}/{column}"
                        table = needs.results_by_group(chosen, column, min_group_size=min_group_size)
                        for label, n in zip(table["group"], table["n"]):
                            add(f"{where}={label}", column, school, grade,
                                every if label == equity.ALL_STUDENTS else [label], n)
                        # Against all other students everywhere; against all students and each named
                        # group at the district level (their counts are the same figures again).
                        named = [k for k in every if k != equity.NOT_RECORDED] if school is None and grade is None else []
                        for reference in (equity.REST, *([equity.ALL] if school is None and grade is None else []), *named):
                            gaps = equity.gaps(chosen, "score", column, reference=reference, min_group_size=min_group_size)
                            for label, n, ref_n in zip(gaps["group"], gaps["n"], gaps["reference_n"]):
                                add(f"{where}={label}", column, school, grade, [label], n)
                                ref = ([k for k in every if k != label] if reference == equity.REST
                                       else every if reference == equity.ALL else [reference])
                                add(f"{where}=ref:{reference}/{label}", column, school, grade, ref, ref_n)
                for grade in [None, *offered_grades]:
                    heat = needs.school_group_proficiency(needs.select(results, grade=grade, subject=subject,
                                                                       window=window), column,
                                                          min_group_size=min_group_size)
                    for school, label, n in zip(heat["school_id"], heat["group"], heat["n"]):
                        add(f"heat {school}/{grade or 'all'}/{column}={label}", column, school, grade, [label], n)
            columns = list(groups_of)
            for first, second in zip(columns, columns[1:]):  # every column splits the same students
                for school, grades in grades_of_school.items():
                    for grade in grades:
                        links.append(Link(members(first, school, grade, groups_of[first]),
                                          members(second, school, grade, groups_of[second]), block))
            if with_needs:
                for school in [None, *sorted(grades_of_school)]:
                    table = needs.priority_needs(results, subject=subject, window=window, school=school,
                                                 min_group_size=min_group_size, top=None)
                    for column, label, n in zip(table["group_column"], table["group"], table["students"]):
                        add(f"needs {school or 'all'}/{column}={label}", column, school, None, [label], n)
    return observations, links


def withheld_share(observations: Iterable[Observation]) -> float:
    """The share of distinct counts the views could show that they withhold (the price in usefulness)."""
    fates = {}
    for o in observations:
        fates[(o.block, o.members)] = fates.get((o.block, o.members), False) or o.value is None
    return sum(fates.values()) / len(fates) if fates else 0.0


def decision_observations(results: pd.DataFrame, subject: str, window: str) -> tuple[list[Observation], list[Link]]:
    """Every aggregate stage 1's one decision holds for `subject` and `window` (every group column,
    with the totals), shown or withheld, as observations over the same microcells as
    `collect_views`: the figures every view takes its counts from, without building the views
    (cheap enough to try many districts)."""
    from kit.privacy.cube import ALL, attached
    from kit.stages.s1_student_needs.analysis import result_group_columns

    decisions = attached(results)
    block = (subject, window)
    scored = results[results["score"].notna() & (results["subject"] == subject) & (results["window"] == window)]
    pairs = sorted(set(zip(_labels(scored["school_id"]), _labels(scored["grade"]))))
    grades_of = {}
    for school, grade in pairs:
        grades_of.setdefault(school, []).append(grade)
    observations, links, columns = [], [], result_group_columns(results)
    for column in columns:
        decision = decisions.groups(block, column).table
        labels = sorted(results[column].astype(str).unique())
        for school, grade, group, n, withheld in decision[["school_id", "grade", "group", "n", "withheld"]].itertuples(index=False):
            grade = NO_GRADE if grade == decisions.unpublished else grade  # the cube's word for no grade
            members = tuple((subject, window, column, s, g, k)
                            for s in (grades_of if school == ALL else [school])
                            for g in (grades_of.get(s, []) if grade == ALL else [grade] if grade in grades_of.get(s, []) else [])
                            for k in (labels if group == ALL else [group]))
            if members:
                observations.append(Observation(f"{school}/{grade}/{column}={group}", members,
                                                None if withheld else float(n), block))
    labels_of = {column: sorted(results[column].astype(str).unique()) for column in columns}
    for first, second in zip(columns, columns[1:]):
        for school, grade in pairs:
            links.append(Link(tuple((subject, window, first, school, grade, k) for k in labels_of[first]),
                              tuple((subject, window, second, school, grade, k) for k in labels_of[second]), block))
    return observations, links
