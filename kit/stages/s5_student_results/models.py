"""The models of stage 5: growth, comparisons and gaps for the chosen windows, the whole chain of
evidence, the cost of the learning, and the coach's reflection. No widgets: the app (`app.py`)
builds controls and links them here.

>>> from kit.io import open_sample
>>> model = StudentResultsModel(None, open_sample())
>>> model.before, model.after, model.subject
('2025-26 fall', '2025-26 spring', 'math')
"""

from __future__ import annotations

import math

import pandas as pd
from traitlets import Any, Int, Unicode

from kit.analysis import equity
from kit.analysis.windows import order_windows
from kit.apps.base import ReflectionModel as BaseReflectionModel, StageModel
from kit.errors import KitError
from kit.store import Record
from kit.store.engine import view_only_default
from kit.stages.s1_student_needs import analysis as needs
from kit.workspace import load_settings, save_settings

from . import analysis as a
from .analysis import chain as chains
from .analysis.comparisons import NO_HOURS, growth_by_arm
from .analysis.cost import learning_cost
from .analysis.earlier_stages import earlier
from .analysis.evidence import educator_evidence, years_of
from .analysis._privacy import withheld_in_stage_1
from .analysis.gaps import compare_arms, gap_change_by_arm

#: Where costs the coach enters are kept: the workspace settings (a cost belongs to an activity, and
#: none of the store's record kinds describes an activity), as {activity_id: cost}.
COSTS_SETTING = "student_results_activity_costs"
IMPLEMENTATION, PARTICIPATION = "implementation", "participation"
EDUCATOR_VIEW = "educator_id"
REFLECTION_PROMPTS = (
    "Did students' results improve for every group, and where not yet?",
    "Where does the chain from learning to results hold, and where does it break?",
    "What would we keep, change or stop in the next cycle, given what it cost?",
)


def load_entered_costs() -> dict[str, float]:
    """The costs the coach entered, by activity id ({} when none)."""
    costs = load_settings().get(COSTS_SETTING, {})
    return {str(k): float(v) for k, v in costs.items()} if isinstance(costs, dict) else {}


def default_before(windows: list[str]) -> str:
    """The window growth starts from by default: the first of the latest window's school year (a
    year's growth), else the window before the latest.

    >>> default_before(["2024-25 fall", "2025-26 fall", "2025-26 winter", "2025-26 spring"])
    '2025-26 fall'
    """
    years = [years_of(window, windows[-1]) for window in windows[:-1]]
    same_year = [w for w, span in zip(windows[:-1], years) if span is not None and span[0] == span[1]]
    return same_year[0] if same_year else windows[-2]


def _values(record: Record) -> dict:
    return {"id": record.id, **dict(record.values)}


