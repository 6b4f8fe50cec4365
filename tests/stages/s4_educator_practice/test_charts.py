"""Stage 4 charts: what they draw and the findings their titles state."""

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd

from kit.apps.components import figure_png
from kit.charts.style import HIGHLIGHT, SERIES, WITHHELD
from kit.stages.s4_educator_practice import charts


def _distribution(suppressed=(False, False, False, False)):
    return pd.DataFrame({"component": ["Talk"] * 4, "window": ["fall", "fall", "spring", "spring"],
                         "rating": [1, 2, 1, 2], "variation": [2, 1, 2, 1], "acceptable": [False, True] * 2,
                         "share": [0.75, 0.25, 0.2, 0.8], "suppressed": list(suppressed)})


def test_ratings_put_unacceptable_shares_left_of_the_line_and_say_how_the_share_moved():
    ax = charts.ratings_chart(_distribution())
    widths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert widths == [-0.75, -0.2, 0.25, 0.8]
    assert ax.get_title(loc="left") == "Ratings at or above the line went from 25% (fall) to 80% (spring)"
    assert figure_png(ax.figure)[:4] == b"\x89PNG"


def test_withheld_ratings_are_drawn_hatched_grey_and_the_title_does_not_use_them():
    table = _distribution(suppressed=(True, True, False, False)).assign(
        share=[np.nan, np.nan, 0.2, 0.8])
    ax = charts.ratings_chart(table)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and mcolors.to_hex(hatched[0].get_facecolor()) == WITHHELD.lower()
    assert "withheld" in ax.get_title(loc="left")


def test_a_coded_rating_has_no_number_to_draw_and_is_hatched_with_the_withheld():
    """Spring's rating 2 reads "≥75%" (its share missing, not withheld for its number): the bar does not
    draw it at a made-up width, and the title does not sum what it cannot see."""
    table = _distribution(suppressed=(False, False, True, False)).assign(share=[0.75, 0.25, np.nan, np.nan],
                                                                         share_text=["75%", "25%", "", "\u226575%"])
    ax = charts.ratings_chart(table)
    assert sorted(round(p.get_width(), 2) for p in ax.patches if not p.get_hatch()) == [-0.75, 0.25]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and round(hatched[0].get_width(), 2) == 1.0
    assert "withheld" in ax.get_title(loc="left")


def test_the_slope_chart_colours_rises_and_falls_and_names_groups_that_did_not_rise():
    change = pd.DataFrame({"school": ["Cedar", "Maple"], "fidelity_before": [0.2, 0.3],
                           "fidelity_after": [0.9, 0.25]})
    ax = charts.fidelity_slope_chart(change, before="fall", after="spring", label_column="school")
    colours = [mcolors.to_hex(line.get_color()) for line in ax.lines[:2]]
    assert colours == [SERIES.lower(), HIGHLIGHT.lower()]
    assert ax.get_title(loc="left").endswith("1 of 2 groups rose (Maple did not)")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["fall", "spring"]


def test_the_chain_chart_marks_a_link_whose_interval_reaches_zero():
    links = pd.DataFrame({"from_step": ["dose", "learning_change"], "to_step": ["learning_change", "practice_change"],
                          "educators": [40, 40], "association": [0.6, 0.1], "low": [0.4, -0.2], "high": [0.75, 0.35]})
    ax = charts.chain_chart(links)
    assert ax.get_title(loc="left") == "The chain breaks between change in knowledge and skills and change in practice"
    assert mcolors.to_hex(ax.lines[2].get_color()) == HIGHLIGHT.lower()


def test_the_access_chart_names_the_largest_clear_gap():
    table = pd.DataFrame({"school_id": ["all schools"] * 3, "group_column": ["low_income"] * 3,
                          "group": ["no", "yes", "not sure"], "share": [0.8, 0.5, np.nan], "gap": [0.3, -0.3, np.nan],
                          "certainty": ["", "clear", ""], "suppressed": [False, False, True]})
    ax = charts.access_chart(table)
    assert ax.get_title(loc="left") == "low income: yes: 30 points less access to effective practice than other students"
    assert [mcolors.to_hex(p.get_facecolor()) for p in ax.patches] == [SERIES.lower(), HIGHLIGHT.lower(),
                                                                        WITHHELD.lower()]
