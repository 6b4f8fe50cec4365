"""The start-here app in a real browser, on one visit (each visit costs a kernel and a page load):
the landing is Start here, not a file listing; it shows the data check; and it explains a bad upload."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import APP_TIMEOUT_MS, wait_for_stage

pytestmark = pytest.mark.browser


def test_the_landing_shows_the_data_check_and_explains_a_malformed_upload(page, voila_url):
    page.goto(voila_url + "/", timeout=APP_TIMEOUT_MS)
    wait_for_stage(page, 0)
    assert page.url.endswith("/voila/render/00_start_here.ipynb")
    assert "voila-notebooks" not in page.content()  # Voila's own file listing
    expect(page.get_by_role("heading", name="The stages of the cycle")).to_be_visible()
    expect(page.get_by_text("Data checked: 10 tables ready, no errors.")).to_be_visible()
    expect(page.get_by_role("heading", name="Data check")).to_be_visible()
    expect(page.locator("table.kit-table").first).to_contain_text("students")

    page.get_by_role("button", name="Upload my files").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose files").click()
    chooser.value.set_files(
        files=[{"name": "students.csv", "mimeType": "text/csv", "buffer": b"%PDF-1.4 this is no table"}])
    page.get_by_role("button", name="Check these files").click()
    expect(page.get_by_text("students.csv is a PDF document, not a table.")).to_be_visible(timeout=60_000)
    assert "Traceback" not in page.content()
