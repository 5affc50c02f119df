"""Actions as people work through them: the Actions page's filters (overdue first) and an agency lead's
list of their agency's open actions, due soonest first, each saying what to update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from recommendations.plan import Action

WINDOWS = {"any": "Any time", "overdue": "Overdue", "30": "Next 30 days", "90": "Next 90 days"}
STALE_DAYS = 90  # an open action with no progress note for this long is asked for one


@dataclass(frozen=True)
class ActionFilters:
    agencies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    rags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()
    window: str = "any"  # a key of WINDOWS


def _overdue(action: Action, today: date) -> bool:
    return action.status != "complete" and action.target_date is not None and action.target_date < today


def filter_actions(actions: list[Action], filters: ActionFilters, today: date) -> list[Action]:
    """The actions that pass the filters: overdue first (oldest target first), then open ones by target
    date, complete ones last."""
    horizon = int(filters.window) if filters.window.isdigit() else None
    shown = [
        a
        for a in actions
        if (not filters.agencies or a.owner_agency in filters.agencies)
        and (not filters.statuses or a.status in filters.statuses)
        and (not filters.rags or a.rag(today) in filters.rags)
        and (not filters.themes or set(filters.themes) & set(a.themes))
        and (not filters.reviews or a.review in filters.reviews)
        and (filters.window != "overdue" or _overdue(a, today))
        and (horizon is None or (a.target_date and today <= a.target_date <= today + timedelta(days=horizon)))
    ]
    return sorted(
        shown, key=lambda a: (a.status == "complete", not _overdue(a, today), a.target_date or date.max, a.id)
    )


def what_to_update(action: Action, today: date) -> str:
    """What the action's owner should record next, in a sentence."""
    last = max((p.noted_on for p in action.progress), default=None)
    since = f"last update {(today - last).days} day(s) ago" if last else "no progress recorded yet"
    if action.target_date is None:
        return f"No target date: agree one with the coordinator ({since})"
    days = (action.target_date - today).days
    if days < 0:
        return f"Overdue by {-days} day(s): record progress, completion with evidence, or ask for a new date ({since})"
    if days <= 30:
        return f"Due in {days} day(s): record progress or completion with evidence ({since})"
    if last is None or (today - last).days >= STALE_DAYS:
        return f"Due in {days} day(s): add a progress note ({since})"
    return f"Due in {days} day(s): on track ({since})"


def due_soonest(actions: list[Action], today: date, limit: int = 10) -> list[dict]:
    """The open (not complete) actions, overdue and nearest target dates first, with what to update."""
    open_actions = [a for a in actions if a.status != "complete"]
    ordered = sorted(open_actions, key=lambda a: (a.target_date or date.max, a.review, a.id))[:limit]
    return [
        {
            "overdue": _overdue(a, today),
            "Review": a.review,
            "Recommendation": a.recommendation,
            "Action": a.description,
            "Target date": a.target_date,
            "What to update": what_to_update(a, today),
        }
        for a in ordered
    ]
