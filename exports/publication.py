"""The publication check: find what would identify people in a report before it is published.

Scans every paragraph, table cell, header and footer of a .docx for the names and aliases in the
review's confidential register (whole words, any case, possessives too), dates of birth,
addresses, postcodes, phone numbers and email addresses. Pure functions: bytes in, findings out.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import docx

from core.errors import ValidationError
from exports.docx_base import PUBLISHED_HEADER

KINDS = ("name", "date_of_birth", "address", "postcode", "phone", "email")
CONTEXT = 60
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w/])(?:\+44\s?\(?0?\)?\s?|0)(?:\d\s?){9,10}(?![\w/])")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
DATE = r"\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}| (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4})"
DATE_OF_BIRTH = re.compile(rf"\b(?:born(?: on)?|date of birth|d\.?o\.?b\.?)[:\s]+{DATE}", re.IGNORECASE)
STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]? [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|"
    r"Place|Gardens|Court|Terrace|Grove|Hill|Park|Mews|Square|Row|Walk)\b"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    context: str
    location: str

    @property
    def key(self) -> str:
        """Stable across runs on the same text, so an acceptance still applies after a re-check."""
        return f"{self.kind}|{self.text.lower()}|{self.location}"

    def as_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "context": self.context, "location": self.location}


def text_units(data: bytes) -> list[tuple[str, str]]:
    """(location, text) for every paragraph, table cell, header and footer."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError(f"file: not a readable Word .docx ({error})") from None
    units = [(f"paragraph {i}", p.text) for i, p in enumerate(document.paragraphs, start=1) if p.text.strip()]
    for t, grid in enumerate(document.tables, start=1):
        for r, row in enumerate(grid.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                if cell.text.strip():
                    units.append((f"table {t}, row {r}, cell {c}", cell.text))
    for s, section in enumerate(document.sections, start=1):
        for part, name in ((section.header, "header"), (section.footer, "footer")):
            for p in part.paragraphs:
                if p.text.strip():
                    units.append((f"section {s} {name}", p.text))
    return units


def _name_patterns(names: list[str], pseudonym: str) -> list[tuple[str, re.Pattern]]:
    """Each full name and each part of it (3+ letters), except parts that are the pseudonym."""
    terms: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name:
            terms[name.lower()] = name
        for part in re.split(r"[\s-]+", name):
            if len(part) >= 3 and part.lower() != pseudonym.lower():
                terms.setdefault(part.lower(), part)
    patterns = []
    for term in sorted(terms.values(), key=len, reverse=True):
        if term.lower() == pseudonym.lower():
            continue
        patterns.append((term, re.compile(rf"(?<![\w]){re.escape(term)}(?:['’]s)?(?![\w])", re.IGNORECASE)))
    return patterns


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return (
        f"{'…' if start > CONTEXT else ''}{before}[{text[start:end]}]{after}{'…' if end + CONTEXT < len(text) else ''}"
    )


def check(data: bytes, *, names: list[str], pseudonym: str) -> list[Finding]:
    """Every identifying detail in a .docx, in document order; overlapping name matches reported once."""
    findings: list[Finding] = []
    patterns = _name_patterns(names, pseudonym)
    for location, text in text_units(data):
        taken: list[tuple[int, int]] = []
        for _, pattern in patterns:
            for match in pattern.finditer(text):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                taken.append((match.start(), match.end()))
                findings.append(Finding("name", match.group(0), _context(text, *match.span()), location))
        for kind, pattern in (
            ("date_of_birth", DATE_OF_BIRTH),
            ("address", STREET),
            ("postcode", POSTCODE),
            ("phone", PHONE),
            ("email", EMAIL),
        ):
            for match in pattern.finditer(text):
                findings.append(Finding(kind, match.group(0).strip(), _context(text, *match.span()), location))
    return findings


def stamp_published(data: bytes) -> bytes:
    """The same document with the published header and properties, for the CSP website."""
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        header = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
        for run in header.runs[1:]:
            run.text = ""
        if header.runs:
            header.runs[0].text = PUBLISHED_HEADER
            header.runs[0].bold = False
        else:
            header.add_run(PUBLISHED_HEADER)
    document.core_properties.category = "Published"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
