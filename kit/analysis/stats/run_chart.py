"""Run-chart rules: is a series over windows or cycles showing more than everyday ups and downs?

One small function per rule, each taking the values in order (no missing values) and the
median, and returning a `RuleVerdict`:

- `shift_rule`: 6 or more points in a row on one side of the median; points on the median
  neither count nor break the run (Perla, Provost & Murray 2011, BMJ Quality & Safety 20).
- `trend_rule`: 5 or more points in a row all rising or all falling; equal neighbours count once
  (Perla, Provost & Murray 2011).
- `crossings_rule`: too few or too many crossings of the median, against the exact two-sided 5%
  limits of the number of runs given the points above and below (Swed & Eisenhart 1943, the
  distribution behind Perla, Provost & Murray's table; runs = crossings + 1).
- `anhoej_long_run_rule`: the longest run is longer than round(log2 n) + 3, n = useful points
  (Anhoej & Olesen 2014, PLoS One 9(11): e113825).
- `anhoej_crossings_rule`: fewer crossings than the 5% quantile of Binomial(n - 1, 0.5)
  (Anhoej & Olesen 2014).

`run_chart_signals` returns the median, one row per point and one row per rule. Only the rules
switched on can signal. By default that is the Anhoej pair (`DEFAULT_RULES`): on a series of
pure noise it signals in 1-3% of series at 10 to 30 points, while adding the shift,
trend and crossings rules raises false alarms with length, to about half of all noise series at
30 points (`EXTRA_RULES_COST`; `benchmarks/run_chart_false_alarms.py` measures both).
"Useful" points are the ones not on the median.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from kit.privacy import DEFAULT_MIN_GROUP_SIZE

from .distributions import binom_ppf
from ._inputs import StatsInputError, _strict_float, _as_series, check_min_group_size, too_small_reason

SHIFT_LENGTH = 6
TREND_LENGTH = 5
#: Perla, Provost & Murray's runs table starts at 10 useful points; fewer cannot be judged.
MIN_POINTS_FOR_CROSSINGS = 10

#: Every rule, in the order of the rules frame.
ALL_RULES = ("shift", "trend", "crossings", "anhoej_long_run", "anhoej_crossings")
#: The Anhoej pair (Anhoej & Olesen 2014): the default, because it keeps false alarms near 5%.
ANHOEJ_RULES = ("anhoej_long_run", "anhoej_crossings")
DEFAULT_RULES = ANHOEJ_RULES

#: What the chart's rule choice means, in words a coach can read beside the switch.
DEFAULT_RULES_HELP = (
    "Signals come from two rules that look at the whole series: an unusually long run of points on "
    "one side of the median, and unusually few crossings of the median (Anhoej & Olesen 2014). On "
    "series that are pure chance they raise a false alarm in about 1 to 3 charts in 100 at 10 to 30 "
    "points."
)
#: The price of switching the shift, trend and crossings rules on as well (figures measured by
#: benchmarks/run_chart_false_alarms.py on normal noise, 20,000 series per length).
EXTRA_RULES_COST = (
    "Adding the shift, trend and too-few/too-many crossings rules catches some changes sooner, but "
    "false alarms grow with the number of points: on series that are pure chance, about 1 chart in "
    "10 signals at 10 points, 3 in 10 at 20 points and 1 in 2 at 30 points. Use them to look closer, "
    "not as proof of a change."
)

RULE_COLUMNS = ["rule", "signal", "observed", "limit", "positions", "labels", "note", "in_use"]
POINT_COLUMNS = ["position", "label", "value", "side", "useful", "flags"]


@dataclass(frozen=True)
class RuleVerdict:
    """One rule's answer: did it signal, what was seen, the limit, and the points involved."""

    rule: str
    signal: bool
    observed: float
    limit: float
    positions: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class RunChartSignals:
    """The median, the points (position, label, value, side, useful, flags) and the rules
    (rule, signal, observed, limit, positions, labels, note) of one run chart."""

    median: float
    points: pd.DataFrame
    rules: pd.DataFrame
    reason: str = ""
    value_label: str = "value"
    rules_in_use: tuple[str, ...] = DEFAULT_RULES

    @property
    def any_signal(self) -> bool:
        """True when at least one rule signals."""
        return bool(self.rules["signal"].any())


