"""The published version of a report: tracked changes accepted, comments and personal properties
removed, and the published header on every section's headers.

Works on the package's XML (lxml) for what python-docx does not model, then python-docx for the
header and the core properties.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import docx
from lxml import etree

from core.docx_package import Package, w
from exports.docx_base import PUBLISHED_HEADER

CONTENT_TYPES = "[Content_Types].xml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# parts that hold who commented or edited, and what they said
DROPPED_PARTS = (
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/commentsExtensible.xml",
    "word/commentsIds.xml",
    "word/people.xml",
    "docProps/custom.xml",
)
REMOVED = tuple(
    w(t)
    for t in (
        "del",
        "moveFrom",
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "trackRevisions",
    )
)
UNWRAPPED = (w("ins"), w("moveTo"))
PERSONAL_APP_PROPERTIES = ("Company", "Manager")


def _accept_revisions(root: etree._Element) -> None:
    """Accept every tracked change: deleted content and markers go; inserted content stays, unwrapped."""
    for row in [tr for tr in root.iter(w("tr")) if tr.find(f"{w('trPr')}/{w('del')}") is not None]:
        row.getparent().remove(row)
    for element in [e for e in root.iter(*REMOVED)]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for element in [e for e in root.iter(*UNWRAPPED)]:
        parent = element.getparent()
        if parent is None:
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    for run in [r for r in root.iter(w("r")) if all(c.tag == w("rPr") for c in r)]:
        run.getparent().remove(run)


def _clean_relationships(root: etree._Element, dropped: set[str], folder: str) -> None:
    for rel in list(root):
        target = rel.get("Target", "")
        full = target.lstrip("/") if target.startswith("/") else f"{folder}{target}"
        if full in dropped:
            root.remove(rel)


def _clean_content_types(root: etree._Element, dropped: set[str]) -> None:
    for override in list(root.iter(f"{{{CT}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            root.remove(override)


def _clean_app_properties(root: etree._Element) -> None:
    for element in root:
        if etree.QName(element).localname in PERSONAL_APP_PROPERTIES:
            element.text = ""


def _cleaner(name: str, dropped: set[str]) -> Callable[[etree._Element], None] | None:
    """What to clean in one part of the package; None for a part copied as it is."""
    if name == CONTENT_TYPES:
        return lambda root: _clean_content_types(root, dropped)
    if name.endswith(".rels"):
        return lambda root: _clean_relationships(root, dropped, name.split("_rels/")[0])
    if name == "docProps/app.xml":
        return _clean_app_properties
    if name.startswith("word/") and name.endswith(".xml"):
        return _accept_revisions
    return None


def _sanitised_package(data: bytes) -> bytes:
    package = Package(data)
    dropped = {name for name in DROPPED_PARTS if name in package.names}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.zip.infolist():
            name = info.filename
            if name in dropped:
                continue
            clean = _cleaner(name, dropped)
            if clean is None:
                target.writestr(info, package.zip.read(name))
                continue
            root = package.xml(name)  # size-capped, and a damaged part is named
            clean(root)
            target.writestr(info, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return out.getvalue()


def _stamp_header(header) -> None:
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    for run in paragraph.runs[1:]:
        run.text = ""
    if paragraph.runs:
        paragraph.runs[0].text = PUBLISHED_HEADER
        paragraph.runs[0].bold = False
    else:
        paragraph.add_run(PUBLISHED_HEADER)


def stamp_published(data: bytes) -> bytes:
    """The same document as it may appear on the CSP website."""
    document = docx.Document(io.BytesIO(_sanitised_package(data)))
    for section in document.sections:
        _stamp_header(section.header)
        if section.different_first_page_header_footer:
            _stamp_header(section.first_page_header)
        if document.settings.odd_and_even_pages_header_footer:
            _stamp_header(section.even_page_header)
    properties = document.core_properties
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.category = "Published"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
