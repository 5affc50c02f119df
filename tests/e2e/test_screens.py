"""Screens that keep your place and read well at 1400 px (issue #21, items 7-12), in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, open_tab, press, settle, sign_in

pytestmark = pytest.mark.browser


def selected_tab(page) -> str:
    settle(page)
    return page.get_by_role("tab", selected=True).inner_text()


def test_saving_on_a_review_tab_stays_on_that_tab(page, server):
    sign_in(page, server, "coordinator", "review?ref=DHR-2026-02")
    expect(page.get_by_role("heading", name=re.compile("DHR-2026-02"))).to_be_visible()
    open_tab(page, "Pauses")
    press(page, "Add pause", "Pause recorded; deadlines recalculated.")
    assert selected_tab(page) == "Pauses"
    open_tab(page, "Agency returns")
    press(page, "Record request", "Request recorded.")
    assert selected_tab(page) == "Agency returns"
    page.screenshot(path=str(ARTIFACTS / "review-tab-kept.png"), full_page=True)
