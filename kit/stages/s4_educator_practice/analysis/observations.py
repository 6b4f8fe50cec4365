"""Observations rated against the cycle's practice map: one table from the imported file and the
walkthroughs typed in the app, each row keeping where it came from.

A practice map (Innovation Configuration map, stage 2) lists each component's variations from the
ideal (position 1) to unacceptable, and `acceptable_line`, the position of the last acceptable
one. The `observations` table codes a rating so that higher is closer to the ideal, so a map
component with n variations rates its variations n (ideal) down to 1:

    rating = n - position + 1,  and a rating is acceptable when rating >= n - acceptable_line + 1.

Without a map the ratings still show their distribution by window and their change; what counts
as acceptable is then assumed to be the upper half of the scale seen (`assumed_acceptable_rating`),
and the app says so.

>>> scale = practice_scale([{"name": "Talk", "variations": ["all", "most", "some", "none"], "acceptable_line": 2}])
>>> scale[["component", "top_rating", "acceptable_rating", "basis"]].to_dict("records")
[{'component': 'Talk', 'top_rating': 4, 'acceptable_rating': 3, 'basis': 'practice map'}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kit.analysis.windows import order_windows

FROM_FILE, FROM_APP = "imported file", "typed in the app"
VISIT = ["educator_id", "date", "observer_id"]
KEY = [*VISIT, "component"]
OBSERVATION_COLUMNS = [*VISIT, "window", "component", "rating", "level_of_use", "note", "source", "record_id"]
SCALE_COLUMNS = ["component", "position", "variations", "top_rating", "acceptable_rating", "basis"]
MAP_BASIS = "practice map"
ASSUMED_BASIS = "assumed: the upper half of the ratings seen"


def rating_of_variation(position: int, variation_count: int) -> int:
    """The rating of a map variation (position 1 is the ideal): `rating_of_variation(1, 4) == 4`."""
    return int(variation_count) - int(position) + 1


def variation_of_rating(rating: int, variation_count: int) -> int:
    """The position of the variation a rating stands for: `variation_of_rating(4, 4) == 1`."""
    return int(variation_count) - int(rating) + 1


def assumed_acceptable_rating(ratings: Sequence[int] | pd.Series) -> int:
    """Without a practice map: the lowest rating above the middle of the scale seen, which runs from
    0 (when any 0 is seen) or 1 up to the highest rating seen.

    >>> assumed_acceptable_rating([1, 2, 4, 3]), assumed_acceptable_rating([0, 2, 4]), assumed_acceptable_rating([1, 5])
    (3, 3, 4)
    """
    values = pd.to_numeric(pd.Series(ratings), errors="coerce").dropna()
    if values.empty:
        return 1
    low = 0 if (values == 0).any() else 1
    return int(np.floor((low + values.max()) / 2)) + 1


def practice_scale(components: Sequence[Mapping] = (), observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per component: its place on the map, how many variations, the top rating and the
    lowest acceptable rating, and whether these come from the map or are assumed.

    `components` are the map's components (`name`, `variations` ideal first, `acceptable_line`,
    optional `position`), e.g. the cycle's `ic_component` records as dicts. With no map, every
    component seen in `observations` gets the assumed line (see the module's doc).
    """
    rows = []
    for order, component in enumerate(components):
        count = len(component.get("variations") or [])
        line = int(component.get("acceptable_line") or count)
        position = component.get("position")
        rows.append({"component": str(component["name"]), "position": order if position is None else int(position),
                     "variations": count, "top_rating": count,
                     "acceptable_rating": rating_of_variation(line, count), "basis": MAP_BASIS})
    if not rows and observations is not None and len(observations):
        ratings = observations["rating"]
        top, line = int(pd.to_numeric(ratings).max()), assumed_acceptable_rating(ratings)
        for order, name in enumerate(pd.unique(observations["component"].astype(str))):
            rows.append({"component": name, "position": order, "variations": top, "top_rating": top,
                         "acceptable_rating": line, "basis": ASSUMED_BASIS})
    scale = pd.DataFrame(rows, columns=SCALE_COLUMNS)
    return scale.sort_values("position", kind="stable").reset_index(drop=True)


def scale_problems(observations: pd.DataFrame, scale: pd.DataFrame) -> list[str]:
    """What in the observations does not fit the map, in words a coach can act on.

    >>> scale = practice_scale([{"name": "Talk", "variations": ["a", "b", "c"], "acceptable_line": 2}])
    >>> obs = pd.DataFrame({"component": ["Talk", "Talk", "Groups"], "rating": [3, 5, 2]})
    >>> for line in scale_problems(obs, scale): print(line)
    1 rating of "Talk" is above the map's 3 variations; those ratings are left out.
    1 rating is of a component the map does not have ("Groups"); add it to the map in stage 2 or fix its name.
    """
    if scale.empty or observations.empty:
        return []
    problems = []
    merged = observations[["component", "rating"]].merge(scale, on="component", how="left")
    for name, rows in merged[merged["rating"] > merged["top_rating"]].groupby("component", sort=False):
        top = int(rows["top_rating"].iloc[0])
        problems.append(f'{_count(len(rows), "rating")} of "{name}" {"is" if len(rows) == 1 else "are"} above '
                        f"the map's {top} variations; those ratings are left out.")
    unknown = merged[merged["top_rating"].isna()]
    if len(unknown):
        names = ", ".join(f'"{name}"' for name in pd.unique(unknown["component"]))
        problems.append(f"{_count(len(unknown), 'rating')} {'is' if len(unknown) == 1 else 'are'} of a component "
                        f"the map does not have ({names}); add it to the map in stage 2 or fix its name.")
    return problems


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def typed_observations(records: Sequence[Mapping]) -> pd.DataFrame:
    """The walkthroughs typed in the app (the store's `observation` records as dicts, with `id`) as
    observation rows.

    >>> rows = typed_observations([{"id": "r1", "educator_id": "E1", "date": "2025-03-02", "component": "Talk",
    ...                              "rating": 3}])
    >>> rows[["educator_id", "component", "rating", "source"]].to_dict("records")
    [{'educator_id': 'E1', 'component': 'Talk', 'rating': 3, 'source': 'typed in the app'}]
    """
    frame = pd.DataFrame(list(records))
    frame = frame.rename(columns={"id": "record_id"}) if "id" in frame else frame
    return _normalised(frame, FROM_APP)


