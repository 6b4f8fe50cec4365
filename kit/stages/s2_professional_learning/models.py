"""The models behind the stage 2 app: state and store calls, no widgets, so they are tested directly.

Each model is a `kit.apps.base.StageModel`: it follows the picker's open cycle, saves through the
base's one path (`upsert`, `archive`), so the status line says what was saved and when, and a
conflict or refusal keeps the coach's values (the model's methods then return None).

>>> from kit.apps.cycle_picker import CyclePickerModel
>>> from kit.store import open_store
>>> picker = CyclePickerModel(store=open_store())   # the workspace's store
>>> model = SelfAssessmentModel(picker)
>>> model.rate("", "equity_practices", 3, "") is None   # a rating needs its rater
True

"""

from __future__ import annotations

import pandas as pd
from traitlets import Dict, Instance, List, Unicode

from kit.stages.s2_professional_learning.analysis import participation as pl
from kit.stages.s2_professional_learning.analysis import standards_assessment as sa
from kit.stages.s2_professional_learning.analysis.plan import LearningPlan, alignment_gaps, alignment_matrix, plan_activities_frame, plan_checks
from kit.apps.base import StageModel
from kit.errors import DataError
from kit.io import Dataset
from kit.report.ic_map import ic_map_page
from kit.store import Record

RATING_COLUMNS = ["standard_id", "rater", "rating", "evidence", "saved_by", "saved_at"]
ACCESS_TABLES = ("students", "rosters")


class SelfAssessmentModel(StageModel):
    """Step 1: the team's ratings of its professional learning against each standard, per rater."""

    stage_number, step, needs = 2, "self-assessment", ()
    ratings = Instance(pd.DataFrame, kw={"columns": RATING_COLUMNS})
    previous = Instance(pd.DataFrame, kw={"columns": RATING_COLUMNS})
    previous_cycle = Unicode("", help="name of the earlier cycle the change is measured from")

    def load(self) -> None:
        self._saved = {(r.rater, r.standard_id): r for r in self.records("standard_ratings")}
        self.ratings = self._frame(self._saved.values())
        self.previous_cycle, self.previous = "", self._frame([])
        if self.store is None or self.cycle_id is None:
            return
        cycles = [cycle for cycle in self.store.cycles.list(include_archived=True)]
        ids = [cycle.id for cycle in cycles]
        for cycle in reversed(cycles[: ids.index(self.cycle_id)] if self.cycle_id in ids else []):
            earlier = self.store.standard_ratings.list(cycle.id)
            if earlier:
                self.previous_cycle, self.previous = cycle.name, self._frame(earlier)
                return

    @staticmethod
    def _frame(records) -> pd.DataFrame:
        return pd.DataFrame([{"standard_id": r.standard_id, "rater": r.rater, "rating": r.rating, "evidence": r.note or "",
                              "saved_by": r.updated_by, "saved_at": r.updated_at} for r in records], columns=RATING_COLUMNS)

    def rate(self, rater: str, standard_id: str, rating: int, evidence: str) -> Record | None:
        """Save one rater's rating of one standard with its line of evidence (replacing their earlier one)."""
        rater = " ".join((rater or "").split())
        if not rater:
            self.report_problem("Type the rater's name or initials first, so several raters can be told apart.")
            return None
        earlier = self._saved.get((rater, standard_id))
        values = {"rating": int(rating), "note": evidence}
        record = self.upsert("rating", "standard_ratings", earlier, **values) if earlier else self.upsert(
            "rating", "standard_ratings", None, standard_id=standard_id, rater=rater, **values)
        if record is not None:
            self.load()
        return record

    def rating_of(self, rater: str, standard_id: str) -> Record | None:
        return self._saved.get((" ".join((rater or "").split()), standard_id))

    @property
    def raters(self) -> list[str]:
        return sorted(self.ratings["rater"].unique().tolist())

    def summary(self) -> pd.DataFrame:
        return sa.standard_summary(self.ratings)

    def groups(self) -> pd.DataFrame:
        return sa.group_summary(self.ratings)

    def agreement(self) -> pd.DataFrame:
        return sa.rater_agreement(self.ratings)

    def strengths(self) -> pd.DataFrame:
        return sa.strengths_and_focus(self.ratings)

    def change(self) -> pd.DataFrame | None:
        """Change per standard since the latest earlier cycle with ratings (None when there is none)."""
        return sa.change_since(self.ratings, self.previous) if self.previous_cycle else None


