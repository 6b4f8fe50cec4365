"""Stage 4's educator shares follow the kit's one top- and bottom-coding rule (`kit.privacy.code_shares`
with educators' unit): a share near 0% or 100% shows only its band, in the words stages 1 and 2 use,
and what a reader works out from a line's total tells no coded or withheld share more closely."""

import pandas as pd
import pytest

from kit.privacy import EDUCATORS, code_share
from kit.stages.s4_educator_practice import analysis as a

AT_LEAST, AT_MOST = "\u2265", "\u2264"


def _ratings(ratings, component="Talk", window="fall"):
    return pd.DataFrame({"educator_id": [f"E{i}" for i in range(len(ratings))], "date": pd.Timestamp("2024-10-01"),
                         "observer_id": "O1", "window": window, "component": component, "rating": ratings})


SCALE = pd.DataFrame({"component": ["Talk"], "top_rating": [4], "acceptable_rating": [3]})


def test_a_group_where_every_educator_is_at_the_line_shows_only_its_band():
    """30 educators at school B, all at the line: 100% of 30 -> the band covers 3 (10%), so "≥90%"."""
    ids = [f"E{i}" for i in range(70)]
    fidelity = pd.DataFrame({"educator_id": ids, "window": "spring", "fidelity": [1.0] * 30 + [0.5, 1.0] * 20})
    staff = pd.DataFrame({"educator_id": ids, "school_id": ["B"] * 30 + ["C"] * 20 + ["D"] * 20})
    table = a.fidelity_by_group(fidelity, staff, "school_id").set_index("school_id")
    assert table.loc["B", "at_or_above_text"] == AT_LEAST + "90%" == code_share(1.0, 30, EDUCATORS)
    assert pd.isna(table.loc["B", "at_or_above"]) and table.loc["B", "educators"] == 30
    # Alone, B's band would be the window's 50 at the line minus C's and D's: exactly 30 of 30. C (the
    # first smallest other) is withheld beside it, and B is then between 27 and 30 as its band says.
    assert table.loc["C", "at_or_above_text"] == "" and table.loc["C", "note"].startswith("withheld to protect")
    assert table.loc["D", "at_or_above_text"] == "50%"


def test_a_rating_nobody_chose_is_withheld_and_one_near_all_educators_shows_only_its_band():
    """A district's rule of 3 educators: 12 educators, 9 rated 4 and 3 rated 3, nobody 1 or 2. Ratings
    1 and 2 are withheld for their numbers, and rating 3 beside them; rating 4's 75% of 12 is in the band
    of 12 (3 left in doubt: 25%), so it reads "≥75%", and its count (9) is not shown either."""
    table = a.rating_distribution(_ratings([4] * 9 + [3] * 3), SCALE, min_educators=3)
    assert table["suppressed"].tolist() == [True, True, True, False]
    top = table.iloc[3]
    assert top["share_text"] == AT_LEAST + "75%" and pd.isna(top["share"]) and pd.isna(top["educators"])
    assert table["share_text"].iloc[:3].tolist() == ["", "", ""]


def test_a_rating_of_nearly_every_educator_is_coded_while_the_others_stay_withheld():
    """40 educators: 37 rated 4 (92.5%, in the band of 40: 8%), 3 rated 3, none below (rule of 3)."""
    table = a.rating_distribution(_ratings([4] * 37 + [3] * 3), SCALE, min_educators=3)
    assert table["share_text"].tolist() == ["", "", "", AT_LEAST + "92%"]
    assert table["educators"].isna().all() and table["share"].isna().all()


def test_with_the_default_rule_a_rating_everybody_chose_is_withheld_with_the_empty_ones():
    table = a.rating_distribution(_ratings([4] * 12), SCALE)
    assert table["suppressed"].all() and (table["share_text"] == "").all() and table["educators"].isna().all()


def test_levels_of_use_code_a_level_nearly_everyone_is_at():
    """Rule of 3: 9 of 12 educators at IVA (75%): "≥75%"; the 3 at III and every empty level withheld."""
    frame = pd.DataFrame({"educator_id": [f"E{i}" for i in range(12)], "date": pd.Timestamp("2024-10-01"),
                          "window": "fall", "level_of_use": ["IVA"] * 9 + ["III"] * 3})
    table = a.levels_of_use(frame, min_educators=3).set_index("level")
    assert table.loc["IVA", "share_text"] == AT_LEAST + "75%" and pd.isna(table.loc["IVA", "educators"])
    assert (table.drop(index="IVA")["share_text"] == "").all() and table.drop(index="IVA")["suppressed"].all()


