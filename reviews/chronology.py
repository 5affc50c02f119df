"""The combined chronology: agencies' chronologies merged into one, sorted by date, duplicates flagged.

Each agency sends a spreadsheet or a Word table (date, time if known, agency, event, source
reference). Dates may be partial ("March 2019", "2019"); they are kept with their precision and
sorted at the start of their month or year, before the dated events of that period. Two
entries on the same date from different agencies whose text is similar are flagged as likely
duplicates for the chair to confirm or reject. Importing a file again adds only what is new.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher

from core.accounts import Viewer
from core.agencies import list_agencies
from core.db import Store
from core.errors import NotFound, ValidationError
from core.tables import append_as_text, propose_mapping, read_grid
from core.text import normalised
from reviews.access import case_row, editable_row

FIELDS = {"date": "Date", "time": "Time", "agency": "Agency", "event": "Event", "source_reference": "Source reference"}
SYNONYMS = {
    "date": ["date", "date of contact", "when", "event date", "contact date"],
    "time": ["time", "time of contact"],
    "agency": ["agency", "source agency", "organisation", "service"],
    "event": ["event", "details", "contact", "description", "summary", "what happened", "information"],
    "source_reference": ["source", "source reference", "reference", "ref", "record", "record reference"],
}
MONTHS = {n.lower(): i for i, n in enumerate(calendar.month_name) if n} | {
    n.lower(): i for i, n in enumerate(calendar.month_abbr) if n
}
SIMILARITY = 0.6


@dataclass
class Entry:
    event_date: date
    precision: str  # day | month | year
    event_time: str
    agency: str
    event: str
    source_reference: str = ""
    source_file: str = ""
    id: int | None = None
    duplicate_of: int | None = None
    duplicate_status: str | None = None

    @property
    def date_label(self) -> str:
        if self.precision == "year":
            return str(self.event_date.year)
        if self.precision == "month":
            return self.event_date.strftime("%B %Y")
        return self.event_date.strftime("%d/%m/%Y")

    @property
    def sort_key(self) -> tuple:
        return (self.event_date, {"year": 0, "month": 1, "day": 2}[self.precision], self.event_time or "", self.agency)


def parse_event_date(text: str) -> tuple[date, str]:
    """(date, precision) from "12/03/2019", "2019-03-12", "12 March 2019", "March 2019" or "2019"."""
    text = " ".join(text.replace(",", " ").split())
    try:
        return date.fromisoformat(text[:10]), "day"
    except ValueError:
        pass
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).date(), "day"
        except ValueError:
            continue
    month = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", text)
    if month and month.group(1).lower() in MONTHS:
        return date(int(month.group(2)), MONTHS[month.group(1).lower()], 1), "month"
    year = re.fullmatch(r"(?:c\.? ?)?(\d{4})", text)
    if year:
        return date(int(year.group(1)), 1, 1), "year"
    raise ValidationError(f"date: '{text}' is not a date (use 12/03/2019, March 2019 or 2019)")


def read_chronology(
    data: bytes, filename: str, *, mapping: dict[str, str] | None = None, default_agency: str = ""
) -> list[Entry]:
    """One agency's chronology as entries; every row's problem is reported, with its row number."""
    grid = read_grid(data, filename)
    header_index = next((i for i, row in enumerate(grid[:20]) if len(propose_mapping(row, SYNONYMS)) >= 2), None)
    if header_index is None:
        raise ValidationError(f"{filename}: no header row found (expected columns such as Date and Event)")
    headers = grid[header_index]
    mapping = mapping or propose_mapping(headers, SYNONYMS)
    columns = {field: headers.index(header) for header, field in mapping.items() if header in headers}
    missing = [f for f in ("date", "event") if f not in columns]
    if missing:  # the page maps a chronology's columns by their headings: say which headings it reads
        raise ValidationError(
            [
                f"{filename}: no {FIELDS[field]} column; head it "
                + " or ".join(f"“{heading.capitalize()}”" for heading in SYNONYMS[field][:3])
                for field in missing
            ]
        )
    if "agency" not in columns and not default_agency:
        raise ValidationError(f"{filename}: no agency column; say which agency sent this chronology")
    entries, problems = [], []
    for number, cells in enumerate(grid[header_index + 1 :], start=header_index + 2):
        value = {f: (cells[i] if i < len(cells) else "").strip() for f, i in columns.items()}
        if not any(value.values()):
            continue
        try:
            when, precision = parse_event_date(value.get("date", ""))
        except ValidationError as error:
            problems.append(f"{filename} row {number}: {error.problems[0]}")
            continue
        if not value.get("event"):
            problems.append(f"{filename} row {number}: no event text")
            continue
        entries.append(
            Entry(
                when,
                precision,
                value.get("time", ""),
                value.get("agency") or default_agency,
                value["event"],
                value.get("source_reference", ""),
                filename,
            )
        )
    if problems:
        raise ValidationError(problems)
    return entries


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= SIMILARITY


@dataclass(frozen=True)
class SaveResult:
    added: int
    already_there: int


def fingerprint(entry: Entry) -> str:
    """What an entry is, whatever file or import brought it: a later import of the same file adds nothing."""
    parts = (
        entry.event_date.isoformat(),
        entry.precision,
        entry.event_time.strip(),
        normalised(entry.agency),
        normalised(entry.event),
        normalised(entry.source_reference),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _likely_duplicate(entry: Entry, stored: list[Entry]) -> Entry | None:
    """An entry already kept on the same day, from another agency, saying much the same."""
    for other in stored:
        if (
            other.event_date == entry.event_date
            and other.precision == entry.precision == "day"
            and other.agency != entry.agency
            and other.duplicate_of is None
            and _similar(other.event, entry.event)
        ):
            return other
    return None


def _row_entry(row: dict) -> Entry:
    return Entry(
        date.fromisoformat(row["event_date"]),
        row["precision"],
        row["event_time"],
        row["agency"],
        row["event"],
        row["source_reference"],
        row["source_file"],
        row["id"],
        row["duplicate_of"],
        row["duplicate_status"],
    )


def save(store: Store, viewer: Viewer, reference: str, entries: list[Entry]) -> SaveResult:
    """Add agencies' entries to the review's chronology. Entries already there are skipped; entries
    kept before, and the chair's confirmed or rejected duplicates, are never touched. A new entry
    that repeats a kept one from another agency is linked to it by id as a suspected duplicate."""
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        known = {a.lower(): a for a in list_agencies(tx.db)}
        rows = list(tx.db["chronology_entries"].rows_where("review_id = ?", [review["id"]], order_by="id"))
        stored = [_row_entry(r) for r in rows]
        seen = {r["fingerprint"] or fingerprint(e) for r, e in zip(rows, stored, strict=True)}
        added = already = 0
        for entry in sorted(entries, key=lambda e: e.sort_key):
            entry.agency = known.get(entry.agency.lower(), entry.agency)
            fp = fingerprint(entry)
            if fp in seen:
                already += 1
                continue
            twin = _likely_duplicate(entry, stored)
            entry.duplicate_of, entry.duplicate_status = (twin.id, "suspected") if twin else (None, None)
            entry.id = tx.insert(
                "chronology_entries",
                {
                    "review_id": review["id"],
                    "event_date": entry.event_date.isoformat(),
                    "precision": entry.precision,
                    "event_time": entry.event_time,
                    "agency": entry.agency,
                    "event": entry.event,
                    "source_reference": entry.source_reference,
                    "source_file": entry.source_file,
                    "duplicate_of": entry.duplicate_of,
                    "duplicate_status": entry.duplicate_status,
                    "fingerprint": fp,
                },
            )
            stored.append(entry)
            seen.add(fp)
            added += 1
    return SaveResult(added, already)


def load(store: Store, viewer: Viewer, reference: str) -> list[Entry]:
    """The review's chronology in date order (partial dates at the start of their period)."""
    db = store.read()
    review = case_row(db, viewer, reference)
    rows = db["chronology_entries"].rows_where("review_id = ?", [review["id"]], order_by="id")
    return sorted((_row_entry(r) for r in rows), key=lambda e: e.sort_key)


