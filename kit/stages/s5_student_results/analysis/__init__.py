"""Stage 5's analysis: pure functions, frames in and frames out (see each module)."""

from .comparisons import (
    AT_OR_ABOVE,
    BELOW,
    IMPLEMENTATION_LEVELS,
    NOT_OBSERVED,
    arm_phrase,
    compare,
    comparisons,
    extra_columns,
    label_students,
    participation_levels,
)
from .growth import (
    class_links,
    growth_by,
    growth_by_educator,
    roster_term,
    shown_by_educator,
    student_growth,
    with_students,
)

__all__ = [
    "AT_OR_ABOVE", "BELOW", "NOT_OBSERVED", "IMPLEMENTATION_LEVELS", "arm_phrase", "compare", "comparisons",
    "extra_columns", "label_students", "participation_levels",
    "class_links", "growth_by", "growth_by_educator", "roster_term", "shown_by_educator", "student_growth",
    "with_students",
]
