"""Correcting what was recorded wrongly: recommendations, actions and progress notes edited or
deleted. Deleting asks for a reason; the audit log keeps every deleted row and the reason.

Who may: a recommendation or an action, those who record them (the coordinator, the review's
chair); a progress note, anyone who may update its action (so an agency lead corrects their own
agency's notes).
"""

from __future__ import annotations

import json
from datetime import date

from core.accounts import Viewer
from core.db import Store, Transaction
from core.errors import NotFound, PermissionDenied, ValidationError, deletion_reason
from recommendations.plan import SCOPES, action_values, check_recommendation, checked_partners, editable_action
from reviews.access import editable_row


def _recommendation_row(tx: Transaction, viewer: Viewer, recommendation_id: int) -> dict:
    rows = list(
        tx.db.query(
            "SELECT recommendations.*, reviews.reference FROM recommendations "
            "JOIN reviews ON reviews.id = recommendations.review_id WHERE recommendations.id = ?",
            [recommendation_id],
        )
    )
    if not rows:
        raise NotFound(f"No recommendation {recommendation_id}")
    editable_row(tx.db, viewer, rows[0]["reference"])  # the coordinator, or that review's chair
    return rows[0]


def _action_row(tx: Transaction, viewer: Viewer, action_id: int) -> dict:
    """An action its review's coordinator or chair may correct (agency leads update progress only)."""
    if viewer.role not in ("coordinator", "chair"):
        raise PermissionDenied("Actions are corrected by the coordinator or the review's chair")
    return editable_action(tx.db, viewer, action_id)


def update_recommendation(
    store: Store, viewer: Viewer, recommendation_id: int, *, number: str, text: str, scope: str
) -> None:
    if not str(number).strip() or not text.strip():
        raise ValidationError("number and text: both are needed")
    if scope not in SCOPES:
        raise ValidationError(f"scope: {scope!r} is not one of {', '.join(SCOPES)}")
    with store.write(viewer.username) as tx:
        row = _recommendation_row(tx, viewer, recommendation_id)
        number = str(number).strip()
        clash = tx.db["recommendations"].count_where(
            "review_id = ? AND number = ? AND id != ?", [row["review_id"], number, recommendation_id]
        )
        if clash:
            raise ValidationError(f"number: recommendation {number} already exists on {row['reference']}")
        check_recommendation(tx.db, scope, json.loads(row["themes"]), json.loads(row["target_agencies"]))
        tx.update("recommendations", recommendation_id, {"number": number, "text": text.strip(), "scope": scope})


def _delete_action(tx: Transaction, action_id: int, why: str) -> None:
    for note in list(tx.db["action_progress"].rows_where("action_id = ?", [action_id])):
        tx.delete("action_progress", note["id"], reason=why)
    for partner in list(tx.db["action_partners"].rows_where("action_id = ?", [action_id])):
        tx.delete("action_partners", (action_id, partner["agency"]), reason=why)
    tx.db.execute("DELETE FROM item_themes WHERE target = 'action' AND target_id = ?", [action_id])  # derived
    tx.delete("actions", action_id, reason=why)


def delete_recommendation(store: Store, viewer: Viewer, recommendation_id: int, *, why: str) -> None:
    """Delete a recommendation recorded in error, with its actions and their progress notes."""
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        _recommendation_row(tx, viewer, recommendation_id)
        for action in list(tx.db["actions"].rows_where("recommendation_id = ?", [recommendation_id])):
            _delete_action(tx, action["id"], why)
        tx.db.execute("DELETE FROM item_themes WHERE target = 'recommendation' AND target_id = ?", [recommendation_id])
        tx.delete("recommendations", recommendation_id, reason=why)


def correct_action(
    store: Store,
    viewer: Viewer,
    action_id: int,
    *,
    description: str,
    owner_agency: str,
    partner_agencies: list[str] = (),
    lead_officer: str = "",
    target_date: date | str | None = None,
    target_text: str = "",
) -> None:
    """Correct what an action says, who owns it and when it is due (its status and progress are
    updated as progress, not corrected here)."""
    if not description.strip():
        raise ValidationError("description: say what will be done")
    with store.write(viewer.username) as tx:
        row = _action_row(tx, viewer, action_id)
        values = action_values(
            tx.db, owner_agency=owner_agency, target_date=target_date, target_text=target_text, status=row["status"]
        )
        partners = checked_partners(tx.db, owner_agency, partner_agencies)
        tx.update(
            "actions",
            action_id,
            {"description": description.strip(), "lead_officer": lead_officer.strip(), **values},
        )
        current = {r["agency"] for r in tx.db["action_partners"].rows_where("action_id = ?", [action_id])}
        for agency in current - set(partners):
            tx.delete("action_partners", (action_id, agency))
        for agency in [a for a in partners if a not in current]:
            tx.insert("action_partners", {"action_id": action_id, "agency": agency})


def delete_action(store: Store, viewer: Viewer, action_id: int, *, why: str) -> None:
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        _action_row(tx, viewer, action_id)
        _delete_action(tx, action_id, why)


def _progress_row(tx: Transaction, viewer: Viewer, progress_id: int) -> dict:
    if viewer.role not in ("coordinator", "chair", "agency_lead"):
        raise PermissionDenied("Progress notes are corrected by those who write them")
    rows = list(tx.db["action_progress"].rows_where("id = ?", [progress_id]))
    if not rows:
        raise NotFound(f"No progress note {progress_id}")
    editable_action(tx.db, viewer, rows[0]["action_id"])  # whoever may update the action
    return rows[0]


def _restate_evidence(tx: Transaction, removed: dict, reason: str | None = None) -> None:
    """The action's evidence as its progress notes now give it, after ``removed`` (a note as it was
    before being corrected or deleted) changed: the notes' evidence in order, and the latest note's
    document where the removed note's document was the action's."""
    action_id = removed["action_id"]
    notes = list(tx.db["action_progress"].rows_where("action_id = ?", [action_id], order_by="noted_on, id"))
    changes: dict = {"evidence": "\n".join(n["evidence"] for n in notes if n["evidence"])}
    action = tx.db["actions"].get(action_id)
    if removed["evidence_document_id"] and removed["evidence_document_id"] == action["evidence_document_id"]:
        documents = [n["evidence_document_id"] for n in notes if n["evidence_document_id"]]
        changes["evidence_document_id"] = documents[-1] if documents else None
    tx.update("actions", action_id, changes, reason=reason)


def correct_progress(store: Store, viewer: Viewer, progress_id: int, *, note: str, evidence: str = "") -> None:
    """Correct a progress note's words and evidence; the action's evidence follows."""
    if not note.strip():
        raise ValidationError("note: write what happened")
    with store.write(viewer.username) as tx:
        row = _progress_row(tx, viewer, progress_id)
        tx.update("action_progress", progress_id, {"note": note.strip(), "evidence": evidence.strip()})
        _restate_evidence(tx, row | {"evidence_document_id": None})


def delete_progress(store: Store, viewer: Viewer, progress_id: int, *, why: str) -> None:
    """Delete a progress note written in error; its evidence leaves the action (and its exports)."""
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        row = _progress_row(tx, viewer, progress_id)
        tx.delete("action_progress", progress_id, reason=why)
        _restate_evidence(tx, row, reason=why)
