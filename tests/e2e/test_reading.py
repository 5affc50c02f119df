"""A board member in Chromium sees recurring lessons (plans and the library's reports together) with plain
labels and whether their actions were done, the library's case characteristics, and the national
recommendations (#22). Screenshots land in test-artifacts/ and /tmp/h6-screens/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.schema import open_store
from core.settings import database_path
from demo import build_demo_workspace
from demo.library import build_demo_library
from tests.e2e.conftest import ARTIFACTS, _serve, _stop, open_tab, settle, sign_in

pytestmark = pytest.mark.browser
SCREENS = Path("/tmp/h6-screens")


def shoot(page, name: str) -> None:
    """The viewport as the person sees it (Streamlit scrolls its main block, not the page)."""
    for folder in (ARTIFACTS, SCREENS):
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"))


@pytest.fixture
def demo_server(tmp_path):
    """The demo workspace built (library indexed and read) before the app starts, so that a busy machine's
    slow first indexing is not a browser wait."""
    data = tmp_path / "data"
    store = open_store(database_path(data))
    build_demo_workspace(store)
    build_demo_library(store)
    store.close()
    process, base, log = _serve(data, tmp_path / "streamlit.log", demo=True)
    yield base
    _stop(process, log)


@pytest.fixture
def board_page(browser, demo_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(demo_server)  # the first run teaches Streamlit the page list
    tab.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
    yield tab
    context.close()


def test_board_member_sees_recurring_lessons_case_characteristics_and_national_recommendations(board_page, demo_server):
    page, server = board_page, demo_server
    sign_in(page, server, "board", "themes")
    expect(page.get_by_role("heading", name="Themes")).to_be_visible()
    # the first run after a start loads the sentence model for the grouping: on a busy machine, minutes
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=180_000)
    open_tab(page, "Recurring lessons")
    lesson = page.get_by_text(
        re.compile(r"Police should link repeat reports from the same victim\. · made by 2 reviews or reports")
    )
    expect(lesson).to_be_visible(timeout=60_000)  # the model may still be loading for the first grouping
    expect(page.get_by_text(re.compile(r"made by 2 reviews or reports.*action\(s\) complete")).first).to_be_visible()
    lesson.click()
    expect(
        page.get_by_text("Learning brief: stalking after separation", exact=False).first
    ).to_be_visible()  # not its file
    expect(page.get_by_text(re.compile(r"Configure repeat-victim flag .* not started"))).to_be_visible()
    shoot(page, "board-recurring-lessons")
    expect(page.get_by_role("heading", name="Case characteristics")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Read from \d+ report\(s\) you can read"))).to_be_visible()
    expect(page.get_by_text("Perpetrator's relationship to the victim").first).to_be_visible()
    expect(page.get_by_text("Children in the household").first).to_be_visible()
    page.get_by_text("Open the reports behind a figure").scroll_into_view_if_needed()
    settle(page)
    shoot(page, "board-case-characteristics")
    page.get_by_role("link", name="National recommendations").click()
    expect(page.get_by_role("heading", name="National recommendations")).to_be_visible()
    # the demo's published review DHR-2024-09 asks two national bodies, in its public executive summary
    expect(
        page.get_by_role("heading", name="Department for Work and Pensions · 1 review of this partnership")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Home Office · 1 review of this partnership")).to_be_visible()
    page.get_by_text(re.compile(r"^The Home Office should amend the statutory guidance")).click()
    # named by its review's reference, which a board member may open (as recurring lessons name it)
    expect(page.get_by_text("DHR-2024-09 · 5", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    sent_on = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Department for Work and Pensions" in sent_on and "Home Office" in sent_on
    expect(page.get_by_role("button", name="Download as Word")).to_be_visible()
    shoot(page, "board-national-recommendations")
