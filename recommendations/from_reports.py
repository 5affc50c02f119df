"""A report's recommendations into its review's action plan in one step: the coordinator (or the review's
chair) ticks the ones to add, edits any of them, and they are added together or not at all, so a
published review's plan no longer has to be retyped."""

from __future__ import annotations

import sqlite_utils

from core.accounts import Viewer
from core.db import Store
from core.errors import ValidationError
from indexing.access import visible_documents
from indexing.library import Library
from indexing.reading.records import recommendation_rows
from recommendations import plan, theming
from reviews.access import editable_row


def report_recommendations(store: Store, viewer: Viewer, reference: str) -> list[dict]:
    """The recommendations read from the review's own library documents, each with ``document`` (its
    source name), ``title`` (how a person knows the report: its title, else its source name), ``scope`` and
    ``target_agencies`` proposed, and ``in_plan`` when the plan already holds a recommendation with that number
    (in the report's words or the plan's own: a plan imported from a spreadsheet words them its way), or one
    with no number and that text."""
    db = store.read()
    review = editable_row(db, viewer, reference)
    held = list(db["recommendations"].rows_where("review_id = ?", [review["id"]], select="number, text"))
    numbers, texts = {r["number"] for r in held}, {" ".join(r["text"].split()) for r in held}
    found = []
    for document in _review_documents(db, viewer, review["id"]):
        for rec in recommendation_rows(db, document["id"]):
            found.append(
                rec
                | {
                    "document": document["source_name"],
                    "title": document["title"] or document["source_name"],
                    "scope": "national" if rec["national"] else "single-agency",
                    "target_agencies": rec["agencies"],
                    "in_plan": rec["number"] in numbers if rec["number"] else " ".join(rec["text"].split()) in texts,
                }
            )
    return found


def _review_documents(db: sqlite_utils.Database, viewer: Viewer, review_id: int) -> list[dict]:
    return list(
        db.query(
            f"SELECT id, source_name, title FROM documents WHERE review_id = :review AND status = 'indexed' "
            f"AND {visible_documents(viewer)} ORDER BY added_at, id",
            {"review": review_id, "viewer": viewer.username},
        )
    )


def add_to_plan(store: Store, library: Library, viewer: Viewer, reference: str, chosen: list[dict]) -> list[int]:
    """Add the chosen recommendations (``number``, ``text``, ``scope``, ``target_agencies``, as read or as
    edited) to the review's plan in one write: all are added, or none with every problem listed. Their themes
    are then suggested as an imported plan's are (recommendations/theming.py), so they count under their
    themes, not as "other"."""
    if not chosen:
        raise ValidationError("Tick at least one recommendation to add to the action plan")
    numbers = [str(item.get("number") or "").strip() for item in chosen]
    repeated = sorted({n for n in numbers if n and numbers.count(n) > 1})
    if repeated:
        raise ValidationError(f"Number: {', '.join(repeated)} is given to more than one recommendation; renumber them")
    held = {r.number for r in plan.recommendations_for(store, viewer, reference)}
    if taken := [n for n in numbers if n in held]:
        raise ValidationError(
            f"Number: the action plan of {reference} already holds recommendation(s) {', '.join(taken)}; "
            "untick them or renumber them"
        )
    with store.write(viewer.username) as tx:  # one unit: each add joins it, so a refusal adds nothing
        added = [
            plan.add_recommendation(
                store,
                viewer,
                reference,
                number=str(item.get("number") or ""),
                text=str(item.get("text") or ""),
                scope=item.get("scope") or "single-agency",
                target_agencies=list(item.get("target_agencies") or []),
            )
            for item in chosen
        ]
        theming.mark_pending(tx, ("recommendation",))  # suggested even if the process stops now
    theming.refresh(store, library, viewer, ("recommendation",))
    return added
