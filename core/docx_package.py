"""A Word .docx (or any Office Open XML package) read with limits before anything is parsed.

A hostile package can claim small parts and inflate to gigabytes, hold thousands of parts, carry
corrupt deflate data, entity bombs or nesting deep enough to exhaust a parser. Each is refused
here with what is wrong, before python-docx, lxml or openpyxl sees it.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib

from lxml import etree

from core.errors import ValidationError
from core.files import suffix_by_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MAX_PART_BYTES = 50 * 1024 * 1024  # one part, once decompressed
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # every part together, once decompressed
MAX_PARTS = 2000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def check_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip archive of an Office file, after checking its part count and declared sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
        if suffix_by_bytes(data) == ".pdf":
            raise ValidationError(f"file: this is a PDF, not a {kind}; give the {kind} it was made from") from None
        raise ValidationError(f"file: the {kind} is damaged or is not an Office file; save it again") from None
    if len(infos) > MAX_PARTS:
        raise ValidationError(f"file: the {kind} has {len(infos)} parts, more than {MAX_PARTS}; re-save it")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_PACKAGE_BYTES or any(info.file_size > MAX_PART_BYTES for info in infos):
        raise ValidationError(
            f"file: the {kind} inflates to {declared // 1_048_576} MB, more than we read (a compression bomb?)"
        )
    return archive


def read_part(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """One part decompressed, stopping at the limit whatever its header claims."""
    try:
        with archive.open(name) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except KeyError:
        raise ValidationError(f"file: the {kind} has no part {name}; it is damaged, re-save it") from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        raise ValidationError(f"file: the part {name} of the {kind} is damaged; re-save it") from None
    if len(data) > MAX_PART_BYTES:
        raise ValidationError(f"file: the part {name} of the {kind} inflates past {MAX_PART_BYTES // 1_048_576} MB")
    return data


class Package:
    """The parts of a .docx as a zip archive, read with limits."""

    def __init__(self, data: bytes):
        self.zip = check_zip(data, "Word .docx")
        self.names = set(self.zip.namelist())
        if "word/document.xml" not in self.names:
            if suffix_by_bytes(data) == ".xlsx":
                raise ValidationError("file: this is an Excel workbook with a Word document's name, not a Word .docx")
            raise ValidationError("file: not a readable Word .docx (it has no document body)")
        self._parsed: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed (once per package), or None if the package has no such part."""
        if name not in self.names:
            return None
        if name not in self._parsed:
            try:
                self._parsed[name] = parse_xml(read_part(self.zip, name, "Word .docx"))
            except (etree.XMLSyntaxError, ValueError, RecursionError):
                raise ValidationError(f"file: the part {name} is damaged or nested too deeply; re-save it") from None
        return self._parsed[name]

    def relationships(self, part: str) -> dict[str, str]:
        """rId -> part name for one part's relationships."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return {}
        found = {}
        for rel in rels.iter(f"{{{REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            found[rel.get("Id")] = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        return found


def run_text(element: etree._Element, boxes: list[etree._Element], deleted: list[str]) -> str:
    """The visible text under ``element``; text boxes and tracked deletions are set aside."""
    out: list[str] = []
    for child in element:
        tag = child.tag
        if tag == w("txbxContent"):
            boxes.append(child)
        elif tag == w("t"):
            out.append(child.text or "")
        elif tag == w("delText"):
            deleted.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == f"{{{MC}}}AlternateContent":
            out.append(_alternate_content(child, boxes, deleted))
        else:
            out.append(run_text(child, boxes, deleted))
    return "".join(out)


def _alternate_content(element: etree._Element, boxes: list[etree._Element], deleted: list[str]) -> str:
    """A drawing and its fallback hold the same text box: read the fallback only if the drawing had none."""
    found_before = len(boxes)
    text = "".join(run_text(c, boxes, deleted) for c in element.iterchildren(f"{{{MC}}}Choice"))
    if len(boxes) == found_before:
        text += "".join(run_text(c, boxes, deleted) for c in element.iterchildren(f"{{{MC}}}Fallback"))
    return text
