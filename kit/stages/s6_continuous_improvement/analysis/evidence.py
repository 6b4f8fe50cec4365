"""Everything the cycle report shows from the earlier stages, worked out by their own analysis
functions (stage 1's results by group, stage 3's change by measure and learning hours, stage 4's
fidelity, implementation and access, stage 5's chain of evidence), every table already withheld
where a group is small. No educator or student id is in any frame, except `educators` (the chain per
educator), which is made only for the coach's internal version.

>>> implementation_counts(pd.DataFrame({"implementation": ["at or above the line"] * 6 + ["below the line"] * 2}))[
...     ["educators", "suppressed"]].values.tolist()
[[<NA>, True], [<NA>, True], [<NA>, True]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kit.analysis import equity
from kit.analysis.windows import order_windows
from kit.privacy import code_shares
from kit.stages.s1_student_needs import analysis as needs
from kit.stages.s3_educator_learning import analysis as learning
from kit.stages.s4_educator_practice import analysis as practice
from kit.stages.s5_student_results.analysis import chain as chains
from kit.stages.s5_student_results.analysis.evidence import educator_evidence, in_years, years_of

from ._privacy import EDUCATORS, STUDENTS, code_share_column, unit_of, withhold

IMPLEMENTATION_ORDER = (practice.AT_OR_ABOVE, practice.BELOW, practice.NOT_OBSERVED)


def educator_windows(measures: pd.DataFrame | None, before: str, after: str) -> tuple[str, str] | None:
    """The first and last window of educator measures (or observations) inside the school years
    from `before` to `after` (all windows when the labels name no year); None with fewer than two.

    >>> educator_windows(pd.DataFrame({"window": ["2024-25 fall", "2025-26 fall", "2025-26 spring"]}),
    ...                  "2025-26 fall", "2025-26 spring")
    ('2025-26 fall', '2025-26 spring')
    """
    if measures is None or not len(measures):
        return None
    kept = in_years(measures, years_of(before, after))
    windows = order_windows(kept["window"].astype(str).unique())
    return (windows[0], windows[-1]) if len(windows) >= 2 else None


def results_by_every_group(results: pd.DataFrame, window: str, *, min_group_size: int | None = None) -> pd.DataFrame:
    """Stage 1's `results_by_group` for each subject and group column in `window`, one table:
    subject, group (in words), n, mean_score, share_proficient_text, suppressed, note."""
    unit = unit_of(STUDENTS, min_group_size)
    parts = []
    for subject in needs.options(results, "subject"):
        chosen = needs.select(results, subject=subject, window=window)
        for column in needs.result_group_columns(results):
            table = needs.results_by_group(chosen, column, min_group_size=unit.min_group_size)
            table = table[table["group"] != equity.ALL_STUDENTS] if parts and column != needs.result_group_columns(results)[0] \
                else table
            parts.append(table.assign(subject=subject, group=[equity.group_label(column, g) for g in table["group"]]))
    if not parts:
        return pd.DataFrame(columns=["subject", "group", "n", "mean_score", "share_proficient_text", "suppressed", "note"])
    frame = pd.concat(parts, ignore_index=True)
    return frame[["subject", "group", "n", "mean_score", "share_proficient_text", "suppressed", "note"]]


def gap_changes(results: pd.DataFrame, first: str, second: str, *, min_group_size: int | None = None) -> pd.DataFrame:
    """How each group's gap to all other students changed from `first` to `second`, per subject and
    group column (`kit.analysis.equity.gap_change_between`, with the kit's tolerance of 0.05 SD in
    points): subject, group, gap_first, gap_second, change, direction, suppressed, note. Each window's
    gaps are the district view of stage 1 (`equity.gaps` on the window's slice), so they follow the
    dataset's one disclosure decision: a group withheld in any stage 1 view is withheld here too."""
    from kit.analysis.stats import GAP_CHANGE_TOLERANCE_SD

    unit = unit_of(STUDENTS, min_group_size)
    parts = []
    for subject in needs.options(results, "subject"):
        both = needs.select(results, subject=subject)
        both = both[both["window"].isin([first, second])]
        tolerance = GAP_CHANGE_TOLERANCE_SD * float(both["score"].std(ddof=1)) if len(both) > 1 else 0.0
        for column in needs.result_group_columns(results):
            windows = [equity.gaps(needs.select(results, subject=subject, window=w), "score", column,
                                   min_group_size=unit.min_group_size).assign(window=w) for w in (first, second)]
            table = equity.gap_change_between(pd.concat(windows, ignore_index=True), first=first, second=second,
                                              tolerance=tolerance)
            table = table[table["group"] != "no"] if set(table["group"]) <= {"yes", "no"} else table
            parts.append(table.assign(subject=subject, group=[equity.group_label(column, g) for g in table["group"]]))
    columns = ["subject", "group", "gap_first", "gap_second", "change", "direction", "suppressed", "note"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def access_by_every_group(tables: Mapping[str, pd.DataFrame], implementation: pd.DataFrame | None, *,
                          min_group_size: int | None = None, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stage 4's `access_by_group` for all schools together, per group column: group, n, share of
    their classes taught at or above the practice line (missing when coded), `share_text` (the share as
    it may be shown: top- and bottom-coded near 0% and 100% for the group's students), `gap` to all other
    students (missing beside a share of either side in its band, which it would give back), `gap_text`
    (the gap, or the range the bands allow: `kit.privacy.code_gaps`), suppressed, note. With `results`
    (stage 1's `prepare` frame) a count the same as stage 1's takes its fate, as in stage 4."""
    columns = ["group", "n", "share", "share_text", "gap", "gap_text", "suppressed", "note"]
    if implementation is None or "rosters" not in tables or "students" not in tables:
        return pd.DataFrame(columns=columns)
    unit = unit_of(STUDENTS, min_group_size)
    parts = []
    for column in equity.group_columns(tables["students"]):
        elsewhere = (needs.decided_figures(results, column, min_group_size=unit.min_group_size)
                     if results is not None else None)
        table = practice.access_by_group(tables["rosters"], tables["students"], implementation, column,
                                         min_group_size=unit.min_group_size, elsewhere=elsewhere)
        table = table[table["school_id"] == practice.access.ALL_SCHOOLS]
        parts.append(table.assign(group=[equity.group_label(column, g) for g in table["group"]]))
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts, ignore_index=True)
    # Stage 4's share holds a coded share's band edge (for its chart): a table shows the band alone.
    table["share"] = table["share"].astype(float).mask(table["share_coded"].astype(bool))
    return table[columns]


def participation(hours: pd.DataFrame | None, educators: pd.DataFrame | None, *,
                  min_educators: int | None = None) -> pd.DataFrame:
    """Learning hours per school (stage 3's `educator_hours`): school_id, educators (in the data),
    took_part (any hours), took_part_text (the count, or the share it implies top- and bottom-coded
    when near none or all of the school's educators: "≥75%", the count then missing), median_hours of
    those who took part; withheld under the educators' threshold.

    >>> hours = pd.DataFrame({"educator_id": [f"E{i}" for i in range(24)], "hours": [6.0] * 12 + [0.0] * 6 + [3.0] * 6})
    >>> staff = pd.DataFrame({"educator_id": [f"E{i}" for i in range(24)], "school_id": ["A"] * 12 + ["B"] * 12})
    >>> participation(hours, staff)[["school_id", "took_part_text", "median_hours"]].values.tolist()
    [['A', '≥75%', 6.0], ['B', '6', 3.0]]
    """
    unit = unit_of(EDUCATORS, min_educators)
    columns = ["school_id", "educators", "took_part", "took_part_text", "median_hours", "suppressed", "note"]
    if hours is None or educators is None or not len(educators):
        return pd.DataFrame(columns=columns)
    joined = educators[["educator_id", "school_id"]].astype(str).merge(hours.astype({"educator_id": str}),
                                                                       on="educator_id", how="left")
    joined["hours"] = joined["hours"].fillna(0.0)
    table = (joined.groupby("school_id", sort=True)
                   .agg(educators=("educator_id", "nunique"), took_part=("hours", lambda h: int((h > 0).sum())),
                        median_hours=("hours", lambda h: float(h[h > 0].median()) if (h > 0).any() else np.nan))
                   .reset_index())
    shown = withhold(table, "educators", ["median_hours"], unit)
    small = shown["took_part"] < unit.min_group_size
    shown["took_part"] = shown["took_part"].astype("Int64").mask(shown["suppressed"] | small)
    shown["median_hours"] = shown["median_hours"].mask(small)
    shown.loc[small, "note"] = shown.loc[small, "note"].where(shown.loc[small, "suppressed"],
                                                              f"withheld to protect groups of fewer than "
                                                              f"{unit.min_group_size} educators")
    shown["suppressed"] = shown["suppressed"] | small
    # "20 of 20 took part" tells each educator's part as a share of 100% would: coded the same way.
    educators_n = shown["educators"].astype(float)
    implied = code_shares(shown["took_part"].astype(float) / educators_n.clip(lower=1), educators_n.fillna(0).clip(lower=1),
                          unit)
    edge = implied["share_coded"].to_numpy(dtype=bool)
    shown["took_part_text"] = np.where(edge, implied["share_text"],
                                       [f"{int(v):,}" if pd.notna(v) else "" for v in shown["took_part"]])
    shown["took_part"] = shown["took_part"].mask(edge)
    return shown[columns]


def implementation_counts(implementation: pd.DataFrame | None, *, min_educators: int | None = None) -> pd.DataFrame:
    """How many educators are at or above the line, below it, or not observed (stage 4's levels):
    implementation, educators, share, share_text (top- and bottom-coded for the educators observed;
    a coded level's share and count are missing), suppressed, note."""
    columns = ["implementation", "educators", "share", "share_text", "suppressed", "note"]
    if implementation is None or not len(implementation):
        return pd.DataFrame(columns=columns)
    counts = implementation["implementation"].value_counts()
    table = pd.DataFrame({"implementation": IMPLEMENTATION_ORDER,
                          "educators": [int(counts.get(level, 0)) for level in IMPLEMENTATION_ORDER]})
    total = int(table["educators"].sum())
    table["share"] = table["educators"] / max(total, 1)
    unit = unit_of(EDUCATORS, min_educators)
    shown = withhold(table, "educators", ["share"], unit)
    return code_share_column(shown, "share", [total] * len(shown), unit, reveal=["educators"])[columns]


#: The keys of `chart_evidence`: what the run charts and the cycle review read. The rest of
#: `cycle_evidence` is for the report only, and costs most of the time.
CHART_KEYS = ("results", "measures", "fidelity", "educator_windows")


def chart_evidence(tables: Mapping[str, pd.DataFrame], before: str, after: str, *,
                   ic_components: Sequence[Mapping] = ()) -> dict:
    """What the run charts and the cycle review read (a small part of `cycle_evidence`, worked out
    in a fraction of its time): `results` (stage 1's `prepare` frame, unpublished), `measures` (the
    educator measures), `fidelity` (unpublished per educator) and `educator_windows`.

    >>> tables = {"students": pd.DataFrame({"student_id": ["S1"], "school_id": ["A"], "grade": ["3"]}),
    ...           "assessments": pd.DataFrame({"student_id": ["S1"], "subject": ["math"], "window": ["fall"],
    ...                                        "score": [400.0]})}
    >>> sorted(key for key, value in chart_evidence(tables, "fall", "spring").items() if value is not None)
    ['results']
    """
    results = needs.prepare(tables["students"], tables["assessments"]) if "students" in tables else None
    fidelity = None
    if tables.get("observations") is not None and len(tables["observations"]):
        scale = practice.practice_scale(list(ic_components), tables["observations"])
        fidelity = practice.fidelity_by_educator(tables["observations"], scale)
    measures = tables.get("educator_measures")
    return {"results": results, "measures": measures, "fidelity": fidelity,
            "educator_windows": educator_windows(in_years(measures, years_of(before, after)), before, after)}


def report_evidence(tables: Mapping[str, pd.DataFrame], before: str, after: str, charted: Mapping, *,
                    coaching: pd.DataFrame | None = None, ic_components: Sequence[Mapping] = (),
                    min_group_size: int | None = None, min_educators: int | None = None,
                    internal: bool = False) -> dict:
    """The rest of `cycle_evidence`, given `charted` (`chart_evidence` of the same tables, windows
    and map): every key of `cycle_evidence` but `CHART_KEYS`."""
    results = charted["results"]
    ev = educator_evidence({**tables, "rosters": tables.get("rosters", pd.DataFrame(
        columns=["student_id", "educator_id", "subject", "term"]))}, before, after, coaching=coaching,
        ic_components=list(ic_components))
    measures = in_years(tables.get("educator_measures"), years_of(before, after))
    windows = charted["educator_windows"]
    size = unit_of(EDUCATORS, min_educators).min_group_size
    # Stage 3's coding: a mean near 0% or 100% of its measure reads as its band, the change with it.
    change = (learning.change_by_measure(measures, *windows, min_group_size=size, coded=True) if windows else
              pd.DataFrame(columns=["domain", "measure", "n", "mean_before", "mean_before_text", "mean_after",
                                    "mean_after_text", "mean_change"]))
    links = chains.whole_chain_links(ev["chain"], min_educators=size)
    funnel = chains.chain_funnel(ev["chain"], min_educators=size)
    return {
        "by_group": results_by_every_group(results, after, min_group_size=min_group_size) if results is not None else None,
        "gap_changes": gap_changes(results, before, after, min_group_size=min_group_size) if results is not None else None,
        "hours": ev["hours"],
        "participation": participation(ev["hours"], tables.get("educators"), min_educators=size),
        "measure_change": change,
        "implementation_counts": implementation_counts(ev["implementation"], min_educators=size),
        "access": access_by_every_group(tables, ev["implementation"], min_group_size=min_group_size, results=results),
        "links": links, "funnel": funnel, "chain_words": chains.where_it_breaks(links, funnel),
        "educators": ev["chain"] if internal else None,
    }


def cycle_evidence(tables: Mapping[str, pd.DataFrame], before: str, after: str, *,
                   coaching: pd.DataFrame | None = None, ic_components: Sequence[Mapping] = (),
                   min_group_size: int | None = None, min_educators: int | None = None,
                   internal: bool = False) -> dict:
    """Every frame the report shows, for student results from `before` to `after` (the cycle's
    windows) and educator evidence in the same school years. Keys: `results` (stage 1's `prepare`
    frame, unpublished), `by_group`, `gap_changes`, `hours`, `participation`, `measure_change`,
    `measures`, `fidelity` (unpublished per educator), `implementation_counts`, `access`, `links`,
    `funnel`, `chain_words`, `educator_windows`, and `educators` (internal only, else None). Tables a
    dataset cannot fill are empty frames. It is `chart_evidence` and `report_evidence` together."""
    charted = chart_evidence(tables, before, after, ic_components=ic_components)
    return {**charted, **report_evidence(tables, before, after, charted, coaching=coaching,
                                         ic_components=ic_components, min_group_size=min_group_size,
                                         min_educators=min_educators, internal=internal)}