def sides(values: np.ndarray, median: float) -> np.ndarray:
    """+1 above the median, -1 below, 0 on it.

    >>> sides(np.array([1.0, 2, 3]), 2.0).tolist()
    [-1, 0, 1]
    """
    return np.sign(values - median).astype(int)


def shift_rule(values: np.ndarray, median: float, length: int = SHIFT_LENGTH) -> RuleVerdict:
    """Shift: `length` (6) or more useful points in a row on the same side of the median.

    >>> shift_rule(np.array([1.0, 1, 5, 5, 5, 5, 5, 5, 1, 1]), 3.0).positions
    (2, 3, 4, 5, 6, 7)
    """
    runs = _useful_runs(sides(values, median))
    long_runs = [run for run in runs if len(run) >= length]
    longest = max((len(run) for run in runs), default=0)
    flagged = tuple(p for run in long_runs for p in run)
    return RuleVerdict("shift", bool(long_runs), longest, length, flagged)


def trend_rule(values: np.ndarray, length: int = TREND_LENGTH) -> RuleVerdict:
    """Trend: `length` (5) or more points all rising or all falling; equal neighbours count once.

    >>> trend_rule(np.array([3.0, 1, 2, 2, 3, 4, 5, 1])).positions
    (1, 2, 3, 4, 5, 6)
    """
    groups = _collapse_equal_neighbours(values)
    steps = np.sign(np.diff([values[g[0]] for g in groups])) if len(groups) > 1 else np.array([])
    flagged: list[int] = []
    longest = 1 if len(values) else 0
    start = 0
    for end in range(1, len(steps) + 1):
        if end == len(steps) or steps[end] != steps[start]:
            points = end - start + 1
            longest = max(longest, points)
            if points >= length:
                flagged.extend(p for g in groups[start:end + 1] for p in g)
            start = end
    return RuleVerdict("trend", bool(flagged), longest, length, tuple(flagged))


def crossings_rule(values: np.ndarray, median: float) -> RuleVerdict:
    """Too few or too many crossings of the median for chance alone (two-sided 5%).

    The limits come from the exact distribution of the number of runs given the useful points
    above and below the median (Swed & Eisenhart 1943), which is what Perla, Provost & Murray's
    table tabulates. `limit` is the fewest crossings that are not a signal (the most, when there
    are too many); the note gives the whole expected range.

    >>> crossings_rule(np.array([1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2]), 1.5).note
    'too many crossings (9; expected 2 to 8)'
    """
    side = sides(values, median)
    useful = side[side != 0]
    above, below = int((useful > 0).sum()), int((useful < 0).sum())
    crossings = _count_crossings(useful)
    if len(useful) < MIN_POINTS_FOR_CROSSINGS:
        note = f"only {_points(len(useful))} off the median; at least {MIN_POINTS_FOR_CROSSINGS} are needed to judge crossings"
        return RuleVerdict("crossings", False, crossings, math.nan, (), note)
    if above == 0 or below == 0:
        return RuleVerdict("crossings", False, crossings, math.nan, (), "every point is on one side of the median")
    fewest_runs, most_runs = runs_limits(above, below)
    low, high = fewest_runs - 1, most_runs - 1
    expected = f"expected {low} to {high}"
    if crossings < low:
        return RuleVerdict("crossings", True, crossings, low, (), f"too few crossings ({crossings}; {expected})")
    if crossings > high:
        return RuleVerdict("crossings", True, crossings, high, (), f"too many crossings ({crossings}; {expected})")
    return RuleVerdict("crossings", False, crossings, low, (), expected)


