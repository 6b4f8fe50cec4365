"""The whole chain on frames built by hand, gap change by group of educators, and the cost figures."""

import numpy as np
import pandas as pd
import pytest

from kit.stages.s5_student_results.analysis.chain import (chain_funnel, follow_educator, growth_for_chain,
                                                          whole_chain, whole_chain_links, where_it_breaks)
from kit.stages.s5_student_results.analysis.cost import learning_cost
from kit.stages.s5_student_results.analysis.gaps import compare_arms, gap_change_by_arm


def hand_chain(n=30, seed=3, break_practice=False):
    """Educators whose steps follow each other, except practice when `break_practice`."""
    rng = np.random.default_rng(seed)
    dose = rng.uniform(0, 20, n)
    learning = 0.01 * dose + rng.normal(0, 0.02, n)
    practice = rng.normal(0, 0.1, n) if break_practice else 3 * learning + rng.normal(0, 0.03, n)
    level = 0.5 + practice + rng.normal(0, 0.05, n)
    growth = 10 * level - 7 + rng.normal(0, 0.5, n)
    return pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(n)], "hours": dose, "coaching_hours": np.nan,
                         "dose": dose, "learning_change": learning, "practice_change": practice,
                         "practice_level": level, "students": 20, "mean_growth": growth + 5,
                         "growth_vs_typical": growth})


def test_every_link_holds_when_each_step_follows_the_one_before():
    chain = hand_chain()
    links = whole_chain_links(chain)
    assert links[["from_step", "to_step"]].values.tolist() == [
        ["dose", "learning_change"], ["learning_change", "practice_change"], ["practice_level", "growth_vs_typical"]]
    assert (links["low"] > 0).all()
    assert where_it_breaks(links, chain_funnel(chain)).startswith("The chain holds")


def test_the_break_is_named_where_practice_stops_following_learning():
    chain = hand_chain(break_practice=True)
    words = where_it_breaks(whole_chain_links(chain), chain_funnel(chain))
    assert words.startswith("The chain breaks between knowledge and skills and change in practice")
    assert "not proof" in words


def test_the_funnel_counts_educators_through_every_step_so_far():
    chain = pd.DataFrame({"educator_id": [f"E{i}" for i in range(8)],
                          "dose": [5, 5, 5, 5, 5, 5, 0, 5], "learning_change": [0.1] * 6 + [0.1, -0.1],
                          "practice_change": [0.2, 0.2, 0.2, 0.2, 0.2, 0.0, 0.2, 0.2],
                          "practice_level": [1, 1, 1, 1, 1, 1, 1, 1], "growth_vs_typical": [1, 1, 1, 1, -1, 1, 1, 1]})
    # Five educators like each of the eight: 40, so no share lies in the coded band (8% at 40 educators).
    many = pd.concat([chain.assign(educator_id=chain["educator_id"] + f"-{copy}") for copy in range(5)])
    funnel = chain_funnel(many, min_educators=1).set_index("step")
    assert funnel["through"].tolist() == [35, 30, 25, 25, 20]
    assert funnel.loc["growth_vs_typical", "share_through"] == pytest.approx(4 / 8)
    withheld = chain_funnel(chain)  # educators' threshold 5: steps with 4 educators through are withheld
    assert withheld.set_index("step").loc["growth_vs_typical", "suppressed"]
    assert pd.isna(withheld.set_index("step").loc["growth_vs_typical", "through"])


def test_following_one_educator_shows_their_steps_beside_the_median():
    chain = hand_chain()
    mine = follow_educator(chain, "E03").set_index("step")
    assert mine.loc["dose", "value"] == chain.loc[3, "dose"]
    assert mine.loc["dose", "median"] == pytest.approx(chain["dose"].median())
    assert follow_educator(chain, "nobody").empty


