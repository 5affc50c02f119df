"""A coordinator completes a stage and sees the dashboard change; a partner cannot reach case records."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

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


def test_chair_sees_only_assigned_reviews(page, server):
    sign_in(page, server, "chair", "reviews")
    expect(page.get_by_role("heading", name="Review register")).to_be_visible()
    expect(page.get_by_text("3 of 3 review(s)")).to_be_visible()


@pytest.mark.parametrize("path", ["review?ref=DHR-2025-11", "reviews", "dashboard", "administration"])
def test_partner_cannot_reach_case_records_even_by_url(page, server, path):
    sign_in(page, server, "partner", path)
    expect(page.get_by_role("heading", name="Partnership overview")).to_be_visible()
    body = page.locator("body").inner_text()
    for secret in ("DHR-2025-11", "Rose", "Margaret Olsen", "Review register"):
        assert secret not in body
    # and once signed in, typing the address again reaches nothing either
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "Rose" not in page.locator("body").inner_text()