@lru_cache(maxsize=4096)
def runs_limits(above: int, below: int, tail: float = 0.025) -> tuple[int, int]:
    """The fewest and most runs that are not a signal, for `above` and `below` useful points.

    Fewer runs than the first number has probability at most `tail` under random order, and so
    has more runs than the second (Swed & Eisenhart 1943, Annals of Mathematical Statistics 14).

    >>> runs_limits(5, 5)
    (3, 9)
    """
    r = np.arange(0, above + below + 2)
    pmf = np.array([runs_probability(int(k), above, below) for k in r])
    cdf = np.cumsum(pmf)
    upper_tail = 1.0 - np.concatenate([[0.0], cdf[:-1]])
    fewest = int(r[np.argmax(cdf > tail)])
    most = int(r[np.nonzero(upper_tail > tail)[0].max()])
    return fewest, most


def runs_probability(runs: int, above: int, below: int) -> float:
    """P(exactly `runs` runs) when `above` and `below` points are put in random order
    (Swed & Eisenhart 1943).

    >>> round(runs_probability(2, 2, 2), 4)
    0.3333
    """
    total = math.comb(above + below, above)
    if runs < 2:
        return 1.0 if runs == 1 and (above == 0 or below == 0) and above + below > 0 else 0.0
    k = runs // 2
    if runs % 2 == 0:
        return 2 * _comb(above - 1, k - 1) * _comb(below - 1, k - 1) / total
    return (_comb(above - 1, k) * _comb(below - 1, k - 1) + _comb(above - 1, k - 1) * _comb(below - 1, k)) / total


def anhoej_long_run_rule(values: np.ndarray, median: float) -> RuleVerdict:
    """Unusually long run: the longest run of useful points exceeds round(log2 n) + 3.

    >>> anhoej_long_run_rule(np.array([1.0] * 10 + [9.0] * 10), 5.0).limit
    7
    """
    runs = _useful_runs(sides(values, median))
    n = sum(len(run) for run in runs)
    if n == 0:
        return RuleVerdict("anhoej_long_run", False, 0, math.nan, (), "no points off the median")
    limit = round(math.log2(n)) + 3  # Anhoej & Olesen (2014)
    longest = max(len(run) for run in runs)
    flagged = tuple(p for run in runs if len(run) > limit for p in run)
    return RuleVerdict("anhoej_long_run", bool(flagged), longest, limit, flagged, _few_points_note(n))


def anhoej_crossings_rule(values: np.ndarray, median: float) -> RuleVerdict:
    """Unusually few crossings: fewer than the 5% quantile of Binomial(n - 1, 0.5).

    >>> anhoej_crossings_rule(np.array([1.0] * 10 + [9.0] * 10), 5.0).limit
    6
    """
    side = sides(values, median)
    useful = side[side != 0]
    n = len(useful)
    if n == 0:
        return RuleVerdict("anhoej_crossings", False, 0, math.nan, (), "no points off the median")
    limit = int(binom_ppf(0.05, n - 1, 0.5))  # Anhoej & Olesen (2014)
    crossings = _count_crossings(useful)
    return RuleVerdict("anhoej_crossings", crossings < limit, crossings, limit, (), _few_points_note(n))


