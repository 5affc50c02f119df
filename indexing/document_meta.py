"""A library document's details (kind, access level, review, CSP, year, title): what they may be and
who may add a document with them. Checked the same way for an ingest and for an edit of the record."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

import sqlite_utils

from core.accounts import Viewer
from core.errors import PermissionDenied, ValidationError

KINDS = (
    "overview report",
    "executive summary",
    "learning brief",
    "QA letter",
    "action plan",
    "national analysis",
    "strategy",
    "other",
)
ACCESS_LEVELS = ("public", "partners", "confidential")
# whose a library document is, the one rule of every figure and lesson that says "this partnership's": its own only
# when it is linked to one of its reviews (the register's) or marked with its CSP (bind ``:partnership``); any other
# (another partnership's, a national body's, or one whose CSP is not recorded) is the library's, from elsewhere
OWN_DOCUMENT = (
    "(documents.review_id IS NOT NULL OR (documents.csp != '' AND documents.csp = :partnership COLLATE NOCASE))"
)


def clean_source_name(name: str) -> str:
    """A document's name as given (a folder path kept, "briefs/2019/brief.pdf"), without drive,
    leading slash or "..", so it can never point outside the library."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("/", ".", "..") and ":" not in p]
    return "/".join(parts) or "unnamed"


def check_metadata(db: sqlite_utils.Database, meta: dict) -> dict:
    """The details checked and normalised (a review by its id); ValidationError names every problem."""
    problems = []
    kind, access = meta.get("kind", "other"), meta.get("access", "partners")
    if kind not in KINDS:
        problems.append(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if access not in ACCESS_LEVELS:
        problems.append(f"access: {access!r} is not one of {', '.join(ACCESS_LEVELS)}")
    review_id = None
    if meta.get("review"):
        rows = list(db["reviews"].rows_where("reference = ?", [str(meta["review"]).upper()]))
        if not rows:
            problems.append(f"review: no review {meta['review']!r} in the register")
        else:
            review_id = rows[0]["id"]
    if access == "confidential" and not meta.get("review"):
        problems.append("access: a confidential document must be linked to its review (--review REF)")
    year = meta.get("year")
    if year is not None and year != "":
        try:
            year = int(year)
        except (TypeError, ValueError):
            problems.append(f"year: {year!r} is not a year")
        else:
            if not 1990 <= year <= date.today().year + 1:
                problems.append(f"year: {year} is outside 1990-{date.today().year + 1}")
    else:
        year = None
    if problems:
        raise ValidationError(problems)
    return {
        "kind": kind,
        "access": access,
        "review_id": review_id,
        "csp": str(meta.get("csp") or "").strip(),
        "year": year,
        "title": str(meta.get("title") or "").strip(),
    }


def check_may_add(db: sqlite_utils.Database, viewer: Viewer, review_id: int | None) -> None:
    """The coordinator adds any document; a chair only documents of a review they chair."""
    if viewer.is_coordinator:
        return
    if viewer.role == "chair" and review_id is not None and db["reviews"].get(review_id)["chair"] == viewer.username:
        return
    raise PermissionDenied("Only the coordinator, or a review's chair for that review, can add library documents")


def as_meta(db: sqlite_utils.Database, checked: dict) -> dict:
    """Checked metadata back in the form ``update_document`` takes (a review by its reference)."""
    meta = {k: v for k, v in checked.items() if k != "review_id"}
    if "review_id" in checked:
        meta["review"] = db["reviews"].get(checked["review_id"])["reference"] if checked["review_id"] else None
    return meta
