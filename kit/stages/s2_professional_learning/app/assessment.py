"""Step 1 of stage 2: the standards self-assessment (controls, and the results they show)."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.apps.components import busy, chart_html, download_link, guidance_html, html_table, printable_page
from kit.apps.records_view import saved_records_view
from kit.apps.saving import saved_mark
from kit.stages.s2_professional_learning.models import SelfAssessmentModel
from kit.standards import RATING_SCALE, STANDARD_IDS, STANDARDS, standard_by_id, standard_label

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def standard_choice(standard) -> str:
    """A standard as the list offers it: its 2022 name, then the name Learning Forward gave it later
    (both from kit/standards, so the list, the note and the guidance say the same).

    >>> from kit.standards import standard_by_id
    >>> standard_choice(standard_by_id("equity-drivers")), standard_choice(standard_by_id("evidence"))
    ('Equity Drivers (later: Learning Drivers)', 'Evidence')
    """
    return f"{standard.label} (later: {standard.later_label})" if standard.later_label else standard.label


def renamed_words() -> str:
    """One sentence naming the standards that were given new names after 2022, from kit/standards.

    >>> renamed_words()[:71]
    'Learning Forward later gave three standards new names: Equity Practices'
    """
    renamed = [s for s in STANDARDS if s.later_label]
    pairs = "; ".join(f"{s.label} is now also called {s.later_label}" for s in renamed)
    return (f"Learning Forward later gave {NUMBER_WORDS.get(len(renamed), len(renamed))} standards new names: {pairs}. "
            "The list shows the 2022 name first; your files may use either.")


GUIDANCE = guidance_html(
    "<p>Rate how your team's <b>current</b> professional learning meets each standard, one rater at a time, "
    "with one line of evidence for each rating.</p>",
    "<p>The evidence is something you could show a colleague; a rating without it is not saved. Several people "
    "can rate: pick your name from the list once you have rated, so a typo never makes an extra rater. The "
    "results show where you agree and where to talk first. Saved ratings can be changed, archived and "
    "restored below the results.</p>"
    f"<p>{html.escape(renamed_words())}</p>", "More about rating, and the rating scale")


def scale_html() -> str:
    rows = "".join(f"<tr><td>{level.value} {html.escape(level.name)}</td><td>{html.escape(level.description)}</td></tr>"
                   for level in RATING_SCALE)
    return f'<table class="kit-table"><thead><tr><th>rating</th><th>what it means</th></tr></thead><tbody>{rows}</tbody></table>'


class SelfAssessmentStep:
    """`view` is the step's widget; `model` holds the ratings."""

    def __init__(self, model: SelfAssessmentModel, shell):
        self.model, self.shell = model, shell
        self.rater = widgets.Combobox(description="Rater", placeholder="Your name or initials (pick it once used)",
                                      ensure_option=False, layout=widgets.Layout(width="100%", max_width="420px"))
        self.standard = widgets.Dropdown(description="Standard", options=[(standard_choice(s), s.id) for s in STANDARDS],
                                         layout=widgets.Layout(width="100%", max_width="520px"))
        self.about = widgets.HTML()
        self.rating = widgets.ToggleButtons(options=[(f"{level.value} {level.name}", level.value) for level in RATING_SCALE],
                                            value=None, description="Rating")
        self.evidence = widgets.Text(description="Evidence", placeholder="One line: what shows this rating? (needed)",
                                     layout=widgets.Layout(width="100%", max_width="720px"))
        self.save_button = widgets.Button(description="Save rating", button_style="primary", icon="save")
        self.saved_mark = saved_mark(model)
        self.chart = widgets.HTML()
        self.results = widgets.HTML()
        self.print_link = widgets.HTML()
        self.saved = saved_records_view(
            model, "rating", "standard_ratings", lambda r: {"rater": r.rater, "standard": standard_label(r.standard_id),
                                                           "rating": r.rating, "evidence": r.note or ""},
            on_edit=self.edit, read_only=shell.view_only, watch=("ratings",),
            label=lambda r: f"{r.rater}: {standard_label(r.standard_id)} ({r.rating})", download="ratings.csv")
        form = widgets.VBox([self.rater, self.standard, self.about, self.rating, self.evidence,
                             widgets.HBox([self.save_button, self.saved_mark])])
        shell.editing(form)
        guard = shell.guard
        self.standard.observe(guard(lambda _: self._show_form()), names="value")
        self.rater.observe(guard(lambda _: self._show_form()), names="value")
        self.save_button.on_click(guard(lambda _: self.save()))
        model.observe(guard(lambda _: self.show()), names="ratings")
        self.view = widgets.VBox([widgets.HTML(GUIDANCE.replace("</details>", scale_html() + "</details>")), form,
                                  self.chart, self.results, widgets.HTML("<h4>Saved ratings</h4>" if shell.view_only else
                                               "<h4>Saved ratings: change, archive, restore</h4>"),
                                  self.saved, self.print_link])
        self._show_form()
        self.show()

    def edit(self, record) -> None:
        """Put a saved rating back in the form: its rater, standard, rating and evidence."""
        self.rater.value, self.standard.value = record.rater, record.standard_id
        self.rating.value, self.evidence.value = record.rating, record.note or ""

    def save(self) -> None:
        if self.rating.value is None:
            self.model.report_problem("Choose a rating from 1 to 4 before saving.")
            return
        if not self.evidence.value.strip():
            self.model.report_problem("Give one line of evidence for this rating (what you could show a colleague), "
                                      "then save.")
            return
        with busy(self.save_button):
            saved = self.model.rate(self.rater.value, self.standard.value, self.rating.value, self.evidence.value)
        if saved:
            position = STANDARD_IDS.index(self.standard.value)
            self.standard.value = STANDARD_IDS[(position + 1) % len(STANDARD_IDS)]  # on to the next standard

    def _show_form(self) -> None:
        standard = standard_by_id(self.standard.value)
        renamed = (f" Learning Forward later renamed it {standard.later_label}." if standard.later_label else "")
        self.about.value = (f'<p class="kit-note"><b>{html.escape(standard.group)}.</b> '
                            f"{html.escape(standard.summary + renamed)}</p>")
        saved = self.model.rating_of(self.rater.value, self.standard.value)
        self.rating.value = saved.rating if saved else None
        self.evidence.value = (saved.note or "") if saved else ""

    def show(self) -> None:
        from kit.stages.s2_professional_learning.charts import self_assessment_chart

        ratings = self.model.ratings
        self.rater.options = tuple(self.model.raters)
        if ratings.empty:
            self.chart.layout.display = "none"
            self.results.value = '<p class="kit-note">No ratings for this cycle yet.</p>'
            self.print_link.value = ""
            return
        summary = self.model.summary()
        chart = self_assessment_chart(summary, ratings)
        self.chart.value = chart_html(chart.figure, f"Standards self-assessment chart: {chart.get_title()}",
                                      "self-assessment.png")
        self.chart.layout.display = None
        shown = summary[["standard", "group", "raters", "mean", "spread", "exact_agreement", "within_one_agreement",
                         "rwg", "verdict"]]
        table = ratings.assign(standard=ratings["standard_id"].map(standard_label))[["rater", "standard", "rating", "evidence"]]
        page = printable_page("Standards self-assessment", [("Each standard", shown), ("The ratings and their evidence", table)])
        self.print_link.value = ('<p class="kit-note">' + download_link("self-assessment.html", page,
                                 "Download the self-assessment as a printable page", mime="text/html") + "</p>")
        parts = [f"<h4>Each standard ({len(self.model.raters)} rater{'s' if len(self.model.raters) != 1 else ''})</h4>",
                 html_table(shown), "<h4>Each group of standards</h4>", html_table(self.model.groups()),
                 "<h4>How far the raters agree</h4>", html_table(self.model.agreement()),
                 '<p class="kit-note">Exact and within-one agreement are the shares of pairs of raters who gave the '
                 "same rating, or ratings one point apart. r<sub>wg</sub> runs from 0 (no more agreement than "
                 "chance) to 1 (full agreement). Talk first about the standard with the widest spread.</p>",
                 "<h4>Strengths and focus areas</h4>", html_table(self.model.strengths())]
        change = self.model.change()
        if change is not None:
            parts += [f"<h4>Change since {html.escape(self.model.previous_cycle)}</h4>",
                      html_table(change.drop(columns="standard_id"))]
        self.results.value = "".join(parts)  # the ratings themselves: once, in the saved ratings below
