"""What every browser test does the same way: open a stage found in the registry and check that it
is whole, start a cycle, choose a tab, take a screenshot.

>>> open_stage(page, voila_url, 2)                      # doctest: +SKIP
>>> start_a_cycle(page, "Fractions, spring")            # doctest: +SKIP
"""

import json
import time
from pathlib import Path

from playwright.sync_api import expect

from kit.registry import Stage, stage as stage_by_number

#: A first visit builds the app in a new kernel while the other test worker keeps the other core busy.
APP_TIMEOUT_MS = 180_000
SAVE_TIMEOUT_MS = 60_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: The workspace of each server the tests started, by its base URL.
SERVED_WORKSPACES: dict[str, Path] = {}
#: Text of the notebooks' one code cell: seen on a page only if Voila failed to strip the sources.
NOTEBOOK_SOURCE = "show_stage("


def open_stage(page, base_url: str, number: int, *, timeout: int = APP_TIMEOUT_MS, wait_until: str = "load") -> Stage:
    """Open stage `number`'s app as a visitor does and wait until it is whole (see `wait_for_stage`)."""
    stage = stage_by_number(number)
    page.goto(f"{base_url}/voila/render/{stage.notebook}", timeout=timeout, wait_until=wait_until)
    wait_for_stage(page, number, timeout=timeout)
    return stage


def wait_for_stage(page, number: int, *, timeout: int = APP_TIMEOUT_MS) -> None:
    """The app of stage `number` is on the page: its status line and the navigation are shown, and
    the page holds no traceback and no notebook source."""
    expect(page.locator(f".kit-stage-{number} .kit-status").first).to_be_visible(timeout=timeout)
    expect(page.locator(".kit-nav").first).to_be_visible()
    content = page.content()
    assert "Traceback" not in content
    assert NOTEBOOK_SOURCE not in content


def reload_stage(page, number: int, *, timeout: int = APP_TIMEOUT_MS) -> None:
    """Reload the page (a new kernel builds the app again from the store) and wait for it."""
    page.reload(timeout=timeout)
    wait_for_stage(page, number, timeout=timeout)


def start_a_cycle(page, name: str) -> None:
    """Create a cycle called `name` with the cycle picker, wait for the saved message, and check that
    another app finds the cycle in the store (a saved message once showed for a save that was lost)."""
    box = page.get_by_placeholder("Name of a new cycle, or a new name for this one")
    if not box.is_visible():
        page.get_by_text("New cycle, rename, archive").click()
    box.fill(name)
    page.get_by_role("button", name="New cycle").click()
    expect(page.get_by_text(f"Saved the cycle \u201c{name}\u201d")).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    assert name in cycles_in_store(page)


def cycles_in_store(page) -> list[str]:
    """The names of the cycles in the store of the server behind `page`, read by this process as
    another coach's app would: opened for editing and closed (an app that closes the store last
    tidies its write-ahead log away, which a read-only one does not)."""
    from urllib.parse import urlsplit

    from kit.store import open_store

    address = urlsplit(page.url)
    with open_store(SERVED_WORKSPACES[f"{address.scheme}://{address.netloc}"] / "store.sqlite") as store:
        return [cycle.name for cycle in store.cycles.list()]


def open_tab(page, title: str) -> None:
    """Choose the tab (or step) whose title contains `title`."""
    page.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text=title).first.click()


def kernel_of(page) -> str:
    """The id of the kernel behind the open app."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def kernel_shut_down(server_log, url: str, kernel_id: str, seconds: float = 20) -> bool:
    """Whether the server at `url` logs the shutdown of `kernel_id` within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if f"Kernel shutdown: {kernel_id}" in server_log(url):
            return True
        time.sleep(0.3)
    return False


def shoot(page, name: str) -> None:
    """A full-page screenshot in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
