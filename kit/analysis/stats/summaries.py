"""Plain-language sentences a coach can read aloud, from any result of this package.

`summarise(result)` takes a frame returned by `hedges_g`, `cox_index`, `baseline_equivalence`,
`paired_change`, `rank_association`, `clustered_mean` or `clustered_difference` (one sentence per
row, joined), or a `RunChartSignals`.
Sentences describe differences, changes and associations; they never say what caused them, and
they add a note when a group is small.
"""

from __future__ import annotations

import math

import pandas as pd

from ._inputs import SMALL_SAMPLE_NOTE_BELOW, StatsInputError
from .run_chart import RunChartSignals


def summarise(result: pd.DataFrame | RunChartSignals, *, outcome: str = "") -> str:
    """One or more sentences describing `result` for a team.

    `outcome` names what was measured ("reading scores", "proficiency"); each statistic has a
    sensible default.

    >>> from kit.analysis.stats import hedges_g
    >>> high = [72, 75, 78, 80, 81, 83, 85, 86, 88, 90]
    >>> low = [65, 70, 71, 73, 74, 76, 77, 79, 80, 82]
    >>> print(summarise(hedges_g(high, low, treatment_label="students of educators with high fidelity",
    ...     comparison_label="students of educators with low fidelity")))  # doctest: +NORMALIZE_WHITESPACE
    Students of educators with high fidelity scored higher than students of educators with low
    fidelity: the typical score in the first group sits at about the 89th percentile of the
    second group (the 50th would mean no difference); the 95% interval (0.29 to 2.20) is above
    zero, so this is unlikely to be chance alone. This describes a difference between the
    groups, not its cause. With only 10 students in the smaller group, a few more students could
    change this result.
    """
    if isinstance(result, RunChartSignals):
        return _run_chart_sentence(result)
    if not isinstance(result, pd.DataFrame) or "statistic" not in result.columns:
        raise StatsInputError("A summary needs a result from the kit's statistics (a table with a 'statistic' column, or run-chart signals).")
    writers = {
        "hedges_g": _two_group_sentence, "cox_index": _two_group_sentence,
        "baseline_equivalence": _baseline_sentence, "paired_change": _change_sentence,
        "spearman": _association_sentence, "clustered_mean": _clustered_sentence,
        "clustered_difference": _clustered_sentence,
    }
    sentences = []
    for _, row in result.iterrows():
        if row["statistic"] not in writers:
            raise StatsInputError(f"There is no plain-language summary for the statistic {row['statistic']!r}.")
        sentences.append(writers[row["statistic"]](row, outcome))
    return " ".join(sentences)


def ordinal(number: int) -> str:
    """'1st', '2nd', '58th', '11th'.

    >>> ordinal(58), ordinal(11), ordinal(22)
    ('58th', '11th', '22nd')
    """
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _two_group_sentence(row: pd.Series, outcome: str) -> str:
    t, c = _capital(row["treatment"]), row["comparison"]
    if row["verdict"] == "not reported":
        return f"{t} and {c} are not compared: {row['reason']}."
    yes_no = row["statistic"] == "cox_index"
    what = outcome or ("proficiency" if yes_no else "scores")
    if yes_no:
        more = "more often" if row["effect"] > 0 else "less often"
        head = (f"{t} reached {what} {more} than {c} ({_percent(row['mean_treatment'])} against "
                f"{_percent(row['mean_comparison'])})")
    else:
        higher = "higher" if row["effect"] > 0 else "lower"
        head = f"{t} had {higher} {what} than {c}" if outcome else f"{t} scored {higher} than {c}"
    percentile = round(50 + row["improvement_index"])
    place = (f"the typical score in the first group sits at about the {ordinal(percentile)} percentile of "
             "the second group (the 50th would mean no difference)")
    if yes_no:
        place = f"a standardised difference of {_num(row['effect'])}"
    sentence = f"{head}: {place}; {_interval_clause(row)} This describes a difference between the groups, not its cause."
    if abs(row["effect"]) < 0.05 and row["verdict"] == "no clear difference":
        sentence = (f"{t} and {c} had much the same {what} (difference {_num(row['effect'])} standard deviations, "
                    f"95% interval {_num(row['ci_low'])} to {_num(row['ci_high'])}).")
    return sentence + _small_note(min(row["n_treatment"], row["n_comparison"]), row["unit"], "in the smaller group")


