"""The combined chronology: agencies' chronologies merged into one, sorted by date, duplicates flagged.

Each agency sends a spreadsheet or a Word table (date, time if known, agency, event, source
reference). Dates may be partial ("March 2019", "2019"); they are kept with their precision and
sorted at the start of their month or year, before the dated events of that period. Two
entries on the same date from different agencies whose text is similar are flagged as likely
duplicates for the chair to confirm or reject.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher

from core.accounts import Viewer
from core.agencies import list_agencies
from core.db import Store
from core.errors import NotFound, ValidationError
from core.tables import propose_mapping, read_grid
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
    if missing:
        raise ValidationError(f"{filename}: map a column to {' and '.join(missing)}")
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


def merge(entries: list[Entry]) -> list[Entry]:
    """Sort by date (partial dates first in their period) and flag likely duplicates across agencies."""
    merged = sorted(entries, key=lambda e: e.sort_key)
    for i, entry in enumerate(merged):
        for earlier in merged[:i]:
            if (
                earlier.event_date == entry.event_date
                and earlier.precision == entry.precision == "day"
                and earlier.agency != entry.agency
                and earlier.duplicate_of is None
                and _similar(earlier.event, entry.event)
            ):
                entry.duplicate_of = merged.index(earlier)
                entry.duplicate_status = "suspected"
                break
    return merged


def save(store: Store, viewer: Viewer, reference: str, entries: list[Entry]) -> int:
    """Add agencies' entries to the review's chronology, re-flagging duplicates across the whole of it."""
    with store.write(viewer.username) as tx:
        review = editable_row(tx.db, viewer, reference)
        known = {a.lower(): a for a in list_agencies(tx.db)}
        for entry in entries:
            entry.agency = known.get(entry.agency.lower(), entry.agency)
        existing = load(store, viewer, reference)
        combined = merge(existing + [e for e in entries])
        tx.db.execute("DELETE FROM chronology_entries WHERE review_id = ?", [review["id"]])
        ids: list[int] = []
        for entry in combined:
            keep_decision = entry.duplicate_status in ("confirmed", "rejected")
            row = {
                "review_id": review["id"],
                "event_date": entry.event_date.isoformat(),
                "precision": entry.precision,
                "event_time": entry.event_time,
                "agency": entry.agency,
                "event": entry.event,
                "source_reference": entry.source_reference,
                "source_file": entry.source_file,
                "duplicate_of": ids[entry.duplicate_of]
                if entry.duplicate_of is not None and not keep_decision
                else None,
                "duplicate_status": entry.duplicate_status,
            }
            ids.append(tx.insert("chronology_entries", row))
    return len(entries)


def load(store: Store, viewer: Viewer, reference: str) -> list[Entry]:
    db = store.read()
    review = case_row(db, viewer, reference)
    rows = list(db["chronology_entries"].rows_where("review_id = ?", [review["id"]], order_by="id"))
    index = {row["id"]: i for i, row in enumerate(rows)}
    return [
        Entry(
            date.fromisoformat(r["event_date"]),
            r["precision"],
            r["event_time"],
            r["agency"],
            r["event"],
            r["source_reference"],
            r["source_file"],
            r["id"],
            index.get(r["duplicate_of"]),
            r["duplicate_status"],
        )
        for r in rows
    ]


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
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in as_rows(entries):
        sheet.append(
            [
                row["date_label"],
                row["time"],
                row["agency"],
                row["event"],
                row["source_reference"],
                row["source_file"],
                row["note"],
            ]
        )
    for column, width in zip("ABCDEFG", [14, 8, 26, 70, 18, 24, 26], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
