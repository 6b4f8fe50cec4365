"""Stage 6 on the sample district: the app's controls, the saves, the next cycle and the cycle report
(every section, no withheld value, no id, escaped, offline; its time is benchmarks/cycle_report.py's). One app per module: the
evidence takes a while to work out, and the tests that change the store use their own cycle."""

import base64
import re
import struct

import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.apps.shell import StageShell
from kit.io import Dataset, open_sample
from kit.store import open_store
from kit.workspace import WORKSPACE_ENV
from kit.stages.s6_continuous_improvement.app import STEP_TITLES, ContinuousImprovementApp
from kit.stages.s6_continuous_improvement.next_cycle import cycle_snapshot
from kit.report.cycle_report import WITHHELD

pytestmark = pytest.mark.slow
MARKUP = "<script>alert('x')</script><b>bold</b>"
SECTIONS = ("goal", "needs", "learning", "practice", "chain", "equity", "run-charts", "review", "reflections", "decision")


@pytest.fixture(scope="module")
def sample():
    return open_sample()


@pytest.fixture(scope="module")
def app(sample):
    store = open_store("sqlite://", author="Coach Rivera")
    picker = CyclePicker(store=store)
    picker.model.create("Fall <i>literacy</i>", focus="Student talk")
    cycle = picker.model.cycle_id
    store.goals.create(cycle, goal_type="student_learning", what="English learners in math reach proficiency",
                       target="75% proficient")
    store.goals.create(cycle, goal_type="educator", what="Teachers grow their discourse skills", target="+2 points")
    store.reflections.create(cycle, stage=1, text=MARKUP)
    built = ContinuousImprovementApp(StageShell(6, dataset=sample, picker=picker))
    built.model.load()
    return built


def status(app) -> str:
    return app.shell.picker.model.message


def ids_of(sample) -> set[str]:
    return set(sample.table("students")["student_id"].astype(str)) | set(sample.table("educators")["educator_id"].astype(str))


def png_text(png: bytes) -> str:
    """The text chunks of a PNG (where any words in an image file would be)."""
    text, position = [], 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            text.append(png[position + 8:position + 8 + length].decode("latin-1"))
        position += 12 + length
    return " ".join(text)


def test_the_app_opens_with_four_steps_and_the_goals_judged(app):
    assert [t.split(".", 1)[1].strip().rstrip(" \u2713!\u25cb") for t in app.steps.titles] == list(STEP_TITLES)
    review = app.model.review
    assert set(review["source"]) == {"student learning goal", "educator goal"}
    assert "English learners in math" in app.review_table.value and "partly" in app.review_table.value + "met"
    assert "gap_changes" not in app.model.evidence  # the report's own tables wait for the first report


def test_changing_the_rules_redraws_and_explains_their_cost(app):
    before = app.model.revision
    app.rules.value = "all"
    assert app.model.revision > before and "false alarms" in app.rules_help.value
    app.rules.value = "anhoej"
    assert "too few to judge" in app.chart_summary.value  # the sample has 6 windows: described, not judged
    assert len(app.chart_images.children) == len(app.model.charts) >= 6


def test_the_run_charts_are_drawn_when_their_tab_is_shown(app):
    app.steps.selected_index = STEP_TITLES.index("Cycle review")
    shown = [image.value for image in app.chart_images.children]
    app.rules.value = "all"
    assert not app.charts_drawn and [image.value for image in app.chart_images.children] == shown
    app.steps.selected_index = STEP_TITLES.index("Run charts")
    assert app.charts_drawn
    assert [image.value for image in app.chart_images.children] == [app.model.chart_png(t) for t in app.model.charts]
    app.rules.value = "anhoej"
    assert [image.value for image in app.chart_images.children] == [app.model.chart_png(t) for t in app.model.charts]


def test_a_decision_needs_its_reasons_then_is_saved_as_a_decision_record(app):
    app.decision.value = "adapt"
    app.rationale.value = ""
    app.save_decision.click()
    assert "reasons" in status(app)
    app.rationale.value = "Practice did not follow the learning; <em>change the coaching</em>."
    app.save_decision.click()
    saved = app.shell.picker.store.decisions.list(app.model.cycle_id)
    assert [(d.decision, d.rationale) for d in saved] == [("adapt", app.rationale.value)]
    assert "&lt;em&gt;" in app.decision_saved.value


def test_a_reflection_is_saved_and_listed_in_order(app):
    app.reflection_editor.text.value = "Talk grew in every school."
    app.reflection_editor.save_button.click()
    stages = app.model.reflections["stage"].tolist()
    assert stages == sorted(stages) and 6 in stages and "Talk grew" in app.reflection_list.value
    assert "<script>" not in app.reflection_list.value


