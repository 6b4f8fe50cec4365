"""The whole chain of evidence, per educator: learning hours (and coaching) -> change in knowledge
and skills -> practice -> growth of their students.

Stage 4 builds the chain up to practice (`chain_per_educator`, `chain_links`); this module adds the
students' step. Students experience the practice as it is during the year, so by default the link
to their growth starts from the educator's practice in the later window (fidelity, "practice
level"); `students_follow="change"` links the change in practice instead. Growth is compared with
the typical growth of all students in the same subject (`growth_vs_typical`, points above the
subject's mean growth), so subjects on different scales can share one chain.

Each link is an association (Spearman's rho with a bootstrap interval), never proof of cause. The
funnel counts the educators who moved on each step and on every step before it (1 of 2 educators
is within the coded band of a group of 2, so it reads only "≤50%").

>>> chain = pd.DataFrame({"educator_id": ["E1", "E2"], "dose": [6.0, 0.0], "learning_change": [0.1, -0.1],
...                       "practice_change": [0.25, 0.0], "practice_level": [1.0, 0.5],
...                       "growth_vs_typical": [2.0, -1.0]})
>>> chain_funnel(chain, min_educators=1)["share_through_text"].tolist()
['≤50%', '≤50%', '≤50%', '≤50%', '≤50%']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._privacy import EDUCATORS, code_shares, threshold, withheld_words
from .earlier_stages import earlier
from .growth import growth_by_educator

LEVEL, CHANGE = "level", "change"
STEP_NAMES = {
    "dose": "took part in learning (any hours of learning or coaching)",
    "learning_change": "knowledge and skills grew",
    "practice_change": "practice improved",
    "practice_level": "practice at or above the line in the later window",
    "growth_vs_typical": "their students grew more than is typical in the district",
}
STEP_SHORT = {"dose": "learning hours", "learning_change": "knowledge and skills",
              "practice_change": "change in practice", "practice_level": "practice at or above the line",
              "growth_vs_typical": "students' growth"}
FUNNEL_COLUMNS = ["step", "words", "educators", "moved", "through", "share_through", "share_through_text",
                  "suppressed", "note"]


def growth_for_chain(growth: pd.DataFrame, rosters: pd.DataFrame) -> pd.DataFrame:
    """Per educator, over every subject they teach: `students` (student results), `mean_growth`, and
    `growth_vs_typical`: their students' mean growth minus the mean growth of all students in the
    same subject, averaged over subjects weighted by students.

    >>> growth = pd.DataFrame({"student_id": ["S1", "S2", "S3"], "subject": ["math"] * 3, "growth": [9.0, 3.0, 6.0]})
    >>> rosters = pd.DataFrame({"student_id": ["S1", "S2", "S3"], "educator_id": ["E1", "E2", "E2"]})
    >>> growth_for_chain(growth, rosters)["growth_vs_typical"].tolist()
    [3.0, -1.5]
    """
    parts = []
    for subject, rows in growth.groupby("subject", sort=True):
        rows.attrs = dict(growth.attrs)
        table = growth_by_educator(rows, rosters)
        table["growth_vs_typical"] = table["mean_growth"] - rows["growth"].mean()
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=["educator_id", "students", "mean_growth", "growth_vs_typical"])
    every = pd.concat(parts, ignore_index=True)
    weights = every["students"].astype(float)
    summed = (every.assign(g=every["mean_growth"] * weights, r=every["growth_vs_typical"] * weights, w=weights)
                   .groupby("educator_id", sort=True)[["students", "g", "r", "w"]].sum())
    return pd.DataFrame({"educator_id": summed.index, "students": summed["students"].to_numpy(),
                         "mean_growth": (summed["g"] / summed["w"]).to_numpy(),
                         "growth_vs_typical": (summed["r"] / summed["w"]).to_numpy()})


def whole_chain(per_educator: pd.DataFrame, student_growth: pd.DataFrame,
                practice: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stage 4's `chain_per_educator` frame with the students' step: `practice_level` (fidelity in the
    later window, from stage 4's `practice_change`), `students`, `mean_growth`, `growth_vs_typical`
    (from `growth_for_chain`). One row per educator with any step."""
    chain = per_educator.copy()
    chain["educator_id"] = chain["educator_id"].astype(str)
    if practice is not None and len(practice):
        level = practice[["educator_id", "fidelity_after"]].rename(columns={"fidelity_after": "practice_level"})
        chain = chain.merge(level.astype({"educator_id": str}), on="educator_id", how="outer")
    if "practice_level" not in chain:
        chain["practice_level"] = np.nan
    growth = student_growth.astype({"educator_id": str})
    return chain.merge(growth, on="educator_id", how="outer").sort_values("educator_id").reset_index(drop=True)


