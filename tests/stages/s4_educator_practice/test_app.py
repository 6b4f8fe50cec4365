"""The stage 4 app, driven as a coach would: a walkthrough and a coaching session typed in the forms,
found in the figures and tables, and there again after a restart; a team sees no educator."""

import datetime as dt
from collections import OrderedDict

import ipywidgets as widgets
import pytest

from kit.apps.shell import StageShell
from kit.charts import pictures
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


def open_tab(app, title: str) -> None:
    """Show a step, as a coach clicking its tab does (its figures are filled then)."""
    app.steps.selected_index = STEP_TITLES.index(title)


FIGURE_STEPS = ("Practice against the map", "The chain so far", "Access to effective practice", "Coaching log")


def shown_figures(app) -> dict:
    """Every chart's picture and every table or message of the figure steps, each step opened first."""
    shown = {}
    for title in FIGURE_STEPS:
        open_tab(app, title)
        view = app.coaching_tables if title == "Coaching log" else app.steps.children[STEP_TITLES.index(title)]
        for number, widget in enumerate(_descendants(view)):
            if isinstance(widget, (widgets.Image, widgets.HTML)):
                shown[(title, number)] = widget.value
    return shown


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


@pytest.fixture
def drawings(monkeypatch):
    """The names of the charts the app draws from now on, one entry per picture made."""
    from kit.stages.s4_educator_practice import app as app_module

    made = []
    monkeypatch.setattr(pictures, "_KEPT", OrderedDict())  # none kept from another test's apps
    monkeypatch.setattr(app_module, "figure_png", lambda figure: made.append(figure.axes[0].get_title(loc="left")
                                                                              or "chart") or b"png")
    return made


def test_a_walkthrough_and_a_session_typed_in_the_app_show_at_once_and_after_a_restart(sample):
    app = make_app(sample)
    assert [t.split(". ", 1)[1].rstrip(" \u25cb\u2713!") for t in app.steps.titles] == list(STEP_TITLES)
    ratings_before = app.ratings_image.value

    open_tab(app, "Walkthrough")
    app.educator.value, app.visit_date.value, app.observer.value = "E005", dt.date(2026, 4, 22), "O9"
    assert app.variations[COMPONENTS[0]].options[0] == (NOT_SEEN, None)
    app.variations[COMPONENTS[0]].value = 4
    app.visit_note.value = "<b>Pairs</b> explained"
    app.save_walkthrough_button.click()
    assert "Saved the walkthrough of E005" in status(app)
    assert "E005" in app.walkthrough_list.value and "&lt;b&gt;Pairs&lt;/b&gt;" in app.walkthrough_list.value
    assert app.variations[COMPONENTS[0]].value is None  # the form is ready for the next visit
    open_tab(app, "Practice against the map")
    assert app.ratings_image.value != ratings_before  # the new rating is in the figure

    open_tab(app, "Coaching log")

    app.coached.value, app.minutes.value, app.focus.value = "E005", 40, "Talk moves"
    app.component.value, app.cycle_model.value = COMPONENTS[0], "impact"
    app.target.value = "Every student explains once a lesson"
    app.line.value = 0.75  # a setting on another tab redraws its figures but keeps what the coach is typing
    assert (app.focus.value, app.minutes.value) == ("Talk moves", 40)
    app.save_session_button.click()
    assert "Saved the coaching session" in status(app)
    assert (app.coached.value, app.minutes.value, app.component.value) == ("E005", 40, COMPONENTS[0])
    assert app.focus.value == ""  # carried over: who, how long, which component, which cycle; not the focus
    assert "Sessions by educator" in app.coaching_tables.value and "<td>40</td>" in app.coaching_tables.value

    app.reflection_editor.text.value = "Discourse rose where coaching was regular."
    app.reflection_editor.save_button.click()
    assert "Discourse rose" in app.reflection_editor.saved.table.value

    restarted = make_app(sample)
    assert "E005" in restarted.walkthrough_list.value
    open_tab(restarted, "Coaching log")
    assert "Talk moves" not in restarted.coaching_tables.value and "E005" in restarted.coaching_tables.value
    assert "Talk moves" in restarted.session_records.table.value  # the coach's own list of sessions
    assert "Discourse rose where coaching was regular." in restarted.reflection_editor.saved.table.value
    e005 = restarted.model.per_educator.set_index("educator_id").loc["E005"]
    assert e005["coaching_hours"] == pytest.approx(40 / 60)


