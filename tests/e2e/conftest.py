"""Browser tests: the real app served by streamlit, driven in Debian's headless Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
APP_WAIT = 120_000
"""How long (ms) a test waits for something the app does: a first paint, a rerun after a click or an upload, a
download. Each wait ends as soon as its condition holds, so the limit costs nothing on a quiet machine; a
loaded one (a CI runner beside other jobs) took longer than Playwright's 5 s for an assertion."""
LOST_AFTER = 30_000  # an uploaded file not shown by then was lost with a redrawn uploader (it is given again)
START_S = 180  # how long a server may take to answer its health check (its first start imports the app)
expect.set_options(timeout=APP_WAIT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: the test command must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _serve(data_dir: Path, log_path: Path, *, demo: bool, env: dict | None = None, port: int | None = None, args=()):
    """Start the app on a loopback port (free, unless given; with ``env`` added to its environment and
    ``args`` to streamlit's); returns (process, base URL, log file)."""
    port = port or _free_port()
    env = os.environ | {"DHR_DATA_DIR": str(data_dir), "DHR_DEMO": "1" if demo else ""} | (env or {})
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.serve",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + log_path.read_text()[-2000:])
    return process, base, log


def _stop(process, log) -> None:
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A fresh demo workspace served on a free loopback port for the whole run; yields the base URL."""
    tmp_path = tmp_path_factory.mktemp("e2e")
    process, base, log = _serve(tmp_path / "data", tmp_path / "streamlit.log", demo=True)
    yield base
    _stop(process, log)


@pytest.fixture
def fresh_server(tmp_path):
    """The app started the ordinary way (no DHR_DEMO) on an empty data directory."""
    process, base, log = _serve(tmp_path / "data", tmp_path / "streamlit.log", demo=False)
    yield base
    _stop(process, log)


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(APP_WAIT)
    # Streamlit learns the page list from the first script run of a fresh server, and until
    # then answers a deep link with "Page not found"; open the app once, as its first user would.
    tab.goto(server)
    tab.get_by_role("button", name="Sign in").wait_for(timeout=180_000)  # the first start indexes the demo library
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def sign_in(page, base: str, username: str, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def create_first_coordinator(page, base: str, username: str, name: str, password: str) -> None:
    """On an empty workspace, create the first coordinator account as a council's first user does."""
    page.goto(base)
    page.get_by_role("textbox", name="User name").fill(username)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create the coordinator account").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def go_to(page, name: str) -> None:
    """Open a page from the sidebar's navigation: the dashboard's set-up checklist may show a link of the same name,
    and whether it has been drawn yet when the click comes is a race."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name, exact=True).click()


def settle(page) -> None:
    """Wait until Streamlit has finished the rerun in progress (its status widget is gone)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def fill(page, label: str, text: str) -> None:
    """Type into a field and make sure it kept the text: a rerun that redraws the form (after a
    choice or an expander opening) can wipe what was typed just before it, so type it again."""
    for _ in range(3):
        settle(page)
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_count(1)  # let a rerun's fading copy go first
        field.fill(text)
        page.wait_for_timeout(300)
        settle(page)
        expect(field).to_have_count(1)  # and again after the rerun the typing may have caused
        if field.input_value() == text:
            return
    expect(field).to_have_value(text)


def open_expander(page, label: str, shows: str) -> None:
    """Open an expander and wait for a text inside it: a click that lands while the page reruns is lost (the
    expander is drawn again closed), so click once more while the text is not shown."""
    inside = page.get_by_text(shows)
    for _ in range(3):
        settle(page)
        if inside.first.is_visible():
            return
        page.get_by_text(label).first.click()
        try:
            expect(inside.first).to_be_visible(timeout=LOST_AFTER)
            return
        except AssertionError:
            continue
    expect(inside.first).to_be_visible(timeout=1_000)


def open_tab(page, name: str) -> None:
    tab = page.get_by_role("tab", name=name)
    expect(tab).to_have_count(1)  # a rerun briefly shows the old page beside the new one
    tab.click()


def choose(page, label: str, option: str) -> None:
    """Pick from a Streamlit selectbox the way a keyboard user does: type to filter, then Enter."""
    box = page.get_by_label(label, exact=True)
    expect(box).to_have_count(1)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.wait_for()
    box.press("Enter")
    box.blur()  # the choice's rerun runs now, not in the middle of the next step
    settle(page)


def upload(page, path: Path, *, index: int = 0) -> None:
    """Give a file to the page's index-th uploader and wait until the uploader shows it (a long name is shown
    shortened, "eastma...ness-1.docx", with the whole name as its title); a file given while the page reruns is
    lost with the old uploader, so it is given again."""
    for _ in range(3):
        settle(page)
        field = page.get_by_test_id("stFileUploaderDropzoneInput").nth(index)
        field.set_input_files([])  # so that giving the same file again is a change
        field.set_input_files(str(path))
        try:
            shown = page.get_by_title(path.name, exact=True).or_(page.get_by_text(path.name, exact=True))
            expect(shown.first).to_be_visible(timeout=LOST_AFTER)
            settle(page)  # a rerun already under way (the page just opened) redraws the uploader empty
            expect(shown.first).to_be_visible(timeout=LOST_AFTER)
            return
        except AssertionError:
            continue
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload-refused.png"), full_page=True)
    raise AssertionError(f"the page did not take {path.name}")


def upload_until(page, path: Path, shows: str) -> None:
    """Upload a file and wait for what its reading shows: a rerun can still redraw the uploader empty after it
    showed the file, so the file is given again while that text is not shown."""
    for _ in range(3):
        upload(page, path)
        try:
            expect(page.get_by_text(shows).first).to_be_visible(timeout=2 * LOST_AFTER)
            return
        except AssertionError:
            continue
    expect(page.get_by_text(shows).first).to_be_visible(timeout=1_000)


def press(page, button: str, confirmation: str, *, timeout: int = APP_WAIT, first: bool = False) -> None:
    """Click a form's button and wait for its confirmation. A click that lands while a rerun redraws
    the form is lost (the page settles with nothing saved and no message): click once more then. Each
    click waits the whole ``timeout``: a second click while a slow save still runs would save twice."""
    for _ in range(2):
        settle(page)
        target = page.get_by_role("button", name=button)
        (target.first if first else target).click()
        try:
            expect(page.get_by_text(confirmation).first).to_be_visible(timeout=timeout)
            return
        except AssertionError:
            settle(page)
            # refused: a message in the page says why (the sidebar's demo notice is not one): do not click again
            if page.get_by_role("main").get_by_role("alert").count():
                break
    expect(page.get_by_text(confirmation).first).to_be_visible(timeout=1_000)


def register_review(page, base: str, reference: str, pseudonym: str, *, chair: str | None = None) -> None:
    """As the coordinator, register a review on the New review page (the demo's partnership, a chair if
    named) and decide to hold it, through to the Home Office told of the decision."""
    sign_in(page, base, "coordinator", "new-review")
    fill(page, "Reference", reference)
    fill(page, "Victim pseudonym", pseudonym)
    fill(page, "Community Safety Partnership", "Northvale Community Safety Partnership")
    if chair:
        choose(page, "Independent chair", chair)
    press(page, "Register", f"{reference} registered")
    expect(page.get_by_role("heading", name=re.compile(re.escape(reference)))).to_be_visible()
    page.get_by_text("Review to be held").click()
    for stage in ("Decision whether to hold a review", "Home Office notified of the decision"):
        press(page, f"Complete stage: {stage}", f"{stage} recorded.")
