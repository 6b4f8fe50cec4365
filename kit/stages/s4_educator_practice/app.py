"""Stage 4, educator practice: the views. `EducatorPracticeApp` builds the controls and links them to
`PracticeModel` (models.py), which saves to the store and writes the status line.

Steps: practice against the map, the chain so far, access to effective practice, a walkthrough form,
the coaching log, and the reflection. In view-only mode no individual educator is named or shown.

A step's figures are filled when its tab is shown (the first tab at once), and a chart is drawn
again only when what it shows changed (`frame_key` of its frames): a walkthrough saved on its own
tab draws no chart at all, and the practice tab opened afterwards redraws only the charts it moved.

>>> educator_practice_app()                                   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import pandas as pd

from kit.apps.components import figure_png, html_table
from kit.apps.records_view import ReflectionEditor, saved_records_view
from kit.apps.saving import Autosave, saved_mark
from kit.apps.shell import StageShell, app_entry
from kit.charts.pictures import picture
from kit.instruments import LEVELS_OF_USE
from kit.io import Dataset
from kit.stages.s4_educator_practice.analysis.access import ALL_SCHOOLS
from kit.stages.s4_educator_practice.analysis.coaching import MODEL_WORDS, cycles_by_model, sessions_by_component
from kit.stages.s4_educator_practice.analysis.coaching import coaching_cycles, sessions_by_educator
from kit.stages.s4_educator_practice.analysis.fidelity import AT_OR_ABOVE
from kit.stages.s4_educator_practice.models import REFLECTION_PROMPT, PracticeModel, PracticeReflectionModel
from kit.stages.s4_educator_practice.models import frame_key, records_key
from kit.store import Record

STEP_TITLES = ("Practice against the map", "The chain so far", "Access to effective practice", "Walkthrough",
               "Coaching log", "Reflection")
NOT_SEEN = "not seen"
BY_DATE = "(from the date)"
WIDE = widgets.Layout(width="95%")
FORM = {"style": {"description_width": "9em"}, "layout": widgets.Layout(width="min(100%, 34em)")}


def _share(value) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


def _shares_shown(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The frame with each share column as it may be shown: its coded text from the analysis
    (`<column>_text`: "42%", "≥85%", empty when withheld) when given, else the share in percent.

    >>> _shares_shown(pd.DataFrame({"share": [float("nan")], "share_text": ["≥85%"]}), "share").to_dict("list")
    {'share': ['≥85%']}
    """
    texts = {c: frame[f"{c}_text"] if f"{c}_text" in frame else frame[c].map(_share) for c in columns}
    return frame.assign(**texts).drop(columns=[f"{c}_text" for c in columns if f"{c}_text" in frame])


