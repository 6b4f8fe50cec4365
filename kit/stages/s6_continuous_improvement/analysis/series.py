"""The cycle's key measures as series in time order, one point per window (or per cycle), ready
for a run chart: student results by group, the size of a gap, fidelity of practice, and knowledge
and skills. Every point carries how many people it describes (`n`) and is withheld under the
privacy threshold, so a run chart never shows a small group.

Series frames have the columns `SERIES_COLUMNS`: `series` (what the line is, in words), `label`
(the window or cycle), `value`, `n`, `unit` ("students" or "educators"), `suppressed`, `note`.

Across cycles: a cycle's data is one school year (the year a window label names, as
`kit.analysis.windows.window_key` reads it); `by_cycle` keeps the latest window of each year, so a
district with several years of data gets one point per cycle.

>>> fidelity = pd.DataFrame({"educator_id": ["E1", "E2"] * 2, "window": ["fall"] * 2 + ["spring"] * 2,
...                          "fidelity": [0.5, 0.75, 0.75, 1.0]})
>>> fidelity_series(fidelity, min_educators=2)[["label", "value", "n"]].values.tolist()
[['fall', 0.625, 2], ['spring', 0.875, 2]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis import equity
from kit.analysis.windows import order_windows, window_key
from kit.stages.s1_student_needs import analysis as needs

from ._privacy import EDUCATORS, STUDENTS, unit_of, withhold

SERIES_COLUMNS = ["series", "label", "value", "n", "unit", "suppressed", "note"]
#: The student results a run chart can follow.
RESULT_VALUES = {"mean_score": "mean scale score", "share_proficient": "share proficient"}


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    order = {label: place for place, label in enumerate(order_windows(frame["label"].astype(str).unique()))}
    ranked = frame.assign(_order=frame["label"].astype(str).map(order))
    return ranked.sort_values(["series", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def student_results_series(results: pd.DataFrame, *, subject: str, group_column: str,
                           value: str = "mean_score", min_group_size: int | None = None) -> pd.DataFrame:
    """One series per group of `group_column` (and all students): `value` ("mean_score" or
    "share_proficient") of `subject` in each window, from stage 1's `results_by_group` (withheld
    and top/bottom-coded there). `results` is stage 1's `prepare` frame.

    """
    unit = unit_of(STUDENTS, min_group_size)
    chosen = needs.select(results, subject=subject)
    table = needs.results_by_group(chosen, group_column, by=["window"], min_group_size=unit.min_group_size)
    frame = pd.DataFrame({
        "series": [f"{subject}, {equity.group_label(group_column, g)}: {RESULT_VALUES[value]}" for g in table["group"]],
        "label": table["window"].astype(str).to_numpy(), "value": table[value].astype(float).to_numpy(),
        "n": table["n"].to_numpy(), "unit": unit.plural, "suppressed": table["suppressed"].to_numpy(),
        "note": table["note"].to_numpy()})
    return _ordered(frame)[SERIES_COLUMNS]


def gap_series(results: pd.DataFrame, *, subject: str, group_column: str, group: str = "yes",
               min_group_size: int | None = None) -> pd.DataFrame:
    """The size of one group's gap to all other students (points of mean scale score, always
    positive; a falling line is a narrowing gap) in `subject`, per window, from
    `kit.analysis.equity.gaps`. `n` is the smaller of the group and the rest.
    """
    unit = unit_of(STUDENTS, min_group_size)
    chosen = needs.select(results, subject=subject)
    table = equity.gaps(chosen, "score", group_column, by=["window"], min_group_size=unit.min_group_size)
    table = table[table["group"] == group]
    smaller = np.fmin(table["n"].astype(float).to_numpy(), table["reference_n"].astype(float).to_numpy())
    result = pd.DataFrame({
        "series": f"{subject}, gap of {equity.group_label(group_column, group)} to all other students (points)",
        "label": table["window"].astype(str).to_numpy(), "value": table["gap"].abs().to_numpy(),
        "n": pd.array(np.where(np.isnan(smaller), pd.NA, smaller), dtype="Int64"), "unit": unit.plural,
        "suppressed": table["suppressed"].to_numpy(), "note": table["note"].to_numpy()})
    return _ordered(result)[SERIES_COLUMNS]


def _educator_means(frame: pd.DataFrame, keys: list[str], value: str, series, min_educators: int | None) -> pd.DataFrame:
    unit = unit_of(EDUCATORS, min_educators)
    summed = (frame.groupby(keys, sort=False, observed=True)
                   .agg(value=(value, "mean"), n=("educator_id", "nunique")).reset_index())
    shown = withhold(summed, "n", ["value"], unit)
    shown["series"] = [series(row) for _, row in shown.iterrows()] if len(shown) else []
    shown["unit"] = unit.plural
    return _ordered(shown.rename(columns={"window": "label"}))[SERIES_COLUMNS]


def fidelity_series(fidelity: pd.DataFrame, *, min_educators: int | None = None) -> pd.DataFrame:
    """Mean fidelity of practice (share of map components at or above the line, stage 4's
    `fidelity_by_educator`) over the educators observed in each window. See the module's example."""
    data = fidelity.dropna(subset=["fidelity"]).astype({"window": str})
    return _educator_means(data, ["window"], "fidelity", lambda _: "fidelity of practice (share of components at or above the line)",
                           min_educators)


