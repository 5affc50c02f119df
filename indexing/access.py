"""Who may read which library documents: the one rule both search indexes apply.

A document's access level is public, partners or confidential. Every signed-in role reads public and
partners-level documents; confidential ones belong to a live review and are read by the coordinator,
and by a chair for the reviews they chair. The embedded library (SQLite) and the shared repository
(PostgreSQL, which never holds a confidential document) both filter with these levels.
"""

from __future__ import annotations

import sqlite_utils

from core.accounts import Viewer
from core.errors import NotFound

SHARED_LEVELS = ("public", "partners")  # what any signed-in role reads, here and in the shared repository


def readable_levels(viewer: Viewer) -> tuple[str, ...]:
    """The access levels the viewer reads in every document (a chair's own reviews aside)."""
    return (*SHARED_LEVELS, "confidential") if viewer.is_coordinator else SHARED_LEVELS


def visible_documents(viewer: Viewer) -> str:
    """A SQL condition on the workspace's ``documents`` selecting what the viewer may see (bind ``:viewer``)."""
    levels = ", ".join(f"'{level}'" for level in readable_levels(viewer))
    condition = f"documents.access IN ({levels})"
    if viewer.role == "chair":
        return (
            f"({condition} OR (documents.access = 'confidential' AND "
            "documents.review_id IN (SELECT id FROM reviews WHERE chair = :viewer)))"
        )
    return condition


def review_shown(viewer: Viewer) -> str:
    """A SQL expression (``reviews`` joined to ``documents``; bind ``:viewer``) for the reference of the review a
    document belongs to, as the viewer may know it: a published review's, or one whose case records the viewer sees
    (the coordinator's; a chair's own); else NULL, since an unpublished review's reference is case information."""
    if viewer.is_coordinator:
        return "reviews.reference"
    own = " OR reviews.chair = :viewer" if viewer.role == "chair" else ""
    published = "EXISTS (SELECT 1 FROM stage_events WHERE stage_events.review_id = reviews.id AND stage = 'published')"
    return f"CASE WHEN {published}{own} THEN reviews.reference END"


def visible_document(db: sqlite_utils.Database, viewer: Viewer, document_id: int) -> dict:
    """One document's record, if the viewer may see it."""
    rows = list(
        db.query(
            f"SELECT * FROM documents WHERE id = :id AND {visible_documents(viewer)}",
            {"id": document_id, "viewer": viewer.username},
        )
    )
    if not rows:
        raise NotFound(f"No document {document_id} that you can see")
    return rows[0]
