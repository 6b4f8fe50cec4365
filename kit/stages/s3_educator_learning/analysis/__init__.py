"""Stage 3's analysis: change in knowledge, skills and dispositions, dose and response, equity
dispositions and Stages of Concern. Pure functions over frames; one module per step.

Later stages call `educator_hours(attendance)` and `educator_learning_change(measures)`.
"""

from .change import (ALL_EDUCATORS, GROUPINGS, change_by_measure, educator_groups, measure_windows,
                     paired_shares, participant_comparison, score_shares)
from .concerns import (COACHING_MOVES, MIN_ANSWERED_PER_STAGE, MISSING_ITEM_RULE, RAW_ONLY_NOTE, STAGE_NAMES,
                       check_norm_table, group_profiles, peak_counts, peak_stages, profile_words, profiles,
                       read_norm_table, score_concerns, unscored)
from .dose import (FittedLine, change_by_hours_band, dose_frame, dose_response_words, educator_hours,
                   educator_learning_change, fit_line, hours_association, hours_bands, hours_in_span)
from .equity_measures import clean_tags, equity_measure_change, equity_words, suggest_equity_measures
from .withholding import EDUCATOR_MIN_GROUP_SIZE, fewer_than, withhold_small_groups

__all__ = [
    "ALL_EDUCATORS", "GROUPINGS", "change_by_measure", "educator_groups", "measure_windows", "paired_shares",
    "participant_comparison", "score_shares",
    "COACHING_MOVES", "MIN_ANSWERED_PER_STAGE", "MISSING_ITEM_RULE", "RAW_ONLY_NOTE", "STAGE_NAMES",
    "check_norm_table", "group_profiles", "peak_counts", "peak_stages", "profile_words", "profiles",
    "read_norm_table", "score_concerns", "unscored",
    "FittedLine", "change_by_hours_band", "dose_frame", "dose_response_words", "educator_hours",
    "educator_learning_change", "fit_line", "hours_association", "hours_bands", "hours_in_span",
    "clean_tags", "equity_measure_change", "equity_words", "suggest_equity_measures",
    "EDUCATOR_MIN_GROUP_SIZE", "fewer_than", "withhold_small_groups",
]
