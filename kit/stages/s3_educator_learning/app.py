"""Stage 3, knowledge, skills and dispositions: did educators' learning change, how much learning
did it take, what do the equity measures say, and what are educators concerned about?

The view only: `EducatorLearningApp` builds the controls and links them to the models in
`models.py`, which write the status line.

>>> educator_learning_app()                                   # doctest: +SKIP
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import figure_png, html_table
from kit.apps.records_view import ReflectionEditor
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset

from .analysis import COACHING_MOVES, MISSING_ITEM_RULE, STAGE_NAMES, fewer_than
from .models import REFLECTION_PROMPTS, ConcernsModel, LearningChangeModel, ReflectionModel

STEP_TITLES = ("Change in learning", "Hours and change", "Equity dispositions", "Stages of Concern", "Reflection")
ALL_IN_WIDGET = "(all)"  # a drop-down cannot show a None value


def _points(value) -> str:
    return "" if pd.isna(value) else f"{value * 100:+.1f}"


def _share(value) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


def _count(value) -> str:
    return "" if pd.isna(value) else f"{int(value):,}"


def _number(value) -> str:
    return "" if pd.isna(value) else f"{value:.2f}"


def _shares_shown(table: pd.DataFrame, column: str) -> pd.Series:
    """A share column as it may be shown: its coded text from the analysis (`<column>_text`: "42%",
    "≥85%", empty when withheld) when given, else the share in percent.

    >>> _shares_shown(pd.DataFrame({"share": [float("nan")], "share_text": ["≥85%"]}), "share").tolist()
    ['≥85%']
    """
    return table[f"{column}_text"] if f"{column}_text" in table else table[column].map(_share)


def change_table_html(table: pd.DataFrame) -> str:
    """A change table (change_by_measure) as the app shows it: changes in percentage points, shares
    near 0% or 100% as their coded band ("≥75%")."""
    shown = pd.DataFrame({
        "domain": table["domain"], "measure": table["measure"], "educators": table["group"],
        "n": table["n"].map(_count), "before": _shares_shown(table, "mean_before"),
        "after": _shares_shown(table, "mean_after"), "change (points)": table["mean_change"].map(_points),
        "95% interval": [f"{_points(lo)} to {_points(hi)}" if pd.notna(lo) else "" for lo, hi in
                         zip(table["ci_low"], table["ci_high"])],
        "standardised": table["standardised_change"].map(_number),
        "improved": _shares_shown(table, "share_improved"),
        "verdict": table["verdict"], "note": [note or reason for note, reason in zip(table["note"], table["reason"])]})
    return html_table(shown, row_class=lambda row: "kit-error" if row["note"] and not row["n"] else "")


def peaks_table_html(peaks: pd.DataFrame, window: str) -> str:
    """Where concerns peak (peak_counts) as the app shows it: each stage's count and share of educators,
    a share near 0% or 100% as its coded band ("≥98%") with its count missing, a withheld row blank."""
    return html_table(pd.DataFrame({
        "peak stage": [f"{s} {STAGE_NAMES[s]}" for s in peaks["stage"]],
        f"educators ({window})": peaks["educators"].map(_count), "share of educators": peaks["share_text"],
        "coaching move": peaks["coaching_move"], "note": peaks["note"]}))


class EducatorLearningApp:
    """The stage 3 app. `EducatorLearningApp().view` is the widget to display."""

    def __init__(self, shell: StageShell | None = None, dataset: Dataset | None = None):
        self.shell = shell or StageShell(3, dataset=dataset)
        picker, data = self.shell.picker.model, self.shell.dataset
        self.model = LearningChangeModel(picker, data)
        self.concerns = ConcernsModel(picker, data)
        self.reflection = ReflectionModel(picker, data)
        if self.model.missing:
            self.view = self.shell.needs_data_page(self.model)
            return
        guard = self.shell.guard
        self.change_view = self._change_view(guard)
        self.dose_view = self._dose_view()
        self.equity_view = self._equity_view(guard)
        self.concerns_view = (widgets.HTML(f'<p class="kit-needs-data">{html.escape(self.concerns.needs_data_message)}'
                                           "</p>") if self.concerns.missing else self._concerns_view(guard))
        self.reflection_view = self._reflection_view(guard)
        self.steps = self.shell.steps(list(zip(STEP_TITLES, (self.model, self.model, self.model, self.concerns,
                                                             self.reflection),
                                               (self.change_view, self.dose_view, self.equity_view,
                                                self.concerns_view, self.reflection_view))))
        self.view = self.shell.page(self._guide(), self.steps)
        self._redraw_change()
        if not self.concerns.missing:
            self._redraw_concerns()

    def _guide(self) -> widgets.HTML:
        return widgets.HTML(
            "<p class='kit-note'>Scores are compared as a share of each measure's maximum, so a quiz out of 20 "
            "and a rubric out of 16 read alike; a change of +10 points means 10 percentage points of the maximum. "
            f"Groups of {fewer_than(self.model.min_group_size)} are withheld everywhere, and so is any group "
            "whose result could be worked out from the others.</p>")

    # -- step 1: change -------------------------------------------------------------------------------------
    def _window_controls(self, model, guard) -> tuple[widgets.Dropdown, widgets.Dropdown, widgets.Dropdown]:
        before = widgets.Dropdown(description="Before", options=model.windows, value=model.before)
        after = widgets.Dropdown(description="After", options=model.windows, value=model.after)
        by = widgets.Dropdown(description="Educators", options=[(label, value or ALL_IN_WIDGET) for label, value
                                                                 in model.grouping_options()], value=ALL_IN_WIDGET)
        for control, trait in ((before, "before"), (after, "after"), (by, "by")):
            control.observe(guard(lambda change, t=trait, m=model: setattr(m, t, None if change.new == ALL_IN_WIDGET
                                                                            else change.new)), names="value")
        return before, after, by

    def _change_view(self, guard) -> widgets.VBox:
        self.before, self.after, self.by = self._window_controls(self.model, guard)
        self.change_summary = widgets.HTML()
        self.change_table = widgets.HTML()
        self.change_image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.participants_table = widgets.HTML()
        self.model.observe(guard(lambda _: self._redraw_change()), names="revision")
        return widgets.VBox([
            widgets.HBox([self.before, self.after, self.by]), self.change_summary, self.change_image,
            self.change_table,
            widgets.HTML("<h3>Educators who took part against those who did not</h3><p class='kit-note'>Hedges' g "
                         "(standard deviations), with the baseline check on the before scores: "
                         "up to 0.05 the groups started alike, 0.05 to 0.25 later results need the start taken into "
                         "account (the adjusted effect does this), above 0.25 they are too far apart to compare.</p>"),
            self.participants_table])

    def _redraw_change(self) -> None:
        from .charts import change_chart

        m = self.model
        if m.change is None:
            return
        self.change_summary.value = f"<p><b>{html.escape(m.summary())}</b></p>"
        self.change_table.value = change_table_html(m.change)
        self.change_image.value = figure_png(change_chart(m.change).figure)
        self._show_participants()
        self._redraw_dose()
        self._redraw_equity()
        m.report_ready(f"Showing change from {m.before} to {m.after}.")

    def _show_participants(self) -> None:
        frame = self.model.participants
        if frame is None:
            self.participants_table.value = "<p class='kit-note'>Add the attendance table to compare them.</p>"
            return
        self.participants_table.value = html_table(pd.DataFrame({
            "measure": frame["measure"], "took part": frame["n_participants"].map(_count),
            "did not": frame["n_others"].map(_count), "baseline g": frame["baseline_effect"].map(_number),
            "baseline": frame["baseline_verdict"], "g after": frame["effect_after"].map(_number),
            "95% interval": [f"{_number(lo)} to {_number(hi)}" if pd.notna(lo) else "" for lo, hi in
                             zip(frame["ci_low"], frame["ci_high"])],
            "improvement index": frame["improvement_index"].map(lambda v: "" if pd.isna(v) else f"{v:+.0f}"),
            "adjusted g": frame["adjusted_effect"].map(_number), "note": frame["reason"]}))

    # -- step 2: hours -------------------------------------------------------------------------------------------
    def _dose_view(self) -> widgets.VBox:
        self.dose_summary = widgets.HTML()
        self.dose_image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.bands_table = widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<p class='kit-note'>Hours of learning attended against the change in knowledge and "
                         "skills between the windows chosen in step 1; on the coach's page each dot is one educator, "
                         "never named (a team's page shows only the line). The band shows where the line could lie. "
                         "Hours bands: none; some (up to the median hours of those with any); many (above it).</p>"),
            self.dose_summary, self.dose_image, self.bands_table])

    def _redraw_dose(self) -> None:
        from .charts import dose_chart

        m = self.model
        self.dose_summary.value = f"<p><b>{html.escape(m.dose_words())}</b></p>"
        if m.dose is None:
            return
        chart = dose_chart(m.dose, m.association, m.line, points=not m.individuals_hidden)
        self.dose_image.value = figure_png(chart.figure)
        bands = m.bands
        self.bands_table.value = html_table(pd.DataFrame({
            "hours band": bands["band"], "hours": bands["label"], "educators": bands["n"].map(_count),
            "change (points)": bands["mean_change"].map(_points),
            "95% interval": [f"{_points(lo)} to {_points(hi)}" if pd.notna(lo) else "" for lo, hi in
                             zip(bands["ci_low"], bands["ci_high"])],
            "improved": _shares_shown(bands, "share_improved"), "note": bands["note"]}))

    # -- step 3: equity ------------------------------------------------------------------------------------------
    def _equity_view(self, guard) -> widgets.VBox:
        m = self.model
        self.equity_tags = widgets.SelectMultiple(description="Equity measures", options=m.measure_names,
                                                  value=tuple(m.tagged), style={"description_width": "initial"},
                                                  layout=widgets.Layout(width="600px"))
        self.keep_tags = widgets.Button(description="Keep these tags", icon="tag", button_style="primary")
        self.keep_tags.on_click(guard(lambda _: m.set_equity_tags(self.equity_tags.value)))
        suggestion = m.suggested_tags()
        hint = (f"Names that suggest equity: {', '.join(suggestion)}." if suggestion else "")
        self.tag_form = widgets.VBox([self.equity_tags, self.keep_tags,
                                      widgets.HTML(f"<p class='kit-note'>{html.escape(hint)}</p>")])
        self.shell.editing(self.tag_form)
        self.equity_summary = widgets.HTML()
        self.equity_table = widgets.HTML()
        m.observe(guard(lambda _: self._redraw_equity()), names="tagged")
        return widgets.VBox([
            widgets.HTML("<p class='kit-note'>Measures of beliefs about students' assets, awareness of bias or "
                         "culturally responsive practice are shown here on their own: the work asks educators to "
                         "examine what they believe about the students they serve. The coach tags them; the tag is "
                         "kept with the measure for every cycle.</p>"),
            self.tag_form, self.equity_summary, self.equity_table])

    def _redraw_equity(self) -> None:
        m = self.model
        self.equity_summary.value = f"<p><b>{html.escape(m.equity_words())}</b></p>"
        section = m.equity_section()
        self.equity_table.value = change_table_html(section) if len(section) else ""

    # -- step 4: concerns ----------------------------------------------------------------------------------------
    def _concerns_view(self, guard) -> widgets.VBox:
        c = self.concerns
        self.soc_before, self.soc_after, self.soc_by = self._window_controls(c, guard)
        self.soc_summary = widgets.HTML()
        self.soc_image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.peaks_table = widgets.HTML()
        self.norm_upload = widgets.FileUpload(accept=".csv,.xlsx,.txt", description="Norm table")
        self.norm_upload.observe(guard(lambda _: self._load_norms()), names="value")
        self.norm_problems = widgets.HTML()
        self.educator = widgets.Dropdown(description="Educator", options=c.educator_options(), value=None)
        self.educator.observe(guard(lambda change: self._show_individual(change.new)), names="value")
        self.individual_image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.unscored_table = widgets.HTML()
        coach_only = widgets.VBox([
            widgets.HTML("<h3>One educator's profile (coach only)</h3><p class='kit-note'>For a coaching "
                         "conversation with that educator; never shown to a team.</p>"),
            self.educator, self.individual_image, self.unscored_table])
        self.shell.editing(coach_only, self.norm_upload)
        if c.individuals_hidden:
            coach_only.layout.display = "none"
        c.observe(guard(lambda _: self._redraw_concerns()), names="revision")
        return widgets.VBox([
            widgets.HTML(f"<p class='kit-note'>{html.escape(MISSING_ITEM_RULE)} Percentiles need the norm table "
                         "from the questionnaire's manual: upload it as a table with a raw_score column (0-35) and "
                         "stage_0 ... stage_6 columns of percentiles.</p>"),
            widgets.HBox([self.soc_before, self.soc_after, self.soc_by]), self.norm_upload, self.norm_problems,
            self.soc_summary, self.soc_image,
            widgets.HTML("<h3>Where concerns peak, and what a coach might do</h3>"), self.peaks_table, coach_only])

    def _redraw_concerns(self) -> None:
        from .charts import profile_chart

        c = self.concerns
        if c.profile is None:
            return
        self.soc_summary.value = f"<p><b>{html.escape(c.summary())}</b></p>"
        self.soc_image.value = figure_png(profile_chart(c.profile).figure)
        self.peaks_table.value = peaks_table_html(c.peaks_after, c.after)
        unscored = c.unscored()
        self.unscored_table.value = (html_table(unscored) if len(unscored) else "")
        self.norm_problems.value = "".join(f"<p class='kit-error'>{html.escape(p)}</p>" for p in c.norm_problems)

    def _load_norms(self) -> None:
        if not self.norm_upload.value:
            return
        upload = self.norm_upload.value[0]
        self.concerns.load_norms(bytes(upload["content"]), upload["name"])
        self._redraw_concerns()

    def _show_individual(self, educator_id) -> None:
        from .charts import profile_chart

        if educator_id is None:
            return
        profile = self.concerns.individual(educator_id)
        if profile is not None and len(profile):
            self.individual_image.value = figure_png(profile_chart(profile).figure)

    # -- step 5: reflection ----------------------------------------------------------------------------------------
    def _reflection_view(self, guard) -> widgets.VBox:
        self.reflection_editor = ReflectionEditor(self.reflection, REFLECTION_PROMPTS, read_only=self.shell.view_only,
                                                  guard=guard)
        moves = "".join(f"<li><b>{s} {STAGE_NAMES[s]}</b>: {html.escape(move)}</li>" for s, move in COACHING_MOVES.items())
        return widgets.VBox([self.reflection_editor,
                             widgets.HTML(f"<details><summary>Coaching moves by peak concern</summary><ul>{moves}"
                                          "</ul></details>")])


@app_entry
def educator_learning_app() -> widgets.VBox:
    """Build the stage 3 app and return its view (the notebook displays it)."""
    return EducatorLearningApp().view
