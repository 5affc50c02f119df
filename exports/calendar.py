"""Deadlines as an iCalendar (.ics) file that Outlook and other calendars import."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from reviews.deadlines import STATUS_LABELS, Deadline

PRODUCT_ID = "-//DHR Learning Repository//Deadlines//EN"
IN_CALENDAR = ("overdue", "due_soon", "open")


def in_calendar(deadlines: list[Deadline]) -> list[Deadline]:
    """The deadlines a calendar holds: every one still to meet that has a date (overdue ones included,
    flagged); deadlines met, paused (no date while the clock is stopped) or not applicable are left out."""
    return [d for d in deadlines if d.status in IN_CALENDAR and d.due is not None]


def deadlines_calendar(deadlines: list[Deadline], *, name: str, stamp: datetime | None = None) -> bytes:
    """One all-day event per deadline ``in_calendar``: an upcoming one with a reminder a week before, an
    overdue one on its due date, flagged "OVERDUE" and high priority, without a reminder in the past.

    Event UIDs are stable (review, deadline, agency, kind), so re-importing updates rather
    than duplicates entries (an upcoming event becomes the overdue one).
    """
    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for deadline in in_calendar(deadlines):
        calendar.add_component(_event(deadline, stamp))
    return calendar.to_ical()


def _event(deadline: Deadline, stamp: datetime) -> Event:
    key = "|".join([deadline.reference, deadline.deadline, deadline.agency or "", deadline.kind or ""])
    event = Event()
    event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:32] + "@dhr-learning-repository")
    event.add("dtstamp", stamp)
    overdue = deadline.status == "overdue"
    event.add("summary", ("OVERDUE: " if overdue else "") + f"{deadline.reference}: {deadline.label} due")
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + timedelta(days=1))
    event.add(
        "description",
        f"{deadline.label} for {deadline.reference}.\n"
        f"Status when exported: {STATUS_LABELS[deadline.status]}.\n"
        f"Rule: {deadline.rule} ({deadline.basis}; rule set {deadline.rule_set} {deadline.rule_version}).",
    )
    event.add("categories", ["DHR deadline", deadline.basis] + (["Overdue"] if overdue else []))
    event.add("transp", "TRANSPARENT")
    if overdue:
        event.add("priority", 1)
        return event
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{deadline.reference}: {deadline.label} due in 7 days")
    alarm.add("trigger", timedelta(days=-7))
    event.add_component(alarm)
    return event
