"""Comparisons a coach can defend: students of one group of educators (or classes) against another.

Each comparison follows the What Works Clearinghouse procedures (Procedures and Standards Handbook
v5.0; the formulas live in `kit.analysis.stats`): Hedges' g on growth with its 95% interval and
the improvement index, baseline equivalence of the scores in the earlier window, and the Cox index
for proficiency in the later window. Outcome = growth (later minus earlier score), which takes the
starting difference out of the comparison; the baseline verdict says how far apart the groups
started. A comparison is named in plain words, and never called an effect of the learning: the
groups were not formed at random.

Students are grouped through their educator (`label_students`): by implementation level (stage 4's
`implementation_levels`), by learning hours (`participation_levels`), or by any extra column of the
educators or rosters tables (`extra_columns`). A student whose educators fall in different groups
(two teachers of one subject) is left out of the comparison, and counted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit import schema
from kit.analysis import stats
from kit.analysis.equity import NOT_RECORDED, group_values
from kit.analysis.stats.distributions import t_ppf

from ._privacy import EDUCATORS, STUDENTS, threshold

#: Stage 4's implementation levels, in the order comparisons put them.
AT_OR_ABOVE, BELOW, NOT_OBSERVED = "at or above the line", "below the line", "not observed"
IMPLEMENTATION_LEVELS = (AT_OR_ABOVE, BELOW, NOT_OBSERVED)
NO_HOURS = "no learning hours"

COMPARISON_COLUMNS = [
    "comparison", "treatment", "comparison_group", "students_treatment", "students_comparison",
    "educators_treatment", "educators_comparison", "mean_growth_treatment", "mean_growth_comparison",
    "growth_g", "growth_low", "growth_high", "improvement_index", "growth_verdict", "design_effect",
    "clustered_low", "clustered_high", "baseline_g",
    "baseline_verdict", "cox_index", "cox_low", "cox_high", "proficiency_verdict", "students_left_out",
    "words", "reason",
]


# -- how educators are grouped ---------------------------------------------------------------------
def participation_levels(hours: pd.DataFrame, educators: Sequence[str] = (), *, cut: float | None = None
                         ) -> pd.DataFrame:
    """Each educator's learning hours as a level: "no learning hours", "fewer than X hours" or
    "X hours or more". X is `cut`, or else the median hours of educators with any hours (rounded to
    half an hour), so the two levels with hours are about the same size. Educators in `educators`
    with no row in `hours` (stage 3's `educator_hours`) had none.

    >>> hours = pd.DataFrame({"educator_id": ["E1", "E2", "E3"], "hours": [2.0, 6.0, 10.0]})
    >>> participation_levels(hours, ["E1", "E2", "E3", "E4"])["participation"].tolist()
    ['fewer than 6 hours', '6 hours or more', '6 hours or more', 'no learning hours']
    """
    frame = hours[["educator_id", "hours"]].copy()
    frame["educator_id"] = frame["educator_id"].astype(str)
    missing = [e for e in dict.fromkeys(map(str, educators)) if e not in set(frame["educator_id"])]
    frame = pd.concat([frame, pd.DataFrame({"educator_id": missing, "hours": 0.0})], ignore_index=True)
    some = frame.loc[frame["hours"] > 0, "hours"]
    if cut is None:
        cut = round(float(some.median()) * 2) / 2 if len(some) else 0.0
    cut_words = f"{cut:g} hours"
    frame["participation"] = np.select([frame["hours"].fillna(0) <= 0, frame["hours"] < cut],
                                       [NO_HOURS, f"fewer than {cut_words}"], f"{cut_words} or more")
    return frame[["educator_id", "hours", "participation"]]


def extra_columns(frame: pd.DataFrame, table: str) -> list[str]:
    """The columns of a loaded `educators` or `rosters` frame beyond the kit's own: attributes a
    coach can compare by (a program, a cohort, a class type). The one place stage 5 reads them.

    >>> extra_columns(pd.DataFrame(columns=["educator_id", "school_id", "cohort"]), "educators")
    ['cohort']
    """
    known = set(schema.table_by_name(table).column_names)
    return [column for column in frame.columns if column not in known and not str(column).startswith("_")]


def arm_phrase(kind: str, value: str, column: str = "") -> str:
    """The students a group stands for, in plain words.

    >>> arm_phrase("implementation", "below the line"), arm_phrase("class", "co-taught", "class_type")
    ('students of educators below the line', 'students in classes whose class type is co-taught')
    """
    if kind == "implementation":
        return f"students of educators {value}" if value != NOT_OBSERVED else "students of educators not yet observed"
    if kind == "participation":
        return f"students of educators with {value}"
    name = column.replace("_", " ")
    if kind == "class":
        return f"students in classes whose {name} is {value}"
    return f"students of educators whose {name} is {value}"


# -- students in groups ----------------------------------------------------------------------------
def label_students(links: pd.DataFrame, column: str, educator_labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """The growth rows of `links` (from `growth.class_links`) with an `arm`: the value of `column`
    for the student's educator (from `educator_labels`, one row per educator) or class (a roster
    column already in `links`). Blank values are "not recorded" ("not observed" for implementation).
    A student-subject whose educators fall in two arms is dropped; `attrs["left_out"]` counts them.
    """
    frame = links.copy()
    if educator_labels is not None:
        labels = educator_labels[["educator_id", column]].copy()
        labels["educator_id"] = labels["educator_id"].astype(str)
        frame = frame.drop(columns=[column], errors="ignore").merge(labels, on="educator_id", how="left")
    blank = NOT_OBSERVED if column == "implementation" else NOT_RECORDED
    frame["arm"] = group_values(frame[column]).replace(NOT_RECORDED, blank).to_numpy()
    arms = frame.groupby(["student_id", "subject"], sort=False)["arm"].transform("nunique")
    mixed = frame[arms > 1]
    kept = frame[arms == 1].drop_duplicates(["student_id", "subject", "arm", "educator_id"])
    kept.attrs = dict(links.attrs, left_out=int(mixed[["student_id", "subject"]].drop_duplicates().shape[0]))
    return kept.reset_index(drop=True)


def compare(labelled: pd.DataFrame, treatment: str, comparison: str | Sequence[str], *, kind: str,
            column: str = "", min_group_size: int | None = None, min_educators: int | None = None,
            withheld_arms: Sequence[str] = ()) -> pd.DataFrame:
    """One comparison (one row of `COMPARISON_COLUMNS`) of the students in arm `treatment` against
    those in `comparison` (one arm or several together), on growth, baseline and proficiency.

    Withheld when either group has fewer students than the students' threshold (by `kit.analysis.stats`)
    or fewer educators than the educators' threshold: a group of one or two educators would show
    their classes' results; and when an arm is in `withheld_arms` (withheld in `growth_by_arm` so that
    a small arm cannot be worked out from the total). `words` says it for a team; `reason` why a number
    is missing.
    """
    others = [comparison] if isinstance(comparison, str) else list(comparison)
    t_rows = _one_row_per_student(labelled[labelled["arm"] == treatment])
    c_rows = _one_row_per_student(labelled[labelled["arm"].isin(others)])
    t_label = arm_phrase(kind, treatment, column)
    c_label = " or ".join(arm_phrase(kind, arm, column) for arm in others) if len(others) > 1 \
        else arm_phrase(kind, others[0], column)
    students = threshold(STUDENTS, min_group_size)
    options = {"treatment_label": t_label, "comparison_label": c_label, "min_group_size": students}
    row = {"comparison": f"{t_label} compared with {c_label}", "treatment": treatment,
           "comparison_group": " or ".join(others), "students_treatment": len(t_rows),
           "students_comparison": len(c_rows), "educators_treatment": t_rows["educator_id"].nunique(),
           "educators_comparison": c_rows["educator_id"].nunique(),
           "students_left_out": labelled.attrs.get("left_out", 0)}
    too_few = _too_few(row, students, threshold(EDUCATORS, min_educators))
    if not too_few and {treatment, *others} & set(withheld_arms):
        too_few = "withheld so that a small group of students or educators cannot be worked out"
    if too_few:
        return _withheld(row, too_few)
    growth = stats.hedges_g(t_rows["growth"], c_rows["growth"], **options).iloc[0]
    baseline = stats.baseline_equivalence(t_rows["score_before"], c_rows["score_before"], **options).iloc[0]
    row.update(mean_growth_treatment=growth["mean_treatment"], mean_growth_comparison=growth["mean_comparison"],
               growth_g=growth["effect"], growth_low=growth["ci_low"], growth_high=growth["ci_high"],
               improvement_index=growth["improvement_index"], growth_verdict=growth["verdict"],
               baseline_g=baseline["effect"], baseline_verdict=baseline["verdict"], reason=growth["reason"])
    sentences = [stats.summarise(pd.DataFrame([growth]), outcome="growth"),
                 stats.summarise(pd.DataFrame([baseline]))]
    row.update(_clustered(pd.concat([t_rows, c_rows]), growth, sentences))
    row.update(_proficiency(t_rows, c_rows, options, sentences))
    row["words"] = " ".join(sentences)
    return _frame([row])


def _proficiency(t_rows: pd.DataFrame, c_rows: pd.DataFrame, options: dict, sentences: list[str]) -> dict:
    t_yes, c_yes = t_rows["proficient_after"].dropna(), c_rows["proficient_after"].dropna()
    if t_yes.empty or c_yes.empty:
        return {"proficiency_verdict": "not reported"}
    cox = stats.cox_index(t_yes, c_yes, **options).iloc[0]
    if cox["verdict"] != "not reported":
        sentences.append(stats.summarise(pd.DataFrame([cox]), outcome="proficiency in the later window"))
    return {"cox_index": cox["effect"], "cox_low": cox["ci_low"], "cox_high": cox["ci_high"],
            "proficiency_verdict": cox["verdict"]}


def _clustered(rows: pd.DataFrame, growth: pd.Series, sentences: list[str]) -> dict:
    """Students share classes, so their growth is not independent: the design effect of the classes
    (Kish 1965, 1 + (m - 1) ICC, `kit.analysis.stats.design_effect`) widens g's interval by its square
    root (WWC Handbook v5.0 corrects clustered comparisons the same way, through the ICC)."""
    if not pd.notna(growth["se"]) or rows["educator_id"].nunique() < 2:
        return {}
    icc = stats.intraclass_correlation(rows["growth"], rows["educator_id"])["icc"]
    effect = stats.design_effect(icc, rows.groupby("educator_id").size())
    half = 1.959963984540054 * growth["se"] * np.sqrt(effect)
    low, high = growth["effect"] - half, growth["effect"] + half
    if effect > 1.05:
        holds = "still lies" if (low > 0 or high < 0) else "no longer lies"
        side = "above" if growth["effect"] > 0 else "below"
        sentences.append(f"Students share classes (design effect {effect:.1f}), so the interval that allows for it "
                         f"is wider: {low:.2f} to {high:.2f}, which {holds} {side} zero.")
    return {"design_effect": effect, "clustered_low": low, "clustered_high": high}


def _one_row_per_student(rows: pd.DataFrame) -> pd.DataFrame:
    """A student taught by two educators of the same arm counts once."""
    return rows.drop_duplicates(["student_id", "subject"])


def _too_few(row: dict, min_students: int, min_educators: int) -> str:
    if min(row["students_treatment"], row["students_comparison"]) < min_students:
        return f"fewer than {min_students} students in a group"
    if min(row["educators_treatment"], row["educators_comparison"]) < min_educators:
        return f"fewer than {min_educators} educators in a group, so it would show their classes' results"
    return ""


def _withheld(row: dict, reason: str) -> pd.DataFrame:
    """No count, mean or effect of a withheld comparison is shown."""
    for key in ("students_treatment", "students_comparison", "educators_treatment", "educators_comparison"):
        row[key] = pd.NA
    row.update(growth_verdict="not reported", baseline_verdict="not reported", proficiency_verdict="not reported",
               reason=reason, words=f"{row['comparison'][:1].upper()}{row['comparison'][1:]}: not shown, {reason}.")
    return _frame([row])


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    for column in ("students_treatment", "students_comparison", "educators_treatment", "educators_comparison",
                   "students_left_out"):
        frame[column] = frame[column].astype("Int64")
    return frame


def comparisons(labelled: pd.DataFrame, *, kind: str, column: str = "", order: Sequence[str] | None = None,
                min_group_size: int | None = None, min_educators: int | None = None) -> pd.DataFrame:
    """The first arm against each other arm, one row each (`compare`). Arms come in `order` when
    given (implementation: at or above, below, not observed), else alphabetically with "not
    recorded" last. With one arm there is nothing to compare and the frame is empty."""
    present = list(dict.fromkeys(labelled["arm"]))
    if order:
        arms = [arm for arm in order if arm in present] + sorted(a for a in present if a not in order)
    else:
        arms = sorted(present, key=lambda a: (a == NOT_RECORDED, a))
    shown = growth_by_arm(labelled, kind=kind, column=column, order=order, min_group_size=min_group_size,
                          min_educators=min_educators)
    withheld = list(shown.loc[shown["suppressed"], "arm"])
    rows = [compare(labelled, arms[0], other, kind=kind, column=column, min_group_size=min_group_size,
                    min_educators=min_educators, withheld_arms=withheld) for other in arms[1:]]
    return pd.concat(rows, ignore_index=True) if rows else _frame([])


