"""Recommendations and their actions across every review: progress, evidence, sign-off, RAG.

Who may do what is decided here: the coordinator everything; a review's chair the
recommendations and actions of that review; an agency lead only the actions their agency owns
(progress, evidence, status, RAG override) and nothing else; partners and board members see
figures only (see ``recommendations.figures``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from core.accounts import Viewer, person_name
from core.agencies import check_agencies
from core.dates import parse_date
from core.db import Store
from core.errors import NotFound, PermissionDenied, ValidationError
from indexing.access import visible_documents
from indexing.themes import group_labels
from recommendations.rag import RAGS, derived_rag, effective_rag
from reviews.access import case_row, editable_row

SCOPES = ("single-agency", "multi-agency", "national", "CSP")
STATUSES = {"not_started": "Not started", "in_progress": "In progress", "complete": "Complete", "blocked": "Blocked"}


@dataclass
class Progress:
    id: int
    noted_on: date
    author: str
    note: str
    evidence: str
    author_name: str = ""  # the person, as people know them


@dataclass
class Action:
    id: int
    review: str
    recommendation_id: int
    recommendation: str
    recommendation_text: str
    themes: list[str]
    description: str
    owner_agency: str
    partner_agencies: list[str]
    lead_officer: str
    target_date: date | None
    target_text: str
    status: str
    completed_on: date | None
    evidence: str
    signed_off_by: str | None
    signed_off_on: date | None
    rag_override: str | None
    rag_override_reason: str
    progress: list[Progress] = field(default_factory=list)
    expected_outcome: str = ""  # what the plan says the action should achieve
    success_measure: str = ""  # how the plan says success is measured (never evidence of delivery)

    def derived_rag(self, today: date) -> str:
        return derived_rag(self.status, self.target_date, today)

    def rag(self, today: date) -> str:
        return effective_rag(self.status, self.target_date, today, self.rag_override)

    def completed_late(self) -> bool:
        return bool(self.completed_on and self.target_date and self.completed_on > self.target_date)

    def as_json(self, today: date) -> dict:
        return {
            "id": self.id,
            "review": self.review,
            "recommendation": self.recommendation,
            "action": self.description,
            "owner_agency": self.owner_agency,
            "partner_agencies": self.partner_agencies,
            "lead_officer": self.lead_officer,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "target_text": self.target_text,
            "expected_outcome": self.expected_outcome,
            "success_measure": self.success_measure,
            "status": self.status,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "rag": self.rag(today),
            "rag_overridden": self.rag_override is not None,
            "rag_override_reason": self.rag_override_reason,
            "signed_off_by": self.signed_off_by,
        }


@dataclass
class Recommendation:
    id: int
    review: str
    number: str
    text: str
    scope: str
    target_agencies: list[str]
    themes: list[str]
    finding: str
    actions: list[Action] = field(default_factory=list)


ACTION_SQL = """
    SELECT actions.*, recommendations.number AS recommendation, recommendations.text AS recommendation_text,
           recommendations.themes, reviews.reference AS review, reviews.chair AS review_chair
    FROM actions
    JOIN recommendations ON recommendations.id = actions.recommendation_id
    JOIN reviews ON reviews.id = recommendations.review_id
