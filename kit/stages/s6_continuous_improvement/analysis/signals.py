"""Run-chart verdicts in plain words: is a series showing more than everyday ups and downs?

The rules are `kit.analysis.stats.run_chart_signals`'s: by default the Anhoej pair (an unusually
long run on one side of the median, unusually few crossings of it; Anhoej & Olesen 2014), which
keeps false alarms near 1-3 charts in 100 on pure chance; the shift, trend and crossings rules
can be added, at the false-alarm cost `EXTRA_RULES_COST` states. A series with fewer than
`MIN_POINTS_TO_JUDGE` points shown is described, never judged.

>>> result = judge_series(pd.DataFrame({"label": list("abcdef"), "value": [1.0, 2, 3, 4, 5, 6],
...                                     "n": 30, "unit": "students"}))
>>> judged(result), run_chart_words(result)[:24]
(False, 'Only 6 points: too few t')
"""

from __future__ import annotations

import pandas as pd

from kit.analysis import stats
from kit.analysis.stats import DEFAULT_RULES_HELP, EXTRA_RULES_COST, RunChartSignals

from ._privacy import unit_of

#: Run-chart rules are not judged on fewer points (Perla, Provost & Murray 2011 start their table at 10).
MIN_POINTS_TO_JUDGE = stats.run_chart.MIN_POINTS_FOR_CROSSINGS
RULE_CHOICES = {"anhoej": DEFAULT_RULES_HELP, "all": EXTRA_RULES_COST}
SUMMARY_COLUMNS = ["chart", "points", "judged", "signal", "words"]


def drawing_key(signals: RunChartSignals) -> tuple:
    """Everything a run chart's picture is drawn from, as a hashable value: two signals with the same
    key draw the same chart (so a chart that did not change is not drawn again).

    >>> frame = pd.DataFrame({"label": list("abc"), "value": [1.0, 2, 3], "n": 30, "unit": "students"})
    >>> drawing_key(judge_series(frame)) == drawing_key(judge_series(frame))
    True
    >>> drawing_key(judge_series(frame)) == drawing_key(judge_series(frame.assign(value=[1.0, 2, 4])))
    False
    """
    return (repr(signals.median), signals.points.to_csv(), signals.rules.to_csv(), signals.reason,
            signals.value_label, tuple(signals.rules_in_use))


def judge_series(series: pd.DataFrame, *, rules: str = "anhoej", median: float | None = None,
                 min_group_size: int | None = None) -> RunChartSignals:
    """The run chart of one series frame (`label`, `value`, `n`, `unit`; see `series.py`): withheld
    points stay in place as hidden, every rule is measured and only `rules` can signal."""
    unit = unit_of(str(series["unit"].iloc[0]) if len(series) else "students", min_group_size)
    counts = pd.to_numeric(series["n"], errors="coerce").astype(float)
    values = series["value"].astype(float).where(counts.notna())
    return stats.run_chart_signals(values.to_numpy(), series["label"].astype(str).tolist(), median=median,
                                   counts=counts.to_numpy(), unit=unit.plural, min_group_size=unit.min_group_size,
                                   value_label=str(series["series"].iloc[0]) if "series" in series and len(series) else "value",
                                   rules=rules)


def points_shown(signals: RunChartSignals) -> int:
    """How many points the chart shows (withheld and missing ones left out)."""
    return int(signals.points["value"].notna().sum())


def judged(signals: RunChartSignals) -> bool:
    """Whether the chart has enough points for its rules to be read at all."""
    return points_shown(signals) >= MIN_POINTS_TO_JUDGE


def _run_words(rule: pd.Series, points: pd.DataFrame) -> str:
    labels = list(rule["labels"])
    side = points.loc[points["label"].astype(str) == str(labels[0]), "side"].iloc[0] if labels else ""
    return (f"{int(rule['observed'])} points in a row ({labels[0]} to {labels[-1]}) sit {side} the median; "
            f"chance alone rarely gives a run longer than {int(rule['limit'])}, so the level has likely moved")


_RULE_WORDS = {
    "anhoej_long_run": _run_words,
    "anhoej_crossings": lambda rule, _: (
        f"the line crosses its median only {int(rule['observed'])} times, fewer than the {int(rule['limit'])} "
        "that chance alone usually gives, so the points cluster on one side: a likely change of level"),
    "shift": lambda rule, _: (f"a shift: {int(rule['observed'])} points in a row on one side of the median "
                              f"({rule['labels'][0]} to {rule['labels'][-1]})"),
    "trend": lambda rule, _: (f"a trend: {int(rule['observed'])} points in a row all rising or all falling "
                              f"({rule['labels'][0]} to {rule['labels'][-1]})"),
    "crossings": lambda rule, _: f"{rule['note']}",
}


def run_chart_words(signals: RunChartSignals) -> str:
    """What the chart shows, in words a team can read: too few points to judge, a signal and what
    it means, or only everyday ups and downs. Withheld points are said, never shown."""
    shown = points_shown(signals)
    hidden = int((signals.points["side"] == "suppressed").sum())
    left_out = f" {hidden} point{'s are' if hidden != 1 else ' is'} withheld to protect small groups." if hidden else ""
    if shown < MIN_POINTS_TO_JUDGE:
        return (f"Only {shown} point{'s' if shown != 1 else ''}: too few to judge with run-chart rules (at least "
                f"{MIN_POINTS_TO_JUDGE} are needed), so read the line as a description, not as evidence of "
                f"change.{left_out}")
    if not signals.points["useful"].any():
        return f"Every point equals the median, so no rule can signal.{left_out}"
    fired = signals.rules[signals.rules["signal"]]
    if fired.empty:
        return (f"Only everyday ups and downs around the median ({signals.median:.4g}): no rule signals over "
                f"{shown} points.{left_out}")
    reasons = "; ".join(_RULE_WORDS[row["rule"]](row, signals.points) for _, row in fired.iterrows())
    return f"A signal of change: {reasons}.{left_out}"


def run_chart_summary(charts: dict[str, RunChartSignals]) -> pd.DataFrame:
    """One row per chart: `chart`, `points` shown, `judged` (enough points), `signal`, `words`."""
    rows = [{"chart": name, "points": points_shown(result), "judged": judged(result),
             "signal": bool(judged(result) and result.any_signal), "words": run_chart_words(result)}
            for name, result in charts.items()]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
