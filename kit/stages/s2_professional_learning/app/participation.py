"""Step 3 of stage 2: participation in professional learning, and equity of access."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.stages.s2_professional_learning.analysis.participation import access_gap
from kit.apps.components import chart_html, html_table
from kit.stages.s2_professional_learning.models import ParticipationModel

GUIDANCE = ("<p>Who is getting the learning? Hours come from your <b>learning_activities</b> and "
            "<b>attendance</b> tables. Look for schools or roles with few hours, and for educators with none. "
            "The last view asks whether educators who teach the students named in your goal get as much "
            "learning as everyone else.</p>")
_VIEWS = (("School", "school_id"), ("Role", "role"), ("Design", "design"))


class ParticipationStep:
    """`view` is the step's widget. `goal_text()` returns the cycle's student goal text (to pick a group)."""

    def __init__(self, model: ParticipationModel, shell, goal_text=lambda: ""):
        self.model, self.shell, self.goal_text = model, shell, goal_text
        self.needs = widgets.HTML()
        self.year = widgets.Dropdown(description="School year", options=model.years, value=model.year)
        self.by = widgets.ToggleButtons(options=_VIEWS, value="school_id", description="By")
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.none = widgets.HTML()
        self.group = widgets.Dropdown(description="Students", layout=widgets.Layout(width="100%", max_width="520px"))
        self.access = widgets.HTML()
        guard = shell.guard
        self.year.observe(guard(self._on_year), names="value")
        self.by.observe(guard(lambda _: self.show()), names="value")
        self.group.observe(guard(lambda _: self._show_access()), names="value")
        self.view = widgets.VBox([widgets.HTML(GUIDANCE), self.needs, widgets.HBox([self.year, self.by]), self.chart,
                                  self.table, self.none, widgets.HTML("<h4>Equity of access</h4>"), self.group, self.access])
        self.pick_group()
        self.show()

    def _on_year(self, change) -> None:
        self.model.year = change.new
        self.show()

    def pick_group(self) -> None:
        """Offer every student group, choosing first one the cycle's student goal names."""
        choices = self.model.group_choices()
        # Each option's value is (column, group): a coach's own column name may hold any character.
        self.group.options = [(label, (column, value)) for label, column, value in choices]
        named = self.model.groups_named_in(self.goal_text())
        if named:
            self.group.value = (named[0][1], named[0][2])
        elif self.group.value is None and choices:  # a yes/no group (e.g. english learner: yes) when there is one
            _, column, value = next((choice for choice in choices if choice[2] == "yes"), choices[0])
            self.group.value = (column, value)

    def show(self) -> None:
        from kit.stages.s2_professional_learning.charts import hours_chart

        message = self.model.needs_data_message
        self.needs.value = f'<p class="kit-note">{html.escape(message)}</p>' if message else ""
        if self.model.missing:
            self.chart.layout.display = "none"
            self.table.value = self.none.value = self.access.value = ""
            return
        table = self._named(self.model.by(self.by.value))
        if self.by.value == "design":
            self.chart.layout.display = "none"
        else:
            chart = hours_chart(table, self.by.value)
            self.chart.value = chart_html(chart.figure, f"Hours per educator by {self.by.label.lower()}: "
                                          f"{chart.get_title()}", f"hours-by-{self.by.label.lower()}.png")
            self.chart.layout.display = None
        self.table.value = html_table(table, download=f"participation-by-{self.by.label.lower()}.csv")
        none = self.model.without_learning()
        self.none.value = ('<p class="kit-note">Every educator has had some professional learning in this period.</p>'
                           if none.empty else f"<h4>Educators with no hours ({len(none)})</h4>" + html_table(none))
        self._show_access()

    def _named(self, table):
        """School names instead of codes, where the data has them."""
        if "school_id" not in table.columns or not self.model.dataset.has("schools"):
            return table
        schools = self.model.dataset.table("schools")
        names = dict(zip(schools["school_id"].astype(str), schools["school_name"].astype(str)))
        return table.assign(school_id=table["school_id"].astype(str).map(lambda s: names.get(s, s)))

    def _show_access(self) -> None:
        if self.model.missing:
            return
        if self.model.access_needs():
            self.access.value = f'<p class="kit-note">{html.escape(self.model.access_needs())}</p>'
            return
        if not self.group.value:
            self.access.value = '<p class="kit-note">No student groups found in the students table.</p>'
            return
        column, value = self.group.value
        table = self.model.access(column, value)
        gap = access_gap(table)
        threshold = self.model.dataset.min_group_size
        finding = ("Withheld: too few educators on one side to show safely." if gap is None else
                   f"Educators who teach these students received {abs(gap):.1f} hours "
                   f"{'more' if gap > 0 else 'fewer'} per person than the others." if gap else
                   "Educators who teach these students received the same hours per person as the others.")
        self.access.value = (f"<p><b>{html.escape(finding)}</b></p>" + html_table(table) +
                             f'<p class="kit-note">An educator teaches the group when at least {threshold} of the '
                             f"students on their class rosters are in it. Rows about fewer than {threshold} educators "
                             "are withheld.</p>")
