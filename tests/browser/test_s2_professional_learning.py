"""The stage 2 app in a real browser: a coach builds a small practice map, reloads, and finds it."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage, open_tab, reload_stage, start_a_cycle

pytestmark = pytest.mark.browser


def open_practice_map(page):
    open_tab(page, "Practice map")
    expect(page.get_by_placeholder("e.g. Number talks")).to_be_visible()


def test_a_practice_map_built_in_the_app_is_there_after_a_reload(page, voila_url):
    stamp = time.strftime("%H%M%S")
    map_name, component = f"Number talks {stamp}", f"Student explanations {stamp}"
    open_stage(page, voila_url, 2)
    start_a_cycle(page, f"Browser cycle {stamp}")
    open_practice_map(page)

    page.get_by_placeholder("e.g. Number talks").fill(map_name)
    page.get_by_placeholder("The practice in a sentence or two").fill("Students explain strategies every day")
    page.get_by_role("button", name="Save map").click()
    expect(page.get_by_text(f"Saved the practice map \u201c{map_name}\u201d")).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    page.get_by_placeholder("e.g. Student discourse").fill(component)
    page.get_by_placeholder("One per line, the ideal first, unacceptable last").fill(
        "Most students explain\nA few explain\nThe teacher explains")
    page.get_by_role("button", name="Save component").click()
    expect(page.get_by_text(f"Saved the practice map component \u201c{component}\u201d")).to_be_visible(
        timeout=SAVE_TIMEOUT_MS)

    reload_stage(page, 2)
    open_practice_map(page)
    expect(page.get_by_placeholder("e.g. Number talks")).to_have_value(map_name, timeout=SAVE_TIMEOUT_MS)
    table = page.locator("table.kit-table").filter(has_text=component).first  # the map (the list of components follows)
    expect(table).to_be_visible()
    expect(table).to_contain_text("A few explain")
    expect(page.get_by_text("Download the map as a printable page")).to_be_visible()
