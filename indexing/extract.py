"""Text extraction from PDF, DOCX, HTML, TXT and Markdown, keeping pages and headings.

Every extractor returns one ``Extracted``: the text, the character span of each page (PDF),
and the offsets where headings start. Bad files raise ``ExtractionError`` with a reason a
person can act on; nothing is stored for them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from core.errors import DHRError
from core.settings import max_upload_bytes

SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
MIN_CHARACTERS = 20  # less than this is "no text": an image-only scan, or an empty file


class ExtractionError(DHRError):
    """A file that cannot be read into text, with the reason and what to do."""


@dataclass
class Extracted:
    text: str
    pages: list[tuple[int, int, int]] = field(default_factory=list)  # (page number, start, end)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, heading text)

    def page_at(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return None


class _Builder:
    """Collects blocks of text, remembering page spans and heading offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[tuple[int, str]] = []

    def add(self, block: str, *, heading: bool = False) -> None:
        block = block.strip()
        if not block:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        if heading:
            self.headings.append((self.length, " ".join(block.split())))
        self.parts.append(block)
        self.length += len(block)

    def result(self, pages: list[tuple[int, int, int]] | None = None) -> Extracted:
        return Extracted("".join(self.parts), pages or [], self.headings)


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("the PDF is password-protected; save an unprotected copy and upload that")
        builder = _Builder()
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            start = builder.length + (2 if builder.parts else 0)
            before = builder.length
            builder.add(page.extract_text() or "")
            if builder.length > before:
                pages.append((number, start, builder.length))
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise ExtractionError(f"the PDF is damaged or not a PDF ({error}); export it again from the original") from None
    return builder.result(pages)


def _docx(data: bytes) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError(f"the Word file is damaged or not a .docx ({error}); save it again as .docx") from None
    builder = _Builder()
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            builder.add(paragraph.text, heading=style.startswith("Heading") or style == "Title")
        elif tag == "tbl":
            table = Table(child, document)
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
            builder.add("\n".join(r for r in rows if r.strip(" |")))
    return builder.result()


class _HTMLText(HTMLParser):
    BLOCKS = {"p", "div", "li", "tr", "section", "article", "br", "td", "th", "blockquote", "pre"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
    SKIP = {"script", "style", "nav", "head", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = _Builder()
        self.buffer: list[str] = []
        self.skipping = 0
        self.in_heading = False

    def _flush(self) -> None:
        self.builder.add(" ".join("".join(self.buffer).split()), heading=self.in_heading)
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP and tag != "head":
            self.skipping += 1
        elif tag in self.HEADINGS or tag in self.BLOCKS:
            self._flush()
            self.in_heading = tag in self.HEADINGS and tag != "title"

    def handle_endtag(self, tag):
        if tag in self.SKIP and tag != "head":
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.HEADINGS or tag in self.BLOCKS:
            self._flush()
            self.in_heading = False

    def handle_data(self, data):
        if not self.skipping:
            self.buffer.append(data)


def _html(data: bytes) -> Extracted:
    parser = _HTMLText()
    parser.feed(_decode(data))
    parser.close()
    parser._flush()
    return parser.builder.result()


MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _text(data: bytes, markdown: bool) -> Extracted:
    builder = _Builder()
    for block in re.split(r"\n\s*\n", _decode(data).replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        paragraph: list[str] = []
        for line in lines:
            match = MARKDOWN_HEADING.match(line) if markdown else None
            if match:
                builder.add("\n".join(paragraph))
                paragraph = []
                builder.add(match.group(1), heading=True)
            else:
                paragraph.append(line)
        builder.add("\n".join(paragraph))
    return builder.result()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def extract(data: bytes, filename: str, *, max_bytes: int | None = None) -> Extracted:
    """Extract text from a file's bytes; the suffix of ``filename`` chooses the reader.

    ``max_bytes`` defaults to the configured upload limit (``DHR_MAX_UPLOAD_MB``, 50 MB)."""
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractionError(f"{suffix or 'no suffix'} files are not supported; use {', '.join(SUFFIXES)}")
    if len(data) > max_bytes:
        raise ExtractionError(
            f"the file is {len(data) / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit; "
            "split it or raise the limit"
        )
    if not data.strip():
        raise ExtractionError("the file is empty")
    if suffix == ".pdf":
        extracted = _pdf(data)
    elif suffix == ".docx":
        extracted = _docx(data)
    elif suffix in (".html", ".htm"):
        extracted = _html(data)
    else:
        extracted = _text(data, markdown=suffix == ".md")
    if len(extracted.text.strip()) < MIN_CHARACTERS:
        if suffix == ".pdf":
            raise ExtractionError("the PDF has no text layer (a scan?); run it through OCR and upload the result")
        raise ExtractionError("the file has no readable text")
    return extracted
