"""A board member in Chromium sees recurring lessons (plans and the library's reports together) with plain
labels and whether their actions were done, the library's case characteristics, and the national
recommendations (#22). Screenshots land in test-artifacts/ and /tmp/h6-screens/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, open_tab, settle, sign_in

pytestmark = pytest.mark.browser
SCREENS = Path("/tmp/h6-screens")


def shoot(page, name: str) -> None:
    for folder in (ARTIFACTS, SCREENS):
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_board_member_sees_recurring_lessons_case_characteristics_and_national_recommendations(page, server):
    sign_in(page, server, "board", "themes")
    expect(page.get_by_role("heading", name="Themes")).to_be_visible()
    settle(page)
    open_tab(page, "Recurring lessons")
    lesson = page.get_by_text(re.compile(r"Police to link repeat reports .* made by 2 reviews"))
    expect(lesson).to_be_visible(timeout=60_000)  # the model may still be loading for the first grouping
    expect(page.get_by_text(re.compile(r"made by 2 reviews.*action\(s\) complete")).first).to_be_visible()
    lesson.click()
    expect(page.get_by_text("learning-brief-stalking.pdf", exact=False).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Configure repeat-victim flag .* not started"))).to_be_visible()
    shoot(page, "board-recurring-lessons")
    heading = page.get_by_role("heading", name="Case characteristics")
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text(re.compile(r"Read from \d+ report\(s\) you can read"))).to_be_visible()
    expect(page.get_by_text("Perpetrator's relationship to the victim").first).to_be_visible()
    shoot(page, "board-case-characteristics")
    page.get_by_role("link", name="National recommendations").click()
    expect(page.get_by_role("heading", name="National recommendations")).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_be_visible()
    shoot(page, "board-national-recommendations")
