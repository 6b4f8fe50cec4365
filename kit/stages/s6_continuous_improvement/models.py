"""The models of stage 6: run charts of the key measures, the cycle review (goals judged, reflections,
the decision), the next cycle, and the cycle report. No widgets: the app (`app.py`) builds controls
and links them here.

>>> ContinuousImprovementModel(None, None).missing     # a model with no data says what it needs
['assessments']
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pandas as pd
from traitlets import Any, Bool, Float, Int, List, Unicode

from kit.analysis import equity
from kit.analysis.windows import order_windows
from kit.charts.pictures import picture
from kit.apps.base import ReflectionModel as BaseReflectionModel
from kit.apps.base import StageModel
from kit.errors import KitError
from kit.registry import STAGES
from kit.store import Record
from kit.store.engine import view_only_default
from kit.workspace import workspace_dir, write_atomically

from .analysis import review as reviews
from .analysis import series as sr
from .analysis.evidence import chart_evidence, report_evidence
from .analysis.signals import drawing_key, judge_series
from .next_cycle import create_next_cycle

if TYPE_CHECKING:
    from .report import CycleContent

REFLECTION_PROMPTS = (
    "What worked in this cycle, and for which students?",
    "Where did the chain from learning to results hold, and where did it break?",
    "What will we do differently in the next cycle?",
)
REPORTS_FOLDER = "reports"


def _values(record: Record) -> dict:
    return {"id": record.id, "created_at": record.created_at, "created_by": record.created_by, **dict(record.values)}


def default_windows(windows: list[str]) -> tuple[str, str] | None:
    """The cycle's windows by default: the first and last window of the latest school year, else the
    last two windows.

    >>> default_windows(["2024-25 fall", "2025-26 fall", "2025-26 winter", "2025-26 spring"])
    ('2025-26 fall', '2025-26 spring')
    """
    if len(windows) < 2:
        return None
    year = sr.cycle_of(windows[-1])
    same = [w for w in windows if year is not None and sr.cycle_of(w) == year]
    return (same[0], windows[-1]) if len(same) >= 2 else (windows[-2], windows[-1])


def report_file_name(cycle_name: str, internal: bool) -> str:
    """A safe file name for a cycle's report.

    >>> report_file_name("Fall <literacy> 2025", True)
    'cycle-report-fall-literacy-2025-internal.html'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(cycle_name).lower()).strip("-")[:60] or "cycle"
    return f"cycle-report-{slug}{'-internal' if internal else ''}.html"


