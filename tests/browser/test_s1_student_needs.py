"""The student-needs app in a real browser: changing a filter redraws the gap chart."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
APP_TIMEOUT_MS = 120_000


def test_changing_the_school_redraws_the_chart(page, voila_url):
    page.goto(f"{voila_url}/voila/render/01_student_needs.ipynb", timeout=APP_TIMEOUT_MS)
    expect(page.get_by_text("Showing All schools, all grades, math, 2025-26 spring.")).to_be_visible(
        timeout=APP_TIMEOUT_MS)
    charts = page.locator(".kit-stage-1 img")
    expect(charts.first).to_be_visible()
    before = charts.first.get_attribute("src")
    page.get_by_label("School").select_option(label="Maple Elementary")
    expect(page.get_by_text("Showing Maple Elementary, all grades, math, 2025-26 spring.")).to_be_visible(
        timeout=60_000)
    expect(charts.first).not_to_have_attribute("src", before)
    assert "fewer than 10 students" in page.content() or "withheld" in page.content()
    assert "Traceback" not in page.content()
