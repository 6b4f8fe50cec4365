"""Stage 4 analysis against hand-computed examples and the sample district's planted break."""

import numpy as np
import pandas as pd
import pytest

from kit.privacy import code_shares
from kit.stages.s4_educator_practice import analysis as a
from kit.stages.s4_educator_practice.analysis import observations as obs_mod
from kit.stages.s4_educator_practice.analysis.chain import change_by_group

MAP = [
    {"name": "Talk", "variations": ["all students", "most", "a few", "teacher only"], "acceptable_line": 2},
    {"name": "Tasks", "variations": ["open", "guided", "closed"], "acceptable_line": 1},
]


def _obs(rows):
    frame = pd.DataFrame(rows, columns=["educator_id", "date", "observer_id", "window", "component", "rating"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# -- the practice map's scale -----------------------------------------------------------------------
def test_a_map_rates_its_ideal_variation_highest_and_accepts_down_to_the_line():
    scale = a.practice_scale(MAP)
    assert scale[["component", "top_rating", "acceptable_rating"]].values.tolist() == [
        ["Talk", 4, 3], ["Tasks", 3, 3]]
    assert obs_mod.rating_of_variation(1, 4) == 4 and obs_mod.variation_of_rating(1, 4) == 4


def test_without_a_map_the_upper_half_of_the_ratings_seen_is_assumed_acceptable():
    ratings = _obs([("E1", "2025-01-01", "O1", "fall", "Talk", r) for r in (1, 2, 3, 4)])
    scale = a.practice_scale([], ratings)
    assert scale.loc[0, "acceptable_rating"] == 3 and scale.loc[0, "basis"].startswith("assumed")


def test_ratings_outside_the_map_are_named_and_left_out():
    scale = a.practice_scale(MAP)
    ratings = _obs([("E1", "2025-01-01", "O1", "fall", "Tasks", 4), ("E1", "2025-01-01", "O1", "fall", "Groups", 2),
                    ("E1", "2025-01-01", "O1", "fall", "Talk", 4)])
    problems = a.scale_problems(ratings, scale)
    assert problems[0].startswith('1 rating of "Tasks" is above the map\'s 3 variations')
    assert '("Groups")' in problems[1]
    assert a.fidelity_by_educator(ratings, scale)["components_rated"].tolist() == [1]


# -- merging the file and the app -------------------------------------------------------------------
def test_a_walkthrough_typed_in_the_app_and_also_in_the_file_counts_once_with_the_apps_rating():
    imported = _obs([("E1", "2025-03-02", "O1", "spring", "Talk", 2), ("E1", "2025-03-02", "O1", "spring", "Tasks", 1),
                     ("E2", "2024-10-02", "O1", "fall", "Talk", 1)])
    typed = a.typed_observations([
        {"id": "r1", "educator_id": "E1", "date": "2025-03-02", "observer_id": "O1", "component": "Talk", "rating": 3},
        {"id": "r2", "educator_id": "E1", "date": "2025-03-02", "observer_id": "O1", "component": "Tasks", "rating": 3},
        {"id": "r3", "educator_id": "E3", "date": "2025-03-09", "observer_id": "", "component": "Talk", "rating": 4},
    ])
    merged = a.merge_observations(imported, typed)
    assert len(merged) == 4 and a.walkthrough_count(merged) == 3
    e1 = merged[merged["educator_id"] == "E1"].sort_values("component")
    assert e1["rating"].tolist() == [3, 3] and set(e1["source"]) == {obs_mod.FROM_APP}
    assert merged.loc[merged["educator_id"] == "E3", "window"].item() == "spring"  # nearest imported visits
    assert merged.loc[merged["educator_id"] == "E2", "source"].item() == obs_mod.FROM_FILE


def test_a_rating_saved_twice_in_the_app_keeps_its_last_version():
    typed = a.typed_observations([
        {"id": "r1", "educator_id": "E1", "date": "2025-03-02", "window": "spring", "component": "Talk", "rating": 2},
        {"id": "r2", "educator_id": "E1", "date": "2025-03-02", "window": "spring", "component": "Talk", "rating": 4},
    ])
    merged = a.merge_observations(None, typed)
    assert merged["rating"].tolist() == [4] and merged["record_id"].tolist() == ["r2"]


# -- fidelity -------------------------------------------------------------------------------------------
def test_fidelity_is_the_share_of_components_at_or_above_the_line_counting_the_latest_visit():
    ratings = _obs([
        ("E1", "2024-10-01", "O1", "fall", "Talk", 2), ("E1", "2024-10-01", "O1", "fall", "Tasks", 3),
        ("E1", "2024-10-20", "O2", "fall", "Talk", 3),  # a later visit in the same window replaces Talk's 2
        ("E1", "2025-04-01", "O1", "spring", "Talk", 4), ("E1", "2025-04-01", "O1", "spring", "Tasks", 2),
        ("E2", "2025-04-01", "O1", "spring", "Talk", 1), ("E2", "2025-04-01", "O1", "spring", "Tasks", 1),
    ])
    fidelity = a.fidelity_by_educator(ratings, a.practice_scale(MAP))
    assert fidelity.to_dict("records") == [
        {"educator_id": "E1", "window": "fall", "fidelity": 1.0, "components_rated": 2},
        {"educator_id": "E1", "window": "spring", "fidelity": 0.5, "components_rated": 2},
        {"educator_id": "E2", "window": "spring", "fidelity": 0.0, "components_rated": 2},
    ]
    change = a.practice_change(fidelity)
    assert change.to_dict("records") == [
        {"educator_id": "E1", "fidelity_before": 1.0, "fidelity_after": 0.5, "practice_change": -0.5}]


def test_implementation_uses_the_fidelity_line_and_lists_educators_never_observed():
    fidelity = pd.DataFrame({"educator_id": ["E1", "E2", "E3"], "window": ["spring"] * 3, "fidelity": [0.8, 0.75, 1.0]})
    levels = a.implementation_levels(fidelity, educators=pd.Series(["E1", "E2", "E3", "E4"]))
    assert levels["implementation"].tolist() == [a.AT_OR_ABOVE, a.BELOW, a.AT_OR_ABOVE, a.NOT_OBSERVED]
    assert a.implementation_levels(fidelity, line=0.75)["implementation"].tolist() == [a.AT_OR_ABOVE] * 3


def test_rating_distribution_counts_educators_per_rating_and_withholds_small_cells():
    ratings = _obs([(f"E{i}", "2024-10-01", "O1", "fall", "Talk", rating)
                    for i, rating in enumerate([1] * 6 + [2] * 7 + [3] * 2 + [4] * 5)])
    table = a.rating_distribution(ratings, a.practice_scale(MAP[:1]))
    assert table["rating"].tolist() == [1, 2, 3, 4]
    assert table["acceptable"].tolist() == [False, False, True, True]
    shown = table[~table["suppressed"]]
    assert (shown["educators"].tolist(), shown["share"].round(2).tolist()) == ([6, 7], [0.3, 0.35])
    assert table["suppressed"].tolist() == [False, False, True, True]  # 2, and its partner 5, withheld


def test_fidelity_by_group_withholds_a_group_of_fewer_than_five_educators_and_one_partner():
    ids = [f"E{i}" for i in range(14)]
    fidelity = pd.DataFrame({"educator_id": ids, "window": "spring", "fidelity": [1.0] * 6 + [0.5] * 8})
    staff = pd.DataFrame({"educator_id": ids, "role": ["teacher"] * 6 + ["specialist"] * 5 + ["coach"] * 3})
    table = a.fidelity_by_group(fidelity, staff, "role").set_index("role")
    assert table["suppressed"].to_dict() == {"coach": True, "specialist": True, "teacher": False}
    assert table.loc["teacher", "educators"] == 6
    # Every teacher at the line: 100% would tell each of them their own result, so it shows only its band.
    assert table.loc["teacher", ["fidelity", "at_or_above"]].isna().all()
    assert table.loc["teacher", ["fidelity_text", "at_or_above_text"]].tolist() == ["\u226550%", "\u226550%"]
    assert table.loc["coach", "note"] == table.loc["specialist", "note"] != table.loc["teacher", "note"] == ""


def test_fidelity_by_group_withholds_a_share_the_other_groups_would_give_away():
    """School A's share at the line is 0%: withheld; B's is withheld beside it, else A's 0 of 20 is
    the window's total minus B's and C's."""
    ids = [f"E{i}" for i in range(90)]
    fidelity = pd.DataFrame({"educator_id": ids, "window": "spring",
                             "fidelity": [0.5] * 20 + [1.0] * 15 + [0.5] * 15 + [1.0] * 24 + [0.5] * 16})
    staff = pd.DataFrame({"educator_id": ids, "school_id": ["A"] * 20 + ["B"] * 30 + ["C"] * 40})
    table = a.fidelity_by_group(fidelity, staff, "school_id").set_index("school_id")
    assert table["educators"].tolist() == [20, 30, 40]
    assert table["at_or_above"].isna().tolist() == [True, True, False]
    assert table.loc["C", "at_or_above"] == 0.6


def test_levels_of_use_follow_the_levels_order_and_count_each_educator_once_per_window():
    ids = [f"E{i}" for i in range(12)]
    frame = pd.DataFrame({"educator_id": ids + ["E0"], "date": pd.to_datetime(["2024-10-01"] * 12 + ["2024-10-20"]),
                          "window": "fall", "level_of_use": ["III"] * 6 + ["IVA"] * 6 + ["IVA"]})
    table = a.levels_of_use(frame)
    assert table["level"].tolist() == ["0", "I", "II", "III", "IVA", "IVB", "V", "VI"]
    shown = table[~table["suppressed"]]
    # E0's later visit counts: 7 at IVA; 5 at III would let the empty levels be worked out, so it goes too
    assert dict(zip(shown["level"], shown["educators"])) == {"IVA": 7}
    assert shown["share"].tolist() == [7 / 12]


def test_educators_with_no_observation_are_listed():
    staff = pd.DataFrame({"educator_id": ["E1", "E2", "E3"], "school_id": ["B", "A", "A"], "role": "teacher"})
    assert a.unobserved_educators(staff, pd.DataFrame({"educator_id": ["E2"]}))["educator_id"].tolist() == ["E3", "E1"]


# -- the chain ----------------------------------------------------------------------------------------
def test_coaching_minutes_join_learning_hours_as_dose():
    per = a.chain_per_educator(pd.DataFrame({"educator_id": ["E1", "E2"], "hours": [10.0, 4.0]}), None, None,
                               pd.DataFrame({"educator_id": ["E2", "E3"], "minutes": [120.0, 30.0]}))
    assert per.set_index("educator_id")["dose"].to_dict() == {"E1": 10.0, "E2": 6.0, "E3": 0.5}


def test_a_link_without_an_association_says_the_chain_breaks_there():
    rng = np.random.default_rng(3)
    per = pd.DataFrame({"learning_change": rng.normal(0.1, 0.05, 40), "practice_change": rng.normal(0, 0.2, 40)})
    link = a.chain_links(per, ["learning_change", "practice_change"]).iloc[0]
    assert link["low"] < 0 < link["high"] and link["words"].startswith("The chain breaks here")
    too_few = a.chain_links(per.head(4), ["learning_change", "practice_change"]).iloc[0]
    assert np.isnan(too_few["association"]) and "fewer than 5 educators" in too_few["words"]


def test_made_it_is_the_share_who_moved_on_both_steps():
    per = pd.DataFrame({"hours": [1, 2, 3, 4, 5, 6], "learning_change": [-0.1, 0.1, 0.0, 0.2, 0.3, 0.4]})
    link = a.chain_links(per, ["hours", "learning_change"]).iloc[0]
    assert link["made_it"] == pytest.approx(3 / 6)  # hours at or above the median (3.5) and a gain: 4, 5, 6


@pytest.fixture(scope="module")
def sample():
    from kit.io import open_sample
    return open_sample()


def test_the_planted_school_where_learning_rises_and_practice_does_not_is_found(sample):
    from kit.sample import BROKEN_CHAIN_SCHOOL
    from kit.stages.s3_educator_learning.analysis import educator_hours, educator_learning_change

    observations = a.merge_observations(sample.table("observations"), None)
    scale = a.practice_scale([], observations)
    practice = a.practice_change(a.fidelity_by_educator(observations, scale))
    per = a.chain_per_educator(educator_hours(sample.table("attendance")),
                               educator_learning_change(sample.table("educator_measures")), practice)
    steps = ["dose", "learning_change", "practice_change"]
    breaks = a.chain_breaks(change_by_group(per, sample.table("educators"), steps), steps)
    assert len(breaks) == 1 and breaks[0].startswith(f"At {BROKEN_CHAIN_SCHOOL}, change in knowledge and skills rose")
    links = a.chain_links(per, steps)
    assert links["low"].gt(0).all()  # across the district both links hold


# -- access to effective practice -----------------------------------------------------------------------
def test_access_by_group_matches_a_computation_by_hand():
    rng = np.random.default_rng(7)
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(60)], "school_id": ["A"] * 30 + ["B"] * 30,
                             "low_income": rng.choice(["yes", "no"], 60)})
    rosters = pd.DataFrame({"student_id": np.repeat(students["student_id"], 2).to_numpy(),
                            "educator_id": rng.choice(["E1", "E2", "E3", "E4"], 120),
                            "subject": ["math", "reading"] * 60, "term": "2025-26"})
    levels = pd.DataFrame({"educator_id": ["E1", "E2", "E3", "E4"],
                           "implementation": [a.AT_OR_ABOVE, a.BELOW, a.AT_OR_ABOVE, a.NOT_OBSERVED]})
    table = a.access_by_group(rosters, students, levels, "low_income").set_index(["school_id", "group"])
    effective = {"E1": 1.0, "E2": 0.0, "E3": 1.0}
    for school in ("A", "B"):
        for group in ("no", "yes"):
            shares = []
            for _, student in students[(students.school_id == school) & (students.low_income == group)].iterrows():
                mine = [effective[e] for e in rosters.loc[rosters.student_id == student.student_id, "educator_id"]
                        if e in effective]
                if mine:
                    shares.append(sum(mine) / len(mine))
            row = table.loc[(school, group)]
            assert row["n"] == len(shares)
            if row["suppressed"]:  # withheld beside A's coded share (see below): its count stays
                continue
            shown = code_shares([np.mean(shares)], [len(shares)])  # a share near 0% or 100% at its band's edge
            assert row["share"] == pytest.approx(shown["share_shown"][0])
            assert row["share_text"] == shown["share_text"][0]
    # A's low income "≥78%" beside A's other students and B's groups, with each school's total at the line
    # known: the box of four rows that lets it move over its band withholds the other three shares.
    assert table.loc[("A", "yes"), "share_text"] == "≥78%"
    assert table["suppressed"].tolist() == [True, False, True, True, False, False]


