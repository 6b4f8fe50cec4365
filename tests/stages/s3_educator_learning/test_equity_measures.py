"""Equity-tagged measures: suggestions, tags kept in the workspace, their own section."""

import pandas as pd

from kit.stages.s3_educator_learning.analysis import (change_by_measure, clean_tags, equity_measure_change,
                                                      equity_words, suggest_equity_measures)
from kit.stages.s3_educator_learning.tags import load_equity_tags, save_equity_tags
from kit.workspace import load_settings


def test_suggestions_come_from_the_measure_names():
    names = ["Content knowledge quiz", "Asset-based beliefs scale", "Bias awareness check", "Discourse rubric",
             "Culturally responsive teaching survey"]
    assert suggest_equity_measures(names) == ["Asset-based beliefs scale", "Bias awareness check",
                                              "Culturally responsive teaching survey"]


def test_tags_survive_in_the_workspace_settings():
    assert load_equity_tags() == []
    save_equity_tags(["Beliefs about students survey", " ", "Bias check"])
    assert load_equity_tags() == ["Beliefs about students survey", "Bias check"]
    assert load_settings()["educator_learning_equity_measures"] == ["Beliefs about students survey", "Bias check"]


def test_a_tag_for_a_measure_no_longer_in_the_data_is_ignored():
    assert clean_tags(["Old survey", "Bias check"], ["Bias check", "Quiz"]) == ["Bias check"]


def measures():
    rows = []
    for i in range(8):
        for measure, domain, before, after in (("Beliefs", "dispositions", 10, 14 + i % 2), ("Quiz", "knowledge", 8, 8)):
            rows.append((f"E{i}", "fall", domain, measure, before, 30))
            rows.append((f"E{i}", "spring", domain, measure, after, 30))
    return pd.DataFrame(rows, columns=["educator_id", "window", "domain", "measure", "score", "max_score"])


def test_the_equity_section_holds_only_tagged_measures():
    table = change_by_measure(measures(), "fall", "spring")
    section = equity_measure_change(table, ["Beliefs"])
    assert section["measure"].tolist() == ["Beliefs"] and section["equity"].all()
    words = equity_words(table, ["Beliefs"])
    assert words.startswith("Beliefs rose by 15.0 percentage points (95% interval")
    assert "8 educators" in words


def test_no_tags_says_how_to_tag():
    assert equity_words(change_by_measure(measures(), "fall", "spring"), []).startswith("No measure is tagged")
