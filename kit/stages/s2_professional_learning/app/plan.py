"""Step 2 of stage 2: the learning plan, planned backwards, and its alignment to the standards."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as widgets
import pandas as pd

from kit.stages.s2_professional_learning.analysis.plan import (EVALUATION_LEVELS, LEARNING_DESIGNS, OUTCOME_DOMAINS, LearningPlan, PlannedActivity,
                               activities_from_data)
from kit.apps.components import busy, download_link, guidance_html, html_table, printable_page
from kit.apps.saving import Autosave, saved_mark
from kit.stages.s2_professional_learning.models import PlanModel
from kit.standards import STANDARDS, standard_label

GUIDANCE = guidance_html(
    "<p>Plan backwards, from what students need to learn (stage 1) to the evidence you will collect. "
    "What you type is saved as you go (the mark beside <b>Save plan</b> says when).</p>",
    "<p>Say what educators must know, be able to do and believe, and which classroom practice should change. "
    "Choose how they will learn, and add the activities with dates and hours. Last, name the evidence you will "
    "collect at each of the five levels, starting from student results. In the lists that allow several "
    "choices, hold Ctrl (Cmd on a Mac) to pick more than one.</p>", "More about planning backwards")
MAX_HOURS = 200


def _wide() -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="720px")




def _area(description: str, placeholder: str) -> widgets.Textarea:
    return widgets.Textarea(description=description, placeholder=placeholder,
                            layout=widgets.Layout(width="100%", max_width="720px", height="54px"),
                            style={"description_width": "150px"})


class PlanStep:
    """`view` is the step's widget; the plan itself lives in `model` and the store."""

    def __init__(self, model: PlanModel, shell):
        self.model, self.shell = model, shell
        self.activities: list[PlannedActivity] = []
        self.goal_shown = widgets.HTML()
        self.goal_choice = widgets.Dropdown(description="Serves", layout=_wide())
        self.new_goal = widgets.Text(description="Student goal", placeholder="One line: what will students learn, by when?",
                                     layout=_wide())
        self.save_goal = widgets.Button(description="Save student goal", icon="save")
        self.goal_row = widgets.HBox([self.new_goal, self.save_goal])
        self.title = widgets.Text(description="Plan title", layout=_wide())
        self.outcomes = {key: _area(heading, prompt) for key, heading, prompt in OUTCOME_DOMAINS}
        self.designs = widgets.SelectMultiple(description="Designs", options=LEARNING_DESIGNS, rows=len(LEARNING_DESIGNS))
        self.activity_title = widgets.Text(description="Activity", placeholder="e.g. Fraction models workshop", layout=_wide())
        self.activity_design = widgets.Dropdown(description="Design", options=LEARNING_DESIGNS)
        self.activity_date = widgets.DatePicker(description="Date")
        # Plain number box: a negative number is refused in words, not silently turned into 0.
        self.activity_hours = widgets.FloatText(description="Hours", step=0.5)
        self.activity_standards = widgets.SelectMultiple(description="Standards", rows=6,
                                                         layout=widgets.Layout(width="100%", max_width="520px"),
                                                         options=[(s.label, s.id) for s in STANDARDS])
        self.add_activity = widgets.Button(description="Add activity", icon="plus")
        self.from_data = widgets.SelectMultiple(description="From data", rows=6, layout=_wide())
        self.add_from_data = widgets.Button(description="Add the chosen activities", icon="plus",
                                            layout=widgets.Layout(width="auto"))
        self.remove_choice = widgets.Dropdown(description="Activity", layout=widgets.Layout(width="100%", max_width="520px"))
        self.remove_activity = widgets.Button(description="Remove activity", icon="trash")
        self.evidence = {level: _area(f"{level} {name}", prompt) for level, name, prompt in EVALUATION_LEVELS}
        self.notes = _area("Notes", "Anything else about the plan")
        self.save_button = widgets.Button(description="Save plan", button_style="primary", icon="save")
        self.autosave = Autosave(self._autosave, guard=shell.guard)
        self.saved_mark = saved_mark(model, self.autosave)
        self.print_link = widgets.HTML()
        self.several = widgets.HTML('<p class="kit-help">To choose several, hold Ctrl (Cmd on a Mac) while you click.</p>')
        self.activity_table = widgets.HTML()
        self.checks = widgets.HTML()
        self.alignment = widgets.HTML()
        self.read_only = widgets.HTML(layout=widgets.Layout(display=None if shell.view_only else "none"))
        editing = [self.goal_choice, self.title, *self.outcomes.values(), self.designs, *self.evidence.values(), self.notes,
                   self.goal_row, self.add_activity, self.add_from_data, self.from_data, self.remove_activity,
                   self.remove_choice, self.save_button, self.activity_title, self.activity_design, self.activity_date,
                   self.activity_hours, self.activity_standards]
        shell.editing(*editing, self.saved_mark, self.several)
        self._wire()
        h = lambda text: widgets.HTML(f"<h4>{text}</h4>")  # noqa: E731
        self.view = widgets.VBox([
            widgets.HTML(GUIDANCE), self.read_only, h("1. The students' learning goal"), self.goal_shown, self.goal_choice, self.goal_row,
            self.title, h("2. What educators will gain"), *self.outcomes.values(),
            h("3. How they will learn"), self.several, self.designs,
            h("4. The activities"), self.activity_table, self.activity_title,
            widgets.HBox([self.activity_design, self.activity_date, self.activity_hours]), self.activity_standards,
            self.add_activity, self.from_data, self.add_from_data, widgets.HBox([self.remove_choice, self.remove_activity]),
            h("5. The evidence at each level (plan from 5 back to 1)"), *reversed(list(self.evidence.values())),
            self.notes, widgets.HBox([self.save_button, self.saved_mark]), self.print_link,
            h("What the plan still needs"), self.checks, h("Alignment: activities and standards"), self.alignment])
        if shell.view_only:  # the team reads the plan once, as text: no form, no empty boxes
            self.view.children = (widgets.HTML(GUIDANCE), self.read_only, h("The activities"), self.activity_table,
                                  self.print_link, h("What the plan still needs"), self.checks,
                                  h("Alignment: activities and standards"), self.alignment)
        self.show()

    def _wire(self) -> None:
        guard = self.shell.guard
        self.save_goal.on_click(guard(lambda _: self._save_goal()))
        self.save_button.on_click(guard(lambda _: self.save()))
        self.add_activity.on_click(guard(lambda _: self._add_typed_activity()))
        self.add_from_data.on_click(guard(lambda _: self._add_from_data()))
        self.remove_activity.on_click(guard(lambda _: self._remove_activity()))
        self.model.observe(guard(lambda _: self.show()), names="plan")
        self.autosave.watch(self.title, self.notes, self.designs, self.goal_choice, *self.outcomes.values(),
                            *self.evidence.values())
        self.model.observe(guard(lambda _: self._show_goals()), names="student_goals")

    # -- the plan as typed ------------------------------------------------------------------------
    def current(self) -> LearningPlan:
        """The plan as the widgets hold it now."""
        return LearningPlan(
            self.title.value.strip() or "Learning plan", student_goal_id=self.goal_choice.value or "",
            outcomes={key: box.value for key, box in self.outcomes.items()}, designs=list(self.designs.value),
            activities=list(self.activities), evidence={level: box.value for level, box in self.evidence.items()},
            notes=self.notes.value)

    def save(self) -> None:
        with busy(self.save_button):
            self.autosave._cancel()
            saved = self.model.save_plan(self.current())
            if saved is not None:
                self.autosave.pending = False
        self._show_checks()

    def _autosave(self):
        """Typed plan text, saved as the coach goes (nothing without a cycle, or in view-only mode)."""
        if self.model.cycle_id is None or self.shell.view_only:
            return True
        return self.model.save_plan(self.current())

    def _save_goal(self) -> None:
        if not self.new_goal.value.strip():
            self.model.report_problem("Type the students' learning goal in one line first.")
        elif self.model.add_student_goal(self.new_goal.value.strip()):
            self.new_goal.value = ""

    def _add_typed_activity(self) -> None:
        if not self.activity_title.value.strip():
            self.model.report_problem("Give the activity a title first.")
            return
        if not 0 <= (self.activity_hours.value or 0) <= MAX_HOURS:
            self.model.report_problem(f"Hours must be between 0 and {MAX_HOURS}: {self.activity_hours.value:g} was not "
                                      "added. Type the hours the activity lasts.")
            return
        picked: date | None = self.activity_date.value
        self.activities.append(PlannedActivity(self.activity_title.value.strip(), self.activity_design.value,
                                               picked.isoformat() if picked else "", self.activity_hours.value,
                                               tuple(self.activity_standards.value)))
        if self._save_activities():
            self.activity_title.value, self.activity_date.value, self.activity_hours.value = "", None, 0
            self.activity_standards.value = ()

    def _add_from_data(self) -> None:
        table = self.shell.dataset.table("learning_activities")
        chosen = table[table["activity_id"].isin(self.from_data.value)]
        self.activities.extend(activities_from_data(chosen))
        if self._save_activities():
            self.from_data.value = ()

    def _remove_activity(self) -> None:
        if self.remove_choice.value is not None:
            del self.activities[self.remove_choice.value]
            self._save_activities()

    def _save_activities(self) -> bool:
        saved = self.model.save_plan(self.current()) is not None
        self._show_activities()
        return saved

    # -- showing ----------------------------------------------------------------------------------
    def show(self) -> None:
        with self.autosave.filling():  # filling the boxes from the store is not typing
            self._show_plan()

    def _show_plan(self) -> None:
        plan = self.model.plan or LearningPlan("")
        self.title.value = plan.title
        for key, box in self.outcomes.items():
            box.value = plan.outcomes.get(key, "")
        self.designs.value = tuple(d for d in plan.designs if d in LEARNING_DESIGNS)
        self.activities = list(plan.activities)
        for level, box in self.evidence.items():
            box.value = plan.evidence.get(level, "")
        self.notes.value = plan.notes
        self._show_goals(plan.student_goal_id)
        self._show_activities()
        self._show_data_activities()
        if self.shell.view_only:
            self.read_only.value = self._plan_html(plan)
        self._show_print(plan)

    def _show_print(self, plan: LearningPlan) -> None:
        if self.model.plan is None:
            self.print_link.value = ""
            return
        goal = dict((goal_id, text) for text, goal_id in self.model.student_goals).get(plan.student_goal_id, "")
        sections = [("Students' learning goal", goal)]
        sections += [(heading, plan.outcomes.get(key, "")) for key, heading, _ in OUTCOME_DOMAINS]
        sections += [("Learning designs", ", ".join(plan.designs))]
        activities = pd.DataFrame([{"activity": a.title, "design": a.design, "date": a.date, "hours": a.hours,
                                    "standards": ", ".join(standard_label(s) for s in a.standards)} for a in plan.activities])
        sections += [("Activities", activities if len(activities) else "")]
        sections += [(f"Evidence, level {level} ({name.lower()})", plan.evidence.get(level, ""))
                     for level, name, _ in EVALUATION_LEVELS]
        sections += [("Notes", plan.notes)]
        page = printable_page(plan.title or "Learning plan", sections)
        self.print_link.value = ('<p class="kit-note">' + download_link("learning-plan.html", page,
                                 "Download the plan as a printable page", mime="text/html") + "</p>")

    def _plan_html(self, plan: LearningPlan) -> str:
        """The plan as text, for a team that looks at it without editing (everything escaped)."""
        goal = dict((goal_id, text) for text, goal_id in self.model.student_goals).get(plan.student_goal_id, "")
        items = [("Plan", plan.title), ("Students' learning goal", goal)]
        items += [(heading, plan.outcomes.get(key, "")) for key, heading, _ in OUTCOME_DOMAINS]
        items += [("Learning designs", ", ".join(plan.designs))]
        items += [(f"Evidence, level {level} ({name.lower()})", plan.evidence.get(level, "")) for level, name, _ in EVALUATION_LEVELS]
        items += [("Notes", plan.notes)]
        rows = "".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(text)}</td></tr>" for label, text in items if text)
        return f'<table class="kit-table"><tbody>{rows}</tbody></table>' if self.model.plan else \
            '<p class="kit-note">No plan for this cycle yet.</p>'

    def _show_goals(self, chosen: str | None = None) -> None:
        goals = self.model.student_goals
        chosen = chosen if chosen is not None else self.goal_choice.value
        self.goal_choice.options = [(text if len(text) < 90 else text[:89] + "\u2026", goal_id) for text, goal_id in goals]
        ids = [goal_id for _, goal_id in goals]
        self.goal_choice.value = chosen if chosen in ids else (ids[0] if ids else None)
        self.goal_choice.layout.display = None if goals else "none"
        self.goal_shown.value = ("" if goals else '<p class="kit-note">This cycle has no student learning goal yet. '
                                 "Set one in stage 1, or write it here in one line.</p>")
        self._show_checks()

    def _show_data_activities(self) -> None:
        if not self.shell.dataset.has("learning_activities"):
            self.from_data.options = []
            self.from_data.tooltip = "Provide learning_activities.csv to choose from it"
            return
        table = self.shell.dataset.table("learning_activities").sort_values("date")
        self.from_data.options = [(f"{'' if pd.isna(r.date) else r.date:%Y-%m-%d} {r.title} ({r.hours:g} h)", r.activity_id)
                                  for r in table.itertuples(index=False)]

    def _show_activities(self) -> None:
        frame = pd.DataFrame([{"#": n + 1, "activity": a.title, "design": a.design, "date": a.date, "hours": a.hours,
                               "standards": ", ".join(standard_label(s) for s in a.standards)}
                              for n, a in enumerate(self.activities)])
        self.activity_table.value = html_table(frame) if len(frame) else '<p class="kit-note">No activities yet.</p>'
        self.remove_choice.options = [(f"{n + 1}. {a.title}", n) for n, a in enumerate(self.activities)]
        self._show_checks()

    def _show_checks(self) -> None:
        plan = self.current()
        missing = self.model.checks(plan)
        self.checks.value = ("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in missing) + "</ul>" if missing
                             else '<p class="kit-note">The plan is complete, from the student goal to the evidence.</p>')
        matrix, gaps = self.model.alignment(plan)
        shown = matrix.rename(columns=standard_label).map(lambda v: "\u2713" if v is True else "" if v is False else v)
        gap_text = ('<p class="kit-note">Every standard is addressed by at least one activity.</p>' if gaps.empty else
                    f"<p><b>Not addressed by any activity ({len(gaps)}):</b> "
                    + html.escape(", ".join(gaps["standard"])) + "</p>")
        self.alignment.value = gap_text + html_table(shown.reset_index(names="activity"))