def test_the_reasons_are_saved_as_typed_and_a_decision_can_be_corrected_archived_and_restored(app):
    app.decision.value, app.rationale.value = "adopt", "Every goal was met."
    assert "not saved yet" in app.decision_mark.value
    app.decision_autosave.flush()  # what the pause does
    assert "saved at" in app.decision_mark.value
    records = app.decision_records
    records.edit_button.click()
    app.rationale.value = "Every goal was met, <b>twice</b>."
    app.save_the_decision()
    saved = app.shell.picker.store.decisions.list(app.model.cycle_id)
    assert [(d.decision, d.rationale) for d in saved] == [("adopt", "Every goal was met, <b>twice</b>.")]
    assert "&lt;b&gt;twice" in records.table.value
    records.archive_button.click()
    assert app.model.decision is None and "Archived the decision" in status(app)
    records.show_archived.value = True
    records.archive_button.click()  # "Restore"
    assert app.model.decision.rationale == "Every goal was met, <b>twice</b>." and "Restored" in status(app)


@pytest.fixture(scope="module")
def report(app, tmp_path_factory):
    # A module's fixture is made before each test's fresh workspace: the report is written to its own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV, str(tmp_path_factory.mktemp("report-workspace")))
        app.internal.value = False
        app.make.click()
        return app.model.report_html


def test_the_report_is_made_and_written_to_the_workspace(app, report, fresh_workspace):
    page = report
    assert not app.make.disabled and app.make.icon == ""  # busy while it was made, then back
    assert 'class="kit-report-download"' in app.download.value and "data:text/html" in app.download.value
    assert base64.b64decode(app.download.value.split("base64,")[1].split('"')[0]).decode("utf-8") == page
    app.make.click()
    assert (fresh_workspace / "reports").is_dir() and list((fresh_workspace / "reports").glob("cycle-report-*.html"))


def test_the_report_has_every_section(report):
    page = report
    for key in SECTIONS:
        assert f'<section id="{key}">' in page
    assert page.count("<img ") >= 6 and "@media print" in page


def test_the_report_names_no_student_and_no_educator_anywhere(report, sample):
    page = report
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    words = set(re.findall(r"[A-Za-z]+\d+", text))
    assert not words & ids_of(sample)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    pngs = [base64.b64decode(b) for b in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)]
    found = set(re.findall(r"[A-Za-z]+\d+", alts + " ".join(png_text(p) for p in pngs)))
    assert not found & ids_of(sample)
    assert "Coach Rivera" not in page  # who wrote a reflection is for the internal version only
    assert "INTERNAL" not in page


def test_the_report_shows_no_withheld_value(app, report):
    page = report
    counts = app.model.evidence["implementation_counts"]
    assert counts["suppressed"].any()  # the sample has withheld levels
    for row in counts[counts["suppressed"]].itertuples():
        cells = re.search(rf"<td>{re.escape(row.implementation)}</td>(.*?)</tr>", page).group(1)
        assert re.findall(r"<td[^>]*>([^<]*)</td>", cells) == [WITHHELD, WITHHELD]


def test_the_report_escapes_what_the_coach_typed_and_opens_offline(report):
    page = report
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "Fall &lt;i&gt;literacy&lt;/i&gt;" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page) and "http://" not in page and "https://" not in page


def test_the_internal_version_names_educators_and_is_marked(app, sample):
    app.internal.value = True
    app.make.click()
    page = app.model.report_html
    app.internal.value = False
    assert page.count("INTERNAL: names educators") >= 2 and "position: fixed" in page
    assert '<section id="educators">' in page and set(re.findall(r"E\d{3}", page)) & ids_of(sample)
    assert "Coach Rivera" in page


def test_creating_the_next_cycle_copies_and_leaves_the_old_one_unchanged(app):
    store, old = app.shell.picker.store, app.model.cycle_id
    before = cycle_snapshot(store, old)
    app.next_name.value = "Spring literacy"
    app.create_next.click()
    new = app.model.cycle_id
    assert new != old and "Created the next cycle" in status(app)
    for goal in store.goals.list(new):
        store.goals.update(goal, target="90% proficient")
    app.shell.picker.model.cycle_id = old
    assert cycle_snapshot(store, old) == before
    assert app.model.cycle_id == old and len(app.model.goals) == 2


def test_view_only_hides_editing_and_refuses_the_internal_report(sample, monkeypatch, tmp_path):
    store_path = tmp_path / "store.sqlite"
    open_store(store_path).cycles.create(name="Shared")
    monkeypatch.setenv("KIT_VIEW_ONLY", "1")
    viewer = ContinuousImprovementApp(StageShell(6, dataset=sample, picker=CyclePicker(store=open_store(store_path))))
    assert viewer.decision_form.layout.display == "none" and viewer.create_next.layout.display == "none"
    assert viewer.decision_records.controls.layout.display == "none"
    assert viewer.reflection_editor.form not in viewer.reflection_editor.children
    assert viewer.internal.layout.display == "none"
    viewer.model.internal = True
    assert viewer.model.make_report() == "" and "coach's own app" in status(viewer)


def test_without_assessments_the_app_says_which_table_to_add():
    app = ContinuousImprovementApp(StageShell(6, dataset=Dataset(), picker=CyclePicker(store=open_store("sqlite://"))))
    assert "assessments.csv" in app.view.children[-1].value
