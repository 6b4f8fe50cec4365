"""Gaps in access to effective practice (stages 4 and 6) give no coded share away.

A shown share plus its exact gap gives the share of all other students (a group too, of its own size),
and a coded share plus an exact gap and the other share gives the coded share back. The reader below
knows the kit's published figures of one row (n, share and its band, the share column, the reference
share, the gap, its interval, the gap's words and the verdict) and the size of the other students,
tries every count of the group and of the other students, and keeps those that would show the same;
a coded share (of either) must keep every count of its band possible.
"""

import re

import numpy as np
import pandas as pd
import pytest

from kit.analysis import equity
from kit.analysis.equity import gap_interval
from kit.privacy import code_shares
from kit.stages.s4_educator_practice.analysis import access_by_group, access_gap_sentences, student_access
from kit.stages.s4_educator_practice.charts import access_chart, access_title
from kit.stages.s6_continuous_improvement.analysis.evidence import access_by_every_group

AT, BELOW = "at or above the line", "below the line"
LEVELS = pd.DataFrame({"educator_id": ["E1", "E2"], "implementation": [AT, BELOW]})


def school_of(groups: dict[str, tuple[int, int]], school: str = "A", column: str = "english_learner"):
    """Rosters and students of one school: per group label, (students, students whose class is at the line)."""
    students, rosters = [], []
    for label, (n, with_access) in groups.items():
        for i in range(n):
            student = f"{school}-{label}-{i}"
            students.append({"student_id": student, "school_id": school, column: label})
            rosters.append({"student_id": student, "educator_id": "E1" if i < with_access else "E2"})
    return pd.DataFrame(rosters), pd.DataFrame(students)


def counts_in_band(text: str, n: int) -> set[int]:
    coded = code_shares(np.arange(n + 1) / n, [n] * (n + 1))
    return {k for k, shown in enumerate(coded["share_text"]) if shown == text}


def possible_counts(row: pd.Series, reference_n: int, groups=None, references=None) -> tuple[set[int], set[int]]:
    """Every (group count, other students' count) consistent with what the row shows, among the
    candidates `groups` and `references` (every count by default)."""
    n = int(row["n"])
    groups = np.arange(n + 1) if groups is None else np.asarray(sorted(groups))
    references = np.arange(reference_n + 1) if references is None else np.asarray(sorted(references))
    k, j = (grid.ravel() for grid in np.meshgrid(groups, references, indexing="ij"))
    share, reference = k / n, j / reference_n
    gap = share - reference
    sd = np.sqrt(k * (n - k) / (n * (n - 1)))
    reference_sd = np.sqrt(j * (reference_n - j) / (reference_n * (reference_n - 1)))
    low, high = gap_interval(gap, np.full(len(k), n), sd, np.full(len(k), reference_n), reference_sd,
                             reference_mean=reference)
    coded = code_shares(share, np.full(len(k), n))
    keep = coded["share_text"].to_numpy() == row["share_text"]
    if pd.notna(row.get("share")):  # the bar's length: the share, or the edge of its band
        keep &= np.isclose(share, row["share"]) | (coded["share_coded"].to_numpy()
                                                   & np.isclose(coded["share_shown"].to_numpy(), row["share"]))
    for column, values in (("reference_share", reference), ("gap", gap), ("gap_low", low), ("gap_high", high)):
        if column in row and pd.notna(row[column]):
            keep &= np.isclose(values, row[column], atol=1e-9)
    words = str(row.get("gap_text", ""))
    if (found := re.fullmatch(r"([+-]\d+) to ([+-]\d+) points", words)):
        keep &= (100 * gap >= int(found[1]) - 1e-9) & (100 * gap <= int(found[2]) + 1e-9)
    elif (found := re.fullmatch(r"([+-]\d+) points", words)):
        keep &= np.round(100 * gap) == int(found[1])
    if row.get("certainty") == "clear":  # a clear verdict: the interval (where there is one) is below zero
        keep &= ~(high >= 0)
    return set(k[keep].tolist()), set(j[keep].tolist())


