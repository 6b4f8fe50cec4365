"""The student-needs app in a real browser: changing a filter redraws the gap chart."""

import re

import pytest
from playwright.sync_api import expect

from kit.io import open_sample
from kit.stages.s1_student_needs.models import StudentNeedsModel
from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage

pytestmark = pytest.mark.browser


def test_changing_the_school_redraws_the_chart(page, voila_url):
    open_stage(page, voila_url, 1)
    expect(page.get_by_text("Showing All schools, all grades, math, 2025-26 spring.")).to_be_visible()
    charts = page.locator(".kit-stage-1 img")
    expect(charts.first).to_be_visible()
    expect(charts.first).to_have_attribute("alt", re.compile("All schools"))
    page.get_by_label("School").select_option(label="Maple Elementary")
    expect(page.get_by_text("Showing Maple Elementary, all grades, math, 2025-26 spring.")).to_be_visible(
        timeout=SAVE_TIMEOUT_MS)
    # Redrawn for the school (its picture may look alike when both withhold every gap; its words differ).
    expect(charts.first).to_have_attribute("alt", re.compile("Maple Elementary"))
    # The page's summary is the model's for that school, withheld groups and all.
    model = StudentNeedsModel(open_sample())
    model.school = next(code for code, name in model.school_names.items() if name == "Maple Elementary")
    expect(page.get_by_text(model.summary())).to_be_visible()
    assert "Traceback" not in page.content()
