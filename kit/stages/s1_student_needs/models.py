"""The models of stage 1: the filters and the frames they give, and the cycle's student learning goal.

No widgets: the app (`app.py`) builds controls and links them to these models.

>>> from kit.io import open_sample
>>> model = StudentNeedsModel(open_sample())
>>> model.group in model.group_columns
True
"""

from __future__ import annotations

import pandas as pd
from traitlets import Any, Int, List, Unicode

from kit.analysis import equity
from kit.apps.ahead import WorkAhead
from kit.apps.base import StageModel
from kit.apps.components import SAVED
from kit.io import Dataset
from kit.privacy import as_unit, describe_suppressed
from kit.privacy.cube import attached
from kit.stages.s1_student_needs import analysis as needs
from kit.store import Record

ALL = None  # a filter set to every value
REFERENCE_OPTIONS = ((equity.REFERENCE_WORDS[equity.REST], equity.REST),
                     (equity.REFERENCE_WORDS[equity.ALL], equity.ALL))

class StudentNeedsModel(StageModel):
    """The filters (school, grade, subject, window, group column, reference) and the frames they give.

    Every frame is already suppressed with the dataset's `min_group_size`. `revision` goes up each
    time the frames are recomputed, so a view redraws once per change. The frames that only some
    filters change (the ranked needs, the school x group table) are kept for the filters that made
    them, so going back to a selection, or changing a filter they ignore, does not recompute them.
    """

    #: How many frames the model keeps (the oldest go first).
    CACHE_SIZE = 64

    school = Unicode(None, allow_none=True)
    grade = Unicode(None, allow_none=True)
    subject = Unicode(None, allow_none=True)
    window = Unicode(None, allow_none=True)
    group = Unicode(None, allow_none=True)
    reference = Unicode(equity.REST)
    by_group = Any(help="needs.results_by_group for the filters")
    gaps = Any(help="equity.gaps of the mean scale score")
    distribution = Any(help="needs.distribution")
    heatmap = Any(help="needs.school_group_proficiency (every school)")
    revision = Int(0)

    stage_number = 1

    def __init__(self, dataset: Dataset, picker=None):
        super().__init__(picker, dataset)
        self.min_group_size = dataset.min_group_size
        self.results = None
        self.school_names: dict[str, str] = {}
        self._cache: dict[tuple, pd.DataFrame | list] = {}
        self.ahead = WorkAhead()
        if self.missing:
            return
        self.results = needs.prepare(dataset.table("students"), dataset.table("assessments"))
        if dataset.has("schools"):
            schools = dataset.table("schools")
            self.school_names = dict(zip(schools["school_id"].astype(str), schools["school_name"].astype(str)))
        windows = self.options("window")
        groups = self.group_columns
        self.set_trait("subject", (self.options("subject") or [None])[0])
        self.set_trait("window", windows[-1] if windows else None)
        self.set_trait("group", groups[0] if groups else None)
        self.observe(lambda change: self.update(), names=["school", "grade", "subject", "window", "group", "reference"])
        self.update()

    @property
    def ready(self) -> bool:
        return self.results is not None and self.group is not None

    @property
    def group_columns(self) -> list[str]:
        return needs.result_group_columns(self.results) if self.results is not None else []

    def options(self, column: str) -> list[str]:
        """The values a filter offers, from the data (windows in time order)."""
        if self.results is None:
            return []
        return list(self._kept(("options", column), lambda: needs.options(self.results, column)))

    def reference_options(self) -> list[tuple[str, str]]:
        """All other students, all students, or any group of the chosen column."""
        if not self.ready:
            return list(REFERENCE_OPTIONS)
        groups = self._kept(("groups", self.group), lambda: equity.order_groups(
            self.results[self.group].dropna().astype(str).unique()))
        return list(REFERENCE_OPTIONS) + [(equity.group_label(self.group, g), g) for g in groups]

    def selected(self, *, school: bool = True, window: bool = True) -> pd.DataFrame:
        return needs.select(self.results, school=self.school if school else None, grade=self.grade,
                            subject=self.subject, window=self.window if window else None)

    def update(self) -> None:
        """Recompute every frame for the current filters."""
        if not self.ready:
            return
        if self.reference not in {value for _, value in self.reference_options()}:
            self.set_trait("reference", equity.REST)
        size = self.min_group_size
        chosen = self.selected()
        self.by_group = needs.results_by_group(chosen, self.group, min_group_size=size)
        self.gaps = equity.gaps(chosen, "score", self.group, reference=self.reference, min_group_size=size)
        self.distribution = needs.distribution(chosen, self.group, min_group_size=size, by_group=self.by_group)
        self.heatmap = self._kept(("heatmap", self.grade, self.subject, self.window, self.group),
                                  lambda: needs.school_group_proficiency(self.selected(school=False), self.group,
                                                                         min_group_size=size))
        self.revision += 1
        self.ahead.replace(self._decisions_likely_next())

    def _decisions_likely_next(self) -> list:
        """Steps deciding what the coach's next filter change will most likely need (the dataset's
        disclosure decision is made per group column for every subject and window linked to the one
        shown, 0.2-0.5 s at 100,000 students): the other group columns here, then the two nearest
        windows, then the other subjects, each skipped when already decided with this one. While the
        coach reads, the kernel makes them (`kit.apps.ahead`)."""
        decisions = attached(self.results)
        if decisions is None or self.subject is None or self.window is None:
            return []
        decisions = decisions.for_unit(as_unit(self.min_group_size))
        windows = self.options("window")
        here = windows.index(self.window) if self.window in windows else 0
        nearest = sorted((w for w in windows if w != self.window), key=lambda w: abs(windows.index(w) - here))
        wanted = [((self.subject, self.window), group) for group in self.group_columns if group != self.group]
        wanted += [((self.subject, window), self.group) for window in nearest[:2]]
        wanted += [((subject, self.window), self.group) for subject in self.options("subject") if subject != self.subject]
        return [lambda key=key, group=group: decisions.groups(key, group) for key, group in wanted
                if not decisions.decided(key, group)]

    @property
    def needs(self) -> pd.DataFrame | None:
        """needs.priority_needs for the filters, computed when first asked for (by the priority needs
        tab or the goal form) and kept: it is most of the stage's build, for tabs a visit may never open."""
        if getattr(self, "results", None) is None or not self.ready:
            return None  # also while StageModel starts: its `needs` (tables) is None here, so it reads the stage's
        return self._kept(("needs", self.subject, self.window, self.school, self.grade),
                          lambda: needs.priority_needs(self.results, subject=self.subject, window=self.window,
                                                       school=self.school, grade=self.grade,
                                                       min_group_size=self.min_group_size))

    def _kept(self, key: tuple, compute):
        """The frame (or list) for `key` (the filters it depends on), computed once and kept: the
        lists a filter offers are a pass over every row too (0.04-0.08 s at 100,000 students)."""
        if key not in self._cache:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = compute()
        return self._cache[key]

    def summary(self) -> str:
        """The finding in one or two plain sentences."""
        if not self.ready:
            return ""
        everyone = self.by_group[self.by_group["group"] == equity.ALL_STUDENTS]
        where = self.describe_filters()
        if everyone.empty or bool(everyone["suppressed"].iloc[0]):
            return f"{where}: {describe_suppressed(self.min_group_size)} in this selection, so nothing is shown."
        row = everyone.iloc[0]
        text = f"{where}: {int(row['n']):,} students, mean scale score {row['mean_score']:.1f}"
        if pd.notna(row["share_proficient"]):
            text += f", {row['share_proficient']:.0%} proficient"
        withheld = int(self.by_group["suppressed"].sum())
        if withheld:
            text += f". {withheld} group{'s are' if withheld != 1 else ' is'} withheld (too few students to show)"
        return text + "."

    def describe_filters(self) -> str:
        school = self.school_names.get(self.school, self.school) if self.school else "All schools"
        grade = f"grade {self.grade}" if self.grade else "all grades"
        return f"{school}, {grade}, {self.subject or 'all subjects'}, {self.window or 'all windows'}"


