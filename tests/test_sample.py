"""The sample district tells the story its generator documents (kit/sample.py)."""

import numpy as np
import pandas as pd
import pytest

from kit.io import open_sample
from kit.sample import BROKEN_CHAIN_SCHOOL, generate_district


@pytest.fixture(scope="module")
def tables():
    return open_sample().tables


def educator_gain(tables, year):
    measures = tables["educator_measures"].assign(
        share=lambda frame: frame["score"] / frame["max_score"])
    by_window = measures.groupby(["educator_id", "window"])["share"].mean().unstack()
    return by_window[f"{year} spring"] - by_window[f"{year} fall"]


def practice_change(tables):
    ratings = tables["observations"].groupby(["educator_id", "window"])["rating"].mean().unstack()
    return ratings["2025-26 spring"] - ratings["2024-25 fall"]


def spearman(x, y):
    return pd.Series(x).corr(pd.Series(y), method="spearman")


def test_more_learning_hours_go_with_larger_gains_in_knowledge_and_skills(tables):
    hours = tables["attendance"].groupby("educator_id")["hours_attended"].sum()
    gain = educator_gain(tables, "2025-26")
    assert spearman(hours.reindex(gain.index, fill_value=0), gain) > 0.4


def test_gains_go_with_practice_change_except_at_the_school_where_the_chain_breaks(tables):
    school = tables["educators"].set_index("educator_id")["school_id"]
    gain = educator_gain(tables, "2024-25") + educator_gain(tables, "2025-26")
    change = practice_change(tables)
    broken = school.reindex(change.index) == BROKEN_CHAIN_SCHOOL
    assert spearman(gain[~broken], change[~broken]) > 0.5
    assert abs(change[broken].mean()) < 0.3 < change[~broken].mean()
    assert gain[broken].mean() > 0.05  # they did learn


def test_students_of_educators_with_stronger_practice_grow_more(tables):
    rosters = tables["rosters"].query("term == '2025-26'")
    spring_practice = tables["observations"].query("window == '2025-26 spring'").groupby("educator_id")["rating"].mean()
    scores = tables["assessments"].pivot_table(index=["student_id", "subject"], columns="window", values="score",
                                               observed=True)
    growth = (scores["2025-26 spring"] - scores["2025-26 fall"]).rename("growth").reset_index()
    joined = growth.merge(rosters, on=["student_id", "subject"])
    joined["practice"] = joined["educator_id"].map(spring_practice)
    by_educator = joined.groupby("educator_id")[["growth", "practice"]].mean()
    assert spearman(by_educator["practice"], by_educator["growth"]) > 0.4


def gap(tables, group, window):
    students = tables["students"].set_index("student_id")[group]
    scores = tables["assessments"].query("window == @window")
    in_group = scores["student_id"].map(students).astype(bool)
    return scores.loc[~in_group, "score"].mean() - scores.loc[in_group, "score"].mean()


def test_groups_start_behind_and_only_some_gaps_narrow(tables):
    for group in ("english_learner", "disability", "low_income"):
        assert gap(tables, group, "2024-25 fall") > 4
    english_learners = gap(tables, "english_learner", "2025-26 spring") / gap(tables, "english_learner", "2024-25 fall")
    disability = gap(tables, "disability", "2025-26 spring") / gap(tables, "disability", "2024-25 fall")
    assert english_learners < 0.5
    assert disability > 0.85


def test_the_same_seed_gives_the_same_district_and_another_seed_another():
    first, again, other = generate_district(800, seed=3), generate_district(800, seed=3), generate_district(800, seed=4)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["assessments"]["score"].equals(other["assessments"]["score"])


def test_generator_scales_up_with_the_documented_proportions():
    tables = generate_district(20_000, seed=1)
    assert len(tables["students"]) == 20_000
    assert len(tables["schools"]) == 40 and len(tables["educators"]) == 800
    assert len(tables["assessments"]) == 20_000 * 2 * 6
    assert np.isin(tables["rosters"]["educator_id"].astype(str), tables["educators"]["educator_id"]).all()
