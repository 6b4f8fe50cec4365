"""No column header that stage 1 or stage 2 shows is a raw field name: every table goes through the one
renderer, whose labels are a coach's words (checked against the schema's column names and the column
names the stages' analysis frames return)."""

import html
import re

import ipywidgets as widgets
import pytest

from kit.apps.components import column_label
from kit.apps.cycle_picker import CyclePicker
from kit.apps.shell import StageShell
from kit.io import open_sample
from kit.schema import TABLES
from kit.stages.s1_student_needs.app import StudentNeedsApp
from kit.stages.s2_professional_learning.app import ProfessionalLearningApp
from kit.store import open_store


def shown_html(view: widgets.Widget) -> str:
    """Every HTML widget's text under `view` (tabs and folded sections too)."""
    texts = [view.value] if isinstance(view, widgets.HTML) else []
    for child in getattr(view, "children", ()):
        texts.append(shown_html(child))
    return "\n".join(texts)


def headers(text: str) -> set[str]:
    return {html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", text, re.S)}


def raw_names(frames) -> set[str]:
    """Field names that are not a coach's words: every schema column and analysis column whose label differs."""
    names = {column.name for table in TABLES for column in table.columns}
    names |= {str(column) for frame in frames for column in frame.columns}
    return {name for name in names if column_label(name) != name or "_" in name}


@pytest.fixture(scope="module")
def apps():
    sample = open_sample()
    picker = CyclePicker(store=open_store("sqlite://", author="Ana"))
    picker.model.create("Fall cycle")
    stage1 = StudentNeedsApp(dataset=sample, picker=picker)
    stage1.goal_what.value = "Students explain their reasoning"
    stage1.save_goal.click()
    stage2 = ProfessionalLearningApp(StageShell(2, dataset=sample, picker=picker))
    step = stage2.assessment
    for rater, value in (("Ana", 3), ("Ben", 2)):
        step.rater.value, step.standard.value, step.rating.value, step.evidence.value = rater, "evidence", value, "notes"
        step.save_button.click()
    stage2.plan.title.value = "Fractions plan"
    stage2.plan.save_button.click()
    stage2.ic_map.model.save_map("Number talks", "Students explain")
    stage2.ic_map.model.save_component("Discourse", ["Rich", "Some", "None"], 2)
    return stage1, stage2


def test_no_header_in_stage_1_is_a_raw_field_name(apps):
    stage1, _ = apps
    m = stage1.model
    shown = headers(shown_html(stage1.view))
    assert {"group", "students", "share proficient", "goal", "saved by"} <= shown
    assert not shown & raw_names([m.by_group, m.gaps, m.distribution, m.heatmap, m.needs])


def test_no_header_in_stage_2_is_a_raw_field_name(apps):
    _, stage2 = apps
    a, p = stage2.assessment.model, stage2.participation.model
    frames = [a.ratings, a.summary(), a.groups(), a.agreement(), a.strengths(), p.per_educator(), p.by("school_id"),
              p.by("role"), p.by("design"), p.without_learning(), stage2.ic_map.model.frame()]
    shown = headers(shown_html(stage2.view))
    assert {"raters agreeing exactly", "rater", "evidence", "school"} <= shown
    assert not shown & raw_names(frames)
