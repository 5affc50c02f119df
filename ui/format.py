"""Small display helpers: dates and status badges as a coordinator reads them."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core.accounts import Viewer
from core.dates import long_date
from reviews.deadlines import STATUS_LABELS

STATUS_COLOURS = {
    "overdue": "red",
    "due_soon": "orange",
    "paused": "violet",
    "open": "blue",
    "met": "green",
    "met_late": "orange",
    "not_recorded": "gray",
    "not_applicable": "gray",
}


def status_badge(status: str) -> str:
    return f":{STATUS_COLOURS[status]}-badge[{STATUS_LABELS[status]}]"


def moment(stamp: str | datetime | None) -> str:
    """A recorded moment (ISO 8601 text or a datetime) as people read it: "6 December 2026, 11:55 UTC"."""
    if not stamp:
        return "never"
    when = (stamp if isinstance(stamp, datetime) else datetime.fromisoformat(str(stamp))).astimezone(UTC)
    return f"{long_date(when.date())}, {when:%H:%M} UTC"


RAG_BADGES = {"red": "Red", "amber": "Amber", "green": "Green"}
RAG_COLOURS = {"Red": "#f4b6b6", "Amber": "#fce4b0", "Green": "#c6e9c6"}


def no_reviews_hint(coordinator: bool) -> str:
    """What someone who sees no review yet can do about it, in the words of the menu."""
    if coordinator:
        return "No reviews yet: register a death (Register a death) or bring in your tracker (Import the register)."
    return (
        "No review is assigned to you yet: the coordinator names you as a review's independent chair "
        "(on the review's page, Edit details), and it appears here."
    )


def no_documents_hint(viewer: Viewer, what: str) -> str:
    """What someone who can read no library document is told: ``what`` ("themes appear") follows once the
    coordinator adds documents, in the words of the menu."""
    if viewer.is_coordinator:
        return f"No documents in the library yet: {what} once documents are added (Library documents)."
    return f"No library document you can read yet: {what} once the coordinator adds documents to the library."


def no_actions_hint(viewer: Viewer) -> str:
    """What someone who sees no action yet can do about it, in the words of the menu."""
    if viewer.role == "agency_lead":
        return (
            f"No action is assigned to {viewer.agency} yet: the coordinator records each review's action plan, "
            "and the actions your agency owns appear here."
        )
    return (
        "No actions yet: they belong to the recommendations of a review's action plan. Import a plan (Import an "
        "action plan), or add recommendations and their actions on the review's page (Recommendations tab)."
    )


def text_width(value) -> int:
    """About how many pixels a table's cell or heading takes to show ``value`` whole (its padding included)."""
    return round(7.2 * len(str(value))) + 18


def reference_widths(references, reference: int, text: int) -> tuple[int, int]:
    """The widths in pixels of a table's reference column and of the text column that gives way to it: the
    reference column shows the longest of ``references`` whole (a council's own, "BAR-DHR-24-03", is longer
    than the demo's) and is never under ``reference``; the text column, ``text`` wide beside a reference of
    that width, gives up what a longer reference takes, so the table still fits the page."""
    width = max([reference] + [text_width(value) for value in references if value])
    return width, text - (width - reference)


def fitted_widths(headings: list[str], room: int, least: int) -> list[int]:
    """The widths in pixels of a table's columns headed ``headings`` that fit ``room`` together: each as wide as its
    heading where they all fit; else the narrow ones whole and the widest cut to one width, the room they leave
    shared (never under ``least``: a heading cut short is read whole in the column's help)."""
    wanted = [max(least, text_width(heading)) for heading in headings]
    left = room
    for taken, width in enumerate(sorted(wanted)):
        share = left // (len(wanted) - taken)
        if width > share:
            return [min(w, max(least, share)) for w in wanted]
        left -= width
    return wanted


def data_table(data, **options):
    """``st.dataframe`` as every page shows one: the page's width, no index, and "—" where a value is
    missing (Streamlit's own placeholder is the word "None")."""
    return st.dataframe(data, hide_index=True, width="stretch", placeholder="—", **options)
