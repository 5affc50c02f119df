"""Screens that keep your place and read well at 1400 px (issue #21, items 7-12), in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ARTIFACTS,
    choose,
    create_first_coordinator,
    fill,
    go_to,
    open_tab,
    press,
    register_review,
    settle,
    sign_in,
    upload,
)

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


def test_nothing_is_requested_from_outside_the_machine(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, server, "coordinator")
    for link in ("Review register", "Review", "Library documents", "Actions", "Themes", "Dashboard"):
        page.get_by_role("link", name=link, exact=True).click()
        settle(page)
    page.wait_for_timeout(2_000)  # late fonts and icons
    elsewhere = sorted({url for url in requested if not url.startswith((server + "/", "data:", "blob:"))})
    assert requested and not elsewhere, elsewhere


def test_the_logo_uploader_states_the_limit_the_workspace_applies(page, server):
    sign_in(page, server, "coordinator", "administration")
    uploader = page.locator(".st-key-logo-upload")
    expect(uploader).to_contain_text("at most 512 KB")
    assert "MB" not in uploader.inner_text()  # Streamlit's own "200MB per file" is not shown
    page.screenshot(path=str(ARTIFACTS / "logo-uploader.png"), full_page=True)


def test_the_library_uploader_states_the_limit_the_library_applies(page, server):
    """#21's leftover: the library's uploader said Streamlit's "200MB per file" whatever the workspace
    allowed (DHR_MAX_UPLOAD_MB). The tables' "—" for a missing value is drawn on a canvas, so
    tests/app/test_tables.py checks it in what the page sends the browser."""
    sign_in(page, server, "coordinator", "library")
    uploader = page.locator(".st-key-library-files")
    expect(uploader).to_contain_text("at most 50 MB")  # DHR_MAX_UPLOAD_MB's default
    assert "200" not in uploader.inner_text()
    page.screenshot(path=str(ARTIFACTS / "library-uploader.png"), full_page=True)


def test_completing_the_chair_appointment_asks_which_chair(page, server):
    register_review(page, server, "DHR-2026-41", "Rae")
    choose(page, "Which chair was appointed", "Priya Castell")
    press(page, "Complete stage: Independent chair appointed", "Independent chair appointed recorded.")
    expect(page.get_by_text("Priya Castell", exact=True)).to_be_visible()  # the review's chair now
    page.screenshot(path=str(ARTIFACTS / "chair-appointed.png"), full_page=True)


def test_the_first_coordinator_sees_the_set_up_steps_ticked_as_they_are_done(browser, fresh_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(fresh_server)
    page.get_by_role("textbox", name="User name").fill("sam.coordinator")
    page.get_by_label("Your name").fill("Sam Patel")
    page.get_by_role("textbox", name="Password", exact=True).fill("lantern meadow copper")
    page.get_by_label("Repeat the password").fill("lantern meadow copper")
    page.get_by_role("button", name="Create the coordinator account").click()
    checklist = page.locator(".st-key-setup-checklist")
    expect(checklist).to_contain_text("0 of 6 steps done", timeout=30_000)
    for step in ("Name your partnership", "Make a first backup", "Bring in the review register"):
        expect(checklist).to_contain_text(step)
    page.screenshot(path=str(ARTIFACTS / "set-up-checklist.png"), full_page=True)
    checklist.get_by_role("link", name="Administration: Workspace").click()
    fill(page, "Partnership name", "Northvale Community Safety Partnership")
    press(page, "Save settings", "Settings saved.")
    page.get_by_role("link", name="Dashboard").click()
    expect(checklist).to_contain_text("1 of 6 steps done", timeout=30_000)
    expect(checklist).to_contain_text("(Northvale Community Safety Partnership)")
    page.screenshot(path=str(ARTIFACTS / "set-up-checklist-ticked.png"), full_page=True)
    context.close()


def cut_off(page, selector: str) -> list[str]:
    """The texts of the elements under ``selector`` that their box cuts off (wider than it shows)."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth))
            .map(e => e.value || e.textContent)""",
        selector,
    )


def test_the_column_mapping_shows_every_stage_date_choice_whole_at_1000_and_1400_px(browser, fresh_server, tmp_path):
    """Two selects to a row cut "Stage date – Agency returns received (IMRs, chronologies)" to "Stage date –
    Agency returns received" at 1000 px, in the select and in its list; one to a row reads it whole."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["DHR Ref", "Victim", "Date notified", "Date of decision", "Terms of reference",
                        "IMRs received", "Submitted to Home Office", "Family engagement"])  # fmt: skip
    book.active.append(["DHR-2022-01", "Ava", "05/01/2022", "20/01/2022", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    (tmp_path / "tracker.xlsx").write_bytes(buffer.getvalue())
    context = browser.new_context(viewport={"width": 1000, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    create_first_coordinator(page, fresh_server, "sam.coordinator", "Sam Patel", "lantern meadow copper")
    go_to(page, "Import the register")
    upload(page, tmp_path / "tracker.xlsx")
    imrs = page.get_by_label("“IMRs received” is", exact=True)
    expect(imrs).to_have_value("Stage date – Agency returns received (IMRs, chronologies)", timeout=60_000)
    for width in (1000, 1400):
        page.set_viewport_size({"width": width, "height": 1000})
        settle(page)
        page.wait_for_timeout(500)  # the page's layout follows the new width
        assert cut_off(page, "[data-testid='stSelectbox'] input") == []
        imrs.click()
        imrs.fill("Stage date")  # every stage date choice in the list, the longest among them
        expect(page.get_by_role("option").first).to_be_visible()
        assert len(page.get_by_role("option").all()) == 15
        assert cut_off(page, "[role='option']") == []
        page.screenshot(path=str(ARTIFACTS / f"register-mapping-{width}.png"))
        page.keyboard.press("Escape")
        imrs.blur()
    context.close()
