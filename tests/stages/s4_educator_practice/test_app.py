"""The stage 4 app, driven as a coach would: a walkthrough and a coaching session typed in the forms,
found in the figures and tables, and there again after a restart; a team sees no educator."""

import datetime as dt

import pytest

from kit.apps.shell import StageShell
from kit.io import open_sample
from kit.sample import COMPONENTS
from kit.stages.s4_educator_practice.app import NOT_SEEN, STEP_TITLES, EducatorPracticeApp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample():
    return open_sample()


def make_app(sample, cycle_name="Discourse, 2025-26") -> EducatorPracticeApp:
    app = EducatorPracticeApp(StageShell(4, dataset=sample))
    picker = app.shell.picker
    if cycle_name and picker.cycle_id is None:
        picker.name.value = cycle_name
        picker.create_button.click()
    return app


def status(app) -> str:
    return app.shell.picker.status.value


def test_a_walkthrough_and_a_session_typed_in_the_app_show_at_once_and_after_a_restart(sample):
    app = make_app(sample)
    assert [t.split(". ", 1)[1].rstrip(" \u25cb\u2713!") for t in app.steps.titles] == list(STEP_TITLES)
    ratings_before = app.ratings_image.value

    app.educator.value, app.visit_date.value, app.observer.value = "E005", dt.date(2026, 4, 22), "O9"
    assert app.variations[COMPONENTS[0]].options[0] == (NOT_SEEN, None)
    app.variations[COMPONENTS[0]].value = 4
    app.visit_note.value = "<b>Pairs</b> explained"
    app.save_walkthrough_button.click()
    assert "Saved the walkthrough of E005" in status(app)
    assert "E005" in app.walkthrough_list.value and "&lt;b&gt;Pairs&lt;/b&gt;" in app.walkthrough_list.value
    assert app.ratings_image.value != ratings_before  # the new rating is in the figure at once
    assert app.variations[COMPONENTS[0]].value is None  # the form is ready for the next visit

    app.coached.value, app.minutes.value, app.focus.value = "E005", 40, "Talk moves"
    app.component.value, app.cycle_model.value = COMPONENTS[0], "impact"
    app.target.value = "Every student explains once a lesson"
    app.line.value = 0.75  # a setting redraws every figure but keeps what the coach is typing
    assert (app.focus.value, app.minutes.value) == ("Talk moves", 40)
    app.save_session_button.click()
    assert "Saved the coaching session" in status(app)
    assert (app.coached.value, app.minutes.value, app.component.value) == ("E005", 40, COMPONENTS[0])
    assert app.focus.value == ""  # carried over: who, how long, which component, which cycle; not the focus
    assert "Sessions by educator" in app.coaching_tables.value and "<td>40</td>" in app.coaching_tables.value

    app.reflection.value = "Discourse rose where coaching was regular."
    app.save_reflection_button.click()
    assert "Discourse rose" in app.saved_reflection.value

    restarted = make_app(sample)
    assert "E005" in restarted.walkthrough_list.value
    assert "Talk moves" not in restarted.coaching_tables.value and "E005" in restarted.coaching_tables.value
    assert restarted.reflection.value == "Discourse rose where coaching was regular."
    e005 = restarted.model.per_educator.set_index("educator_id").loc["E005"]
    assert e005["coaching_hours"] == pytest.approx(40 / 60)


def test_the_sample_break_and_the_assumed_line_are_said_on_the_page(sample):
    app = make_app(sample)
    assert "assumed line" in app.scale_note.value
    assert "the chain breaks between them" in app.chain_words.value
    assert app.chain_image.value and app.access_image.value and app.slope_image.value
    assert "Not observed yet" in app.unobserved.value or "Every educator has been observed" in app.unobserved.value


def test_saving_a_walkthrough_without_an_educator_says_what_to_do(sample):
    app = make_app(sample)
    app.variations[COMPONENTS[0]].value = 3
    app.save_walkthrough_button.click()
    assert "Choose the educator you visited first." in status(app)


def test_view_only_hides_the_forms_and_names_no_educator(sample, monkeypatch):
    coach = make_app(sample)
    coach.educator.value, coach.visit_date.value = "E007", dt.date(2026, 4, 22)
    coach.variations[COMPONENTS[1]].value = 1
    coach.save_walkthrough_button.click()
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    team = make_app(sample, cycle_name=None)
    for form in (team.walkthrough_view.children[1], team.coaching_view.children[0]):
        assert form.layout.display == "none"
    shown = " ".join(w.value for w in (team.walkthrough_list, team.unobserved, team.coaching_tables,
                                       team.groups_table, team.chain_words, team.access_table))
    assert "E007" not in shown and "E0" not in shown
    assert team.model.observations["educator_id"].eq("E007").any()  # the walkthrough still counts
