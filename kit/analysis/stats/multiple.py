"""Many gaps judged at once: p-values adjusted for the number of comparisons in a view.

A view of one school's groups tests twenty or more gaps at the same time; at the 5% level about
one in twenty would look "clear" by chance alone. `adjust_p_values` adjusts the whole family of
p-values together and calls a result "clear" only when its adjusted p-value is at most `alpha`.

Two methods:
- "holm" (the default): Holm (1979), "A simple sequentially rejective multiple test procedure",
  Scandinavian Journal of Statistics 6. It keeps the chance of even one false "clear" in the
  view at 5% or less.
- "bh": Benjamini & Hochberg (1995), "Controlling the false discovery rate", Journal of the
  Royal Statistical Society B 57. It keeps the expected share of false "clear" results among
  the clear ones at 5% or less; it finds more real gaps when there are many.

The adjusted values equal `statsmodels.stats.multitest.multipletests(p, method="holm")` and
`method="fdr_bh"`.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ._inputs import StatsInputError, _as_series, _strict_float

DEFAULT_ADJUSTMENT = "holm"
DEFAULT_ALPHA = 0.05

#: Help text naming each adjustment, for the sentence a coach reads beside a "clear" verdict.
ADJUSTMENT_HELP = {
    "holm": ("'Clear' is judged after Holm's adjustment for the number of gaps shown together: with "
             "many gaps some look clear by chance, so each p-value is raised to keep the chance of even "
             "one false 'clear' in this view at 5% or less."),
    "bh": ("'Clear' is judged after the Benjamini-Hochberg adjustment for the number of gaps shown "
           "together: with many gaps some look clear by chance, so each p-value is raised to keep the "
           "share of false 'clear' results among the clear ones at about 5% or less."),
}

ADJUSTED_COLUMNS = ["p_value", "adjusted_p", "clear", "method", "n_compared"]

_ALIASES = {"holm": "holm", "bh": "bh", "fdr_bh": "bh", "benjamini-hochberg": "bh"}


def adjust_p_values(
    p_values: Iterable,
    *,
    method: str = DEFAULT_ADJUSTMENT,
    alpha: float = DEFAULT_ALPHA,
) -> pd.DataFrame:
    """Adjusted p-values and a "clear" verdict for a family of comparisons shown together.

    Holm: sort the m p-values, multiply the i-th smallest by m - i + 1, carry the running maximum
    upwards, cap at 1 (Holm 1979). Benjamini-Hochberg: multiply the i-th smallest by m / i, carry
    the running minimum downwards from the largest, cap at 1 (Benjamini & Hochberg 1995). Missing
    p-values (withheld or unreported gaps) are not part of the family: they stay missing and
    not clear. The frame keeps the index of a Series given in; `n_compared` is m.

    >>> adjusted = adjust_p_values([0.01, 0.04, 0.03, 0.005])
    >>> adjusted["adjusted_p"].round(3).tolist(), adjusted["clear"].tolist()
    ([0.03, 0.06, 0.06, 0.02], [True, False, False, True])
    >>> adjust_p_values([0.01, 0.04, 0.03, 0.005], method="bh")["adjusted_p"].round(3).tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    name = _method_name(method)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise StatsInputError(f"The level for a clear result must be a share between 0 and 1, such as 0.05, not {alpha!r}.")
    index = p_values.index if isinstance(p_values, pd.Series) else None
    p = _strict_float(_as_series(p_values, "p-values"), "p-values")
    present = ~np.isnan(p)
    if ((p[present] < 0) | (p[present] > 1)).any():
        raise StatsInputError(f"A p-value must lie between 0 and 1, but {p[present][(p[present] < 0) | (p[present] > 1)][0]!r} does not.")
    adjusted = np.full(len(p), np.nan)
    adjusted[present] = (_holm if name == "holm" else _benjamini_hochberg)(p[present])
    frame = pd.DataFrame({
        "p_value": p, "adjusted_p": adjusted, "clear": present & (np.nan_to_num(adjusted, nan=2.0) <= alpha),
        "method": name, "n_compared": int(present.sum()),
    }, columns=ADJUSTED_COLUMNS)
    if index is not None:
        frame.index = index
    return frame


def _holm(p: np.ndarray) -> np.ndarray:
    m = len(p)
    order = np.argsort(p, kind="stable")
    # Holm (1979): the i-th smallest (from 0) times m - i, made non-decreasing.
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    m = len(p)
    order = np.argsort(p, kind="stable")
    # Benjamini & Hochberg (1995): the i-th smallest (from 1) times m / i, made non-increasing from the top.
    scaled = p[order] * m / np.arange(1, m + 1)
    stepped = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _method_name(method: str) -> str:
    key = str(method).strip().lower()
    if key not in _ALIASES:
        raise StatsInputError(f"The adjustment must be 'holm' or 'bh' (Benjamini-Hochberg), not {method!r}.")
    return _ALIASES[key]
