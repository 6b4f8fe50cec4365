"""A fictional district export in the shape a district office sends it, generated from a seed.

Not the kit's templates: five files with the district's own names and headers, the way a student
information system and an assessment vendor write them, so that the loader's mapping, value
confirmation, reshaping and window ordering can be tried (and tested) end to end:

- `students.csv`: "Student ID", "School", "Gender", "Ethnicity", "Free Lunch" coded F (free lunch) and
  N (not), "Birth Year" (a number, not a student group).
- `teachers.csv`: "Teacher ID", "School", "Years Experience", "Degree" (an attribute to compare by).
- `classes.csv`: "Student ID", "Teacher ID", "Grade", "Class Type" (small / regular): one class per
  student and grade, a student in a different class each year.
- `scores_long.csv`: "Student ID", "Subject", "Grade", "Scale Score": the grades K, 1, 2, 3 are the
  time points (windows), and the rows are sorted by grade as text, so K comes last.
- `scores_wide.csv`: the same scores with a column per subject and grade ("Math K", ..., "Reading 3").

A cohort enters kindergarten together; some join later and some leave, so not every student has
every grade. Planted tendencies (on top of noise): free-lunch students score lower; small classes add
a little each year.

>>> files = generate_export(300, seed=1)
>>> sorted(files), list(files["students"].columns)
(['classes', 'scores_long', 'scores_wide', 'students', 'teachers'], ['Student ID', 'School', 'Gender', 'Ethnicity', 'Free Lunch', 'Birth Year'])
>>> files["scores_long"]["Grade"].iloc[-1]
'K'
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

EXPORT_GRADES = ("K", "1", "2", "3")
EXPORT_SUBJECTS = ("Math", "Reading")
EXPORT_SCHOOLS = ("112", "123", "128", "164", "205", "244")
EXPORT_SEED = 1985
EXPORT_STUDENTS = 1_200
FREE_LUNCH, NOT_FREE_LUNCH = "F", "N"
CLASS_TYPES = ("small", "regular")
_ETHNICITY = (("White", 0.62), ("Black", 0.33), ("Hispanic", 0.02), ("Asian", 0.02), ("Other", 0.01))
_TEACHERS_PER_GRADE = 3  # at each school, each grade has this many classes


def generate_export(n_students: int = EXPORT_STUDENTS, seed: int = EXPORT_SEED) -> dict[str, pd.DataFrame]:
    """The five files of the export, as frames of text cells with the district's headers, keyed by
    file name without `.csv`; the same for the same seed."""
    rng = np.random.default_rng(seed)
    students, ability, free_lunch, school = _students(rng, n_students)
    teachers, class_type = _teachers(rng)
    present = _years_present(rng, n_students)
    classes, teacher_of = _classes(rng, students, school, present, class_type)
    scores = _scores(rng, students, ability, free_lunch, present, teacher_of, class_type)
    order = scores["Grade"].astype(str).argsort(kind="stable")  # a plain sort by grade: K after 3
    long = scores.iloc[order].reset_index(drop=True)
    return {"students": students, "teachers": teachers, "classes": classes, "scores_long": long,
            "scores_wide": _wide(scores, students)}


def _students(rng, count: int):
    school = rng.integers(0, len(EXPORT_SCHOOLS), count)
    free_lunch = rng.random(count) < 0.48
    ability = rng.normal(0, 1, count) - 0.5 * free_lunch
    frame = pd.DataFrame({
        "Student ID": (10001 + np.arange(count)).astype(str),
        "School": np.array(EXPORT_SCHOOLS)[school],
        "Gender": rng.choice(["Male", "Female"], count),
        "Ethnicity": rng.choice([name for name, _ in _ETHNICITY], count, p=[share for _, share in _ETHNICITY]),
        "Free Lunch": np.where(free_lunch, FREE_LUNCH, NOT_FREE_LUNCH),
        "Birth Year": (2011 + rng.integers(0, 3, count) - (rng.random(count) < 0.05)).astype(str),
    })
    return frame, ability, free_lunch, school


def _teachers(rng):
    count = len(EXPORT_SCHOOLS) * len(EXPORT_GRADES) * _TEACHERS_PER_GRADE
    index = np.arange(count)
    frame = pd.DataFrame({
        "Teacher ID": np.char.add("T", (501 + index).astype(str)),
        "School": np.array(EXPORT_SCHOOLS)[index // (len(EXPORT_GRADES) * _TEACHERS_PER_GRADE)],
        "Years Experience": rng.integers(0, 30, count).astype(str),
        "Degree": rng.choice(["Bachelors", "Masters"], count, p=[0.65, 0.35]),
    })
    class_type = np.where(index % _TEACHERS_PER_GRADE == 0, "small", "regular")
    return frame, class_type


def _years_present(rng, count: int) -> np.ndarray:
    """present[student, grade]: who was in the district that year (a cohort, with joiners and leavers)."""
    joins = np.minimum(rng.geometric(0.7, count) - 1, len(EXPORT_GRADES) - 1)
    leaves = np.where(rng.random(count) < 0.1, rng.integers(1, len(EXPORT_GRADES) + 1, count), len(EXPORT_GRADES))
    leaves = np.maximum(leaves, joins + 1)
    grade = np.arange(len(EXPORT_GRADES))[None, :]
    return (grade >= joins[:, None]) & (grade < leaves[:, None])


def _classes(rng, students, school, present, class_type):
    """Each year, each student present is in one class of their grade at their school, drawn afresh."""
    rows, teacher_of = [], np.full(present.shape, -1)
    per_school = len(EXPORT_GRADES) * _TEACHERS_PER_GRADE
    for grade_index, grade in enumerate(EXPORT_GRADES):
        who = np.flatnonzero(present[:, grade_index])
        teacher = school[who] * per_school + grade_index * _TEACHERS_PER_GRADE + rng.integers(
            0, _TEACHERS_PER_GRADE, len(who))
        teacher_of[who, grade_index] = teacher
        rows.append(pd.DataFrame({"Student ID": students["Student ID"].to_numpy()[who],
                                  "Teacher ID": np.char.add("T", (501 + teacher).astype(str)),
                                  "Grade": grade, "Class Type": class_type[teacher]}))
    return pd.concat(rows, ignore_index=True), teacher_of


def _scores(rng, students, ability, free_lunch, present, teacher_of, class_type):
    parts = []
    for subject_index, subject in enumerate(EXPORT_SUBJECTS):
        level = 430 + 35 * ability + rng.normal(0, 10, len(students)) + 8 * subject_index
        for grade_index, grade in enumerate(EXPORT_GRADES):
            if grade_index:
                small = class_type[np.maximum(teacher_of[:, grade_index], 0)] == "small"
                level = level + 45 + 6 * small - 4 * free_lunch + rng.normal(0, 8, len(students))
            who = np.flatnonzero(present[:, grade_index])
            score = np.clip(np.round(level[who] + rng.normal(0, 12, len(who))), 300, 700).astype(int)
            parts.append(pd.DataFrame({"Student ID": students["Student ID"].to_numpy()[who], "Subject": subject,
                                       "Grade": grade, "Scale Score": score.astype(str)}))
    return pd.concat(parts, ignore_index=True)


def _wide(scores: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    columns = [f"{subject} {grade}" for subject in EXPORT_SUBJECTS for grade in EXPORT_GRADES]
    wide = scores.assign(column=scores["Subject"] + " " + scores["Grade"]).pivot(
        index="Student ID", columns="column", values="Scale Score")
    wide = wide.reindex(index=students["Student ID"], columns=columns).dropna(how="all").fillna("")
    return wide.rename_axis(columns=None).reset_index()


def write_export(folder: str | Path, n_students: int = EXPORT_STUDENTS, seed: int = EXPORT_SEED) -> list[Path]:
    """Write the five files of the export into `folder` as CSVs; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate_export(n_students, seed).items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_export(sys.argv[1] if len(sys.argv) > 1 else "district-export"):
        print(written_path)
