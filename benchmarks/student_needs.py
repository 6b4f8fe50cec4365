"""Time a filter change in the student-needs app at district scale (100,000 students) and on the
sample (3,000), with the dataset's one disclosure decision (`kit.privacy.cube`) and, as the baseline
measured in the same run, without it (each view suppressed on its own, as before the cube), for the
model alone (analysis) and with the three charts redrawn (what a coach waits for). Ratios are
cube / baseline. The two models take each filter change in turn (which goes first alternates), with
fresh models for each of `repeats` rounds, so a shared machine's changing load meets both alike.

Each is timed twice: "back to back", every change made the moment the last one is shown (nothing
can be decided ahead), and "at a coach's pace", the kernel's loop left idle between changes as while
a coach reads the page, so the model decides what the next change is likely to need
(`kit.apps.ahead`; that untimed work is said in CPU seconds).

With a third argument, that percent of the scores is dropped at random (a real export misses a few):
the subjects and windows then differ a little, and their one decision is made on each cell's smallest
count over them (and the counts of each looked up), where a district with every score decides one of
them for all.

Usage: python benchmarks/student_needs.py [n_students] [repeats] [missing_percent]
"""

import asyncio
import statistics
import sys
import time
from contextlib import contextmanager

import numpy as np

from kit.apps.components import figure_png
from kit.io import open_dataset
from kit.privacy.cube import attached
from kit.sample import DISTRICT_STUDENTS, SAMPLE_STUDENTS, generate_district
from kit.stages.s1_student_needs import analysis as needs
from kit.stages.s1_student_needs.charts import distribution_chart, gap_chart, proficiency_heatmap
from kit.stages.s1_student_needs.models import StudentNeedsModel

CHANGES = (("school", "SCH02"), ("school", None), ("grade", "4"), ("grade", None), ("window", "2025-26 fall"),
           ("subject", "reading"), ("group", "english_learner"), ("window", "2025-26 spring"))


@contextmanager
def without_cube():
    """Models built inside have no cube decision: every view suppresses on its own (the baseline)."""
    kept = needs.attach
    needs.attach = lambda frame, decisions: frame
    try:
        yield
    finally:
        needs.attach = kept


def dataset_for(n_students: int, missing_percent: float = 0.0):
    frames = generate_district(n_students)
    scores = frames["assessments"]
    kept = np.random.default_rng(1).random(len(scores)) >= missing_percent / 100
    return open_dataset({"schools": frames["schools"], "students": frames["students"], "assessments": scores[kept]})


def draw(model: StudentNeedsModel) -> None:
    for axes in (gap_chart(model.gaps), distribution_chart(model.distribution), proficiency_heatmap(model.heatmap)):
        figure_png(axes.figure)


def time_change(model: StudentNeedsModel, trait: str, value, with_charts: bool) -> float:
    start = time.perf_counter()
    setattr(model, trait, value)
    if with_charts:
        draw(model)
    return time.perf_counter() - start


def time_changes(dataset, with_charts: bool, repeats: int, reading: bool) -> tuple[dict, float]:
    """For the baseline (False) and the cube (True): the first views' seconds and every change's,
    the two models taking each change in turn; and the CPU seconds spent deciding ahead."""
    return asyncio.run(_time_changes(dataset, with_charts, repeats, reading))


async def _time_changes(dataset, with_charts: bool, repeats: int, reading: bool) -> tuple[dict, float]:
    times, ahead = {False: ([], []), True: ([], [])}, 0.0
    for round_ in range(repeats):
        models = {}
        for cube in ((False, True) if round_ % 2 == 0 else (True, False)):
            models[cube], first = build(dataset, cube)
            times[cube][0].append(first)
        for step, (trait, value) in enumerate(CHANGES):
            if reading:  # the coach reads the page: the loop runs the work queued ahead
                start = time.process_time()
                for model in models.values():
                    await model.ahead.finished()
                ahead += time.process_time() - start
            for cube in ((False, True) if (round_ + step) % 2 == 0 else (True, False)):
                times[cube][1].append(time_change(models[cube], trait, value, with_charts))
    return times, ahead


def build(dataset, cube: bool) -> tuple[StudentNeedsModel, float]:
    """A fresh model (it keeps frames it has made) and the seconds its first view took."""
    start = time.perf_counter()
    if cube:
        model = StudentNeedsModel(dataset)
    else:
        with without_cube():
            model = StudentNeedsModel(dataset)
    return model, time.perf_counter() - start


def decision_seconds(dataset) -> float:
    """Deciding one subject and window for every group column, with every subject and window linked to
    it (`CubeDecisions._linked_keys`): what a first view costs at most."""
    results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
    decisions = attached(results)
    key = (needs.options(results, "subject")[0], needs.options(results, "window")[-1])
    start = time.perf_counter()
    for column in needs.result_group_columns(results):
        decisions.groups(key, column)
    return time.perf_counter() - start


def main(n_students: int = DISTRICT_STUDENTS, repeats: int = 2, missing_percent: float = 0.0) -> None:
    for label, size in (("sample", SAMPLE_STUDENTS), ("district", n_students)):
        start = time.perf_counter()
        dataset = dataset_for(size, missing_percent)
        print(f"{label}: {size:,} students, {missing_percent:g}% of scores missing; generated and read in {time.perf_counter() - start:.1f} s; "
              f"one subject and window (and those linked to it) decided for every group column in {decision_seconds(dataset):.2f} s")
        for with_charts in (False, True):
            for reading in (False, True):
                what = ("with charts" if with_charts else "analysis only") + (", at a coach's pace" if reading
                                                                              else ", back to back")
                times, ahead = time_changes(dataset, with_charts, repeats, reading)
                figures = {cube: (statistics.median(firsts), statistics.median(changes), max(changes))
                           for cube, (firsts, changes) in times.items()}
                (b_first, b_median, b_worst), (c_first, c_median, c_worst) = figures[False], figures[True]
                print(f"  filter change, {what}: baseline median {b_median:.2f} s (worst {b_worst:.2f}, first "
                      f"view {b_first:.2f}); with the cube median {c_median:.2f} s (worst {c_worst:.2f}, first "
                      f"view {c_first:.2f}); ratio median {c_median / b_median:.2f}x, worst {c_worst / b_worst:.2f}x"
                      + (f"; decided ahead in {ahead:.1f} CPU-s while reading" if reading else ""))

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DISTRICT_STUDENTS, int(sys.argv[2]) if len(sys.argv) > 2 else 2,
         float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
