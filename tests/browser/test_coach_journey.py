"""A coach's journey through stages 1 and 2 at a laptop's and a tablet's width, then every app as a
team sees it (view-only): typed text survives leaving the page, a saved rating is edited and archived,
a table and a chart download, no header is a raw field name, and view-only offers nothing to type in.
Screenshots of each app at both widths go to test-artifacts/."""

import re
import time

import pytest
from playwright.sync_api import expect

from kit.apps.components import column_label
from kit.registry import STAGES
from kit.schema import TABLES
from tests.browser.helpers import SAVE_TIMEOUT_MS, open_stage, open_tab, shoot, start_a_cycle, wait_for_stage

pytestmark = pytest.mark.browser
WIDTHS = {"laptop": {"width": 1366, "height": 768}, "tablet": {"width": 768, "height": 1024}}
EDITING_WORDS = re.compile(r"save|new cycle|rename|archive|restore|upload|choose files|check these|open this folder|"
                           r"delete|remove|add |confirm|yes, use|use this store|edit", re.I)
TYPING = ("input[type=text]:enabled", "input[type=number]:enabled", "input[type=date]:enabled",
          "input[type=file]:enabled", "textarea:enabled")
#: Schema columns and the analysis columns stages 1 and 2 return that are not a coach's words.
RAW_NAMES = {column.name for table in TABLES for column in table.columns if column_label(column.name) != column.name
             or "_" in column.name} | {"exact_agreement", "within_one_agreement", "rwg", "share_without", "suppressed",
                                       "saved_by", "group_column", "mean_score", "share_proficient", "gap_points"}


def headers_shown(page) -> set[str]:
    return {text.strip() for text in page.locator("table.kit-table th").all_inner_texts()}


def both_widths(page, name: str) -> None:
    """Screenshots at both widths, and at the tablet's width nothing runs off the right edge (tables
    scroll inside their own box)."""
    for size in WIDTHS:
        page.set_viewport_size(WIDTHS[size])
        page.wait_for_timeout(300)
        shoot(page, f"{name}-{size}")
        if size == "tablet":
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 2, f"{name}: the page is {overflow} px wider than the tablet's screen"
    page.set_viewport_size(WIDTHS["laptop"])


def test_a_coach_journey_through_stages_1_and_2(page, voila_url):
    """One walk (each app visit costs a kernel): plan text kept across leaving at the laptop's width, a
    rating edited and archived at the tablet's width, downloads, headers, screenshots at both widths."""
    stage1, stage2 = STAGES[1], STAGES[2]
    page.set_viewport_size(WIDTHS["laptop"])
    stamp = time.strftime("%H%M%S")

    # Stage 2: a cycle, then plan text typed and saved as it is typed (the mark beside Save plan says so).
    open_stage(page, voila_url, stage2.number)
    if page.get_by_role("button", name="Save my name").is_visible():
        page.get_by_placeholder("Your name or initials, shown on what you save").fill("Ana Ruiz")
        page.get_by_role("button", name="Save my name").click()
    start_a_cycle(page, f"Journey {stamp}")
    open_tab(page, "Plan backwards")
    plan_title = page.locator(".widget-text", has_text="Plan title").locator("input")
    plan_title.fill(f"Fractions plan {stamp}")
    expect(page.locator(".kit-saved-mark", has_text="saved at").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)

    # Leave for stage 1 (its first screen: filters and the first result), then come back: the text is kept.
    page.locator(".kit-nav a", has_text=stage1.title).first.click()
    wait_for_stage(page, stage1.number)
    expect(page.locator(".kit-stage-1 img").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    assert page.get_by_label("School").bounding_box()["y"] < WIDTHS["laptop"]["height"]
    assert not headers_shown(page) & RAW_NAMES
    assert "SCH01" not in page.locator(".kit-stage-1 table.kit-table").first.inner_text()
    with page.expect_download() as csv:
        page.get_by_text("Download this table (CSV)").first.click()
    assert csv.value.suggested_filename.endswith(".csv")
    with page.expect_download() as png:
        page.get_by_text("Download this chart (PNG)").first.click()
    assert png.value.suggested_filename.endswith(".png")
    assert page.locator(".kit-stage-1 img").first.get_attribute("alt")
    both_widths(page, "stage-1")

    open_stage(page, voila_url, stage2.number)
    open_tab(page, "Plan backwards")
    expect(plan_title).to_have_value(f"Fractions plan {stamp}", timeout=SAVE_TIMEOUT_MS)

    # At the tablet's width: a rating saved, edited and archived.
    page.set_viewport_size(WIDTHS["tablet"])
    open_tab(page, "Standards self-assessment")
    page.get_by_placeholder("Your name or initials (pick it once used)").fill("Rater Ben")
    page.get_by_role("button", name="3 ", exact=False).first.click()
    page.get_by_placeholder("One line: what shows this rating? (needed)").fill("Exit tickets reviewed monthly")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_text("Saved the rating").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    saved = page.locator(".kit-saved-records").first
    saved.get_by_role("button", name="Edit").click()
    page.get_by_placeholder("One line: what shows this rating? (needed)").fill("Exit tickets reviewed weekly")
    page.get_by_role("button", name="Save rating").click()
    expect(saved.locator("table.kit-table").first).to_contain_text("reviewed weekly", timeout=SAVE_TIMEOUT_MS)
    expect(saved.locator(".kit-history table").first).to_contain_text("changed 1 time")
    saved.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("Archived the rating").first).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    assert not headers_shown(page) & RAW_NAMES
    both_widths(page, "stage-2")


def test_every_app_in_view_only_mode_offers_nothing_to_type_in(page, view_only_url):
    """Every registered app whose notebook exists, opened one after the other (no kernel waits ahead
    on this server), each checked and photographed at both widths: nothing to type in, no button
    that would change anything, one banner."""
    for stage in (stage for stage in STAGES if stage.available):
        page.set_viewport_size(WIDTHS["laptop"])
        open_stage(page, view_only_url, stage.number)
        page.wait_for_timeout(300)  # late widgets
        for selector in TYPING:
            assert not page.locator(selector).filter(visible=True).count(), f"{stage.notebook}: {selector} enabled"
        buttons = page.locator("button").filter(visible=True).all_inner_texts()
        assert not [text for text in buttons if EDITING_WORDS.search(text)], f"{stage.notebook}: {buttons}"
        assert page.locator(".kit-view-only").count() <= 1, f"{stage.notebook}: one view-only banner at most"
        if stage.number in (1, 2):  # the shell's banner says it; the status line does not repeat it
            assert page.locator(".kit-view-only").count() == 1
            assert not re.match(r"view.only", page.locator(".kit-status").first.inner_text(), re.I)
        both_widths(page, f"view-only-{stage.folder}")
