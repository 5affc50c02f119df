"""Who may see and change a review's case records. Every domain module that reads case data uses this."""

from __future__ import annotations

import sqlite_utils

from core.accounts import ROLES, Viewer
from core.errors import NotFound, PermissionDenied

CASE_RECORDS_ONLY = "Case records are visible only to the coordinator and each review's chair"


def may_see(viewer: Viewer, review_row: dict) -> bool:
    return viewer.is_coordinator or (viewer.role == "chair" and review_row["chair"] == viewer.username)


def case_row(db: sqlite_utils.Database, viewer: Viewer, reference: str) -> dict:
    """The review's row if the viewer may see it. A chair is not told whether other reviews exist."""
    if not viewer.sees_case_records:
        raise PermissionDenied(CASE_RECORDS_ONLY)
    rows = list(db["reviews"].rows_where("reference = ?", [reference]))
    if not rows or not may_see(viewer, rows[0]):
        raise NotFound(f"No review {reference!r} that you can see")
    return rows[0]


def editable_row(db: sqlite_utils.Database, viewer: Viewer, reference: str, *, coordinator_only: bool = False) -> dict:
    row = case_row(db, viewer, reference)
    if coordinator_only and not viewer.is_coordinator:
        raise PermissionDenied("Only the coordinator can do this")
    return row


def why_not_open(viewer: Viewer, reference: str) -> str:
    """What to tell someone whose link names a review they cannot open: why, in words, never whether
    it exists (a chair is not told about other reviews)."""
    if not viewer.sees_case_records:
        return (
            f"That link is to a review's case records. {CASE_RECORDS_ONLY}; your role sees the partnership's "
            "overview, figures, search and themes."
        )
    return f"{reference} is not a review you can open: a chair sees only the reviews they chair. Choose one of yours."


def why_page_closed(viewer: Viewer, title: str, reference: str | None = None) -> str:
    """What to tell someone whose link or bookmark names a page their role cannot open: which page, that
    their role cannot open it, and whom to ask. A link to a review's case records says why, as above."""
    if reference and not viewer.sees_case_records:
        return why_not_open(viewer, reference)
    return (
        f"{title} is not open to your role ({ROLES[viewer.role]}), so your home page opened instead. "
        "If you need it, ask the DHR coordinator: they set each account's role."
    )
