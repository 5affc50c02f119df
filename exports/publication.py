"""The publication check: find what would identify people in a report before it is published.

Reads every text-bearing part of a .docx (see :mod:`exports.docx_text`: body, tables at any depth,
every header and footer of every section, footnotes, endnotes, comments, text boxes, content
controls, tracked insertions and deletions, document and custom properties) for the names in the
review's confidential register (whole words; case, accents and curly apostrophes folded;
possessives too), dates of birth, addresses, postcodes, phone numbers and email addresses.
Pure functions: bytes in, findings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import finding_key, fold, name_patterns
from exports.docx_text import text_units

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
DETAILS = (
    ("date_of_birth", DATE_OF_BIRTH),
    ("address", STREET),
    ("postcode", POSTCODE),
    ("phone", PHONE),
    ("email", EMAIL),
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    context: str
    location: str

    @property
    def key(self) -> str:
        """What the finding is (kind and folded text), not where: moving it does not reopen it."""
        return finding_key(self.kind, self.text)

    def as_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "context": self.context, "location": self.location}


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return (
        f"{'…' if start > CONTEXT else ''}{before}[{text[start:end]}]{after}{'…' if end + CONTEXT < len(text) else ''}"
    )


def _name_findings(text: str, location: str, patterns: list[re.Pattern]) -> list[Finding]:
    folded, origin = fold(text)
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(folded):
            if not any(s <= match.start() < e for s, e in taken):
                taken.append(match.span())
    findings = []
    for start, end in sorted(taken):
        start, end = origin[start], origin[end - 1] + 1
        findings.append(Finding("name", text[start:end], _context(text, start, end), location))
    return findings


def check(data: bytes, *, names: list[str], pseudonym: str) -> list[Finding]:
    """Every identifying detail in a .docx, in reading order; overlapping name matches reported once."""
    findings: list[Finding] = []
    patterns = name_patterns(names, [pseudonym])
    for unit in text_units(data):
        findings.extend(_name_findings(unit.text, unit.location, patterns))
        for kind, pattern in DETAILS:
            for match in pattern.finditer(unit.text):
                findings.append(
                    Finding(kind, match.group(0).strip(), _context(unit.text, *match.span()), unit.location)
                )
    return findings
