"""The team's own register of reviews, from the tracker workbook they kept before (.xlsx or .csv).

The same flow as an action plan: the columns are mapped (proposed from the headers), every row is
read and checked, and then all rows are imported or none. Dates may be free text ("March 2015",
"Q3 2016", 31/03/2015), read as the action-plan import reads them, except that a month, quarter or
year without its day that a deadline counts from is read as the earliest day it can be, and the row
asks for the day (``earliest_fields``: a decision in "Sept 22" never moves its deadline later). Stage
dates nobody recorded stay blank and show as "not recorded". A chair named in the tracker who has no
account is kept in the review's notes. Every check the JSON import makes runs too, each problem named by its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core import tables
from core.accounts import Viewer, require_coordinator
from core.dates import PERIOD_END, PERIOD_START, long_date, read_free_date, without_day
from core.db import Store
from core.errors import ValidationError
from core.text import normalised
from reviews import transfer
from reviews.pauses import PAUSE_REASONS
from reviews.register import REVIEW_TYPES, default_rule_set
from reviews.rules import load_rule_set
from reviews.stages import DECISIONS, NOT_TO_HOLD_PATH, STAGES

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
    "status": "Status",
    "notes": "Notes",
}
STAGE_FIELDS = {f"stage:{key}": f"Stage date – {label}" for key, label in STAGES.items() if key != "notification"}
FIELDS = DETAILS | STAGE_FIELDS
REQUIRED = ("reference", "pseudonym", "notification_date")  # every review has these
TIMELINE_FIELDS = ("death_date", "notification_date", *STAGE_FIELDS)  # in the order a review's dates come
DATE_FIELDS = (*TIMELINE_FIELDS, "pause_start", "pause_end")
SYNONYMS = {
    "reference": [
        "reference",
        "ref",
        "dhr ref",
        "dhr reference",
        "case ref",
        "dhr no",
        "review ref",
        "dhr number",
        "dardr ref",
    ],
    "pseudonym": ["pseudonym", "victim pseudonym", "victim", "name used", "subject"],
    "csp": ["csp", "community safety partnership", "partnership"],
    "review_type": ["review type", "type"],
    "death_date": ["date of death", "dod", "death", "date of incident", "incident date", "date of homicide"],
    "notification_date": [
        "date notified",
        "notification date",
        "date of notification",
        "notified",
        "referral date",
        "date referred",
        "date referred to csp",
        "referred to csp",
        "date of referral",
        "referred",
        "notification to csp",
        "csp notification",
        "notified to csp",
        "notification received",
    ],
    "decision": ["decision", "decision to hold", "dhr agreed", "review agreed", "outcome of decision"],
    "chair": ["chair", "independent chair", "chair name", "author"],
    "pause_reason": ["paused for", "pause reason", "reason for pause", "parallel proceedings", "on hold"],
    "pause_start": ["paused from", "pause start", "paused on", "on hold from"],
    "pause_end": ["paused until", "pause end", "resumed", "restarted"],
    "status": ["status", "current status", "current position", "position"],
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
# what a tracker's decision (or status) cell says, as phrases; those saying no are tried first, since
# "criteria not met" and "not proceeding" hold the words of a yes
NOT_TO_HOLD_WORDS = (
    "not to hold",
    "not proceeding",
    "not progressing",
    "not agreed",
    "not held",
    "criteria not met",
    "does not meet",
    "no dhr",
    "declined",
    "no",
    "n",
    "not_to_hold",
)
HOLD_WORDS = ("hold dhr", "hold", "yes", "y", "agreed", "dhr agreed", "review to be held", "dhr", "held", "proceed")
PENDING_WORDS = ("", "pending", "tbc", "awaiting", "awaiting decision", "to be decided", "under consideration")
PAUSE_WORDS = {normalised(label): key for key, label in PAUSE_REASONS.items()} | {
    "trial": "criminal_trial",
    "criminal proceedings": "criminal_trial",
    "cps": "criminal_trial",
    "coroner": "inquest",
    "iopc": "iopc",
    "sar": "other_review",
    "lcspr": "other_review",
    "family": "family_request",
    "criminal trial": "criminal_trial",
    "inquest": "inquest",
}
PAUSED_WORDS = ("on hold", "paused", "suspended", "adjourned")
AGREED_WORDS = ("agreed", "ho agreed", "home office agreed", "agreed with home office", "agreed with ho")


@dataclass
class TrackerRow:
    number: int  # the spreadsheet's own row number
    values: dict[str, str]
    record: dict = field(default_factory=dict)  # the review as the JSON import reads it
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    closed_date_missing: bool = False  # its status says "Closed" and nothing gives the date

    @property
    def place(self) -> str:
        return f"row {self.number}" + (f" ({self.record['reference']})" if self.record.get("reference") else "")


@dataclass
class TrackerPreview:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[TrackerRow]
    samples: dict[str, list[str]] = field(default_factory=dict)  # their header -> a few of its values
    unmapped: list[str] = field(default_factory=list)  # what no column is mapped to yet, in the screen's words
    skipped: list[str] = field(default_factory=list)  # title rows, section rows ("2023 referrals")

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def problems(self) -> list[str]:
        mapping = [
            f"choose the column that holds the {what} (the columns: {', '.join(h for h in self.headers if h)})"
            for what in self.unmapped
        ]
        return mapping + [f"{r.place}: {p}" for r in self.rows for p in r.problems]


def propose_mapping(headers: list[str]) -> dict[str, str]:
    return tables.propose_mapping(headers, SYNONYMS)


def _chairs(store: Store) -> dict[str, str]:
    """Chair accounts by folded user name and by folded display name."""
    rows = store.read()["users"].rows_where("role = 'chair'", select="username, display_name")
    found: dict[str, str] = {}
    for row in rows:
        found[normalised(row["username"])] = row["username"]
        if row["display_name"]:
            found.setdefault(normalised(row["display_name"]), row["username"])
    return found


def _words(text: str) -> str:
    """A cell as plain lower-case words: "On hold – criminal trial" is "on hold criminal trial"."""
    return " ".join(re.sub(r"[^a-z0-9_/]+", " ", text.lower()).split())


def _says(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first phrase the cell says: all of it, or its opening words, or (three letters or more) in it."""
    words = _words(text)
    for phrase in phrases:
        if words == phrase or words.startswith(phrase + " ") or (len(phrase) > 3 and f" {phrase} " in f" {words} "):
            return phrase
    return None


