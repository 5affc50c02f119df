"""Day one for a real partnership, in Chromium on an empty workspace: name the partnership and give
its logo, bring in the tracker workbook, then an action plan whose agencies the workspace does not
list ("Met Police", "Police; CPS"), mapping and adding them on the page."""

import re

import pytest
from playwright.sync_api import expect

from core.schema import open_store
from recommendations import plan
from reviews import register
from tests.conftest import COORD
from tests.e2e.conftest import ARTIFACTS, choose, create_first_coordinator, fill, go_to, press, settle, upload
from tests.test_agency_import import real_plan
from tests.test_tracker import workbook
from tests.test_workspace_settings import png

pytestmark = pytest.mark.browser
PASSWORD = "lantern meadow copper"
SLOW = 30_000  # a save, then the rerun that shows its confirmation


def test_a_new_partnership_sets_up_and_brings_in_its_history(browser, fresh_server, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    create_first_coordinator(page, fresh_server, "sam.coordinator", "Sam Patel", PASSWORD)
    expect(page.get_by_text("Signed in as Sam Patel")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "day-one-home.png"), full_page=True)

    # the workspace settings
    page.get_by_role("link", name="Administration", exact=True).click()  # not "Administration: Backup"
    expect(page.get_by_role("tab", name="Workspace")).to_be_visible()
    fill(page, "Partnership name", "Northvale Community Safety Partnership")
    fill(page, "Area", "Northvale Borough")
    fill(page, "Due-soon window (days)", "twenty")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("not a whole number of days")).to_be_visible()
    fill(page, "Due-soon window (days)", "21")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible(timeout=SLOW)
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(120, 40))
    upload(page, logo)
    page.get_by_role("button", name="Use this logo").click()
    expect(page.get_by_role("button", name="Remove the logo")).to_be_visible(timeout=SLOW)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "day-one-settings.png"), full_page=True)

    # the tracker workbook
    tracker_file = tmp_path / "DHR tracker.xlsx"
    tracker_file.write_bytes(workbook())
    go_to(page, "Import the register")
    expect(page.get_by_role("heading", name="Import the register of reviews")).to_be_visible()
    upload(page, tracker_file)
    expect(page.get_by_text("4 review(s) ready to import.")).to_be_visible(timeout=60_000)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "day-one-register-preview.png"), full_page=True)
    page.get_by_role("button", name="3. Import all rows").click()
    expect(page.get_by_text("Imported 4 review(s): DHR-2018-01")).to_be_visible(timeout=SLOW)

    # an action plan naming agencies the workspace does not list
    plan_file = tmp_path / "Action plan Jo.xlsx"
    plan_file.write_bytes(real_plan())
    go_to(page, "Import an action plan")
    expect(page.get_by_role("heading", name="Import an action plan")).to_be_visible()
    choose(page, "Into review", "DHR-2018-01")
    upload(page, plan_file)
    expect(page.get_by_role("heading", name="2. Agencies this workspace does not list")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Nothing can be imported until these are fixed")).to_be_visible(timeout=SLOW)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "day-one-plan-agencies.png"), full_page=True)
    choose(page, "“Met Police” is", "Police")
    choose(page, "“GP” is", "Integrated Care Board (GP services)")
    choose(page, "“Children's Services” is", "Children's Social Care")
    choose(page, "“CPS” is", "Add “CPS” as a new agency")
    choose(page, "“Policy Lead & MARAC Chair” is", "Add “Policy Lead & MARAC Chair” as a new agency")
    expect(page.get_by_text("5 row(s) ready to import into DHR-2018-01.")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text(re.compile("These agencies will be added to the list: CPS"))).to_be_visible(timeout=SLOW)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "day-one-plan-mapped.png"), full_page=True)
    page.get_by_role("button", name="4. Import all rows").click()
    expect(page.get_by_text("Imported 5 action(s) under 4 new recommendation(s)")).to_be_visible(timeout=180_000)

    # a mistake corrected: an action imported twice is deleted, with the reason
    page.get_by_role("link", name="Actions").click()
    choose(page, "Action", "Audit referrals")
    page.get_by_text("Correct or delete this action").click()
    reason = "Why delete it? (kept in the audit log)"
    for attempt in range(3):  # Enter submits the form with what was typed; a rerun can wipe it first
        fill(page, reason, "The same audit is action 1")
        page.get_by_label(reason, exact=True).press("Enter")
        try:
            expect(page.get_by_text("Action deleted.").first).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            if attempt == 2:
                raise

    # a library document added, its record corrected, its original offered for download
    brief = tmp_path / "learning-brief.md"
    brief.write_text("# Learning brief\n\nAsk about coercive control at every contact.\n", encoding="utf-8")
    go_to(page, "Library documents")
    upload(page, brief)
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_text("learning-brief.md: indexed")).to_be_visible(timeout=180_000)
    choose(page, "Open a document (or a failed upload) to correct, download or delete it", "Learning brief")
    fill(page, "Title", "Learning brief: coercive control (2024)")
    press(page, "Save changes", "Document updated.")
    expect(page.get_by_role("button", name="Download the original")).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "day-one-library-edit.png"), full_page=True)
    context.close()

    store = open_store(tmp_path / "data" / "dhr.sqlite")
    reviews = {r.reference: r for r in register.list_reviews(store, COORD)}
    assert set(reviews) == {"DHR-2018-01", "DHR-2021-02", "DHR-2022-03", "DHR-2023-04"}
    assert reviews["DHR-2021-02"].csp == "Northvale Community Safety Partnership"
    actions = {a.description: a for a in plan.list_actions(store, COORD)}
    assert actions["Refer all high-risk cases"].partner_agencies == ["CPS"]
    assert "Audit referrals" not in actions
    reasons = [r["reason"] for r in store.read()["audit_log"].rows_where("entity = 'actions' AND action = 'delete'")]
    assert reasons == ["The same audit is action 1"]
    assert [d["title"] for d in store.read()["documents"].rows] == ["Learning brief: coercive control (2024)"]
    store.close()
