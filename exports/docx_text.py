"""Every piece of text a .docx carries, each with a place a person can find it.

python-docx reads the body, tables and the default header and footer. A report can also hide a
name in a first-page or even-page header, a footnote, an endnote, a comment, a text box, a
content control, a nested table, a tracked deletion or the document's properties, so this module
reads the package's XML parts directly (lxml, entities never resolved).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from core.docx_package import Package, R, run_text, w
from core.errors import ValidationError

HEADER_TYPES = {"default": "every page", "first": "first page", "even": "even pages"}
PROPERTY_LABELS = {
    "title": "title",
    "subject": "subject",
    "creator": "author",
    "keywords": "keywords",
    "description": "comments",
    "lastModifiedBy": "last modified by",
    "category": "category",
    "contentStatus": "status",
    "Company": "company",
    "Manager": "manager",
}


@dataclass(frozen=True)
class TextUnit:
    location: str
    text: str


class _Walker:
    """Turns a block container (body, cell, header, note, comment, text box) into located text."""

    def __init__(self) -> None:
        self.units: list[TextUnit] = []

    def add(self, location: str, text: str) -> None:
        if text.strip():
            self.units.append(TextUnit(location, text))

    def paragraph(self, p: etree._Element, location: str) -> None:
        boxes: list[etree._Element] = []
        deleted: list[str] = []
        self.add(location, run_text(p, boxes, deleted))
        self.add(f"{location} (tracked deletion)", " ".join(deleted))
        for i, box in enumerate(boxes, start=1):
            self.blocks(box, f"text box {i} in {location}", numbered=False)

    def table(self, tbl: etree._Element, location: str) -> None:
        for r, row in enumerate(tbl.iterchildren(w("tr")), start=1):
            for c, cell in enumerate(row.iterchildren(w("tc")), start=1):
                self.blocks(cell, f"{location}, row {r}, cell {c}", numbered=False)

    def blocks(self, container: etree._Element, prefix: str, *, numbered: bool = True) -> None:
        """Paragraphs, tables and content controls in order; in a cell, its paragraphs share one place."""
        counts = {"paragraph": 0, "table": 0, "content control": 0}
        for child in container:
            if child.tag == w("p"):
                counts["paragraph"] += 1
                where = f"{prefix}, paragraph {counts['paragraph']}" if numbered else prefix
                self.paragraph(child, where.lstrip(", "))
            elif child.tag == w("tbl"):
                counts["table"] += 1
                self.table(child, f"{prefix}, table {counts['table']}".lstrip(", "))
            elif child.tag == w("sdt"):
                counts["content control"] += 1
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.blocks(content, f"{prefix}, content control {counts['content control']}".lstrip(", "))
            elif child.tag in (w("ins"), w("moveTo"), w("customXml"), w("smartTag")):
                self.blocks(child, prefix, numbered=numbered)
            elif child.tag in (w("del"), w("moveFrom")):
                deleted = " ".join(t.text or "" for t in child.iter(w("delText"), w("t")))
                self.add(f"{prefix} (tracked deletion)".lstrip(", "), deleted)


def _headers_and_footers(package: Package, body: etree._Element, walker: _Walker) -> None:
    rels = package.relationships("word/document.xml")
    seen: set[str] = set()
    # every section's properties in order: breaks inside paragraphs, then the body's last one
    for s, sect in enumerate(body.iter(w("sectPr")), start=1):
        for kind in ("header", "footer"):
            for ref in sect.iterchildren(w(f"{kind}Reference")):
                part = rels.get(ref.get(f"{{{R}}}id"))
                root = package.xml(part) if part else None
                if root is None:
                    continue
                seen.add(part)
                which = HEADER_TYPES.get(ref.get(w("type"), "default"), "every page")
                walker.blocks(root, f"{kind}, {which}, section {s}", numbered=False)
    for part in sorted(package.names):
        leaf = posixpath.basename(part)
        if part.startswith("word/") and leaf.startswith(("header", "footer")) and part not in seen:
            root = package.xml(part)
            if root is not None:
                walker.blocks(root, f"{leaf.split('.')[0]} not used by any section", numbered=False)


def _notes(package: Package, part: str, tag: str, label: str, walker: _Walker) -> None:
    root = package.xml(part)
    if root is None:
        return
    number = 0
    for note in root.iterchildren(w(tag)):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        number += 1
        walker.blocks(note, f"{label} {number}", numbered=False)


def _comments(package: Package, walker: _Walker) -> None:
    root = package.xml("word/comments.xml")
    if root is None:
        return
    for number, comment in enumerate(root.iterchildren(w("comment")), start=1):
        walker.blocks(comment, f"comment {number}", numbered=False)
        walker.add(
            f"comment {number}, author", " ".join(filter(None, (comment.get(w("author")), comment.get(w("initials")))))
        )


def _revision_authors(package: Package, walker: _Walker) -> None:
    authors: set[str] = set()
    for part in sorted(package.names):
        if part.startswith("word/") and part.endswith(".xml"):
            root = package.xml(part)
            if root is None:
                continue
            for element in root.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange"), w("pPrChange")):
                if element.get(w("author")):
                    authors.add(element.get(w("author")))
    for author in sorted(authors):
        walker.add("author of a tracked change", author)


def _properties(package: Package, walker: _Walker) -> None:
    for part in ("docProps/core.xml", "docProps/app.xml"):
        root = package.xml(part)
        if root is None:
            continue
        for element in root:
            local = etree.QName(element).localname
            if local in PROPERTY_LABELS and element.text:
                walker.add(f"document properties: {PROPERTY_LABELS[local]}", element.text)
    custom = package.xml("docProps/custom.xml")
    if custom is not None:
        for prop in custom:
            value = " ".join(t for t in prop.itertext() if t.strip())
            walker.add(f"custom property '{prop.get('name', '')}'", value)


def text_units(data: bytes) -> list[TextUnit]:
    """Every text-bearing part of a .docx, in reading order, each with where it is."""
    package = Package(data)
    document = package.xml("word/document.xml")
    body = document.find(w("body")) if document is not None else None
    if body is None:
        raise ValidationError("file: not a readable Word .docx (it has no document body)")
    walker = _Walker()
    walker.blocks(body, "")
    _headers_and_footers(package, body, walker)
    _notes(package, "word/footnotes.xml", "footnote", "footnote", walker)
    _notes(package, "word/endnotes.xml", "endnote", "endnote", walker)
    _comments(package, walker)
    _revision_authors(package, walker)
    _properties(package, walker)
    return walker.units
