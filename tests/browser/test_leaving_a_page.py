"""Leaving a page in a real browser: each tab is titled with its stage, and text typed less than the
autosave's pause before leaving is guarded. The kit's page template asks before the page is left
while the text waits; a coach who stays keeps a live kernel that saves it; once it is saved, leaving
asks nothing; and the page's kernel is shut down whichever way the page is left."""

import time

import pytest
from playwright.sync_api import expect

from kit.registry import stage
from tests.browser.helpers import (SAVE_TIMEOUT_MS, kernel_of, kernel_shut_down, open_stage, open_tab,
                                   start_a_cycle, wait_for_stage)

pytestmark = pytest.mark.browser
REFLECTION_BOX = "What you see, in your words"


def test_tabs_name_their_stage_and_typed_text_is_guarded_until_saved(page, voila_url, server_log):
    dialogs: list[str] = []
    answer = {"leave": False}

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept() if answer["leave"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    open_stage(page, voila_url, 3)
    assert page.title() == stage(3).heading == "Stage 3: Knowledge, skills and dispositions"
    start_a_cycle(page, f"Leaving a page {time.strftime('%H%M%S')}")
    open_tab(page, "5. Reflection")
    kernel = kernel_of(page)
    box = page.get_by_placeholder(REFLECTION_BOX)
    leave = page.locator(".kit-nav a", has_text=stage(0).title).first

    box.click()  # a real click and key presses: the browser asks only on a page the visitor used
    box.press_sequentially("Typed just before leaving")
    leave.click(no_wait_after=True)
    page.wait_for_timeout(500)
    deadline = time.monotonic() + 10
    while not dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert dialogs == ["beforeunload"]
    assert "03_knowledge" in page.url  # the coach stayed ...
    mark = page.locator(".kit-reflections .kit-saved-mark").first
    expect(mark).to_contain_text("saved at", timeout=SAVE_TIMEOUT_MS)  # ... and the live kernel saved the text
    assert not kernel_shut_down(server_log, voila_url, kernel, seconds=1)
    assert page.evaluate("window.kitUnsaved()") is False  # saved: leaving now asks nothing

    box.press_sequentially(", and more")
    answer["leave"] = True
    leave.click(no_wait_after=True)
    wait_for_stage(page, 0)
    assert dialogs == ["beforeunload", "beforeunload"]
    assert kernel_shut_down(server_log, voila_url, kernel)  # sent by the guard once the page was really left
    assert page.title() == stage(0).heading

    start_here = kernel_of(page)
    page.goto("about:blank")  # nothing typed: no question, and Voila's own shutdown as before
    assert dialogs == ["beforeunload", "beforeunload"]
    assert kernel_shut_down(server_log, voila_url, start_here)
    assert "'_xsrf' argument missing" not in server_log(voila_url)
