"""The standards as data, and the self-assessment summaries on examples worked by hand."""

import ast
import math
from pathlib import Path

import pandas as pd
import pytest

from kit import standards
from kit.stages.s2_professional_learning.analysis.standards_assessment import (change_since, group_summary, pairwise_agreement, rater_agreement,
                                               rwg, standard_summary, strengths_and_focus)

KIT = Path(__file__).resolve().parents[2] / "kit"


def ratings(**by_standard):
    """ratings(evidence=[3, 3, 4]) -> one row per rater (r1, r2, ...) and standard."""
    return pd.DataFrame([{"standard_id": standard_id.replace("_", "-"), "rater": f"r{number + 1}", "rating": value}
                         for standard_id, values in by_standard.items() for number, value in enumerate(values)])


# -- the standards as data --------------------------------------------------------------------------
def test_the_eleven_standards_in_their_three_groups_are_complete():
    assert len(standards.STANDARDS) == 11 and len(set(standards.STANDARD_IDS)) == 11
    assert [len(standards.standards_in_group(group)) for group in standards.GROUPS] == [3, 4, 4]
    relabelled = {s.label: s.later_label for s in standards.STANDARDS if s.later_label}
    assert relabelled == {"Equity Practices": "Learning Practices", "Equity Drivers": "Learning Drivers",
                          "Equity Foundations": "Learning Foundations"}
    assert all(s.summary.endswith(".") for s in standards.STANDARDS)
    for s in standards.STANDARDS:
        assert standards.match_standard(s.label) == standards.match_standard(s.id) == s.id
        assert not s.later_label or standards.match_standard(s.later_label.upper()) == s.id


def test_the_rating_scale_has_four_described_levels():
    assert standards.RATING_VALUES == (1, 2, 3, 4)
    assert all(level.name and level.description for level in standards.RATING_SCALE)
    assert standards.rating_name(3) == "Meeting"


def _string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_no_module_but_kit_standards_names_a_standard():
    """No string in kit/ (outside kit/standards.py) holds a standard's label of several words, and
    no module has strings naming two or more standards: a second list of names. One plain word that
    happens to be a label ("Evidence" on a text box) is allowed."""
    names = {s.label for s in standards.STANDARDS} | {s.later_label for s in standards.STANDARDS if s.later_label}
    multiword = {name for name in names if " " in name}
    found = []
    for path in KIT.rglob("*.py"):
        if path == KIT / "standards.py":
            continue
        texts = list(_string_constants(path))
        found += [f"{path.relative_to(KIT)}: {text[:60]!r}" for text in texts if any(name in text for name in multiword)]
        single = sorted({text for text in texts if text in names})
        if len(single) > 1:
            found.append(f"{path.relative_to(KIT)}: {single}")
    assert found == []


# -- one standard at a time -------------------------------------------------------------------------
def test_three_raters_one_point_apart_agree_within_one_but_rarely_exactly():
    row = standard_summary(ratings(evidence=[3, 3, 4])).set_index("standard_id").loc["evidence"]
    assert row["raters"] == 3 and row["mean"] == 3.33 and row["median"] == 3.0
    assert (row["lowest"], row["highest"], row["spread"]) == (3, 4, 1)
    assert row["exact_agreement"] == 0.33       # 1 of 3 pairs: (3, 3)
    assert row["within_one_agreement"] == 1.0   # all 3 pairs
    assert row["rwg"] == 0.73                   # 1 - (1/3) / 1.25
    assert (row["level"], row["verdict"]) == ("Meeting", "strength")


def test_raters_far_apart_have_no_agreement_beyond_chance():
    row = standard_summary(ratings(leadership=[1, 2, 4])).set_index("standard_id").loc["leadership"]
    assert row["exact_agreement"] == 0.0 and row["within_one_agreement"] == 0.33
    assert row["rwg"] == 0.0  # variance 7/3 is more than the 1.25 of ratings spread evenly
    assert row["spread"] == 3 and row["verdict"] == "developing"


def test_every_standard_is_listed_and_unrated_ones_say_so():
    summary = standard_summary(ratings(evidence=[3]))
    assert summary["standard_id"].tolist() == list(standards.STANDARD_IDS)
    unrated = summary.set_index("standard_id").loc["resources"]
    assert unrated["raters"] == 0 and math.isnan(unrated["mean"]) and unrated["verdict"] == "not rated"
    assert math.isnan(summary.set_index("standard_id").loc["evidence", "exact_agreement"])  # one rater: no pairs


def test_pairwise_agreement_and_rwg_on_their_own():
    assert pairwise_agreement([2, 2, 3, 4]) == (6, 0.17, 0.67)
    assert pairwise_agreement([4]) [0] == 0
    assert rwg([2, 2, 2, 2]) == 1.0 and math.isnan(rwg([2]))


def test_a_rating_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="from 1 to 4"):
        standard_summary(ratings(evidence=[5]))


# -- groups, agreement overall, strengths, change ---------------------------------------------------
def test_group_means_pool_every_rating_in_the_group():
    groups = group_summary(ratings(evidence=[3, 3, 4], implementation=[2, 2, 2], leadership=[1, 2, 4])).set_index("group")
    processes = groups.loc[standards.TRANSFORMATIONAL_PROCESSES]
    assert (processes["standards"], processes["standards_rated"], processes["ratings"]) == (4, 2, 6)
    assert processes["mean"] == 2.67 and processes["lowest_standard"] == "Implementation"
    assert groups.loc[standards.RIGOROUS_CONTENT, "standards_rated"] == 0


def test_agreement_over_the_whole_assessment_pools_the_pairs():
    overall = rater_agreement(ratings(evidence=[3, 3, 4], leadership=[1, 2, 4])).iloc[0]
    assert (overall["raters"], overall["standards_rated"], overall["pairs"]) == (3, 2, 6)
    assert overall["exact_agreement"] == 0.17       # 1 of 6 pairs
    assert overall["within_one_agreement"] == 0.67  # 3 + 1 of 6 pairs
    assert overall["mean_rwg"] == pytest.approx((0.73 + 0.0) / 2, abs=0.006)
    assert overall["widest_spread"] == "Leadership"


def test_strengths_come_first_and_focus_areas_last():
    table = strengths_and_focus(ratings(evidence=[3, 4], resources=[1, 2], leadership=[2, 3]))
    assert table["standard"].tolist() == ["Evidence", "Leadership", "Resources"]
    assert table["verdict"].tolist() == ["strength", "developing", "focus area"]


def test_change_since_the_previous_cycle_per_standard():
    change = change_since(ratings(evidence=[3, 4], leadership=[2]), ratings(evidence=[2, 2], resources=[3]))
    change = change.set_index("standard_id")
    assert change.loc["evidence", "change"] == 1.5 and change.loc["evidence", "direction"] == "up"
    assert math.isnan(change.loc["leadership", "change"]) and change.loc["leadership", "direction"] == ""