def assert_no_coded_share_is_narrowed(table: pd.DataFrame, others: dict) -> int:
    """Read every shown row: each count of a coded share's band (the group's, or the other students')
    must stay possible with some count of the other side. Returns how many coded shares were checked (a
    school that is the whole district has each row twice)."""
    checked = 0
    for _, row in table[~table["suppressed"].astype(bool)].iterrows():
        reference_n, reference_count = others[(row["school_id"], row["group"])]
        if row["share_text"][0] in "≤≥":
            band = counts_in_band(row["share_text"], int(row["n"]))
            groups, _ = possible_counts(row, reference_n, groups=band)
            assert groups == band, (row.to_dict(), sorted(groups))
            checked += 1
        reference_text = code_shares([reference_count / reference_n], [reference_n])["share_text"][0]
        if reference_text[0] in "≤≥":
            band = counts_in_band(reference_text, reference_n)
            _, references = possible_counts(row, reference_n, references=band)
            assert references == band, (row.to_dict(), sorted(references))
            checked += 1
    return checked


def other_students(rosters: pd.DataFrame, students: pd.DataFrame, column: str, levels=LEVELS, **chosen) -> dict:
    """For each school (and all schools) and group: the other students with an observed educator, and
    how many of them are at the line (each student's access is 1 or 0 here)."""
    access = student_access(rosters, students, levels, **chosen)
    assert access["access"].isin([0.0, 1.0]).all()
    access = access.assign(group=equity.group_values(access[column]).to_numpy())
    found = {}
    for school, part in [*access.groupby("school_id"), ("all schools", access)]:
        for label in part["group"].unique():
            rest = part[part["group"] != label]
            found[(school, label)] = (len(rest), int(rest["access"].sum()))
    return found


