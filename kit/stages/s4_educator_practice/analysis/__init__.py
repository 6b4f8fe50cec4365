"""Stage 4's analysis, one module per question: observations against the practice map, fidelity and
its change, the chain of evidence so far, access to effective practice, and the coaching log.

The names other stages call are re-exported here (`fidelity_by_educator`, `practice_change`,
`implementation_levels`, `chain_links`)."""

from .access import access_by_group, access_gap_sentences, student_access
from .chain import chain_breaks, chain_links, chain_per_educator, change_by_group
from .coaching import coaching_cycles, coaching_dose, coaching_log, cycles_by_model, sessions_by_component, sessions_by_educator
from .fidelity import (
    AT_OR_ABOVE,
    BELOW,
    DEFAULT_FIDELITY_LINE,
    NOT_OBSERVED,
    fidelity_by_educator,
    fidelity_by_group,
    hours_band,
    implementation_levels,
    latest_ratings,
    levels_of_use,
    practice_change,
    practice_change_by_group,
    rating_distribution,
    unobserved_educators,
)
from .observations import merge_observations, practice_scale, scale_problems, typed_observations, walkthrough_count

__all__ = [
    "access_by_group", "access_gap_sentences", "student_access",
    "chain_breaks", "chain_links", "chain_per_educator", "change_by_group",
    "coaching_cycles", "coaching_dose", "coaching_log", "cycles_by_model", "sessions_by_component",
    "sessions_by_educator",
    "AT_OR_ABOVE", "BELOW", "DEFAULT_FIDELITY_LINE", "NOT_OBSERVED", "fidelity_by_educator", "fidelity_by_group",
    "hours_band", "implementation_levels", "latest_ratings", "levels_of_use", "practice_change",
    "practice_change_by_group",
    "rating_distribution", "unobserved_educators",
    "merge_observations", "practice_scale", "scale_problems", "typed_observations", "walkthrough_count",
]