def run_chart_signals(
    values: Iterable,
    labels: Sequence | None = None,
    *,
    median: float | None = None,
    counts: Iterable | None = None,
    unit: str = "students",
    value_label: str = "value",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    rules: str | Iterable[str] = DEFAULT_RULES,
) -> RunChartSignals:
    """The median and every rule's verdict for a series in time order.

    `labels` name the windows or cycles (default 1, 2, ...). Missing values are skipped. When
    `counts` gives how many people each point describes, a point under `min_group_size` is left
    out and not shown. `median` fixes the centre line (for example a baseline median); by
    default it is the median of the points shown. `rules` names the rules that may signal:
    the Anhoej pair by default, "all" for all five, or any names from `ALL_RULES`. Every rule
    is still measured (the rules frame has a row for each, `in_use` says which count), but only
    the rules in use can signal or flag points.

    >>> series = [60, 61, 59, 60, 58, 62, 66, 67, 65, 68, 69, 67, 70]
    >>> result = run_chart_signals(series)
    >>> result.median
    65.0
    >>> result.rules.loc[result.rules["signal"], "rule"].tolist()
    ['anhoej_crossings']
    >>> every = run_chart_signals(series, rules="all")
    >>> every.rules.loc[every.rules["signal"], "rule"].tolist()
    ['shift', 'crossings', 'anhoej_crossings']
    """
    min_group_size = check_min_group_size(min_group_size)
    in_use = rule_selection(rules)
    raw = _strict_float(_as_series(values, f"{value_label} values"), f"{value_label} values")
    names = list(range(1, len(raw) + 1)) if labels is None else list(labels)
    if len(names) != len(raw):
        raise StatsInputError(f"There are {len(raw)} {value_label} values but {len(names)} labels; give one label per point.")
    hidden = _suppressed(counts, len(raw), min_group_size)
    shown = ~np.isnan(raw) & ~hidden
    kept = np.nonzero(shown)[0]
    series = raw[kept]
    centre = float(np.median(series)) if median is None and len(series) else (math.nan if median is None else float(median))
    verdicts = _all_rules(series, centre)
    points = _points_frame(raw, names, hidden, kept, centre, [v for v in verdicts if v.rule in in_use])
    rules_frame = _rules_frame(verdicts, kept, names, in_use)
    n_useful = int(points["useful"].sum())
    reason = _reason(len(series), n_useful, int(hidden.sum()), min_group_size, unit)
    return RunChartSignals(centre, points, rules_frame, reason=reason, value_label=value_label, rules_in_use=in_use)


def rule_selection(rules: str | Iterable[str]) -> tuple[str, ...]:
    """The rule names `rules` stands for, in the order of `ALL_RULES`.

    "anhoej" (or "default") is the Anhoej pair, "all" is all five; otherwise give rule names.

    >>> rule_selection("all")
    ('shift', 'trend', 'crossings', 'anhoej_long_run', 'anhoej_crossings')
    >>> rule_selection(["trend", "anhoej_long_run"])
    ('trend', 'anhoej_long_run')
    """
    named = {"all": ALL_RULES, "anhoej": ANHOEJ_RULES, "default": DEFAULT_RULES}
    if isinstance(rules, str):
        if rules.strip().lower() in named:
            return named[rules.strip().lower()]
        rules = [rules]
    chosen = [str(r) for r in rules]
    unknown = [r for r in chosen if r not in ALL_RULES]
    if unknown or not chosen:
        raise StatsInputError(
            f"The run-chart rules must be 'all', 'anhoej' or names from {', '.join(ALL_RULES)}; "
            f"{unknown[0] if unknown else 'no rule'!r} is not one of them."
        )
    return tuple(r for r in ALL_RULES if r in chosen)


def false_alarm_rate(
    n_points: int,
    rules: str | Iterable[str] = DEFAULT_RULES,
    *,
    n_series: int = 2000,
    seed: int = 20240607,
) -> float:
    """The share of pure-noise series (independent standard normal points, median of the series
    as centre line) on which at least one of `rules` signals: the rule set's false-alarm rate.

    Seeded, so the same arguments always give the same figure.

    >>> false_alarm_rate(20, n_series=500) < false_alarm_rate(20, "all", n_series=500)
    True
    """
    in_use = rule_selection(rules)
    noise = np.random.default_rng(seed).standard_normal((n_series, n_points))
    alarms = 0
    for series in noise:
        centre = float(np.median(series))
        alarms += any(v.signal for v in _all_rules(series, centre) if v.rule in in_use)
    return alarms / n_series


