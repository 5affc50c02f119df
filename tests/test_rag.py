from datetime import date

import pytest

from recommendations.rag import derived_rag, effective_rag

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "status, target, expected",
    [
        ("complete", date(2026, 1, 1), "green"),  # completed (even late) is green
        ("in_progress", date(2026, 11, 22), "red"),  # past target
        ("blocked", date(2026, 11, 22), "red"),  # past target beats blocked
        ("not_started", date(2026, 11, 23), "amber"),  # target today: not yet past, within 30 days
        ("in_progress", date(2026, 11, 23), "green"),  # target today, under way
        ("not_started", date(2026, 12, 23), "amber"),  # exactly 30 days
        ("not_started", date(2026, 12, 24), "green"),  # 31 days
        ("blocked", date(2027, 6, 1), "amber"),
        ("blocked", None, "amber"),
        ("not_started", None, "green"),  # "Ongoing": no date, judged on status
        ("in_progress", date(2026, 12, 1), "green"),
    ],
)
def test_derived_rag(status, target, expected):
    assert derived_rag(status, target, TODAY) == expected


def test_override_wins_and_none_falls_back():
    assert effective_rag("in_progress", date(2026, 1, 1), TODAY, "amber") == "amber"
    assert effective_rag("in_progress", date(2026, 1, 1), TODAY, None) == "red"
