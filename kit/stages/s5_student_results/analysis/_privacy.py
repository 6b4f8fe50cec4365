"""The one place stage 5 withholds small groups: every table it shows about students or educators
passes through `withhold`, which applies the kit's one disclosure policy (`kit.privacy`).

Students and educators each have their own threshold (students 10, educators 5; the dataset may set
the students' one), and every withheld value carries the same note, whatever the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kit import privacy
from kit.privacy.cube import ALL
from kit.stages.s1_student_needs import analysis as needs

STUDENTS, EDUCATORS = "students", "educators"
_UNITS = {STUDENTS: privacy.STUDENTS, EDUCATORS: privacy.EDUCATORS}


def unit_of(unit: str, min_group_size: int | None = None) -> privacy.Unit:
    """The policy's unit for "students" or "educators", with the dataset's threshold when given."""
    chosen = _UNITS[unit]
    return chosen if min_group_size is None else chosen.with_threshold(int(min_group_size))


def threshold(unit: str, min_group_size: int | None = None) -> int:
    """The smallest group of `unit` a shown value may describe.

    >>> threshold("students"), threshold("educators"), threshold("students", 20)
    (10, 5, 20)
    """
    return unit_of(unit, min_group_size).min_group_size


def withheld_words(unit: str, min_group_size: int | None = None) -> str:
    """What every withheld cell says; all read alike, so the note never tells which cells are small.

    >>> withheld_words("educators")
    'withheld to protect groups of fewer than 5 educators'
    """
    return privacy.withheld_words(unit_of(unit, min_group_size))


def withhold(table: pd.DataFrame, count_column: str, value_columns: Sequence[str], *, unit: str = STUDENTS,
             min_group_size: int | None = None, by: Sequence[str] = (),
             lines: Sequence[Sequence[str]] | None = None, forced=None) -> pd.DataFrame:
    """Primary and complementary suppression of a table of counts (`kit.privacy.withhold_small`);
    rows keep their place, values about a small group become missing, `suppressed` is True and every
    withheld row's `note` reads the same (`withheld_words`).

    >>> table = pd.DataFrame({"level": ["a", "b", "c"], "n": [3, 40, 25], "mean": [1.0, 2.0, 3.0]})
    >>> withhold(table, "n", ["mean"], unit="educators")["suppressed"].tolist()
    [True, False, True]
    """
    return privacy.withhold_small(table, count_column, unit_of(unit, min_group_size), value_columns, by=by,
                                  lines=lines, forced=forced)


def withheld_in_stage_1(results: pd.DataFrame, subject: str, windows: Sequence[str], column: str, *,
                        min_group_size: int | None = None) -> set[str]:
    """The values of `column` (a student group column, `school_id` or `grade`) whose all-schools,
    all-grades figure stage 1 withholds in `subject` in any of `windows` (`decided_figures`, from the
    one decision kept with `results`, stage 1's `prepare` frame). Stage 5's figures of the same students
    (growth from one window to the other) withhold them too: a student with both scores is counted in
    both stages, so a figure shown here would give stage 1's withheld count back.

    >>> from kit.io import open_sample
    >>> sample = open_sample()
    >>> results = needs.prepare(sample.table("students"), sample.table("assessments"))
    >>> sorted(withheld_in_stage_1(results, "math", ["2024-25 fall", "2025-26 spring"], "gender"))
    []
    """
    groups = results.attrs.get("group_columns", ())
    if column not in ("school_id", "grade", *groups):
        return set()
    figures = needs.decided_figures(results, column if column in groups else None,
                                    min_group_size=threshold(STUDENTS, min_group_size))
    label = "group" if column in groups else column
    others = [c for c in ("school_id", "grade", "group") if c != label]
    chosen = figures[(figures["subject"] == subject) & figures["window"].isin(windows) & figures["withheld"]
                     & (figures[others] == ALL).all(axis=1) & (figures[label] != ALL)]
    return set(chosen[label].astype(str))


def code_shares(shares, sizes, *, unit: str = EDUCATORS, min_group_size: int | None = None) -> pd.DataFrame:
    """Top- and bottom-coded shares by the kit's one rule (`kit.privacy.code_shares`): a share of a
    group of `sizes` near 0% or 100% reads only as its band ("≥85%"), since it would tell every member's
    outcome. Columns: share_shown, share_text (empty when the share is missing), share_coded.

    >>> code_shares([1.0, 0.5], [12, 12])["share_text"].tolist()
    ['≥75%', '50%']
    """
    sizes = pd.to_numeric(pd.Series(sizes), errors="coerce").fillna(0).clip(lower=1).to_numpy()
    return privacy.code_shares(shares, sizes, unit_of(unit, min_group_size))
