"""Stage 1, student learning needs: results by group, the gaps, and the cycle's student learning goal.

The view only: `StudentNeedsApp` builds the controls and links them to the models in `models.py`
(`StudentNeedsModel` for the filters and frames, `GoalModel` for the goal), which write the status line.

>>> student_needs_app()                                   # doctest: +SKIP
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit.analysis import equity
from kit.apps.components import busy, chart_html, download_link, guidance_html, html_table, printable_page
from kit.apps.records_view import saved_records_view
from kit.apps.saving import Autosave, saved_mark
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset
from kit.privacy import describe_suppressed
from kit.stages.s1_student_needs.models import ALL, GoalModel, StudentNeedsModel

# A drop-down cannot show a None value (it shows a blank), so "All" has a stand-in in the widgets.
ALL_IN_WIDGET = "(all)"
STEP_TITLES = ("Results by group", "Spread and schools", "Priority needs", "The goal")

_GROUP_TABLE_COLUMNS = {"group": "group", "n": "students", "mean_score": "mean scale score",
                        "share_proficient": "share proficient", "note": "note"}
_NEED_TABLE_COLUMNS = {"rank": "rank", "subject": "subject", "group": "group", "students": "students",
                       "gap_points": "gap (points)", "gap_low": "95% interval", "certainty": "certainty",
                       "gap_proficient_points": "gap (% proficient)", "trend": "since earlier window"}
_GOAL_FIELDS = (("what", "Goal"), ("who", "Students"), ("measure", "Measure"), ("target", "Target"),
                ("by_when", "By"))
_BOX = dict(width="100%", max_width="700px")


def _fmt(value, kind: str) -> str:
    if pd.isna(value):
        return ""
    return {"share": f"{value:.0%}", "points": f"{value:+.1f}", "number": f"{value:.1f}",
            "count": f"{int(value):,}"}[kind]


def _in_widget(value):
    return ALL_IN_WIDGET if value is ALL else value


class StudentNeedsApp:
    """The stage 1 app. `StudentNeedsApp().view` is the widget to display."""

    def __init__(self, dataset: Dataset | None = None, picker=None):
        self.shell = StageShell(1, dataset=dataset, picker=picker)
        self.status = self.shell.status
        self.model = StudentNeedsModel(self.shell.dataset, self.shell.picker.model)
        self.goal_model = GoalModel(self.shell.picker.model, self.shell.dataset)
        if self.model.missing:
            self.view = self.shell.needs_data_page(self.model)
            return
        self.editing_goal = None  # the saved goal the form changes (None: the form makes a new goal)
        self.spread_drawn = False  # the "Spread and schools" charts are drawn when their tab is shown
        self.needs_shown = False  # the priority needs (their tab, the goal form's choice) likewise
        self._build()
        self.view = self.shell.page(*self._layout())
        self.tabs.observe(self.shell.guard(lambda _: self._fill_shown_tab()), names="selected_index")
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
        for control in (self.school, self.grade, self.subject, self.window, self.group):
            control.layout = widgets.Layout(width="100%", max_width="320px")
        self.reference = widgets.Dropdown(description="Compare with", options=m.reference_options(),
                                          value=m.reference, style={"description_width": "initial"})
        for control, trait in ((self.school, "school"), (self.grade, "grade"), (self.subject, "subject"),
                               (self.window, "window"), (self.group, "group"), (self.reference, "reference")):
            control.observe(guard(lambda change, t=trait: self._set_filter(t, change.new)), names="value")
        self.summary = widgets.HTML()
        self.by_group_table = widgets.HTML()
        self.needs_table = widgets.HTML()
        # Charts are images with alt text and a PNG download (chart_html), one HTML widget each.
        self.distribution_image = widgets.HTML()
        self.gap_image = widgets.HTML()
        self.heatmap_image = widgets.HTML()
        self.heatmap_note = widgets.HTML()
        # The goal form.
        self.need_choice = widgets.Dropdown(description="Priority need", layout=widgets.Layout(width="100%", max_width="900px"),
                                            style={"description_width": "initial"})
        self.use_need = widgets.Button(description="Start the goal from this need", layout=widgets.Layout(width="auto"))
        text = widgets.Layout(**_BOX)
        self.goal_what = widgets.Textarea(description="Goal", layout=widgets.Layout(height="70px", **_BOX),
                                          placeholder="What students will know or be able to do")
        self.goal_who = widgets.Text(description="Students", layout=text, placeholder="Which students")
        self.goal_measure = widgets.Text(description="Measure", layout=widgets.Layout(**_BOX),
                                         placeholder="How you will know (assessment, student work)")
        self.goal_target = widgets.Text(description="Target", layout=widgets.Layout(**_BOX), placeholder="e.g. 70% proficient")
        self.goal_by_when = widgets.DatePicker(description="By")
        self.check_goal = widgets.Button(description="Check the goal", icon="check")
        self.save_goal = widgets.Button(description="Save the goal", button_style="primary", icon="save")
        self.new_goal = widgets.Button(description="Start a new goal", icon="plus",
                                       tooltip="Empty the form; saving then adds another goal")
        self.editing_note = widgets.HTML()
        self.goal_check = widgets.HTML()
        # Typed goal text is saved as the coach goes (once it says what students will learn).
        self.autosave = Autosave(self._autosave, guard=guard)
        self.goal_saved_mark = saved_mark(self.goal_model, self.autosave)
        self.goal_form = widgets.VBox([self.need_choice, self.use_need, self.editing_note, self.goal_what, self.goal_who,
                                       self.goal_measure, self.goal_target, self.goal_by_when,
                                       widgets.HBox([self.check_goal, self.save_goal, self.goal_saved_mark, self.new_goal]),
                                       self.goal_check])
        self.goals_view = saved_records_view(
            self.goal_model, "goal", "goals", self._goal_row, on_edit=self._edit_goal,
            where={"goal_type": "student_learning"}, read_only=self.shell.view_only, download="goals.csv")
        self.saved_goals = self.goals_view.table
        self.goal_print = widgets.HTML()
        self.use_need.on_click(guard(lambda _: self._start_from_need()))
        self.check_goal.on_click(guard(lambda _: self._check()))
        self.save_goal.on_click(guard(lambda _: self.save()))
        self.new_goal.on_click(guard(lambda _: self._clear_goal()))
        self.autosave.watch(self.goal_what, self.goal_who, self.goal_measure, self.goal_target, self.goal_by_when)
        self.goal_model.observe(guard(lambda _: self._show_goals()), names="goals")
        self.shell.editing(self.goal_form)

    def _layout(self) -> list[widgets.Widget]:
        lead = ("<p class='kit-note'>Choose the students to look at; every table and chart follows the filters "
                "(the school heat map says when it shows every school). Then pick a priority need and write the "
                "cycle's goal in the last tab.</p>")
        more = (f"<p class='kit-note'>Groups of {describe_suppressed(self.model.min_group_size)} are withheld "
                "everywhere, and so is any group whose size could be worked out from the others. A need describes "
                "results and what instruction has not yet done, never the students themselves. Tables download "
                "as CSV and charts as PNG under each one.</p>")
        results = widgets.VBox([
            self.summary, self.by_group_table,
            widgets.HTML("<h3>Gaps</h3><p class='kit-note'>Bars left of the line trail the comparison group; "
                         "bars right of it are ahead.</p>"), self.gap_image])
        spread = widgets.VBox([
            widgets.HTML("<h3>How scores spread</h3><p class='kit-note'>The box holds the middle half of the "
                         "students, the line runs from the 10th to the 90th percentile, the tick is the "
                         "median.</p>"), self.distribution_image,
            widgets.HTML("<h3>Proficiency by school and group</h3>"), self.heatmap_note, self.heatmap_image])
        needs = widgets.VBox([
            widgets.HTML("<p class='kit-note'>Groups whose results trail all other students: clear gaps (the 95% "
                         "interval is wholly below zero) first, then gaps that may be chance; within each, the gap "
                         "weighed by its precision.</p>"), self.needs_table])
        goal = widgets.VBox([widgets.HTML("<h3>The cycle's student learning goal</h3>"), self.goal_form,
                             widgets.HTML("<h4>Goals saved for this cycle</h4>"), self.goals_view, self.goal_print])
        self.tabs = self.shell.steps([(STEP_TITLES[0], self.model, results), (STEP_TITLES[1], None, spread),
                                      (STEP_TITLES[2], None, needs), (STEP_TITLES[3], self.goal_model, goal)])
        filters = widgets.HBox([self.school, self.grade, self.subject, self.window, self.group, self.reference])
        return [widgets.HTML(guidance_html(lead, more)), filters, self.tabs]

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
        self.by_group_table.value = html_table(table, row_class=lambda row: "kit-error" if row["note"] else "",
                                               download="results-by-group.csv")
        self._draw_charts()
        self.needs_shown = False
        self._fill_shown_tab()
        m.report_ready(f"Showing {m.describe_filters()}.")

    def _draw_charts(self) -> None:
        """The gap chart (on the first tab); the spread and school charts wait until their tab is shown
        (`_fill_shown_tab`): drawing all three took a CPU-second or more of every build, most often
        for a tab never opened."""
        from kit.stages.s1_student_needs.charts import gap_chart

        m = self.model
        gap = gap_chart(m.gaps)
        self.gap_image.value = chart_html(gap.figure, f"Gap chart, {m.describe_filters()}: {gap.get_title()}",
                                          "gaps.png")
        self.spread_drawn = False

    def _fill_shown_tab(self) -> None:
        """Draw or fill the tab now shown if the filters changed since it was last filled."""
        shown = STEP_TITLES[self.tabs.selected_index or 0]
        if shown == "Spread and schools" and not self.spread_drawn:
            self.spread_drawn = True
            self._draw_spread_charts()
        if shown in ("Priority needs", "The goal") and not self.needs_shown:
            self.needs_shown = True
            self._show_needs()

    def _draw_spread_charts(self) -> None:
        from kit.stages.s1_student_needs.charts import distribution_chart, heatmap_title, proficiency_heatmap

        m = self.model
        where = m.describe_filters()
        spread = distribution_chart(m.distribution)
        self.distribution_image.value = chart_html(spread.figure, f"Score spread by group, {where}: {spread.get_title()}",
                                                   "score-spread.png")
        if m.results["proficient"].isna().all():  # no proficiency in the data: not a privacy matter
            self.heatmap_image.value = ""
            self.heatmap_note.value = ("<p class='kit-note'>No share proficient to show: the assessments have no "
                                       "<b>proficient</b> column (yes/no for each score). Add it to compare schools "
                                       "here; every other view works without it.</p>")
            return
        named = self._named_cells(m.heatmap)
        names = dict(m.school_names)
        if m.school:  # the chosen school is marked: the chart compares it with every other school
            names[m.school] = "\u25b6 " + names.get(m.school, m.school)
        heat = proficiency_heatmap(m.heatmap, school_names=names, title=heatmap_title(named))
        self.heatmap_image.value = chart_html(heat.figure, f"Heat map of share proficient by school and "
                                              f"{(m.group or '').replace('_', ' ')}: {heat.get_title()}",
                                              "proficiency-by-school.png")
        chosen = m.school_names.get(m.school, m.school) if m.school else ""
        self.heatmap_note.value = (
            "<p class='kit-note'>Darker cells: fewer students proficient; hatched grey cells are withheld. "
            "This chart compares schools, so it shows every school"
            + (f": {html.escape(chosen)} is marked \u25b6" if chosen else "")
            + "; it follows the grade, subject, window and group filters.</p>")

    def _named_cells(self, cells: pd.DataFrame) -> pd.DataFrame:
        """The heat map's cells with school names and groups in words (for its title)."""
        names = self.model.school_names
        return cells.assign(school_id=cells["school_id"].map(lambda s: names.get(s, s)),
                            group=[equity.group_label(c, g) for c, g in zip(cells["group_column"], cells["group"])])

    def _show_needs(self) -> None:
        frame = self.model.needs
        if frame.empty:
            self.needs_table.value = "<p class='kit-note'>No group shown trails the others in this selection.</p>"
            self.need_choice.options = []
            return
        frame = frame.assign(group=[equity.group_label(c, g) for c, g in zip(frame["group_column"], frame["group"])])
        table = frame[list(_NEED_TABLE_COLUMNS)].rename(columns=_NEED_TABLE_COLUMNS).assign(**{
            "gap (points)": frame["gap_points"].map(lambda v: _fmt(v, "points")),
            "95% interval": [f"{_fmt(low, 'points')} to {_fmt(high, 'points')}" if pd.notna(low) else ""
                             for low, high in zip(frame["gap_low"], frame["gap_high"])],
            "gap (% proficient)": frame["gap_proficient_points"].map(lambda v: _fmt(v, "points")),
            "students": frame["students"].map(lambda v: _fmt(v, "count"))})
        self.needs_table.value = html_table(table, download="priority-needs.csv") + "".join(
            f"<p class='kit-note'>{rank}. {html.escape(text)}</p>" for rank, text in zip(frame["rank"], frame["need"]))
        self.need_choice.options = [(f"{row.rank}. {row.subject}: {equity.group_label(row.group_column, row.group)} "
                                     f"({row.gap_points:+.1f} points)", int(row.rank)) for row in frame.itertuples()]
        self.need_choice.value = 1

    # -- the goal ----------------------------------------------------------------------------------------
    def _start_from_need(self) -> None:
        frame = self.model.needs
        if self.need_choice.value is None or frame.empty:
            self.model.report_problem("There is no priority need to start from: choose other filters.")
            return
        row = frame[frame["rank"] == self.need_choice.value].iloc[0]
        who = equity.group_label(row["group_column"], row["group"])
        self.goal_who.value = f"Students in the group {who}" + (f", {self.model.describe_filters()}")
        self.goal_what.value = (f"Students in the group {who} will reach the same {row['subject']} results as "
                                "their peers: ")
        self.goal_measure.value = f"{row['subject']} scale score and share proficient, next window"
        self.model.report_ready("Goal started from the need: finish it in your own words, then check it.")

    def _values(self) -> dict:
        return dict(what=self.goal_what.value.strip(), who=self.goal_who.value.strip(),
                    measure=self.goal_measure.value.strip(), target=self.goal_target.value.strip(),
                    by_when=self.goal_by_when.value)

    def _check(self) -> pd.DataFrame:
        checks = GoalModel.check(self._values())
        items = "".join(f"<li>{'&#10003;' if met else '&#9675;'} <b>{html.escape(quality)}</b>"
                        f"{'' if met else ': ' + html.escape(advice)}</li>"
                        for quality, met, advice in checks.itertuples(index=False))
        self.goal_check.value = f"<ul class='kit-goal-check'>{items}</ul>"
        return checks

    def save(self):
        """Save the goal for the open cycle (the status line, and the mark beside the button, say what
        was saved and what it lacks). The form then keeps changing this goal until "Start a new goal"."""
        with busy(self.save_goal):
            self.autosave._cancel()
            self._check()
            record = self.goal_model.save_goal(self._values(), self.editing_goal)
            self.autosave.pending = False
            if record is not None:
                self._editing(record)
            return record

    def _autosave(self):
        """Save typed goal text as the coach goes; nothing without an open cycle or a goal's words."""
        if self.goal_model.cycle_id is None or self.shell.view_only or not self.goal_what.value.strip():
            return True  # nothing to keep yet: not "unsaved"
        record = self.goal_model.save_goal(self._values(), self.editing_goal)
        if record is not None:
            self._editing(record)
        return record

    def _editing(self, record) -> None:
        self.editing_goal = record
        self.editing_note.value = (f"<p class='kit-note'>Changing the saved goal \u201c{html.escape(record.display_name)}"
                                   "\u201d. To write another goal, press \u201cStart a new goal\u201d.</p>")

    def _edit_goal(self, goal) -> None:
        """Put a saved goal back in the form (from the list of saved goals)."""
        with self.autosave.filling():
            self.goal_what.value, self.goal_who.value = goal.what or "", goal.who or ""
            self.goal_measure.value, self.goal_target.value = goal.measure or "", goal.target or ""
            self.goal_by_when.value = goal.by_when
        self._editing(goal)

    def _clear_goal(self) -> None:
        self.autosave.flush()
        with self.autosave.filling():
            for box in (self.goal_what, self.goal_who, self.goal_measure, self.goal_target):
                box.value = ""
            self.goal_by_when.value = None
        self.editing_goal, self.editing_note.value = None, ""

    def saved(self) -> list:
        return self.goal_model.goals

    @staticmethod
    def _goal_row(goal) -> dict:
        return {"goal": goal.what, "students": goal.who or "", "measure": goal.measure or "",
                "target": goal.target or "", "by": goal.by_when or ""}

    def _show_goals(self) -> None:
        if self.goal_model.cycle_id is None:
            self.saved_goals.value = "<p class='kit-note'>No cycle is open yet.</p>"
            self.goal_print.value = ""
            return
        self.goals_view.refresh()
        goals = self.saved()
        if self.editing_goal is not None and self.editing_goal.id not in {g.id for g in goals}:
            self.editing_goal, self.editing_note.value = None, ""  # archived: the form makes a new goal
        if not goals:
            self.saved_goals.value = "<p class='kit-note'>No student learning goal saved for this cycle yet.</p>"
            self.goal_print.value = ""
            return
        cycle = self.shell.picker.model.current
        sections = [(f"Goal {n}", "\n".join(f"{label}: {getattr(g, key) or ''}" for key, label in _GOAL_FIELDS))
                    for n, g in enumerate(goals, 1)]
        page = printable_page(f"Student learning goal{'s' if len(goals) > 1 else ''}: {cycle.name if cycle else ''}", sections)
        link = download_link("student-learning-goal.html", page, "Download the goal as a printable page", mime="text/html")
        self.goal_print.value = f"<p class='kit-note'>{link}</p>"


@app_entry
def student_needs_app() -> widgets.VBox:
    """Build the stage 1 app and return its view (the notebook displays it)."""
    return StudentNeedsApp().view
