"""The chain of evidence so far, per educator: dose (learning hours and coaching) -> change in
knowledge and skills (stage 3) -> change in practice; each link an association with its interval,
and where the chain breaks, in words. Stage 5 adds students' growth as one more step.

An association is never proof of cause: each link only says whether educators further along one
step tended to be further along the next.

>>> per = pd.DataFrame({"educator_id": [f"E{i}" for i in range(12)], "hours": range(12),
...                     "learning_change": [0.01 * i for i in range(12)]})
>>> links = chain_links(per, ["hours", "learning_change"])
>>> links[["from_step", "to_step", "educators", "association"]].to_dict("records")
[{'from_step': 'hours', 'to_step': 'learning_change', 'educators': 12, 'association': 1.0}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit import privacy
from kit.analysis.stats import rank_association
from kit.analysis.stats.distributions import t_ppf

from ._privacy import MIN_EDUCATORS, withheld_words

#: The words for each step of the chain.
STEP_WORDS = {
    "hours": "learning hours", "coaching_hours": "hours of coaching", "dose": "learning and coaching hours",
    "learning_change": "change in knowledge and skills", "practice_change": "change in practice",
    "mean_growth": "students' growth",
}
LINK_COLUMNS = ["from_step", "to_step", "educators", "association", "low", "high", "made_it", "words"]


def step_words(step: str) -> str:
    return STEP_WORDS.get(step, step.replace("_", " "))


def is_change(step: str) -> bool:
    """A change or growth step moves when it is above zero; a dose step when at or above its median."""
    return "change" in step or "growth" in step


def chain_per_educator(hours: pd.DataFrame | None, learning: pd.DataFrame | None, practice: pd.DataFrame | None,
                       coaching_minutes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per educator with any step: hours, coaching_hours, dose (the two added: coaching
    minutes join learning hours as dose), learning_change, practice_change.

    `hours` is stage 3's `educator_hours` [educator_id, hours], `learning` its
    `educator_learning_change` [educator_id, learning_change, ...], `practice` is `practice_change`,
    `coaching_minutes` is [educator_id, minutes] (`coaching_dose`).

    >>> chain_per_educator(pd.DataFrame({"educator_id": ["E1"], "hours": [6.0]}), None, None,
    ...                    pd.DataFrame({"educator_id": ["E1"], "minutes": [90]}))[["hours", "coaching_hours", "dose"]].to_dict("records")
    [{'hours': 6.0, 'coaching_hours': 1.5, 'dose': 7.5}]
    """
    parts = [
        _part(hours, {"hours": "hours"}),
        _part(coaching_minutes, {"minutes": "coaching_hours"}, scale=1 / 60),
        _part(learning, {"learning_change": "learning_change"}),
        _part(practice, {"practice_change": "practice_change"}),
    ]
    table = pd.DataFrame({"educator_id": pd.Series(dtype=str)})
    for part in parts:
        table = table.merge(part, on="educator_id", how="outer")
    for column in ("hours", "coaching_hours", "learning_change", "practice_change"):
        if column not in table:
            table[column] = np.nan
    has_dose = table["hours"].notna() | table["coaching_hours"].notna()
    table["dose"] = (table["hours"].fillna(0) + table["coaching_hours"].fillna(0)).where(has_dose)
    return table[["educator_id", "hours", "coaching_hours", "dose", "learning_change", "practice_change"]]


def _part(frame: pd.DataFrame | None, columns: dict[str, str], scale: float = 1.0) -> pd.DataFrame:
    if frame is None or frame.empty:
        return pd.DataFrame({"educator_id": pd.Series(dtype=str), **{new: pd.Series(dtype=float)
                                                                      for new in columns.values()}})
    part = frame[["educator_id", *columns]].rename(columns=columns)
    part["educator_id"] = part["educator_id"].astype(str)
    for column in columns.values():
        part[column] = pd.to_numeric(part[column], errors="coerce").astype(float) * scale
    return part.groupby("educator_id", as_index=False).sum(min_count=1)


def moved(values: pd.Series, step: str) -> pd.Series:
    """Whether each educator moved on a step: a change above zero, a dose at or above its median."""
    return values > 0 if is_change(step) else values >= values.median()