@pytest.fixture(scope="module")
def small_app(sample, tmp_path_factory):
    """The app on one school's educators and their observations alone (each save redraws fast), in
    its own workspace: a module's fixture is made before each test's fresh workspace."""
    from dataclasses import replace

    from kit.io import Dataset
    from kit.workspace import WORKSPACE_ENV

    educators = sample.table("educators")
    staff = educators[educators["school_id"] == "SCH01"]
    observations = sample.table("observations")
    frames = {"educators": staff, "schools": sample.table("schools"),
              "observations": observations[observations["educator_id"].isin(staff["educator_id"])]}
    small = Dataset(loaded={name: replace(sample.loaded[name], frame=frame.reset_index(drop=True))
                            for name, frame in frames.items()}, min_group_size=sample.min_group_size)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV, str(tmp_path_factory.mktemp("small-app-workspace")))
        yield make_app(small, cycle_name="Small school")


def visits_table(app) -> str:
    return app.walkthrough_records.table.value


def test_a_typed_note_is_saved_as_typed_and_a_saved_visit_is_put_back_and_archived(small_app):
    app = small_app
    assert not app.session_autosave.pending  # the session form's defaults are not typing
    app.educator.value, app.visit_date.value = "E007", dt.date(2026, 4, 23)
    app.variations[COMPONENTS[0]].value = 3
    app.visit_note.value = "Groups talked"
    assert "not saved yet" in app.walkthrough_mark.value
    app.walkthrough_autosave.flush()  # what the pause does
    assert "saved at" in app.walkthrough_mark.value and [r.note for r in app.model.typed] == ["Groups talked"]
    assert "E007" in visits_table(app)
    app._clear_walkthrough()
    visits = app.walkthrough_records
    visits.edit_button.click()
    assert (app.visit_note.value, app.variations[COMPONENTS[0]].value) == ("Groups talked", 3)
    assert [r.id for r in app.walkthrough_editing] == [r.id for r in app.model.typed]  # saving changes, not adds
    visits.archive_button.click()
    assert app.model.typed == [] and app.walkthrough_editing == [] and "Archived the walkthrough" in status(app)


def test_a_saved_session_is_put_back_in_the_form_and_changed_in_place(small_app):
    app = small_app
    record = app.model.save_coaching_session(educator_id="E007", date=dt.date(2026, 4, 24), focus="Wait time")
    sessions = app.session_records
    sessions.chooser.value = record.id
    sessions.edit_button.click()
    assert (app.coached.value, app.focus.value) == ("E007", "Wait time")
    app.focus.value = "Wait time, <then> pairs"
    assert "not saved yet" in app.session_mark.value
    app.save_session()
    assert [(s.id, s.focus) for s in app.model.sessions] == [(record.id, "Wait time, <then> pairs")]
    assert "&lt;then&gt;" in sessions.table.value and app.session_editing is None  # ready for the next one


def test_the_sample_break_and_the_assumed_line_are_said_on_the_page(sample):
    app = make_app(sample)
    assert "assumed line" in app.scale_note.value and app.slope_image.value
    open_tab(app, "The chain so far")
    assert "the chain breaks between them" in app.chain_words.value and app.chain_image.value
    open_tab(app, "Access to effective practice")
    assert app.access_image.value
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
    for form in (team.walkthrough_view.children[1], team.coaching_view.children[0], team.walkthrough_view.children[-1],
                 team.coaching_view.children[-1]):  # the forms, and the saved records that name educators
        assert form.layout.display == "none"
    assert team.reflection_editor.form not in team.reflection_editor.children
    shown = " ".join(str(value) for value in shown_figures(team).values()) + team.walkthrough_list.value
    assert "chain breaks" in team.chain_words.value and "<table" in team.groups_table.value  # filled, then looked at
    assert "E007" not in shown and "E0" not in shown
    assert team.model.observations["educator_id"].eq("E007").any()  # the walkthrough still counts


