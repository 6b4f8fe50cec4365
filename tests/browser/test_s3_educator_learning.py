"""The stage 3 app in a real browser: change a filter, save a reflection, reload and find it."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage, open_tab, reload_stage, start_a_cycle

pytestmark = pytest.mark.browser


def test_a_filter_change_and_a_reflection_that_is_there_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    reflection = f"Gains were largest where hours were many ({stamp})"
    open_stage(page, voila_url, 3)
    expect(page.get_by_text("3 of 3 measures rose", exact=False).first).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    start_a_cycle(page, f"Stage 3 browser cycle {stamp}")

    page.get_by_label("Educators").first.select_option(label="By school")
    expect(page.locator("table.kit-table").filter(has_text="SCH02").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    open_tab(page, "5. Reflection")
    page.get_by_placeholder("What you see, in your words").fill(reflection)
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Saved the reflection", exact=False)).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    reload_stage(page, 3)
    open_tab(page, "5. Reflection")
    expect(page.locator("table.kit-table").filter(has_text=reflection)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