def chain_links(per_educator: pd.DataFrame, steps: Sequence[str], *,
                min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """One row per link between consecutive `steps` (columns of `per_educator`): the educators with
    both, Spearman's rho with its 95% bootstrap interval (`kit.analysis.stats.rank_association`),
    `made_it` (share of those educators who moved on both steps, see `moved`) and the link in words.
    A link with fewer than `min_educators` educators is withheld."""
    rows = []
    for first, second in zip(steps[:-1], steps[1:]):
        pair = per_educator[[first, second]].dropna()
        row = {"from_step": first, "to_step": second, "educators": len(pair), "association": np.nan,
               "low": np.nan, "high": np.nan, "made_it": np.nan}
        if len(pair) < min_educators:
            rows.append({**row, "words": f"{_capital(step_words(first))} -> {step_words(second)}: "
                                         f"{withheld_words(min_educators)}."})
            continue
        result = rank_association(pair[first], pair[second], x_label=step_words(first),
                                  y_label=step_words(second), unit="educators", min_group_size=min_educators).iloc[0]
        both = moved(pair[first], first) & moved(pair[second], second)
        row.update(association=result["effect"], low=result["ci_low"], high=result["ci_high"], made_it=both.mean())
        rows.append({**row, "words": link_words(row, result["verdict"], result["reason"], min_educators=min_educators)})
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def link_words(row: dict, verdict: str, reason: str = "", *, min_educators: int = MIN_EDUCATORS) -> str:
    """One link in words: its direction, Spearman's rho with the interval, and who moved on both (a
    share of educators, top- and bottom-coded by the kit's rule: "≥75% moved on both" of 12).

    >>> row = {"from_step": "hours", "to_step": "practice_change", "educators": 12, "association": 0.5,
    ...        "low": 0.1, "high": 0.8, "made_it": 1.0}
    >>> link_words(row, "positive").split("; ")[1]
    '≥75% moved on both).'
    """
    first, second = step_words(row["from_step"]), step_words(row["to_step"])
    if verdict == "not reported":
        return f"{_capital(first)} -> {second}: not reported ({reason})."
    moved_both = privacy.code_share(row["made_it"], row["educators"], privacy.EDUCATORS.with_threshold(min_educators))
    figures = (f"Spearman {row['association']:.2f}, 95% interval {row['low']:.2f} to {row['high']:.2f}, "
               f"{row['educators']} educators; {moved_both} moved on both")
    if verdict == "positive":
        return f"More {first} went with more {second} ({figures})."
    if verdict == "negative":
        return f"More {first} went with less {second} ({figures}): the chain breaks here."
    return f"The chain breaks here: {second} did not clearly follow {first} ({figures})."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mean_interval(values: pd.Series) -> tuple[float, float, float]:
    """The mean and its 95% t interval (Student 1908): mean +/- t(0.975, n - 1) * sd / sqrt(n)."""
    values = values.dropna().astype(float)
    if len(values) < 2 or np.isclose(values.std(), 0.0):
        return float(values.mean()) if len(values) else np.nan, np.nan, np.nan
    mean = float(values.mean())
    half = float(t_ppf(0.975, len(values) - 1)) * float(values.std(ddof=1)) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def change_by_group(per_educator: pd.DataFrame, educators: pd.DataFrame, steps: Sequence[str], by: str = "school_id",
                    *, min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Per group (school by default) and change step: educators, mean change with its 95% interval,
    and whether it `rose` (interval above zero), fell or is not clear. Groups under the threshold
    are withheld (no figures, `suppressed` True)."""
    joined = per_educator.merge(educators[["educator_id", by]], on="educator_id", how="inner")
    rows = []
    for group, members in joined.groupby(by, sort=True):
        for step in [s for s in steps if is_change(s)]:
            values = members[step].dropna()
            mean, low, high = _mean_interval(values)
            small = len(values) < min_educators
            rows.append({by: group, "step": step, "educators": len(values), "mean": np.nan if small else mean,
                         "low": np.nan if small else low, "high": np.nan if small else high,
                         "direction": "withheld" if small else _direction(low, high), "suppressed": small,
                         "note": withheld_words(min_educators) if small else ""})
    return pd.DataFrame(rows, columns=[by, "step", "educators", "mean", "low", "high", "direction", "suppressed",
                                       "note"])


def _direction(low: float, high: float) -> str:
    if pd.notna(low) and low > 0:
        return "rose"
    if pd.notna(high) and high < 0:
        return "fell"
    return "no clear change"


def chain_breaks(changes: pd.DataFrame, steps: Sequence[str], by: str = "school_id",
                 names: dict[str, str] | None = None) -> list[str]:
    """Where the chain breaks, in words: each group in which one change step rose and the next did
    not (`change_by_group`'s table). `names` maps a group to the words shown for it.

    >>> changes = pd.DataFrame({"school_id": ["A", "A"], "step": ["learning_change", "practice_change"],
    ...     "educators": [20, 20], "mean": [0.1, 0.0], "low": [0.05, -0.1], "high": [0.15, 0.1],
    ...     "direction": ["rose", "no clear change"], "suppressed": [False, False]})
    >>> print(chain_breaks(changes, ["learning_change", "practice_change"])[0])
    At A, change in knowledge and skills rose (mean +0.10, 95% interval +0.05 to +0.15, 20 educators) but change in practice did not (mean
    +0.00, 95% interval -0.10 to +0.10): the chain breaks between them.
    """
    changed = [s for s in steps if is_change(s)]
    shown = changes[~changes["suppressed"]]
    sentences = []
    for group, rows in shown.groupby(by, sort=True):
        found = rows.set_index("step")
        for first, second in zip(changed[:-1], changed[1:]):
            if first not in found.index or second not in found.index:
                continue
            a, b = found.loc[first], found.loc[second]
            if a["direction"] == "rose" and b["direction"] != "rose":
                where = (names or {}).get(group, group)
                sentences.append(
                    f"At {where}, {step_words(first)} rose ({_figures(a)}, {a['educators']} educators) but "
                    f"{step_words(second)} did not ({_figures(b)}): the chain breaks between them.")
    return sentences


def _figures(row: pd.Series) -> str:
    interval = (f", 95% interval {row['low']:+.2f} to {row['high']:+.2f}" if pd.notna(row["low"]) else "")
    return f"mean {row['mean']:+.2f}{interval}"