def test_a_chart_waits_for_its_tab_and_is_drawn_once_for_what_it_shows(sample, drawings):
    app = make_app(sample)
    assert app.ratings_image.value and app.slope_image.value  # the tab shown at first is drawn at once
    assert (app.chain_image.value, app.chain_school_image.value, app.access_image.value) == (b"", b"", b"")
    assert app.chain_words.value == "" and app.access_table.value == ""
    drawings.clear()
    open_tab(app, "The chain so far")
    assert app.chain_image.value and app.chain_school_image.value and "chain breaks" in app.chain_words.value
    assert len(drawings) == 2
    open_tab(app, "Practice against the map")
    open_tab(app, "The chain so far")
    assert len(drawings) == 2  # shown again, nothing changed: nothing drawn again


def test_an_app_built_again_in_the_same_kernel_draws_no_chart_again(sample, drawings):
    first = make_app(sample)
    open_tab(first, "The chain so far")
    assert len(drawings) == 4
    again = make_app(sample)  # a preheated kernel builds the app again when the store changed
    open_tab(again, "The chain so far")
    assert len(drawings) == 4 and again.chain_image.value == first.chain_image.value
    assert again.ratings_image.value == first.ratings_image.value and again.ratings_image.value


def test_a_save_redraws_nothing_on_its_own_tab_and_only_what_it_changed_on_the_others(sample, drawings):
    app = make_app(sample)
    for title in FIGURE_STEPS:
        open_tab(app, title)
    drawings.clear()
    computed = app.model.computed.copy()
    open_tab(app, "Coaching log")
    app.coached.value, app.minutes.value, app.focus.value = "E005", 600, "Talk moves"
    app.save_session_button.click()
    assert "Saved the coaching session" in status(app) and "Talk moves" in app.session_records.table.value
    assert drawings == [] and app.model.computed - computed == {"coaching": 1}  # the chart tabs wait
    for title in ("Practice against the map", "Access to effective practice"):
        open_tab(app, title)
    assert drawings == []  # coaching moves neither the ratings, fidelity nor access
    open_tab(app, "The chain so far")
    assert drawings  # ten hours of coaching for one educator move the chain

    drawings.clear()
    computed = app.model.computed.copy()
    open_tab(app, "Walkthrough")
    app.educator.value, app.visit_date.value = "E005", dt.date(2026, 4, 22)
    app.variations[COMPONENTS[0]].value = 1
    app.save_walkthrough_button.click()
    assert "Saved the walkthrough of E005" in status(app) and drawings == []
    assert app.model.computed - computed == {"observations": 1, "line": 1}  # not the coaching log; chain and
    # access when their tabs are shown
    open_tab(app, "Practice against the map")
    assert len(drawings) == 2  # the ratings and the fidelity of E005 moved


def test_the_figures_after_saves_are_those_of_an_app_built_afresh(sample, monkeypatch):
    app = make_app(sample)
    ratings_before = app.ratings_image.value
    open_tab(app, "Walkthrough")
    app.educator.value, app.visit_date.value = "E005", dt.date(2026, 4, 22)
    app.variations[COMPONENTS[0]].value, app.variations[COMPONENTS[1]].value = 1, 4
    app.save_walkthrough_button.click()
    open_tab(app, "The chain so far")  # drawn with the walkthrough; the session must move it again
    open_tab(app, "Coaching log")
    app.coached.value, app.minutes.value, app.focus.value = "E005", 90, "Talk moves"
    app.save_session_button.click()
    app.line.value = 0.75
    after = shown_figures(app)
    assert app.ratings_image.value != ratings_before  # the saves are in the figures
    monkeypatch.setattr(pictures, "_KEPT", OrderedDict())  # every chart drawn afresh
    fresh = make_app(sample)
    fresh.line.value = 0.75
    assert shown_figures(fresh) == after


def test_a_share_near_0_or_100_percent_shows_its_band_in_the_practice_tables_not_a_blank(sample):
    """The sample's fall: each hours band's share at the line is under 8% of 40 ("≤8%"); in the last
    spring some schools' fidelity is 85% or more of 20 ("≥85%"). The tables show the coded text."""
    app = make_app(sample)
    tables = app.groups_table.value
    assert "\u22648%" in tables and "\u226585%" in tables
    assert "text</th>" not in tables and "_text" not in tables  # the coded text is the share's own column
    groups = app.model.by_group["learning hours"]
    coded = groups[groups["at_or_above_text"].str.startswith("\u2264")]
    assert len(coded) and coded["at_or_above"].isna().all()
    assert "<table" in app.levels_table.value