def test_a_gap_in_access_is_named_when_clear_and_small_groups_are_withheld():
    groups = ["yes"] * 30 + ["no"] * 30 + ["yes"] * 4 + ["no"] * 20
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(84)], "school_id": ["A"] * 60 + ["B"] * 24,
                             "english_learner": groups})
    rosters = pd.DataFrame({"student_id": students["student_id"],
                            "educator_id": ["E2"] * 20 + ["E1"] * 10 + ["E1"] * 30 + ["E1"] * 24})
    levels = pd.DataFrame({"educator_id": ["E1", "E2"], "implementation": [a.AT_OR_ABOVE, a.BELOW]})
    table = a.access_by_group(rosters, students, levels, "english_learner")
    everyone = table[(table["school_id"] == "all schools") & (table["group"] == "no")].iloc[0]
    assert everyone["share"] == 0.94 and everyone["share_text"] == "\u226594%"  # top-coded: 3 of 50 left in doubt
    school_b = table[table["school_id"] == "B"]
    assert school_b["suppressed"].all() and school_b["share"].isna().all()
    # B's 4 learners would be the district's 34 minus A's 30: one decision withholds A's cells too.
    assert table[table["school_id"] == "A"]["suppressed"].all()
    # 41% of the district's 34 learners beside the district's 64 students at the line (which any group column
    # shown in full tells) would give the others' 50 back: the learners' share is withheld, its count kept.
    learners = table[(table["school_id"] == "all schools") & (table["group"] == "yes")].iloc[0]
    assert learners["suppressed"] and np.isnan(learners["share"]) and learners["n"] == 34
    assert everyone["gap_text"] != "" and a.access_gap_sentences(table) == []


