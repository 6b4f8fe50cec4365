"""Everything stage 5 shows, worked out once from a dataset's tables for two windows of student scores.

The educator tables are narrowed to the school years the two windows span (a window's year is read
by `kit.analysis.windows.window_key`; labels without a year, such as "pre" and "post", keep every
row), so learning hours, learning change, practice and growth all describe the same stretch of time.

>>> from kit.io import open_sample
>>> evidence = educator_evidence(open_sample().tables, "2025-26 fall", "2025-26 spring")
>>> sorted(evidence)[:4]
['chain', 'fidelity', 'growth', 'hours']
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kit.analysis.windows import window_key

from .chain import growth_for_chain, whole_chain
from .earlier_stages import earlier
from .growth import class_links, student_growth

EDUCATOR_TABLES = ("attendance", "learning_activities", "educator_measures", "observations")


def years_of(before: str, after: str) -> tuple[int, int] | None:
    """The first and last school year (the year it starts) the two windows span, or None.

    >>> years_of("2024-25 spring", "2025-26 fall"), years_of("pre", "post")
    ((2024, 2025), None)
    """
    first, last = window_key(before), window_key(after)
    if not first or not last or not first[0] or not last[0]:
        return None
    return first[0], last[0]


def in_years(frame: pd.DataFrame | None, years: tuple[int, int] | None, column: str = "window") -> pd.DataFrame | None:
    """The rows whose window falls in `years` (every row when `years` is None or a label has no year)."""
    if frame is None or years is None or column not in frame.columns:
        return frame
    keys = frame[column].astype(str).map(window_key)
    keep = keys.map(lambda key: key is None or not key[0] or years[0] <= key[0] <= years[1])
    return frame[keep.to_numpy(dtype=bool)]


def hours_in_years(activities: pd.DataFrame | None, attendance: pd.DataFrame | None,
                   years: tuple[int, int] | None) -> pd.DataFrame:
    """Stage 3's `educator_hours` over the activities dated in `years` (all of them when None)."""
    if attendance is None:
        return earlier("educator_hours")(None)
    if years is not None and activities is not None and "date" in activities.columns:
        school_year = earlier("school_year")
        starts = activities["date"].map(lambda d: None if pd.isna(d) else int(school_year(d)[:4]))
        kept = activities.loc[starts.between(*years).to_numpy(dtype=bool), "activity_id"].astype(str)
        attendance = attendance[attendance["activity_id"].astype(str).isin(set(kept))]
    return earlier("educator_hours")(attendance)


def educator_evidence(tables: Mapping[str, pd.DataFrame], before: str, after: str, *,
                      coaching: pd.DataFrame | None = None, line: float | None = None,
                      ic_components=()) -> dict[str, pd.DataFrame]:
    """The frames behind every view: `growth` (per student), `links` (student results with their
    educator), `hours`, `learning` (stage 3), `fidelity`, `practice`, `implementation` (stage 4),
    `chain` (one row per educator, `whole_chain`). Missing tables give empty steps, never an error.
    `coaching` is stage 4's coaching log (minutes join hours as dose); `ic_components` the cycle's map."""
    years = years_of(before, after)
    growth = student_growth(tables["assessments"], before, after)
    links = class_links(growth, tables["rosters"]) if "rosters" in tables else None
    hours = hours_in_years(tables.get("learning_activities"), tables.get("attendance"), years)
    measures = in_years(tables.get("educator_measures"), years)
    learning = earlier("educator_learning_change")(measures) if measures is not None and len(measures) else None
    fidelity, practice, implementation = _practice(in_years(tables.get("observations"), years), tables, line,
                                                   ic_components)
    minutes = earlier("coaching_dose")(coaching) if coaching is not None and len(coaching) else None
    per_educator = earlier("chain_per_educator")(hours, learning, practice, minutes)
    by_educator = growth_for_chain(growth, tables["rosters"]) if "rosters" in tables else None
    chain = whole_chain(per_educator, by_educator if by_educator is not None else
                        pd.DataFrame(columns=["educator_id", "students", "mean_growth", "growth_vs_typical"]), practice)
    return {"growth": growth, "links": links, "hours": hours, "learning": learning, "fidelity": fidelity,
            "practice": practice, "implementation": implementation, "chain": chain}


def _practice(observations, tables, line, ic_components):
    if observations is None or not len(observations):
        return None, None, None
    scale = earlier("practice_scale")(list(ic_components), observations)
    fidelity = earlier("fidelity_by_educator")(observations, scale)
    practice = earlier("practice_change")(fidelity)
    everyone = tables["educators"]["educator_id"] if "educators" in tables else None
    options = {} if line is None else {"line": line}
    implementation = earlier("implementation_levels")(fidelity, educators=everyone, **options)
    return fidelity, practice, implementation