def _all_rules(series: np.ndarray, centre: float) -> list[RuleVerdict]:
    return [
        shift_rule(series, centre),
        trend_rule(series),
        crossings_rule(series, centre),
        anhoej_long_run_rule(series, centre),
        anhoej_crossings_rule(series, centre),
    ]


def _points_frame(raw, names, hidden, kept, centre, verdicts) -> pd.DataFrame:
    side_words = {1: "above", -1: "below", 0: "on median"}
    side = np.full(len(raw), "missing", dtype=object)
    side[hidden] = "suppressed"
    if len(kept):
        side[kept] = [side_words[s] for s in sides(raw[kept], centre)]
    flags = [[] for _ in raw]
    for verdict in verdicts:
        if verdict.signal:
            for p in verdict.positions:
                flags[kept[p]].append(verdict.rule)
    value = np.where(hidden, np.nan, raw)
    return pd.DataFrame({
        "position": np.arange(1, len(raw) + 1), "label": names, "value": value, "side": side,
        "useful": np.isin(side, ["above", "below"]), "flags": [", ".join(f) for f in flags],
    }, columns=POINT_COLUMNS)


def _rules_frame(verdicts: list[RuleVerdict], kept: np.ndarray, names: list, in_use: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for v in verdicts:
        used = v.rule in in_use
        original = tuple(int(kept[p]) + 1 for p in v.positions) if used else ()
        rows.append({
            "rule": v.rule, "signal": bool(v.signal) and used, "observed": v.observed, "limit": v.limit,
            "positions": original, "labels": tuple(names[p - 1] for p in original), "note": v.note,
            "in_use": used,
        })
    frame = pd.DataFrame(rows, columns=RULE_COLUMNS)
    return frame.astype({"signal": bool, "observed": float, "limit": float, "in_use": bool})


def _suppressed(counts: Iterable | None, n: int, min_group_size: int) -> np.ndarray:
    if counts is None:
        return np.zeros(n, dtype=bool)
    sizes = _strict_float(_as_series(counts, "point counts"), "point counts")
    if len(sizes) != n:
        raise StatsInputError(f"There are {n} points but {len(sizes)} counts; give one count per point.")
    return np.nan_to_num(sizes, nan=0.0) < min_group_size


def _reason(n_shown: int, n_useful: int, n_hidden: int, min_group_size: int, unit: str) -> str:
    parts = []
    if n_hidden:
        word = too_small_reason({"point": 0}, min_group_size, unit)
        parts.append(f"{_points(n_hidden)} left out: {word}")
    if n_shown == 0:
        parts.append("no points to chart")
    elif n_useful == 0:
        parts.append("every point equals the median, so no rule can signal")
    elif n_shown < MIN_POINTS_FOR_CROSSINGS:
        parts.append(f"only {_points(n_shown)}; run-chart rules need about {MIN_POINTS_FOR_CROSSINGS} or more to be useful")
    return "; ".join(parts)


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _useful_runs(side: np.ndarray) -> list[list[int]]:
    """Runs of positions on the same side, skipping points on the median."""
    runs: list[list[int]] = []
    last = 0
    for position, s in enumerate(side):
        if s == 0:
            continue
        if s != last:
            runs.append([])
            last = s
        runs[-1].append(position)
    return runs


def _collapse_equal_neighbours(values: np.ndarray) -> list[list[int]]:
    groups: list[list[int]] = []
    for position, value in enumerate(values):
        if groups and values[groups[-1][0]] == value:
            groups[-1].append(position)
        else:
            groups.append([position])
    return groups


def _count_crossings(useful_sides: np.ndarray) -> int:
    return int((np.diff(useful_sides) != 0).sum()) if len(useful_sides) > 1 else 0


def _few_points_note(n: int) -> str:
    if n < MIN_POINTS_FOR_CROSSINGS:
        return f"only {_points(n)} off the median; this rule rarely signals with so few"
    return ""


def _comb(n: int, k: int) -> int:
    return math.comb(n, k) if n >= 0 and 0 <= k else 0
