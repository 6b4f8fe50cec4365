"""The stage 5 app in a real browser: change the comparison, save a reflection, reload and find it."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage, open_tab, reload_stage, start_a_cycle

pytestmark = pytest.mark.browser


def test_a_comparison_change_and_a_reflection_that_is_there_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    reflection = f"Growth followed practice more than hours ({stamp})"
    open_stage(page, voila_url, 5)
    expect(page.get_by_text("mean growth is", exact=False).first).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    start_a_cycle(page, f"Stage 5 browser cycle {stamp}")

    open_tab(page, "2. Comparisons")
    page.get_by_label("Compare by").select_option(label="Learning hours")
    expect(page.locator("table.kit-table").filter(has_text="hours or more").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    open_tab(page, "6. Reflection")
    page.get_by_placeholder("What you see, in your words").fill(reflection)
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Saved the reflection", exact=False)).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    reload_stage(page, 5)
    open_tab(page, "6. Reflection")
    expect(page.locator("table.kit-table").filter(has_text=reflection)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
