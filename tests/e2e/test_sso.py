"""Signing in with the council's account, in Chromium, through a real OpenID provider (the npm package
oidc-provider, run by Node): a person with no role is refused and waits; once the coordinator gives them a
role they are signed in, and a reload keeps them signed in."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from playwright.sync_api import expect

from core import accounts, sso
from core.schema import open_store
from core.settings import database_path
from tests.e2e.conftest import ARTIFACTS, ROOT, _free_port, _serve, _stop

pytestmark = pytest.mark.browser
PROVIDER = ROOT / "tests" / "oidc"


def _need(found: bool, what: str) -> None:
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is missing: the test command must install it")
        pytest.skip(f"{what} is not installed")


@pytest.fixture
def provider_and_app(tmp_path):
    _need(shutil.which("node") is not None, "Node.js")
    _need((PROVIDER / "node_modules" / "oidc-provider").exists(), "the npm package oidc-provider (tests/oidc)")
    app_port, oidc_port = _free_port(), _free_port()
    log = open(tmp_path / "oidc.log", "w")
    provider = subprocess.Popen(
        ["node", "provider.mjs", str(oidc_port), f"http://127.0.0.1:{app_port}/oauth2callback"],
        cwd=PROVIDER,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while "ready" not in (tmp_path / "oidc.log").read_text():
        assert time.monotonic() < deadline and provider.poll() is None, (tmp_path / "oidc.log").read_text()
        time.sleep(0.2)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "dhr-app"\n'
        'client_secret = "dhr-test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{oidc_port}/.well-known/openid-configuration"\n'
        # Streamlit asks Entra ID and Google to let the person choose an account ("select_account");
        # this provider knows only the standard prompts
        'client_kwargs = { prompt = "login" }\n'
    )
    data = tmp_path / "data"
    store = open_store(database_path(data))
    accounts.create_first_coordinator(store, username="sam", password="lantern meadow copper")
    store.close()
    process, base, app_log = _serve(
        data, tmp_path / "streamlit.log", demo=False, port=app_port, args=("--secrets.files", str(secrets))
    )
    yield base, data
    _stop(process, app_log)
    provider.terminate()
    provider.wait(timeout=10)
    log.close()


def _sign_in_at_provider(page, login: str) -> None:
    page.get_by_role("button", name="Sign in with your council account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]")  # the provider asks once to share the claims
    if consent.count() and "Continue" in consent.first.inner_text():
        consent.first.click()


def test_a_council_account_waits_for_a_role_then_stays_signed_in(browser, provider_and_app):
    base, data = provider_and_app
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    page.goto(base)
    _sign_in_at_provider(page, "jo.bell")
    expect(page.get_by_text("has not given you a role yet")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "sso-waiting.png"), full_page=True)

    store = open_store(database_path(data))
    coordinator = accounts.get_viewer(store, "sam")
    [waiting] = sso.requests(store, coordinator)
    assert waiting["email"] == "jo.bell@council.example"
    username = sso.grant(store, coordinator, identity_key=waiting["identity"], role="partner")
    assert username == "jo.bell"
    assert store.read()["audit_log"].count_where("entity = 'sso_requests'") >= 2  # the request, and its grant
    store.close()

    page.reload()  # the first page of a cold app loads its modules: allow for it
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Signed in as Council user jo.bell")).to_be_visible()
    page.reload()  # a reload keeps the council sign-in
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    # the app ends the provider's sign-in too, and this provider asks whether to (waiting for the app's own
    # address instead passed at once, before the browser had left it)
    page.wait_for_url(lambda url: "/session/end" in url)
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("button", name="Sign in with your council account")).to_be_visible(timeout=30_000)
    page.close()