class PlanModel(StageModel):
    """Step 2: the cycle's learning plan (one per cycle) and the student learning goal it serves."""

    stage_number, step, needs = 2, "plan", ()
    plan = Instance(LearningPlan, allow_none=True)
    student_goals = List(help="(text, id) of the cycle's student learning goals")

    def load(self) -> None:
        plans = self.records("plans")
        self.record: Record | None = plans[0] if plans else None
        self.student_goals = [(goal.what, goal.id) for goal in self.records("goals", goal_type="student_learning")]
        self.plan = LearningPlan.from_summary(self.record.title, self.record.summary) if self.record else None

    def goal_text(self) -> str:
        """The cycle's student learning goals in words (what and who), to find the groups they name."""
        return " ".join(f"{goal.what} {goal.who or ''}" for goal in self.records("goals", goal_type="student_learning"))

    def add_student_goal(self, text: str) -> Record | None:
        """Write the cycle's student learning goal in one line (when stage 1 has not)."""
        record = self.upsert("student learning goal", "goals", None, goal_type="student_learning", what=text)
        if record is not None:
            self.student_goals = self.student_goals + [(record.what, record.id)]
        return record

    def save_plan(self, plan: LearningPlan) -> Record | None:
        """Save the whole plan in one transaction; a conflict or refusal keeps `plan` unsaved (None)."""
        values = {"title": plan.title, "summary": plan.to_summary()}
        record = self.upsert("learning plan", "plans", self.record, **values)
        if record is not None:
            self.record, self.plan = record, plan
        return record

    def checks(self, plan: LearningPlan) -> list[str]:
        return plan_checks(plan, has_student_goal=bool(plan.student_goal_id or self.student_goals))

    @staticmethod
    def alignment(plan: LearningPlan) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(activities x standards matrix, the standards no activity addresses)."""
        activities = plan_activities_frame(plan)
        return alignment_matrix(activities), alignment_gaps(activities)


class ParticipationModel(StageModel):
    """Step 3: hours of professional learning from the dataset's learning_activities and attendance."""

    stage_number, step = 2, "participation"
    year = Unicode(pl.ALL_YEARS)

    def __init__(self, dataset: Dataset, picker=None):
        super().__init__(picker, dataset)

    @property
    def years(self) -> list[str]:
        if self.missing:
            return [pl.ALL_YEARS]
        return [pl.ALL_YEARS] + pl.school_years(self.dataset.table("learning_activities"))

    def _in_year(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        if self.missing:
            raise DataError(self.needs_data_message)
        return pl.in_school_year(self.dataset.table("learning_activities"), self.dataset.table("attendance"), self.year)

    def per_educator(self) -> pd.DataFrame:
        activities, attendance = self._in_year()
        return pl.hours_per_educator(self.dataset.table("educators"), activities, attendance)

    def by(self, column: str) -> pd.DataFrame:
        """Participation by school_id or role, or hours by design (`column="design"`)."""
        if column == "design":
            return pl.hours_by_design(*self._in_year())
        return pl.participation_by(self.per_educator(), column)

    def without_learning(self) -> pd.DataFrame:
        return pl.without_learning(self.per_educator())

    # -- equity of access -------------------------------------------------------------------------
    def access_needs(self) -> str:
        """What to provide for the equity-of-access view (empty when all is there)."""
        missing = [name for name in ACCESS_TABLES if not self.dataset.has(name)]
        return ("The equity-of-access view also needs " + " and ".join(f"{name}.csv" for name in missing) + "."
                if missing else "")

    def group_choices(self) -> list[tuple[str, str, str]]:
        return [] if self.access_needs() else pl.group_choices(self.dataset.table("students"))

    def groups_named_in(self, text: str) -> list[tuple[str, str, str]]:
        return [] if self.access_needs() else pl.groups_named_in(text, self.dataset.table("students"))

    def access(self, column: str, value: str) -> pd.DataFrame:
        """Hours of educators who teach the group against the rest (rosters of the chosen school year
        when the rosters have it as a term, else every term), suppressed below the threshold."""
        if self.access_needs():
            raise DataError(self.access_needs())
        rosters = self.dataset.table("rosters")
        if self.year in set(rosters["term"].astype(str)):
            rosters = rosters[rosters["term"].astype(str) == self.year]
        return pl.access_by_group(self.per_educator(), self.dataset.table("students"), rosters, column, value,
                                  min_group_size=self.dataset.min_group_size)


class ICMapModel(StageModel):
    """Step 4: the Innovation Configuration map of the practice the learning aims at (one per cycle)."""

    stage_number, step, needs = 2, "practice map", ()
    components = List(help="the map's component records, in order")
    map_name = Unicode("")
    innovation = Unicode("")
    unsaved = Dict()

    def load(self) -> None:
        maps = self.records("ic_maps")
        self.map: Record | None = maps[0] if maps else None
        self.map_name = self.map.name if self.map else ""
        self.innovation = (self.map.innovation or "") if self.map else ""
        found = self.records("ic_components", map_id=self.map.id) if self.map else []
        self.components = sorted(found, key=lambda c: (c.position if c.position is not None else 0, c.created_at))

    def save_map(self, name: str, innovation: str) -> Record | None:
        values = {"name": name, "innovation": innovation}
        record = self.upsert("practice map", "ic_maps", self.map, **values)
        if record is not None:
            self.map, self.map_name, self.innovation = record, record.name, record.innovation or ""
        return record

    def save_component(self, name: str, variations: list[str], acceptable_line: int,
                       component: Record | None = None) -> Record | None:
        """Add a component at the end of the map (or save changes to `component`). Variations run from
        the ideal; `acceptable_line` counts how many of them, from the ideal, are acceptable."""
        if self.map is None:
            self.report_problem("Save the map's name first, then add its components.")
            return None
        variations = [" ".join(text.split()) for text in variations if text.strip()]
        values = {"name": name, "variations": variations, "acceptable_line": acceptable_line}
        position = max((c.position or 0 for c in self.components), default=0) + 1
        record = (self.upsert("practice map component", "ic_components", component, **values) if component else
                  self.upsert("practice map component", "ic_components", None, map_id=self.map.id, position=position,
                              **values))
        if record is not None:
            self.load()
        return record

    def remove_component(self, component: Record) -> Record | None:
        """Take a component off the map (archived: it stays in the store and in backups)."""
        record = self.archive("practice map component", component)
        if record is not None:
            self.load()
        return record

    def frame(self) -> pd.DataFrame:
        """The map as a table: component, then one column per variation (ideal first), acceptable up to."""
        width = max((len(c.variations) for c in self.components), default=0)
        rows = []
        for c in self.components:
            cells = {("ideal" if n == 0 else f"variation {n + 1}"): text for n, text in enumerate(c.variations)}
            rows.append({"component": c.name, **cells, "acceptable up to": f"variation {c.acceptable_line}"})
        return pd.DataFrame(rows, columns=["component"] + ["ideal"] + [f"variation {n}" for n in range(2, width + 1)]
                            + ["acceptable up to"] if width else None)

    def page(self) -> str:
        """The printable page of the map (self-contained HTML)."""
        return ic_map_page(self.map_name, self.innovation, [dict(c.values) for c in self.components])

