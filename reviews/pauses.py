"""Pauses for parallel proceedings (a criminal trial, an inquest, ...): proposed by the chair or the
coordinator, agreed with the Home Office by the coordinator, ended, corrected or deleted.

Only an agreed pause stops the statutory clock (``reviews.deadlines.clock_pauses``). Once a pause is
agreed, only the coordinator may change its dates, end it or delete it (each change audited); the
chair may change or withdraw a pause they proposed while it waits for the coordinator."""

from __future__ import annotations

from datetime import date

from core.accounts import Viewer
from core.dates import parse_date
from core.db import Store, Transaction
from core.errors import NotFound, PermissionDenied, ValidationError, deletion_reason
from reviews.access import editable_row
from reviews.records import PauseRecord
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


AGREED_ONLY_COORDINATOR = (
    "Only the coordinator can change, end or delete a pause once it is agreed with the Home Office; ask them"
)


def state(pause: PauseRecord) -> str:
    """Whether a pause stops the clock, in the words the review page shows."""
    if pause.agreed_with_home_office:
        return "Agreed with the Home Office"
    return "Proposed, waiting for the coordinator (the clock keeps running)"


def may_change(viewer: Viewer, agreed_with_home_office: bool) -> bool:
    """Whether the viewer may change the dates of, end or delete a pause (agreed, or only proposed)."""
    return viewer.is_coordinator or not agreed_with_home_office


def _check_pause(tx: Transaction, review: dict, pause_id: int, reference: str) -> None:
    if not tx.db["pauses"].count_where("id = ? AND review_id = ?", [pause_id, review["id"]]):
        raise NotFound(f"No pause {pause_id} on {reference}")


def _changeable(tx: Transaction, viewer: Viewer, review: dict, pause_id: int, reference: str) -> None:
    """A pause the viewer may change: any pause for the coordinator, a proposed one for the chair."""
    _check_pause(tx, review, pause_id, reference)
    if not may_change(viewer, bool(tx.db["pauses"].get(pause_id)["agreed_with_home_office"])):
        raise PermissionDenied(AGREED_ONLY_COORDINATOR)


def agree_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int) -> None:
    """The coordinator records that the Home Office agreed a pause (a chair's proposal, say)."""
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        _check_pause(tx, row, pause_id, reference)
        tx.update("pauses", pause_id, {"agreed_with_home_office": 1})


def end_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int, end: date | str) -> None:
    """Record the day a pause ended (an agreed pause: the coordinator only)."""
    ends = parse_date(end, "end")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _changeable(tx, viewer, row, pause_id, reference)
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
    """Correct a pause as it was recorded (the coordinator; the review's chair while it is only
    proposed). Whether the Home Office agreed it is unchanged here."""
    if reason not in PAUSE_REASONS:
        raise ValidationError(f"reason: {reason!r} is not one of {', '.join(PAUSE_REASONS)}")
    starts, ends = parse_date(start, "start"), parse_date(end, "end", required=False)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _changeable(tx, viewer, row, pause_id, reference)
        tx.update(
            "pauses", pause_id, {"reason": reason, "details": details.strip(), "start": iso(starts), "end": iso(ends)}
        )
        check_review_dates(tx, row["id"])


def delete_pause(store: Store, viewer: Viewer, reference: str, *, pause_id: int, why: str) -> None:
    """Delete a pause recorded in error (the coordinator; the review's chair while it is only
    proposed); the audit log keeps it and the reason."""
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        _changeable(tx, viewer, row, pause_id, reference)
        tx.delete("pauses", pause_id, reason=why)
