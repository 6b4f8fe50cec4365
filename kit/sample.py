"""A fictional district, generated from a seed, whose data tells the story every stage looks for.

Planted effects (all on top of random noise, so each is a tendency, never a rule):
- Learning hours: schools differ in how much learning their educators get; each educator attends
  district-wide and school activities with their own propensity.
- Knowledge, skills, dispositions: each school year, an educator's gain from fall to spring is
  about 0.15 points (of 20, 16 and 30) per learning hour, plus noise.
- Practice: observation ratings (1 to 4 on four components) rise with an educator's gains, except at
  the school named in `BROKEN_CHAIN_SCHOOL`, where educators learn but practice does not change.
- Student results: students grow faster with educators whose practice is rated higher.
- Equity: English learners, students with disabilities and low-income students start behind.
  English learners gain extra ground in the second year (that gap narrows); students with
  disabilities grow as fast as others (that gap stays); low-income students gain a little.
- Concerns: Stages of Concern profiles move from self concerns (stages 0 to 2) in the fall toward
  task and impact concerns (stages 3 to 5) in the spring, more for educators with more hours.

`generate_district(n_students)` builds all tables in memory in seconds, also at district
(100,000 students) and state (1,000,000 students) scale; `write_district` saves them as CSVs.
Run `python -m kit.sample data/sample` to rebuild the bundled sample.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from kit.instruments import concerns_stage_of_item
from kit.schema import CONCERNS_ITEMS, TABLE_NAMES  # noqa: F401  (TABLE_NAMES: the doctest of generate_district)
from kit.standards import STANDARD_IDS

SAMPLE_STUDENTS = 3_000
DISTRICT_STUDENTS = 100_000
STATE_STUDENTS = 1_000_000
DEFAULT_SEED = 2026

YEARS = ("2024-25", "2025-26")
ASSESSMENT_SEASONS = ("fall", "winter", "spring")
EDUCATOR_SEASONS = ("fall", "spring")
SUBJECTS = ("math", "reading")
COMPONENTS = ("Student discourse", "Tasks with high cognitive demand", "Checking for understanding",
              "Small-group instruction")
MEASURES = (("knowledge", "Content knowledge quiz", 20), ("skills", "Discourse skills rubric", 16),
            ("dispositions", "Beliefs about students survey", 30))
BROKEN_CHAIN_SCHOOL = "SCH02"
#: Columns added after the sample was first published draw from their own random stream (seeded by
#: [seed, stream]), so every earlier column stays exactly as it was.
COST_STREAM = 1
#: Cost per hour of each design, in currency units (coaching is one-to-one, so dearer per hour).
_COST_PER_HOUR = {"workshop": 400, "coaching cycle": 250, "professional learning community": 60,
                  "lab classroom": 350, "online course": 120, "book study": 80}
PROFICIENT_SCORE = 205.0

_SCHOOL_WORDS = ("Cedar", "Maple", "Riverside", "Hillcrest", "Lakeview", "Oak Grove", "Pinecrest", "Willow",
                 "Summit", "Brookside", "Fairview", "Meadow")
_LEVEL_CYCLE = ("elementary", "elementary", "elementary", "middle", "middle", "high")
_LEVEL_GRADES = {"elementary": (0, 5), "middle": (6, 8), "high": (9, 12)}
_LEVEL_NAMES = {"elementary": "Elementary", "middle": "Middle School", "high": "High School"}
_RACE = (("Hispanic or Latino", 0.30), ("White", 0.35), ("Black or African American", 0.17), ("Asian", 0.08),
         ("Two or more races", 0.07), ("American Indian or Alaska Native", 0.02),
         ("Native Hawaiian or Pacific Islander", 0.01))
_DESIGNS = ("workshop", "coaching cycle", "professional learning community", "lab classroom", "online course",
            "book study")
_DESIGN_HOURS = {"workshop": 3, "coaching cycle": 6, "professional learning community": 1.5, "lab classroom": 4,
                 "online course": 5, "book study": 2}
_ITEM_STAGE = np.array([stage for _, stage in sorted(concerns_stage_of_item().items())])


def _ids(prefix: str, count: int) -> np.ndarray:
    width = max(3, len(str(count)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, count + 1).astype(str), width))


def _windows(seasons: tuple[str, ...]) -> list[str]:
    return [f"{year} {season}" for year in YEARS for season in seasons]


def generate_district(n_students: int = SAMPLE_STUDENTS, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every table of a fictional district with `n_students` students, the same for the same seed.

    >>> tables = generate_district(600, seed=1)
    >>> sorted(tables) == sorted(TABLE_NAMES), len(tables["students"])
    (True, 600)
    """
    rng = np.random.default_rng(seed)
    schools = _schools(max(6, n_students // 500))
    educators, educator_school = _educators(rng, schools, max(12, n_students // 25))
    students, student_school, grade_number, ability = _students(rng, schools, n_students)
    activities, attendance, hours_by_year = _learning(rng, schools, educators, educator_school)
    activities["cost"] = _activity_costs(np.random.default_rng([seed, COST_STREAM]), activities)
    measures, gains = _educator_measures(rng, educators, hours_by_year)
    concerns = _concerns(rng, educators, hours_by_year)
    broken = educator_school == schools["school_id"].tolist().index(BROKEN_CHAIN_SCHOOL)
    observations, practice = _observations(rng, educators, gains, broken)
    rosters, teacher_of = _rosters(rng, students, student_school, educators, educator_school)
    assessments = _assessments(rng, students, grade_number, ability, teacher_of, practice)
    return {"schools": schools, "educators": educators, "students": students, "rosters": rosters,
            "learning_activities": activities, "attendance": attendance, "educator_measures": measures,
            "concerns": concerns, "observations": observations, "assessments": assessments}


def _schools(count: int) -> pd.DataFrame:
    levels = [_LEVEL_CYCLE[index % len(_LEVEL_CYCLE)] for index in range(count)]
    names = [f"{_SCHOOL_WORDS[index % len(_SCHOOL_WORDS)]}"
             f"{'' if index < len(_SCHOOL_WORDS) else ' ' + str(index // len(_SCHOOL_WORDS) + 1)} "
             f"{_LEVEL_NAMES[level]}" for index, level in enumerate(levels)]
    ids = [f"SCH{index + 1:02d}" for index in range(count)]
    return pd.DataFrame({"school_id": ids, "school_name": names, "level": levels})


def _educators(rng, schools: pd.DataFrame, count: int) -> tuple[pd.DataFrame, np.ndarray]:
    school = np.arange(count) % len(schools)
    level = schools["level"].to_numpy()[school]
    role = rng.choice(["teacher", "specialist", "coach"], size=count, p=[0.9, 0.07, 0.03])
    role[: 2 * len(schools)] = "teacher"  # every school has teachers of both subjects
    band = np.select([level == "elementary", level == "middle"], ["K-5", "6-8"], "9-12")
    frame = pd.DataFrame({
        "educator_id": _ids("E", count), "school_id": schools["school_id"].to_numpy()[school], "role": role,
        "subject": np.array(SUBJECTS)[(np.arange(count) // len(schools)) % 2], "grade_band": band,
        "years_experience": rng.integers(0, 31, size=count),
    })
    return frame, school


def _students(rng, schools: pd.DataFrame, count: int):
    school = rng.integers(0, len(schools), size=count)
    level = schools["level"].to_numpy()[school]
    low = np.vectorize(lambda name: _LEVEL_GRADES[name][0])(level) if count else np.array([], int)
    high = np.vectorize(lambda name: _LEVEL_GRADES[name][1])(level) if count else np.array([], int)
    grade_number = low + (rng.random(count) * (high - low + 1)).astype(int)
    english_learner = rng.random(count) < 0.16
    disability = rng.random(count) < 0.13
    low_income = rng.random(count) < 0.45
    race = rng.choice([name for name, _ in _RACE], size=count, p=[share for _, share in _RACE])
    gender = rng.choice(["female", "male", "nonbinary"], size=count, p=[0.49, 0.49, 0.02])
    yes_no = np.array(["no", "yes"])
    # Planted starting gaps, in student standard deviations.
    ability = rng.normal(0, 1, count) - 0.6 * english_learner - 0.8 * disability - 0.4 * low_income
    frame = pd.DataFrame({
        "student_id": _ids("S", count), "school_id": schools["school_id"].to_numpy()[school],
        "grade": np.where(grade_number == 0, "K", grade_number.astype(str)), "gender": gender,
        "race_ethnicity": race, "english_learner": yes_no[english_learner.astype(int)],
        "disability": yes_no[disability.astype(int)], "low_income": yes_no[low_income.astype(int)],
    })
    return frame, school, grade_number, ability


def _learning(rng, schools, educators, educator_school):
    """Activities (district-wide and per school, each year), attendance, and hours per educator per year."""
    n_educators = len(educators)
    staff_of = np.split(np.argsort(educator_school, kind="stable"),
                        np.cumsum(np.bincount(educator_school, minlength=len(schools)))[:-1])
    propensity = np.clip(rng.normal(0.55, 0.2, n_educators) + (educator_school % 3 - 1) * 0.12, 0.05, 0.95)
    hours_by_year = np.zeros((len(YEARS), n_educators))
    rows, attended_activity, attended_educator, attended_hours = [], [], [], []
    for year_index, year in enumerate(YEARS):
        start = pd.Timestamp(f"20{year[2:4]}-09-01")
        # Six district-wide activities a year, open to everyone, and three for each school's own staff.
        offers = [(None, index) for index in range(6)] + [(school, index) for school in range(len(schools))
                                                          for index in range(3)]
        for school, index in offers:
            design = _DESIGNS[(index + (school or 0) + year_index) % len(_DESIGNS)]
            where = "D" if school is None else schools["school_id"][school][3:]
            standards = rng.choice(STANDARD_IDS, size=int(rng.integers(1, 4)), replace=False)
            hours = _DESIGN_HOURS[design]
            rows.append({"activity_id": f"A{year[2:4]}{where}{index + 1}",
                         "title": f"{design.capitalize()}: {COMPONENTS[index % len(COMPONENTS)].lower()}",
                         "date": (start + pd.Timedelta(days=int(rng.integers(0, 240)))).strftime("%Y-%m-%d"),
                         "hours": hours, "design": design, "standards": ";".join(sorted(standards))})
            eligible = np.arange(n_educators) if school is None else staff_of[school]
            attends = eligible[rng.random(len(eligible)) < propensity[eligible]]
            attended = np.where(rng.random(len(attends)) < 0.1, hours / 2, float(hours))
            hours_by_year[year_index, attends] += attended
            attended_activity.append(np.full(len(attends), len(rows) - 1))
            attended_educator.append(attends)
            attended_hours.append(attended)
    activities = pd.DataFrame(rows)
    attendance = pd.DataFrame({
        "activity_id": pd.Categorical.from_codes(np.concatenate(attended_activity), activities["activity_id"]),
        "educator_id": pd.Categorical.from_codes(np.concatenate(attended_educator), educators["educator_id"]),
        "hours_attended": np.concatenate(attended_hours)})
    return activities, attendance, hours_by_year


def _activity_costs(rng, activities: pd.DataFrame) -> np.ndarray:
    """What each activity cost: its hours at its design's rate, give or take a fifth, to the nearest 10."""
    rate = activities["design"].map(_COST_PER_HOUR).to_numpy(dtype=float)
    spread = rng.uniform(0.8, 1.2, len(activities))
    return (np.round(activities["hours"].to_numpy(dtype=float) * rate * spread / 10) * 10).astype(int)


def _educator_measures(rng, educators, hours_by_year):
    """Fall and spring scores per year; returns the table and each educator's gain per year (0 to 1 scale)."""
    n = len(educators)
    parts, gains = [], np.zeros((len(YEARS), n))
    for domain, measure, maximum in MEASURES:
        level = rng.normal(0.45, 0.12, n) * maximum
        for year_index, year in enumerate(YEARS):
            gain = 0.15 * hours_by_year[year_index] + rng.normal(0, 1.0, n)
            fall = np.clip(np.round(level + rng.normal(0, 0.8, n)), 0, maximum)
            spring = np.clip(np.round(level + gain + rng.normal(0, 0.8, n)), 0, maximum)
            gains[year_index] += (spring - fall) / maximum / len(MEASURES)
            level = level + 0.5 * gain  # some of the year's growth lasts into the next fall
            for season, scores in (("fall", fall), ("spring", spring)):
                parts.append(pd.DataFrame({"educator_id": educators["educator_id"], "window": f"{year} {season}",
                                           "domain": domain, "measure": measure, "score": scores.astype(int),
                                           "max_score": maximum}))
    return pd.concat(parts, ignore_index=True), gains


def _concerns(rng, educators, hours_by_year):
    n = len(educators)
    parts = []
    for year_index, year in enumerate(YEARS):
        shift = np.clip(hours_by_year[year_index] / 20, 0, 1.5)
        for season in EDUCATOR_SEASONS:
            moved = shift if season == "spring" else np.zeros(n)
            # Intensity by stage: self concerns (0-2) fall and impact concerns (3-5) rise as learning moves on.
            stage = np.arange(7)
            intensity = (np.where(stage <= 2, 4.5, 2.5)[None, :]
                         + np.outer(moved, np.where(stage <= 2, -1.5, np.where(stage <= 5, 1.5, 0.5))))
            answers = np.clip(np.round(intensity[:, _ITEM_STAGE] + rng.normal(0, 1.2, (n, 35))), 0, 7).astype(int)
            frame = pd.DataFrame(answers, columns=list(CONCERNS_ITEMS))
            frame.insert(0, "window", f"{year} {season}")
            frame.insert(0, "educator_id", educators["educator_id"].to_numpy())
            parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _observations(rng, educators, gains, broken):
    """One visit per educator per window, rating each component 1-4; returns the table and each
    educator's mean rating per year (spring), used for student growth."""
    n = len(educators)
    base = rng.normal(2.0, 0.35, n)
    practice = np.zeros((len(YEARS), n))
    parts = []
    progress = np.zeros(n)
    for year_index, year in enumerate(YEARS):
        for season_index, season in enumerate(EDUCATOR_SEASONS):
            if season == "spring":
                progress = progress + np.where(broken, 0.0, 6.0 * np.clip(gains[year_index], -0.2, 0.5))
            true_level = base + progress
            ratings = np.clip(np.round(true_level[:, None] + rng.normal(0, 0.45, (n, len(COMPONENTS)))), 1, 4)
            if season == "spring":
                practice[year_index] = true_level
            mean = ratings.mean(axis=1)
            level_of_use = np.select([mean < 1.5, mean < 2.2, mean < 2.9, mean < 3.5], ["II", "III", "IVA", "IVB"], "V")
            month = 10 if season == "fall" else 4
            date = pd.Timestamp(f"20{year[2:4] if season == 'fall' else year[5:7]}-{month:02d}-01")
            days = rng.integers(0, 25, n)
            for component_index, component in enumerate(COMPONENTS):
                parts.append(pd.DataFrame({
                    "educator_id": educators["educator_id"].to_numpy(),
                    "date": (date + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
                    "observer_id": np.char.add("O", (np.arange(n) % 5 + 1).astype(str)),
                    "window": f"{year} {season}", "component": component,
                    "rating": ratings[:, component_index].astype(int), "level_of_use": level_of_use,
                }))
    return pd.concat(parts, ignore_index=True), practice


def _rosters(rng, students, student_school, educators, educator_school):
    """Each year each student has one teacher of each subject at their school. Returns the table and
    teacher_of[year, subject] -> educator index per student."""
    n = len(students)
    teachers = educators["role"].to_numpy() == "teacher"
    teacher_of = np.zeros((len(YEARS), len(SUBJECTS), n), dtype=int)
    student_ids = pd.Categorical(students["student_id"])
    parts = []
    for subject_index, subject in enumerate(SUBJECTS):
        pool = np.flatnonzero(teachers & (educators["subject"].to_numpy() == subject))
        order = pool[np.argsort(educator_school[pool], kind="stable")]
        counts = np.bincount(educator_school[order], minlength=student_school.max(initial=0) + 1)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        for year_index, year in enumerate(YEARS):
            pick = offsets[student_school] + (rng.random(n) * counts[student_school]).astype(int)
            teacher_of[year_index, subject_index] = order[pick]
            parts.append(pd.DataFrame({
                "student_id": student_ids,
                "educator_id": pd.Categorical.from_codes(order[pick], educators["educator_id"]),
                "subject": subject, "term": year}))
    return pd.concat(parts, ignore_index=True), teacher_of


def _assessments(rng, students, grade_number, ability, teacher_of, practice):
    n = len(students)
    english_learner = students["english_learner"].to_numpy() == "yes"
    low_income = students["low_income"].to_numpy() == "yes"
    windows = _windows(ASSESSMENT_SEASONS)
    scores = np.zeros((len(SUBJECTS), len(windows), n))
    for subject_index in range(len(SUBJECTS)):
        score = 195 + 2.0 * grade_number + 12 * ability + rng.normal(0, 4, n)
        for year_index in range(len(YEARS)):
            rating = practice[year_index][teacher_of[year_index, subject_index]]
            growth = 3.0 + 2.5 * (rating - 2.0) + 0.6 * low_income
            if year_index == 1:
                growth = growth + 2.5 * english_learner  # the English learner gap narrows in year two
            for season_index in range(len(ASSESSMENT_SEASONS)):
                if season_index:
                    score = score + growth + rng.normal(0, 2.5, n)
                window_index = year_index * len(ASSESSMENT_SEASONS) + season_index
                scores[subject_index, window_index] = np.clip(np.round(score + rng.normal(0, 3, n), 1), 100, 300)
            score = score - 1.5  # a little summer loss
    proficient = scores >= (PROFICIENT_SCORE + 2.0 * grade_number)[None, None, :]
    blocks = len(SUBJECTS) * len(windows)  # rows are ordered subject, window, student
    return pd.DataFrame({
        "student_id": pd.Categorical.from_codes(np.tile(np.arange(n), blocks), students["student_id"]),
        "subject": pd.Categorical.from_codes(np.repeat(np.arange(len(SUBJECTS)), len(windows) * n), SUBJECTS),
        "window": pd.Categorical.from_codes(np.tile(np.repeat(np.arange(len(windows)), n), len(SUBJECTS)), windows),
        "score": scores.reshape(-1),
        "proficient": pd.Categorical.from_codes(proficient.reshape(-1).astype(int), ["no", "yes"]),
    })


def write_district(folder: str | Path, n_students: int = SAMPLE_STUDENTS, seed: int = DEFAULT_SEED) -> list[Path]:
    """Generate the district and write one CSV per table into `folder`; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate_district(n_students, seed).items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "data/sample"
    students = int(sys.argv[2]) if len(sys.argv) > 2 else SAMPLE_STUDENTS
    for path in write_district(target, students):
        print(path)
