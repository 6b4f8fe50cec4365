"""Stage 1, student learning needs: results by group, the gaps, and the cycle's student learning goal.

Model and view apart: `StudentNeedsModel` turns the filters into frames (tested directly);
`StudentNeedsApp` builds the controls, draws the charts and saves the goal through the cycle picker.

>>> student_needs_app()                                   # doctest: +SKIP
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from traitlets import Any, HasTraits, Int, List, Unicode

from kit.analysis import equity
from kit.stages.s1_student_needs import analysis as needs
from kit.apps.components import DONE, FAILED, READY, figure_png, html_table, set_status
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset
from kit.privacy import describe_suppressed

NEEDED_TABLES = ("students", "assessments")
ALL = None  # a filter set to every value
# A drop-down cannot show a None value (it shows a blank), so "All" has a stand-in in the widgets.
ALL_IN_WIDGET = "(all)"
REFERENCE_OPTIONS = ((equity.REFERENCE_WORDS[equity.REST], equity.REST),
                     (equity.REFERENCE_WORDS[equity.ALL], equity.ALL))

_GROUP_TABLE_COLUMNS = {"group": "group", "n": "students", "mean_score": "mean scale score",
                        "share_proficient": "share proficient", "note": "note"}
_NEED_TABLE_COLUMNS = {"rank": "rank", "subject": "subject", "group_column": "group column", "group": "group",
                       "students": "students", "gap_points": "gap (points)", "gap_low": "95% interval",
                       "certainty": "certainty", "gap_proficient_points": "gap (% proficient)",
                       "trend": "since earlier window"}


def _fmt(value, kind: str) -> str:
    if pd.isna(value):
        return ""
    return {"share": f"{value:.0%}", "points": f"{value:+.1f}", "number": f"{value:.1f}",
            "count": f"{int(value):,}"}[kind]


class StudentNeedsModel(HasTraits):
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
    missing = List(help="the tables this stage needs that the dataset lacks")
    by_group = Any(help="needs.results_by_group for the filters")
    gaps = Any(help="equity.gaps of the mean scale score")
    distribution = Any(help="needs.distribution")
    heatmap = Any(help="needs.school_group_proficiency (every school)")
    needs = Any(help="needs.priority_needs for the filters")
    revision = Int(0)

    def __init__(self, dataset: Dataset):
        super().__init__()
        self.min_group_size = dataset.min_group_size
        self.missing = [name for name in NEEDED_TABLES if not dataset.has(name)]
        self.results = None
        self.school_names: dict[str, str] = {}
        self._cache: dict[tuple, pd.DataFrame] = {}
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
        return needs.options(self.results, column) if self.results is not None else []

    def reference_options(self) -> list[tuple[str, str]]:
        """All other students, all students, or any group of the chosen column."""
        if not self.ready:
            return list(REFERENCE_OPTIONS)
        groups = equity.order_groups(self.results[self.group].dropna().astype(str).unique())
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
        self.needs = self._kept(("needs", self.subject, self.window, self.school, self.grade),
                                lambda: needs.priority_needs(self.results, subject=self.subject, window=self.window,
                                                             school=self.school, grade=self.grade, min_group_size=size))
        self.revision += 1

    def _kept(self, key: tuple, compute) -> pd.DataFrame:
        """The frame for `key` (the filters it depends on), computed once and kept."""
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


def _in_widget(value):
    return ALL_IN_WIDGET if value is ALL else value


class StudentNeedsApp:
    """The stage 1 app. `StudentNeedsApp().view` is the widget to display."""

    def __init__(self, dataset: Dataset | None = None, picker=None):
        self.shell = StageShell(1, dataset=dataset, picker=picker)
        self.status = self.shell.status
        self.model = StudentNeedsModel(self.shell.dataset)
        if self.model.missing:
            self.view = self.shell.page(widgets.HTML(self._missing_html()))
            set_status(self.status, FAILED, "This stage needs the "
                       + " and ".join(self.model.missing) + " table" + ("s" if len(self.model.missing) > 1 else "")
                       + ": add them in Start here.")
            return
        self._build()
        self.view = self.shell.page(*self._layout())
        self._redraw()
        self._show_goals()

    # -- building --------------------------------------------------------------------------------------
    def _build(self) -> None:
        m, guard = self.model, self.shell.guard
        everything = [("All schools", ALL_IN_WIDGET)]
        self.school = widgets.Dropdown(description="School", options=everything + [
            (m.school_names.get(s, s), s) for s in m.options("school_id")], value=_in_widget(m.school))
        self.grade = widgets.Dropdown(description="Grade", options=[("All grades", ALL_IN_WIDGET)] + [
            (g, g) for g in m.options("grade")], value=_in_widget(m.grade))
        self.subject = widgets.Dropdown(description="Subject", options=m.options("subject"), value=m.subject)
        self.window = widgets.Dropdown(description="Window", options=m.options("window"), value=m.window)
        self.group = widgets.Dropdown(description="Groups", options=[(c.replace("_", " "), c) for c in m.group_columns],
                                      value=m.group)
        self.reference = widgets.Dropdown(description="Compare with", options=m.reference_options(),
                                          value=m.reference, style={"description_width": "initial"})
        for control, trait in ((self.school, "school"), (self.grade, "grade"), (self.subject, "subject"),
                               (self.window, "window"), (self.group, "group"), (self.reference, "reference")):
            control.observe(guard(lambda change, t=trait: self._set_filter(t, change.new)), names="value")
        self.summary = widgets.HTML()
        self.by_group_table = widgets.HTML()
        self.needs_table = widgets.HTML()
        image = dict(format="png", layout=widgets.Layout(max_width="900px"))
        self.distribution_image = widgets.Image(**image)
        self.gap_image = widgets.Image(**image)
        self.heatmap_image = widgets.Image(**image)
        # The goal form.
        self.need_choice = widgets.Dropdown(description="Priority need", layout=widgets.Layout(width="900px"),
                                            style={"description_width": "initial"})
        self.use_need = widgets.Button(description="Start the goal from this need", layout=widgets.Layout(width="auto"))
        text = widgets.Layout(width="700px")
        self.goal_what = widgets.Textarea(description="Goal", layout=widgets.Layout(width="700px", height="70px"),
                                          placeholder="What students will know or be able to do")
        self.goal_who = widgets.Text(description="Students", layout=text, placeholder="Which students")
        self.goal_measure = widgets.Text(description="Measure", layout=text,
                                         placeholder="How you will know (assessment, student work)")
        self.goal_target = widgets.Text(description="Target", layout=text, placeholder="e.g. 70% proficient")
        self.goal_by_when = widgets.DatePicker(description="By")
        self.check_goal = widgets.Button(description="Check the goal", icon="check")
        self.save_goal = widgets.Button(description="Save the goal", button_style="primary", icon="save")
        self.goal_check = widgets.HTML()
        self.saved_goals = widgets.HTML()
        self.goal_form = widgets.VBox([self.need_choice, self.use_need, self.goal_what, self.goal_who,
                                       self.goal_measure, self.goal_target, self.goal_by_when,
                                       widgets.HBox([self.check_goal, self.save_goal]), self.goal_check])
        self.use_need.on_click(guard(lambda _: self._start_from_need()))
        self.check_goal.on_click(guard(lambda _: self._check()))
        self.save_goal.on_click(guard(lambda _: self.save()))
        self.shell.picker.observe(guard(lambda _: self._show_goals()), names="cycle_id")
        self.shell.editing(self.goal_form)

    def _layout(self) -> list[widgets.Widget]:
        guide = ("<p class='kit-note'>Choose the students to look at. Every chart and table follows the filters. "
                 f"Groups of {describe_suppressed(self.model.min_group_size)} are withheld everywhere, and so is any "
                 "group whose size could be worked out from the others.</p>")
        return [
            widgets.HTML(guide),
            widgets.HBox([self.school, self.grade, self.subject]), widgets.HBox([self.window, self.group, self.reference]),
            self.summary,
            widgets.HTML("<h3>Results by group</h3>"), self.by_group_table,
            widgets.HTML("<h3>Gaps</h3><p class='kit-note'>Bars left of the line trail the comparison group; "
                         "bars right of it are ahead.</p>"), self.gap_image,
            widgets.HTML("<h3>How scores spread</h3><p class='kit-note'>The box holds the middle half of the "
                         "students, the line runs from the 10th to the 90th percentile, the tick is the "
                         "median.</p>"), self.distribution_image,
            widgets.HTML("<h3>Proficiency by school and group</h3><p class='kit-note'>Darker cells: fewer "
                         "students proficient. Hatched grey cells are withheld.</p>"), self.heatmap_image,
            widgets.HTML("<h3>Candidate priority needs</h3><p class='kit-note'>Groups whose results trail all other "
                         "students: clear gaps (the 95% interval is wholly below zero) first, then gaps that may be "
                         "chance; within each, the gap weighed by its precision. A need describes results and "
                         "what instruction has not yet done, never the students themselves.</p>"), self.needs_table,
            widgets.HTML("<h3>The cycle's student learning goal</h3>"), self.goal_form,
            widgets.HTML("<h4>Goals saved for this cycle</h4>"), self.saved_goals,
        ]

    def _missing_html(self) -> str:
        names = ", ".join(f"{name}.csv" for name in self.model.missing)
        return (f"<p>This stage looks at students' results by group, so it needs these tables: "
                f"<b>{html.escape(names)}</b>. Add them in <a href='00_start_here.ipynb'>Start here</a>, "
                "where you can also download an empty template for each.</p>")

    # -- reacting ----------------------------------------------------------------------------------------
    def _set_filter(self, trait: str, value) -> None:
        setattr(self.model, trait, ALL if value == ALL_IN_WIDGET else value)
        if trait == "group":
            self.reference.options = self.model.reference_options()
            self.reference.value = self.model.reference
        self._redraw()

    def _redraw(self) -> None:
        m = self.model
        self.summary.value = f"<p><b>{html.escape(m.summary())}</b></p>"
        table = m.by_group[list(_GROUP_TABLE_COLUMNS)].rename(columns=_GROUP_TABLE_COLUMNS).assign(**{
            "students": m.by_group["n"].map(lambda v: _fmt(v, "count")),
            "mean scale score": m.by_group["mean_score"].map(lambda v: _fmt(v, "number")),
            "share proficient": m.by_group["share_proficient"].map(lambda v: _fmt(v, "share"))})
        self.by_group_table.value = html_table(table, row_class=lambda row: "kit-error" if row["note"] else "")
        self._draw_charts()
        self._show_needs()
        set_status(self.status, READY, f"Showing {m.describe_filters()}.")

    def _draw_charts(self) -> None:
        from kit.stages.s1_student_needs.charts import distribution_chart, gap_chart, proficiency_heatmap

        m = self.model
        self.gap_image.value = figure_png(gap_chart(m.gaps).figure)
        self.distribution_image.value = figure_png(distribution_chart(m.distribution).figure)
        heat = proficiency_heatmap(m.heatmap, school_names=None)
        self.heatmap_image.value = figure_png(heat.figure)

    def _show_needs(self) -> None:
        frame = self.model.needs
        if frame.empty:
            self.needs_table.value = "<p class='kit-note'>No group shown trails the others in this selection.</p>"
            self.need_choice.options = []
            return
        table = frame[list(_NEED_TABLE_COLUMNS)].rename(columns=_NEED_TABLE_COLUMNS).assign(**{
            "gap (points)": frame["gap_points"].map(lambda v: _fmt(v, "points")),
            "95% interval": [f"{_fmt(low, 'points')} to {_fmt(high, 'points')}" if pd.notna(low) else ""
                             for low, high in zip(frame["gap_low"], frame["gap_high"])],
            "gap (% proficient)": frame["gap_proficient_points"].map(lambda v: _fmt(v, "points")),
            "students": frame["students"].map(lambda v: _fmt(v, "count"))})
        self.needs_table.value = html_table(table) + "".join(
            f"<p class='kit-note'>{rank}. {html.escape(text)}</p>" for rank, text in zip(frame["rank"], frame["need"]))
        self.need_choice.options = [(f"{row.rank}. {row.subject}: {equity.group_label(row.group_column, row.group)} "
                                     f"({row.gap_points:+.1f} points)", int(row.rank)) for row in frame.itertuples()]
        self.need_choice.value = 1

    # -- the goal ----------------------------------------------------------------------------------------
    def _start_from_need(self) -> None:
        frame = self.model.needs
        if self.need_choice.value is None or frame.empty:
            set_status(self.status, FAILED, "There is no priority need to start from: choose other filters.")
            return
        row = frame[frame["rank"] == self.need_choice.value].iloc[0]
        who = equity.group_label(row["group_column"], row["group"])
        self.goal_who.value = f"Students in the group {who}" + (f", {self.model.describe_filters()}")
        self.goal_what.value = (f"Students in the group {who} will reach the same {row['subject']} results as "
                                "their peers: ")
        self.goal_measure.value = f"{row['subject']} scale score and share proficient, next window"
        set_status(self.status, READY, "Goal started from the need: finish it in your own words, then check it.")

    def _values(self) -> dict:
        return dict(what=self.goal_what.value.strip(), who=self.goal_who.value.strip(),
                    measure=self.goal_measure.value.strip(), target=self.goal_target.value.strip(),
                    by_when=self.goal_by_when.value)

    def _check(self) -> pd.DataFrame:
        checks = needs.goal_checks(**self._values())
        items = "".join(f"<li>{'&#10003;' if met else '&#9675;'} <b>{html.escape(quality)}</b>"
                        f"{'' if met else ': ' + html.escape(advice)}</li>"
                        for quality, met, advice in checks.itertuples(index=False))
        self.goal_check.value = f"<ul class='kit-goal-check'>{items}</ul>"
        return checks

    def save(self):
        """Save the goal for the open cycle (the picker's status line says what was saved and when)."""
        picker = self.shell.picker
        if picker.cycle_id is None:
            set_status(self.status, FAILED, "No cycle is open: create or choose a cycle at the top, then save the goal.")
            return None
        values = self._values()
        if not values["what"]:
            set_status(self.status, FAILED, "Write the goal first: what students will know or be able to do.")
            return None
        checks = self._check()
        cycle_id = picker.cycle_id
        record = picker.save("student learning goal", lambda: picker.store.goals.create(
            cycle_id, goal_type="student_learning", **{k: v for k, v in values.items() if v not in ("", None)}))
        if record is not None:
            missing = checks.loc[~checks["met"], "quality"].tolist()
            set_status(self.status, DONE, "Goal saved." + (f" It does not yet have: {', '.join(missing)}."
                                                           if missing else " It has everything a good goal needs."))
            self._show_goals()
        return record

    def saved(self) -> list:
        picker = self.shell.picker
        if picker.store is None or picker.cycle_id is None:
            return []
        return picker.store.goals.list(picker.cycle_id, goal_type="student_learning")

    def _show_goals(self) -> None:
        if self.shell.picker.cycle_id is None:
            self.saved_goals.value = "<p class='kit-note'>No cycle is open yet.</p>"
            return
        goals = self.saved()
        frame = pd.DataFrame([{"goal": g.what, "students": g.who or "", "measure": g.measure or "",
                               "target": g.target or "", "by": g.by_when or ""} for g in goals])
        self.saved_goals.value = (html_table(frame) if goals else
                                  "<p class='kit-note'>No student learning goal saved for this cycle yet.</p>")


@app_entry
def student_needs_app() -> widgets.VBox:
    """Build the stage 1 app and return its view (the notebook displays it)."""
    return StudentNeedsApp().view