# -- coaching log -------------------------------------------------------------------------------------------
LOG = [
    {"id": "c1", "educator_id": "E1", "date": "2025-01-06", "minutes": 30, "component": "Talk",
     "cycle_model": "student_centred", "student_target": "explain a strategy", "evidence_pre": "8 of 24"},
    {"id": "c2", "educator_id": "E1", "date": "2025-01-20", "minutes": 20, "component": "Talk"},
    {"id": "c3", "educator_id": "E1", "date": "2025-03-03", "minutes": 25, "cycle_model": "student_centred",
     "student_target": "justify answers", "evidence_pre": "5 of 24", "evidence_post": "20 of 24"},
    {"id": "c4", "educator_id": "E2", "date": "2025-02-01", "minutes": 40, "cycle_model": "impact",
     "student_target": "every student speaks", "evidence_pre": "6 of 25"},
    {"id": "c5", "educator_id": "E2", "date": "2025-02-15", "minutes": 15, "component": "Tasks"},
    {"id": "c6", "educator_id": "E3", "date": "2025-02-15", "minutes": 10},
]


def test_sessions_by_educator_and_dose():
    log = a.coaching_log(LOG)
    table = a.sessions_by_educator(log).set_index("educator_id")
    assert table.loc["E1", ["sessions", "minutes"]].tolist() == [3, 75.0]
    assert a.coaching_dose(log).set_index("educator_id")["minutes"].to_dict() == {"E1": 75.0, "E2": 55.0, "E3": 10.0}


