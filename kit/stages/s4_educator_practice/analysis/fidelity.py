"""Fidelity to the practice map: ratings by component and window, fidelity per educator, its change,
and the educator groups (school, role, learning hours) and Levels of Use behind it.

Fidelity of an educator in a window = the share of the map's components rated at or above the
acceptable line (Hall & Hord's Innovation Configuration maps; DESIGN.md section 5). When an educator
was visited more than once in a window, each component counts its latest rating in that window.

>>> scale = pd.DataFrame({"component": ["Talk", "Tasks"], "top_rating": [4, 4], "acceptable_rating": [3, 3]})
>>> obs = pd.DataFrame({"educator_id": ["E1", "E1"], "date": pd.to_datetime(["2025-01-01"] * 2),
...                     "window": ["fall", "fall"], "component": ["Talk", "Tasks"], "rating": [4, 2]})
>>> fidelity_by_educator(obs, scale).to_dict("records")
[{'educator_id': 'E1', 'window': 'fall', 'fidelity': 0.5, 'components_rated': 2}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.windows import order_windows
from kit.instruments import LEVELS_OF_USE

from ._privacy import MIN_EDUCATORS, code_edge_shares, withhold_educators
from .observations import rated

#: The default fidelity an educator needs to count as implementing: 80% of the map's components at
#: or above the line. It is a convention of implementation studies, not a figure of the IC map
#: method itself; a team sets its own (with four components, 0.75 means "three of four").
DEFAULT_FIDELITY_LINE = 0.8
AT_OR_ABOVE, BELOW, NOT_OBSERVED = "at or above the line", "below the line", "not observed"
IMPLEMENTATION_ORDER = (AT_OR_ABOVE, BELOW, NOT_OBSERVED)


def latest_ratings(observations: pd.DataFrame, scale: pd.DataFrame) -> pd.DataFrame:
    """Each educator's latest rating of each map component in each window, with `acceptable`."""
    ratings = rated(observations, scale)
    order = ratings.sort_values("date", kind="stable")
    return order.drop_duplicates(["educator_id", "window", "component"], keep="last").reset_index(drop=True)


def fidelity_by_educator(ratings: pd.DataFrame, components: pd.DataFrame) -> pd.DataFrame:
    """Per educator and window: `fidelity` (share of rated map components at or above the line) and
    `components_rated`. `ratings` are observations (`merge_observations`), `components` the
    `practice_scale`. See the module's example."""
    latest = latest_ratings(ratings, components)
    table = (latest.groupby(["educator_id", "window"], sort=False)
                   .agg(fidelity=("acceptable", "mean"), components_rated=("acceptable", "size")).reset_index())
    table["components_rated"] = table["components_rated"].astype(int)
    return _in_window_order(table, ["educator_id"]).reset_index(drop=True)


