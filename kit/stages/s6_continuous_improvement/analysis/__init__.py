"""Stage 6's analysis: the cycle's key measures as series and their run-chart verdicts in words
(`series`, `signals`), each goal judged against the evidence (`goals`, `review`), and everything the
cycle report shows from the earlier stages (`evidence`). Pure functions, frames in and frames out."""

from .goals import (MET, NOT_MEASURABLE, NOT_MET, PARTLY, VERDICT_RULE, VERDICTS, Target, parse_target, verdict,
                    verdict_counts)
from .review import DECISIONS, cycle_review, decision_problem, plan_outcomes, reflections_in_order, unmeasured_goals
from .series import (SERIES_COLUMNS, by_cycle, cycle_of, fidelity_series, gap_series, learning_series,
                     student_results_series)
from .signals import (MIN_POINTS_TO_JUDGE, RULE_CHOICES, judge_series, judged, points_shown, run_chart_summary,
                      run_chart_words)

__all__ = [
    "MET", "NOT_MEASURABLE", "NOT_MET", "PARTLY", "VERDICT_RULE", "VERDICTS", "Target", "parse_target", "verdict",
    "verdict_counts", "DECISIONS", "cycle_review", "decision_problem", "plan_outcomes", "reflections_in_order",
    "unmeasured_goals", "SERIES_COLUMNS", "by_cycle", "cycle_of", "fidelity_series", "gap_series", "learning_series",
    "student_results_series", "MIN_POINTS_TO_JUDGE", "RULE_CHOICES", "judge_series", "judged", "points_shown",
    "run_chart_summary", "run_chart_words",
]