def chain_steps(students_follow: str = LEVEL) -> list[str]:
    """The chain's steps (columns of `whole_chain`), in order."""
    practice = ["practice_change", "practice_level"] if students_follow == LEVEL else ["practice_change"]
    return ["dose", "learning_change", *practice, "growth_vs_typical"]


def whole_chain_links(chain: pd.DataFrame, students_follow: str = LEVEL, *,
                      min_educators: int | None = None) -> pd.DataFrame:
    """One row per link (stage 4's `chain_links` columns: from_step, to_step, educators, association,
    low, high, made_it, words). With `students_follow="level"` the students' link starts from the
    practice level, and there is no link from practice change to practice level (one is part of the
    other)."""
    size = threshold(EDUCATORS, min_educators)
    chain_links = earlier("chain_links")
    # Stage 4's words call the growth step "students' growth"; its values here are relative to typical.
    frame = chain.rename(columns={"growth_vs_typical": "mean_growth", "mean_growth": "_raw_growth"})
    start = "practice_level" if students_follow == LEVEL else "practice_change"
    parts = [chain_links(frame, ["dose", "learning_change", "practice_change"], min_educators=size),
             chain_links(frame, [start, "mean_growth"], min_educators=size)]
    links = pd.concat(parts, ignore_index=True)
    links["to_step"] = links["to_step"].replace("mean_growth", "growth_vs_typical")
    return links


def moved_on(chain: pd.DataFrame, step: str, line: float | None = None) -> pd.Series:
    """Whether each educator moved on `step` (missing when the step is not recorded): any hours;
    a change above zero; practice at or above the implementation `line` (stage 4's default);
    students' growth above the typical growth."""
    values = pd.to_numeric(chain[step], errors="coerce")
    if step == "practice_level":
        line = earlier("DEFAULT_FIDELITY_LINE") if line is None else line
        moved = values >= line - 1e-9
    else:
        moved = values > 0
    return moved.astype("boolean").mask(values.isna())


def chain_funnel(chain: pd.DataFrame, students_follow: str = LEVEL, *, line: float | None = None,
                 min_educators: int | None = None) -> pd.DataFrame:
    """How many educators made it through each step: `educators` (with the step recorded), `moved`
    (moved on it), `through` (moved on it and on every step before it), `share_through` (of the
    educators with every step so far recorded) and `share_through_text` as it may be shown. Counts
    under the educators' threshold are withheld. A share near 0% or 100% would tell every educator's
    step, so it reads only as its band (`code_shares`: "≥85%"), its number missing, and so is the count
    that gives it away (`through`; `moved` when it is near none or all of the step's `educators`).

    >>> chain = pd.DataFrame({"educator_id": [f"E{i}" for i in range(12)], "dose": 5.0, "learning_change": 0.1,
    ...                       "practice_change": 0.2, "practice_level": 1.0, "growth_vs_typical": [1.0] * 6 + [-1.0] * 6})
    >>> chain_funnel(chain)[["through", "share_through_text"]].values.tolist()
    [[<NA>, '≥75%'], [<NA>, '≥75%'], [<NA>, '≥75%'], [<NA>, '≥75%'], [6, '50%']]
    """
    rows, so_far, recorded = [], pd.Series(True, index=chain.index), pd.Series(True, index=chain.index)
    for step in chain_steps(students_follow):
        moved = moved_on(chain, step, line)
        recorded &= moved.notna()
        so_far &= moved.fillna(False).astype(bool)
        rows.append({"step": step, "words": STEP_NAMES[step], "educators": int(moved.notna().sum()),
                     "moved": int(moved.fillna(False).sum()), "through": int(so_far.sum()),
                     "share_through": so_far.sum() / recorded.sum() if recorded.sum() else np.nan,
                     "recorded": int(recorded.sum())})
    table = pd.DataFrame(rows)
    size = threshold(EDUCATORS, min_educators)
    small = (table[["educators", "moved", "through"]] < size).any(axis=1) & (table["educators"] > 0)
    # A small count next to its step's total could be worked out, so the whole step is withheld.
    for column in ("educators", "moved", "through"):
        table[column] = table[column].astype("Int64").mask(small)
    table["share_through"] = table["share_through"].mask(small)
    coded = code_shares(table["share_through"], table["recorded"], min_group_size=size)
    moved_coded = code_shares(table["moved"].astype(float) / table["educators"].astype(float).clip(lower=1),
                              table["educators"].astype(float), min_group_size=size)["share_coded"].to_numpy()
    table["share_through_text"] = coded["share_text"].to_numpy()
    edge = coded["share_coded"].to_numpy()
    table["share_through"] = table["share_through"].mask(edge)
    table["through"] = table["through"].mask(edge)
    table["moved"] = table["moved"].mask(moved_coded | (edge & (table["moved"] == table["through"]).fillna(False)))
    table["suppressed"] = small.to_numpy()
    table["note"] = np.where(small, withheld_words(EDUCATORS, size), "")
    return table[FUNNEL_COLUMNS]


