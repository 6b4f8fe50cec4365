"""The evidence engine: effect sizes, intervals, associations, run-chart rules, adjustment for
many comparisons, gap change, and clustering of students in schools.

Pure functions, frames in and frames out, shared by every stage. Apps use one import:

>>> from kit.analysis import stats
>>> row = stats.hedges_g([70, 74, 78, 80, 82, 85, 86, 88, 90, 93],
...                      [66, 70, 71, 73, 74, 76, 77, 79, 80, 82])
>>> row.loc[0, "verdict"]
'higher'

Every function takes `min_group_size` (default `kit.privacy.DEFAULT_MIN_GROUP_SIZE`) and, for a
group under it, returns a row whose effect is missing and whose `reason` says why. The formulas
and their sources are listed in docs/statistics.md.
"""

from ._inputs import StatsInputError
from .association import bootstrap_indices, rank_association, spearman_rho
from .change import paired_change
from .effects import (
    baseline_equivalence,
    classify_baseline,
    cox_index,
    hedges_g,
    hedges_g_from_summary,
    improvement_index,
    small_sample_correction,
)
from .run_chart import (
    ALL_RULES,
    ANHOEJ_RULES,
    DEFAULT_RULES,
    DEFAULT_RULES_HELP,
    EXTRA_RULES_COST,
    RuleVerdict,
    RunChartSignals,
    anhoej_crossings_rule,
    anhoej_long_run_rule,
    crossings_rule,
    false_alarm_rate,
    rule_selection,
    run_chart_signals,
    runs_limits,
    runs_probability,
    shift_rule,
    trend_rule,
)
from .summaries import summarise
from .spread import SPREAD_RELATIVE_TOLERANCE, has_spread, spread_is_zero
from .intervals import welch_difference
from .multiple import ADJUSTMENT_HELP, DEFAULT_ADJUSTMENT, adjust_p_values
from .gap_change import GAP_CHANGE_HELP, GAP_CHANGE_TOLERANCE_SD, SMALLEST_REPORTED_CHANGE, gap_change
from .clustering import clustered_difference, clustered_mean, design_effect, intraclass_correlation

__all__ = [
    "StatsInputError",
    "hedges_g", "hedges_g_from_summary", "cox_index", "improvement_index", "baseline_equivalence", "classify_baseline",
    "small_sample_correction",
    "paired_change",
    "rank_association", "spearman_rho", "bootstrap_indices",
    "run_chart_signals", "RunChartSignals", "RuleVerdict", "shift_rule", "trend_rule",
    "crossings_rule", "anhoej_long_run_rule", "anhoej_crossings_rule", "runs_limits",
    "runs_probability", "rule_selection", "false_alarm_rate", "ALL_RULES", "ANHOEJ_RULES", "DEFAULT_RULES",
    "DEFAULT_RULES_HELP", "EXTRA_RULES_COST",
    "summarise",
    "spread_is_zero", "has_spread", "SPREAD_RELATIVE_TOLERANCE",
    "welch_difference",
    "adjust_p_values", "ADJUSTMENT_HELP", "DEFAULT_ADJUSTMENT",
    "gap_change", "GAP_CHANGE_HELP", "GAP_CHANGE_TOLERANCE_SD", "SMALLEST_REPORTED_CHANGE",
    "intraclass_correlation", "design_effect", "clustered_mean", "clustered_difference",
]
