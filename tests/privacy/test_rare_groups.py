"""A rare group (a few students in every school and grade, like the sample's nonbinary students) is
withheld with a partner below the district's own rows, so the district's rows of every group stay
shown, and the attacker still recovers nothing."""

import numpy as np
import pandas as pd
import pytest

from kit.privacy.cube import ALL, attached
from kit.stages.s1_student_needs import analysis as needs
from tests.privacy.audit import attack, decision_observations, stage1_truth


@pytest.fixture(scope="module")
def results(sample):
    return needs.prepare(sample.table("students"), sample.table("assessments"))


def district_rows(decision) -> pd.DataFrame:
    table = decision.table
    return table[(table["school_id"] == ALL) & (table["grade"] == ALL)].set_index("group")


def test_the_sample_districts_rows_for_every_gender_are_shown_in_spring(results):
    decision = attached(results).groups(("math", "2025-26 spring"), "gender")
    district = district_rows(decision)
    assert not district["withheld"].any(), district.to_string()
    assert district.loc["female", "n"] > 1000 and district.loc["nonbinary", "n"] < 100
    # Below the district, nonbinary's figures are all withheld (each under the threshold somewhere).
    table = decision.table
    below = table[(table["group"] == "nonbinary") & ((table["school_id"] != ALL) | (table["grade"] != ALL))]
    assert below["withheld"].all()
    # Female is the common value left out of the pattern: most of its figures are shown.
    female = table[table["group"] == "female"]
    assert female["withheld"].mean() < 0.2


def test_the_attacker_recovers_no_gender_count_in_spring(results):
    observations, links = decision_observations(results, "math", "2025-26 spring")
    gender = [o for o in observations if "/gender=" in o.label]
    report = attack(gender, stage1_truth(results), threshold=10)
    assert len(report) and not report["exact"].any() and not report["narrowed"].any(), \
        report[report["exact"] | report["narrowed"]].head().to_string()


def district_with_a_rare_gender(seed: int, schools: int) -> pd.DataFrame:
    """Schools of 40-120 students per grade, about 2% of them nonbinary (0-5 per school and grade)."""
    rng = np.random.default_rng(seed)
    rows = []
    for school in range(schools):
        for grade in ("3", "4", "5"):
            size = int(rng.integers(40, 120))
            gender = rng.choice(["female", "male", "nonbinary"], p=[0.49, 0.49, 0.02], size=size)
            rows += [{"student_id": f"{school}-{grade}-{i}", "school_id": f"S{school}", "grade": grade,
                      "gender": g} for i, g in enumerate(gender)]
    students = pd.DataFrame(rows)
    assessments = pd.DataFrame({"student_id": students["student_id"], "subject": "math", "window": "spring",
                                "score": rng.normal(200, 15, len(students))})
    return needs.prepare(students, assessments)


@pytest.mark.parametrize("seed, schools", [(1, 3), (2, 5), (3, 8)])
def test_a_rare_gender_leaves_the_district_rows_shown_and_gives_nothing_away(seed, schools):
    results = district_with_a_rare_gender(seed, schools)
    decision = attached(results).groups(("math", "spring"), "gender")
    nonbinary = results.loc[results["gender"] == "nonbinary"].groupby(["school_id", "grade"], observed=True).size()
    assert (nonbinary < 10).all()  # rare everywhere: the case the pattern is for
    district = district_rows(decision)
    if district.loc["nonbinary", "n"] >= 10:
        assert not district["withheld"].any(), district.to_string()
    observations, links = decision_observations(results, "math", "spring")
    report = attack(observations, stage1_truth(results), threshold=10, links=links)
    assert not report["exact"].any() and not report["narrowed"].any(), \
        report[report["exact"] | report["narrowed"]].head().to_string()