def decision_from(text: str) -> str | None:
    """hold, not_to_hold or pending from what a decision or status cell says; None if it says none."""
    if _words(text) in PENDING_WORDS:
        return "pending"
    if _says(text, NOT_TO_HOLD_WORDS):
        return "not_to_hold"
    return "hold" if _says(text, HOLD_WORDS) else None


DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Za-z]{3,9}\.?\s+\d{4}"
)


# a day-less date read at its period's first day says why, and asks for the day
EARLIEST_ASK = (
    ", the earliest it can be, so that no deadline falls later than it may: write the day it was (e.g. 14/09/2022) "
    "in the file, or correct it on the review page after the import"
)


def earliest_fields(store: Store) -> set[str]:
    """The date fields whose month, quarter or year without a day is read as its first day, so that no
    deadline falls later than it may: each stage a deadline of the workspace's rule set counts from (the
    notification, the decision), the death before them, and a pause's end; any other, its last day."""
    rule_set = load_rule_set(store.read(), default_rule_set(store.read()))
    starts = {rule.from_stage for rule in rule_set.deadlines}
    return {"death_date", "pause_end"} | {"notification_date" if s == "notification" else f"stage:{s}" for s in starts}


def _floor(field: str, dates: dict[str, date | None]) -> date | None:
    """The earliest a date of ``field`` can be: the latest of the row's dates before it on the review's
    timeline (a pause's end: its start)."""
    if field == "pause_end":
        before: tuple[str, ...] = ("pause_start",)
    else:
        before = TIMELINE_FIELDS[: TIMELINE_FIELDS.index(field)] if field in TIMELINE_FIELDS else ()
    return max((dates[name] for name in before if dates.get(name)), default=None)


def _read_date(
    text: str, field: str, label: str, row: TrackerRow, earliest: set[str], floor: date | None
) -> date | None:
    """``text`` read as ``read_free_date`` reads it; for a field of ``earliest``, a period without its day
    at its first day, or at ``floor`` when that is later, and the row asks for the day. How it was read
    is noted on the row; a ValueError names a text that is no date."""
    first = field in earliest
    day, note = read_free_date(text, period=PERIOD_START if first else PERIOD_END)
    if first and day and without_day(text):
        day = max(day, floor or day)
        note = f"'{text}' gives no day: read as {long_date(day)}{EARLIEST_ASK}"
    if note:
        row.warnings.append(f"{label}: {note}")
    return day


