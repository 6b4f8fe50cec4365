"""Stage 3 codes educator shares near 0% and 100% by the kit's one rule (kit.privacy.code_shares,
educators' unit: a coded share leaves at least 3 educators in doubt): "every educator in school A
improved" reads as a band, never "100%", in the analysis (`<column>_text`) and in the app's tables."""

import pandas as pd
import pytest

from kit.stages.s3_educator_learning.analysis import change_by_hours_band, change_by_measure
from kit.stages.s3_educator_learning.analysis.withholding import code_edge_shares
from kit.stages.s3_educator_learning.app import _shares_shown, change_table_html

WITHHELD = "withheld to protect groups of fewer than 5 educators"


def quiz(changes, before=None):
    """One quiz out of 20, fall to spring: educator i scores `before[i]` (10 by default), then that plus `changes[i]`."""
    before = before or [10] * len(changes)
    rows = []
    for i, (start, change) in enumerate(zip(before, changes)):
        rows.append((f"E{i:02d}", "fall", "knowledge", "Quiz", start, 20))
        rows.append((f"E{i:02d}", "spring", "knowledge", "Quiz", start + change, 20))
    return pd.DataFrame(rows, columns=["educator_id", "window", "domain", "measure", "score", "max_score"])


def three_schools():
    """36 educators, 12 per school: all 12 of school A improved, half of B and half of C."""
    changes = [2] * 12 + [2, -1] * 6 + [2, -1] * 6
    staff = pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(36)], "school_id": ["A"] * 12 + ["B"] * 12 + ["C"] * 12,
                          "role": "teacher"})
    return quiz(changes), staff


def test_a_school_where_every_educator_improved_reads_as_its_band_not_100_percent():
    measures, staff = three_schools()
    table = change_by_measure(measures, "fall", "spring", groups=staff, by="school_id", coded=True).set_index("group")
    # 12 educators: ceil(100 * 3 / 12) = 25%, so 12 of 12 improved reads "≥75%" and its number is missing.
    assert table.loc["A", "share_improved_text"] == "≥75%" and pd.isna(table.loc["A", "share_improved"])
    assert table.loc["A", "mean_change"] == pytest.approx(0.1)  # the means are not near the edges: shown
    # All educators: 24 of 36 improved (67%), shown; so 12 + 6 + 6 = 24 would tell A's 12 exactly if B and
    # C were both shown: the smaller (here the first) of them is withheld beside A, reading like any other.
    assert table.loc["all educators", "share_improved_text"] == "67%"
    assert table.loc["B", "suppressed"] and table.loc["B", "note"] == WITHHELD and pd.isna(table.loc["B", "n"])
    assert table.loc["C", "share_improved_text"] == "50%" and not table.loc["C", "suppressed"]


def test_the_app_table_shows_the_band_and_never_100_percent():
    measures, staff = three_schools()
    html = change_table_html(change_by_measure(measures, "fall", "spring", groups=staff, by="school_id", coded=True))
    assert "≥75%" in html and "100%" not in html and "67%" in html


def test_a_mean_at_the_top_of_the_scale_is_coded_with_the_change_that_would_tell_it():
    # 12 educators, all at 20 of 20 in spring: the mean after is 100% of the maximum.
    table = change_by_measure(quiz([10] * 12), "fall", "spring", coded=True).iloc[0]
    assert table["mean_before_text"] == "50%" and table["mean_after_text"] == "≥75%"
    assert pd.isna(table["mean_after"])
    # before 50% and a change of +50 points would give 100% back: the change and its interval go too.
    assert table[["mean_change", "ci_low", "ci_high", "standardised_change"]].isna().all()
    assert table["verdict"] == "higher" and table["share_improved_text"] == "≥75%"


def test_without_coding_the_table_is_as_before():
    table = change_by_measure(quiz([10] * 12), "fall", "spring").iloc[0]
    assert table["mean_after"] == 1.0 and "mean_after_text" not in table


def test_an_hours_band_where_every_educator_improved_reads_as_its_band():
    changes = [-1, 1, -1, 1, -1, 1] + [2] * 6
    hours = pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(12)], "hours": [1, 2, 3, 4, 5, 6] + [20] * 6})
    table = change_by_hours_band(quiz(changes), hours).set_index("band")
    assert table.loc["many", "share_improved_text"] == "≥50%"  # 6 of 6: ceil(100 * 3 / 6) = 50%
    assert pd.isna(table.loc["many", "share_improved"])
    assert table.loc["some", "share_improved_text"] == "≤50%"  # 3 of 6 is within the band too
    assert _shares_shown(table, "share_improved").tolist() == ["≤50%", "≥50%"]


def test_a_reader_of_the_line_total_cannot_narrow_a_coded_share_below_its_band():
    # Brute force: every split of the line's improved count between the coded and the withheld rows.
    figures = pd.DataFrame({"measure": "Quiz", "group": ["A", "B", "C"], "n": [12, 12, 12],
                            "share_improved": [1.0, 0.5, 0.5]})
    coded = code_edge_shares(figures.assign(suppressed=False, note=""), ["share_improved"], figures=figures,
                             by=["measure"])
    total = 24  # the all-educators row: 24 of 36
    shown = coded.loc[coded["share_improved"].notna()]
    left = total - int((shown["share_improved"] * shown["n"]).sum())
    others = [range(0, 13)] * (coded["share_improved"].isna().sum() - 1)  # each withheld row: 0 to 12
    possible_a = {a for a in range(9, 13) if any(left - a == sum(split) for split in _splits(others))}
    assert coded["share_improved_text"].tolist()[0] == "≥75%"
    assert possible_a == {9, 10, 11, 12}  # "≥75%" of 12: the reader learns no more than the band


def _splits(ranges):
    if not ranges:
        yield ()
        return
    for first in ranges[0]:
        for rest in _splits(ranges[1:]):
            yield (first, *rest)


@pytest.mark.slow
def test_the_app_on_the_sample_shows_schools_where_every_educator_improved_as_a_band():
    from tests.stages.s3_educator_learning.test_app import make_app

    app = make_app()
    app.by.value = "school_id"
    assert "≥" in app.change_table.value  # the sample's schools where (nearly) every educator improved
    assert ">100%<" not in app.change_table.value and ">0%<" not in app.change_table.value


def test_the_equity_words_say_a_coded_mean_as_its_band():
    from kit.stages.s3_educator_learning.analysis import equity_words

    words = equity_words(change_by_measure(quiz([10] * 12), "fall", "spring", coded=True), ["Quiz"])
    assert words.startswith("Quiz: 50% of the maximum before, ≥75% after (12 educators;")
    assert "100%)" not in words and "after 100%" not in words and "withheld ()" not in words