def test_a_new_target_starts_a_new_cycle_and_each_cycle_says_what_it_still_needs():
    cycles = a.coaching_cycles(a.coaching_log(LOG))
    assert cycles[["educator_id", "sessions"]].values.tolist() == [["E1", 2], ["E1", 1], ["E2", 2]]
    assert cycles.loc[0, "missing"] == "student work after (post)"
    assert cycles.loc[1, "missing"] == "a length of 4-6 weeks (this one ran 0)"
    assert cycles.loc[2, "model"].startswith("impact") and cycles.loc[2, "missing"] == "whether the goal was met"


def test_sessions_by_component_withholds_components_coached_with_few_educators():
    table = a.sessions_by_component(a.coaching_log(LOG), min_educators=2).set_index("component")
    assert table["suppressed"].to_dict() == {"Talk": True, "Tasks": True, "no component": False}
    assert table.loc["no component", ["sessions", "educators", "minutes"]].tolist() == [3, 3, 75.0]


def test_fidelity_by_group_judges_the_withheld_groups_together_with_their_own_figures():
    """Coaches (3) and specialists (4) are withheld for their numbers; the teachers' share (50%) is not
    in the band, but the attacker's 7 coaches and specialists (all 7 at the line: the window's 27 minus
    the teachers' 20) are: the teachers' share is withheld too."""
    ids = [f"E{i}" for i in range(47)]
    fidelity = pd.DataFrame({"educator_id": ids, "window": "spring",
                             "fidelity": [1.0] * 20 + [0.5] * 20 + [1.0] * 7})
    staff = pd.DataFrame({"educator_id": ids, "role": ["teacher"] * 40 + ["coach"] * 3 + ["specialist"] * 4})
    table = a.fidelity_by_group(fidelity, staff, "role").set_index("role")
    assert table.loc["teacher", "educators"] == 40
    assert table.loc["teacher", ["fidelity", "at_or_above"]].isna().all()