def _date_in(text: str, field: str, label: str, row: TrackerRow, earliest: set[str], dates: dict) -> date | None:
    """The date a status cell gives ("Published 21st Jan 2023") for ``field``, noted as it reads."""
    for found in DATE_IN_TEXT.finditer(text):
        try:
            return _read_date(found.group(), field, label, row, earliest, _floor(field, dates))
        except ValueError:
            continue
    return None


def _read_dates(row: TrackerRow, named: dict[str, str], earliest: set[str]) -> dict[str, date | None]:
    """The row's dates, each after those that come before it (a day-less one is read no earlier than them)."""
    dates: dict[str, date | None] = {}
    for name in [key for key in DATE_FIELDS if key in row.values]:
        try:
            dates[name] = _read_date(row.values[name], name, named[name], row, earliest, _floor(name, dates))
        except ValueError as error:
            row.problems.append(f"{named[name]}: {error} (write it as 31/03/2015 or March 2015)")
    return dates


def _read_status(
    row: TrackerRow, dates: dict, decision: str, label: str, earliest: set[str]
) -> tuple[str, dict | None]:
    """What the status cell means: a stage it names with the date it gives ("Published 1 Sept 2024",
    "Submitted to HO 2 May 2024"; publication or closure also with the date column's), a pause of the kind
    it names, or a decision. A stage only a held review reaches sets a pending decision to hold. Returns
    (decision, pause or None)."""
    text = row.values.get("status", "")
    if not text:
        return decision, None
    words = _words(text)
    for named_stage in STAGE_FIELDS:
        stage = named_stage.split(":", 1)[1]
        if not any(words == said or words.startswith(said + " ") for said in SYNONYMS.get(named_stage, ())):
            continue
        on = _date_in(text, named_stage, label, row, earliest, dates)
        if stage in ("published", "closed"):
            on = on or dates.get(named_stage)
            if on is None and stage == "closed":  # closed is closed: counted so, its date data still to complete
                row.closed_date_missing = True
                row.warnings.append(
                    f"{label}: '{text}' gives no date; the review counts as closed; record the date it was closed on "
                    "the review page"
                )
            elif on is None:
                row.warnings.append(
                    f"{label}: '{text}' gives no date; record the date it was {stage} on the review page"
                )
        elif on is None:
            continue  # any other stage named without its date ("Chair appointed") is kept in the notes
        if on is not None:
            dates[named_stage] = on
        return ("hold" if stage not in NOT_TO_HOLD_PATH and decision == "pending" else decision), None
    if _says(text, PAUSED_WORDS):
        return decision, {
            "reason_text": words,
            "start": _date_in(text, "pause_start", label, row, earliest, dates),
            "agreed": _agreed(words),
        }
    said = decision_from(text)
    if said and said != "pending" and decision == "pending":
        return said, None
    if not said:
        row.warnings.append(f"{label}: '{text}' is kept in the notes")
    return decision, None


def _agreed(words: str) -> bool:
    return bool(_says(words, AGREED_WORDS)) and "not agreed" not in words and "to be agreed" not in words


def _pause(row: TrackerRow, dates: dict, from_status: dict | None) -> list[dict]:
    """The pause the row records (its columns, or what its status says); a start date the file does not
    give is not recorded, and the coordinator is asked to confirm it."""
    v = row.values
    if not (v.get("pause_reason") or dates.get("pause_start") or from_status):
        return []
    said = " ".join(filter(None, [_words(v.get("pause_reason", "")), (from_status or {}).get("reason_text", "")]))
    reason = next((key for words, key in PAUSE_WORDS.items() if words and f" {words} " in f" {said} "), "other")
    start = dates.get("pause_start") or (from_status or {}).get("start")
    if start is None:
        row.warnings.append("the pause's start date is not recorded: confirm it on the review page")
    agreed = bool(from_status and from_status["agreed"]) or _agreed(_words(v.get("pause_reason", "")))
    if not agreed:
        row.warnings.append(
            "the pause is recorded as proposed: it moves the completion deadline once the coordinator "
            "records the Home Office's agreement (the review's Pauses tab)"
        )
    details = v.get("pause_reason", "") or v.get("status", "")
    return [
        {
            "reason": reason,
            "details": details if reason == "other" else "",
            "start": start.isoformat() if start else None,
            "end": dates["pause_end"].isoformat() if dates.get("pause_end") else None,
            "agreed_with_home_office": agreed,
        }
    ]


