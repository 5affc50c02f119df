"""Pauses for parallel proceedings (a criminal trial, an inquest, ...): proposed by the chair or the
coordinator, agreed with the Home Office by the coordinator, ended, corrected or deleted."""

from __future__ import annotations

from datetime import date

from core.accounts import Viewer
from core.dates import parse_date
from core.db import Store, Transaction
from core.errors import NotFound, PermissionDenied, ValidationError, deletion_reason
from reviews.access import editable_row
from reviews.register import check_review_dates, iso

PAUSE_REASONS = {
    "criminal_trial": "Criminal trial",
    "inquest": "Inquest",
    "iopc": "IOPC investigation",
    "other_review": "Other statutory review",
    "family_request": "Family request",
    "other": "Other",
}


def add_pause(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    reason: str,
    start: date | str | None = None,
    end: date | str | None = None,
    agreed_with_home_office: bool = False,
    details: str = "",
) -> int:
    """Record a pause for parallel proceedings. A chair may propose one; only the coordinator
    records that it was agreed with the Home Office. A start of None is "not recorded" (a tracker
    that says "on hold" without saying since when), to be confirmed with ``update_pause``."""
    if agreed_with_home_office and not viewer.is_coordinator:
        raise PermissionDenied("Only the coordinator can record a pause as agreed with the Home Office")
    if reason not in PAUSE_REASONS:
        raise ValidationError(f"reason: {reason!r} is not one of {', '.join(PAUSE_REASONS)}")
    starts = parse_date(start, "start", required=False)
    ends = parse_date(end, "end", required=False)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        pause_id = tx.insert(
            "pauses",
            {
                "review_id": row["id"],
                "reason": reason,
                "details": details.strip(),
                "start": iso(starts),
                "end": iso(ends),
                "agreed_with_home_office": int(agreed_with_home_office),
            },
        )
        check_review_dates(tx, row["id"])
    return pause_id


def _check_pause(tx: Transaction, review: dict, pause_id: int, reference: str) -> None:
    if not tx.db["pauses"].count_where("id = ? AND review_id = ?", [pause_id, review["id"]]):
        raise NotFound(f"No pause {pause_id} on {reference}")


def agree_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int) -> None:
    """The coordinator records that the Home Office agreed a pause (a chair's proposal, say)."""
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        _check_pause(tx, row, pause_id, reference)
        tx.update("pauses", pause_id, {"agreed_with_home_office": 1})


def end_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int, end: date | str) -> None:
    ends = parse_date(end, "end")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _check_pause(tx, row, pause_id, reference)
        tx.update("pauses", pause_id, {"end": iso(ends)})
        check_review_dates(tx, row["id"])


def update_pause(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    pause_id: int,
    reason: str,
    start: date | str,
    end: date | str | None = None,
    details: str = "",
) -> None:
    """Correct a pause as it was recorded (the coordinator, or the review's chair). Whether the Home
    Office agreed it is unchanged here."""
    if reason not in PAUSE_REASONS:
        raise ValidationError(f"reason: {reason!r} is not one of {', '.join(PAUSE_REASONS)}")
    starts, ends = parse_date(start, "start"), parse_date(end, "end", required=False)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _check_pause(tx, row, pause_id, reference)
        tx.update(
            "pauses", pause_id, {"reason": reason, "details": details.strip(), "start": iso(starts), "end": iso(ends)}
        )
        check_review_dates(tx, row["id"])


def delete_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int, why: str) -> None:
    """Delete a pause recorded in error (the coordinator, or the review's chair); the audit log keeps
    it and the reason."""
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _check_pause(tx, row, pause_id, reference)
        tx.delete("pauses", pause_id, reason=why)
