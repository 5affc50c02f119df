"""Day one, round two (#21), in Chromium on an empty workspace: a council-style tracker (title row,
"2023 referrals" rows, "Date referred to CSP", status and decision words, "/" in references, dates as
councils write them) and the real Harrow action plan, both through the import pages; then the register,
the deadlines and the coordinator's digest are right (not-to-hold and published never open or overdue)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from core import accounts
from core.schema import open_store
from recommendations import plan
from reviews import register
from reviews.mail import reminders
from tests.conftest import COORD
from tests.council_files import council_tracker, harrow_plan
from tests.e2e.conftest import (
    APP_WAIT,
    ARTIFACTS,
    choose,
    create_first_coordinator,
    fill,
    go_to,
    open_expander,
    press,
    settle,
    upload,
    upload_until,
)

pytestmark = pytest.mark.browser
PASSWORD = "lantern meadow copper"


def test_a_council_tracker_and_the_harrow_plan_import_through_the_pages(browser, fresh_server, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(APP_WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    create_first_coordinator(page, fresh_server, "sam.coordinator", "Sam Patel", PASSWORD)
    page.get_by_role("link", name="Administration", exact=True).click()
    fill(page, "Partnership name", "Northvale Community Safety Partnership")
    press(page, "Save settings", "Settings saved.")  # a click that lands in a rerun is lost: pressed again

    # the tracker: every row read at once, the rows it skips and the references it changes shown
    tracker_file = tmp_path / "tracker.xlsx"
    tracker_file.write_bytes(council_tracker())
    go_to(page, "Import the register")
    upload_until(page, tracker_file, "5 review(s) ready to import.")
    open_expander(page, "3 row(s) skipped", "row 7: a section row ('2023 referrals')")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "council-tracker-preview.png"), full_page=True)
    press(page, "3. Import all rows", "Imported 5 review(s): DHR-2022-01, DHR-2022-02")
    settle(page)
    expect(page.get_by_role("button", name="3. Import all rows")).to_have_count(0)
    expect(page.get_by_text("ready to import")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "council-tracker-imported.png"), full_page=True)

    # the Harrow plan: Objective, Output, Outcomes, Measurement/Evidence mapped; its agencies added
    plan_file = tmp_path / "harrow.xlsx"
    plan_file.write_bytes(harrow_plan())
    go_to(page, "Import an action plan")
    choose(page, "Into review", "DHR-2023-03")
    upload(page, plan_file)
    expect(page.get_by_role("heading", name="2. Agencies this workspace does not list")).to_be_visible()
    expect(page.get_by_label("“Measurement/Evidence” is", exact=True)).to_have_value("How success is measured")
    page.get_by_text("Add every name that is not on the list as a new agency").click()
    expect(page.get_by_text("45 row(s) ready to import into DHR-2023-03.")).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "harrow-plan-preview.png"), full_page=True)
    press(
        page,
        "4. Import all rows",
        "Imported 45 action(s) under 23 new recommendation(s) into DHR-2023-03.",
        timeout=180_000,
    )
    settle(page)
    expect(page.get_by_role("button", name="4. Import all rows")).to_have_count(0)
    expect(page.get_by_text("ready to import")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "harrow-plan-imported.png"), full_page=True)

    page.get_by_role("link", name="Review register").click()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "council-register.png"), full_page=True)
    context.close()

    store = open_store(tmp_path / "data" / "dhr.sqlite")
    today = date.today()
    deadlines = register.all_deadlines(store, COORD, today)
    settled = [d for d in deadlines if d.reference in ("DHR-2022-01", "DHR-2022-02", "DHR-2023-04")]
    assert settled and not [d for d in settled if d.status in ("open", "overdue", "due_soon")]
    accounts.set_email(store, COORD, username="sam.coordinator", email="sam@northvale.example")
    (digest,) = [m for m in reminders.compose(store, today, reminders.Report()) if m.kind == "digest"]
    assert "DHR-2023-03" in digest.body
    assert not any(f"- {ref} " in digest.body for ref in ("DHR-2022-01", "DHR-2022-02", "DHR-2023-04"))
    actions = plan.list_actions(store, COORD)
    assert len(actions) == 45 and not [a for a in actions if a.evidence]
    store.close()
