"""Gaps in access to effective practice (stages 4 and 6) give no coded share away.

A shown share plus its exact gap gives the share of all other students (a group too, of its own size),
and a coded share plus an exact gap and the other share gives the coded share back. The reader below
knows the kit's published figures of one row (n, share and its band, the share column, the reference
share, the gap, its interval, the gap's words and the verdict) and the size of the other students,
tries every count of the group and of the other students, and keeps those that would show the same;
a coded share (of either) must keep every count of its band possible.
"""

import functools
import operator
import re

import numpy as np
import pandas as pd
import pytest

from kit.analysis import equity
from kit.analysis.equity import gap_interval
from kit.privacy import code_shares, share_band
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
    k, j = possible_pairs(row, reference_n, groups, references)
    return set(k.tolist()), set(j.tolist())


def possible_pairs(row: pd.Series, reference_n: int, groups=None, references=None, pairs=None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs behind `possible_counts`: the group's counts and the other students' counts, side by
    side, among every pair of `groups` and `references`, or among the candidate `pairs` (k, j) given."""
    n = int(row["n"])
    if pairs is None:
        groups = np.arange(n + 1) if groups is None else np.asarray(sorted(groups))
        references = np.arange(reference_n + 1) if references is None else np.asarray(sorted(references))
        pairs = (grid.ravel() for grid in np.meshgrid(groups, references, indexing="ij"))
    k, j = pairs
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
    return k[keep], j[keep]


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
    # 12 of 20 English learners at the line, all 30 others: "60%" and "-40 points" would say 100%, and so
    # would "60%" beside the school's 42 students at the line, which another group column may tell.
    rosters, students = school_of({"yes": (20, 12), "no": (30, 30)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    school = table[table["school_id"] == "A"].set_index("group")
    assert school.loc["yes", "share_text"] == "" and school.loc["yes", "n"] == 20
    assert np.isnan(school.loc["yes", "gap"]) and school.loc["yes", "gap_text"] == ""
    # 30 others: "≥90%", 27 to 30 of them; the learners then hold 12 to 15 of the 42: a gap of +15 to +40.
    assert (school.loc["no", "share_text"], school.loc["no", "gap_text"]) == ("≥90%", "+15 to +40 points")
    assert access_gap_sentences(table) == []
    assert access_title(table, "A") == "No clear gap in access to effective practice between groups"
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 2


def test_a_group_with_no_access_beside_others_at_60_percent_shows_a_range():
    rosters, students = school_of({"yes": (15, 0), "no": (40, 24)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    # 15 learners: band 20% ("≤20%"), 0 to 3 of them; the others hold the rest of the school's 24: 21 to 24
    # of 40, so the gap lies between 0 - 60 and 20 - 52.5 points.
    assert (learners["share_text"], learners["gap_text"]) == ("≤20%", "-60 to -32 points")
    assert learners["share"] == pytest.approx(0.2)  # the bar reaches the band's edge, not 0%
    assert learners["certainty"] == "clear"  # clear for any share of the band: it tells nothing more
    sentence = access_gap_sentences(table)[0]
    assert "32 to 60 points fewer than all other students" in sentence and "interval" not in sentence
    others = table[(table["school_id"] == "A") & (table["group"] == "no")].iloc[0]
    assert (others["share_text"], others["gap_text"], others["n"]) == ("", "", 40)
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 2


def test_a_group_of_exactly_the_threshold_size_all_at_the_line():
    rosters, students = school_of({"yes": (10, 10), "no": (20, 10)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    learners = table[(table["school_id"] == "A") & (table["group"] == "yes")].iloc[0]
    # 10 learners: ceil(100 * 3 / 10) = 30%, so "≥70%" (7 to 10); the others hold the rest of the school's
    # 20: 10 to 13 of 20, so the gap lies between 70 - 65 and 100 - 50 points.
    assert (learners["share_text"], learners["gap_text"]) == ("≥70%", "+5 to +50 points")
    assert np.isnan(learners["gap_low"]) and learners["certainty"] == ""
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) == 2


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
    # the others' 60% is withheld beside it (the school's total would give the learners' 0 back)
    assert sorted((round(p.get_width(), 2), p.get_hatch()) for p in ax.patches) == [(0.2, None), (1.0, "///")]
    assert sorted(t.get_text() for t in ax.texts) == ["withheld to protect groups of fewer than 10 students", "≤20%"]


def test_stage_6_withholds_a_gap_that_would_tell_the_other_students_share():
    rosters, students = school_of({"yes": (20, 12), "no": (30, 30)})
    access = access_by_every_group({"rosters": rosters, "students": students}, LEVELS).set_index("group")
    assert access.loc["english learner: yes", ["share_text", "gap_text", "suppressed"]].tolist() == ["", "", True]
    assert np.isnan(access.loc["english learner: yes", "gap"]) and np.isnan(access.loc["english learner: yes", "share"])
    assert access.loc["english learner: no", ["share_text", "gap_text"]].tolist() == ["≥90%", "+15 to +40 points"]


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
    assert assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner")) > 0


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


# -- a reader who knows each school's total at the line ----------------------------------------------------------
# Another group column shown in full (every group exact, no blanks) tells each school's and the district's
# number of students at the line (the sum of n x share). This reader knows it, and each school's students
# too, and reads every line of groups whose total it knows: the groups of one column in one school (those
# not recorded a withheld row of their own), and one group across the schools with the district's row as
# the total. For each row it keeps the counts consistent with what the row shows, its other students
# (`possible_counts`) now being the school's total minus the row; a withheld row may be any count up to
# its size. A coded share must keep every count of its band possible with some counts of the line's others.
def _sums(sets: list[set[int]]) -> int:
    """Every sum of one member of each set, as a bitmask (bit s set: the sum s is possible)."""
    reachable = 1
    for members in sets:
        reachable = functools.reduce(operator.or_, (reachable << m for m in members), 0)
    return reachable


def _counts_of(row: pd.Series | None, size: int, totals: set[int], school_n: int) -> set[int]:
    if row is None or row["suppressed"]:
        return set(range(size + 1))
    reference_n = school_n - size
    # the other students of the school hold the rest of its total
    totals = sorted(totals)
    groups = [np.arange(max(0, total - reference_n), min(size, total) + 1) for total in totals]
    k = np.concatenate(groups)
    j = np.concatenate([total - group for total, group in zip(totals, groups)])
    return set(possible_pairs(row, reference_n, pairs=(k, j))[0].tolist())


def lines_of(table: pd.DataFrame, access: pd.DataFrame, column: str) -> list[tuple[list, set[int]]]:
    """Each line whose total a reader knows: [(row or None, students, students at the line, school's
    students, the school's total)], and what the reader knows of the line's total: a school's (or the
    district's) total exactly; a group's across the schools as the district's row shows it."""
    access = access.assign(group=equity.group_values(access[column]).to_numpy(), school_id=access["school_id"].astype(str))
    rows = {(r["school_id"], r["group"]): r for _, r in table.iterrows()}
    schools = {school: (len(part), {int(part["access"].sum())})
               for school, part in [*access.groupby("school_id"), ("all schools", access)]}
    lines = []
    for school, part in [*access.groupby("school_id"), ("all schools", access)]:
        members = [(rows.get((school, g)), len(p), int(p["access"].sum()), *schools[school])
                   for g, p in part.groupby("group")]
        lines.append((members, schools[school][1]))
    for label, part in access[access["group"] != equity.NOT_RECORDED].groupby("group"):
        members = [(rows.get((s, label)), len(p), int(p["access"].sum()), *schools[s])
                   for s, p in part.groupby("school_id")]
        district = rows.get(("all schools", label))  # the line's total as the district's row shows it
        if district is None or district["suppressed"]:
            continue
        count = int(part["access"].sum())
        coded = district["share_text"][:1] in ("≤", "≥")
        lines.append((members, counts_in_band(district["share_text"], len(part)) if coded else {count}))
    return lines


def assert_no_line_narrows_a_coded_share(table: pd.DataFrame, access: pd.DataFrame, column: str) -> int:
    """Read every line: each count of a coded share's band must stay possible with some total the reader
    allows and some counts of the line's other rows. Returns how many coded shares were read."""
    checked = 0
    for members, totals in lines_of(table, access, column):
        if not any(row is not None and not row["suppressed"] and row["share_text"][:1] in ("≤", "≥")
                   for row, *_ in members):
            continue  # no coded share to read in this line (the sets below are most of the test's time)
        sets = [_counts_of(row, n, school_totals, school_n) for row, n, _, school_n, school_totals in members]
        for i, (row, n, count, _, _) in enumerate(members):
            assert count in sets[i], (row, count)
            if row is None or row["suppressed"] or row["share_text"][:1] not in ("≤", "≥"):
                continue
            rest = _sums(sets[:i] + sets[i + 1:])
            possible = {k for k in sets[i] if any(t >= k and rest >> (t - k) & 1 for t in totals)}
            # What a total alone tells is not the kit's doing (a school with nobody at the line has every
            # group at 0%); every count of the band it leaves must stay possible.
            others, school_n, school_totals = sum(size for _, size, *_ in members) - n, members[i][3], members[i][4]
            band = {k for k in counts_in_band(row["share_text"], n) if any(0 <= t - k <= others for t in totals)
                    and any(0 <= t - k <= school_n - n for t in school_totals)}
            assert possible == band, (row.to_dict(), sorted(possible), sorted(band))
            checked += 1
    return checked


def random_district(seed: int, schools=("A", "B", "C", "D"), labels=("yes", "no", "")):
    rng = np.random.default_rng(seed)
    parts = []
    for school in schools:
        groups = {}
        for label in labels:
            n = int(rng.integers(0, 4)) if label == "" else int(rng.integers(10, 40))
            groups[label] = (n, int(rng.choice([0, 1, 2, n // 2, max(n - 1, 0), n])))
        parts.append(school_of(groups, school))
    rosters = pd.concat([p[0] for p in parts], ignore_index=True)
    students = pd.concat([p[1] for p in parts], ignore_index=True)
    students["english_learner"] = students["english_learner"].replace("", None)
    return rosters, students


@pytest.mark.parametrize("seed", range(12))
def test_a_school_total_from_another_column_narrows_no_coded_share_of_random_schools(seed):
    rosters, students = random_district(seed)
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    assert_no_line_narrows_a_coded_share(table, student_access(rosters, students, LEVELS), "english_learner")
    assert_no_coded_share_is_narrowed(table, other_students(rosters, students, "english_learner"))


def test_a_school_total_narrows_no_coded_share_of_two_groups():
    # 15 of 20 learners "≤..."? no: 0 of 15 learners, 24 of 40 others; the school total (24) minus 60% of
    # 40 gives the learners' 0 back, so the others' share is withheld beside the coded one.
    rosters, students = school_of({"yes": (15, 0), "no": (40, 24)})
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    school = table[table["school_id"] == "A"].set_index("group")
    assert school.loc["yes", "share_text"] == "≤20%" and school.loc["no", "share_text"] == ""
    assert school.loc["no", "n"] == 40  # the count's fate is the cube's: only the share is withheld
    # read in the school's line, the district's, and the line of learners across schools
    assert assert_no_line_narrows_a_coded_share(table, student_access(rosters, students, LEVELS),
                                                "english_learner") == 3


@pytest.mark.parametrize("subject", ["math", "reading"])
def test_a_school_total_narrows_no_coded_share_of_the_samples_views(sample, subject):
    from kit.stages.s4_educator_practice.models import PracticeModel

    rosters, students = sample.table("rosters"), sample.table("students")
    levels = PracticeModel(None, sample).levels
    access = student_access(rosters, students, levels, term="2025-26", subject=subject)
    assert access["access"].isin([0.0, 1.0]).all()
    checked = 0
    for column in equity.group_columns(students):
        table = access_by_group(rosters, students, levels, column, term="2025-26", subject=subject)
        checked += assert_no_line_narrows_a_coded_share(table, access, column)
    assert checked > 0


# -- a reader who solves every school and group together ------------------------------------------------------------
def assert_solving_every_line_narrows_no_coded_share(table: pd.DataFrame, access: pd.DataFrame, column: str) -> int:
    """A reader who knows each school's and the district's students at the line (any access, all subjects
    too) and solves the whole school x group table at once (linear programming): each group's students at
    the line lie in what its row shows (its exact share, its band, or 0 to its size when withheld; a gap
    range beside a coded share bounds it through the school's total), each school's groups (those not
    recorded too) add up to the school's total, and each group's schools to the district's row as shown.
    Every coded share must keep the whole part of its band that the totals alone leave open (what a
    reader would know with every share withheld: a school with nobody at the line has every group at 0%)."""
    from scipy.optimize import linprog

    access = access.assign(group=equity.group_values(access[column]).to_numpy(), school_id=access["school_id"].astype(str))
    rows = {(r["school_id"], r["group"]): r for _, r in table.iterrows()}
    cells = [*access.groupby(["school_id", "group"]), *[(("all schools", g), p) for g, p in access.groupby("group")]]
    index = {key: i for i, (key, _) in enumerate(cells)}
    school_of = {s: (len(p), p["access"].sum()) for s, p in [*access.groupby("school_id"), ("all schools", access)]}
    bounds, coded, alone = [], [], [(0.0, float(len(part))) for _, part in cells]
    for (school, group), part in cells:
        n, row = len(part), rows.get((school, group))
        low, high = 0.0, float(n)
        if row is not None and not row["suppressed"]:
            if row["share_text"][:1] in ("≤", "≥"):
                band = float(share_band([n])[0])
                low, high = ((0.0, band * n) if row["share_text"][0] == "≤" else ((1 - band) * n, float(n)))
                coded.append(((school, group), n, low, high))
                school_n, total = school_of[school]
                if (found := re.fullmatch(r"([+-]\d+) to ([+-]\d+) points", str(row["gap_text"]))):
                    # gap = k / n - (total - k) / (school_n - n), rising with k
                    def students_at(gap, n=n, school_n=school_n, total=total):
                        return (gap + total / (school_n - n)) / (1 / n + 1 / (school_n - n))
                    low, high = max(low, students_at(int(found[1]) / 100)), min(high, students_at(int(found[2]) / 100))
            else:
                low = high = float(row["share"]) * n
        bounds.append((low - 1e-6, high + 1e-6))
    equations, totals = [], []
    for school, (_, total) in school_of.items():
        line = np.zeros(len(cells))
        line[[index[key] for key in index if key[0] == school]] = 1
        equations.append(line)
        totals.append(total)
    for group in access["group"].unique():
        line = np.zeros(len(cells))
        line[[index[key] for key in index if key[1] == group and key[0] != "all schools"]] = 1
        line[index[("all schools", group)]] = -1
        equations.append(line)
        totals.append(0.0)
    def solve(key, bounds):
        objective = np.zeros(len(cells))
        objective[index[key]] = 1
        least = linprog(objective, A_eq=np.array(equations), b_eq=totals, bounds=bounds)
        most = linprog(-objective, A_eq=np.array(equations), b_eq=totals, bounds=bounds)
        assert least.status == 0 and most.status == 0, key
        return least.fun, -most.fun

    for key, n, low, high in coded:
        least, most = solve(key, alone)  # what the totals alone tell (every share withheld)
        told_low, told_high = max(low, least), min(high, most)
        least, most = solve(key, bounds)
        assert most - least >= told_high - told_low - 1e-4, (key, least, most, told_low, told_high)
    return len(coded)


@pytest.mark.parametrize("seed", range(12))
def test_solving_every_line_together_narrows_no_coded_share_of_random_schools(seed):
    rosters, students = random_district(seed)
    table = access_by_group(rosters, students, LEVELS, "english_learner")
    assert_solving_every_line_narrows_no_coded_share(table, student_access(rosters, students, LEVELS), "english_learner")


@pytest.mark.parametrize("subject", [None, "math", "reading"])
def test_solving_every_line_together_narrows_no_coded_share_of_the_samples_views(sample, subject):
    from kit.stages.s4_educator_practice.models import PracticeModel

    rosters, students = sample.table("rosters"), sample.table("students")
    levels = PracticeModel(None, sample).levels
    access = student_access(rosters, students, levels, term="2025-26", subject=subject)
    checked = 0
    for column in equity.group_columns(students):
        table = access_by_group(rosters, students, levels, column, term="2025-26", subject=subject)
        checked += assert_solving_every_line_narrows_no_coded_share(table, access, column)
    assert checked > 0