def _interval_clause(row: pd.Series) -> str:
    low, high = row["ci_low"], row["ci_high"]
    interval = f"{_num(low)} to {_num(high)}"
    if row["verdict"] in ("higher", "lower"):
        side = "above" if row["verdict"] == "higher" else "below"
        return f"the 95% interval ({interval}) is {side} zero, so this is unlikely to be chance alone."
    hope = "a promising sign" if row["effect"] > 0 else "a warning sign to look into"
    return f"the interval is wide ({interval}) and includes no difference, so treat this as {hope}, not proof."


def _baseline_sentence(row: pd.Series, outcome: str) -> str:
    t, c = _capital(row["treatment"]), row["comparison"]
    if row["verdict"] == "not reported":
        return f"Whether {row['treatment']} and {c} started alike cannot be said: {row['reason']}."
    size = f"a starting difference of {_num(abs(row['effect']))} standard deviations"
    meaning = {
        "equivalent": "started alike, so later differences can be compared directly",
        "needs adjustment": "started somewhat apart, so later comparisons should take the starting scores into account",
        "not equivalent": "started too far apart for a fair comparison of later results",
    }[row["verdict"]]
    return f"{t} and {c} {meaning} ({size})." + _small_note(min(row["n_treatment"], row["n_comparison"]), row["unit"], "in the smaller group")


def _change_sentence(row: pd.Series, outcome: str) -> str:
    what = outcome or row["label"] or "scores"
    unit = row["unit"]
    if pd.isna(row["ci_low"]):
        return f"The change in {what} is not reported: {row['reason']}."
    way = {"higher": "rose", "lower": "fell"}.get(row["verdict"], "changed")
    amount = abs(row["mean_change"]) if way != "changed" else row["mean_change"]
    details = [] if pd.isna(row["standardised_change"]) else [f"about {_num(abs(row['standardised_change']))} of the starting spread"]
    details.append(f"95% interval {_num(row['ci_low'])} to {_num(row['ci_high'])}")
    sentence = f"For the same {row['n']} {unit}, {what} {way} by {_num(amount)} on average ({'; '.join(details)})"
    if way == "changed":
        sentence += "; the interval includes no change, so the change is unclear"
    sentence += f"; {round(100 * row['share_improved'])}% of {unit} improved. This shows change over time, not what caused it."
    if row["reason"]:
        sentence += f" Note: {row['reason']}."
    return sentence + _small_note(row["n"], unit, "in all")


def _clustered_sentence(row: pd.Series, outcome: str) -> str:
    what = outcome or "scores"
    if row["verdict"] == "not reported":
        return f"The {'difference in ' if row['statistic'] == 'clustered_difference' else 'mean of '}{what} is not reported: {row['reason']}."
    interval = f"95% interval {_num(row['ci_low'])} to {_num(row['ci_high'])}"
    widened = (f"the interval is widened because {row['unit']} are grouped in {row['n_clusters']} {row['cluster_unit']} "
               f"(design effect {row['design_effect']:.2f}: {row['n']} {row['unit']} carry about as much information as "
               f"{max(1, round(row['n'] / row['design_effect']))} independent ones)")
    if not row["design_effect"] > 1:
        widened = (f"{row['unit']} are grouped in {row['n_clusters']} {row['cluster_unit']}, but their {what} are no more "
                   f"alike within {row['cluster_unit']} than across them, so the interval needed no widening")
    if row["statistic"] == "clustered_mean":
        head = f"The mean of {what} was {_num(row['estimate'])} ({interval}); {widened}."
    else:
        way = {"higher": "higher", "lower": "lower"}.get(row["verdict"])
        head = (f"The first group's {what} were {_num(abs(row['estimate']))} {way} ({interval}); {widened}."
                if way else f"There is no clear difference in {what} ({_num(row['estimate'])}, {interval}); {widened}.")
    return head + _small_note(row["n"], row["unit"], "in all")