"""


def action_from_row(db: sqlite_utils.Database, row: dict) -> Action:
    return Action(
        id=row["id"],
        review=row["review"],
        recommendation_id=row["recommendation_id"],
        recommendation=row["recommendation"],
        recommendation_text=row["recommendation_text"],
        themes=json.loads(row["themes"]),
        description=row["description"],
        owner_agency=row["owner_agency"],
        partner_agencies=[
            p["agency"] for p in db["action_partners"].rows_where("action_id = ?", [row["id"]], order_by="agency")
        ],
        lead_officer=row["lead_officer"],
        target_date=parse_date(row["target_date"], "target_date", required=False),
        target_text=row["target_text"],
        status=row["status"],
        completed_on=parse_date(row["completed_on"], "completed_on", required=False),
        evidence=row["evidence"],
        signed_off_by=row["signed_off_by"],
        signed_off_on=parse_date(row["signed_off_on"], "signed_off_on", required=False),
        rag_override=row["rag_override"],
        rag_override_reason=row["rag_override_reason"],
        expected_outcome=row["expected_outcome"],
        success_measure=row["success_measure"],
        progress=[
            Progress(
                p["id"],
                date.fromisoformat(p["noted_on"]),
                p["author"],
                p["note"],
                p["evidence"],
                person_name(p["author"], p["display_name"]),
            )
            for p in db.query(
                "SELECT action_progress.*, users.display_name FROM action_progress "
                "LEFT JOIN users ON users.username = author WHERE action_id = ? ORDER BY noted_on, action_progress.id",
                [row["id"]],
            )
        ],
    )


def _visible(viewer: Viewer, row: dict) -> bool:
    if viewer.is_coordinator:
        return True
    if viewer.role == "chair":
        return row["review_chair"] == viewer.username
    if viewer.role == "agency_lead":
        return row["owner_agency"] == viewer.agency
    return False


def list_actions(store: Store, viewer: Viewer) -> list[Action]:
    """Every action the viewer may see: all (coordinator), their reviews' (chair), their agency's (agency lead)."""
    if viewer.role not in ("coordinator", "chair", "agency_lead"):
        raise PermissionDenied("Action plans by name are for the coordinator, chairs and agency leads; see the figures")
    db = store.read()
    rows = db.query(ACTION_SQL + " ORDER BY reviews.reference, recommendations.id, actions.id")
    return [action_from_row(db, row) for row in rows if _visible(viewer, row)]


def recommendations_for(store: Store, viewer: Viewer, reference: str) -> list[Recommendation]:
    db = store.read()
    review = case_row(db, viewer, reference)
    actions = {}
    for row in db.query(ACTION_SQL + " WHERE reviews.id = ? ORDER BY actions.id", [review["id"]]):
        actions.setdefault(row["recommendation_id"], []).append(action_from_row(db, row))
    return [
        Recommendation(
            r["id"],
            reference,
            r["number"],
            r["text"],
            r["scope"],
            json.loads(r["target_agencies"]),
            json.loads(r["themes"]),
            r["finding"],
            actions.get(r["id"], []),
        )
        for r in db["recommendations"].rows_where("review_id = ?", [review["id"]], order_by="id")
    ]


def theme_labels(db: sqlite_utils.Database | None) -> dict[str, str]:
    """The recommendation themes (the Home Office's eight, and any a partnership added): key -> label."""
    return group_labels(db, "recommendation")


def check_recommendation(db, scope: str, themes: list[str], agencies: list[str]) -> None:
    problems = []
    if scope not in SCOPES:
        problems.append(f"scope: {scope!r} is not one of {', '.join(SCOPES)}")
    known = theme_labels(db)
    unknown = [t for t in themes if t not in known]
    if unknown:
        problems.append(f"themes: {', '.join(unknown)} not in {', '.join(known)}")
    if problems:
        raise ValidationError(problems)
    check_agencies(db, agencies, "target_agencies")


def next_number(recommendations: list[Recommendation]) -> str:
    """The number offered for a recommendation added by hand: one after the highest whole number the plan holds
    (a plan imported with recommendations 1-5 and 10 offers 11, never 7, which its report's list may still bring),
    or one after how many there are where none is a whole number ("1.1", "R2")."""
    whole = [int(r.number) for r in recommendations if r.number.strip().isdigit()]
    return str(max(whole, default=len(recommendations)) + 1)


def add_recommendation(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    number: str,
    text: str,
    scope: str,
    target_agencies: list[str] = (),
    themes: list[str] = (),
    finding: str = "",
) -> int:
    if not text.strip() or not str(number).strip():
        raise ValidationError("number and text: both are needed")
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        check_recommendation(tx.db, scope, list(themes), list(target_agencies))
        if tx.db["recommendations"].count_where("review_id = ? AND number = ?", [review["id"], str(number).strip()]):
            raise ValidationError(f"number: recommendation {number} already exists on {reference}")
        return tx.insert(
            "recommendations",
            {
                "review_id": review["id"],
                "number": str(number).strip(),
                "text": text.strip(),
                "scope": scope,
                "target_agencies": json.dumps(list(target_agencies)),
                "themes": json.dumps(list(themes)),
                "finding": finding.strip(),
            },
        )


def action_values(db, *, owner_agency: str, target_date, target_text: str, status: str) -> dict:
    if status not in STATUSES:
        raise ValidationError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    check_agencies(db, [owner_agency], "owner_agency")
    target = parse_date(target_date, "target_date", required=False)
    return {
        "owner_agency": owner_agency,
        "target_date": target.isoformat() if target else None,
        "target_text": (target_text or "").strip(),
        "status": status,
    }


def checked_partners(db: sqlite_utils.Database, owner_agency: str, partner_agencies: list[str]) -> list[str]:
    """An action's partner agencies: each once, never the owner, every one on the workspace's list."""
    partners = [a for a in dict.fromkeys(partner_agencies) if a != owner_agency]
    check_agencies(db, partners, "partner_agencies")
    return partners


def add_action(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    recommendation_id: int,
    description: str,
    owner_agency: str,
    partner_agencies: list[str] = (),
    lead_officer: str = "",
    target_date: date | str | None = None,
    target_text: str = "",
    status: str = "not_started",
    completed_on: date | str | None = None,
    expected_outcome: str = "",
    success_measure: str = "",
) -> int:
    """Add an action. One added as complete (an imported plan's) keeps the completion date given, or
    none ("not recorded"): never the day it was added, which would count an old action as completed late now."""
    if not description.strip():
        raise ValidationError("description: say what will be done")
    completed = parse_date(completed_on, "completed_on", required=False) if status == "complete" else None
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        if not tx.db["recommendations"].count_where("id = ? AND review_id = ?", [recommendation_id, review["id"]]):
            raise NotFound(f"No recommendation {recommendation_id} on {reference}")
        values = action_values(
            tx.db, owner_agency=owner_agency, target_date=target_date, target_text=target_text, status=status
        )
        partners = checked_partners(tx.db, owner_agency, partner_agencies)
        action_id = tx.insert(
            "actions",
            {
                "recommendation_id": recommendation_id,
                "description": description.strip(),
                "lead_officer": lead_officer.strip(),
                "completed_on": completed.isoformat() if completed else None,
                "expected_outcome": expected_outcome.strip(),
                "success_measure": success_measure.strip(),
                **values,
            },
        )
        for agency in partners:
            tx.insert("action_partners", {"action_id": action_id, "agency": agency})
        return action_id


def editable_action(db: sqlite_utils.Database, viewer: Viewer, action_id: int) -> dict:
    rows = list(db.query(ACTION_SQL + " WHERE actions.id = ?", [action_id]))
    if not rows or not _visible(viewer, rows[0]):
        raise NotFound(f"No action {action_id} that you can update")
    return rows[0]


def update_action(
    store: Store,
    viewer: Viewer,
    action_id: int,
    *,
    status: str | None = None,
    note: str = "",
    evidence: str = "",
    noted_on: date | str | None = None,
    completed_on: date | str | None = None,
    today: date | None = None,
    evidence_document_id: int | None = None,
    why_no_evidence: str = "",
) -> None:
    """Progress on an action: a dated note with its author, evidence (text and/or a library document
    the viewer can see), and a change of status. An agency lead can update only their own agency's actions.

    Nothing typed and the status unchanged records nothing (a ValidationError says what to do).
    Complete needs evidence (recorded now or before) or ``why_no_evidence``, the stated reason there is
    none, as signing it off implies; completing clears an officer's RAG override, which was set for the
    action as it stood before."""
    today = today or date.today()
    noted = parse_date(noted_on, "noted_on", required=False) or today
    if noted > today:
        raise ValidationError(f"noted_on: {noted} is in the future")
    with store.write(viewer.username) as tx:
        row = editable_action(tx.db, viewer, action_id)
        if status == row["status"]:
            status = None
        if not note.strip() and not evidence.strip() and status is None and evidence_document_id is None:
            raise ValidationError("Nothing to save: write what has happened, add evidence or change the status")
        changes: dict = {}
        if status is not None:
            if status not in STATUSES:
                raise ValidationError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
            changes["status"] = status
            done = parse_date(completed_on, "completed_on", required=False) or noted
            changes["completed_on"] = done.isoformat() if status == "complete" else None
            if status == "complete":
                evidence_before = row["evidence"] or row["evidence_document_id"]
                if not (evidence.strip() or evidence_document_id or evidence_before or why_no_evidence.strip()):
                    raise ValidationError(
                        "Evidence: to mark the action complete, add the evidence that shows it was done "
                        "(or a library document), or say why there is none"
                    )
                changes |= {"rag_override": None, "rag_override_reason": ""}
            else:
                changes |= {"signed_off_by": None, "signed_off_on": None}
        if evidence.strip():
            changes["evidence"] = "\n".join(filter(None, [row["evidence"], evidence.strip()]))
        if evidence_document_id is not None:
            _check_document(tx.db, viewer, evidence_document_id)
            changes["evidence_document_id"] = evidence_document_id
        if changes:
            tx.update("actions", action_id, changes)
        tx.insert(
            "action_progress",
            {
                "action_id": action_id,
                "noted_on": noted.isoformat(),
                "author": viewer.display_name or viewer.username,
                "note": _progress_note(note, status, why_no_evidence),
                "evidence": evidence.strip(),
                "evidence_document_id": evidence_document_id,
            },
        )


def _progress_note(note: str, status: str | None, why_no_evidence: str) -> str:
    """The note a progress entry keeps: what was written, or the change of status, and the stated reason
    an action was completed without evidence."""
    text = note.strip() or f"Status changed to {STATUSES.get(status, status).lower()}"
    if status == "complete" and why_no_evidence.strip():
        text += f" (completed without evidence: {why_no_evidence.strip()})"
    return text


def _check_document(db: sqlite_utils.Database, viewer: Viewer, document_id: int) -> None:
    condition = visible_documents(viewer)
    found = db.execute(
        f"SELECT count(*) FROM documents WHERE id = :id AND status = 'indexed' AND {condition}",
        {"id": document_id, "viewer": viewer.username},
    ).fetchone()[0]
    if not found:  # a failed upload, or one still being read, is not evidence
        raise ValidationError(f"evidence_document_id: no document {document_id} in the library that you can see")


def override_rag(store: Store, viewer: Viewer, action_id: int, *, rag: str | None, reason: str = "") -> None:
    """Set (or with ``rag=None`` clear) an officer's RAG override. A reason is required and kept."""
    if rag is not None and rag not in RAGS:
        raise ValidationError(f"rag: {rag!r} is not one of {', '.join(RAGS)}")
    if rag is not None and not reason.strip():
        raise ValidationError("reason: say why the RAG differs from what the dates and status show")
    with store.write(viewer.username) as tx:
        row = editable_action(tx.db, viewer, action_id)
        if row["status"] == "complete" and rag == "red":
            raise ValidationError("RAG: a complete action cannot be Red; change its status first if it is not done")
        tx.update("actions", action_id, {"rag_override": rag, "rag_override_reason": reason.strip() if rag else ""})


def sign_off(store: Store, viewer: Viewer, action_id: int, *, on: date | None = None) -> None:
    """The coordinator (or the review's chair) signs off a completed action."""
    if viewer.role not in ("coordinator", "chair"):
        raise PermissionDenied("Actions are signed off by the coordinator or the review's chair")
    with store.write(viewer.username) as tx:
        row = editable_action(tx.db, viewer, action_id)
        if row["status"] != "complete":
            raise ValidationError("status: only a complete action can be signed off")
        tx.update(
            "actions",
            action_id,
            {
                "signed_off_by": viewer.display_name or viewer.username,
                "signed_off_on": (on or date.today()).isoformat(),
            },
        )
