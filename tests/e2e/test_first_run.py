"""A real install: started the ordinary way on an empty data directory, it offers only to create the
first coordinator; no demo workspace, no demo accounts, no published demo password."""

import pytest
from playwright.sync_api import expect

from core import accounts
from core.schema import open_store
from demo import is_demo
from tests.e2e.conftest import ARTIFACTS, open_tab

pytestmark = pytest.mark.browser


def test_first_start_creates_the_coordinator_and_no_demo(browser, fresh_server, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(fresh_server)
    expect(page.get_by_role("heading", name="Set up this workspace")).to_be_visible(timeout=60_000)  # a first start
    assert "demo-password-2026" not in page.content() and "fictional" not in page.inner_text("body").lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "first-run.png"), full_page=True)

    page.get_by_role("textbox", name="User name").fill("sam.coordinator")
    page.get_by_label("Your name").fill("Sam Patel")
    page.get_by_role("textbox", name="Password", exact=True).fill("1234567890ab")
    page.get_by_label("Repeat the password").fill("1234567890ab")
    page.get_by_role("button", name="Create the coordinator account").click()
    expect(page.get_by_text("common password")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("textbox", name="User name")).to_have_value("sam.coordinator")  # kept after the refusal

    page.get_by_role("textbox", name="Password", exact=True).fill("lantern meadow copper")
    page.get_by_label("Repeat the password").fill("lantern meadow copper")
    page.get_by_role("button", name="Create the coordinator account").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Signed in as Sam Patel")).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Administration", exact=True).click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible(timeout=30_000)
    open_tab(page, "Accounts")
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "first-run-administration.png"), full_page=True)
    context.close()

    store = open_store(tmp_path / "data" / "dhr.sqlite")
    assert [u["username"] for u in accounts.list_users(store)] == ["sam.coordinator"]
    assert not is_demo(store) and store.read()["reviews"].count == 0
    store.close()