def _read_row(row: TrackerRow, chairs: dict[str, str], named: dict[str, str], earliest: set[str]) -> None:
    """Read one row into the JSON import's shape; ``named`` is our field -> their column's header,
    ``earliest`` the fields read at a period's first day. Every problem of the row is listed, in the
    screen's words."""
    v = row.values
    dates = _read_dates(row, named, earliest)
    for name in REQUIRED:
        if not v.get(name):
            row.problems.append(f"no {named.get(name, DETAILS[name])}")
    if v.get("notification_date") and "notification_date" in dates and dates["notification_date"] is None:
        row.problems.append(  # "TBC": not recorded, which a stage may be but the notification never
            f"{named['notification_date']}: '{v['notification_date']}' gives no date, and every review needs the "
            "date the partnership was notified"
        )
    decision = decision_from(v.get("decision", ""))
    if decision is None:
        row.problems.append(
            f"{named['decision']}: '{v['decision']}' is not understood "
            "(write Yes or Hold DHR, No or Not proceeding, or leave it blank while pending)"
        )
    decision, from_status = _read_status(row, dates, decision or "pending", named.get("status", "Status"), earliest)
    review_type = next((t for t in REVIEW_TYPES if normalised(t) == normalised(v.get("review_type", ""))), None)
    if v.get("review_type") and review_type is None:
        row.problems.append(f"review type '{v['review_type']}' is not one of {', '.join(REVIEW_TYPES)}")
    reference = " ".join(v.get("reference", "").split()).upper()
    tidy = re.sub(r"[\s/_.\\]+", "-", reference)
    if tidy != reference:
        row.warnings.append(f"reference '{v['reference']}' will be imported as {tidy}")
    notes = [v.get("notes", "")]
    if v.get("status"):
        notes.append(f"Status in the tracker: {v['status']}")
    chair = chairs.get(normalised(v.get("chair", ""))) if v.get("chair") else None
    if v.get("chair") and chair is None:
        notes.append(f"Chair (as recorded in the tracker): {v['chair']}")
        row.warnings.append(f"chair '{v['chair']}' has no chair account: kept in the notes")
    not_held = decision == "not_to_hold"
    row.record = {
        "reference": tidy,
        "pseudonym": v.get("pseudonym", ""),
        "csp": v.get("csp", ""),
        "review_type": review_type or "DHR",
        "death_date": dates["death_date"].isoformat() if dates.get("death_date") else None,
        "notification_date": dates["notification_date"].isoformat() if dates.get("notification_date") else "",
        "decision": decision,
        "decision_reasons": f"As recorded in the tracker: {v.get('decision') or v.get('status')}" if not_held else "",
        "chair": chair,
        "notes": "\n".join(filter(None, notes)),
        "stages": {name.split(":", 1)[1]: dates[name].isoformat() for name in STAGE_FIELDS if dates.get(name)}
        | ({"closed": None} if row.closed_date_missing else {}),  # closed, the date not recorded
        "pauses": _pause(row, dates, from_status),
    }


# the words the register's checks use for a field, as the screen says them
SCREEN_WORDS = (
    {f"stages.{key}": label for key, label in STAGES.items()}
    | {key: label for key, label in STAGES.items() if "_" in key}
    | {
        "notification_date": "Date notified",
        "death_date": "Date of death",
        "decision_reasons": "the reasons for the decision",
        "review_type": "Review type",
        "rule_set": "Rule set",
        "pseudonym": "Victim pseudonym",
        "reference": "Reference",
        "decision": "Decision",
        "chair": "Independent chair",
        "csp": "Community Safety Partnership",
        "stages": "Stage dates",
    }
)
DECIDED = re.compile(r"whose decision is '(\w+)'")
FIELD_KEY = re.compile(
    r"pauses\[\d+\]\.(start|end|reason)|stages\.\w+|'?\b(?:" + "|".join(map(re.escape, SCREEN_WORDS)) + r")\b'?"
)
PAUSE_WORDS_ON_SCREEN = {"start": "Paused from", "end": "Paused until", "reason": "Paused for"}


def in_screen_words(problem: str, named: dict[str, str]) -> str:
    """A problem the register's checks found, with each field key said as the screen (or the file's own
    column heading) says it, and ISO dates as people write them."""

    def say(match: re.Match) -> str:
        if match.group(1):
            return PAUSE_WORDS_ON_SCREEN[match.group(1)]
        key = match.group().strip("'").replace("stages.notification", "notification_date")
        heading = named.get(key) or named.get(f"stage:{key.removeprefix('stages.')}")
        return heading or SCREEN_WORDS.get(key, key)

    problem = DECIDED.sub(lambda m: f"marked “{DECISIONS.get(m.group(1), m.group(1))}”", problem)
    problem = FIELD_KEY.sub(say, problem)
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: long_date(date(*map(int, m.groups()))), problem)


