"""Stage 5, student results: did students' results improve for every group, and does it tie back to
the learning, through practice? The whole chain of evidence, and what the learning cost.

The view only: `StudentResultsApp` builds the controls and links them to the models in `models.py`,
which write the status line.

>>> student_results_app()                                     # doctest: +SKIP
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import figure_png, html_table
from kit.apps.records_view import ReflectionEditor
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset

from .analysis.chain import LEVEL
from .analysis.gaps import GAP_TOLERANCE_WORDS
from .models import REFLECTION_PROMPTS, ReflectionModel, StudentResultsModel

STEP_TITLES = ("Growth", "Comparisons", "Gaps", "Chain of evidence", "Cost", "Reflection")
NO_EDUCATOR = "(choose an educator)"
_IMAGE = widgets.Layout(max_width="900px")


def _number(value, digits: int = 2) -> str:
    return "" if pd.isna(value) else f"{value:.{digits}f}"


def _count(value) -> str:
    return "" if pd.isna(value) else f"{int(value):,}"


def _interval(low, high, digits: int = 2) -> str:
    return f"{_number(low, digits)} to {_number(high, digits)}" if pd.notna(low) else ""


class StudentResultsApp:
    """The stage 5 app. `StudentResultsApp().view` is the widget to display."""

    def __init__(self, shell: StageShell | None = None, dataset: Dataset | None = None):
        self.shell = shell or StageShell(5, dataset=dataset)
        picker, data = self.shell.picker.model, self.shell.dataset
        self.model = StudentResultsModel(picker, data)
        self.reflection = ReflectionModel(picker, data)
        if self.model.missing:
            self.view = self.shell.needs_data_page(self.model)
            return
        guard = self.shell.guard
        views = (self._growth_view(guard), self._comparison_view(guard), self._gap_view(guard),
                 self._chain_view(guard), self._cost_view(guard), self._reflection_view(guard))
        models = (self.model,) * 5 + (self.reflection,)
        self.steps = self.shell.steps(list(zip(STEP_TITLES, models, views)))
        self.view = self.shell.page(self._guide(), self.steps)
        self.model.observe(guard(lambda _: self.redraw()), names="revision")
        self.redraw()

    def _guide(self) -> widgets.HTML:
        return widgets.HTML(
            "<p class='kit-note'>Growth is each student's score in the later window minus their score in the "
            "earlier one. Students reach their educators through the class rosters of the same school year. "
            f"Groups of fewer than {self.model.min_group_size} students, or of fewer than 5 educators, are "
            "withheld everywhere, and so is any value that would let someone work them out. Every comparison "
            "here describes groups of students; none of them shows that the learning caused a difference.</p>")

    # -- step 1: growth ------------------------------------------------------------------------------------------
    def _growth_view(self, guard) -> widgets.VBox:
        m = self.model
        self.before = widgets.Dropdown(description="From", options=m.windows, value=m.before)
        self.after = widgets.Dropdown(description="To", options=m.windows, value=m.after)
        self.subject = widgets.Dropdown(description="Subject", options=m.subjects, value=m.subject)
        self.growth_view = widgets.Dropdown(description="Growth by", options=m.growth_view_options(),
                                            value=m.growth_view)
        for control, trait in ((self.before, "before"), (self.after, "after"), (self.subject, "subject"),
                               (self.growth_view, "growth_view")):
            control.observe(guard(lambda change, t=trait: setattr(m, t, change.new)), names="value")
        self.summary = widgets.HTML()
        self.growth_table = widgets.HTML()
        return widgets.VBox([widgets.HBox([self.before, self.after, self.subject]), self.growth_view, self.summary,
                             self.growth_table])

    # -- step 2: comparisons --------------------------------------------------------------------------------------
    def _comparison_view(self, guard) -> widgets.VBox:
        m = self.model
        self.compare_by = widgets.Dropdown(description="Compare by", options=m.comparison_options(),
                                           value=m.compare_by, style={"description_width": "initial"},
                                           layout=widgets.Layout(width="500px"))
        self.compare_by.observe(guard(lambda change: setattr(m, "compare_by", change.new)), names="value")
        self.arms_image = widgets.Image(format="png", layout=_IMAGE)
        self.comparison_words = widgets.HTML()
        self.comparison_table = widgets.HTML()
        return widgets.VBox([
            self.compare_by,
            widgets.HTML("<p class='kit-note'>Hedges' g on growth (in standard deviations) with its 95% interval; "
                         "the improvement index is the percentile the typical student of the first group would "
                         "reach in the second (+0 means no difference). Baseline: how far apart the groups started "
                         "in the earlier window (up to 0.05 alike; 0.05 to 0.25 growth takes the start into account; "
                         "above 0.25 too far apart to compare fairly). The Cox index compares proficiency in the "
                         "later window (What Works Clearinghouse, Procedures and Standards Handbook v5.0).</p>"),
            self.arms_image, self.comparison_words, self.comparison_table])

    # -- step 3: gaps ------------------------------------------------------------------------------------------------
    def _gap_view(self, guard) -> widgets.VBox:
        m = self.model
        self.group = widgets.Dropdown(description="Student group", options=m.group_columns, value=m.group,
                                      style={"description_width": "initial"})
        self.group.observe(guard(lambda change: setattr(m, "group", change.new)), names="value")
        self.gap_image = widgets.Image(format="png", layout=_IMAGE)
        self.gap_words = widgets.HTML()
        self.gap_table = widgets.HTML()
        return widgets.VBox([self.group, widgets.HTML(f"<p class='kit-note'>{html.escape(GAP_TOLERANCE_WORDS)} "
                                                      "A gap is a group's mean against the other students of the "
                                                      "same educators.</p>"),
                             self.gap_image, self.gap_words, self.gap_table])

    # -- step 4: chain --------------------------------------------------------------------------------------------------
    def _chain_view(self, guard) -> widgets.VBox:
        m = self.model
        self.students_follow = widgets.ToggleButtons(
            options=[("Students' link from practice in the later window", LEVEL),
                     ("Students' link from the change in practice", "change")], value=m.students_follow)
        self.students_follow.observe(guard(lambda change: setattr(m, "students_follow", change.new)), names="value")
        self.chain_image = widgets.Image(format="png", layout=widgets.Layout(max_width="1000px"))
        self.chain_words = widgets.HTML()
        self.links_table = widgets.HTML()
        self.schools_words = widgets.HTML()
        self.educator = widgets.Dropdown(description="Educator", options=[NO_EDUCATOR, *m.educator_options()],
                                         value=NO_EDUCATOR)
        self.educator.observe(guard(lambda change: self._show_educator(change.new)), names="value")
        self.educator_table = widgets.HTML()
        self.coach_only = widgets.VBox([
            widgets.HTML("<h3>Follow one educator (coach only)</h3><p class='kit-note'>For a coaching conversation "
                         "with that educator; never shown to a team.</p>"), self.educator, self.educator_table])
        if m.individuals_hidden:
            self.coach_only.layout.display = "none"
        return widgets.VBox([self.students_follow, self.chain_image, self.chain_words, self.links_table,
                             widgets.HTML("<h3>By school</h3>"), self.schools_words, self.coach_only])

    def _show_educator(self, educator_id) -> None:
        if educator_id in (None, NO_EDUCATOR):
            self.educator_table.value = ""
            return
        mine = self.model.follow(educator_id)
        self.educator_table.value = html_table(pd.DataFrame({
            "step": mine["words"], "this educator": mine["value"].map(_number),
            "median of all educators": mine["median"].map(_number),
            "moved": mine["moved"].map({True: "yes", False: "not yet"}).fillna("not recorded")}))

    # -- step 5: cost ---------------------------------------------------------------------------------------------------
    def _cost_view(self, guard) -> widgets.VBox:
        m = self.model
        self.cost_words = widgets.HTML()
        options = m.activity_options()
        self.activity = widgets.Dropdown(description="Activity", options=options,
                                         value=options[0][1] if options else None, layout=widgets.Layout(width="500px"))
        self.activity_cost = widgets.BoundedFloatText(description="Cost", min=0, max=1e9, value=0)
        self.keep_cost = widgets.Button(description="Keep this cost", icon="save", button_style="primary")
        self.keep_cost.on_click(guard(lambda _: m.enter_cost(self.activity.value, self.activity_cost.value)))
        self.cost_form = widgets.VBox([
            widgets.HTML("<p class='kit-note'>Enter what an activity cost when your file has no cost column (or to "
                         "correct it); it is kept in your workspace.</p>"),
            widgets.HBox([self.activity, self.activity_cost, self.keep_cost])])
        self.shell.editing(self.cost_form)
        if not options:
            self.cost_form.layout.display = "none"
        return widgets.VBox([self.cost_words, self.cost_form])

    # -- step 6: reflection -----------------------------------------------------------------------------------------------
    def _reflection_view(self, guard) -> widgets.VBox:
        self.reflection_editor = ReflectionEditor(self.reflection, REFLECTION_PROMPTS, read_only=self.shell.view_only,
                                                  guard=guard)
        return widgets.VBox([self.reflection_editor])

    # -- drawing ------------------------------------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Show every frame of the model (called once per change of its `revision`)."""
        from .charts import chain_diagram, gap_change_chart, growth_by_level_chart

        m = self.model
        if m.growth_table is None:
            return
        self.summary.value = f"<p><b>{html.escape(m.summary())}</b></p>"
        table = m.growth_table
        self.growth_table.value = html_table(pd.DataFrame({
            "group": table["group"], "students": table["n"].map(_count), "mean growth": table["mean_growth"].map(_number),
            "SD": table["sd"].map(_number), "note": table["note"]}))
        self._draw_comparisons(growth_by_level_chart)
        self._draw_gaps(gap_change_chart)
        self.chain_image.value = figure_png(chain_diagram(m.links, m.funnel).figure)
        self.chain_words.value = f"<p><b>{html.escape(m.chain_words())}</b></p>"
        self.links_table.value = html_table(pd.DataFrame({"link": m.links["words"]}))
        self.schools_words.value = "".join(f"<p>{html.escape(s)}</p>" for s in m.school_breaks) or \
            "<p class='kit-note'>No school shows knowledge and skills rising without practice following.</p>"
        self.cost_words.value = (f"<p><b>{html.escape(m.cost['words'].iloc[0])}</b></p>" if m.cost is not None else
                                 "<p class='kit-note'>Add the learning activities and attendance tables to see the "
                                 "cost of the learning.</p>")

    def _draw_comparisons(self, chart) -> None:
        m = self.model
        if m.arms is None or m.arms.empty:
            self.comparison_words.value = "<p class='kit-note'>There is nothing to compare by this choice yet.</p>"
            self.comparison_table.value = ""
            return
        self.arms_image.value = figure_png(chart(m.arms).figure)
        rows = m.comparisons
        self.comparison_words.value = "".join(f"<p>{html.escape(w)}</p>" for w in rows["words"])
        self.comparison_table.value = html_table(pd.DataFrame({
            "comparison": rows["comparison"], "students": [f"{_count(t)} / {_count(c)}" for t, c in
                                                           zip(rows["students_treatment"], rows["students_comparison"])],
            "g (growth)": rows["growth_g"].map(_number), "95% interval": [_interval(lo, hi) for lo, hi in
                                                                        zip(rows["growth_low"], rows["growth_high"])],
            "allowing for classes": [_interval(lo, hi) for lo, hi in zip(rows["clustered_low"], rows["clustered_high"])],
            "improvement index": rows["improvement_index"].map(lambda v: "" if pd.isna(v) else f"{v:+.0f}"),
            "baseline g": rows["baseline_g"].map(_number), "baseline": rows["baseline_verdict"],
            "Cox index": rows["cox_index"].map(_number),
            "Cox 95% interval": [_interval(lo, hi) for lo, hi in zip(rows["cox_low"], rows["cox_high"])],
            "note": rows["reason"]}))

    def _draw_gaps(self, chart) -> None:
        m = self.model
        if m.gaps is None or m.gaps.empty:
            self.gap_words.value = "<p class='kit-note'>No gap to show for this choice.</p>"
            self.gap_table.value = ""
            return
        self.gap_image.value = figure_png(chart(m.gaps).figure)
        words = list(m.arm_gaps["words"]) if m.arm_gaps is not None else []
        self.gap_words.value = "".join(f"<p>{html.escape(w)}</p>" for w in words)
        gaps = m.gaps
        self.gap_table.value = html_table(pd.DataFrame({
            "educators": gaps["arm"], "group": gaps["group"], "students": gaps["n_group"].map(_count),
            "gap before": gaps["gap_before"].map(lambda v: _number(v, 1)),
            "gap after": gaps["gap_after"].map(lambda v: _number(v, 1)),
            "95% interval of the change": [_interval(lo, hi, 1) for lo, hi in zip(gaps["ci_low"], gaps["ci_high"])],
            "verdict": gaps["verdict"], "note": gaps["note"]}))


@app_entry
def student_results_app() -> widgets.VBox:
    """Build the stage 5 app and return its view (the notebook displays it)."""
    return StudentResultsApp().view