ARM_COLUMNS = ["arm", "words", "students", "educators", "mean_growth", "low", "high", "suppressed", "note"]


def growth_by_arm(labelled: pd.DataFrame, *, kind: str, column: str = "", order: Sequence[str] | None = None,
                  min_group_size: int | None = None, min_educators: int | None = None) -> pd.DataFrame:
    """Mean growth of each arm's students with its 95% t interval (Student 1908): `arm`, `words`
    (the students in plain words), `students`, `educators`, `mean_growth`, `low`, `high`. An arm with
    fewer students or educators than their thresholds is withheld, and so is one more arm when only
    one would be withheld (the arms add up to a total shown elsewhere).

    >>> frame = pd.DataFrame({"student_id": [f"S{i}" for i in range(24)], "subject": "math",
    ...     "arm": ["a"] * 12 + ["b"] * 12, "growth": [4.0, 6.0] * 12, "educator_id": [f"E{i % 6}" for i in range(24)]})
    >>> growth_by_arm(frame, kind="attribute", column="cohort")[["arm", "mean_growth"]].to_dict("list")
    {'arm': ['a', 'b'], 'mean_growth': [5.0, 5.0]}
    """
    from ._privacy import withheld_words, withhold

    present = list(dict.fromkeys(labelled["arm"]))
    arms = ([a for a in order if a in present] + sorted(a for a in present if a not in order)) if order \
        else sorted(present, key=lambda a: (a == NOT_RECORDED, a))
    rows = []
    for arm in arms:
        members = _one_row_per_student(labelled[labelled["arm"] == arm])
        values = members["growth"].dropna().astype(float)
        n = len(values)
        half = (float(t_ppf(0.975, n - 1)) * values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
        rows.append({"arm": arm, "words": arm_phrase(kind, arm, column), "students": n,
                     "educators": members["educator_id"].nunique(), "mean_growth": values.mean() if n else np.nan,
                     "low": values.mean() - half if n > 1 else np.nan, "high": values.mean() + half if n > 1 else np.nan})
    table = pd.DataFrame(rows, columns=ARM_COLUMNS[:-2])
    students, educators = threshold(STUDENTS, min_group_size), threshold(EDUCATORS, min_educators)
    # An arm of too few educators counts as small too, so the students' suppression covers it.
    table["_count"] = table["students"].where(table["educators"] >= educators, 0)
    shown = withhold(table, "_count", ["mean_growth", "low", "high"], unit=STUDENTS, min_group_size=students)
    shown["students"] = shown["students"].astype("Int64").mask(shown["suppressed"])
    shown["educators"] = shown["educators"].astype("Int64").mask(shown["suppressed"])
    shown["note"] = np.where(shown["suppressed"], f"{withheld_words(STUDENTS, students)} or {educators} educators", "")
    return shown[ARM_COLUMNS]
