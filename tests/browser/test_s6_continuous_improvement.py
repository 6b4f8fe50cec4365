"""The continuous-improvement app in a real browser: make the cycle report, download it, and open
the downloaded file from disk with the network off."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import APP_TIMEOUT_MS, SAVE_TIMEOUT_MS, open_stage, open_tab

pytestmark = pytest.mark.browser
SECTIONS = ("The goal", "Stage 5: the chain of evidence", "Equity: results and access by group",
            "Run charts across windows and cycles", "Cycle review: each goal against the evidence",
            "Reflections, stage by stage", "The decision")


def test_the_report_downloads_and_opens_from_disk_offline(page, voila_url, tmp_path):
    open_stage(page, voila_url, 6)
    expect(page.get_by_text("Showing the cycle from", exact=False)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    open_tab(page, "4. Cycle report")
    page.get_by_role("button", name="Make the cycle report").click()
    link = page.locator("a.kit-report-download")
    expect(link).to_be_visible(timeout=APP_TIMEOUT_MS)
    with page.expect_download(timeout=SAVE_TIMEOUT_MS) as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("cycle-report-") and saved.suffix == ".html"

    page.context.set_offline(True)
    page.goto(saved.as_uri())
    for title in SECTIONS:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    images = page.locator("figure img")
    assert images.count() >= 6
    assert all(page.evaluate("(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle())
               for i in range(images.count()))
