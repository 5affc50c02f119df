"""Everyday use in Chromium on the demo: one truth per review, honest lists, and home pages that fit
each role."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, open_tab, press, register_review, settle, sign_in, upload

pytestmark = pytest.mark.browser


def test_a_chair_named_at_registration_is_appointed_when_the_home_office_is_told(page, server):
    register_review(page, server, "DHR-2026-31", "Nell", chair="Dr Morgan Ellis")
    expect(page.get_by_text("Next stage: Terms of reference agreed / first panel")).to_be_visible()
    stages = page.get_by_test_id("stDataFrame").first
    expect(stages).to_contain_text("Independent chair appointed")


def test_a_failed_upload_is_listed_apart_and_never_offered_as_evidence(page, server, tmp_path):
    sign_in(page, server, "coordinator", "library")
    documents = page.get_by_text(re.compile(r"^\d+ document\(s\)$"))
    expect(documents).to_be_visible()
    count = documents.inner_text()
    broken = Path(tmp_path) / "scanned-letter-from-the-home-office-quality-assurance-panel.pdf"  # shown shortened
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")
    upload(page, broken)
    press(page, "Add to the library", f"{broken.name}: not added.")
    expect(page.get_by_text("1 upload(s) that failed")).to_be_visible()
    expect(page.get_by_text(count, exact=True)).to_be_visible()  # not counted as a document
    page.get_by_role("link", name="Actions").click()
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    box = page.get_by_label("Evidence document in the library (optional)")
    box.click()
    expect(page.get_by_role("option").first).to_be_visible()
    assert "scan.pdf" not in " ".join(page.get_by_role("option").all_inner_texts())


def test_an_agency_lead_lands_on_what_to_update(page, server):
    sign_in(page, server, "agency.lead")
    expect(page.get_by_role("heading", name="Due soonest: what to update")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^(Overdue by|Due in) \d+ day\(s\): ")).first).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "agency-lead-home.png"), full_page=True)


@pytest.mark.parametrize("who", ["partner", "board"])
def test_partners_and_board_members_land_on_headline_figures_and_latest_lessons(page, server, who):
    sign_in(page, server, who)
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible()
    for figure in (
        "Reviews in progress",
        "Published, not yet closed",
        "Reviews published",
        "Recommendations made",
        "Actions complete",
    ):
        expect(page.get_by_test_id("stMetric").filter(has_text=figure)).to_have_count(1)
    expect(page.get_by_role("heading", name="Latest lessons")).to_be_visible()
    expect(page.get_by_text(re.compile("^Learning brief")).first).to_be_visible()
    expect(page.get_by_role("heading", name="Themes that recur most")).to_be_visible()
    # reviews are counted through the register; the demo's briefs of other partnerships' reviews are documents
    expect(page.get_by_text("A published review of another partnership counts as a document.")).to_be_visible()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{who}.png"), full_page=True)


def test_the_review_calendar_holds_its_deadlines_still_to_meet(page, server):
    sign_in(page, server, "coordinator", "review?ref=DHR-2026-02")
    open_tab(page, "Deadlines")
    button = page.get_by_role("button", name=re.compile(r"This review's \d+ deadline\(s\) still to meet"))
    with page.expect_download() as download:
        button.click()
    text = Path(download.value.path()).read_text()
    assert "OVERDUE: DHR-2026-02: IMR from Mental Health Trust due" in text  # flagged, not left out
    assert "DHR-2026-02: chronology from Housing due" in text
    assert "DHR-2026-07" not in text and "DHR-2025" not in text  # no other review's deadline


@pytest.mark.parametrize("who", ["coordinator", "chair", "agency.lead", "partner", "board"])
def test_every_page_of_each_role_draws_in_words(page, server, who):
    """Each page in the role's navigation opens with its own heading and shows no error, no raw field
    name; a screenshot of each is kept to be looked at."""
    sign_in(page, server, who)
    links = page.get_by_test_id("stSidebarNavLink")
    expect(links.first).to_be_visible()  # the sidebar's sign-out button can be drawn before its links
    settle(page)
    targets = [
        (links.nth(i).get_attribute("href"), links.nth(i).inner_text().splitlines()[-1]) for i in range(links.count())
    ]
    assert len(targets) >= 5
    for href, name in targets:
        page.locator(f'[data-testid="stSidebarNavLink"][href="{href}"]').click()
        expect(page).to_have_url(re.compile(re.escape(urlparse(href).path.rstrip("/")) + r"/?(\?.*)?$"))
        settle(page)
        expect(page.locator("[data-stale='true']")).to_have_count(0)
        heading = page.locator('[data-testid="stMain"] h1').first
        expect(heading).to_be_visible()
        expect(heading).not_to_have_text("DHR Learning Repository")  # the sign-in page's
        main = page.get_by_test_id("stMain").inner_text()
        for raw in ("Traceback", "on_time", "_label", "source_name", "added_at"):
            assert raw not in main, f"{who} · {name}: {raw!r} on the page"
        lines = [line.strip() for line in main.splitlines()]
        assert not [line for line in lines if line == "None" or line.endswith(": None")], f"{who} · {name}"
        page.screenshot(path=str(ARTIFACTS / f"pages-{who}-{name.replace(' ', '-').lower()}.png"), full_page=True)


def test_the_first_paint_after_a_start_shows_no_file_names(browser, fresh_server):
    """Streamlit would draw the page files' names ("import plan", "new review") in the sidebar while the
    first run after a start loads; ui.serve starts the app without that list."""
    page = browser.new_page()
    page.goto(fresh_server, wait_until="commit")
    seen = set()
    for _ in range(80):  # four seconds, every 50 ms
        seen.add(page.evaluate("() => document.querySelector('[data-testid=stSidebar]')?.innerText ?? ''"))
        page.wait_for_timeout(50)
    # the first run after a start may take longer than four seconds on a busy machine: what matters is what it drew
    expect(page.get_by_role("button", name="Create the coordinator account")).to_be_visible(timeout=60_000)
    raw = [text for text in seen if "import plan" in text or "new review" in text]
    assert not raw, raw
    page.close()
