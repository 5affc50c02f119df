"""Home Office quality-assurance rounds: submissions, the panel's letters, areas for development.

A review may be published only when its latest letter says approved, or approved subject to
amendments with every area for development answered (addressed, or not accepted with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from core.accounts import Viewer, person_name
from core.dates import parse_date
from core.db import Store
from core.errors import NotFound, ValidationError
from reviews.access import case_row, editable_row
from reviews.records import review_from_row

OUTCOMES = {
    "approved": "Approved",
    "approved_subject_to_amendments": "Approved subject to amendments",
    "resubmit": "Resubmit",
}
AREA_THEMES = {
    "family_involvement": "Family involvement",
    "equality_diversity": "Equality and diversity",
    "analysis": "Analysis rather than description",
    "recommendations": "Recommendations not SMART or not linked to findings",
    "action_plan": "Action plan",
    "terms_of_reference": "Terms of reference or scope",
    "chronology": "Chronology",
    "executive_summary": "Executive summary inconsistent with overview report",
    "anonymisation": "Anonymisation",
    "abuse_type": "Coercive control or other abuse type not explored",
    "other": "Other",
}
AREA_STATUSES = {"open": "Open", "addressed": "Addressed", "not_accepted": "Not accepted (with reason)"}


@dataclass
class Area:
    id: int
    number: int
    text: str
    theme: str
    status: str
    response: str
    answered_by: str | None
    answered_on: date | None
    answered_by_name: str = ""  # the person, as people know them


@dataclass
class Submission:
    id: int
    round: int
    sent_on: date
    panel_date: date | None
    letter_date: date | None
    outcome: str | None
    letter_document_id: int | None
    notes: str
    areas: list[Area] = field(default_factory=list)
    answer_by: date | None = None  # when the letter asks the areas for development to be answered

    @property
    def open_areas(self) -> list[Area]:
        return [a for a in self.areas if a.status == "open"]


def _load(db: sqlite_utils.Database, review_id: int) -> list[Submission]:
    found = []
    for row in db["qa_submissions"].rows_where("review_id = ?", [review_id], order_by="round"):
        areas = [
            Area(
                a["id"],
                a["number"],
                a["text"],
                a["theme"],
                a["status"],
                a["response"],
                a["answered_by"],
                parse_date(a["answered_on"], "answered_on", required=False),
                person_name(a["answered_by"], a["display_name"]),
            )
            for a in db.query(
                "SELECT qa_areas.*, users.display_name FROM qa_areas LEFT JOIN users ON users.username = answered_by "
                "WHERE submission_id = ? ORDER BY number",
                [row["id"]],
            )
        ]
        found.append(
            Submission(
                row["id"],
                row["round"],
                date.fromisoformat(row["sent_on"]),
                parse_date(row["panel_date"], "panel_date", required=False),
                parse_date(row["letter_date"], "letter_date", required=False),
                row["outcome"],
                row["letter_document_id"],
                row["notes"],
                areas,
                parse_date(row["answer_by"], "answer_by", required=False),
            )
        )
    return found


def submissions(store: Store, viewer: Viewer, reference: str) -> list[Submission]:
    db = store.read()
    return _load(db, case_row(db, viewer, reference)["id"])


def publication_blockers(db: sqlite_utils.Database, review_id: int) -> list[str]:
    """Why the review cannot be published yet; empty when the latest QA outcome allows it."""
    rounds = _load(db, review_id)
    if not rounds:
        return ["the review has not been submitted to the Home Office QA panel"]
    latest = rounds[-1]
    if latest.outcome is None:
        return [f"round {latest.round}: the QA panel's letter has not been recorded yet"]
    if latest.outcome == "resubmit":
        return [f"round {latest.round}: the QA panel asked for the report to be revised and resubmitted"]
    if latest.outcome == "approved_subject_to_amendments":
        return [f"area for development {a.number} is still open: {a.text[:90]}" for a in latest.open_areas]
    return []


def publication_status(store: Store, viewer: Viewer, reference: str) -> list[str]:
    """``publication_blockers`` for a review the viewer may see."""
    db = store.read()
    return publication_blockers(db, case_row(db, viewer, reference)["id"])


def record_submission(
    store: Store, viewer: Viewer, reference: str, *, sent_on: date | str, notes: str = "", today: date | None = None
) -> int:
    """A new round: the report sent to the QA panel. A further round needs the last letter to say resubmit."""
    sent = parse_date(sent_on, "sent_on")
    if sent > (today or date.today()):
        raise ValidationError(f"sent_on: {sent} is in the future")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)  # the CSP submits, not the chair
        rounds = _load(tx.db, row["id"])
        if rounds:
            latest = rounds[-1]
            if latest.outcome is None:
                raise ValidationError(f"sent_on: round {latest.round} is still waiting for the panel's letter")
            if latest.outcome != "resubmit":
                raise ValidationError(
                    f"sent_on: round {latest.round} was {OUTCOMES[latest.outcome].lower()}; no resubmission is needed"
                )
            if latest.letter_date and sent < latest.letter_date:
                raise ValidationError(f"sent_on: {sent} is before the last letter ({latest.letter_date})")
        submission_id = tx.insert(
            "qa_submissions",
            {"review_id": row["id"], "round": len(rounds) + 1, "sent_on": sent.isoformat(), "notes": notes.strip()},
        )
        if not rounds:  # the first submission is the review's "submitted to the Home Office" stage
            _complete_stage_with(tx, row, "qa_submission", sent)
        return submission_id


def _complete_stage_with(tx, row: dict, stage: str, on: date) -> None:
    """Complete ``stage`` with the QA record's date when it is the review's next stage, so the stage list
    and the QA log say the same thing; a stage already recorded (or not yet reached) is left alone."""
    from reviews.register import check_review_dates, insert_stage_event  # it imports this module

    if review_from_row(tx.db, row).next_stage == stage:
        insert_stage_event(tx, row["id"], stage, on)
        check_review_dates(tx, row["id"])


def check_stage_by_hand(tx, review_id: int, stage: str, on: date) -> None:
    """A QA stage completed on the review's stage list rather than through the QA log, kept to what the
    log says: the submission starts the log's first round (or must carry the date the log has); the
    panel's feedback needs its letter recorded in the log; approval needs an approving outcome with every
    area for development answered."""
    rounds = _load(tx.db, review_id)
    first = rounds[0] if rounds else None
    if stage == "qa_submission":
        if first is None:
            tx.insert("qa_submissions", {"review_id": review_id, "round": 1, "sent_on": on.isoformat()})
        elif first.sent_on != on:
            raise ValidationError(
                f"completed_on: the QA log says the report was sent on {first.sent_on}; "
                "correct the QA log or use the same date"
            )
    elif stage == "qa_feedback":
        if first is None or first.outcome is None:
            raise ValidationError(
                "qa_feedback: record the panel's letter in the QA log (Home Office QA tab); saving it completes "
                "this stage"
            )
        if first.letter_date != on:
            raise ValidationError(
                f"completed_on: the QA log says the panel's letter is dated {first.letter_date}; use the same date"
            )
    elif stage == "approved":
        blockers = publication_blockers(tx.db, review_id)
        if blockers:
            raise ValidationError([f"approved: not yet: {b}" for b in blockers])


def _submission_row(db: sqlite_utils.Database, review_id: int, submission_id: int) -> dict:
    rows = list(db["qa_submissions"].rows_where("id = ? AND review_id = ?", [submission_id, review_id]))
    if not rows:
        raise NotFound(f"No QA submission {submission_id} on this review")
    return rows[0]


def record_letter(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    submission_id: int,
    outcome: str,
    letter_date: date | str,
    panel_date: date | str | None = None,
    areas: list[tuple[str, str]] = (),
    letter_document_id: int | None = None,
    answer_by: date | str | None = None,
) -> None:
    """The panel's letter: its outcome, its numbered areas for development (text, theme) and the date
    it asks them to be answered by, if it sets one."""
    if outcome not in OUTCOMES:
        raise ValidationError(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    letter = parse_date(letter_date, "letter_date")
    panel = parse_date(panel_date, "panel_date", required=False)
    answer = parse_date(answer_by, "answer_by", required=False)
    problems = []
    if answer and not areas:
        problems.append("answer_by: the letter lists no areas for development to answer")
    if answer and answer < letter:
        problems.append(f"answer_by: {answer} is before the letter ({letter})")
    for i, (text, theme) in enumerate(areas, start=1):
        if not text.strip():
            problems.append(f"areas[{i}].text: empty")
        if theme is None:
            problems.append(f"areas[{i}].theme: choose the theme of area {i}")
        elif theme not in AREA_THEMES:
            problems.append(f"areas[{i}].theme: {theme!r} is not one of {', '.join(AREA_THEMES)}")
    if problems:
        raise ValidationError(problems)
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)  # the letter comes to the CSP
        submission = _submission_row(tx.db, row["id"], submission_id)
        sent = date.fromisoformat(submission["sent_on"])
        if submission["outcome"]:
            raise ValidationError(f"outcome: the letter for round {submission['round']} is already recorded")
        if panel and panel < sent:
            raise ValidationError(f"panel_date: {panel} is before the report was sent ({sent})")
        if letter < (panel or sent):
            event = "panel met" if panel else "report was sent"
            raise ValidationError(f"letter_date: {letter} is before the {event}")
        if outcome == "approved_subject_to_amendments" and not areas:
            raise ValidationError("areas: list the amendments the panel asked for")
        tx.update(
            "qa_submissions",
            submission_id,
            {
                "outcome": outcome,
                "letter_date": letter.isoformat(),
                "panel_date": panel.isoformat() if panel else None,
                "letter_document_id": letter_document_id,
                "answer_by": answer.isoformat() if answer else None,
            },
        )
        for number, (text, theme) in enumerate(areas, start=1):
            tx.insert(
                "qa_areas", {"submission_id": submission_id, "number": number, "text": text.strip(), "theme": theme}
            )
        if submission["round"] == 1:  # the first letter is the review's "QA feedback received" stage
            _complete_stage_with(tx, row, "qa_feedback", letter)


def answer_area(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    area_id: int,
    status: str,
    response: str,
    answered_on: date | str | None = None,
) -> None:
    """Record how the partnership answered an area: addressed, or not accepted with the reason."""
    if status not in AREA_STATUSES:
        raise ValidationError(f"status: {status!r} is not one of {', '.join(AREA_STATUSES)}")
    if status != "open" and not response.strip():
        raise ValidationError("response: say what was changed, or why the point is not accepted")
    answered = parse_date(answered_on, "answered_on", required=False) or date.today()
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        found = list(
            tx.db.query(
                "SELECT qa_areas.id FROM qa_areas JOIN qa_submissions ON qa_submissions.id = qa_areas.submission_id "
                "WHERE qa_areas.id = ? AND qa_submissions.review_id = ?",
                [area_id, row["id"]],
            )
        )
        if not found:
            raise NotFound(f"No area for development {area_id} on {reference}")
        tx.update(
            "qa_areas",
            area_id,
            {
                "status": status,
                "response": response.strip(),
                "answered_by": viewer.username if status != "open" else None,
                "answered_on": answered.isoformat() if status != "open" else None,
            },
        )
