"""Stage 5's charts draw what the tables say: withheld values as withheld, breaks as breaks."""

import pandas as pd

from kit.stages.s5_student_results.charts import chain_diagram, gap_change_chart, growth_by_level_chart


def arm_table(suppressed_second=False):
    return pd.DataFrame({"arm": ["at or above the line", "below the line"],
                         "words": ["students of educators at or above the line", "students of educators below the line"],
                         "students": [200, pd.NA if suppressed_second else 80], "educators": [12, 6],
                         "mean_growth": [15.0, None if suppressed_second else 17.0], "low": [14.0, None if suppressed_second else 15.0],
                         "high": [16.0, None if suppressed_second else 19.0], "suppressed": [False, suppressed_second],
                         "note": ["", "withheld: fewer than 10 students" if suppressed_second else ""]})


def test_the_growth_chart_names_the_group_that_grew_most_and_draws_withheld_groups_as_withheld():
    ax = growth_by_level_chart(arm_table())
    assert ax.get_title().startswith("Students of educators below the line grew most: 17.0")
    withheld = growth_by_level_chart(arm_table(suppressed_second=True))
    texts = [text.get_text() for text in withheld.texts]
    assert "withheld: fewer than 10 students" in texts and not any("17.0" in text for text in texts)


def test_the_gap_chart_counts_narrowed_gaps_and_never_draws_a_withheld_one():
    table = pd.DataFrame({"arm": ["high", "high"], "group_column": "el", "group": ["yes", "no"],
                          "n_group": [40, pd.NA], "change": [-4.0, None], "ci_low": [-5.0, None], "ci_high": [-3.0, None],
                          "tolerance": [0.8, 0.8], "verdict": ["narrowed", "not reported"], "suppressed": [False, True],
                          "note": ["", "withheld: fewer than 10 students"]})
    ax = gap_change_chart(table)
    assert ax.get_title() == "Gaps narrowed in 1 of 1 shown (el: yes, high)"
    assert len(ax.lines) + len(ax.collections) >= 1 and "withheld" in [t.get_text() for t in ax.texts]


def test_the_chain_diagram_marks_the_first_link_that_does_not_hold():
    links = pd.DataFrame({"from_step": ["dose", "learning_change"], "to_step": ["learning_change", "practice_change"],
                          "educators": [40, 40], "association": [0.5, 0.05], "low": [0.3, -0.2], "high": [0.7, 0.3],
                          "made_it": [0.5, 0.2], "words": ["", ""]})
    funnel = pd.DataFrame({"step": ["dose", "learning_change", "practice_change"], "words": ["a", "b", "c"],
                           "educators": [40, 40, 40], "moved": [35, 30, pd.NA], "through": [35, 28, pd.NA],
                           "share_through": [0.875, 0.7, None], "suppressed": [False, False, True], "note": ["", "", "w"]})
    ax = chain_diagram(links, funnel)
    assert ax.get_title().startswith("The chain breaks between knowledge and skills and change in practice")
    texts = [text.get_text() for text in ax.texts]
    assert "35 through (88%)" in texts and "withheld" in texts and "rho 0.05\n(-0.20 to 0.30)" in texts