def test_school_means_near_100_percent_are_coded_and_a_school_beside_them_withheld():
    change = pd.DataFrame({"educator_id": [f"E{i}" for i in range(40)], "fidelity_before": [0.0] * 20 + [0.5] * 20,
                           "fidelity_after": [1.0] * 20 + [0.5] * 20})
    staff = pd.DataFrame({"educator_id": change["educator_id"], "school_id": ["A"] * 20 + ["B"] * 10 + ["C"] * 10})
    table = a.practice_change_by_group(change, staff).set_index("school_id")
    assert table.loc["A", ["fidelity_before_text", "fidelity_after_text"]].tolist() == [AT_MOST + "15%", AT_LEAST + "85%"]
    assert table.loc["A", ["fidelity_before", "fidelity_after"]].isna().all()
    # A alone would be the schools' total minus B and C: B is withheld beside it, C stays shown
    assert table.loc[["B", "C"], "fidelity_after_text"].tolist() == ["", "50%"]


def test_a_shown_share_is_exact_text_and_nothing_is_coded_away_from_the_edges():
    table = a.rating_distribution(_ratings([1] * 10 + [2] * 10 + [3] * 10 + [4] * 10), SCALE)
    assert table["share_text"].tolist() == ["25%"] * 4 and table["educators"].tolist() == [10] * 4


@pytest.mark.parametrize("truth", [[20, 0, 10], [20, 3, 10], [0, 12, 20], [19, 2, 18]])
def test_no_coded_or_withheld_share_is_told_more_closely_than_its_band(truth):
    """A reader who knows the line's total and the coded bands: by brute force over every count each
    hidden row could hold, no coded or withheld row is pinned to a range narrower than its band."""
    import itertools

    import numpy as np

    from kit.stages.s4_educator_practice.analysis._privacy import code_edge_shares

    sizes = [20, 20, 20]
    figures = pd.DataFrame({"window": "fall", "school_id": list("ABC"), "educators": sizes,
                            "at_or_above": [t / n for t, n in zip(truth, sizes)], "suppressed": False, "note": ""})
    table = code_edge_shares(figures, ["at_or_above"], by=["window"])
    known = [(t, t) if not pd.isna(v) else None for t, v in zip(truth, table["at_or_above"])]
    bands = [(0, 3) if text.startswith(AT_MOST) else (17, 20) if text.startswith(AT_LEAST) else (0, 20)
             for text in table["at_or_above_text"]]
    ranges = [k or b for k, b in zip(known, bands)]
    fits = [c for c in itertools.product(*(range(lo, hi + 1) for lo, hi in ranges)) if sum(c) == sum(truth)]
    for row, text in enumerate(table["at_or_above_text"]):
        if known[row] is None:
            values = [c[row] for c in fits]
            assert max(values) - min(values) >= 3, (row, text, values)
    assert np.isnan(table["at_or_above"]).sum() >= 1 or not any(t in (0, 20) for t in truth)


def test_a_link_where_every_educator_moved_on_both_steps_says_only_its_band():
    """12 educators, more hours always with more change: all 12 moved on both? The 6 at or above the
    median hours did; "50% moved on both" is shown exactly, and 100% would read "≥75%"."""
    per = pd.DataFrame({"educator_id": [f"E{i}" for i in range(12)], "hours": range(12),
                        "practice_change": [0.05 * (i + 1) for i in range(12)]})
    words = a.chain_links(per, ["hours", "practice_change"])["words"].iloc[0]
    assert "; 50% moved on both" in words
    row = {"from_step": "learning_change", "to_step": "practice_change", "educators": 12, "association": 0.9,
           "low": 0.6, "high": 1.0, "made_it": 1.0}
    from kit.stages.s4_educator_practice.analysis.chain import link_words

    assert "; " + AT_LEAST + "75% moved on both" in link_words(row, "positive")