class ContinuousImprovementModel(StageModel):
    """Stage 6's state: the windows the cycle compares, the run charts' choices and verdicts, the
    review, the reflections and the decision of the open cycle, and the last report made.
    `revision` goes up each time the figures change, so a view redraws once per change."""

    stage_number = 6

    before = Unicode(None, allow_none=True, help="the cycle's first window of student results")
    after = Unicode(None, allow_none=True, help="the cycle's last window of student results")
    subject = Unicode(None, allow_none=True)
    group_column = Unicode(None, allow_none=True, help="the student group column of the run charts")
    rules = Unicode("anhoej", help="the run-chart rules in use: 'anhoej' (default) or 'all'")
    internal = Bool(False, help="the coach's internal report (names educators); refused in view-only mode")
    revision = Int(0)
    charts = Any(help="{title: RunChartSignals}")
    review = Any(help="the goals judged (analysis.goals.VERDICT_COLUMNS)")
    reflections = Any(help="every stage's reflections, in order")
    decision = Any(help="the open cycle's latest decision record, or None")
    report_html = Unicode("", help="the last report made")
    report_path = Unicode("", help="where the last report was written in the workspace")
    report_seconds = Float(0.0, help="how long the last report took")
    goals = List()
    plans = List()

    def chart_png(self, title: str) -> bytes:
        """The PNG of one run chart (the app and the report share it), drawn once for what it shows: a
        revision that leaves a chart as it was (another cycle on the same windows) keeps its picture."""
        def draw() -> bytes:
            from kit.report.cycle_report import png_of

            from .charts import measure_run_chart

            return png_of(measure_run_chart(self.charts[title]).figure)
        return picture(("run chart", self._chart_keys[title]), draw)

    def __init__(self, picker=None, dataset=None):
        super().__init__(picker, dataset)
        self.evidence: dict | None = None  # what the charts and the review read; the report's part once made
        self._evidence_key = None
        self._report_key = None  # the windows and map the report's part of `evidence` was worked out for
        self._educator_chain = None  # the chain per educator, for the internal report only
        self._chart_keys: dict = {}  # each chart's drawing_key, by title
        self.map_components: list[dict] = []
        self._ready = not self.missing
        if not self._ready:
            return
        assessments = self.dataset.table("assessments")
        self.windows = order_windows(assessments["window"].astype(str))
        self.subjects = sorted(assessments["subject"].dropna().astype(str).unique())
        self.group_columns = equity.group_columns(self.dataset.table("students")) if self.dataset.has("students") else []
        chosen = default_windows(self.windows)
        if chosen:
            self.set_trait("before", chosen[0])
            self.set_trait("after", chosen[1])
        self.set_trait("subject", self.subjects[0] if self.subjects else None)
        self.set_trait("group_column", "english_learner" if "english_learner" in self.group_columns else
                       (self.group_columns[0] if self.group_columns else None))
        self.observe(lambda _: self.recompute(), names=["before", "after"])
        self.observe(lambda _: self.update_charts(), names=["subject", "group_column", "rules"])
        self.load()

    @property
    def individuals_hidden(self) -> bool:
        """True in a team's view-only app: no educator is named there, not even in a report."""
        return view_only_default() or (self.picker is not None and self.picker.read_only)

    # -- reading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the open cycle's goals, plans, map, reflections and decision, then recompute."""
        self.goals = [_values(g) for g in self.records("goals")]
        self.plans = [_values(p) for p in self.records("plans")]
        maps = self.records("ic_maps")
        components = self.records("ic_components", map_id=maps[0].id) if maps else []
        self.map_components = [dict(c.values) for c in sorted(components, key=lambda c: c.position or 0)]
        self.load_reflections()
        self.load_decision()
        if getattr(self, "_ready", False):
            self.recompute()

    def load_decision(self) -> None:
        """Read the open cycle's latest decision again (after one is archived or restored)."""
        decisions = self.records("decisions")
        self.decision = decisions[-1] if decisions else None

    def load_reflections(self) -> None:
        """Read every stage's reflections in the open cycle again (after one is saved or archived;
        nothing else changes with them until a report is made)."""
        titles = {s.number: s.title for s in STAGES}
        self.reflections = reviews.reflections_in_order([_values(r) for r in self.records("reflections")], titles)

    def recompute(self) -> None:
        """The evidence the run charts and the review read for the cycle's windows (kept until the
        windows or the map change); the report's own part waits for a report (`complete_evidence`)."""
        if not self._ready or self.before is None or self.after is None:
            return
        if order_windows([self.before, self.after]) != [self.before, self.after] or self.before == self.after:
            self.report_problem("Choose a first window that comes before the last window.")
            return
        key = (self.before, self.after, repr(self.map_components))
        if key != self._evidence_key:
            try:
                self.evidence = chart_evidence(self.dataset.tables, self.before, self.after,
                                               ic_components=self.map_components)
            except KitError as error:
                self.evidence, self._evidence_key = None, None  # choosing these windows again tries again
                self.report_problem(error.message)
                return
            self._evidence_key = key
        self.review = self.judge_goals()
        self.update_charts()

    def judge_goals(self, internal: bool = False) -> pd.DataFrame:
        ev = self.evidence or {}
        return reviews.cycle_review(self.goals, self.plans, results=ev.get("results"),
                                    result_windows=(self.before, self.after), measures=ev.get("measures"),
                                    fidelity=ev.get("fidelity"), educator_windows=ev.get("educator_windows"),
                                    min_group_size=self.dataset.min_group_size, internal=internal)

    def series(self) -> dict[str, pd.DataFrame]:
        """Every key measure as a series: across windows, and across cycles (one point per school year)."""
        ev = self.evidence or {}
        found: dict[str, pd.DataFrame] = {}
        results = ev.get("results")
        if results is not None and self.subject and self.group_column:
            size = self.dataset.min_group_size
            every = sr.student_results_series(results, subject=self.subject, group_column=self.group_column,
                                              min_group_size=size)
            hidden = [g for g in equity.order_groups(results[self.group_column].astype(str).unique())
                      if g in ("no", equity.NOT_RECORDED)]  # "no" mirrors "yes"; "not recorded" is not a group
            for name, part in every.groupby("series", sort=False):
                if not any(f": {g}:" in name for g in hidden):
                    found[name] = part
            gap = sr.gap_series(results, subject=self.subject, group_column=self.group_column,
                                group=self._gap_group(results), min_group_size=size)
            if len(gap):
                found[gap["series"].iloc[0]] = gap
        if ev.get("fidelity") is not None:
            fidelity = sr.fidelity_series(ev["fidelity"])
            if len(fidelity):
                found[fidelity["series"].iloc[0]] = fidelity
        if ev.get("measures") is not None:
            for name, part in sr.learning_series(ev["measures"]).groupby("series", sort=False):
                found[name] = part
        across = {f"{name}, across cycles": sr.by_cycle(frame) for name, frame in found.items()
                  if "all students" in name or "gap of" in name}
        return {**{f"{name}, across windows": frame for name, frame in found.items()},
                **{name: frame for name, frame in across.items() if len(frame) >= 2}}

    def _gap_group(self, results: pd.DataFrame) -> str:
        labels = [g for g in equity.order_groups(results[self.group_column].astype(str).unique())
                  if g != equity.NOT_RECORDED]
        return "yes" if "yes" in labels else labels[0]

    def update_charts(self) -> None:
        if self.evidence is None:
            return
        charts = {name: judge_series(frame, rules=self.rules, min_group_size=self._size(frame))
                  for name, frame in self.series().items()}
        self._chart_keys = {name: drawing_key(signals) for name, signals in charts.items()}
        self.charts = charts
        self.revision += 1
        self.report_ready(f"Showing the cycle from {self.before} to {self.after}.")

    def _size(self, frame: pd.DataFrame) -> int | None:
        return self.dataset.min_group_size if len(frame) and frame["unit"].iloc[0] == "students" else None

    # -- saving ----------------------------------------------------------------------------------------
    def save_decision(self, decision: str, rationale: str, decided_on=None, existing: Record | None = None
                      ) -> Record | None:
        """Save the cycle's decision (adopt, adapt or abandon) with its reasons as a `decision` record;
        a later decision replaces the earlier one (the store keeps its versions). `existing` is a
        saved decision being corrected (by default the latest one, None once it is archived)."""
        problem = reviews.decision_problem(decision, rationale)
        if problem:
            self.report_problem(problem)
            return None
        record = self.upsert("decision", "decisions", existing if existing is not None else self.decision,
                             decision=decision, rationale=rationale.strip(),
                             decided_on=decided_on)
        if record is not None:
            self.load_decision()
        return record

    def create_next(self, name: str) -> Record | None:
        """Create the next cycle from the open one (goals, plan, map, focus as copies) and open it."""
        name = (name or "").strip()
        if not name:
            self.report_problem("Give the next cycle a name first.")
            return None
        if not self.has_cycle("create the next cycle"):
            return None
        old_id, store = self.cycle_id, self.store
        record = self.save("next cycle", lambda: create_next_cycle(store, old_id, name), verb="Created")
        if record is not None and self.picker is not None:
            self.picker.refresh()
            self.picker.cycle_id = record.id
            self.report_ready(f"Created the next cycle \u201c{record.name}\u201d from this one and opened it; "
                              "the earlier cycle is unchanged.")
        return record

    # -- the report ------------------------------------------------------------------------------------
    def complete_evidence(self) -> dict:
        """The evidence with the report's part added (worked out once per windows and map: it costs
        seconds, and only a report shows it). The chain per educator is kept apart, for `content`."""
        if self._report_key != self._evidence_key:
            more = report_evidence(self.dataset.tables, self.before, self.after, self.evidence,
                                   ic_components=self.map_components, min_group_size=self.dataset.min_group_size,
                                   internal=True)
            self._educator_chain = more["educators"]
            self.evidence = {**self.evidence, **more, "educators": None}
            self._report_key = self._evidence_key
        return self.evidence

    def content(self, internal: bool) -> CycleContent:
        from .report import CycleContent  # the report's modules (jinja2) load with the first report
        cycle = dict(self.picker.current.values) if self.picker is not None and self.picker.current else {}
        evidence = self.complete_evidence()
        if internal:
            evidence = {**evidence, "educators": self._educator_chain}
        return CycleContent(cycle=cycle, goals=self.goals, review=self.judge_goals(internal) if internal else self.review,
                            reflections=self.reflections, decision=dict(self.decision.values) if self.decision else None,
                            evidence=evidence, charts=self.charts or {}, windows=(self.before, self.after),
                            rules=self.rules)

    def make_report(self) -> str:
        """Make the cycle report, write it to the workspace's reports folder and keep it for download.
        The internal version is refused in a team's view-only app."""
        if self.evidence is None:
            self.report_problem("There is no evidence to report yet: load student results in Start here.")
            return ""
        internal = bool(self.internal)
        if internal and self.individuals_hidden:
            self.report_problem("The internal report names educators: it is made in the coach's own app only.")
            return ""
        started = time.perf_counter()
        try:
            self.complete_evidence()
        except KitError as error:
            self.report_problem(error.message)
            return ""
        from .report import cycle_report_html

        page = cycle_report_html(self.content(internal), internal=internal, chart_png=self.chart_png)
        name = report_file_name(self.content_name(), internal)
        path = ""
        if not self.read_only:
            try:
                path = str(write_atomically(workspace_dir() / REPORTS_FOLDER / name, page.encode("utf-8")))
            except OSError as error:
                self.report_problem(f"The report was made but could not be saved in the workspace "
                                    f"({error.strerror or error}); download it with the link instead.")
        self.report_seconds = time.perf_counter() - started
        self.report_path, self.report_html = path, page
        where = f" and saved as {path}" if path else ""
        self.report_ready(f"The cycle report is ready to download{where} ({self.report_seconds:.1f} s).")
        return page

    def content_name(self) -> str:
        current = self.picker.current if self.picker is not None else None
        return current.name if current is not None else "cycle"


__all__ = ["ContinuousImprovementModel", "REFLECTION_PROMPTS", "default_windows", "report_file_name"]


class CycleReflectionModel(BaseReflectionModel):
    """The coach's reflections on the whole cycle, saved as `reflection` records (stage 6), kept apart
    from `ContinuousImprovementModel` so that saving one recomputes no run chart."""

    stage_number = 6
