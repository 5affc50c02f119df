"""Text extraction from PDF, DOCX, HTML, TXT and Markdown, keeping pages and headings.

Every extractor returns one ``Extracted``: the text, the character span of each page (PDF),
and the offsets where headings start. Bad files raise ``ExtractionError`` with a reason a
person can act on; nothing is stored for them. A PDF's words that a narrow column broke without a
hyphen ("understandi" / "ng"), or such a PDF's text saved as a text file, are whole again in its text
(``rejoined``, which moves no offset, run here once), so the passages cut from it, and so search and
themes, hold "understanding", and the reader (``indexing.reading.records.read_text``) reads it whole.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from core.docx_package import Package, run_text, w
from core.errors import DHRError, ValidationError
from core.files import KINDS, ZIP, suffix_by_bytes
from core.settings import MAX_UPLOAD_ENV, max_upload_bytes
from core.text import decode_text, without_controls
from indexing.reading.sentences import rejoined

# pypdf logs what it finds wrong in a damaged file ("EOF marker not found"); the refusal says it in words, so
# those lines are not for a coordinator's screen (an app that configures logging still receives them)
logging.getLogger("pypdf").addHandler(logging.NullHandler())

SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
MIN_CHARACTERS = 20  # less than this is "no text": an image-only scan, or an empty file
MAX_TEXT_CHARACTERS = 6_000_000
"""The most text one document may hold. More than the 5,000 passages the library takes can hold
(5,000 x 200 word pieces x about 6 characters a piece), and far below what the tokenizer can be
given at once: 60 MB of text made it fail to allocate and abort the whole server. Checked while the
text is gathered, so a small file that inflates (a PDF of 92 KB, a .docx of 150 KB) stops early."""
MAX_BLOCKS = 200_000
"""The most paragraphs, headings and table rows one document may hold: the text budget alone lets
through hundreds of thousands of one-word paragraphs, each a section or a heading to keep."""
MAX_PAGE_CONTENT_BYTES = 16 * 1024 * 1024
"""The most drawing instructions one PDF page may hold, once decompressed. pypdf reads about 2 MB of
them a second in pure Python, holding every operation in memory, so a bigger page is refused
before its text is read (a 110 KB PDF inflated to a 56 MB page, 26 s and 800 MB to read)."""


class ExtractionError(DHRError):
    """A file that cannot be read into text, with the reason and what to do."""


def _too_long(what: str) -> ExtractionError:
    return ExtractionError(
        f"the {what} holds more than {MAX_TEXT_CHARACTERS // 1_000_000} million characters of text or "
        f"{MAX_BLOCKS:,} paragraphs, more than one library document takes; split it into parts"
    )


@dataclass
class Extracted:
    text: str
    pages: list[tuple[int, int, int]] = field(default_factory=list)  # (page number, start, end)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, heading text)
    read_as: str = ""  # the suffix whose reader read the file (``read_as``): what it is, whatever its name says
    # a PDF's layout, for its title (indexing/titles.py): its first page's lines in the largest type, where that
    # type is larger than the page's text (a cover's or a brief's heading), and the title its properties give
    cover_heading: tuple[str, ...] = ()
    metadata_title: str = ""

    def page_at(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return None


class _Builder:
    """Collects blocks of text, remembering page spans and heading offsets."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[tuple[int, str]] = []

    def check(self, more: int = 0) -> None:
        """Refuse the document once its text (and ``more`` characters about to come) passes the budget."""
        if self.length + more > MAX_TEXT_CHARACTERS or len(self.parts) > 2 * MAX_BLOCKS:
            raise _too_long(self.what)

    def add(self, block: str, *, heading: bool = False) -> None:
        self.check(len(block))
        block = without_controls(block).strip()
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

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("the PDF is password-protected; save an unprotected copy and upload that")
        builder = _Builder("PDF")
        pages = []
        runs: list[tuple[float, str]] = []  # the first page's text, piece by piece, with the size of its type
        for number, page in enumerate(reader.pages, start=1):
            start = builder.length + (2 if builder.parts else 0)
            before = builder.length
            _check_page_size(page, number)
            builder.add(page.extract_text(visitor_text=_counter(builder, runs if number == 1 else None)) or "")
            if builder.length > before:
                pages.append((number, start, builder.length))
        metadata_title = str((reader.metadata or {}).get("/Title") or "")
    except ExtractionError:
        raise
    except Exception as error:  # pypdf raises many kinds for a damaged or hostile file; each is a refusal
        raise ExtractionError(f"the PDF {_pdf_problem(error)}; export it again from the original") from None
    extracted = builder.result(pages)
    extracted.cover_heading = _largest_type(runs)
    extracted.metadata_title = " ".join(without_controls(metadata_title).split())
    return extracted


