"""What needs attention on the dashboard: the reviews' own items (``reviews.attention``) and every action
past its target date that is not complete, of the reviews the viewer can see."""

from __future__ import annotations

from datetime import date

from core.accounts import Viewer
from core.db import Store
from recommendations.plan import list_actions
from reviews.attention import Attention, by_priority, review_attention
from reviews.deadlines import Deadline
from reviews.records import Review


def needs_attention(
    store: Store, viewer: Viewer, reviews: list[Review], deadlines: list[Deadline], today: date
) -> list[Attention]:
    """The reviews' deadlines, late QA areas and pauses to confirm, and their overdue actions the viewer
    may see; overdue first, oldest first."""
    visible = {r.reference for r in reviews}
    overdue = [
        Attention(
            action.review,
            "action",
            f"{action.recommendation}: {action.description}",
            action.target_date,
            "overdue",
            action.owner_agency,
        )
        for action in list_actions(store, viewer)
        if action.review in visible
        and action.status != "complete"
        and action.target_date
        and action.target_date < today
    ]
    return by_priority(review_attention(reviews, deadlines, store, today) + overdue)