def _in_window_order(table: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    place = {window: index for index, window in enumerate(order_windows(table["window"].astype(str)))}
    return (table.assign(_place=table["window"].map(place)).sort_values([*then, "_place"], kind="stable")
                 .drop(columns="_place"))


def rating_distribution(observations: pd.DataFrame, scale: pd.DataFrame, *,
                        min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Per component and window, how many educators' latest rating was each rating, and the share.

    Columns: component, window, rating, variation (1 = ideal), acceptable, educators, share,
    share_text, suppressed, note. Every rating of the scale has a row (zero included); a cell about
    fewer than `min_educators` educators is withheld, with its partner in the same component and
    window; a share near 0% or 100% of the component's educators shows only its band in `share_text`
    ("≥85%"), its count and share missing (`code_edge_shares`).

    >>> scale = pd.DataFrame({"component": ["Talk"], "top_rating": [2], "acceptable_rating": [2]})
    >>> obs = pd.DataFrame({"educator_id": list("ABCDEFGHIJ"), "date": pd.to_datetime(["2025-01-01"] * 10),
    ...                     "window": ["fall"] * 10, "component": ["Talk"] * 10, "rating": [1] * 5 + [2] * 5})
    >>> rating_distribution(obs, scale)[["rating", "educators", "share", "share_text"]].to_dict("records")
    [{'rating': 1, 'educators': 5, 'share': 0.5, 'share_text': '50%'}, {'rating': 2, 'educators': 5, 'share': 0.5,
    'share_text': '50%'}]
    """
    latest = latest_ratings(observations, scale)
    counts = latest.groupby(["component", "window", "rating"]).size()
    rows = []
    for (component, window), cell in latest.groupby(["component", "window"], sort=False):
        top, line = scale.set_index("component").loc[component, ["top_rating", "acceptable_rating"]]
        for rating in range(1, int(top) + 1):
            count = int(counts.get((component, window, rating), 0))
            rows.append({"component": component, "window": window, "rating": rating,
                         "variation": int(top) - rating + 1, "acceptable": rating >= line,
                         "educators": count, "share": count / len(cell)})
    table = pd.DataFrame(rows, columns=["component", "window", "rating", "variation", "acceptable", "educators",
                                        "share"])
    order = {name: index for index, name in enumerate(scale["component"])}
    table = _in_window_order(table.assign(_component=table["component"].map(order)), ["_component"])
    table = table.drop(columns="_component").reset_index(drop=True)
    return _coded_distribution(table, ["component", "window"], min_educators)


def _coded_distribution(figures: pd.DataFrame, line: list[str], min_educators: int) -> pd.DataFrame:
    """A distribution's small cells withheld (with a partner in the line), then its shares coded
    against the line's educators: a coded share's count is withheld with it (it would give it away)."""
    table = withhold_educators(figures, "educators", ["share"], by=line, min_educators=min_educators)
    sizes = figures.groupby(line, sort=False)["educators"].transform("sum").to_numpy()
    return code_edge_shares(table, ["share"], by=line, figures=figures, sizes=sizes, counts_with_share=["educators"],
                            min_educators=min_educators)


def practice_change(fidelity: pd.DataFrame, before: str | None = None, after: str | None = None) -> pd.DataFrame:
    """Per educator observed in both windows: fidelity before, after, and the change (after - before).
    The windows default to the first and the last observed.

    >>> fidelity = pd.DataFrame({"educator_id": ["E1", "E1", "E2"], "window": ["fall", "spring", "fall"],
    ...                          "fidelity": [0.25, 0.75, 0.5]})
    >>> practice_change(fidelity).to_dict("records")
    [{'educator_id': 'E1', 'fidelity_before': 0.25, 'fidelity_after': 0.75, 'practice_change': 0.5}]
    """
    windows = order_windows(fidelity["window"].astype(str))
    columns = ["educator_id", "fidelity_before", "fidelity_after", "practice_change"]
    if len(windows) < 2 and (before is None or after is None):
        return pd.DataFrame(columns=columns)
    before, after = before or windows[0], after or windows[-1]
    wide = fidelity.pivot_table(index="educator_id", columns="window", values="fidelity", aggfunc="first")
    if before not in wide or after not in wide:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame({"fidelity_before": wide[before], "fidelity_after": wide[after]}).dropna()
    table["practice_change"] = table["fidelity_after"] - table["fidelity_before"]
    return table.reset_index()[columns]


def practice_change_by_group(change: pd.DataFrame, educators: pd.DataFrame, by: str = "school_id", *,
                             min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Per value of `by` (school by default): the educators observed in both windows and their mean
    fidelity before and after (`practice_change`'s table), what a team sees instead of each educator.
    Columns: the `by` column, educators, fidelity_before, fidelity_before_text, fidelity_after,
    fidelity_after_text, suppressed, note. Small groups are withheld with a partner; a mean near 0% or
    100% shows only its band ("≥85%") and is missing as a number (`code_edge_shares`, over all groups).

    >>> change = pd.DataFrame({"educator_id": [f"E{i}" for i in range(40)], "fidelity_before": 0.5,
    ...                        "fidelity_after": [1.0] * 10 + [0.5] * 30})
    >>> staff = pd.DataFrame({"educator_id": change["educator_id"], "school_id": ["A"] * 10 + ["B"] * 10 + ["C"] * 20})
    >>> practice_change_by_group(change, staff)[["school_id", "fidelity_before_text", "fidelity_after_text"]].values.tolist()
    [['A', '50%', '≥70%'], ['B', '', ''], ['C', '50%', '50%']]

    A's mean after (all 10 at every component's line) reads only "≥70%"; B is withheld beside it, else
    the schools' total after minus B's and C's would give A's 10 of 10.
    """
    columns = [by, "educators", "fidelity_before", "fidelity_after"]
    joined = change.merge(educators[["educator_id", by]], on="educator_id")
    figures = (joined.groupby(by).agg(educators=("educator_id", "size"), fidelity_before=("fidelity_before", "mean"),
                                      fidelity_after=("fidelity_after", "mean")).reset_index()
               if len(joined) else pd.DataFrame(columns=columns))
    table = withhold_educators(figures, "educators", ["fidelity_before", "fidelity_after"],
                               min_educators=min_educators)
    return code_edge_shares(table, ["fidelity_before", "fidelity_after"], by=[], figures=figures,
                            min_educators=min_educators)


def implementation_levels(fidelity: pd.DataFrame, line: float = DEFAULT_FIDELITY_LINE, *,
                          educators: pd.Series | None = None, window: str | None = None) -> pd.DataFrame:
    """Each educator's implementation: "at or above the line" when their fidelity in `window` (by
    default the latest window they were observed in) is at least `line` (`DEFAULT_FIDELITY_LINE`),
    "below the line" otherwise, and "not observed" for each of `educators` with no fidelity there.

    >>> fidelity = pd.DataFrame({"educator_id": ["E1", "E2", "E2"], "window": ["fall", "fall", "spring"],
    ...                          "fidelity": [1.0, 1.0, 0.5]})
    >>> implementation_levels(fidelity, educators=pd.Series(["E1", "E2", "E3"])).to_dict("records")
    [{'educator_id': 'E1', 'implementation': 'at or above the line'}, {'educator_id': 'E2', 'implementation': 'below the line'},
    {'educator_id': 'E3', 'implementation': 'not observed'}]
    """
    chosen = fidelity if window is None else fidelity[fidelity["window"] == window]
    latest = _in_window_order(chosen, ["educator_id"]).drop_duplicates("educator_id", keep="last")
    table = pd.DataFrame({"educator_id": latest["educator_id"].astype(str).to_numpy(),
                          "implementation": np.where(latest["fidelity"] >= line - 1e-9, AT_OR_ABOVE, BELOW)})
    if educators is not None:
        unseen = sorted(set(pd.Series(educators).astype(str)) - set(table["educator_id"]))
        table = pd.concat([table, pd.DataFrame({"educator_id": unseen, "implementation": NOT_OBSERVED})],
                          ignore_index=True)
    return table.sort_values("educator_id", kind="stable").reset_index(drop=True)


def hours_band(hours: pd.Series) -> pd.Series:
    """Learning hours in three bands of about equal size, each labelled with its range.

    >>> hours_band(pd.Series([1, 2, 3, 10, 11, 12, 30, 31, 32])).tolist()[::3]
    ['1-3 hours', '10-12 hours', '30-32 hours']
    """
    values = pd.to_numeric(hours, errors="coerce")
    if values.nunique() < 3:
        return values.map(lambda v: f"{v:g} hours" if pd.notna(v) else "no hours recorded")
    band = pd.qcut(values.rank(method="first"), 3, labels=False)
    labels = {b: f"{values[band == b].min():g}-{values[band == b].max():g} hours" for b in range(3)}
    return band.map(labels)


def fidelity_by_group(fidelity: pd.DataFrame, educators: pd.DataFrame, by: str, *,
                      line: float = DEFAULT_FIDELITY_LINE, min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Mean fidelity per window for each value of `by`, a column of `educators` (school_id, role, or
    a `hours_band`). Columns: the `by` column, window, educators, fidelity, fidelity_text, at_or_above
    (share of educators whose fidelity is at least `line`), at_or_above_text, suppressed, note; small
    groups withheld.

    Both shares describe every member's outcome near 0% and 100%, so a value in the policy's coded
    band shows only its band in the text column (`code_edge_shares`: "≥85%", the number missing), and
    the value of the smallest other group is withheld while the window's total would tell a coded or
    withheld group's share more closely than its band; a withheld note reads like every other.

    >>> staff = pd.DataFrame({"educator_id": [f"E{i}" for i in range(30)], "school_id": ["A"] * 10 + ["B"] * 20})
    >>> fidelity = pd.DataFrame({"educator_id": staff["educator_id"], "window": "fall", "fidelity": [1.0] * 30})
    >>> fidelity_by_group(fidelity, staff, "school_id")[["school_id", "at_or_above", "at_or_above_text"]].values.tolist()
    [['A', nan, '≥70%'], ['B', nan, '≥85%']]
    """
    joined = fidelity.merge(educators[["educator_id", by]], on="educator_id", how="inner")
    joined["at_or_above"] = joined["fidelity"] >= line - 1e-9
    table = (joined.groupby([by, "window"], sort=True)
                   .agg(educators=("educator_id", "nunique"), fidelity=("fidelity", "mean"),
                        at_or_above=("at_or_above", "mean")).reset_index())
    figures = _in_window_order(table, [by]).reset_index(drop=True)
    table = withhold_educators(figures, "educators", ["fidelity", "at_or_above"], by=["window"],
                               min_educators=min_educators)
    return code_edge_shares(table, ["fidelity", "at_or_above"], by=["window"], figures=figures,
                            min_educators=min_educators)


def levels_of_use(observations: pd.DataFrame, *, min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Where recorded: per window, how many educators were at each Level of Use (their latest visit
    in the window), in the levels' order (Hall & Hord). Empty when no level is recorded.

    Columns: window, level, level_name, educators, share, share_text, suppressed, note (coded and
    withheld as `rating_distribution`).
    """
    columns = ["window", "level", "level_name", "educators", "share"]
    if "level_of_use" not in observations or observations["level_of_use"].isna().all():
        return pd.DataFrame(columns=[*columns, "suppressed", "note"])
    seen = observations[observations["level_of_use"].notna()].sort_values("date", kind="stable")
    latest = seen.drop_duplicates(["educator_id", "window"], keep="last")
    rows = []
    for window in order_windows(latest["window"].astype(str)):
        levels = latest.loc[latest["window"] == window, "level_of_use"].astype(str).value_counts()
        for level, name in LEVELS_OF_USE:
            rows.append({"window": window, "level": level, "level_name": name, "educators": int(levels.get(level, 0)),
                         "share": levels.get(level, 0) / levels.sum()})
    return _coded_distribution(pd.DataFrame(rows, columns=columns), ["window"], min_educators)


def unobserved_educators(educators: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """The educators with no observation at all, for the coach to plan visits (never shown to a team).

    >>> staff = pd.DataFrame({"educator_id": ["E1", "E2"], "school_id": ["A", "A"], "role": ["teacher"] * 2})
    >>> unobserved_educators(staff, pd.DataFrame({"educator_id": ["E1"]}))["educator_id"].tolist()
    ['E2']
    """
    seen = set(observations["educator_id"].astype(str))
    keep = [c for c in ("educator_id", "school_id", "role", "subject") if c in educators]
    missing = educators.loc[~educators["educator_id"].astype(str).isin(seen), keep]
    return missing.sort_values(keep[: min(2, len(keep))][::-1], kind="stable").reset_index(drop=True)
