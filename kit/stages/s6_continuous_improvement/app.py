"""The stage 6 app: run charts of the key measures, the cycle review and decision, the next cycle,
and the cycle report to download. Views only: every figure and save goes through the model."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import busy, download_link, html_table
from kit.apps.records_view import ReflectionEditor, saved_records_view
from kit.apps.saving import Autosave, saved_mark
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset

from .analysis.goals import VERDICT_RULE
from .analysis.review import DECISIONS
from .analysis.review import decision_problem as problem_of
from .analysis.signals import RULE_CHOICES, run_chart_words
from .models import REFLECTION_PROMPTS, ContinuousImprovementModel, CycleReflectionModel, report_file_name

STEP_TITLES = ("Run charts", "Cycle review", "Next cycle", "Cycle report")
RULE_OPTIONS = (("Anhoej rules (fewest false alarms)", "anhoej"), ("All five rules (more false alarms)", "all"))


def _p(text: str, css: str = "") -> str:
    return f'<p class="{css}">{html.escape(text)}</p>' if css else f"<p>{html.escape(text)}</p>"


class ContinuousImprovementApp:
    """The stage 6 page. `dataset` and `shell` can be given (tests); by default the saved data and
    the remembered cycle are used."""

    def __init__(self, shell: StageShell | None = None, dataset: Dataset | None = None):
        self.shell = shell or StageShell(6, dataset=dataset)
        self.model = ContinuousImprovementModel(self.shell.picker.model, self.shell.dataset)
        self.reflection_model = CycleReflectionModel(self.shell.picker.model, self.shell.dataset)
        self.decision_editing = None  # the saved decision in the form (None: the latest, or a new one)
        self.charts_drawn = False  # the run charts are drawn when their tab is shown (`_fill_shown_tab`)
        if self.model.missing:
            self.view = self.shell.needs_data_page(self.model)
            return
        guard = self.shell.guard
        views = (self._charts_view(guard), self._review_view(guard), self._next_view(guard), self._report_view(guard))
        self.steps = self.shell.steps([(title, self.model, view) for title, view in zip(STEP_TITLES, views)])
        self.view = self.shell.page(self.steps)
        self.steps.observe(guard(lambda _: self._fill_shown_tab()), names="selected_index")
        self.model.observe(guard(lambda _: self.redraw()), names="revision")
        self.model.observe(guard(lambda _: self._show_saved()), names=["reflections", "decision"])
        self.redraw()
        self._show_saved()

    # -- run charts -------------------------------------------------------------------------------------
    def _charts_view(self, guard) -> widgets.VBox:
        m = self.model
        self.before = widgets.Dropdown(options=m.windows, description="First window")
        self.after = widgets.Dropdown(options=m.windows, description="Last window")
        self.subject = widgets.Dropdown(options=m.subjects, description="Subject")
        self.group = widgets.Dropdown(options=[(c.replace("_", " "), c) for c in m.group_columns], description="Group")
        self.rules = widgets.ToggleButtons(options=RULE_OPTIONS, description="Rules")
        for control, trait in ((self.before, "before"), (self.after, "after"), (self.subject, "subject"),
                               (self.group, "group_column"), (self.rules, "rules")):
            control.value = getattr(m, trait)
            control.observe(guard(lambda change, t=trait: setattr(m, t, change.new)), names="value")
        self.rules_help = widgets.HTML()
        self.chart_summary = widgets.HTML()
        self.chart_images = widgets.VBox()
        return widgets.VBox([widgets.HBox([self.before, self.after]), widgets.HBox([self.subject, self.group]),
                             self.rules, self.rules_help, self.chart_summary, self.chart_images])

    def redraw(self) -> None:
        """Show the figures again after they changed; the run charts' pictures wait for their tab (a
        new cycle opened from another tab redraws none of them)."""
        m = self.model
        self.rules_help.value = _p(RULE_CHOICES[m.rules], "kit-note")
        charts = m.charts or {}
        self.chart_summary.value = html_table(pd.DataFrame(
            {"chart": list(charts), "what it shows": [run_chart_words(s) for s in charts.values()]}))
        self.charts_drawn = False
        self._fill_shown_tab()
        self._show_review()

    def _fill_shown_tab(self) -> None:
        if STEP_TITLES[self.steps.selected_index or 0] == "Run charts" and not self.charts_drawn:
            self.charts_drawn = True
            self._draw_charts()

    def _draw_charts(self) -> None:
        """One image per run chart; an image whose chart did not change keeps its picture (and sends
        nothing to the page again)."""
        titles = list(self.model.charts or {})
        images = list(self.chart_images.children[:len(titles)])
        images += [widgets.Image(format="png") for _ in range(len(titles) - len(images))]
        for image, title in zip(images, titles):
            image.value = self.model.chart_png(title)
        self.chart_images.children = images

    # -- review and decision ---------------------------------------------------------------------------
    def _review_view(self, guard) -> widgets.VBox:
        m = self.model
        self.review_table = widgets.HTML()
        self.reflection_list = widgets.HTML()
        self.reflection_editor = ReflectionEditor(
            self.reflection_model, REFLECTION_PROMPTS, read_only=self.shell.view_only, guard=guard,
            reload=lambda: (self.reflection_model.load(), m.load_reflections()),
            placeholder="Your reflection on the whole cycle")
        self.decision = widgets.RadioButtons(options=[(words, key) for key, words in DECISIONS.items()],
                                             layout={"width": "95%"})
        self.rationale = widgets.Textarea(placeholder="The reasons, from the evidence", layout={"width": "90%"})
        self.save_decision = widgets.Button(description="Save decision", button_style="primary")
        self.save_decision.on_click(guard(lambda _: self.save_the_decision()))
        # The reasons are saved as the coach types, once a decision is chosen.
        self.decision_autosave = Autosave(lambda: self._write_decision(quiet=True), guard=guard)
        self.decision_autosave.watch(self.decision, self.rationale)
        self.decision_mark = saved_mark(m, self.decision_autosave, own=True)
        self.decision_saved = widgets.HTML()
        self.decision_records = saved_records_view(
            m, "decision", "decisions", lambda r: {"decision": DECISIONS.get(r.decision, r.decision),
                                                   "reasons": r.rationale or ""},
            on_edit=self._edit_decision, read_only=self.shell.view_only,
            label=lambda r: f"{DECISIONS.get(r.decision, r.decision)[:40]}: {(r.rationale or '')[:40]}",
            on_change=lambda _: self._decision_archived(), reload=m.load_decision)
        self.decision_form = widgets.VBox([self.decision, self.rationale,
                                           widgets.HBox([self.save_decision, self.decision_mark])])
        self.shell.editing(self.decision_form)
        return widgets.VBox([widgets.HTML(_p(VERDICT_RULE, "kit-note")), self.review_table,
                             widgets.HTML("<h4>Reflections from every stage</h4>"), self.reflection_list,
                             widgets.HTML("<h4>Your reflections on the whole cycle</h4>"), self.reflection_editor,
                             widgets.HTML("<h4>The decision</h4>"), self.decision_saved, self.decision_form,
                             widgets.HTML("<h4>Decisions saved for this cycle</h4>"), self.decision_records])

    def save_the_decision(self):
        """Save the decision in the form now (the button; the status line says what is missing)."""
        return self.decision_autosave.save_now(lambda: self._write_decision(quiet=False))

    def _write_decision(self, quiet: bool):
        if quiet and (self.shell.view_only or self.model.cycle_id is None
                      or problem_of(self.decision.value, self.rationale.value)):
            return True  # nothing that can be kept yet
        record = self.model.save_decision(self.decision.value, self.rationale.value, existing=self.decision_editing)
        if record is not None:
            self.decision_editing = record
            self.decision_records.refresh(keep=record.id)
        return record

    def _edit_decision(self, record) -> None:
        self.decision_autosave.flush()
        self._fill_decision(record)

    def _fill_decision(self, record) -> None:
        """The form shows `record` (filling it is not typing) and saving it changes that record."""
        with self.decision_autosave.filling():
            if record.decision in DECISIONS:
                self.decision.value = record.decision
            self.rationale.value = record.rationale or ""
        self.decision_editing = record

    def _decision_archived(self) -> None:
        editing = self.decision_editing
        if editing is not None and editing.id not in {d.id for d in self.model.records("decisions")}:
            self.decision_editing = None  # archived: saving the form again makes a new decision

    def _show_review(self) -> None:
        review = self.model.review
        if review is None or review.empty:
            self.review_table.value = _p("No goal is saved in this cycle yet: stage 1 saves the student learning goal.",
                                         "kit-note")
            return
        self.review_table.value = html_table(review[["source", "goal", "target", "figure_text", "verdict", "reason"]]
                                             .rename(columns={"figure_text": "latest figure", "reason": "why"}))

    def _show_saved(self) -> None:
        rows = self.model.reflections
        self.reflection_list.value = (html_table(rows[["stage", "stage_title", "prompt", "text"]]) if rows is not None
                                      and len(rows) else _p("No reflection saved in this cycle yet.", "kit-note"))
        saved = self.model.decision
        if saved is None:
            self.decision_saved.value = _p("No decision saved yet.", "kit-note")
            if self.decision_editing is not None and self.decision_editing.cycle_id != self.model.cycle_id:
                with self.decision_autosave.filling():  # another cycle: its form starts empty
                    self.rationale.value = ""
                self.decision_editing = None
            return
        self.decision_saved.value = _p(f"Saved: {DECISIONS.get(saved.decision, saved.decision)} "
                                       f"Reasons: {saved.rationale or ''}")
        if self.decision_editing is None or self.decision_editing.id != saved.id:
            self._fill_decision(saved)

    # -- next cycle ------------------------------------------------------------------------------------
    def _next_view(self, guard) -> widgets.VBox:
        self.next_name = widgets.Text(placeholder="Name of the next cycle", description="Name")
        self.create_next = widgets.Button(description="Create next cycle", button_style="primary")
        self.create_next.on_click(guard(lambda _: self.model.create_next(self.next_name.value)))
        self.shell.editing(self.next_name, self.create_next)
        words = ("The next cycle starts from this one: its goals, learning plan, practice map and coaching focus "
                 "are copied into it for you to edit. This cycle stays exactly as it is; its ratings, walkthroughs, "
                 "coaching sessions, reflections and decision stay with it.")
        return widgets.VBox([widgets.HTML(_p(words)), self.next_name, self.create_next])

    # -- report ----------------------------------------------------------------------------------------
    def _report_view(self, guard) -> widgets.VBox:
        self.internal = widgets.Checkbox(description="Internal version (names educators; marked on every page)")
        self.internal.observe(guard(lambda change: setattr(self.model, "internal", change.new)), names="value")
        self.make = widgets.Button(description="Make the cycle report", button_style="primary")
        self.make.on_click(guard(lambda _: self._make_report()))
        self.download = widgets.HTML()
        self.shell.editing(self.internal)
        words = ("One HTML file with the goal, each stage's evidence, the chain, equity, run charts, reflections and "
                 "the decision. Open it in a browser and print it to PDF. Small groups are withheld everywhere.")
        return widgets.VBox([widgets.HTML(_p(words)), self.internal, self.make, self.download])

    def _make_report(self) -> None:
        # The first report works out its own tables (seconds): the button says it is working meanwhile.
        with busy(self.make, self.model, "Making the cycle report\u2026"):
            page = self.model.make_report()
        if not page:
            self.download.value = ""
            return
        # The same name whether or not the workspace copy could be written (view-only, a full disk).
        name = report_file_name(self.model.content_name(), bool(self.model.internal))
        link = download_link(name, page, "Download the cycle report", mime="text/html")
        self.download.value = link.replace("<a ", '<a class="kit-report-download" ', 1)


@app_entry
def continuous_improvement_app() -> widgets.VBox:
    """Build the stage 6 app and return its view (the notebook displays it)."""
    return ContinuousImprovementApp().view