def _normalised(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    result = pd.DataFrame(index=range(len(frame)))
    for column in OBSERVATION_COLUMNS:
        values = frame[column].to_numpy() if column in frame else np.full(len(frame), None)
        result[column] = values
    result["date"] = pd.to_datetime(result["date"], errors="coerce").astype("datetime64[us]")
    result["rating"] = pd.to_numeric(result["rating"], errors="coerce").astype("Int64")
    for column in ("educator_id", "observer_id", "window", "component", "level_of_use", "note", "record_id"):
        text = result[column].astype(object)
        result[column] = text.where(text.notna(), None).map(lambda v: v if v is None else str(v).strip() or None)
    result["observer_id"] = result["observer_id"].fillna("")
    result["source"] = source
    return result


def merge_observations(imported: pd.DataFrame | None, typed: pd.DataFrame | None) -> pd.DataFrame:
    """One table of observations: the imported rows and the typed ones, each with its `source`.

    A rating is counted once: when the same visit (educator, date, observer) rated the same
    component both in the file and in the app, the app's row is kept (it is the coach's latest
    word), and a rating saved twice in the app keeps its last version. A typed row without a
    window gets the window of the imported visits nearest its date (`assign_windows`).

    >>> file = pd.DataFrame({"educator_id": ["E1"], "date": ["2025-03-02"], "observer_id": ["O1"],
    ...                      "window": ["spring"], "component": ["Talk"], "rating": [2]})
    >>> app = typed_observations([{"id": "r1", "educator_id": "E1", "date": "2025-03-02", "observer_id": "O1",
    ...                            "component": "Talk", "rating": 3}])
    >>> merge_observations(file, app)[["window", "rating", "source"]].to_dict("records")
    [{'window': 'spring', 'rating': 3, 'source': 'typed in the app'}]
    """
    parts = [_normalised(imported, FROM_FILE) if imported is not None else None,
             typed if typed is not None else None]
    parts = [part for part in parts if part is not None and len(part)]
    if not parts:
        return _normalised(pd.DataFrame(), FROM_FILE)
    merged = assign_windows(pd.concat(parts, ignore_index=True))
    return merged.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def assign_windows(observations: pd.DataFrame) -> pd.DataFrame:
    """Fill a missing window with the window whose dated visits lie nearest (middle of its dates).

    >>> obs = pd.DataFrame({"date": pd.to_datetime(["2024-10-01", "2025-04-01", "2025-03-20"]),
    ...                     "window": ["fall", "spring", None]})
    >>> assign_windows(obs)["window"].tolist()
    ['fall', 'spring', 'spring']
    """
    missing = observations["window"].isna()
    known = observations[~missing & observations["date"].notna()]
    if not missing.any() or known.empty:
        return observations
    middles = known.groupby("window")["date"].agg(lambda dates: dates.min() + (dates.max() - dates.min()) / 2)
    result = observations.copy()
    for index in result.index[missing & result["date"].notna()]:
        distance = (middles - result.at[index, "date"]).abs()
        result.at[index, "window"] = distance.idxmin()
    return result


def windows_of(observations: pd.DataFrame) -> list[str]:
    """The windows of the observations in the order they happened."""
    return order_windows(observations["window"].dropna().astype(str))


def rated(observations: pd.DataFrame, scale: pd.DataFrame) -> pd.DataFrame:
    """The observations of map components within the map's scale, with `acceptable` (at or above
    the line) and `variation` (the map's position, 1 = ideal)."""
    if observations.empty or scale.empty:
        return observations.assign(acceptable=pd.Series(dtype=bool), variation=pd.Series(dtype="Int64"))
    merged = observations.merge(scale[["component", "top_rating", "acceptable_rating"]], on="component", how="inner")
    merged = merged[merged["rating"].notna() & (merged["rating"] <= merged["top_rating"])]
    merged = merged.assign(acceptable=(merged["rating"] >= merged["acceptable_rating"]).astype(bool),
                           variation=(merged["top_rating"] - merged["rating"] + 1).astype("Int64"))
    return merged.drop(columns=["top_rating", "acceptable_rating"]).reset_index(drop=True)


def walkthrough_count(observations: pd.DataFrame) -> int:
    """How many visits (educator, date, observer) the observations hold, each counted once."""
    return int(observations[VISIT].drop_duplicates().shape[0]) if len(observations) else 0
