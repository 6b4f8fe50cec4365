"""Top and bottom coding of shares: a share at or near 0% or 100% tells every member their outcome.

"0% proficient" in a group of 12 tells each family the result of each of the 12. NCES's SLDS Technical
Brief 3 (NCES 2011-603) reviews state practice and recommends coding such shares by fixed bands of
group size (for example at least 300 students: "<=1%" and ">=99%"). Fixed bands leave the protection
uneven: at 100 students a 2% band covers 2 students, at 299 it covers 5. The kit codes by the number
of members the band leaves in doubt instead:

    a share of a group of n is shown exactly only when it lies strictly between X% and (100 - X)%,
    where X is the smallest whole percent that covers at least `unit.outcome_cover` members
    (X = ceil(100 * cover / n)); otherwise it reads "<=X%" or ">=(100 - X)%".

So a coded share is consistent with 0, 1, ..., cover (or more) members meeting the bar, and a reader
cannot tell which. With the default cover of 3 students this gives the brief's 1% at 300 students,
and a wider band than the brief's for small groups (where it matters most).

>>> code_share(0.0, 12)
'≤25%'
>>> code_share(0.5, 12), code_share(1.0, 400), code_share(0.996, 400)
('50%', '≥99%', '≥99%')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .policy import STUDENTS, Unit, as_unit


def share_band(n, unit: Unit | int | None = STUDENTS) -> np.ndarray:
    """X for each group size `n`, as a fraction: the width of the bottom (and top) band.

    >>> share_band([12, 40, 100, 300]).tolist()
    [0.25, 0.08, 0.03, 0.01]
    """
    unit = as_unit(unit)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.ceil(np.round(100 * unit.outcome_cover / n, 9))
    return np.clip(np.nan_to_num(percent, nan=50.0, posinf=50.0), 0, 50) / 100


def code_shares(shares, counts, unit: Unit | int | None = STUDENTS) -> pd.DataFrame:
    """Top- and bottom-coded shares, one row per share: `share_shown` (the share, or the edge of its
    band when coded), `share_text` ("42%", "≤3%", "≥97%"; empty when the share is missing) and
    `share_coded`. Missing shares (withheld groups) stay missing.

    >>> code_shares([0.0, 0.5, 0.99], [40, 40, 400])["share_text"].tolist()
    ['≤8%', '50%', '≥99%']
    """
    share = np.asarray(pd.to_numeric(pd.Series(shares), errors="coerce"), dtype=float)
    band = share_band(counts, unit)
    tolerance = 1e-9  # shares come from division: 0.97 may be 0.9699999999
    low = share <= band + tolerance
    high = share >= 1 - band - tolerance
    shown = np.where(low, band, np.where(high, 1 - band, share))
    texts = np.where(np.isnan(share), "", np.where(
        low, [f"≤{b:.0%}" for b in band], np.where(high, [f"≥{1 - b:.0%}" for b in band],
                                                     [f"{s:.0%}" if not np.isnan(s) else "" for s in share])))
    return pd.DataFrame({"share_shown": np.where(np.isnan(share), np.nan, shown), "share_text": texts,
                         "share_coded": (low | high) & ~np.isnan(share)})


def code_share(share: float, n: int, unit: Unit | int | None = STUDENTS) -> str:
    """One share as it may be shown (see the module's rule)."""
    return str(code_shares([share], [n], unit)["share_text"].iloc[0])
