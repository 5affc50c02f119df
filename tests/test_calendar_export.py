"""The .ics export parses back, holds the deadlines still to meet (overdue ones flagged) and keeps stable UIDs."""

from datetime import date

from icalendar import Calendar

from exports.calendar import deadlines_calendar
from reviews.deadlines import Deadline


def make(status: str, due: date | None, deadline: str = "decision", reference: str = "DHR-2026-01") -> Deadline:
    return Deadline(
        reference,
        deadline,
        "Decision whether to hold a review",
        due,
        status,
        "HO-2016",
        "2016-12",
        "statutory",
        "Within one calendar month",
    )


def test_deadlines_still_to_meet_become_events_overdue_ones_flagged():
    deadlines = [
        make("due_soon", date(2026, 12, 3)),
        make("open", date(2027, 2, 5), deadline="completion"),
        make("overdue", date(2026, 11, 1), reference="DHR-2026-02"),
        make("met", date(2026, 5, 1), reference="DHR-2026-03"),
        make("paused", None, reference="DHR-2026-04"),
    ]
    calendar = Calendar.from_ical(deadlines_calendar(deadlines, name="Test"))
    events = calendar.walk("VEVENT")
    assert [e["SUMMARY"] for e in events] == [
        "DHR-2026-01: Decision whether to hold a review due",
        "DHR-2026-01: Decision whether to hold a review due",
        "OVERDUE: DHR-2026-02: Decision whether to hold a review due",
    ]
    assert events[2]["PRIORITY"] == 1 and not events[2].walk("VALARM")  # no reminder set in the past
    assert "Overdue" in events[2]["CATEGORIES"].to_ical().decode()
    assert events[0].decoded("DTSTART") == date(2026, 12, 3)
    assert events[0].decoded("DTEND") == date(2026, 12, 4)
    assert "statutory" in str(events[0]["DESCRIPTION"])
    assert events[0].walk("VALARM")
    assert calendar["X-WR-CALNAME"] == "Test"


def test_uids_are_stable_and_distinct():
    first = Calendar.from_ical(deadlines_calendar([make("open", date(2027, 1, 1))], name="A"))
    second = Calendar.from_ical(deadlines_calendar([make("open", date(2027, 1, 8))], name="A"))
    other = Calendar.from_ical(deadlines_calendar([make("open", date(2027, 1, 1), deadline="completion")], name="A"))
    uid = lambda c: str(c.walk("VEVENT")[0]["UID"])  # noqa: E731
    assert uid(first) == uid(second) != uid(other)