def decide_duplicate(store: Store, viewer: Viewer, reference: str, *, entry_id: int, confirmed: bool) -> None:
    """The chair confirms (the entry repeats another) or rejects (it is a separate event) a suspected duplicate."""
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        if not tx.db["chronology_entries"].count_where("id = ? AND review_id = ?", [entry_id, review["id"]]):
            raise NotFound(f"No chronology entry {entry_id} on {reference}")
        tx.update("chronology_entries", entry_id, {"duplicate_status": "confirmed" if confirmed else "rejected"})


def as_rows(entries: list[Entry]) -> list[dict]:
    """Entries for a table or an export, confirmed duplicates left out."""
    return [
        {
            "date_label": e.date_label,
            "time": e.event_time,
            "agency": e.agency,
            "event": e.event,
            "source_reference": e.source_reference,
            "source_file": e.source_file,
            "note": "possible duplicate – to confirm" if e.duplicate_status == "suspected" else "",
        }
        for e in entries
        if e.duplicate_status != "confirmed"
    ]


def to_xlsx(entries: list[Entry]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Combined chronology"
    headers = ["Date", "Time", "Agency", "Event", "Source reference", "From file", "Note"]
    append_as_text(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in as_rows(entries):
        append_as_text(
            sheet,
            [
                row["date_label"],
                row["time"],
                row["agency"],
                row["event"],
                row["source_reference"],
                row["source_file"],
                row["note"],
            ],
        )
    for column, width in zip("ABCDEFG", [14, 8, 26, 70, 18, 24, 26], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