def where_it_breaks(links: pd.DataFrame, funnel: pd.DataFrame) -> str:
    """Where the chain breaks, in words a team understands: the first link that does not clearly
    hold, and how many educators made it through each step."""
    counts = "; ".join(f"{row['words']}: {_share(row)}" for _, row in funnel.iterrows())
    shown = links[links["association"].notna()]
    weak = shown[~(shown["low"] > 0)]
    note = "Each link is an association across educators, not proof that one step caused the next."
    if links.empty or shown.empty:
        return f"The chain cannot be followed yet: no link has enough educators with both steps. {note}"
    if weak.empty:
        head = "The chain holds: at each link, educators further along one step tended to be further along the next."
    else:
        first = weak.iloc[0]
        head = (f"The chain breaks between {STEP_SHORT.get(first['from_step'], first['from_step'])} and "
                f"{STEP_SHORT.get(first['to_step'], first['to_step'])}: educators further along the first were "
                f"not clearly further along the second (Spearman {first['association']:.2f}, 95% interval "
                f"{first['low']:.2f} to {first['high']:.2f}, {first['educators']} educators).")
    return f"{head} Educators through each step: {counts}. {note}"


def _share(row: pd.Series) -> str:
    """A step's educators through it as the words may show them: "28 (70%)", a coded share alone
    ("≥85%", its count missing) or "withheld"."""
    if row["suppressed"]:
        return "withheld"
    return funnel_count_words(row)


def funnel_count_words(row: pd.Series, through: str = "") -> str:
    """A funnel row's count and share as they may be shown; `through` is put after the count.

    >>> funnel_count_words(pd.Series({"through": 28, "share_through": 0.7, "share_through_text": "70%"}))
    '28 (70%)'
    >>> funnel_count_words(pd.Series({"through": pd.NA, "share_through": np.nan, "share_through_text": "≥85%"}), " through")
    '≥85% through'
    """
    text = row.get("share_through_text")
    if not isinstance(text, str) or not text:
        text = "" if pd.isna(row["share_through"]) else f"{row['share_through']:.0%}"
    if pd.isna(row["through"]):
        return f"{text}{through}" if text else "withheld"
    return f"{row['through']}{through}" + (f" ({text})" if text else "")


def follow_educator(chain: pd.DataFrame, educator_id: str, students_follow: str = LEVEL, *,
                    line: float | None = None) -> pd.DataFrame:
    """One educator's chain, for the coach only (never in a team's view): per step, their value,
    the median of all educators, and whether they moved on it."""
    rows = chain[chain["educator_id"].astype(str) == str(educator_id)]
    if rows.empty:
        return pd.DataFrame(columns=["step", "words", "value", "median", "moved"])
    index = rows.index[0]
    table = []
    for step in chain_steps(students_follow):
        moved = moved_on(chain, step, line).loc[index]
        table.append({"step": step, "words": STEP_NAMES[step], "value": chain.loc[index, step],
                      "median": float(pd.to_numeric(chain[step], errors="coerce").median()),
                      "moved": None if pd.isna(moved) else bool(moved)})
    return pd.DataFrame(table)


def school_breaks(chain: pd.DataFrame, educators: pd.DataFrame, names: dict[str, str] | None = None, *,
                  min_educators: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Per school, the mean of each change step with its interval (stage 4's `change_by_group`), and
    each school where one change rose and the next did not, in words (stage 4's `chain_breaks`).
    Schools with fewer educators than the threshold are withheld."""
    steps = ["learning_change", "practice_change"]
    size = threshold(EDUCATORS, min_educators)
    changes = earlier("change_by_group")(chain, educators.astype({"educator_id": str}), steps, "school_id",
                                         min_educators=size)
    return changes, earlier("chain_breaks")(changes, steps, "school_id", names)
