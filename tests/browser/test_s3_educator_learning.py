"""The stage 3 app in a real browser: change a filter, save a reflection, reload and find it."""

import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
APP_TIMEOUT_MS = 120_000
SAVE_TIMEOUT_MS = 30_000


def open_stage_3(page, voila_url):
    page.goto(f"{voila_url}/voila/render/03_knowledge_skills_dispositions.ipynb", timeout=APP_TIMEOUT_MS)
    expect(page.locator(".kit-stage-3 .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)


def start_a_cycle(page, name):
    cycle_name = page.get_by_placeholder("Name of a new cycle, or a new name for this one")
    if not cycle_name.is_visible():
        page.get_by_text("New cycle, rename, archive").click()
    cycle_name.fill(name)
    page.get_by_role("button", name="New cycle").click()
    expect(page.get_by_text(f"Saved the cycle \u201c{name}\u201d")).to_be_visible(timeout=SAVE_TIMEOUT_MS)


def test_a_filter_change_and_a_reflection_that_is_there_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    reflection = f"Gains were largest where hours were many ({stamp})"
    open_stage_3(page, voila_url)
    expect(page.get_by_text("3 of 3 measures rose", exact=False).first).to_be_visible(timeout=APP_TIMEOUT_MS)
    start_a_cycle(page, f"Stage 3 browser cycle {stamp}")

    page.get_by_label("Educators").first.select_option(label="By school")
    expect(page.locator("table.kit-table").filter(has_text="SCH02").first).to_be_visible(timeout=60_000)

    page.get_by_text("5. Reflection", exact=True).click()
    page.get_by_placeholder("What you see, in your words").fill(reflection)
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Saved the reflection", exact=False)).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    page.reload(timeout=APP_TIMEOUT_MS)
    expect(page.locator(".kit-stage-3 .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)
    page.get_by_text("5. Reflection", exact=True).click()
    expect(page.locator("table.kit-table").filter(has_text=reflection)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    assert "Traceback" not in page.content()
