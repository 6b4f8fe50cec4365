"""Time a filter change in the student-needs app at district scale (100,000 students) against the
sample (3,000), for the model alone (analysis) and with the three charts redrawn (what a coach waits for).

Usage: python benchmarks/student_needs.py [n_students]
"""

import statistics
import sys
import time

from kit.apps.components import figure_png
from kit.stages.s1_student_needs.app import StudentNeedsModel
from kit.stages.s1_student_needs.charts import distribution_chart, gap_chart, proficiency_heatmap
from kit.io import open_dataset
from kit.sample import DISTRICT_STUDENTS, SAMPLE_STUDENTS, generate_district

CHANGES = (("school", "SCH02"), ("school", None), ("grade", "4"), ("grade", None), ("window", "2025-26 fall"),
           ("subject", "reading"), ("group", "english_learner"), ("window", "2025-26 spring"))


def model_for(n_students: int) -> StudentNeedsModel:
    frames = generate_district(n_students)
    dataset = open_dataset({name: frames[name] for name in ("schools", "students", "assessments")})
    return StudentNeedsModel(dataset)


def draw(model: StudentNeedsModel) -> None:
    for axes in (gap_chart(model.gaps), distribution_chart(model.distribution), proficiency_heatmap(model.heatmap)):
        figure_png(axes.figure)


def time_changes(model: StudentNeedsModel, with_charts: bool) -> list[float]:
    times = []
    for trait, value in CHANGES:
        start = time.perf_counter()
        setattr(model, trait, value)
        if with_charts:
            draw(model)
        times.append(time.perf_counter() - start)
    return times


def main(n_students: int = DISTRICT_STUDENTS) -> None:
    start = time.perf_counter()
    district = model_for(n_students)
    print(f"district: {n_students:,} students, {len(district.results):,} results; "
          f"loaded and joined in {time.perf_counter() - start:.1f} s")
    for with_charts in (False, True):
        label = "filter change with charts" if with_charts else "filter change, analysis only"
        # Fresh models for each run: the model keeps frames it has made, and the second run would
        # otherwise find every selection of the first one ready.
        district = district if not with_charts else model_for(n_students)
        big, small = time_changes(district, with_charts), time_changes(model_for(SAMPLE_STUDENTS), with_charts)
        print(f"{label}: district median {statistics.median(big):.2f} s, worst {max(big):.2f} s; "
              f"sample median {statistics.median(small):.2f} s; ratio {statistics.median(big) / statistics.median(small):.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DISTRICT_STUDENTS)
