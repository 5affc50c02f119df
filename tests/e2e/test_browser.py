"""A coordinator completes a stage and sees the dashboard change; a partner cannot reach case records."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, choose, fill, open_tab, press, settle, sign_in

pytestmark = pytest.mark.browser


def overdue_count(page) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text="Overdue deadlines")
    return int(metric.get_by_test_id("stMetricValue").inner_text())


def test_coordinator_completes_a_stage_and_the_dashboard_changes(page, server):
    sign_in(page, server, "coordinator")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    before = overdue_count(page)

    # DHR-2026-07's decision is overdue: record it and watch it leave the list
    page.get_by_role("link", name="Review register").click()
    expect(page.get_by_role("heading", name="Review register")).to_be_visible()
    page.get_by_label("Open a review").click()
    page.get_by_role("option", name="DHR-2026-07").click()
    expect(page.get_by_role("heading", name=re.compile("DHR-2026-07"))).to_be_visible()
    page.get_by_text("Review to be held").click()
    page.get_by_role("button", name=re.compile("Complete stage: Decision")).click()
    expect(page.get_by_text("Decision whether to hold a review recorded.")).to_be_visible()
    expect(page.get_by_text("Review to be held").first).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_test_id("stMetric").first.wait_for()
    assert overdue_count(page) == before - 1


def test_the_dashboard_shows_what_needs_attention_and_draws_pauses(page, server):
    """Before the QA test below answers DHR-2025-04's areas: its late areas are listed with the
    overdue actions, and the paused review's pause is drawn on the timeline."""
    sign_in(page, server, "coordinator")
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_contain_text("QA area for development")
    expect(table).to_contain_text("Action")
    expect(page.get_by_text("The dark line across a review is a pause")).to_be_visible()
    metric = page.get_by_test_id("stMetric").filter(has_text="Reviews paused")
    assert int(metric.get_by_test_id("stMetricValue").inner_text()) >= 1
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard-attention.png"), full_page=True)


def test_chair_sees_only_assigned_reviews(page, server):
    sign_in(page, server, "chair", "reviews")
    expect(page.get_by_role("heading", name="Review register")).to_be_visible()
    expect(page.get_by_text("3 of 3 review(s)")).to_be_visible()


@pytest.mark.parametrize("path", ["review?ref=DHR-2025-11", "reviews", "dashboard", "administration"])
def test_partner_cannot_reach_case_records_even_by_url(page, server, path):
    sign_in(page, server, "partner", path)
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible()
    body = page.locator("body").inner_text()
    for secret in ("DHR-2025-11", "Rose", "Margaret Olsen"):
        assert secret not in body
    expect(page.get_by_role("heading", name="Review register")).to_have_count(0)
    # and once signed in, typing the address again reaches nothing either
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "Rose" not in page.locator("body").inner_text()


@pytest.mark.parametrize("user, role", [("board", "Board member"), ("partner", "Partner")])
@pytest.mark.parametrize("path, title", [("library", "Library documents"), ("administration", "Administration")])
def test_a_page_the_role_cannot_open_says_so_at_its_address(page, server, user, role, path, title):
    """A deep link or bookmark to a page outside the role opens the home page with a lock message naming
    the page, the role and whom to ask, as a case link does; never the home page in silence."""
    sign_in(page, server, user, path)
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible()
    refusal = page.get_by_test_id("stAlert").filter(has_text=f"{title} is not open to your role ({role})")
    expect(refusal).to_contain_text("ask the DHR coordinator")
    page.screenshot(path=str(ARTIFACTS / f"closed-{user}-{path}.png"), full_page=True)
    page.get_by_role("link", name="Themes", exact=True).click()  # said once: the next page does not carry it
    settle(page)
    expect(refusal).to_have_count(0)


def ask(page, question: str) -> None:
    """Search the library for ``question`` and wait for its results."""
    fill(page, "Question or keywords", question)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text(f"Results for “{question}”")).to_be_visible(timeout=60_000)


def test_partner_searches_lessons_with_the_real_model(page, server):
    sign_in(page, server, "partner")
    page.get_by_role("link", name="Search lessons").click()
    ask(page, "what have reviews said about GPs missing coercive control?")
    expect(page.get_by_text(re.compile(r"^2\. ")).first).to_be_visible()
    top_two = [t for t in page.locator("strong").all_inner_texts() if re.match(r"^[12]\. ", t)]
    assert "Learning brief: GPs and health services missing the signs" in " ".join(top_two), top_two
    expect(page.get_by_text(re.compile(r"uses your words: .*coercive")).first).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Home Office QA panel letter" not in body

    # meaning, not words: the brief never says "money" or "husband"
    page.get_by_text("Meaning (semantic)").click()
    ask(page, "her husband took all her money")
    expect(page.get_by_text("Executive summary: economic abuse and debt").first).to_be_visible()
    press(page, "More like this", "Passages like the one from", timeout=120_000, first=True)