def preview(
    store: Store,
    viewer: Viewer,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    *,
    today: date | None = None,
) -> TrackerPreview:
    """Read the tracker and run every check the import makes, writing nothing (coordinator). Every
    problem of every row is listed at once. A field that must be mapped and is not is listed in
    ``unmapped`` (the preview then has no rows), with the file's headings and sample values."""
    require_coordinator(viewer, "Only the coordinator can import the register of reviews")
    grid = tables.read_grid(data, filename)
    mapping = None if mapping is None else tables.checked_mapping(mapping, FIELDS)
    header_index = tables.heading_row(grid, SYNONYMS, mapping, "Reference, Date notified")
    headers = grid[header_index]
    mapping = propose_mapping(headers) if mapping is None else mapping
    result = TrackerPreview(headers, mapping, [], samples=tables.samples(grid, header_index))
    result.skipped = [
        f"row {number}: a title above the headings ('{next(c for c in cells if c)[:60]}')"
        for number, cells in enumerate(grid[:header_index], start=1)
        if any(cells)
    ]
    result.unmapped = [DETAILS[f] for f in REQUIRED if f not in mapping.values()]
    if result.unmapped:
        return result
    columns = {name: headers.index(header) for header, name in mapping.items() if header in headers}
    body = grid[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError(f"file: {len(body)} rows; split it into files of at most {MAX_ROWS}")
    chairs, earliest = _chairs(store), earliest_fields(store)
    named = {name: header for header, name in mapping.items()}
    for number, cells in enumerate(body, start=header_index + 2):
        kind = tables.row_kind(cells, headers)
        if kind in ("header", "section"):
            what = "the column headings again" if kind == "header" else "a section row"
            result.skipped.append(f"row {number}: {what} ('{next(c for c in cells if c)[:60]}')")
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
        if any(values.values()):
            row = TrackerRow(number, values)
            _read_row(row, chairs, named, earliest)
            result.rows.append(row)
    seen: dict[str, int] = {}
    checkable = []  # rows the register can check: each named, dated and not a second copy
    for row in result.rows:
        reference = row.record["reference"]
        if reference and reference in seen:
            row.problems.append(f"reference {reference} is also on row {seen[reference]}")
        elif all(row.record[key] for key in REQUIRED):
            checkable.append(row)
        seen.setdefault(reference, row.number)
    _check(store, viewer, checkable, {name: header for header, name in mapping.items()}, today=today)
    return result


def preview_rows(result: TrackerPreview) -> list[dict]:
    """The preview as the import page's table shows it: each row's problems and notes, the reference it
    will have, then its values under our fields' names."""
    return [
        {
            "Row": r.number,
            "Problems": "; ".join(r.problems),
            "Notes": "; ".join(r.warnings),
            "Imported as": r.record.get("reference", ""),
            **{FIELDS[k]: v for k, v in r.values.items()},
        }
        for r in result.rows
    ]


def _records(
    store: Store, viewer: Viewer, rows: list[TrackerRow], *, today: date | None, check_only: bool
) -> list[str]:
    return transfer.import_records(
        store,
        viewer,
        {"reviews": [row.record for row in rows]},
        [row.place for row in rows],
        today=today,
        check_only=check_only,
    )


def _check(store: Store, viewer: Viewer, rows: list[TrackerRow], named: dict[str, str], *, today: date | None) -> None:
    """Run the register's own checks on these rows (those with problems of their own too, as far as they
    were read), so that every problem shows in one preview and nothing that passes it is refused on
    import; each problem goes to its row, in the screen's words (``named``: our field -> their heading)."""
    if not rows:
        return
    by_place = {row.place: row for row in rows}
    try:
        _records(store, viewer, rows, today=today, check_only=True)
    except ValidationError as error:
        for problem in error.problems:
            place, _, text = problem.partition(": ")
            if place in by_place:
                by_place[place].problems.append(in_screen_words(text, named))
            else:  # not tied to one row
                rows[0].problems.append(in_screen_words(problem, named))


def import_tracker(store: Store, viewer: Viewer, result: TrackerPreview, *, today: date | None = None) -> list[str]:
    """Import every row of a checked preview, or none (coordinator). Returns the references."""
    require_coordinator(viewer, "Only the coordinator can import the register of reviews")
    if not result.ok:
        raise ValidationError(result.problems or ["file: no rows to import"])
    return _records(store, viewer, result.rows, today=today, check_only=False)