# -- worked examples ----------------------------------------------------------------------------------------
def test_a_school_where_every_other_student_has_access_keeps_the_others_band():
    # 12 of 20 English learners at the line, all 30 others: "60%" and "-40 points" would say 100%.
    rosters, students = school_of({"yes": (20, 12), "no": (30, 30)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    assert learners["share_text"] == "60%"
    # 30 others: the band is 10% ("≥90%"), so the gap lies between 60 - 100 and 60 - 90 points.
    assert learners["gap_text"] == "-40 to -30 points"
    assert np.isnan(learners["gap"]) and np.isnan(learners["reference_share"]) and np.isnan(learners["gap_high"])
    assert learners["certainty"] == "clear"
    sentence = access_gap_sentences(table)[0]
    assert "30 to 40 points fewer than all other students" in sentence and "interval" not in sentence
    assert access_title(table, "A") == ("english learner: yes: 30 to 40 points less access to effective practice "
                                        "than other students")
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 4


def test_a_group_with_no_access_beside_others_at_60_percent_shows_a_range():
    rosters, students = school_of({"yes": (15, 0), "no": (40, 24)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    # 15 learners: band 20% ("≤20%"), so the gap lies between 0 - 60 and 20 - 60 points.
    assert (learners["share_text"], learners["gap_text"]) == ("≤20%", "-60 to -40 points")
    assert learners["share"] == pytest.approx(0.2)  # the bar reaches the band's edge, not 0%
    assert learners["certainty"] == "clear"  # clear for any share of the band: it tells nothing more
    others = table[(table["school_id"] == "A") & (table["group"] == "no")].iloc[0]
    assert (others["share_text"], others["gap_text"]) == ("60%", "+40 to +60 points")
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 4


def test_a_group_of_exactly_the_threshold_size_all_at_the_line():
    rosters, students = school_of({"yes": (10, 10), "no": (20, 10)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    # 10 learners: ceil(100 * 3 / 10) = 30%, so "≥70%"; the gap lies between 70 - 50 and 100 - 50 points.
    assert (learners["share_text"], learners["gap_text"]) == ("≥70%", "+20 to +50 points")
    assert np.isnan(learners["gap_low"]) and learners["certainty"] == ""
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 4


def test_gaps_between_two_shares_away_from_the_edges_are_shown_exactly():
    rosters, students = school_of({"yes": (20, 8), "no": (40, 28)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    assert learners["gap"] == pytest.approx(0.4 - 0.7) and learners["gap_text"] == "-30 points"
    assert learners["gap_low"] < learners["gap"] < learners["gap_high"] < 0 and learners["certainty"] == "clear"
    assert learners["reference_share"] == pytest.approx(0.7)


def test_the_access_chart_draws_a_coded_share_at_its_bands_edge():
    rosters, students = school_of({"yes": (15, 0), "no": (40, 24)})
    ax = access_chart(access_by_group(rosters, students, LEVELS, "english_learner"), "A")
    assert sorted(round(p.get_width(), 2) for p in ax.patches) == [0.2, 0.6]
    assert sorted(t.get_text() for t in ax.texts) == ["60%", "≤20%"]


def test_stage_6_withholds_a_gap_that_would_tell_the_other_students_share():
    rosters, students = school_of({"yes": (20, 12), "no": (30, 30)})
    access = access_by_every_group({"rosters": rosters, "students": students}, LEVELS).set_index("group")
    assert access.loc["english learner: yes", ["share_text", "gap_text"]].tolist() == ["60%", "-40 to -30 points"]
    assert np.isnan(access.loc["english learner: yes", "gap"])
    assert access.loc["english learner: no", ["share_text", "gap_text"]].tolist() == ["≥90%", "+30 to +40 points"]


# -- the reader on many schools ---------------------------------------------------------------------------------
def test_no_row_of_random_schools_narrows_a_coded_share():
    rng = np.random.default_rng(11)
    parts = []
    for school in ("A", "B", "C", "D"):
        groups = {}
        for label in ("yes", "no"):
            n = int(rng.integers(10, 40))
            groups[label] = (n, int(rng.choice([0, 1, 2, n // 2, n - 1, n])))
        parts.append(school_of(groups, school))
    rosters = pd.concat([p[0] for p in parts], ignore_index=True)
    students = pd.concat([p[1] for p in parts], ignore_index=True)
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) > 4


# -- stage 2: hours of educators who teach a group ------------------------------------------------------------
def educators_teaching_english_learners(hours: list[float]):
    """The first len(hours) educators each teach 10 English learners; two more teach only other students."""
    from kit.stages.s2_professional_learning.analysis.participation import access_by_group as educators_access

    n = len(hours)
    per_educator = pd.DataFrame({"educator_id": [f"E{i}" for i in range(n + 2)], "hours": [*hours, 3.0, 4.0]})
    students = pd.DataFrame({"student_id": [f"S{i}" for i in range(20)], "english_learner": ["yes"] * 10 + ["no"] * 10})
    rosters = pd.DataFrame({"student_id": [f"S{i}" for i in range(10)] * n + ["S10", "S11"],
                            "educator_id": [f"E{i}" for i in range(n) for _ in range(10)] + [f"E{n}", f"E{n + 1}"]})
    return educators_access(per_educator, students, rosters, "english_learner", "yes", min_group_size=10, educators=2)


def test_stage_2_a_mean_of_no_hours_does_not_tell_that_every_educator_had_none():
    from kit.stages.s2_professional_learning.analysis.participation import access_gap

    table = educators_teaching_english_learners([0.0] * 12)
    teach = table.iloc[0]
    # 12 educators: the band is 25%, "≥75%"; a mean of 0.0 hours would say all 12 had none.
    assert teach["share_without_text"] == "≥75%"
    assert np.isnan(teach["mean_hours"]) and np.isnan(teach["median_hours"]) and access_gap(table) is None
    # 11 of 12 without: a mean of 0.2 would say "not all", which the band leaves open too.
    assert np.isnan(educators_teaching_english_learners([0.0] * 11 + [2.0]).iloc[0]["mean_hours"])


def test_stage_2_a_mean_near_the_most_hours_does_not_tell_that_nobody_went_without():
    # 12 educators with 6 hours each: 72 hours among educators of at most 6 says none is without.
    table = educators_teaching_english_learners([6.0] * 12)
    assert table.iloc[0]["share_without_text"] == "≤25%" and np.isnan(table.iloc[0]["mean_hours"])
    spread = educators_teaching_english_learners([6.0, 1.0, 2.0, 3.0] * 3)  # 36 of at most 6: 6 or more with hours
    assert spread.iloc[0]["share_without_text"] == "≤25%" and spread.iloc[0]["mean_hours"] == 3.0


def test_no_row_of_the_samples_access_views_narrows_a_coded_share(sample):
    from kit.stages.s4_educator_practice.models import PracticeModel

    rosters, students = sample.table("rosters"), sample.table("students")
    levels = PracticeModel(None, sample).levels
    checked = 0
    for column in equity.group_columns(students):
        table = access_by_group(rosters, students, levels, column, term="2025-26", subject="math")
        checked += assert_no_coded_share_is_narrowed(
            table, other_students(rosters, students, column, levels, term="2025-26", subject="math"))
    assert checked > 0
