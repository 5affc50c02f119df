"""Fictional QA letters, recommendations and actions for the demo reviews, dated relative to the build day."""

from __future__ import annotations

from datetime import date, timedelta

from core.accounts import Viewer
from core.db import Store
from recommendations import plan
from reviews import qa, register

SYSTEM = Viewer("system:demo", "coordinator", "Demo builder")
# what a person wrote (answers to the QA panel, progress notes, sign-offs) is the demo coordinator's
COORDINATOR = Viewer("coordinator", "coordinator", "Sam Okafor")

RECOMMENDATIONS = {
    "DHR-2024-09": [
        (
            "1",
            "All GP practices to adopt routine enquiry about domestic abuse and a coded record alert.",
            "multi-agency",
            ["Integrated Care Board (GP services)"],
            ["identification_of_risk", "record_keeping"],
            "Alex saw her GP 11 times in a year; abuse was never asked about.",
            [
                (
                    "Deliver domestic abuse training to every practice",
                    "Integrated Care Board (GP services)",
                    "Dr Owen Marsh",
                    -200,
                    "complete",
                    [(-260, "Sessions booked with 34 practices"), (-205, "All practices trained")],
                    "Attendance register, 34 practices",
                ),
                (
                    "Introduce a coded alert for disclosures",
                    "Integrated Care Board (GP services)",
                    "Dr Owen Marsh",
                    -20,
                    "in_progress",
                    [(-60, "Code agreed with the records team; rollout delayed by system upgrade")],
                    "",
                ),
            ],
        ),
        (
            "2",
            "Police to link repeat reports from the same victim so that stalking is recognised.",
            "single-agency",
            ["Police"],
            ["technology_systems", "identification_of_risk"],
            "23 reports were handled separately.",
            [
                (
                    "Configure repeat-victim flag in the crime system",
                    "Police",
                    "DI Sara Kent",
                    25,
                    "not_started",
                    [],
                    "",
                ),
                (
                    "Stalking screening questions for call handlers",
                    "Police",
                    "Insp. Lee Hartley",
                    70,
                    "in_progress",
                    [(-10, "Question set drafted and shared with the control room")],
                    "",
                ),
            ],
        ),
        (
            "3",
            "Housing providers to train repairs staff to recognise and refer domestic abuse.",
            "multi-agency",
            ["Housing"],
            ["training", "awareness_raising"],
            "Repairs to a damaged door were made four times.",
            [
                (
                    "Training for repairs contractors",
                    "Housing",
                    "Mark Olu",
                    120,
                    "blocked",
                    [(-15, "Contractor framework under re-tender; training cannot be scheduled")],
                    "",
                ),
            ],
        ),
    ],
    "DHR-2025-04": [
        (
            "1",
            "Substance misuse and mental health services to agree a joint protocol for co-occurring needs.",
            "multi-agency",
            ["Substance Misuse Service", "Mental Health Trust"],
            ["policy", "multi_agency_working"],
            "Joan was turned away by each service in turn.",
            [
                (
                    "Draft and sign the dual-diagnosis protocol",
                    "Mental Health Trust",
                    "Dr Ana Lima",
                    60,
                    "in_progress",
                    [(-30, "First draft circulated to both services")],
                    "",
                ),
                (
                    "Check for domestic abuse before discharge for non-attendance",
                    "Substance Misuse Service",
                    "Kay Burt",
                    -5,
                    "in_progress",
                    [(-40, "Discharge checklist revised; awaiting governance approval")],
                    "",
                ),
            ],
        ),
    ],
}

QA_AREAS = [
    ("The analysis describes events but does not explain why agencies acted as they did.", "analysis"),
    ("Coercive and controlling behaviour is mentioned but not explored.", "abuse_type"),
    ("Recommendations are not SMART and several are not linked to findings.", "recommendations"),
    ("The executive summary gives a different date for the first police contact.", "executive_summary"),
    ("The report does not describe how the family were involved.", "family_involvement"),
]

# (area index, status, response, answered days before the build day)
QA_ANSWERS = [
    (0, "addressed", "Analysis chapter rewritten around the six key decision points.", -30),
    (3, "addressed", "Dates reconciled against the police chronology.", -28),
    (
        4,
        "not_accepted",
        "The family asked not to take part; the report records their wishes and the approaches made.",
        -25,
    ),
]


def _qa_round(store: Store, reference: str, stages: dict[str, date], today: date, **letter) -> None:
    """A QA submission and the panel's letter, on the dates the review's stage list has (one truth)."""
    submission = qa.record_submission(store, SYSTEM, reference, sent_on=stages["qa_submission"], today=today)
    qa.record_letter(store, SYSTEM, reference, submission_id=submission, letter_date=stages["qa_feedback"], **letter)


def build_demo_plans(store: Store, today: date | None = None) -> None:
    today = today or date.today()
    day = lambda offset: today + timedelta(days=offset)  # noqa: E731
    sent = {ref: register.get_review(store, SYSTEM, ref).stage_dates for ref in ("DHR-2025-04", "DHR-2024-09")}
    # DHR-2025-04: sent to the QA panel, asked to resubmit, areas being answered and two past their date
    _qa_round(
        store,
        "DHR-2025-04",
        sent["DHR-2025-04"],
        today,
        outcome="resubmit",
        panel_date=sent["DHR-2025-04"]["qa_feedback"] - timedelta(days=14),
        answer_by=day(-10),
        areas=QA_AREAS,
    )
    areas = qa.submissions(store, SYSTEM, "DHR-2025-04")[0].areas
    for index, status, response, answered in QA_ANSWERS:
        qa.answer_area(
            store,
            COORDINATOR,
            "DHR-2025-04",
            area_id=areas[index].id,
            status=status,
            response=response,
            answered_on=day(answered),
        )
    # DHR-2024-09: approved at the first round and published
    _qa_round(store, "DHR-2024-09", sent["DHR-2024-09"], today, outcome="approved")
    for reference, recommendations in RECOMMENDATIONS.items():
        for number, text, scope, agencies, themes, finding, actions in recommendations:
            rec = plan.add_recommendation(
                store,
                SYSTEM,
                reference,
                number=number,
                text=text,
                scope=scope,
                target_agencies=agencies,
                themes=themes,
                finding=finding,
            )
            for description, agency, officer, target, status, notes, evidence in actions:
                action = plan.add_action(
                    store,
                    SYSTEM,
                    reference,
                    recommendation_id=rec,
                    description=description,
                    owner_agency=agency,
                    lead_officer=officer,
                    target_date=day(target),
                )
                for offset, note in notes:
                    final = status if (offset, note) == notes[-1] else "in_progress"
                    plan.update_action(
                        store,
                        COORDINATOR,
                        action,
                        status=final,
                        note=note,
                        noted_on=day(offset),
                        evidence=evidence if final == "complete" else "",
                        today=today,
                    )
                if status == "complete":
                    plan.sign_off(store, COORDINATOR, action, on=day(-190))
    reds = [a for a in plan.list_actions(store, SYSTEM) if a.description.startswith("Configure repeat-victim")]
    plan.override_rag(store, COORDINATOR, reds[0].id, rag="red", reason="Supplier has not confirmed the upgrade date")
