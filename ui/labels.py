"""Field names in the words on the screen: domain messages name fields (the JSON import and CLIs
need that), and the pages show them as the labels people see ("Date of death", not death_date)."""

from __future__ import annotations

import re
from datetime import date

from core.dates import long_date
from reviews.stages import STAGES

FIELD_LABELS = {
    "notification_date": "date notified",
    "death_date": "date of death",
    "completed_on": "date completed",
    "sent_on": "date sent",
    "letter_date": "letter date",
    "panel_date": "panel date",
    "requested": "date requested",
    "received": "date received",
    "due": "due date",
    "chased_on": "date chased",
    "answered_on": "date answered",
    "target_date": "target date",
    "completed": "date completed",
    "noted_on": "date of the note",
    "start": "start date",
    "end": "end date",
    "csp": "CSP",
    "pseudonym": "pseudonym",
    "review_type": "review type",
    "rule_set": "rule set",
    "reference": "reference",
    "decision_reasons": "reasons for the decision",
    "owner_agency": "owner agency",
    "lead_officer": "lead officer",
    "agreed_with_home_office": "agreed with the Home Office",
    "rule_set_version": "rule-set version",
    "confidential_register": "confidential register",
    "agency_returns": "agency return",
    "pauses": "pause",
    "panel": "panel member",
}
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# a field name as messages use it: before ':', '.', '[' or ' (', e.g. "pauses[0].end (2026-01-02)"
FIELD = re.compile(r"\b(stages\.)?([a-z]+(?:_[a-z]+)*)(?:\[(\d+)\])?(?=[.:]| \(|$)")


# the dot between a place and its field ("Pause 1.end date"), never a file's or a web address's
# ("rules.json", "dhr@council.gov.uk")
PLACE_DOT = re.compile(
    r"(?<=[a-z0-9'])\.(?=[a-z'])"
    r"(?![a-z]+\.|(?:json|csv|xlsx?|xlsm|docx?|pdf|txt|md|html?|png|jpe?g|gif|ics|zip|uk|com|org|net)\b)"
)


def _uk_date(match: re.Match) -> str:
    try:
        return long_date(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    except ValueError:
        return match.group(0)


def _label(match: re.Match) -> str:
    stage, name, index = match.group(1), match.group(2), match.group(3)
    if stage and name in STAGES:
        return f"'{STAGES[name]}'"
    if name in FIELD_LABELS:
        return FIELD_LABELS[name] + (f" {int(index) + 1}" if index is not None else "")
    return match.group(0)


def readable(problem: str) -> str:
    """One domain message in screen words, with dates as people write them:
    "pauses[0].end (2026-01-02) is before ..." becomes "Pause 1, end date (2 January 2026) is before ..."."""
    text = FIELD.sub(_label, problem)
    text = PLACE_DOT.sub(", ", text)
    text = ISO_DATE.sub(_uk_date, text)
    return text[:1].upper() + text[1:]