class StudentResultsModel(StageModel):
    """Stage 5's state: the windows, subject and choices, and every frame they give (already withheld
    where small). `revision` goes up each time the frames change, so a view redraws once per change."""

    stage_number = 5

    before = Unicode(None, allow_none=True)
    after = Unicode(None, allow_none=True)
    subject = Unicode(None, allow_none=True)
    compare_by = Unicode(IMPLEMENTATION, help="implementation, participation, or 'educators:col' / 'rosters:col'")
    group = Unicode(None, allow_none=True, help="the student group column of the gaps")
    growth_view = Unicode("school_id", help="the column growth is shown by")
    students_follow = Unicode(chains.LEVEL, help="the practice the students' link starts from: level or change")
    revision = Int(0)
    entered_costs = Any(help="{activity_id: cost} the coach entered")
    growth_table = Any()
    arms = Any()
    comparisons = Any()
    gaps = Any()
    arm_gaps = Any()
    links = Any()
    funnel = Any()
    school_changes = Any()
    cost = Any()

    def __init__(self, picker=None, dataset=None):
        super().__init__(picker, dataset)
        self.min_group_size = self.dataset.min_group_size
        self.evidence: dict | None = None
        self.school_breaks: list[str] = []
        self.sessions: list[Record] = []
        self.typed_observations: list[Record] = []
        self.map_components: list[dict] = []
        self.entered_costs = load_entered_costs()
        self._ready = not self.missing
        if not self._ready:
            return
        self.windows = order_windows(self.dataset.table("assessments")["window"].astype(str))
        self.subjects = sorted(self.dataset.table("assessments")["subject"].dropna().astype(str).unique())
        self.students = self.dataset.table("students")
        if len(self.windows) >= 2:
            self.set_trait("before", default_before(self.windows))
            self.set_trait("after", self.windows[-1])
        self.set_trait("subject", self.subjects[0] if self.subjects else None)
        groups = equity.group_columns(self.students)
        self.group_columns = groups
        self.set_trait("group", groups[0] if groups else None)
        self.observe(lambda _: self.recompute(), names=["before", "after"])
        self.observe(lambda _: self.refresh_chain(), names="students_follow")
        self.observe(lambda _: self.update(), names=["subject", "compare_by", "group", "growth_view"])
        self.load()

    # -- who may be named -------------------------------------------------------------------------------
    @property
    def individuals_hidden(self) -> bool:
        """True in a team's view-only app: no educator is named or followed there."""
        return view_only_default() or (self.picker is not None and self.picker.read_only)

    def table(self, name: str) -> pd.DataFrame | None:
        return self.dataset.table(name) if self.dataset.has(name) else None

    # -- reading and computing ----------------------------------------------------------------------------
    def load(self) -> None:
        """Read the open cycle's map, walkthroughs and coaching sessions (stage 4's), then recompute."""
        if not getattr(self, "_ready", False):
            return
        maps = self.records("ic_maps")
        components = self.records("ic_components", map_id=maps[0].id) if maps else []
        self.map_components = [dict(c.values) for c in sorted(components, key=lambda c: c.position or 0)]
        self.typed_observations = self.records("observations")
        self.sessions = self.records("coaching_sessions")
        self.recompute()

    def _tables(self) -> dict[str, pd.DataFrame]:
        tables = dict(self.dataset.tables)
        typed = earlier("typed_observations")([_values(r) for r in self.typed_observations])
        if len(typed) or "observations" in tables:
            tables["observations"] = earlier("merge_observations")(tables.get("observations"), typed)
        return tables

    def recompute(self) -> None:
        """The evidence for the chosen windows (a window problem goes to the status line)."""
        if not self._ready or self.before is None or self.after is None:
            return
        try:
            coaching = earlier("coaching_log")([_values(r) for r in self.sessions]) if self.sessions else None
            self.evidence = educator_evidence(self._tables(), self.before, self.after, coaching=coaching,
                                              ic_components=self.map_components)
        except KitError as error:
            self.evidence = None
            self.report_problem(error.message)
            return
        self._chain()
        self.update()

    def refresh_chain(self) -> None:
        """The chain again (its students' link changed); the other frames stay."""
        if self.evidence is not None:
            self._chain()
            self.revision += 1

    def update(self) -> None:
        """Every frame for the current choices."""
        if self.evidence is None:
            return
        ev, size = self.evidence, self.min_group_size
        growth = ev["growth"][ev["growth"]["subject"] == self.subject]
        self.growth_table = self._growth_table(growth)
        labelled = self._labelled()
        kind, column = self._kind()
        kind = {"rosters": "class", "educators": "educator"}.get(kind, kind)  # how arm_phrase names them
        if labelled is not None:
            order = self._order(labelled)
            self.arms = growth_by_arm(labelled, kind=kind, column=column, order=order, min_group_size=size)
            self.comparisons = a.comparisons(labelled, kind=kind, column=column, order=order, min_group_size=size)
            with_groups = a.with_students(labelled, self.students)
            self.gaps = gap_change_by_arm(with_groups, self.group, arms=list(self.arms["arm"]), min_group_size=size,
                                          withheld=self._withheld_in_stage_1(self.group)) \
                if self.group else None
            phrases = dict(zip(self.arms["arm"], self.arms["words"]))
            self.arm_gaps = (compare_arms(self.gaps, self.arms["arm"].iloc[0], self.arms["arm"].iloc[1], phrases)
                             if self.gaps is not None and len(self.arms) > 1 else None)
        else:
            self.arms = self.comparisons = self.gaps = self.arm_gaps = None
        self.revision += 1
        self.report_ready(f"Showing {self.subject} growth from {self.before} to {self.after}.")

    def _growth_table(self, growth: pd.DataFrame) -> pd.DataFrame:
        """Growth by the chosen view: a school, grade, subject (every subject) or student group, or, for
        the coach only, each educator's class (classes under the students' threshold withheld)."""
        size = self.min_group_size
        if self.growth_view == EDUCATOR_VIEW and not self.individuals_hidden and self.dataset.has("rosters"):
            classes = a.shown_by_educator(a.growth_by_educator(growth, self.dataset.table("rosters")), size)
            return pd.DataFrame({"group_column": "educator_id", "group": classes["educator_id"], "n": classes["students"],
                                 "mean_growth": classes["mean_growth"], "sd": classes["sd_growth"],
                                 "suppressed": classes["suppressed"], "note": classes["note"]})
        every_subject = self.evidence["growth"] if self.growth_view == "subject" else growth
        joined = a.with_students(every_subject, self.students)
        view = self.growth_view if self.growth_view in joined.columns else "school_id"
        return a.growth_by(joined, view, min_group_size=size, withheld=self._withheld_in_stage_1(view))

    def _withheld_in_stage_1(self, column: str) -> set[str]:
        """The values of `column` stage 1 withholds for all schools and grades in this subject's two
        windows (`withheld_in_stage_1`); stage 1's frame and its decision are made once per dataset."""
        if getattr(self, "_stage_1", None) is None:
            self._stage_1 = needs.prepare(self.students, self.dataset.table("assessments"))
        return withheld_in_stage_1(self._stage_1, self.subject, [self.before, self.after], column,
                                   min_group_size=self.min_group_size)

    def _chain(self) -> None:
        chain = self.evidence["chain"]
        self.links = chains.whole_chain_links(chain, self.students_follow)
        self.funnel = chains.chain_funnel(chain, self.students_follow)
        if self.dataset.has("educators"):
            self.school_changes, self.school_breaks = chains.school_breaks(chain, self.dataset.table("educators"),
                                                                           self.school_names())
        else:
            self.school_changes, self.school_breaks = None, []
        self.cost = self._cost()

    def _cost(self) -> pd.DataFrame | None:
        activities, attendance = self.table("learning_activities"), self.table("attendance")
        if activities is None or attendance is None:
            return None
        years = years_of(self.before, self.after)
        if years is not None and "date" in activities.columns:
            starts = activities["date"].map(lambda d: None if pd.isna(d) else int(earlier("school_year")(d)[:4]))
            activities = activities[starts.between(*years).to_numpy(dtype=bool)]
        implementation = self.evidence["implementation"]
        reached = (int((implementation["implementation"] == a.AT_OR_ABOVE).sum()) if implementation is not None
                   else None)
        return learning_cost(activities, attendance, reached, self.entered_costs)

    def _labelled(self) -> pd.DataFrame | None:
        links = self.evidence["links"]
        if links is None:
            return None
        links = links[links["subject"] == self.subject]
        kind, column = self._kind()
        if kind == IMPLEMENTATION:
            levels = self.evidence["implementation"]
            return a.label_students(links, "implementation", levels) if levels is not None else None
        if kind == PARTICIPATION:
            hours = self.evidence["hours"]
            everyone = self.table("educators")["educator_id"] if self.dataset.has("educators") else []
            return a.label_students(links, "participation", a.participation_levels(hours, everyone))
        if kind == "educators":
            return a.label_students(links, column, self.with_attributes("educators")[0])
        rosters, _ = self.with_attributes("rosters")
        links = a.class_links(self.evidence["growth"][self.evidence["growth"]["subject"] == self.subject], rosters)
        return a.label_students(links, column)

    def _order(self, labelled: pd.DataFrame) -> list[str] | None:
        """Implementation levels in stage 4's order; learning hours from most to none."""
        kind, _ = self._kind()
        if kind == IMPLEMENTATION:
            return list(a.IMPLEMENTATION_LEVELS)
        if kind == PARTICIPATION:
            arms = set(labelled["arm"])
            return sorted(arms, key=lambda arm: (arm == NO_HOURS, arm.startswith("fewer than"), arm))
        return None

    def _kind(self) -> tuple[str, str]:
        kind, _, column = self.compare_by.partition(":")
        return (kind, column) if kind in ("educators", "rosters") else (kind, "")

    def school_names(self) -> dict[str, str]:
        schools = self.table("schools")
        return {} if schools is None else dict(zip(schools["school_id"].astype(str), schools["school_name"].astype(str)))

    # -- options --------------------------------------------------------------------------------------------
    def comparison_options(self) -> list[tuple[str, str]]:
        """Implementation level, learning hours, then every extra column of the educators and rosters."""
        options = [("Implementation level (stage 4)", IMPLEMENTATION), ("Learning hours", PARTICIPATION)]
        for table, words in (("educators", "Educators' {}"), ("rosters", "Classes' {}")):
            _, attributes = self.with_attributes(table)
            options += [(words.format(str(c).replace("_", " ")), f"{table}:{c}") for c in attributes]
        return options

    def with_attributes(self, table: str) -> tuple[pd.DataFrame | None, list[str]]:
        """The loaded `educators` or `rosters` table with the coach's own extra columns, and their
        names: the one place stage 5 reads them (`Dataset.attributes` when the loader keeps them
        apart, else the extra columns of the loaded frame)."""
        frame = self.table(table)
        if frame is None:
            return None, []
        if not hasattr(self.dataset, "attributes"):
            return frame, a.extra_columns(frame, table)
        extras = self.dataset.attributes(table)
        key = [column for column in extras.columns if column in frame.columns]
        columns = [column for column in extras.columns if column not in key]
        if not columns:
            return frame, []
        base = frame.drop(columns=[c for c in columns if c in frame.columns]).reset_index(drop=True)
        if len(extras) == len(base):  # the same rows, in the same order (Dataset.attributes)
            return base.join(extras[columns]), columns
        return base.merge(extras.astype({c: str for c in key}).drop_duplicates(key), how="left",
                          on=key), columns

    def growth_view_options(self) -> list[tuple[str, str]]:
        options = [("School", "school_id"), ("Grade", "grade"), ("Subject", "subject")]
        options += [(f"Student group: {c.replace('_', ' ')}", c) for c in self.group_columns]
        return options + ([] if self.individuals_hidden else [("Each educator's class (coach only)", EDUCATOR_VIEW)])

    def educator_options(self) -> list[str]:
        """Educators the coach can follow through the chain ([] in a team's view)."""
        if self.individuals_hidden or self.evidence is None:
            return []
        return sorted(self.evidence["chain"]["educator_id"].astype(str))

    def follow(self, educator_id: str) -> pd.DataFrame:
        """One educator's chain (the coach only; empty in a team's view)."""
        if self.individuals_hidden or self.evidence is None:
            return pd.DataFrame(columns=["step", "words", "value", "median", "moved"])
        return chains.follow_educator(self.evidence["chain"], educator_id, self.students_follow)

    # -- words ------------------------------------------------------------------------------------------------
    def summary(self) -> str:
        if self.growth_table is None:
            return ""
        everyone = self.growth_table[self.growth_table["group"] == equity.ALL_STUDENTS]
        if everyone.empty or bool(everyone["suppressed"].iloc[0]):
            return "Too few students have scores in both windows to show their growth."
        row = everyone.iloc[0]
        text = (f"{int(row['n']):,} students have {self.subject} scores in both {self.before} and {self.after}; "
                f"their mean growth is {row['mean_growth']:.1f} points.")
        if self.comparisons is not None and len(self.comparisons):
            first = self.comparisons.iloc[0]
            text += " " + first["words"]
        return text

    def chain_words(self) -> str:
        if self.links is None:
            return ""
        return chains.where_it_breaks(self.links, self.funnel)

    # -- the coach's cost entries -------------------------------------------------------------------------------
    def activity_options(self) -> list[tuple[str, str]]:
        activities = self.table("learning_activities")
        if activities is None:
            return []
        return [(f"{row.activity_id}: {row.title}", str(row.activity_id)) for row in activities.itertuples()]

    def enter_cost(self, activity_id: str, cost) -> bool:
        """Keep what one activity cost (in the workspace settings); refused in a team's view."""
        if self.individuals_hidden:
            self.report_problem("This is a view-only app: costs are entered in the coach's own app.")
            return False
        try:
            value = float(cost)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            self.report_problem(f"A cost must be a number of at least 0, not {cost!r}.")
            return False
        known = {value for _, value in self.activity_options()}
        if activity_id not in known:
            self.report_problem(f"There is no learning activity {activity_id!r} in your data.")
            return False
        self.entered_costs = {**self.entered_costs, str(activity_id): value}
        save_settings(**{COSTS_SETTING: self.entered_costs})
        if self.evidence is not None:
            self.cost = self._cost()
            self.revision += 1
        self.report_ready(f"Kept the cost of {activity_id}: {value:,.2f}.")
        return True


class ReflectionModel(BaseReflectionModel):
    """The coach's reflections on student results, saved in the open cycle as `reflection` records (stage 5)."""

    stage_number = 5
