"""The Themes page as partner, board member and coordinator, in Chromium: counts never include a
document the person may not read, and a theme opens onto the passages behind it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, choose, settle, sign_in

pytestmark = pytest.mark.browser


def document_count(page) -> int:
    caption = page.get_by_text(re.compile(r"Across the \d+ library document"))
    expect(caption).to_be_visible()
    return int(re.search(r"Across the (\d+)", caption.inner_text()).group(1))


@pytest.mark.parametrize("user", ["partner", "board", "coordinator"])
def test_themes_page_counts_only_what_the_role_may_read(page, server, user):
    sign_in(page, server, user, "themes")
    expect(page.get_by_role("heading", name="Themes")).to_be_visible()
    counted = document_count(page)
    assert counted == (14 if user == "coordinator" else 13)  # the confidential QA letter is the coordinator's
    settle(page)
    choose(page, "Open a theme", "Physical violence")
    expect(page.get_by_text("Recommendations on this theme, and whether they were acted on")).to_be_visible()
    behind = page.get_by_text("Passages", exact=True)
    expect(behind).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"themes-{user}-chart.png"))
    behind.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"themes-{user}.png"), full_page=True)
    page.get_by_role("tab", name="Together").click()
    expect(page.get_by_label("Theme", exact=True)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"themes-{user}-together.png"), full_page=True)