def learning_series(measures: pd.DataFrame, *, domains: tuple[str, ...] = ("knowledge", "skills"),
                    min_educators: int | None = None) -> pd.DataFrame:
    """One series per domain: the educators' mean score as a share of each measure's maximum, per
    window (the scale stage 3's `educator_learning_change` uses).

    >>> measures = pd.DataFrame({"educator_id": ["E1", "E2"] * 2, "window": ["fall"] * 2 + ["spring"] * 2,
    ...     "domain": "knowledge", "measure": "quiz", "score": [10.0, 12, 14, 16], "max_score": 20.0})
    >>> learning_series(measures, min_educators=2)["value"].tolist()
    [0.55, 0.75]
    """
    data = measures[measures["domain"].isin(domains)].copy()
    data["share"] = pd.to_numeric(data["score"], errors="coerce") / pd.to_numeric(data["max_score"], errors="coerce")
    data = data.dropna(subset=["share"]).astype({"window": str})
    return _educator_means(data, ["domain", "window"], "share",
                           lambda row: f"{row['domain']} (mean score, share of the maximum)", min_educators)


def cycle_of(label: str) -> str | None:
    """The cycle (school year) a window belongs to, or None when its label names no year.

    >>> cycle_of("2025-26 spring"), cycle_of("post")
    ('2025-26', None)
    """
    key = window_key(str(label))
    if not key or not key[0]:
        return None
    return f"{key[0]}-{str(key[0] + 1)[-2:]}"


def by_cycle(series: pd.DataFrame) -> pd.DataFrame:
    """The series with one point per cycle: each school year's latest window, labelled by the year.
    Windows without a year are left out (they cannot be placed in a cycle).

    >>> frame = pd.DataFrame({"series": "s", "label": ["2024-25 fall", "2024-25 spring", "2025-26 spring"],
    ...                       "value": [1.0, 2.0, 3.0], "n": 20, "unit": "students", "suppressed": False, "note": ""})
    >>> by_cycle(frame)[["label", "value"]].values.tolist()
    [['2024-25', 2.0], ['2025-26', 3.0]]
    """
    frame = _ordered(series).assign(_cycle=series["label"].map(cycle_of) if len(series) else [])
    frame = frame.dropna(subset=["_cycle"])
    latest = frame.groupby(["series", "_cycle"], sort=False).tail(1)
    return latest.assign(label=latest["_cycle"]).drop(columns="_cycle").reset_index(drop=True)[SERIES_COLUMNS]
