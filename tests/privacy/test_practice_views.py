"""The disclosure audit on stage 4's educator views a team sees: fidelity by school, by role and by
learning hours (three tables that split the same educators of a window), Levels of Use and the
rating distribution. Every count goes to the same attacker as stage 1's (`tests.privacy.audit.attack`),
who also knows each window's total (the rating distribution's counts and shares give it away)."""

import pandas as pd
import pytest

from kit.privacy import EDUCATORS
from tests.privacy.audit import Observation, attack

GROUPINGS = ("school_id", "role", "learning hours")


@pytest.fixture(scope="module")
def practice(sample):
    """The frames stage 4's model builds from the sample: observations, scale, fidelity, staff."""
    from kit.stages.s3_educator_learning.analysis import educator_hours
    from kit.stages.s4_educator_practice import analysis as a

    observations = a.merge_observations(sample.table("observations"), None)
    scale = a.practice_scale([], observations)
    fidelity = a.fidelity_by_educator(observations, scale)
    staff = sample.table("educators").assign(educator_id=lambda f: f["educator_id"].astype(str))
    staff = staff.merge(educator_hours(sample.table("attendance")), on="educator_id", how="left")
    staff["learning hours"] = a.hours_band(staff["hours"].fillna(0))
    return observations, scale, fidelity, staff


def full_grid(joined: pd.DataFrame, keys: list[str]) -> dict:
    """The count of every combination of `keys`' values, empty ones included: the attacker does not
    know which combinations are empty."""
    counts = joined.groupby(keys).size()
    grid = pd.MultiIndex.from_product([sorted(joined[key].unique()) for key in keys])
    return counts.reindex(grid, fill_value=0).to_dict()


def window_totals(joined: pd.DataFrame, columns: list[str]):
    """The true count of every microcell over `columns` (window first), and each window's educator
    total, which every reader of the tables knows, as an observation."""
    truth = full_grid(joined, columns)
    observations = []
    for window, part in joined.groupby("window"):
        cells = tuple(key for key in truth if key[0] == window)
        observations.append(Observation(f"{window} all educators", cells, float(len(part)), window))
    return truth, observations


def fidelity_group_views(fidelity: pd.DataFrame, staff: pd.DataFrame, min_educators: int):
    """Every count of the fidelity-by-group tables, over microcells (window, school, role, hours band):
    the three groupings share their educators, so the attacker can combine them."""
    from kit.stages.s4_educator_practice.analysis import fidelity_by_group

    joined = fidelity.merge(staff[["educator_id", *GROUPINGS]], on="educator_id", how="inner")
    truth, observations = window_totals(joined, ["window", *GROUPINGS])
    for by in GROUPINGS:
        table = fidelity_by_group(fidelity, staff, by, min_educators=min_educators)
        position = 1 + GROUPINGS.index(by)
        for value, window, n in zip(table[by], table["window"], table["educators"]):
            cells = tuple(key for key in truth if key[0] == window and key[position] == value)
            observations.append(Observation(f"{window} {by}={value}", cells, None if pd.isna(n) else float(n), window))
    return observations, {key: int(n) for key, n in truth.items()}


@pytest.mark.parametrize("min_educators", [EDUCATORS.min_group_size, 8])
def test_fidelity_by_school_role_and_hours_gives_no_withheld_educator_count_away(practice, min_educators):
    _, _, fidelity, staff = practice
    observations, truth = fidelity_group_views(fidelity, staff, min_educators)
    report = attack(observations, truth, threshold=min_educators)
    assert any(o.value is None for o in observations)  # the sample's coaches and specialists are few
    leaks = report[report["exact"] | report["narrowed"]]
    assert leaks.empty, leaks.head(10).to_string()


def one_way_views(table: pd.DataFrame, line: list[str], category: str, truth: pd.Series, block: str):
    """A table of counts with each line's total known (from its counts and shares) as observations."""
    observations = []
    for key, rows in table.groupby(line, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        cells = tuple((*key, value) for value in rows[category])
        total = sum(int(truth.get(cell, 0)) for cell in cells)
        observations.append(Observation(f"{key} total", cells, float(total), (block, key)))
        for value, n in zip(rows[category], rows["educators"]):
            observations.append(Observation(f"{key} {value}", ((*key, value),), None if pd.isna(n) else float(n),
                                            (block, key)))
    return observations


def test_levels_of_use_and_rating_distribution_give_no_withheld_educator_count_away(practice):
    from kit.stages.s4_educator_practice.analysis import latest_ratings, levels_of_use, rating_distribution

    observations, scale, _, _ = practice
    seen = observations[observations["level_of_use"].notna()].sort_values("date", kind="stable")
    levels = seen.drop_duplicates(["educator_id", "window"], keep="last")
    truth = levels.groupby(["window", levels["level_of_use"].astype(str)]).size()
    found = one_way_views(levels_of_use(observations), ["window"], "level", truth, "levels of use")
    ratings = latest_ratings(observations, scale).groupby(["component", "window", "rating"]).size()
    found += one_way_views(rating_distribution(observations, scale), ["component", "window"], "rating", ratings,
                           "ratings")
    every = {**{k: int(v) for k, v in truth.items()}, **{k: int(v) for k, v in ratings.items()}}
    report = attack(found, every, threshold=EDUCATORS.min_group_size)
    assert len(report)
    leaks = report[report["exact"] | report["narrowed"]]
    assert leaks.empty, leaks.head(10).to_string()


def at_line_views(fidelity: pd.DataFrame, staff: pd.DataFrame, line: float = 0.8):
    """The fidelity-by-group tables' counts of educators at or above the line (share x educators of
    every shown row), over microcells (window, school, role, hours band, at the line or not)."""
    from kit.stages.s4_educator_practice.analysis import fidelity_by_group

    joined = fidelity.merge(staff[["educator_id", *GROUPINGS]], on="educator_id", how="inner")
    joined["at_line"] = joined["fidelity"] >= line - 1e-9
    truth, observations = window_totals(joined, ["window", *GROUPINGS, "at_line"])
    for by in GROUPINGS:
        table = fidelity_by_group(fidelity, staff, by, line=line)
        position = 1 + GROUPINGS.index(by)
        for value, window, n, share in zip(table[by], table["window"], table["educators"], table["at_or_above"]):
            cells = tuple(key for key in truth if key[0] == window and key[position] == value)
            observations.append(Observation(f"{window} {by}={value}", cells, None if pd.isna(n) else float(n), window))
            at = tuple(key for key in cells if key[-1])
            observations.append(Observation(f"{window} {by}={value} at the line", at,
                                            None if pd.isna(share) else round(float(share) * float(n)), window))
    return observations, {key: int(n) for key, n in truth.items()}


def test_shares_at_the_line_give_no_withheld_groups_count_at_the_line_away(practice):
    _, _, fidelity, staff = practice
    observations, truth = at_line_views(fidelity, staff)
    report = attack(observations, truth, threshold=EDUCATORS.min_group_size)
    leaks = report[report["exact"]]
    assert leaks.empty, leaks.head(10).to_string()
