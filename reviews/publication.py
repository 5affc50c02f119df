"""Publishing a review: accepted publication-check findings, the web address and the online period."""

from __future__ import annotations

from datetime import date

from core.accounts import Viewer
from core.db import Store, utc_now
from core.errors import PermissionDenied, ValidationError
from reviews.access import case_row, editable_row
from reviews.calendar_math import add_months

MINIMUM_ONLINE_MONTHS = 12


def accepted(store: Store, viewer: Viewer, reference: str) -> dict[str, str]:
    """finding key -> the coordinator's reason for accepting it."""
    db = store.read()
    review = case_row(db, viewer, reference)
    return {
        r["finding_key"]: r["reason"] for r in db["publication_acceptances"].rows_where("review_id = ?", [review["id"]])
    }


def accept(store: Store, viewer: Viewer, reference: str, *, finding_key: str, reason: str) -> None:
    """The coordinator records why a finding is acceptable in the published version."""
    if not viewer.is_coordinator:
        raise PermissionDenied("Only the coordinator can accept a publication-check finding")
    if len(reason.strip()) < 5:
        raise ValidationError("reason: say why this detail may stay in the published report")
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        for old in tx.db["publication_acceptances"].rows_where(
            "review_id = ? AND finding_key = ?", [review["id"], finding_key]
        ):
            tx.delete("publication_acceptances", old["id"])
        tx.insert(
            "publication_acceptances",
            {
                "review_id": review["id"],
                "finding_key": finding_key,
                "reason": reason.strip(),
                "accepted_by": viewer.username,
                "accepted_at": utc_now(),
            },
        )


def open_findings(store: Store, viewer: Viewer, reference: str, findings: list) -> list:
    done = accepted(store, viewer, reference)
    return [f for f in findings if f.key not in done]


def record_web_address(store: Store, viewer: Viewer, reference: str, *, url: str) -> None:
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError("url: give the full web address, starting https://")
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference, coordinator_only=True)
        tx.update("reviews", review["id"], {"published_url": url})


def online_until(published_on: date | None) -> date | None:
    """The end of the minimum period the report must stay on the CSP's website."""
    return add_months(published_on, MINIMUM_ONLINE_MONTHS) if published_on else None