def test_growth_for_the_chain_is_relative_to_each_subjects_typical_growth():
    growth = pd.DataFrame({"student_id": ["S1", "S2", "S1", "S2"], "subject": ["math", "math", "reading", "reading"],
                           "growth": [10.0, 6.0, 30.0, 10.0]})
    rosters = pd.DataFrame({"student_id": ["S1", "S2"], "educator_id": ["E1", "E2"], "subject": "all subjects"})
    table = growth_for_chain(growth, rosters).set_index("educator_id")
    assert table.loc["E1", "growth_vs_typical"] == pytest.approx((2.0 + 10.0) / 2)
    assert table.loc["E1", "students"] == 2
    chain = whole_chain(pd.DataFrame({"educator_id": ["E1"], "dose": [3.0]}), table.reset_index())
    assert chain["educator_id"].tolist() == ["E1", "E2"]


def gap_frame(extra_growth_high, extra_growth_low, n=60, seed=5):
    rng = np.random.default_rng(seed)
    rows = []
    for arm, extra in (("at or above the line", extra_growth_high), ("below the line", extra_growth_low)):
        el = np.array(["yes"] * (n // 3) + ["no"] * (n - n // 3))
        before = np.where(el == "yes", 190.0, 200.0) + rng.normal(0, 8, n)
        growth = 6.0 + np.where(el == "yes", extra, 0.0) + rng.normal(0, 1.5, n)
        rows.append(pd.DataFrame({"arm": arm, "el": el, "score_before": before, "growth": growth,
                                  "score_after": before + growth}))
    return pd.concat(rows, ignore_index=True)


def test_the_gap_change_equals_the_difference_in_growth_and_is_judged_with_the_tolerance():
    frame = gap_frame(5.0, 0.0)
    table = gap_change_by_arm(frame, "el").set_index("arm")
    high = frame[frame["arm"] == "at or above the line"]
    growth_gap = high.loc[high["el"] == "yes", "growth"].mean() - high.loc[high["el"] == "no", "growth"].mean()
    gap_before = high.loc[high["el"] == "yes", "score_before"].mean() - high.loc[high["el"] == "no", "score_before"].mean()
    assert table.loc["at or above the line", "gap_after"] - gap_before == pytest.approx(growth_gap)
    assert table.loc["at or above the line", "verdict"] == "narrowed"
    assert table.loc["below the line", "verdict"] == "about the same"
    assert list(table["group"]) == ["yes", "yes"]  # a yes/no column shows the "yes" gap only
    words = compare_arms(table.reset_index(), "at or above the line", "below the line").loc[0, "words"]
    assert "narrowed more" in words and "not proof" in words


def test_gaps_of_small_groups_are_withheld():
    frame = gap_frame(5.0, 0.0, n=24)  # 8 English learners per arm
    table = gap_change_by_arm(frame, "el")
    assert table["suppressed"].all() and table["gap_before"].isna().all() and table["n_group"].isna().all()
    assert compare_arms(table, "at or above the line", "below the line").empty


def test_cost_per_hour_and_per_educator_at_fidelity_with_an_entered_cost():
    activities = pd.DataFrame({"activity_id": ["A1", "A2", "A3"], "cost": [1200.0, None, None]})
    attendance = pd.DataFrame({"activity_id": ["A1", "A1", "A2", "A3"], "educator_id": ["E1", "E2", "E1", "E3"],
                               "hours_attended": [3.0, 3.0, 2.0, 4.0]})
    row = learning_cost(activities, attendance, educators_at_fidelity=6, entered={"A2": 300}).iloc[0]
    assert row["total_cost"] == 1500.0 and row["activities_costed"] == 2
    assert row["cost_per_educator_hour"] == pytest.approx(1500 / 8)
    assert row["cost_per_educator_at_fidelity"] == pytest.approx(250.0)
    assert "1 have no cost" in row["words"]
    few = learning_cost(activities, attendance, educators_at_fidelity=3).iloc[0]
    assert pd.isna(few["educators_at_fidelity"]) and pd.isna(few["cost_per_educator_at_fidelity"])
    assert "Fewer than 5 educators" in few["words"]
    none = learning_cost(activities.drop(columns="cost"), attendance).iloc[0]
    assert none["activities_costed"] == 0 and "No activity has a cost" in none["words"]
