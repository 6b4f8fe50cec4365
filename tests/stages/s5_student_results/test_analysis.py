"""The sample district's planted story, as stage 5 finds it (see kit/sample.py's top docstring),
and small groups withheld in every view stage 5 adds."""

import numpy as np
import pandas as pd
import pytest

from kit.sample import BROKEN_CHAIN_SCHOOL, generate_district
from kit.stages.s5_student_results.analysis import comparisons, growth_by, label_students, shown_by_educator, with_students
from kit.stages.s5_student_results.analysis.chain import chain_funnel, school_breaks, whole_chain_links
from kit.stages.s5_student_results.analysis.comparisons import IMPLEMENTATION_LEVELS
from kit.stages.s5_student_results.analysis.evidence import educator_evidence
from kit.stages.s5_student_results.analysis.gaps import gap_change_by_arm

YEAR_TWO = ("2025-26 fall", "2025-26 spring")


@pytest.fixture(scope="module")
def evidence(sample):
    return educator_evidence(sample.tables, *YEAR_TWO)


@pytest.mark.parametrize("subject", ["math", "reading"])
def test_students_of_educators_at_or_above_the_line_grew_more(evidence, subject):
    links = evidence["links"][evidence["links"]["subject"] == subject]
    labelled = label_students(links, "implementation", evidence["implementation"])
    row = comparisons(labelled, kind="implementation", order=IMPLEMENTATION_LEVELS).iloc[0]
    assert (row["treatment"], row["comparison_group"]) == ("at or above the line", "below the line")
    assert row["growth_verdict"] == "higher" and row["growth_low"] > 0
    assert row["improvement_index"] > 0 and row["baseline_verdict"] != "not reported"


@pytest.mark.parametrize("windows, english_learners", [(("2024-25 fall", "2024-25 spring"), "about the same"),
                                                       (YEAR_TWO, "narrowed")])
def test_the_english_learner_gap_narrows_in_year_two_only_and_the_disability_gap_stays(sample, windows,
                                                                                     english_learners):
    growth = educator_evidence(sample.tables, *windows)["growth"]
    everyone = with_students(growth[growth["subject"] == "math"], sample.table("students"))
    everyone["arm"] = "all students"
    verdicts = {column: gap_change_by_arm(everyone, column).iloc[0]["verdict"]
                for column in ("english_learner", "disability", "low_income")}
    assert verdicts == {"english_learner": english_learners, "disability": "about the same",
                        "low_income": "narrowed"}


def test_the_planted_break_is_found_at_its_school(sample, evidence):
    changes, breaks = school_breaks(evidence["chain"], sample.table("educators"))
    assert [sentence for sentence in breaks if BROKEN_CHAIN_SCHOOL in sentence]
    broken = changes[(changes["school_id"] == BROKEN_CHAIN_SCHOOL) & (changes["step"] == "practice_change")]
    assert broken["direction"].item() != "rose"
    others = changes[(changes["school_id"] != BROKEN_CHAIN_SCHOOL) & (changes["step"] == "practice_change")]
    assert (others["direction"] == "rose").all()


def test_hours_go_with_learning_and_practice_goes_with_students_growth(evidence):
    links = whole_chain_links(evidence["chain"]).set_index(["from_step", "to_step"])
    assert links.loc[("dose", "learning_change"), "low"] > 0
    assert links.loc[("practice_level", "growth_vs_typical"), "low"] > 0


# -- privacy: every new view, on a small district where many groups are small ------------------------------
@pytest.fixture(scope="module")
def small_district():
    tables = generate_district(400, seed=11)
    return tables, educator_evidence(tables, *YEAR_TWO)


def shown_counts_respect(table, count_columns, threshold, value_columns):
    for column in count_columns:
        shown = pd.to_numeric(table[column], errors="coerce").dropna()
        assert (shown >= threshold).all(), f"{column} shows a count under {threshold}"
    withheld = table["suppressed"].astype(bool)
    for column in value_columns:
        assert table.loc[withheld, column].isna().all(), f"{column} shows a withheld value"
    assert table.loc[withheld, "note"].nunique() <= 1  # every withheld cell reads alike


def test_every_new_view_withholds_small_groups(small_district):
    tables, evidence = small_district
    math = evidence["growth"][evidence["growth"]["subject"] == "math"]
    joined = with_students(math, tables["students"])
    views = 0
    for column in ["school_id", "grade", *joined.attrs["group_columns"]]:
        shown_counts_respect(growth_by(joined, column), ["n"], 10, ["mean_growth", "sd"])
        views += 1
    by_educator = evidence["chain"][["educator_id", "students", "mean_growth"]].dropna().assign(sd_growth=1.0)
    shown_counts_respect(shown_by_educator(by_educator), ["students"], 10, ["mean_growth"])
    labelled = with_students(label_students(evidence["links"][evidence["links"]["subject"] == "math"],
                                            "implementation", evidence["implementation"]), tables["students"])
    for column in ("english_learner", "race_ethnicity", "disability"):
        gaps = gap_change_by_arm(labelled, column)
        shown_counts_respect(gaps, ["n_group"], 10, ["gap_before", "gap_after", "change"])
        views += 1
    table = comparisons(labelled, kind="implementation", order=IMPLEMENTATION_LEVELS)
    shown = table[table["growth_g"].notna()]
    assert (shown[["students_treatment", "students_comparison"]] >= 10).all().all()
    assert (shown[["educators_treatment", "educators_comparison"]] >= 5).all().all()
    funnel = chain_funnel(evidence["chain"])
    shown_counts_respect(funnel, ["educators", "moved", "through"], 5, ["share_through"])
    changes, _ = school_breaks(evidence["chain"], tables["educators"])
    assert (changes.loc[~changes["suppressed"], "educators"] >= 5).all()
    assert views >= 8 and bool(np.isfinite(funnel["share_through"]).any() or funnel["suppressed"].any())
