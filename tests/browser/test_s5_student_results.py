"""The stage 5 app in a real browser: change the comparison, save a reflection, reload and find it."""

import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
APP_TIMEOUT_MS = 180_000
SAVE_TIMEOUT_MS = 30_000


def open_stage_5(page, voila_url):
    page.goto(f"{voila_url}/voila/render/05_student_results.ipynb", timeout=APP_TIMEOUT_MS)
    expect(page.locator(".kit-stage-5 .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)


def start_a_cycle(page, name):
    cycle_name = page.get_by_placeholder("Name of a new cycle, or a new name for this one")
    if not cycle_name.is_visible():
        page.get_by_text("New cycle, rename, archive").click()
    cycle_name.fill(name)
    page.get_by_role("button", name="New cycle").click()
    expect(page.get_by_text(f"Saved the cycle \u201c{name}\u201d")).to_be_visible(timeout=SAVE_TIMEOUT_MS)


def test_a_comparison_change_and_a_reflection_that_is_there_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    reflection = f"Growth followed practice more than hours ({stamp})"
    open_stage_5(page, voila_url)
    expect(page.get_by_text("mean growth is", exact=False).first).to_be_visible(timeout=APP_TIMEOUT_MS)
    start_a_cycle(page, f"Stage 5 browser cycle {stamp}")

    page.get_by_text("2. Comparisons", exact=True).click()
    page.get_by_label("Compare by").select_option(label="Learning hours")
    expect(page.locator("table.kit-table").filter(has_text="hours or more").first).to_be_visible(timeout=90_000)

    page.get_by_text("6. Reflection", exact=True).click()
    page.get_by_placeholder("What you see, in your words").fill(reflection)
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Saved the reflection", exact=False)).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    page.reload(timeout=APP_TIMEOUT_MS)
    expect(page.locator(".kit-stage-5 .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)
    page.get_by_text("6. Reflection", exact=True).click()
    expect(page.locator("table.kit-table").filter(has_text=reflection)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    assert "Traceback" not in page.content()