def _dated(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The frame with its date columns as plain dates (YYYY-MM-DD)."""
    return frame.assign(**{c: pd.to_datetime(frame[c]).dt.strftime("%Y-%m-%d") for c in columns})


def _note(text: str) -> str:
    return f"<p class='kit-note'>{html.escape(text)}</p>"


class EducatorPracticeApp:
    """The stage 4 app. `EducatorPracticeApp().view` is the widget to display."""

    def __init__(self, shell: StageShell | None = None, dataset: Dataset | None = None):
        self.shell = shell if shell is not None else StageShell(4, dataset=dataset)
        self.model = PracticeModel(self.shell.picker.model, self.shell.dataset)
        self.reflection_model = PracticeReflectionModel(self.shell.picker.model, self.shell.dataset)
        self.walkthrough_editing: list[Record] = []  # the saved records of the visit in the form
        self.session_editing: Record | None = None  # the saved session in the form
        self.drawn: dict[str, tuple] = {}  # each chart's and saved list's key when it was last drawn
        self.stale: set[str] = set()  # the steps whose figures changed since they were last filled
        guard = self.shell.guard
        self._build_figures(guard)
        self._build_walkthrough(guard)
        self._build_coaching(guard)
        self._build_reflection(guard)
        self.steps = self.shell.steps([
            (STEP_TITLES[0], None, self.practice_view), (STEP_TITLES[1], None, self.chain_view),
            (STEP_TITLES[2], None, self.access_view), (STEP_TITLES[3], self.model, self.walkthrough_view),
            (STEP_TITLES[4], None, self.coaching_view), (STEP_TITLES[5], self.reflection_model, self.reflection_view)])
        self.view = self.shell.page(self.steps)
        self.steps.observe(guard(lambda _: self._fill_shown_tab()), names="selected_index")
        self.model.observe(guard(lambda _: self.redraw()), names="revision")
        self.model.observe(guard(lambda _: self._new_cycle()), names="cycle_id")
        self.redraw()
        self._next_session(flush=False)

    # -- building -----------------------------------------------------------------------------------------
    def _build_figures(self, guard) -> None:
        m = self.model
        self.scale_note, self.problems = widgets.HTML(), widgets.HTML()
        self.ratings_image, self.slope_image = widgets.Image(format="png"), widgets.Image(format="png")
        self.line = widgets.FloatSlider(value=m.fidelity_line, min=0.5, max=1.0, step=0.05, readout_format=".0%",
                                        description="Fidelity line", style={"description_width": "8em"})
        self.line.observe(guard(lambda change: setattr(m, "fidelity_line", change.new)), names="value")
        self.groups_table, self.levels_table, self.unobserved = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.practice_view = widgets.VBox([
            self.scale_note, self.problems, self.ratings_image, self.slope_image,
            widgets.HTML("<h4>Fidelity by school, role and learning hours</h4>"), self.line, self.groups_table,
            widgets.HTML("<h4>Levels of Use</h4>"), self.levels_table, self.unobserved])
        self.chain_image, self.chain_school_image = widgets.Image(format="png"), widgets.Image(format="png")
        self.chain_words = widgets.HTML()
        self.chain_view = widgets.VBox([self.chain_words, self.chain_image, self.chain_school_image])
        self.group = widgets.Dropdown(description="Student group", options=[
            (c.replace("_", " "), c) for c in m.student_groups], value=m.group, style={"description_width": "8em"})
        self.term = widgets.Dropdown(description="Term", options=m.terms, value=m.term)
        self.group.observe(guard(lambda change: setattr(m, "group", change.new)), names="value")
        self.term.observe(guard(lambda change: setattr(m, "term", change.new)), names="value")
        self.access_image, self.access_table, self.access_words = widgets.Image(format="png"), widgets.HTML(), \
            widgets.HTML()
        self.access_view = widgets.VBox([widgets.HBox([self.group, self.term]), self.access_words,
                                         self.access_image, self.access_table])

    def _build_walkthrough(self, guard) -> None:
        m = self.model
        self.educator = widgets.Combobox(description="Educator", options=m.educator_options(),
                                         placeholder="Code of the educator you visited", ensure_option=False, **FORM)
        self.visit_date = widgets.DatePicker(description="Date", **FORM)
        self.observer = widgets.Text(description="Observer", placeholder="Your code or initials", **FORM)
        self.window = widgets.Dropdown(description="Window", **FORM)
        self.variations: dict[str, widgets.Dropdown] = {}
        self.variation_box = widgets.VBox()
        self.level_of_use = widgets.Dropdown(description="Level of Use", options=[("not judged", "")] + [
            (f"{level} {name}", level) for level, name in LEVELS_OF_USE], **FORM)
        self.visit_note = widgets.Textarea(description="Note", placeholder="What you saw (optional)", **FORM)
        self.save_walkthrough_button = widgets.Button(description="Save walkthrough", button_style="primary")
        self.save_walkthrough_button.on_click(guard(lambda _: self.save_walkthrough()))
        self.new_walkthrough_button = widgets.Button(description="Start a new walkthrough", icon="plus",
                                                     tooltip="Empty the form; saving then adds another visit")
        self.new_walkthrough_button.on_click(guard(lambda _: self._clear_walkthrough()))
        # The note is saved as the coach types, once the visit has an educator, a date and a rating.
        self.walkthrough_autosave = Autosave(lambda: self._write_walkthrough(quiet=True), guard=guard)
        self.walkthrough_autosave.watch(self.visit_note)
        self.walkthrough_mark = saved_mark(m, self.walkthrough_autosave, own=True)
        self.walkthrough_list = widgets.HTML()
        self.walkthrough_records = saved_records_view(
            m, "walkthrough", "observations", _walkthrough_row, on_edit=self._edit_walkthrough,
            read_only=self.shell.view_only, label=_walkthrough_label, on_change=lambda _: self._forget_archived(),
            reload=m.load_walkthroughs)
        form = widgets.VBox([self.educator, self.visit_date, self.observer, self.window, self.variation_box,
                             self.level_of_use, self.visit_note,
                             widgets.HBox([self.save_walkthrough_button, self.walkthrough_mark,
                                           self.new_walkthrough_button])])
        self.shell.editing(form)
        saved = widgets.VBox([widgets.HTML("<h4>Walkthrough records saved for this cycle (only you see this)</h4>"
                                           "<p class='kit-note'>One record per component seen; Edit puts the whole "
                                           "visit back in the form.</p>"), self.walkthrough_records])
        self.shell.editing(saved)  # they name educators: never on a team's page
        self.walkthrough_view = widgets.VBox([
            widgets.HTML(_note("One visit: choose the variation you saw for each component (leave a component "
                               "'not seen'). It is saved for the open cycle and shows in every figure at once.")),
            form, self.walkthrough_list, saved])

    def _build_coaching(self, guard) -> None:
        m = self.model
        self.coached = widgets.Combobox(description="Educator", options=m.educator_options(), ensure_option=False,
                                        placeholder="Code of the educator you coached", **FORM)
        self.session_date = widgets.DatePicker(description="Date", **FORM)
        self.minutes = widgets.BoundedIntText(description="Minutes", min=0, max=600, step=5, **FORM)
        self.focus = widgets.Text(description="Focus", placeholder="What the session worked on", **FORM)
        self.component = widgets.Dropdown(description="Component", **FORM)
        self.cycle_model = widgets.Dropdown(description="Cycle model", options=[("no cycle", "")] + [
            (words, key) for key, words in MODEL_WORDS.items()], **FORM)
        self.target = widgets.Text(description="Student target", placeholder="What students will learn", **FORM)
        self.evidence_pre = widgets.Text(description="Evidence before", placeholder="Student work, before", **FORM)
        self.evidence_post = widgets.Text(description="Evidence after", placeholder="Student work, after", **FORM)
        self.next_step = widgets.Text(description="Next step", **FORM)
        self.save_session_button = widgets.Button(description="Save session", button_style="primary")
        self.save_session_button.on_click(guard(lambda _: self.save_session()))
        self.new_session_button = widgets.Button(description="Start a new session", icon="plus",
                                                 tooltip="A fresh form; saving then adds another session")
        self.new_session_button.on_click(guard(lambda _: self._next_session()))
        # What the coach types about a session is saved as they go, once it has an educator and a date.
        self.session_autosave = Autosave(lambda: self._write_session(quiet=True), guard=guard)
        self.session_autosave.watch(self.focus, self.target, self.evidence_pre, self.evidence_post, self.next_step)
        self.session_mark = saved_mark(m, self.session_autosave, own=True)
        self.session_records = saved_records_view(
            m, "coaching session", "coaching_sessions", _session_row, on_edit=self._edit_session,
            read_only=self.shell.view_only, label=_session_label, on_change=lambda _: self._forget_archived(),
            reload=m.load_sessions)
        form = widgets.VBox([self.coached, self.session_date, self.minutes, self.focus, self.component,
                             self.cycle_model, self.target, self.evidence_pre, self.evidence_post, self.next_step,
                             widgets.HBox([self.save_session_button, self.session_mark, self.new_session_button])])
        self.shell.editing(form)
        saved = widgets.VBox([widgets.HTML("<h4>Coaching sessions saved for this cycle (only you see this)</h4>"),
                              self.session_records])
        self.shell.editing(saved)  # they name educators: never on a team's page
        self.coaching_tables = widgets.HTML()
        self.coaching_view = widgets.VBox([form, self.coaching_tables, saved])

    def _build_reflection(self, guard) -> None:
        self.reflection_editor = ReflectionEditor(self.reflection_model, (REFLECTION_PROMPT,),
                                                  read_only=self.shell.view_only, guard=guard,
                                                  placeholder="Your reflection")
        self.reflection_view = widgets.VBox([widgets.HTML(f"<p>{html.escape(REFLECTION_PROMPT)}</p>"),
                                             self.reflection_editor])

    # -- drawing ------------------------------------------------------------------------------------------
    def redraw(self) -> None:
        """After the model's frames may have changed: the forms and saved lists now (only a list whose
        records changed), the shown step's figures now and every other step's when it is shown."""
        self._fill_forms()
        self._refresh_saved()
        self.stale = set(self._fillers())
        self._fill_shown_tab()

    def _fillers(self) -> dict:
        return {STEP_TITLES[0]: self._draw_practice, STEP_TITLES[1]: self._draw_chain,
                STEP_TITLES[2]: self._draw_access, STEP_TITLES[4]: self._draw_coaching}

    def _fill_shown_tab(self) -> None:
        """Fill the step now shown if its figures changed since it was last filled."""
        shown = STEP_TITLES[self.steps.selected_index or 0]
        if shown in self.stale:
            self.stale.discard(shown)
            self._fillers()[shown]()

    def _picture(self, name: str, image: widgets.Image, key: tuple, draw) -> None:
        """Set `image` to the PNG of `draw()` (a Figure, or None for no chart), unless it already shows
        the chart drawn from `key`; a chart this kernel drew from the same key is not drawn again."""
        if self.drawn.get(name) == key:
            return

        def png() -> bytes:
            figure = draw()
            return figure_png(figure) if figure is not None else b""
        image.value = picture(("educator practice", name, key), png)
        self.drawn[name] = key

    def _refresh_saved(self) -> None:
        """List the saved walkthroughs or sessions again when they changed (or the cycle did)."""
        m = self.model
        for name, records, view in (("walkthrough records", m.typed, self.walkthrough_records),
                                    ("session records", m.sessions, self.session_records)):
            key = (m.cycle_id, records_key(records))
            if self.drawn.get(name) != key:
                view.refresh()
                self.drawn[name] = key

    def _draw_practice(self) -> None:
        from kit.stages.s4_educator_practice import charts

        m = self.model
        self.scale_note.value = _note(m.scale_note())
        self.problems.value = "".join(f"<p class='kit-error'>{html.escape(p)}</p>" for p in m.problems)
        if m.distribution.empty:
            self._picture("ratings", self.ratings_image, ("empty",), lambda: None)
            self._picture("slope", self.slope_image, ("empty",), lambda: None)
            self.groups_table.value = _note("No observation yet: import an observations table or type a walkthrough.")
            return
        withheld = bool(m.distribution["suppressed"].any() or m.distribution["share"].isna().any())
        self._picture("ratings", self.ratings_image, frame_key(m.distribution, m.fidelity if withheld else None),
                      lambda: charts.ratings_chart(m.distribution, title=charts.share_at_line_title(m.fidelity)
                                                   if withheld else None).figure)
        before, after = (m.windows[0], m.windows[-1]) if len(m.windows) > 1 else ("before", "after")
        if m.names_educators:
            self._picture("slope", self.slope_image, frame_key(m.change, before, after),
                          lambda: charts.fidelity_slope_chart(m.change, before=before, after=after).figure)
        else:
            change = m.school_change  # a school whose mean is coded near 0% or 100% is not drawn as a number
            shown = change[~change["suppressed"] & change["fidelity_before"].notna() & change["fidelity_after"].notna()]
            self._picture("slope", self.slope_image, frame_key(shown, before, after, "school"),
                          lambda: charts.fidelity_slope_chart(shown, before=before, after=after,
                                                              label_column="school").figure)
        parts = []
        for by, table in m.by_group.items():
            frame = table.assign(**{by: table[by].map(lambda s: m.school_names.get(s, s))} if by == "school_id" else {})
            frame = _shares_shown(frame, "fidelity", "at_or_above")
            parts.append(html_table(frame.rename(columns={"school_id": "school", "at_or_above": "at or above the line"})))
        self.groups_table.value = "".join(parts)
        lou = m.levels_of_use
        self.levels_table.value = (html_table(_shares_shown(lou, "share")) if len(lou) else
                                   _note("No Level of Use is recorded in the observations."))
        self.unobserved.value = ""
        if m.names_educators:
            missing = m.unobserved
            self.unobserved.value = ("<h4>Not observed yet (only you see this)</h4>" + html_table(missing)
                                     if len(missing) else _note("Every educator has been observed."))

    def _draw_chain(self) -> None:
        from kit.stages.s4_educator_practice import charts

        m = self.model
        self.chain_words.value = "".join(f"<p>{html.escape(w)}</p>" for w in m.links["words"]) + "".join(
            f"<p class='kit-error'>{html.escape(b)}</p>" for b in m.breaks)
        self._picture("chain", self.chain_image, frame_key(m.links, m.broken_at),
                      lambda: charts.chain_chart(m.links, broken_at=m.broken_at).figure)
        self._picture("chain by school", self.chain_school_image, frame_key(m.changes_by_school, m.school_names),
                      lambda: charts.chain_by_group_chart(m.changes_by_school, names=m.school_names).figure
                      if len(m.changes_by_school) else None)

    def _draw_access(self) -> None:
        from kit.stages.s4_educator_practice import charts

        m = self.model
        if m.access.empty:
            self._picture("access", self.access_image, ("empty",), lambda: None)
            self.access_table.value = _note("Access needs the students and rosters tables and some observations.")
            self.access_words.value = ""
            return
        self._picture("access", self.access_image, frame_key(m.access),
                      lambda: charts.access_chart(m.access, ALL_SCHOOLS).figure)
        table = m.access.assign(school=m.access["school_id"].map(lambda s: m.school_names.get(s, s)),
                                share=m.access["share_text"], gap=m.access["gap_text"])
        self.access_table.value = html_table(table[["school", "group", "n", "share", "gap", "certainty", "note"]])
        self.access_words.value = ("".join(f"<p>{html.escape(s)}</p>" for s in m.access_sentences) or
                                   _note(f"No clear gap in access to educators {AT_OR_ABOVE} for "
                                         f"{m.group.replace('_', ' ')}."))

    def _fill_forms(self) -> None:
        m = self.model
        options = m.educator_options()
        self.educator.options = self.coached.options = options
        chosen = self.window.value
        self.window.options = [(BY_DATE, "")] + [(w, w) for w in m.windows]
        self.window.value = chosen if chosen in m.windows else (m.windows[-1] if m.windows else "")
        components = m.walkthrough_components()
        if [name for name, _ in components] != list(self.variations):
            self.variations = {name: widgets.Dropdown(description=name, options=[(NOT_SEEN, None)] + choices,
                                                      value=None, **FORM) for name, choices in components}
            self.variation_box.children = list(self.variations.values())
        chosen = self.component.value
        self.component.options = [("none", "")] + [(name, name) for name, _ in components]
        self.component.value = chosen if chosen in dict(self.component.options).values() else ""
        typed = m.typed_walkthroughs()
        self.walkthrough_list.value = ("<h4>Walkthroughs typed for this cycle</h4>" + html_table(typed)
                                       if len(typed) else "")

    def _session_defaults(self) -> None:
        defaults = self.model.session_defaults()
        self.coached.value = defaults.get("educator_id", "")
        self.session_date.value = defaults["date"]
        self.minutes.value = int(defaults.get("minutes") or 0)
        component = defaults.get("component", "")
        self.component.value = component if component in dict(self.component.options).values() else ""
        self.cycle_model.value = defaults.get("cycle_model", "")
        self.target.value = defaults.get("student_target", "")
        for control in (self.focus, self.evidence_pre, self.evidence_post, self.next_step):
            control.value = ""

    def _draw_coaching(self) -> None:
        m = self.model
        if m.log.empty:
            self.coaching_tables.value = _note("No coaching session saved for this cycle yet.")
            return
        parts = ["<h4>Sessions by component</h4>", html_table(sessions_by_component(m.log))]
        cycles = coaching_cycles(m.log)
        if len(cycles):
            parts += ["<h4>Coaching cycles by model</h4>", html_table(cycles_by_model(cycles))]
        if m.names_educators:
            by_educator = _dated(sessions_by_educator(m.log), "first", "last").rename(
                columns={"educator_id": "educator", "first": "first session", "last": "last session"})
            parts += ["<h4>Sessions by educator (only you see this)</h4>", html_table(by_educator)]
            if len(cycles):
                parts += ["<h4>Coaching cycles</h4>", html_table(_dated(cycles, "first", "last").rename(
                    columns={"educator_id": "educator", "student_target": "student target"}))]
        self.coaching_tables.value = "".join(parts)

    # -- actions --------------------------------------------------------------------------------------------
    def save_walkthrough(self):
        """Save the visit in the form (the button; the status line says what is missing), then empty
        the ratings for the next visit."""
        saved = self.walkthrough_autosave.save_now(lambda: self._write_walkthrough(quiet=False))
        if saved:
            self._clear_walkthrough()
        return saved

    def _write_walkthrough(self, quiet: bool):
        """Save the visit; `quiet` (a pause in typing) saves only a visit that is complete enough and
        says nothing otherwise (True: nothing to keep yet)."""
        ratings = {name: control.value for name, control in self.variations.items()}
        complete = (self.educator.value.strip() and self.visit_date.value is not None
                    and any(v is not None for v in ratings.values()))
        if quiet and (self.shell.view_only or self.model.cycle_id is None or not complete):
            return True
        saved = self.model.save_walkthrough(self.educator.value, self.visit_date.value, self.observer.value,
                                            self.window.value or None, ratings, self.visit_note.value,
                                            self.level_of_use.value or None, editing=self.walkthrough_editing)
        if saved:
            self.walkthrough_editing = saved
        return saved

    def _edit_walkthrough(self, record: Record) -> None:
        """Put the whole visit of a saved walkthrough record back in the form."""
        self.walkthrough_autosave.flush()
        visit = self.model.visit_of(record)
        with self.walkthrough_autosave.filling():
            self.educator.value, self.visit_date.value = record.educator_id, _as_date(record.date)
            self.observer.value = record.observer_id or ""
            self.window.value = record.window if record.window in dict(self.window.options).values() else ""
            seen = {r.component: r.rating for r in visit}
            for name, control in self.variations.items():
                rating = seen.get(name)
                control.value = rating if rating in dict(control.options).values() else None
            self.level_of_use.value = record.level_of_use or ""
            self.visit_note.value = record.note or ""
        self.walkthrough_editing = visit

    def _clear_walkthrough(self) -> None:
        self.walkthrough_autosave.flush()
        with self.walkthrough_autosave.filling():
            for control in self.variations.values():
                control.value = None
            self.visit_note.value = ""
        self.walkthrough_editing = []

    def save_session(self):
        """Save the session in the form (the button), then start the next one from it."""
        record = self.session_autosave.save_now(lambda: self._write_session(quiet=False))
        if record is not None:
            self._next_session(flush=False)
        return record

    def _write_session(self, quiet: bool):
        if quiet and (self.shell.view_only or self.model.cycle_id is None or not self.coached.value.strip()
                      or self.session_date.value is None):
            return True
        record = self.model.save_coaching_session(
            self.session_editing, educator_id=self.coached.value, date=self.session_date.value,
            minutes=self.minutes.value, focus=self.focus.value, component=self.component.value,
            cycle_model=self.cycle_model.value, student_target=self.target.value,
            evidence_pre=self.evidence_pre.value, evidence_post=self.evidence_post.value, next_step=self.next_step.value)
        if record is not None:
            self.session_editing = record
        return record

    def _edit_session(self, record: Record) -> None:
        """Put a saved coaching session back in the form; saving then changes it."""
        self.session_autosave.flush()
        with self.session_autosave.filling():
            self.coached.value, self.session_date.value = record.educator_id or "", _as_date(record.date)
            self.minutes.value = int(record.minutes or 0)
            self.component.value = (record.component if record.component in dict(self.component.options).values()
                                    else "")
            self.cycle_model.value = record.cycle_model or ""
            for control, name in ((self.focus, "focus"), (self.target, "student_target"),
                                  (self.evidence_pre, "evidence_pre"), (self.evidence_post, "evidence_post"),
                                  (self.next_step, "next_step")):
                control.value = record.values.get(name) or ""
        self.session_editing = record

    def _next_session(self, flush: bool = True) -> None:
        if flush:
            self.session_autosave.flush()
        with self.session_autosave.filling():
            self._session_defaults()  # ready for the next session, starting from the last one
        self.session_editing = None

    def _forget_archived(self) -> None:
        """A record archived from a list leaves the form that was editing it."""
        if any(r.archived for r in self._current(self.walkthrough_editing)):
            self.walkthrough_editing = []
        if self.session_editing is not None and any(r.archived for r in self._current([self.session_editing])):
            self.session_editing = None

    def _current(self, records: list[Record]) -> list[Record]:
        """The records as the store holds them now (archived or not)."""
        store = self.model.store
        return [store.records(r.kind).get(r.id) for r in records] if store is not None else []

    def _new_cycle(self) -> None:
        self.walkthrough_editing, self.session_editing = [], None
        self._next_session(flush=False)


def _as_date(value):
    return value if isinstance(value, dt.date) or value is None else pd.Timestamp(value).date()


def _walkthrough_row(record: Record) -> dict:
    return {"educator": record.educator_id, "date": str(record.date), "component": record.component,
            "rating": record.rating, "note": record.note or ""}


def _walkthrough_label(record: Record) -> str:
    return f"{record.educator_id}, {record.date}: {record.component}"


def _session_row(record: Record) -> dict:
    return {"educator": record.educator_id, "date": str(record.date), "minutes": record.values.get("minutes"),
            "focus": record.values.get("focus") or "", "next step": record.values.get("next_step") or ""}


def _session_label(record: Record) -> str:
    return f"{record.educator_id}, {record.date}: {record.values.get('focus') or 'session'}"


@app_entry
def educator_practice_app() -> widgets.VBox:
    """Build the stage 4 app and return its view (the notebook displays it)."""
    return EducatorPracticeApp().view
