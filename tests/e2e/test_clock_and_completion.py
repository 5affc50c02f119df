"""Issue #20 items 1 and 14 as people meet them, in Chromium on a workspace of its own (no demo): a chair
proposes a pause on a review whose completion deadline has passed, and the deadline stays overdue while
the pause waits for the coordinator; an agency lead completes an action, refused in words without
evidence, then with evidence it completes and is not Red."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from core import accounts
from core.schema import open_store
from recommendations import plan
from reviews import register
from reviews.rules import install_bundled_rule_sets
from tests.conftest import COORD
from tests.e2e.conftest import APP_WAIT, ARTIFACTS, _serve, _stop, choose, fill, open_tab, press, settle

pytestmark = pytest.mark.browser
PASSWORD = "lantern meadow copper"
REFERENCE = "DHR-2024-09"


@pytest.fixture
def server(tmp_path):
    """A workspace with one review decided on 30 September 2024 (completion due 30 March 2025), chaired
    by Dr Morgan Ellis, with a Police action past its target that an officer rated Red."""
    data = tmp_path / "data"
    store = open_store(data / "dhr.sqlite")
    install_bundled_rule_sets(store)
    people = {
        username: accounts.add_user(
            store, COORD, username=username, password=PASSWORD, role=role, display_name=name, agency=agency
        )
        for username, role, name, agency in (
            ("sam", "coordinator", "Sam Patel", None),
            ("morgan", "chair", "Dr Morgan Ellis", None),
            ("lee", "agency_lead", "Insp. Lee Hartley", "Police"),
        )
    }
    coordinator, today = people["sam"], date.today()
    register.create_review(
        store,
        coordinator,
        reference=REFERENCE,
        pseudonym="Ivy",
        csp="Northvale CSP",
        notification_date="2024-09-10",
        chair="morgan",
        today=today,
    )
    register.complete_stage(
        store, coordinator, REFERENCE, stage="decision", completed_on="2024-09-30", decision="hold", today=today
    )
    rec = plan.add_recommendation(store, coordinator, REFERENCE, number="1", text="Train call handlers", scope="CSP")
    action = plan.add_action(
        store,
        coordinator,
        REFERENCE,
        recommendation_id=rec,
        description="Stalking screening questions for call handlers",
        owner_agency="Police",
        target_date="2025-06-30",
    )
    plan.override_rag(store, coordinator, action, rag="red", reason="Supplier has not confirmed a date")
    store.close()
    process, base, log = _serve(data, tmp_path / "streamlit.log", demo=False)
    yield base
    _stop(process, log)


def _signed_in(browser, base: str, username: str, path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(APP_WAIT)
    page.goto(f"{base}/{path}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    return context, page


def _type_date(page, label: str, digits: str) -> None:
    """Type a date into a Streamlit date field (day, month and year segments) as a keyboard user does."""
    settle(page)
    page.get_by_role("group", name=label).get_by_role("spinbutton").first.click()
    page.keyboard.type(digits)
    page.keyboard.press("Tab")
    settle(page)


def _completion_is_overdue_on_30_march(page) -> None:
    """The Deadlines tab: the completion deadline's heading and badge, and its due date."""
    heading = page.locator("p", has_text="Review completed and sent to the Home Office").first
    expect(heading).to_contain_text("Overdue")
    expect(heading).not_to_contain_text("Paused")
    expect(page.get_by_text("Due 30 Mar 2025", exact=True)).to_be_visible()


def test_a_chairs_proposed_pause_leaves_the_deadline_overdue(browser, server):
    context, page = _signed_in(browser, server, "morgan", f"review?ref={REFERENCE}")
    expect(page.get_by_role("heading", name=re.compile(REFERENCE))).to_be_visible()
    open_tab(page, "Deadlines")
    _completion_is_overdue_on_30_march(page)

    open_tab(page, "Pauses")
    expect(page.get_by_text("a proposal: the coordinator records the Home Office's agreement")).to_be_visible()
    choose(page, "Reason", "Inquest")
    _type_date(page, "From", "03022025")
    fill(page, "Details", "Inquest opened and adjourned")
    press(page, "Add pause", "Pause recorded")
    expect(page.get_by_text(re.compile("Pause proposed from 03 Feb 2025: inquest")).first).to_be_visible()
    expect(page.get_by_text(re.compile("Proposed, waiting for the coordinator")).first).to_be_visible()

    open_tab(page, "Deadlines")
    _completion_is_overdue_on_30_march(page)
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chair-proposed-pause-deadlines.png"), full_page=True)
    open_tab(page, "Pauses")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "chair-proposed-pause.png"), full_page=True)
    context.close()


def test_an_agency_lead_completes_an_action_only_with_evidence_and_it_is_not_red(browser, server):
    context, page = _signed_in(browser, server, "lee", "")
    page.get_by_role("link", name="Actions").click()
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    choose(page, "Action", "Stalking screening questions")
    expect(page.get_by_text("overridden to")).to_be_visible()
    choose(page, "New status", "Complete")
    fill(page, "What has happened", "Screening questions live in the control room")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("add the evidence that shows it was done")).to_be_visible()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agency-lead-complete-refused.png"), full_page=True)

    fill(page, "Evidence (what shows it, where it is kept)", "Control room briefing log, 2 December")
    press(page, "Save progress", "Progress saved.")
    expect(page.get_by_text("derived: Green")).to_be_visible()
    expect(page.get_by_label("Action", exact=True)).to_have_value(re.compile(r"Stalking screening .*\(Green\)"))
    expect(page.get_by_text("overridden to")).to_have_count(0)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_contain_text("Complete")
    expect(table).to_contain_text("Green")
    expect(table).not_to_contain_text("Red")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "agency-lead-completed.png"), full_page=True)
    context.close()
