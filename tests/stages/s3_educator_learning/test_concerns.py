"""Stages of Concern: scoring against hand-scored responses, the missing-item rule, norms, peaks, groups."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.errors import DataError
from kit.instruments import CONCERNS_STAGES
from kit.stages.s3_educator_learning.analysis import (COACHING_MOVES, check_norm_table, group_profiles, peak_counts,
                                                      peak_stages, profile_words, profiles, read_norm_table,
                                                      score_concerns, unscored)

# The item key exactly as DESIGN.md section 5 lists it (Hall, George and Rutherford 1977).
DESIGN_KEY = {0: (3, 12, 21, 23, 30), 1: (6, 14, 15, 26, 35), 2: (7, 13, 17, 28, 33), 3: (4, 8, 16, 25, 34),
              4: (1, 11, 19, 24, 32), 5: (5, 10, 18, 27, 29), 6: (2, 9, 20, 22, 31)}


def test_the_kits_item_key_is_the_published_one():
    assert {stage: items for stage, (_, items) in CONCERNS_STAGES.items()} == DESIGN_KEY
    assert sorted(item for items in DESIGN_KEY.values() for item in items) == list(range(1, 36))


def response(educator="E1", window="fall", **answers):
    return {"educator_id": educator, "window": window, **{f"q{i}": answers.get(f"q{i}", 0) for i in range(1, 36)}}


def item_mod_8(**changes):
    """Set B: each item answered with its number modulo 8 (q1=1 ... q7=7, q8=0, q9=1 ...)."""
    answers = {f"q{i}": i % 8 for i in range(1, 36)}
    answers.update(changes)
    return answers


def scores_of(*rows):
    return score_concerns(pd.DataFrame(list(rows)))


def test_all_sevens_score_35_on_every_stage():
    row = scores_of(response(**{f"q{i}": 7 for i in range(1, 36)})).iloc[0]
    assert [row[f"stage_{s}"] for s in range(7)] == [35] * 7


def test_hand_scored_response_set_b():
    # By hand from the key: stage 0 = q3 3 + q12 4 + q21 5 + q23 7 + q30 6 = 25; stage 1 = 6+6+7+2+3 = 24;
    # stage 2 = 7+5+1+4+1 = 18; stage 3 = 4+0+0+1+2 = 7; stage 4 = 1+3+3+0+0 = 7; stage 5 = 5+2+2+3+5 = 17;
    # stage 6 = 2+1+4+6+7 = 20.
    row = scores_of(response(**item_mod_8())).iloc[0]
    assert [row[f"stage_{s}"] for s in range(7)] == [25, 24, 18, 7, 7, 17, 20]
    assert row["scored"] and row["reason"] == ""


def test_one_missing_item_is_prorated_from_the_other_four():
    # Stage 0 without q30: (3 + 4 + 5 + 7) * 5 / 4 = 23.75, scored as 24.
    row = scores_of(response(**item_mod_8(q30=None))).iloc[0]
    assert row["stage_0"] == 24 and row["stage_1"] == 24 and row["scored"]


def test_a_half_rounds_up_as_by_hand():
    # Stage 2 with q7 = 1, q13 = 1, q17 missing, q28 = q33 = 0: 2 * 5 / 4 = 2.5, scored 3 (not banker's 2).
    row = scores_of(response(q7=1, q13=1, q17=None)).iloc[0]
    assert row["stage_2"] == 3


def test_two_missing_items_in_one_stage_leave_the_response_unscored():
    frame = scores_of(response(**item_mod_8(q21=None, q30=None)), response("E2", **item_mod_8()))
    first = frame.iloc[0]
    assert not first["scored"] and all(pd.isna(first[f"stage_{s}"]) for s in range(7))
    assert first["reason"] == "stage 0 (Unconcerned) has 3 of 5 answered"
    assert unscored(frame)[["educator_id", "reason"]].values.tolist() == [
        ["E1", "stage 0 (Unconcerned) has 3 of 5 answered"]]
    assert frame.iloc[1]["scored"]


def test_a_blank_questionnaire_names_every_stage():
    blank = scores_of(response(**{f"q{i}": None for i in range(1, 36)})).iloc[0]
    assert blank["reason"].count("has 0 of 5 answered") == 7


def test_a_missing_item_column_is_refused():
    frame = pd.DataFrame([response()]).drop(columns="q17")
    with pytest.raises(DataError, match="no column q17"):
        score_concerns(frame)


def norm_table(**overrides):
    rows = {"raw_score": list(range(36))}
    for stage in range(7):
        rows[f"stage_{stage}"] = [min(100, 3 * raw + stage) for raw in range(36)]
    rows.update(overrides)
    return pd.DataFrame(rows)


def test_a_valid_norm_table_gives_percentiles():
    table, problems = check_norm_table(norm_table())
    assert problems == [] and table.shape == (36, 7)
    profile = profiles(scores_of(response(**item_mod_8())), table)
    stage_0 = profile[profile["stage"] == 0].iloc[0]
    assert stage_0["raw"] == 25 and stage_0["percentile"] == 75 and stage_0["intensity"] == 75
    assert stage_0["scale"] == "percentile (from your norm table)"


def test_without_norms_profiles_are_raw_and_say_so():
    profile = profiles(scores_of(response(**item_mod_8())))
    assert profile["percentile"].isna().all() and (profile["intensity"] == profile["raw"]).all()
    assert set(profile["scale"]) == {"raw score (0-35)"}


def messages(problems):
    return [p.message for p in problems]


def test_norm_table_problems_are_all_collected_with_rows():
    bad = norm_table()
    bad["stage_3"] = bad["stage_3"].astype(object)
    bad.loc[4, "stage_3"] = "n/a"
    bad.loc[6, "stage_1"] = 140
    bad.loc[35, "raw_score"] = 34
    table, problems = check_norm_table(bad, "norms.csv")
    assert table is None
    assert sorted(messages(problems)) == sorted([
        "Row 6: stage_3 is 'n/a', not a number.",
        "Row 8: the percentile for stage 1 is 140; percentiles run from 0 to 100.",
        "Raw score 34 appears more than once.",
        "The norm table has no row for raw score 35.",
    ])
    assert all(p.file == "norms.csv" for p in problems)


def test_a_missing_stage_column_is_named():
    _, problems = check_norm_table(norm_table().drop(columns="stage_6"))
    assert messages(problems) == ["The norm table has no stage_6 column."]


def test_percentiles_that_go_down_are_refused():
    _, problems = check_norm_table(norm_table(stage_2=[50] * 20 + [40] * 16))
    assert messages(problems) == ["Stage 2's percentile goes down at raw score 20."]


def test_a_norm_file_is_read_with_numbered_columns():
    text = "raw,0,1,2,3,4,5,6\n" + "\n".join(",".join([str(r)] + [str(min(99, 2 * r))] * 7) for r in range(36))
    table, problems = read_norm_table(text.encode(), "norms.csv")
    assert problems == [] and table.loc[10, 4] == 20


def test_an_empty_norm_file_is_refused_in_words():
    table, problems = read_norm_table(b"", "norms.csv")
    assert table is None and messages(problems) == ["norms.csv is empty."]


def test_peak_and_second_highest_stage():
    peaks = peak_stages(profiles(scores_of(response(**item_mod_8()))))
    assert peaks[["peak_stage", "peak_name", "second_stage", "second_name", "tied"]].values.tolist() == [
        [0, "Unconcerned", 1, "Informational", False]]


def test_a_tie_names_the_lower_stage_and_says_so():
    answers = {f"q{i}": 1 for i in range(1, 36)}
    answers.update({f"q{i}": 7 for i in DESIGN_KEY[3] + DESIGN_KEY[5]})
    peaks = peak_stages(profiles(scores_of(response(**answers))))
    assert peaks[["peak_stage", "second_stage", "tied"]].values.tolist() == [[3, 5, True]]


def group_responses():
    rows, groups = [], []
    for i in range(12):
        school = "S1" if i < 3 else ("S2" if i < 8 else "S3")
        groups.append({"educator_id": f"E{i}", "school_id": school})
        self_concerns = {f"q{item}": 6 for stage in (0, 1, 2) for item in DESIGN_KEY[stage]}
        impact = {f"q{item}": 6 for stage in (3, 4, 5) for item in DESIGN_KEY[stage]}
        rows.append(response(f"E{i}", "fall", **self_concerns))
        rows.append(response(f"E{i}", "spring", **impact))
    return score_concerns(pd.DataFrame(rows)), pd.DataFrame(groups)


def test_group_profiles_pre_and_post():
    scores, _ = group_responses()
    profile = group_profiles(scores, ["fall", "spring"])
    fall = profile[profile["window"] == "fall"].set_index("stage")
    assert fall.loc[0, "raw"] == 30 and fall.loc[3, "raw"] == 0 and fall.loc[0, "n"] == 12
    words = profile_words(profile, "fall", "spring")
    assert words.startswith("The peak concern moved from stage 0 (Unconcerned) in fall to stage 3 (Management) in spring")
    assert "no norm table was supplied" in words
    assert COACHING_MOVES[3] in words


def test_a_school_under_five_educators_is_withheld_in_group_profiles():
    scores, groups = group_responses()
    profile = group_profiles(scores, ["fall"], groups=groups, by="school_id")
    withheld = profile.groupby("group")["suppressed"].all()
    assert withheld["S1"] and withheld.sum() == 2     # S1 (3 educators) and a partner
    assert profile.loc[profile["suppressed"], "raw"].isna().all()


def test_peak_counts_withhold_small_counts():
    scores, _ = group_responses()
    counts = peak_counts(scores, "spring")
    # All 12 peak at stage 3: the six empty stages are withheld, and 12 with them (12 - 12 would say 0).
    assert counts["stage"].tolist() == list(range(7)) and counts["suppressed"].all()
    assert counts["coaching_move"].iloc[3] == COACHING_MOVES[3]


def test_every_stage_has_a_coaching_move():
    assert sorted(COACHING_MOVES) == list(range(7)) and all(len(move) > 40 for move in COACHING_MOVES.values())


def score_by_hand(answers):
    """An independent scorer written from DESIGN.md's key and the stated rule, one response at a time."""
    stages = {}
    for stage, items in DESIGN_KEY.items():
        given = [answers[f"q{item}"] for item in items if answers[f"q{item}"] is not None]
        if len(given) < 4:
            return None
        total = sum(given) * 5 / len(given)
        stages[stage] = int(total) + (1 if total - int(total) >= 0.5 else 0)
    return stages


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=35, max_size=35), st.sets(st.integers(1, 35), max_size=9))
def test_scoring_matches_an_independent_scorer(values, missing):
    answers = {f"q{i + 1}": None if i + 1 in missing else value for i, value in enumerate(values)}
    row = scores_of(response(**answers)).iloc[0]
    expected = score_by_hand(answers)
    assert bool(row["scored"]) == (expected is not None)
    if expected is not None:
        assert {stage: int(row[f"stage_{stage}"]) for stage in range(7)} == expected