class GoalModel(StageModel):
    """The cycle's student learning goals: checked against what a good goal has, saved, corrected."""

    stage_number, step, needs = 1, "goal", ()
    goals = List(help="the open cycle's student learning goals (saved records)")

    def load(self) -> None:
        self.goals = self.records("goals", goal_type="student_learning")

    @staticmethod
    def check(values: dict) -> pd.DataFrame:
        """What a good goal has, met or not (see `analysis.goal_checks`)."""
        return needs.goal_checks(**values)

    def save_goal(self, values: dict, goal: Record | None = None) -> Record | None:
        """Save a new goal (or change `goal`) for the open cycle; the status line says what it still lacks."""
        if not (values.get("what") or "").strip():
            self.report_problem("Write the goal first: what students will know or be able to do.")
            return None
        checks = self.check(values)
        kept = {key: value for key, value in values.items() if value not in ("", None)}
        record = self.upsert("student learning goal", "goals", goal, goal_type="student_learning", **kept)
        if record is not None:
            missing = checks.loc[~checks["met"], "quality"].tolist()
            self.load()
            self.report(SAVED, f"Saved the student learning goal \u201c{record.display_name}\u201d."
                        + (f" It does not yet have: {', '.join(missing)}." if missing
                           else " It has everything a good goal needs."))
        return record

    def archive_goal(self, goal: Record, archived: bool = True) -> Record | None:
        record = self.archive("student learning goal", goal, archived)
        if record is not None:
            self.load()
        return record
