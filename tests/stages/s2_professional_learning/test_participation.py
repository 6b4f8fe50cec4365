"""Participation figures on the sample district, checked against a separate computation from the CSV files."""

import csv
from collections import defaultdict
from statistics import mean, median

import pandas as pd
import pytest

from kit.stages.s2_professional_learning.analysis.participation import (access_by_group, access_gap, educators_teaching, group_choices,
                                        groups_named_in, hours_by_design, hours_per_educator, in_school_year, participation_by,
                                        school_year, without_learning)
from kit.io import open_sample
from kit.workspace import SAMPLE_FOLDER


def rows(table):
    with open(SAMPLE_FOLDER / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample():
    return open_sample()


@pytest.fixture(scope="module")
def year_2025(sample):
    activities, attendance = in_school_year(sample.table("learning_activities"), sample.table("attendance"), "2025-26")
    return activities, attendance, hours_per_educator(sample.table("educators"), activities, attendance)


def independent_hours(year):
    """Hours per educator in a school year (September to August), straight from the CSV files."""
    in_year = {row["activity_id"] for row in rows("learning_activities")
               if (int(row["date"][:4]) if int(row["date"][5:7]) >= 9 else int(row["date"][:4]) - 1) == year}
    hours = defaultdict(float)
    for row in rows("attendance"):
        if row["activity_id"] in in_year:
            hours[row["educator_id"]] += float(row["hours_attended"])
    return {row["educator_id"]: hours.get(row["educator_id"], 0.0) for row in rows("educators")}


def test_hours_per_educator_match_the_csv_files(year_2025):
    expected = independent_hours(2025)
    per_educator = year_2025[2].set_index("educator_id")["hours"]
    assert len(per_educator) == 120
    assert per_educator.to_dict() == pytest.approx(expected, abs=0.005)


def test_hours_by_school_match_the_csv_files(year_2025):
    hours = independent_hours(2025)
    school = {row["educator_id"]: row["school_id"] for row in rows("educators")}
    by_school = participation_by(year_2025[2], "school_id").set_index("school_id")
    for school_id, table_row in by_school.iterrows():
        values = [h for educator, h in hours.items() if school[educator] == school_id]
        assert table_row["educators"] == len(values)
        assert table_row["total_hours"] == pytest.approx(sum(values), abs=0.051)
        assert table_row["mean_hours"] == pytest.approx(mean(values), abs=0.051)
        assert table_row["median_hours"] == pytest.approx(median(values), abs=0.051)
        assert table_row["with_hours"] == sum(h > 0 for h in values)


def test_hours_by_role_add_up_to_every_educator(year_2025):
    by_role = participation_by(year_2025[2], "role")
    assert by_role["educators"].sum() == 120
    assert by_role["total_hours"].sum() == pytest.approx(sum(independent_hours(2025).values()), abs=0.2)


def test_hours_by_design_match_the_csv_files(year_2025):
    activities, attendance, _ = year_2025
    design = {row["activity_id"]: row["design"] for row in rows("learning_activities")}
    in_year = set(activities["activity_id"])
    totals, people = defaultdict(float), defaultdict(set)
    for row in rows("attendance"):
        if row["activity_id"] in in_year:
            totals[design[row["activity_id"]]] += float(row["hours_attended"])
            people[design[row["activity_id"]]].add(row["educator_id"])
    table = hours_by_design(activities, attendance).set_index("design")
    assert table["total_hours"].to_dict() == pytest.approx(dict(totals), abs=0.051)
    assert table["educators"].to_dict() == {name: len(who) for name, who in people.items()}


def test_school_years_run_from_september():
    assert school_year("2025-09-01") == "2025-26" and school_year("2025-08-31") == "2024-25"


def test_educators_with_no_hours_are_listed():
    educators = pd.DataFrame({"educator_id": ["E1", "E2", "E3"], "school_id": ["S2", "S1", "S1"], "role": ["teacher"] * 3})
    activities = pd.DataFrame({"activity_id": ["A1", "A2"], "date": pd.to_datetime(["2025-10-01", "2024-10-01"]),
                               "hours": [3.0, 2.0], "design": ["workshop", "book study"]})
    attendance = pd.DataFrame({"activity_id": ["A1", "A2"], "educator_id": ["E1", "E2"], "hours_attended": [3.0, 2.0]})
    kept, attended = in_school_year(activities, attendance, "2025-26")
    per_educator = hours_per_educator(educators, kept, attended)
    assert without_learning(per_educator)["educator_id"].tolist() == ["E2", "E3"]  # E2's hours were the year before
    by_school = participation_by(per_educator, "school_id").set_index("school_id")
    assert by_school.loc["S1", "without_hours"] == 2 and by_school.loc["S1", "share_without"] == 1.0


# -- equity of access ---------------------------------------------------------------------------------
def test_educators_who_teach_english_learners_match_the_csv_files(sample, year_2025):
    english_learners = {row["student_id"] for row in rows("students") if row["english_learner"] == "yes"}
    taught = defaultdict(set)
    for row in rows("rosters"):
        if row["term"] == "2025-26" and row["student_id"] in english_learners:
            taught[row["educator_id"]].add(row["student_id"])
    teach = {educator for educator, students in taught.items() if len(students) >= 10}
    rosters = sample.table("rosters")
    rosters = rosters[rosters["term"] == "2025-26"]
    found = educators_teaching(sample.table("students"), rosters, "english_learner", "yes", 10)
    assert set(found.loc[found["teaches_group"], "educator_id"]) == teach

    hours = independent_hours(2025)
    rostered = set(rosters["educator_id"])
    others = rostered - teach
    table = access_by_group(year_2025[2], sample.table("students"), rosters, "english_learner", "yes", min_group_size=10)
    assert table["educators"].tolist() == [len(teach), len(others)]
    assert table["mean_hours"].tolist() == pytest.approx([mean(hours[e] for e in teach), mean(hours[e] for e in others)], abs=0.051)
    assert access_gap(table) == pytest.approx(table["mean_hours"][0] - table["mean_hours"][1], abs=0.01)


def test_a_side_with_fewer_educators_than_the_threshold_is_withheld_with_the_other():
    per_educator = pd.DataFrame({"educator_id": [f"E{n}" for n in range(14)], "hours": [1.0] * 14})
    students = pd.DataFrame({"student_id": [f"S{n}" for n in range(40)], "english_learner": [True] * 20 + [False] * 20})
    # E0 and E1 each teach 10 English learners; E2 ... E13 teach only other students.
    rosters = pd.DataFrame({"student_id": [f"S{n}" for n in range(20)] + [f"S{20 + n % 20}" for n in range(12)],
                            "educator_id": ["E0"] * 10 + ["E1"] * 10 + [f"E{2 + n}" for n in range(12)]})
    table = access_by_group(per_educator, students, rosters, "english_learner", "yes", min_group_size=10)
    assert table["suppressed"].tolist() == [True, True]
    assert table["educators"].isna().all() and table["mean_hours"].isna().all()
    assert table["note"].tolist() == ["withheld to protect groups of fewer than 5 educators"] * 2
    assert access_gap(table) is None
    shown = access_by_group(per_educator, students, rosters, "english_learner", "yes", min_group_size=10, educators=2)
    assert shown["educators"].tolist() == [2, 12] and not shown["suppressed"].any()


def test_no_educator_without_hours_reads_as_a_coded_share_not_zero():
    per_educator = pd.DataFrame({"educator_id": [f"E{n}" for n in range(14)], "hours": [1.0] * 13 + [0.0]})
    students = pd.DataFrame({"student_id": [f"S{n}" for n in range(40)], "english_learner": [True] * 20 + [False] * 20})
    rosters = pd.DataFrame({"student_id": [f"S{n % 20}" for n in range(12)] + [f"S{20 + n % 20}" for n in range(2)],
                            "educator_id": [f"E{n}" for n in range(12)] + ["E12", "E13"]})
    table = access_by_group(per_educator, students, rosters, "english_learner", "yes", min_group_size=1, educators=2)
    # 12 educators teach the group and none is without hours: "0%" would describe each of them.
    assert table.loc[0, "share_without_text"] == "≤25%" and table.loc[0, "share_without"] == 0.25


def test_groups_a_goal_names_are_found(sample):
    students = sample.table("students")
    assert ("english learner: yes", "english_learner", "yes") in group_choices(students)
    named = groups_named_in("English learners and students with a disability in grades 4-5", students)
    assert [column for _, column, _ in named] == ["english_learner", "disability"]
    assert groups_named_in("Hispanic or Latino students", students) == [
        ("race ethnicity: Hispanic or Latino", "race_ethnicity", "Hispanic or Latino")]
