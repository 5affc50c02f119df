"""RAG status of an action, derived from its dates and status unless an officer overrides it."""

from __future__ import annotations

from datetime import date

RAGS = ("red", "amber", "green")
AMBER_WINDOW_DAYS = 30


def derived_rag(status: str, target_date: date | None, today: date) -> str:
    """complete = green; past target and not complete = red; blocked, or not started with the
    target within 30 days = amber; otherwise green. An action with no target date (kept as text
    such as "Ongoing") is judged on its status alone."""
    if status == "complete":
        return "green"
    if target_date is not None and today > target_date:
        return "red"
    if status == "blocked":
        return "amber"
    if target_date is not None and status == "not_started" and (target_date - today).days <= AMBER_WINDOW_DAYS:
        return "amber"
    return "green"


def effective_rag(status: str, target_date: date | None, today: date, override: str | None) -> str:
    """The RAG shown: an officer's override, else the derived one. A complete action is never Red (a Red
    override set before it was completed no longer applies)."""
    if override == "red" and status == "complete":
        override = None
    return override or derived_rag(status, target_date, today)
