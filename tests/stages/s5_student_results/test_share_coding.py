"""Stage 5's chain funnel codes shares near 0% and 100% by the kit's one rule (kit.privacy.code_shares,
educators' unit): "every educator took part" reads as a band, in the words and on the chart, never as
"100%", and the count that would give it away is missing."""

import pandas as pd

from kit.stages.s5_student_results.analysis.chain import chain_funnel, where_it_breaks
from kit.stages.s5_student_results.charts import chain_diagram


def twelve_educators(growth):
    """Twelve educators who all took part, grew and improved their practice; `growth` per educator."""
    return pd.DataFrame({"educator_id": [f"E{i:02d}" for i in range(12)], "dose": 6.0, "learning_change": 0.1,
                         "practice_change": 0.2, "practice_level": 1.0, "growth_vs_typical": growth})


def test_a_step_every_educator_made_reads_as_its_band_not_100_percent():
    funnel = chain_funnel(twelve_educators([1.0] * 6 + [-1.0] * 6)).set_index("step")
    # 12 educators: the band covers 3 of them, ceil(100 * 3 / 12) = 25%, so 12 of 12 reads "≥75%".
    assert funnel.loc["dose", "share_through_text"] == "≥75%"
    assert pd.isna(funnel.loc["dose", "share_through"]) and pd.isna(funnel.loc["dose", "through"])
    assert pd.isna(funnel.loc["dose", "moved"])  # 12 moved of 12 recorded is the same 100%
    assert funnel.loc["dose", "educators"] == 12
    # Half of them through the last step: an exact share and its count.
    assert funnel.loc["growth_vs_typical", "share_through_text"] == "50%"
    assert funnel.loc["growth_vs_typical", "through"] == 6


def test_a_large_step_nearly_all_made_reads_as_its_band():
    chain = pd.concat([twelve_educators(1.0)] * 3 + [twelve_educators(1.0).head(4)], ignore_index=True)
    chain["educator_id"] = [f"E{i:02d}" for i in range(len(chain))]
    chain.loc[[0, 1], "growth_vs_typical"] = -1.0  # 38 of 40 through the last step
    funnel = chain_funnel(chain).set_index("step")
    # 40 educators: ceil(100 * 3 / 40) = 8%, so 95% reads "≥92%" and its count 38 is missing.
    assert funnel.loc["growth_vs_typical", "share_through_text"] == "≥92%"
    assert pd.isna(funnel.loc["growth_vs_typical", "through"])
    assert pd.isna(funnel.loc["growth_vs_typical", "moved"])  # 38 of the 40 recorded


def test_the_words_say_the_band_and_never_the_exact_share():
    chain = twelve_educators([1.0] * 6 + [-1.0] * 6)
    links = pd.DataFrame({"from_step": ["dose"], "to_step": ["learning_change"], "educators": [12],
                          "association": [0.5], "low": [0.3], "high": [0.7], "made_it": [1.0], "words": [""]})
    words = where_it_breaks(links, chain_funnel(chain))
    assert "took part in learning (any hours of learning or coaching): ≥75%;" in words
    assert "100%" not in words and "12 (" not in words
    assert "their students grew more than is typical in the district: 6 (50%)" in words


def test_the_chart_draws_a_coded_share_as_its_band():
    chain = twelve_educators([1.0] * 6 + [-1.0] * 6)
    links = pd.DataFrame({"from_step": ["dose"], "to_step": ["learning_change"], "educators": [12],
                          "association": [0.5], "low": [0.3], "high": [0.7], "made_it": [1.0], "words": [""]})
    ax = chain_diagram(links, chain_funnel(chain))
    texts = [text.get_text() for text in ax.texts]
    assert "≥75% through" in texts and "6 through (50%)" in texts
    assert not any("100%" in text or "12 through" in text for text in texts + [ax.get_title()])
