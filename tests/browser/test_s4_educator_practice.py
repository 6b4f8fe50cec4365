"""The stage 4 app in a real browser: a coach types a walkthrough and a coaching session, reloads, and
finds both in the page's tables and figures."""

import time

import pytest
from playwright.sync_api import expect

from kit.sample import COMPONENTS

from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage, open_tab, reload_stage, start_a_cycle

pytestmark = pytest.mark.browser


def test_a_walkthrough_and_a_coaching_session_are_in_the_figures_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    observer, focus = f"Observer {stamp}", f"Talk moves {stamp}"
    open_stage(page, voila_url, 4)
    start_a_cycle(page, f"Browser cycle {stamp}")

    open_tab(page, "Walkthrough")
    page.get_by_placeholder("Code of the educator you visited").fill("E005")
    page.locator(".widget-datepicker input").first.fill("2026-04-22")
    page.get_by_placeholder("Your code or initials").fill(observer)
    label = page.locator("label", has_text=COMPONENTS[0])
    component = page.locator(".widget-dropdown").filter(has=label).locator("select")
    component.select_option(label="rating 4")
    page.get_by_role("button", name="Save walkthrough").click()
    expect(page.get_by_text("Saved the walkthrough of E005")).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    open_tab(page, "Coaching log")
    page.get_by_placeholder("Code of the educator you coached").fill("E005")
    page.get_by_placeholder("What the session worked on").fill(focus)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text(f"Saved the coaching session \u201c{focus}\u201d")).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    reload_stage(page, 4)
    open_tab(page, "Walkthrough")
    typed = page.locator("table.kit-table").filter(has_text=observer)
    expect(typed).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    expect(typed).to_contain_text("E005")
    open_tab(page, "Coaching log")
    sessions = page.locator("table.kit-table").filter(has_text="first session").filter(has_text="E005")
    expect(sessions).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    expect(page.get_by_placeholder("Code of the educator you coached")).to_have_value("E005")  # from the last entry