COVER_RUNS = 15  # how far into a first page its heading is looked for


def _largest_type(runs: list[tuple[float, str]]) -> tuple[str, ...]:
    """The first lines set in the first page's largest type, where that is larger than most of its text."""
    sizes = Counter()
    for size, text in runs:
        sizes[size] += len(text)
    if not sizes:
        return ()
    body, largest = sizes.most_common(1)[0][0], max(size for size, _ in runs[:COVER_RUNS])
    if largest <= body:
        return ()
    first = next(i for i, (size, _) in enumerate(runs) if size == largest)
    lines = []
    for size, text in runs[first:]:
        if size != largest:
            break
        lines.append(" ".join(without_controls(text).split()))
    return tuple(lines)


def _check_page_size(page, number: int) -> None:
    contents = page.get_contents()
    if contents is not None and len(contents.get_data()) > MAX_PAGE_CONTENT_BYTES:
        raise ExtractionError(
            f"page {number} of the PDF inflates to more than {MAX_PAGE_CONTENT_BYTES // 1_048_576} MB "
            "(a compression bomb?); export it again from the original"
        )


def _counter(builder: _Builder, runs: list[tuple[float, str]] | None = None):
    """A pypdf text visitor that stops a page's extraction as soon as the document's text passes the
    budget (a page's own forms can repeat text without a large content stream), and keeps each piece of
    text with the size its type is shown at in ``runs``, if given."""
    seen = [0]

    def visit(text, cm, tm, _font, font_size):
        seen[0] += len(text)
        builder.check(seen[0])
        if runs is not None and text.strip():
            runs.append((round(font_size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1), text))

    return visit


def _pdf_problem(error: Exception) -> str:
    """What is wrong with a PDF pypdf could not read, in words (never the exception's own text)."""
    from pypdf.errors import LimitReachedError

    if isinstance(error, LimitReachedError | MemoryError):
        return "is too large once decompressed (a compression bomb?)"
    if isinstance(error, RecursionError):
        return "is nested too deeply to read"
    if isinstance(error, NotImplementedError):
        return "uses a PDF feature that cannot be read here"
    return "is damaged or not a PDF"


def _docx(data: bytes) -> Extracted:
    """Body paragraphs (headings by their style's name), tables row by row, and text boxes, read
    straight from the package's XML in one pass (python-docx's style look-up per paragraph took
    over a minute on 100,000 paragraphs); the package is checked for bombs before it is parsed."""
    try:
        package = Package(data)
        body = package.xml("word/document.xml").find(w("body"))
        styles = package.xml("word/styles.xml")
    except ValidationError as error:
        raise ExtractionError(error.problems[0].removeprefix("file: ")) from None
    if body is None:
        raise ExtractionError("the Word file has no document body; save it again as .docx")
    names = {
        style.get(w("styleId")): (style.find(w("name")).get(w("val")) if style.find(w("name")) is not None else "")
        for style in (styles.iterchildren(w("style")) if styles is not None else ())
    }
    builder = _Builder("Word document")
    _docx_blocks(body, names, builder)
    return builder.result()


def _docx_blocks(container, names: dict[str, str], builder: _Builder) -> None:
    for child in container:
        if child.tag == w("p"):
            boxes: list = []
            style = child.find(f"{w('pPr')}/{w('pStyle')}")
            name = names.get(style.get(w("val")), style.get(w("val"))) if style is not None else ""
            builder.add(run_text(child, boxes, []), heading=(name or "").startswith(("Heading", "heading", "Title")))
            for box in boxes:
                _docx_blocks(box, names, builder)
        elif child.tag == w("tbl"):
            builder.add("\n".join(r for r in _table_rows(child) if r.strip(" |")))
        elif child.tag in (w("sdt"), w("sdtContent"), w("ins"), w("customXml"), w("smartTag")):
            _docx_blocks(child, names, builder)


def _table_rows(table) -> list[str]:
    """Each row's cells joined by " | ". A cell merged down from the row above (Word's vertical merge: an agency
    column spanning several recommendations) repeats the text of the cell it continues, so every row says it."""
    above: dict[int, str] = {}  # grid column -> the text of the last cell that began there
    rows = []
    for row in table.iterchildren(w("tr")):
        cells, column = [], 0
        for cell in row.iterchildren(w("tc")):
            properties = cell.find(w("tcPr"))
            merge = properties.find(w("vMerge")) if properties is not None else None
            span = properties.find(w("gridSpan")) if properties is not None else None
            text = " ".join(run_text(cell, [], []).split())
            if merge is not None and merge.get(w("val")) in (None, "continue"):
                text = above.get(column, text)
            else:
                above[column] = text
            cells.append(text)
            width = span.get(w("val")) if span is not None else None
            column += int(width) if width and width.isdigit() and len(width) <= 3 else 1
        rows.append(" | ".join(cells))
    return rows


