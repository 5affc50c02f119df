"""Deadlines as an iCalendar (.ics) file that Outlook and other calendars import."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from reviews.deadlines import STATUS_LABELS, Deadline

PRODUCT_ID = "-//DHR Learning Repository//Deadlines//EN"
UPCOMING = ("open", "due_soon")


def deadlines_calendar(deadlines: list[Deadline], *, name: str, stamp: datetime | None = None) -> bytes:
    """One all-day event per upcoming deadline (open or due soon), each with a reminder a week before.

    Deadlines already met, overdue, paused (no date while the clock is stopped) or not
    applicable are left out.

    Event UIDs are stable (review, deadline, agency, kind), so re-importing updates rather
    than duplicates entries.
    """
    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for deadline in deadlines:
        if deadline.status not in UPCOMING or deadline.due is None:
            continue
        calendar.add_component(_event(deadline, stamp))
    return calendar.to_ical()


def _event(deadline: Deadline, stamp: datetime) -> Event:
    key = "|".join([deadline.reference, deadline.deadline, deadline.agency or "", deadline.kind or ""])
    event = Event()
    event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:32] + "@dhr-learning-repository")
    event.add("dtstamp", stamp)
    event.add("summary", f"{deadline.reference}: {deadline.label} due")
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + timedelta(days=1))
    event.add(
        "description",
        f"{deadline.label} for {deadline.reference}.\n"
        f"Status when exported: {STATUS_LABELS[deadline.status]}.\n"
        f"Rule: {deadline.rule} ({deadline.basis}; rule set {deadline.rule_set} {deadline.rule_version}).",
    )
    event.add("categories", ["DHR deadline", deadline.basis])
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{deadline.reference}: {deadline.label} due in 7 days")
    alarm.add("trigger", timedelta(days=-7))
    event.add_component(alarm)
    return event