def _association_sentence(row: pd.Series, outcome: str) -> str:
    x, y, unit = row["x"], row["y"], row["unit"]
    if row["verdict"] == "not reported":
        return f"The link between {x} and {y} is not reported: {row['reason']}."
    numbers = f"rank correlation {_num(row['effect'])}, 95% interval {_num(row['ci_low'])} to {_num(row['ci_high'])}, {row['n']} {unit}"
    if row["verdict"] == "no clear association":
        head = f"There is no clear link between {x} and {y} ({numbers}): the interval includes no link."
    else:
        more = "more" if row["verdict"] == "positive" else "less"
        head = f"{_capital(unit)} with more {x} tended to have {more} {y} ({numbers})."
    return f"{head} This is an association, not proof that one caused the other." + _small_note(row["n"], unit, "in all")


def _run_chart_sentence(result: RunChartSignals) -> str:
    what = result.value_label
    shown = result.rules[result.rules["signal"]]
    if math.isnan(result.median):
        return f"There is nothing to chart for {what}: {result.reason}."
    if shown.empty:
        sentence = (f"{_capital(what)} moved around its median of {result.median:.4g} with only the ups and downs "
                    "expected by chance; no run-chart rule signalled.")
    else:
        parts = [_describe_rule(rule, result) for _, rule in shown.iterrows()]
        sentence = (f"{_capital(what)} shows a signal beyond everyday ups and downs (median {result.median:.4g}): "
                    f"{'; '.join(parts)}. The chart shows when something changed, not why.")
    return sentence + (f" Note: {result.reason}." if result.reason else "")


def _describe_rule(rule: pd.Series, result: RunChartSignals) -> str:
    points = result.points.set_index("position")
    if rule["rule"] in ("shift", "anhoej_long_run"):
        runs = [
            f"{len(run)} points in a row {points.loc[run[0], 'side']} the median ({_span(run, points)})"
            for run in _same_side_runs(rule["positions"], points)
        ]
        name = "a shift" if rule["rule"] == "shift" else "an unusually long run"
        return f"{name}: {' and '.join(runs)}"
    if rule["rule"] == "trend":
        way = "rising" if points.loc[rule["positions"][-1], "value"] > points.loc[rule["positions"][0], "value"] else "falling"
        return f"a trend: {int(rule['observed'])} points in a row {way} ({_span(rule['positions'], points)})"
    if rule["rule"] == "crossings":
        return f"{rule['note'].split(' (')[0]} of the median ({rule['note'].split(' (')[1]}"
    return f"unusually few crossings of the median ({int(rule['observed'])}; fewer than {int(rule['limit'])} is unusual)"


def _same_side_runs(positions: tuple, points: pd.DataFrame) -> list[list[int]]:
    runs: list[list[int]] = []
    for position in positions:
        if runs and points.loc[position, "side"] == points.loc[runs[-1][-1], "side"] and _only_skipped_between(runs[-1][-1], position, points):
            runs[-1].append(position)
        else:
            runs.append([position])
    return runs


def _only_skipped_between(first: int, second: int, points: pd.DataFrame) -> bool:
    between = points.loc[first + 1:second - 1, "side"]
    return bool(between.isin(["on median", "missing", "suppressed"]).all())


def _span(positions, points: pd.DataFrame) -> str:
    first, last = points.loc[positions[0], "label"], points.loc[positions[-1], "label"]
    return f"{first} to {last}"


def _num(value: float) -> str:
    """Two decimals, without a minus sign on a value that rounds to zero."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _small_note(n: int, unit: str, where: str) -> str:
    if n < SMALL_SAMPLE_NOTE_BELOW:
        return f" With only {n} {unit} {where}, a few more {unit} could change this result."
    return ""


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
