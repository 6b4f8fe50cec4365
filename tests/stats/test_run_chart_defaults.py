"""The default run-chart rules are the Anhoej pair; the others switch on with their cost in words.

Limits checked against Anhoej & Olesen (2014), "Run charts revisited: a simulation study of run
chart rules for detection of non-random variation in health care processes", PLoS One 9(11):
e113825, Table 1: for n useful points, the longest run allowed and the fewest crossings allowed.
"""

import numpy as np
import pytest

from kit.analysis import stats
from kit.errors import KitError

# Anhoej & Olesen (2014), Table 1: n useful observations -> (upper limit of the longest run,
# lower limit of the number of crossings). A signal is a longer run or fewer crossings.
ANHOEJ_TABLE = {
    10: (6, 2), 11: (6, 2), 12: (7, 3), 13: (7, 3), 14: (7, 4), 15: (7, 4), 16: (7, 4), 17: (7, 5),
    18: (7, 5), 19: (7, 6), 20: (7, 6), 21: (7, 6), 22: (7, 7), 23: (8, 7), 24: (8, 8), 25: (8, 8),
    26: (8, 8), 27: (8, 9), 28: (8, 9), 29: (8, 10), 30: (8, 10),
}


def rule(result, name):
    return result.rules.set_index("rule").loc[name]


@pytest.mark.parametrize("n", sorted(ANHOEJ_TABLE))
def test_limits_match_anhoej_and_olesen_table_1(n):
    longest, crossings = ANHOEJ_TABLE[n]
    alternating = np.array([1.0, 9.0] * n)[:n]
    assert stats.anhoej_long_run_rule(alternating, 5.0).limit == longest
    assert stats.anhoej_crossings_rule(alternating, 5.0).limit == crossings


def series_with(run_length: int, n: int) -> np.ndarray:
    """n useful points: one run of `run_length` below 5, the rest alternating, ending above."""
    rest = [9.0 if k % 2 == 0 else 1.0 for k in range(n - run_length)]
    return np.array([1.0] * run_length + rest)


@pytest.mark.parametrize("n", [10, 13, 20, 24, 30])
def test_a_run_at_the_limit_is_quiet_and_one_longer_signals(n):
    longest, _ = ANHOEJ_TABLE[n]
    at_limit = stats.anhoej_long_run_rule(series_with(longest, n), 5.0)
    beyond = stats.anhoej_long_run_rule(series_with(longest + 1, n), 5.0)
    assert at_limit.observed == longest and not at_limit.signal
    assert beyond.observed == longest + 1 and beyond.signal


@pytest.mark.parametrize("n", [12, 20, 30])
def test_crossings_at_the_limit_are_quiet_and_one_fewer_signals(n):
    _, fewest = ANHOEJ_TABLE[n]

    def with_crossings(k: int) -> np.ndarray:
        # k + 1 runs of (nearly) equal length alternating below and above 5.
        edges = np.linspace(0, n, k + 2).round().astype(int)
        return np.concatenate([[1.0 if i % 2 == 0 else 9.0] * (b - a) for i, (a, b) in enumerate(zip(edges, edges[1:]))])

    assert not stats.anhoej_crossings_rule(with_crossings(fewest), 5.0).signal
    assert stats.anhoej_crossings_rule(with_crossings(fewest - 1), 5.0).signal


def test_points_on_the_median_do_not_count_as_useful():
    # 13 points, 3 on the median: n useful = 10, so the long-run limit is 6 (not 7 for 13 points).
    values = np.array([1.0] * 7 + [5.0] * 3 + [9.0] * 3)
    verdict = stats.anhoej_long_run_rule(values, 5.0)
    assert verdict.limit == 6 and verdict.observed == 7 and verdict.signal


def test_the_default_is_the_anhoej_pair_and_a_shift_alone_does_not_signal():
    # Six points in a row below the median is a shift, but not an unusually long run for 14 points.
    result = stats.run_chart_signals([7, 8, 7, 9, 8, 7, 3, 2, 3, 2, 3, 2, 8, 9])
    assert result.rules_in_use == stats.DEFAULT_RULES == ("anhoej_long_run", "anhoej_crossings")
    assert result.rules.loc[result.rules["in_use"], "rule"].tolist() == ["anhoej_long_run", "anhoej_crossings"]
    assert not result.any_signal and (result.points["flags"] == "").all()
    assert rule(result, "shift")["observed"] == 6 and not rule(result, "shift")["signal"]


def test_switching_rules_on_by_name_or_all():
    values = [7, 8, 7, 9, 8, 7, 3, 2, 3, 2, 3, 2, 8, 9]
    shift_only = stats.run_chart_signals(values, rules=["shift"])
    assert shift_only.rules.loc[shift_only.rules["signal"], "rule"].tolist() == ["shift"]
    every = stats.run_chart_signals(values, rules="all")
    assert every.rules["in_use"].all() and every.rules_in_use == stats.ALL_RULES
    assert set(every.rules.loc[every.rules["signal"], "rule"]) == {"shift", "trend", "crossings"}


def test_an_unknown_rule_name_is_refused_in_plain_words():
    with pytest.raises(KitError, match="'western electric' is not one of them"):
        stats.run_chart_signals([1, 2, 3], rules=["western electric"])


def test_the_false_alarm_cost_in_words_matches_a_fresh_simulation():
    # EXTRA_RULES_COST says about 1 in 10 at 10 points, 3 in 10 at 20 and 1 in 2 at 30 with every
    # rule on; DEFAULT_RULES_HELP says 1 to 3 in 100 for the Anhoej pair. A different seed from the
    # benchmark's, 1,500 series each, must agree to within simulation error.
    words = stats.EXTRA_RULES_COST
    assert "1 chart in 10 signals at 10 points, 3 in 10 at 20 points and 1 in 2 at 30 points" in words
    assert "1 to 3 charts in 100" in stats.DEFAULT_RULES_HELP
    claims = {10: 0.10, 20: 0.30, 30: 0.50}
    for n, claim in claims.items():
        every = stats.false_alarm_rate(n, "all", n_series=1500, seed=99)
        default = stats.false_alarm_rate(n, n_series=1500, seed=99)
        assert abs(every - claim) < 0.04, (n, every)
        assert 0.0 < default <= 0.04, (n, default)


def test_the_false_alarm_rate_is_repeatable_with_the_same_seed():
    assert stats.false_alarm_rate(12, "all", n_series=300, seed=5) == stats.false_alarm_rate(12, "all", n_series=300, seed=5)
