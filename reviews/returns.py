"""Agency returns (IMRs, chronologies, summary reports): requested with a due date from the rule set,
chased, received, corrected or deleted."""

from __future__ import annotations

from datetime import date

from core.accounts import Viewer
from core.agencies import check_agencies
from core.dates import parse_date, uk_date
from core.db import Store, Transaction
from core.errors import NotFound, ValidationError, deletion_reason
from reviews.access import editable_row
from reviews.register import check_review_dates, iso
from reviews.rules import load_rule_set

RETURN_KINDS = ("IMR", "chronology", "summary report")


def _refuse_duplicate(tx: Transaction, review: dict, agency: str, kind: str, *, other_than: int | None = None) -> None:
    """One request per agency and kind of return on a review, so its chasers are never sent twice."""
    found = list(
        tx.db["agency_returns"].rows_where(
            "review_id = ? AND agency = ? AND kind = ? AND id IS NOT ?", [review["id"], agency, kind, other_than]
        )
    )
    if found:
        raise ValidationError(
            f"{agency} was already asked for the {kind} of {review['reference']} on "
            f"{uk_date(date.fromisoformat(found[0]['requested']))}: record a chase on that request, or correct it"
        )


def request_return(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    agency: str,
    kind: str,
    requested: date | str,
    due: date | str | None = None,
) -> int:
    """Record a request to an agency. Without ``due``, the rule set's period sets it."""
    if kind not in RETURN_KINDS:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(RETURN_KINDS)}")
    asked = parse_date(requested, "requested")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        check_agencies(tx.db, [agency], "agency")
        _refuse_duplicate(tx, row, agency, kind)
        rule_set = load_rule_set(tx.db, row["rule_set"], row["rule_set_version"])
        due_date = parse_date(due, "due", required=False) or rule_set.return_due(asked)
        return_id = tx.insert(
            "agency_returns",
            {"review_id": row["id"], "agency": agency, "kind": kind, "requested": iso(asked), "due": iso(due_date)},
        )
        check_review_dates(tx, row["id"])
    return return_id


def _return_row(tx: Transaction, viewer: Viewer, reference: str, return_id: int) -> dict:
    row = editable_row(tx.db, viewer, reference)
    rows = list(tx.db["agency_returns"].rows_where("id = ? AND review_id = ?", [return_id, row["id"]]))
    if not rows:
        raise NotFound(f"No agency return {return_id} on {reference}")
    return rows[0]


def record_return_received(
    store: Store, viewer: Viewer, reference: str, *, return_id: int, received: date | str
) -> None:
    got = parse_date(received, "received")
    with store.write(viewer.username) as tx:
        ret = _return_row(tx, viewer, reference, return_id)
        tx.update("agency_returns", return_id, {"received": iso(got)})
        check_review_dates(tx, ret["review_id"])


def record_chase(
    store: Store, viewer: Viewer, reference: str, *, return_id: int, chased_on: date | str, note: str = ""
) -> None:
    chased = parse_date(chased_on, "chased_on")
    with store.write(viewer.username) as tx:
        ret = _return_row(tx, viewer, reference, return_id)
        if ret["received"]:
            raise ValidationError(f"chased_on: this return was already received on {ret['received']}")
        tx.insert("return_chases", {"return_id": return_id, "chased_on": iso(chased), "note": note.strip()})
        check_review_dates(tx, ret["review_id"])


def update_return(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    return_id: int,
    agency: str,
    kind: str,
    requested: date | str,
    due: date | str,
    received: date | str | None = None,
) -> None:
    """Correct an agency return as it was recorded (the coordinator, or the review's chair)."""
    if kind not in RETURN_KINDS:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(RETURN_KINDS)}")
    asked, due_on = parse_date(requested, "requested"), parse_date(due, "due")
    got = parse_date(received, "received", required=False)
    if due_on < asked:
        raise ValidationError(f"due: {due_on} is before the request on {asked}")
    with store.write(viewer.username) as tx:
        ret = _return_row(tx, viewer, reference, return_id)
        check_agencies(tx.db, [agency], "agency")
        _refuse_duplicate(tx, editable_row(tx.db, viewer, reference), agency, kind, other_than=return_id)
        tx.update(
            "agency_returns",
            return_id,
            {"agency": agency, "kind": kind, "requested": iso(asked), "due": iso(due_on), "received": iso(got)},
        )
        check_review_dates(tx, ret["review_id"])


def delete_return(store: Store, viewer: Viewer, reference: str, *, return_id: int, why: str) -> None:
    """Delete a return requested in error, with its chases (the coordinator, or the review's chair);
    the audit log keeps them and the reason."""
    why = deletion_reason(why)
    with store.write(viewer.username) as tx:
        _return_row(tx, viewer, reference, return_id)
        for chase in list(tx.db["return_chases"].rows_where("return_id = ?", [return_id])):
            tx.delete("return_chases", chase["id"], reason=why)
        tx.delete("agency_returns", return_id, reason=why)