def test_partner_results_read_well(page, server):
    """The issue's searches: no document floods the page, and a word nothing answers is named."""
    sign_in(page, server, "partner")
    page.get_by_role("link", name="Search lessons").click()
    ask(page, "older people abused by their family")
    expect(page.get_by_text("1. Learning brief: older people and domestic abuse by family members")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^10\. ")).first).to_be_visible()  # all ten drawn
    titles = [re.sub(r"^\d+\. ", "", t) for t in page.locator("strong").all_inner_texts() if re.match(r"^\d+\. ", t)]
    assert len(titles) == 10 and max(titles.count(t) for t in titles) <= 3, titles
    page.screenshot(path=ARTIFACTS / "search-partner-older-people.png", full_page=True)

    ask(page, "suicide after domestic abuse")
    expect(page.get_by_text("No result mentions “suicide”")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "search-partner-suicide.png", full_page=True)


def test_coordinator_sees_the_library_documents(page, server):
    sign_in(page, server, "coordinator", "library")
    expect(page.get_by_role("heading", name="Library documents")).to_be_visible()
    expect(page.get_by_text("14 document(s)", exact=True)).to_be_visible()
    expect(page.get_by_text("consistent.", exact=False)).to_be_visible()


def test_agency_lead_updates_an_action_and_its_rag_changes(page, server):
    sign_in(page, server, "agency.lead")
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    choose(page, "Action", "Stalking screening questions")
    expect(page.get_by_text("derived: Green")).to_be_visible()
    choose(page, "New status", "Blocked")
    fill(page, "What has happened", "Control room training paused by the supplier")
    fill(page, "Evidence (what shows it, where it is kept)", "Supplier email of 3 November")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Progress saved.")).to_be_visible()
    # the same action stays chosen although its label's RAG changed
    expect(page.get_by_label("Action", exact=True)).to_have_value(re.compile("Stalking screening questions"))
    expect(page.get_by_text("derived: Amber")).to_be_visible()
    # in the action's history (the table of actions may show it too, in a cell drawn when it scrolls into view)
    expect(page.locator("p").filter(has_text="Control room training paused by the supplier")).to_be_visible()
    assert "Housing" not in page.locator("[data-testid='stSelectbox']").first.inner_text()


def test_coordinator_cannot_publish_until_qa_areas_are_addressed(page, server):
    sign_in(page, server, "coordinator", "review?ref=DHR-2025-04")
    expect(page.get_by_role("heading", name=re.compile("DHR-2025-04"))).to_be_visible()
    open_tab(page, "Home Office QA")
    page.get_by_role("button", name="Resubmit to the QA panel").click()
    expect(page.get_by_text("Submission recorded.")).to_be_visible()
    open_tab(page, "Home Office QA")
    choose(page, "Outcome", "Approved subject to amendments")
    areas = [("Explain the GP's decision", "Analysis"), ("Anonymise the workplace", "Anonymisation")]
    for number, (text, theme) in enumerate([*areas, ("Align the chronology", "Chronology")], 1):
        fill(page, f"Area {number}", text)
        choose(page, f"Theme of area {number}", theme)  # starts empty: chosen, never saved by default
    press(page, "Save letter", "Letter recorded.")

    open_tab(page, "Stages")  # approval needs the QA panel's approval with every area answered
    press(page, "Complete stage: Approved for publication", "approved: not yet: area for development 1 is still open")

    open_tab(page, "Home Office QA")
    for answered in range(1, 4):
        fill(page, "Response (what changed, or why it is not accepted)", f"Changed in version 3, point {answered}")
        page.get_by_role("button", name="Record answer").click()
        # wait until the rerun has drawn this answer (an earlier confirmation may still be on screen),
        # then go back to the tab, which the rerun may have closed
        answer = page.get_by_text(re.compile(rf"\): Changed in version 3, point {answered}$"))
        expect(answer).to_have_count(1, timeout=15_000)
        open_tab(page, "Home Office QA")
        expect(answer).to_be_visible()
    expect(page.get_by_text("The latest QA outcome allows publication.")).to_be_visible(timeout=15_000)
    open_tab(page, "Stages")
    press(page, "Complete stage: Approved for publication", "Approved for publication recorded.")
    open_tab(page, "Stages")
    page.get_by_role("button", name=re.compile("Complete stage: Published")).click()
    expect(page.get_by_text("Published recorded.")).to_be_visible()