HTML_BLOCKS = {"p", "div", "li", "tr", "section", "article", "br", "td", "th", "blockquote", "pre"}
HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
HTML_SKIP = {"script", "style", "nav", "noscript", "template"}
# libxml2's HTML parser, recovering from any markup (junk attributes, unclosed comments, "<![foo[")
# in linear time, with its own limits on depth and node size (huge_tree off), and no network
HTML_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", recover=True, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
)


def _html(data: bytes) -> Extracted:
    """A web page's text in blocks, headings (not the title) marked; scripts, styles and menus left out."""
    builder = _Builder("web page")
    text = _decode(data)
    builder.check(len(text) // 4)  # four times the text budget in markup: refused before libxml2 builds its tree
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise ExtractionError("the file has no readable text") from None
    buffer: list[str] = []
    in_heading = False

    def flush() -> None:
        builder.add(" ".join("".join(buffer).split()), heading=in_heading)
        buffer.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in HTML_SKIP:
                walker.skip_subtree()
                continue
            if tag in HTML_HEADINGS or tag in HTML_BLOCKS:
                flush()
                in_heading = tag in HTML_HEADINGS and tag != "title"
            buffer.append(element.text or "")
        else:
            if tag in HTML_HEADINGS or tag in HTML_BLOCKS:
                flush()
                in_heading = False
            buffer.append(element.tail or "")
    flush()
    return builder.result()


def markdown_heading(line: str) -> str | None:
    """The text of an ATX heading ("## Findings ##"), or None; linear in the line's length (a
    regular expression for this backtracked for minutes on a long line of hashes and spaces)."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    hashes = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[hashes:]
    if not 1 <= hashes <= 6 or (rest and rest[0] not in " \t"):
        return None
    text = rest.strip()
    closing = text.rstrip("#")
    if closing != text and (not closing or closing[-1] in " \t"):
        text = closing.strip()
    return text or None


def _text(data: bytes, markdown: bool) -> Extracted:
    builder = _Builder("file")
    text = _decode(data)
    builder.check(len(text))
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        paragraph: list[str] = []
        for line in lines:
            heading = markdown_heading(line) if markdown else None
            if heading:
                builder.add("\n".join(paragraph))
                paragraph = []
                builder.add(heading, heading=True)
            else:
                paragraph.append(line)
        builder.add("\n".join(paragraph))
    return builder.result()


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)
    except ValueError as error:
        raise ExtractionError(str(error)) from None


def read_as(data: bytes, filename: str) -> str:
    """The suffix whose reader reads these bytes: what they are where they say it (a PDF starts with "%PDF-", a Word
    .docx is a zip holding word/document.xml, an Excel workbook one holding xl/workbook.xml), whatever the name
    says ("report.pdf" saved from Word), else the suffix of ``filename``."""
    return suffix_by_bytes(data) or Path(filename).suffix.lower()


def named_otherwise(filename: str, read: str) -> str:
    """What a file is when its name says otherwise ("a Word document named .pdf, read as a Word document"), or "";
    ``read`` is what ``read_as`` found it to be (``Extracted.read_as`` once it is extracted)."""
    named = Path(filename).suffix.lower()
    if read == named:
        return ""
    what = KINDS[read]
    return f"{what} named {named}, read as {what}" if named else f"{what} with no suffix in its name, read as {what}"


def extract(data: bytes, filename: str, *, max_bytes: int | None = None) -> Extracted:
    """Extract text from a file's bytes; what the bytes are (``read_as``), else the suffix of ``filename``, chooses
    the reader.

    ``max_bytes`` defaults to the configured upload limit (``DHR_MAX_UPLOAD_MB``, 50 MB)."""
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    suffix = read_as(data, filename)
    if suffix not in SUFFIXES:
        raise ExtractionError(f"{suffix or 'no suffix'} files are not supported; use {', '.join(SUFFIXES)}")
    if len(data) > max_bytes:
        raise ExtractionError(
            f"the file is {len(data) / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit; "
            f"split it, or ask whoever runs the app to raise {MAX_UPLOAD_ENV}"
        )
    if not data.strip():
        raise ExtractionError("the file is empty")
    if suffix == ".pdf" and data.startswith(ZIP):  # a zip in which read_as found no Word document
        raise ExtractionError("the file is a Word (or other Office) file named .pdf: rename it .docx and add it again")
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
    extracted.text = rejoined(extracted.text)
    extracted.read_as = suffix
    return extracted
