"""The team's own register of reviews, from the tracker workbook they kept before (.xlsx or .csv).

The same flow as an action plan: the columns are mapped (proposed from the headers), every row is
read and checked, and then all rows are imported or none. Dates may be free text ("March 2015",
"Q3 2016", 31/03/2015), read as the action-plan import reads them. Stage dates nobody recorded stay
blank and show as "not recorded". A chair named in the tracker who has no account is kept in the
review's notes. Every check the JSON import makes runs too, each problem named by its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core import tables
from core.accounts import Viewer, require_coordinator
from core.dates import read_free_date
from core.db import Store
from core.errors import ValidationError
from core.text import normalised
from reviews import transfer
from reviews.pauses import PAUSE_REASONS
from reviews.register import REVIEW_TYPES
from reviews.stages import STAGES

MAX_ROWS = 2000
DETAILS = {
    "reference": "Reference",
    "pseudonym": "Victim pseudonym",
    "csp": "Community Safety Partnership",
    "review_type": "Review type",
    "death_date": "Date of death",
    "notification_date": "Date notified",
    "decision": "Decision",
    "chair": "Independent chair",
    "pause_reason": "Paused for",
    "pause_start": "Paused from",
    "pause_end": "Paused until",
    "notes": "Notes",
}
STAGE_FIELDS = {f"stage:{key}": f"Stage date – {label}" for key, label in STAGES.items() if key != "notification"}
FIELDS = DETAILS | STAGE_FIELDS
DATE_FIELDS = {"death_date", "notification_date", "pause_start", "pause_end", *STAGE_FIELDS}
SYNONYMS = {
    "reference": ["reference", "ref", "dhr ref", "dhr reference", "case ref", "dhr no", "review ref", "dhr number"],
    "pseudonym": ["pseudonym", "victim pseudonym", "victim", "name used", "subject"],
    "csp": ["csp", "community safety partnership", "partnership"],
    "review_type": ["review type", "type"],
    "death_date": ["date of death", "dod", "death"],
    "notification_date": ["date notified", "notification date", "date of notification", "notified", "referral date"],
    "decision": ["decision", "decision to hold", "dhr agreed", "review agreed", "outcome of decision"],
    "chair": ["chair", "independent chair", "chair name", "author"],
    "pause_reason": ["paused for", "pause reason", "reason for pause", "parallel proceedings", "on hold"],
    "pause_start": ["paused from", "pause start", "paused on", "on hold from"],
    "pause_end": ["paused until", "pause end", "resumed", "restarted"],
    "notes": ["notes", "comments", "update"],
    "stage:decision": ["decision date", "date of decision"],
    "stage:home_office_notified": ["home office notified", "ho notified", "date ho notified"],
    "stage:chair_appointed": ["chair appointed", "date chair appointed"],
    "stage:terms_of_reference": ["terms of reference", "first panel", "tor agreed"],
    "stage:agency_returns": ["imrs received", "agency returns received", "imr deadline met"],
    "stage:family_engagement": ["family engagement", "family contacted"],
    "stage:draft_report": ["draft report", "draft overview report"],
    "stage:panel_signoff": ["panel sign off", "panel signoff", "panel agreed"],
    "stage:csp_signoff": ["csp sign off", "csp signoff", "csp approved"],
    "stage:qa_submission": [
        "submitted to home office",
        "submitted to ho",
        "sent to home office",
        "sent to ho",
        "ho submission",
        "qa submission",
    ],
    "stage:qa_feedback": ["home office feedback", "qa feedback", "qa panel"],
    "stage:approved": ["approved for publication", "ho approval", "approved"],
    "stage:published": ["published", "publication date", "date published"],
    "stage:closed": ["closed", "date closed"],
}
DECISION_WORDS = {
    "hold": "hold",
    "yes": "hold",
    "y": "hold",
    "agreed": "hold",
    "review to be held": "hold",
    "dhr": "hold",
    "held": "hold",
    "not_to_hold": "not_to_hold",
    "no": "not_to_hold",
    "n": "not_to_hold",
    "not agreed": "not_to_hold",
    "not to hold": "not_to_hold",
    "not held": "not_to_hold",
    "pending": "pending",
    "": "pending",
    "tbc": "pending",
    "awaiting": "pending",
}
PAUSE_WORDS = {normalised(label): key for key, label in PAUSE_REASONS.items()} | {
    "trial": "criminal_trial",
    "criminal proceedings": "criminal_trial",
    "cps": "criminal_trial",
    "coroner": "inquest",
    "iopc": "iopc",
    "sar": "other_review",
    "lcspr": "other_review",
    "family": "family_request",
}


@dataclass
class TrackerRow:
    number: int  # the spreadsheet's own row number
    values: dict[str, str]
    record: dict = field(default_factory=dict)  # the review as the JSON import reads it
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def place(self) -> str:
        return f"row {self.number}" + (f" ({self.record['reference']})" if self.record.get("reference") else "")


@dataclass
class TrackerPreview:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[TrackerRow]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def problems(self) -> list[str]:
        return [f"{r.place}: {p}" for r in self.rows for p in r.problems]


def propose_mapping(headers: list[str]) -> dict[str, str]:
    return tables.propose_mapping(headers, SYNONYMS)


def _header_row(grid: list[list[str]], mapping: dict[str, str] | None) -> int:
    for index, row in enumerate(grid[:20]):
        if (mapping is None and len(propose_mapping([c for c in row if c])) >= 3) or (
            mapping is not None and set(mapping) <= set(row)
        ):
            return index
    if mapping is None:
        raise ValidationError(
            "file: no header row found (expected columns such as Reference, Pseudonym, Date notified)"
        )
    raise ValidationError(f"mapping: no row holds all the mapped headers ({', '.join(mapping)})")


def _chairs(store: Store) -> dict[str, str]:
    """Chair accounts by folded user name and by folded display name."""
    rows = store.read()["users"].rows_where("role = 'chair'", select="username, display_name")
    found: dict[str, str] = {}
    for row in rows:
        found[normalised(row["username"])] = row["username"]
        if row["display_name"]:
            found.setdefault(normalised(row["display_name"]), row["username"])
    return found


def _read_row(row: TrackerRow, chairs: dict[str, str], named: dict[str, str]) -> None:
    """Read one row into the JSON import's shape; ``named`` is our field -> their column's header."""
    v = row.values
    dates: dict[str, date | None] = {}
    for name in DATE_FIELDS & set(v):
        try:
            dates[name], note = read_free_date(v[name])
        except ValueError:
            row.problems.append(f"{named[name]}: '{v[name]}' is not a date (write it as 31/03/2015 or March 2015)")
            continue
        if note:
            row.warnings.append(f"{named[name]}: {note}")
    for name, label in (("reference", "reference"), ("pseudonym", "pseudonym"), ("notification_date", "date notified")):
        if not v.get(name):
            row.problems.append(f"no {label}")
    decision = DECISION_WORDS.get(normalised(v.get("decision", "")))
    if decision is None:
        row.problems.append(f"decision '{v['decision']}' is not one of yes (hold a review), no, pending")
    review_type = next((t for t in REVIEW_TYPES if normalised(t) == normalised(v.get("review_type", ""))), None)
    if v.get("review_type") and review_type is None:
        row.problems.append(f"review type '{v['review_type']}' is not one of {', '.join(REVIEW_TYPES)}")
    reference = " ".join(v.get("reference", "").split()).upper()
    tidy = re.sub(r"[\s/_.]+", "-", reference)
    if tidy != reference:
        row.warnings.append(f"reference '{v['reference']}' read as {tidy}")
    notes = [v.get("notes", "")]
    chair = chairs.get(normalised(v.get("chair", ""))) if v.get("chair") else None
    if v.get("chair") and chair is None:
        notes.append(f"Chair (as recorded in the tracker): {v['chair']}")
        row.warnings.append(f"chair '{v['chair']}' has no chair account: kept in the notes")
    pauses = []
    if v.get("pause_reason") or dates.get("pause_start"):
        reason = PAUSE_WORDS.get(normalised(v.get("pause_reason", "")), "other")
        if not dates.get("pause_start"):
            row.problems.append("a pause needs the date it started (Paused from)")
        else:
            pauses.append(
                {
                    "reason": reason,
                    "details": v.get("pause_reason", "") if reason == "other" else "",
                    "start": dates["pause_start"].isoformat(),
                    "end": dates["pause_end"].isoformat() if dates.get("pause_end") else None,
                }
            )
            row.warnings.append(
                "the pause is recorded as proposed: it moves the completion deadline once the coordinator "
                "records the Home Office's agreement (the review's Pauses tab)"
            )
    row.record = {
        "reference": tidy,
        "pseudonym": v.get("pseudonym", ""),
        "csp": v.get("csp", ""),
        "review_type": review_type or "DHR",
        "death_date": dates["death_date"].isoformat() if dates.get("death_date") else None,
        "notification_date": dates["notification_date"].isoformat() if dates.get("notification_date") else "",
        "decision": decision or "pending",
        "chair": chair,
        "notes": "\n".join(filter(None, notes)),
        "stages": {name.split(":", 1)[1]: dates[name].isoformat() for name in STAGE_FIELDS if dates.get(name)},
        "pauses": pauses,
    }


def preview(
    store: Store,
    viewer: Viewer,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    *,
    today: date | None = None,
) -> TrackerPreview:
    """Read the tracker and run every check the import makes, writing nothing (coordinator)."""
    require_coordinator(viewer, "Only the coordinator can import the register of reviews")
    grid = tables.read_grid(data, filename)
    header_index = _header_row(grid, mapping)
    headers = grid[header_index]
    mapping = propose_mapping(headers) if mapping is None else mapping
    unknown = sorted(set(mapping.values()) - set(FIELDS))
    if unknown:
        raise ValidationError(f"mapping: {', '.join(unknown)} not among our fields")
    missing = [DETAILS[f] for f in ("reference", "pseudonym", "notification_date") if f not in mapping.values()]
    if missing:
        raise ValidationError(f"mapping: map a column to each of {', '.join(missing)}")
    columns = {name: headers.index(header) for header, name in mapping.items() if header in headers}
    body = grid[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError(f"file: {len(body)} rows; split it into files of at most {MAX_ROWS}")
    chairs = _chairs(store)
    rows: list[TrackerRow] = []
    for number, cells in enumerate(body, start=header_index + 2):
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
        if any(values.values()):
            row = TrackerRow(number, values)
            _read_row(row, chairs, {name: header for header, name in mapping.items()})
            rows.append(row)
    seen: dict[str, int] = {}
    for row in rows:
        reference = row.record["reference"]
        if reference and reference in seen:
            row.problems.append(f"reference {reference} is also on row {seen[reference]}")
        seen.setdefault(reference, row.number)
    result = TrackerPreview(headers, mapping, rows)
    if result.ok:
        _run(store, viewer, result, today=today, check_only=True)
    return result


def _run(store: Store, viewer: Viewer, result: TrackerPreview, *, today: date | None, check_only: bool) -> list[str]:
    by_place = {row.place: row for row in result.rows}
    try:
        return transfer.import_records(
            store,
            viewer,
            {"reviews": [row.record for row in result.rows]},
            list(by_place),
            today=today,
            check_only=check_only,
        )
    except ValidationError as error:
        if not check_only:
            raise
        for problem in error.problems:
            place, _, text = problem.partition(": ")
            if place in by_place:
                by_place[place].problems.append(text)
            else:  # not tied to one row
                result.rows[0].problems.append(problem)
        return []


def import_tracker(store: Store, viewer: Viewer, result: TrackerPreview, *, today: date | None = None) -> list[str]:
    """Import every row of a checked preview, or none (coordinator). Returns the references."""
    require_coordinator(viewer, "Only the coordinator can import the register of reviews")
    if not result.ok:
        raise ValidationError(result.problems or ["file: no rows to import"])
    return _run(store, viewer, result, today=today, check_only=False)
