"""Every app as a team sees it: the landing, each stage's main view, no source code, no tracebacks,
and in view-only mode no editing control at all; a page's kernel ends when the visitor leaves it."""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from kit.registry import STAGES

pytestmark = pytest.mark.browser
APP_TIMEOUT_MS = 120_000
AVAILABLE = [stage for stage in STAGES if stage.available]
EDITING_WORDS = re.compile(r"save|new cycle|rename|archive|restore|upload|choose files|check these|open this folder|"
                           r"delete|remove|add |confirm|yes, use|use this store", re.I)


def open_app(page, base_url, stage):
    page.goto(f"{base_url}/voila/render/{stage.notebook}", timeout=APP_TIMEOUT_MS)
    expect(page.locator(f".kit-stage-{stage.number} .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)


def test_the_landing_page_opens_start_here_not_a_file_listing(page, voila_url):
    page.goto(voila_url + "/", timeout=APP_TIMEOUT_MS)
    expect(page.locator(".kit-stage-0 .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="The stages of the cycle")).to_be_visible()
    assert page.url.endswith("/voila/render/00_start_here.ipynb")
    assert "voila-notebooks" not in page.content()  # Voila's own file listing


@pytest.mark.parametrize("stage", AVAILABLE, ids=lambda stage: stage.notebook)
def test_each_app_opens_without_source_code_or_traceback(page, voila_url, stage):
    open_app(page, voila_url, stage)
    expect(page.locator(".kit-nav").first).to_be_visible()
    content = page.content()
    assert "Traceback" not in content
    assert "from kit.apps" not in content  # sources are stripped


@pytest.mark.parametrize("stage", AVAILABLE, ids=lambda stage: stage.notebook)
def test_view_only_mode_shows_no_editing_control(page, view_only_url, stage):
    open_app(page, view_only_url, stage)
    expect(page.get_by_text("View only").first).to_be_visible()
    page.wait_for_timeout(500)  # let late widgets render before looking for controls
    for selector in ("textarea", "input[type=text]", "input[type=date]", "input[type=number]", "input[type=file]"):
        assert not page.locator(selector).filter(visible=True).count(), f"editable {selector} visible"
    buttons = page.locator("button").filter(visible=True).all_inner_texts()
    assert not [text for text in buttons if EDITING_WORDS.search(text)], buttons


def test_leaving_an_app_by_the_kits_link_shuts_its_kernel(page, voila_url, server_log):
    start_here, next_app = AVAILABLE[0], AVAILABLE[1]
    open_app(page, voila_url, start_here)
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    page.locator(".kit-nav a", has_text=next_app.title).first.click()
    expect(page.locator(f".kit-stage-{next_app.number} .kit-status").first).to_be_visible(timeout=APP_TIMEOUT_MS)
    deadline = time.monotonic() + 20
    while f"Kernel shutdown: {kernel_id}" not in server_log(voila_url) and time.monotonic() < deadline:
        time.sleep(0.5)
    log = server_log(voila_url)
    assert "'_xsrf' argument missing" not in log
    assert f"Kernel shutdown: {kernel_id}" in log
