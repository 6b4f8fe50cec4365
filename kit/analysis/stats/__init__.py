"""The evidence engine: effect sizes, intervals, associations and run-chart rules.

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
    improvement_index,
    small_sample_correction,
)
from .run_chart import (
    RuleVerdict,
    RunChartSignals,
    anhoej_crossings_rule,
    anhoej_long_run_rule,
    crossings_rule,
    run_chart_signals,
    runs_limits,
    runs_probability,
    shift_rule,
    trend_rule,
)
from .summaries import summarise

__all__ = [
    "StatsInputError",
    "hedges_g", "cox_index", "improvement_index", "baseline_equivalence", "classify_baseline",
    "small_sample_correction",
    "paired_change",
    "rank_association", "spearman_rho", "bootstrap_indices",
    "run_chart_signals", "RunChartSignals", "RuleVerdict", "shift_rule", "trend_rule",
    "crossings_rule", "anhoej_long_run_rule", "anhoej_crossings_rule", "runs_limits",
    "runs_probability",
    "summarise",
]
