"""The coordinator's Email tab in Chromium, against a real SMTP server: the relay in use, a test email that
arrives, and the outbox saying what the daily run sent, what it could not, and why."""

import pytest
from playwright.sync_api import expect

from core import accounts, agencies
from core.schema import open_store
from core.settings import database_path
from reviews import register, returns
from reviews.rules import install_bundled_rule_sets
from tests.conftest import COORD, run
from tests.e2e.conftest import ARTIFACTS, _serve, _stop, open_tab, settle

pytestmark = pytest.mark.browser
PASSWORD = "lantern meadow copper"


def test_the_coordinator_sees_what_was_sent_and_sends_a_test_email(browser, relay, tmp_path):
    data = tmp_path / "data"
    store = open_store(database_path(data))
    install_bundled_rule_sets(store)
    accounts.create_first_coordinator(store, username="sam", password=PASSWORD, display_name="Sam Patel")
    sam = accounts.get_viewer(store, "sam")
    accounts.set_email(store, sam, username="sam", email="sam@northvale.example")
    agencies.set_contact(store, COORD, name="Police", contact_name="DS Kay", contact_email="kay@police.example")
    agencies.set_contact(store, COORD, name="Housing", contact_name="Jo Bell", contact_email="jo@housing.example")
    register.create_review(
        store, sam, reference="DHR-2026-11", pseudonym="Nell", csp="Northvale CSP", notification_date="2026-09-01"
    )
    returns.request_return(
        store, sam, "DHR-2026-11", agency="Police", kind="IMR", requested="2026-09-10", due="2026-10-10"
    )
    store.close()
    smtp = {
        "DHR_SMTP_HOST": "127.0.0.1",
        "DHR_SMTP_PORT": str(relay.port),
        "DHR_SMTP_STARTTLS": "0",
        "DHR_MAIL_FROM": "dhr@northvale.example",
    }
    first = run(data, "reviews", "remind", env=smtp)  # the daily job, as cron runs it
    assert first.returncode == 0, first.stderr
    assert relay.inbox.to("kay@police.example") and relay.inbox.to("sam@northvale.example")

    process, base, log = _serve(data, tmp_path / "streamlit.log", demo=False, env=smtp)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/administration")
        page.get_by_label("User name").fill("sam")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        open_tab(page, "Email")
        expect(page.get_by_text(f"Email goes through 127.0.0.1:{relay.port}, no encryption")).to_be_visible()
        table = page.get_by_test_id("stDataFrame").filter(has_text="Subject")
        expect(table).to_contain_text("Overdue: DHR-2026-11: IMR from Police was due on 10 Oct 2026")
        expect(table).to_contain_text("Sent")
        before = len(relay.inbox.messages)
        page.get_by_role("button", name="Send a test email to me").click()
        expect(page.get_by_text("Sent to sam@northvale.example.")).to_be_visible()
        assert len(relay.inbox.messages) == before + 1
        assert relay.inbox.to("sam@northvale.example")[-1]["Subject"] == "Test email from the DHR Learning Repository"
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "email-tab.png"), full_page=True)
        page.close()
    finally:
        _stop(process, log)
