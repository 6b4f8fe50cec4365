"""The served kit as a visitor first meets it: the landing is Start here, not a file listing, and a
page's kernel ends when the visitor leaves it by the kit's own links. (Each stage's own browser test
opens its app with `helpers.open_stage`, which checks for tracebacks and notebook source; the
view-only sweep over every registered app is in test_coach_journey.py.)"""

import pytest
from playwright.sync_api import expect

from kit.registry import STAGES
from tests.browser.helpers import APP_TIMEOUT_MS, kernel_of, kernel_shut_down, open_stage, wait_for_stage

pytestmark = pytest.mark.browser
AVAILABLE = [stage for stage in STAGES if stage.available]


def test_the_landing_page_opens_start_here_not_a_file_listing(page, voila_url):
    page.goto(voila_url + "/", timeout=APP_TIMEOUT_MS)
    wait_for_stage(page, 0)
    expect(page.get_by_role("heading", name="The stages of the cycle")).to_be_visible()
    assert page.url.endswith("/voila/render/00_start_here.ipynb")
    assert "voila-notebooks" not in page.content()  # Voila's own file listing


def test_leaving_an_app_by_the_kits_link_shuts_its_kernel(page, voila_url, server_log):
    start_here, next_app = AVAILABLE[0], AVAILABLE[1]
    open_stage(page, voila_url, start_here.number)
    kernel_id = kernel_of(page)
    page.locator(".kit-nav a", has_text=next_app.title).first.click()
    wait_for_stage(page, next_app.number)
    assert kernel_shut_down(server_log, voila_url, kernel_id)
    assert "'_xsrf' argument missing" not in server_log(voila_url)
