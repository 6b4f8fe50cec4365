"""The start-here app in a real browser: it shows the data check, and explains a bad upload."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_stage

pytestmark = pytest.mark.browser


def open_start_here(page, voila_url):
    open_stage(page, voila_url, 0)
    expect(page.get_by_text("Data checked: 10 tables ready, no errors.")).to_be_visible()


def test_the_data_check_view_appears(page, voila_url):
    open_start_here(page, voila_url)
    expect(page.get_by_role("heading", name="Data check")).to_be_visible()
    expect(page.locator("table.kit-table").first).to_contain_text("students")
    assert "Traceback" not in page.content()


def test_a_malformed_upload_shows_the_kits_message(page, voila_url):
    open_start_here(page, voila_url)
    page.get_by_role("button", name="Upload my files").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose files").click()
    chooser.value.set_files(
        files=[{"name": "students.csv", "mimeType": "text/csv", "buffer": b"%PDF-1.4 this is no table"}])
    page.get_by_role("button", name="Check these files").click()
    expect(page.get_by_text("students.csv is a PDF document, not a table.")).to_be_visible(timeout=60_000)
    assert "Traceback" not in page.content()
