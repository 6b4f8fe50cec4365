"""One disclosure policy for every figure the kit shows, about students or educators.

- `Unit`, `STUDENTS` (threshold 10), `EDUCATORS` (threshold 5), `as_unit`: who a figure counts and
  how few is too few (`STUDENTS.with_threshold(11)` for a district's own rule).
- `withheld_words(unit)`: the one note of every withheld value; `describe_suppressed` for guidance text.
- `withhold_small(frame, count_column, unit, value_columns, by=..., lines=...)`: primary and
  complementary suppression of one table of counts.
- `code_shares(shares, counts, unit)` / `code_share(share, n, unit)`: top and bottom coding of shares
  near 0% and 100%; `is_coded_text(texts)` tells their texts apart.
- `code_gaps(shares, counts, reference_shares, reference_counts, gap_highs, unit)`: which gaps between two
  shares may be shown exactly, and the range (and verdict) shown instead beside a coded share.
- `kit.privacy.cube`: one decision per dataset for figures cut many ways (school x grade x group with
  every total), so that no combination of views recovers a withheld count.

>>> withhold_small(__import__("pandas").DataFrame({"n": [3, 40, 50]}), "n", EDUCATORS)["suppressed"].tolist()
[True, True, False]
"""

from .policy import (
    DEFAULT_EDUCATOR_MIN_GROUP_SIZE,
    DEFAULT_MIN_GROUP_SIZE,
    DEFAULT_OUTCOME_COVER,
    EDUCATORS,
    STUDENTS,
    PrivacySettingError,
    Unit,
    as_unit,
    describe_suppressed,
    withheld_words,
)
from .shares import code_edge_shares, code_gaps, code_share, code_shares, is_coded_text, share_band
from .suppression import withhold_small

__all__ = [
    "DEFAULT_EDUCATOR_MIN_GROUP_SIZE", "DEFAULT_MIN_GROUP_SIZE", "DEFAULT_OUTCOME_COVER", "EDUCATORS", "STUDENTS",
    "PrivacySettingError", "Unit", "as_unit", "describe_suppressed", "withheld_words", "code_share", "code_shares",
    "code_edge_shares", "code_gaps", "is_coded_text",
    "share_band", "withhold_small",
]
