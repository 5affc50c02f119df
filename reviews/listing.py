"""The review register as a coordinator reads it: filtered, with chairs by name and the next deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import workspace
from core.accounts import person_name
from core.db import Store
from reviews.deadlines import STATUS_LABELS, next_deadline
from reviews.qa import OUTCOMES, Submission
from reviews.records import Review
from reviews.register import review_deadlines
from reviews.stages import DECISIONS, STAGES


@dataclass(frozen=True)
class RegisterFilters:
    stages: tuple[str, ...] = ()
    review_types: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    include_closed: bool = True
    text: str = ""  # part of a reference, pseudonym, or the chair's name or user name


def people_names(store: Store) -> dict[str, str]:
    """User name -> the name people know them by (a chair, whoever recorded a stage)."""
    return {row["username"]: row["display_name"] or row["username"] for row in store.read()["users"].rows}


def register_rows(store: Store, reviews: list[Review], filters: RegisterFilters, today: date) -> list[dict]:
    """One row per review that passes the filters, in the register's order. ``reviews`` are those the
    viewer may see (``register.list_reviews``)."""
    names = people_names(store)
    settings = workspace.load(store.read())  # once, not once per review
    wanted = filters.text.strip().lower()
    rows = []
    for review in reviews:
        chair = names.get(review.chair, review.chair) if review.chair else ""
        if (
            (filters.stages and review.stage_now not in filters.stages)
            or (filters.review_types and review.review_type not in filters.review_types)
            or (filters.decisions and review.decision not in filters.decisions)
            or (not filters.include_closed and not review.is_open and not review.closed_undated)  # its date to enter
            or (
                wanted
                and wanted not in " ".join([review.reference, review.pseudonym, chair, review.chair or ""]).lower()
            )
        ):
            continue
        first = next_deadline(review_deadlines(review, store, today, settings))
        rows.append(
            {
                "Reference": review.reference,
                "Pseudonym": review.pseudonym,
                "Type": review.review_type,
                "Stage": review.stage_label,
                "Decision": DECISIONS[review.decision],
                "Chair": chair or "—",
                "Next deadline": f"{first.label}: {STATUS_LABELS[first.status]}" if first else "—",
                "Due": first.due if first else None,
            }
        )
    return rows


def stage_history(review: Review, rounds: list[Submission], names: dict[str, str] | None = None) -> list[dict]:
    """The review's stage list as its page shows it: each recorded (or unrecorded) stage, who recorded it
    (by name, from ``people_names``), with every later round of the Home Office QA (a resubmission and
    its letter) after the stage it repeats."""
    rows = []
    for stage in STAGES:
        event = review.stages.get(stage)
        if event:
            rows.append(
                {
                    "Stage": STAGES[stage],
                    "Completed": event.completed_on,
                    "Recorded by": person_name(event.recorded_by, (names or {}).get(event.recorded_by)),
                }
            )
        elif stage in review.missing_stages:
            rows.append({"Stage": STAGES[stage], "Completed": None, "Recorded by": "not recorded"})
        if stage == "qa_feedback":
            for later in rounds[1:]:
                rows.append(
                    {
                        "Stage": f"Resubmitted to the QA panel (round {later.round})",
                        "Completed": later.sent_on,
                        "Recorded by": "Home Office QA log",
                    }
                )
                if later.outcome:
                    rows.append(
                        {
                            "Stage": f"QA feedback, round {later.round}: {OUTCOMES[later.outcome].lower()}",
                            "Completed": later.letter_date,
                            "Recorded by": "Home Office QA log",
                        }
                    )
    return rows
