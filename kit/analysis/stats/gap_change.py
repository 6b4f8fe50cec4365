"""Did a gap narrow, widen, or stay about the same between two windows?

A gap is one group's mean minus a reference mean (the sign does not matter here: a gap's size
is its distance from zero). `gap_change` compares the size before and after and says, one row
per gap:

gap_before, gap_after, change, tolerance, ci_low, ci_high, verdict, words, reason

`change` is size after minus size before in score points (negative = narrower); `ci_low` /
`ci_high` its 95% interval when standard errors or an interval were given; `verdict` is
"narrowed", "widened", "about the same" or "not reported"; `words` is the phrase a coach reads,
with the numbers; `reason` says why a verdict is "about the same" or "not reported".

The rule: a gap "narrowed" or "widened" only when its size changed by more than the tolerance
AND, when an interval is known, that interval excludes no change. The tolerance is
`GAP_CHANGE_TOLERANCE_SD` (0.05) of the scores' standard deviation: the What Works
Clearinghouse treats groups within 0.05 SD as equivalent (Procedures and Standards Handbook
v5.0, baseline equivalence), so a gap that moved less than that has not moved in any sense that
matters. The tolerance is never below `SMALLEST_REPORTED_CHANGE` (0.05 points), half of the
0.1-point step the words are printed in, so the words can never say "widened by 0.0 points".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._inputs import Z_95, StatsInputError

#: A gap's size must change by more than this share of the scores' SD to count as a change.
GAP_CHANGE_TOLERANCE_SD = 0.05
#: Changes are printed to 0.1 points; anything up to half of that is "about the same".
SMALLEST_REPORTED_CHANGE = 0.05

GAP_CHANGE_HELP = (
    "A gap is called narrowed or widened only when its size changed by more than 0.05 of the "
    "scores' standard deviation (the difference the What Works Clearinghouse treats as negligible) "
    "and, when an interval is shown, the interval of the change leaves out no change; otherwise it "
    "is about the same."
)

GAP_CHANGE_COLUMNS = ["gap_before", "gap_after", "change", "tolerance", "ci_low", "ci_high", "verdict", "words",
                      "reason"]


def gap_change(
    before,
    after,
    *,
    sd: float | None = None,
    tolerance: float | None = None,
    se_before=None,
    se_after=None,
    change_interval: tuple | None = None,
    unit: str = "points",
) -> pd.DataFrame:
    """Narrowed, widened or about the same, for one gap or a column of gaps.

    Give the scores' standard deviation `sd` (the tolerance is then 0.05 SD) or a `tolerance`
    in score points. Give `se_before` and `se_after` (the gaps' standard errors; the windows are
    treated as independent samples, so the interval of the change is change -/+ 1.96
    sqrt(se_before^2 + se_after^2)), or `change_interval` = (low, high) of after minus before,
    when an interval is known. When the gap changes sides (the group moves from behind to ahead),
    the interval of its size is not defined; the tolerance alone decides and `reason` says so.

    >>> row = gap_change(-12.0, -7.5, sd=30.0).iloc[0]
    >>> row["verdict"], row["words"]
    ('narrowed', 'narrowed by 4.5 points (from 12.0 to 7.5)')
    >>> gap_change(-12.0, -12.03, sd=30.0).loc[0, "words"]
    'about the same (from 12.0 to 12.0)'
    >>> gap_change(-12.0, -18.0, sd=30.0, se_before=4.0, se_after=4.0).loc[0, "verdict"]
    'about the same'
    """
    before_gap, after_gap = _as_floats(before, "gaps before"), _as_floats(after, "gaps after")
    if len(before_gap) != len(after_gap):
        raise StatsInputError(f"There are {len(before_gap)} gaps before but {len(after_gap)} after; give one of each per group.")
    limit = _tolerance(sd, tolerance)
    low, high = _signed_interval(before_gap, after_gap, se_before, se_after, change_interval)
    rows = [_judge(b, a, limit, lo, hi, unit) for b, a, lo, hi in zip(before_gap, after_gap, low, high)]
    return pd.DataFrame(rows, columns=GAP_CHANGE_COLUMNS)


def _judge(before: float, after: float, limit: float, low: float, high: float, unit: str) -> dict:
    row = {"gap_before": before, "gap_after": after, "change": math.nan, "tolerance": limit,
           "ci_low": math.nan, "ci_high": math.nan, "verdict": "not reported", "words": "not reported",
           "reason": ""}
    if math.isnan(before) or math.isnan(after):
        row.update(reason="the gap is not reported in one of the windows")
        return row
    change = abs(after) - abs(before)
    row["change"] = change
    side = _side(before, after, limit)
    if side and not math.isnan(low):
        # Size = side * gap while the gap stays on one side, so its change is side * (after - before).
        row["ci_low"], row["ci_high"] = sorted((side * low, side * high))
    span = f"from {abs(before):.1f} to {abs(after):.1f}" + ("" if side else ", the other way round")
    way = "narrowed" if change < 0 else "widened"
    if abs(change) <= limit:
        row.update(verdict="about the same", words=f"about the same ({span})",
                   reason=f"the size changed by no more than the tolerance of {limit:.2g} {unit}")
    elif not math.isnan(row["ci_low"]) and row["ci_low"] <= 0 <= row["ci_high"]:
        interval = f"{row['ci_low']:.1f} to {row['ci_high']:.1f}"
        row.update(verdict="about the same",
                   words=f"about the same: {abs(change):.1f} {unit} {'narrower' if change < 0 else 'wider'} ({span}), "
                         f"but the 95% interval of the change ({interval}) includes no change",
                   reason="the interval of the change includes no change")
    else:
        row.update(verdict=way, words=f"{way} by {abs(change):.1f} {unit} ({span})")
        if not side and not math.isnan(low):
            row["reason"] = "the gap changed sides, so only the tolerance was used"
    return row


def _side(before: float, after: float, limit: float) -> int:
    """+1 or -1 when both gaps lie on that side of zero (or one is within the tolerance of it), else 0."""
    signs = {int(np.sign(g)) for g in (before, after) if abs(g) > limit}
    return signs.pop() if len(signs) == 1 else (1 if not signs else 0)


def _signed_interval(before, after, se_before, se_after, change_interval) -> tuple[np.ndarray, np.ndarray]:
    nan = np.full(len(before), np.nan)
    if change_interval is not None:
        low, high = (np.broadcast_to(_as_floats(v, "interval of the change"), before.shape) for v in change_interval)
        return np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    if se_before is None or se_after is None:
        return nan, nan
    se = np.sqrt(np.broadcast_to(_as_floats(se_before, "standard errors before"), before.shape) ** 2
                 + np.broadcast_to(_as_floats(se_after, "standard errors after"), before.shape) ** 2)
    # Independent windows: Var(after - before) = se_after^2 + se_before^2.
    return after - before - Z_95 * se, after - before + Z_95 * se


def _tolerance(sd, tolerance) -> float:
    if tolerance is not None:
        value = float(tolerance)
        if not math.isfinite(value) or value < 0:
            raise StatsInputError(f"The tolerance must be a number of score points of at least 0, not {tolerance!r}.")
    elif sd is not None:
        if not math.isfinite(float(sd)) or float(sd) <= 0:
            raise StatsInputError(f"The scores' standard deviation must be a positive number, not {sd!r}.")
        value = GAP_CHANGE_TOLERANCE_SD * float(sd)
    else:
        raise StatsInputError("Give the scores' standard deviation (sd=...) or a tolerance in score points, so the "
                              "kit knows how big a change must be to count.")
    return max(value, SMALLEST_REPORTED_CHANGE)


def _as_floats(values, what: str) -> np.ndarray:
    try:
        array = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as error:
        raise StatsInputError(f"The {what} must be numbers.") from error
    if array.ndim != 1:
        raise StatsInputError(f"The {what} must be one number or one column of numbers.")
    return array
